using System.Diagnostics;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// A temporary folder laid out like the repository for Jupyter's tools to run course notebooks in:
/// <code>
/// jupyter/kernels/.net-csharp/   the course's kernelspec, written by ./course kernelspec --dir
/// data/ runtime/ config/         Jupyter's own folders (nothing of the user's is read or written)
/// work/.config/dotnet-tools.json the repository's tool manifest: Jupyter starts the kernel in the
///                                notebook's folder, and `dotnet tool run` looks for it from there up
/// work/artifacts/bin             a link to the repository's build, so a notebook's
///                                #r "../artifacts/bin/CnnCourse/release/CnnCourse.dll" resolves
/// work/notebooks/                copies of course notebooks (never the committed files), with a copy
///                                of the prelude their #load "prelude.csx" reads
/// </code>
/// Disposing it kills whatever still runs with the folder on its command line (a server, a kernel,
/// a browser) and deletes the folder.
/// </summary>
internal sealed class JupyterWorkspace : IDisposable
{
    private readonly TempDirectory root = new();

    private JupyterWorkspace()
    {
    }

    public string Root => root.Path;

    /// <summary>The folder that stands for the repository: Jupyter's notebook folder.</summary>
    public string Work => Path.Combine(Root, "work");

    public string Notebooks => Path.Combine(Work, "notebooks");

    public string KernelspecDirectory => Path.Combine(Root, "jupyter", "kernels", ".net-csharp");

    /// <summary>The environment of every Jupyter process the tests start: the course's kernelspec first, Jupyter's folders inside the workspace.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["JUPYTER_PATH"] = Path.Combine(Root, "jupyter"),
        ["JUPYTER_DATA_DIR"] = Path.Combine(Root, "data"),
        ["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root, "runtime"),
        ["JUPYTER_CONFIG_DIR"] = Path.Combine(Root, "config"),
        ["PYTHONDONTWRITEBYTECODE"] = "1",
    };

    /// <summary>The built library the course's notebooks reference.</summary>
    public static string CourseLibrary => Path.Combine(CourseNotebooks.RepositoryRoot, "artifacts", "bin", "CnnCourse", "release", "CnnCourse.dll");

    /// <summary>The Python scripts beside these tests (tests/CnnCourse.Notebooks.Tests/Jupyter/).</summary>
    public static string Script(string name) => Path.Combine(CourseNotebooks.RepositoryRoot, "tests", "CnnCourse.Notebooks.Tests", "Jupyter", name);

    public static JupyterWorkspace Create()
    {
        Assert.True(File.Exists(CourseLibrary), $"the course library is not built ({CourseLibrary}): run ./course build");
        var workspace = new JupyterWorkspace();
        try
        {
            workspace.WriteKernelspec();
            string repository = CourseNotebooks.RepositoryRoot;
            Directory.CreateDirectory(workspace.Notebooks);
            Directory.CreateDirectory(Path.Combine(workspace.Work, ".config"));
            File.Copy(Path.Combine(repository, ".config", "dotnet-tools.json"), Path.Combine(workspace.Work, ".config", "dotnet-tools.json"));
            Directory.CreateDirectory(Path.Combine(workspace.Work, "artifacts"));
            Directory.CreateSymbolicLink(workspace.BuildLink, Path.Combine(repository, "artifacts", "bin"));
            return workspace;
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    private string BuildLink => Path.Combine(Work, "artifacts", "bin");

    /// <summary>
    /// Copies notebooks/<paramref name="name"/> into work/notebooks/ and returns the copy's path; the
    /// prelude goes beside it, since every lesson's second cell loads it from the notebook's folder.
    /// </summary>
    public string CopyNotebook(string name)
    {
        string copy = Path.Combine(Notebooks, name);
        File.Copy(Path.Combine(CourseNotebooks.Directory, name), copy);
        File.Copy(Path.Combine(CourseNotebooks.Directory, Prelude), Path.Combine(Notebooks, Prelude), overwrite: true);
        return copy;
    }

    private const string Prelude = "prelude.csx";

    /// <summary>The course's own command writes the kernelspec, so the tests use exactly what users get.</summary>
    private void WriteKernelspec()
    {
        var start = new ProcessStartInfo(Path.Combine(CourseNotebooks.RepositoryRoot, "course"), ["kernelspec", "--dir", KernelspecDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && File.Exists(Path.Combine(KernelspecDirectory, "kernel.json")),
            $"./course kernelspec --dir {KernelspecDirectory} failed ({process.ExitCode}):\n{stdout.Result}{stderr}");
    }

    public void Dispose()
    {
        ChildProcess.KillMentioning(Root);
        // The link goes first: the folder's deletion must never reach the repository's build.
        if (new FileInfo(BuildLink).LinkTarget is not null) File.Delete(BuildLink);
        root.Dispose();
    }
}
