using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Export;

/// <summary>One notebook's export: the app written, or why none was.</summary>
internal sealed record ExportResult(string Notebook, string? WrittenTo, string? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// <c>export</c>: each notebook becomes <c>DIR/&lt;notebook name&gt;.cs</c>, a file-based app whose
/// <c>#:project</c> names the course library by a path relative to the app. The library is the one of
/// the repository the notebook belongs to (the first folder above it that holds
/// <c>lib/CnnCourse/CnnCourse.csproj</c>), unless a project is given. A notebook that cannot be
/// exported is reported and the others are still written.
/// </summary>
internal static class NotebookExport
{
    public static readonly string LibraryProject = Path.Combine("lib", "CnnCourse", "CnnCourse.csproj");

    public static IReadOnlyList<ExportResult> ExportAll(IReadOnlyList<string> notebooks, string outputDirectory, string? project = null)
    {
        var results = new List<ExportResult>();
        foreach (var notebook in notebooks)
        {
            try
            {
                results.Add(new ExportResult(notebook, ExportOne(notebook, outputDirectory, project), null));
            }
            catch (Exception e) when (e is AppExportException or NotebookInputException or IOException or UnauthorizedAccessException)
            {
                results.Add(new ExportResult(notebook, null, e.Message));
            }
        }
        return results;
    }

    /// <summary>Writes one app (atomically) and returns its path.</summary>
    public static string ExportOne(string notebookPath, string outputDirectory, string? project = null)
    {
        var notebook = Notebook.Load(notebookPath);
        string notebookFull = Path.GetFullPath(notebookPath);
        string notebookFolder = Path.GetDirectoryName(notebookFull)!;
        string? repository = FindRepository(notebookFolder);
        string projectFull = project is not null ? Path.GetFullPath(project)
            : repository is not null ? Path.Combine(repository, LibraryProject)
            : throw new AppExportException(notebookPath, null,
                $"no {LibraryProject} in a folder above the notebook: name the course library's project with --project");
        if (!File.Exists(projectFull) && !Directory.Exists(projectFull))
            throw new AppExportException(notebookPath, null, $"the project {projectFull} does not exist");

        string outputFull = Path.GetFullPath(outputDirectory);
        string appFile = Path.ChangeExtension(Path.GetFileName(notebookFull), ".cs");
        var layout = new AppLayout(
            AppFileName: appFile,
            ProjectPath: Relative(outputFull, projectFull),
            NotebookFolder: Relative(outputFull, notebookFolder),
            NotebookName: repository is not null ? Relative(repository, notebookFull) : Path.GetFileName(notebookFull));
        string text = AppExporter.Export(notebook, layout);
        Directory.CreateDirectory(outputFull);
        string target = Path.Combine(outputFull, appFile);
        AtomicFile.WriteAllText(target, text);
        return target;
    }

    private static string? FindRepository(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, LibraryProject))) return dir.FullName;
        return null;
    }

    /// <summary>A relative path with forward slashes, as <c>#:project</c> and C# string literals read well on every system.</summary>
    private static string Relative(string from, string to) => Path.GetRelativePath(from, to).Replace('\\', '/');
}
