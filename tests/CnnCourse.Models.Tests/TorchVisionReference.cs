using System.Diagnostics;

namespace CnnCourse.Models.Tests;

/// <summary>
/// Runs tests/CnnCourse.Tests/Models/torchvision_reference.py with Debian's Python (torch 1.13,
/// torchvision 0.14) in a temporary folder, deleted on dispose. A missing torchvision fails the test
/// with the fix: these tests are the models' only reference.
/// </summary>
internal sealed class TorchVisionReference : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private TorchVisionReference(string directory) => Directory = directory;

    /// <summary>The folder the script wrote into.</summary>
    public string Directory { get; }

    /// <summary>Runs one command of the script ("inventory", "logits", "fpn", …) for the named models.</summary>
    public static TorchVisionReference Run(string command, IEnumerable<string> names)
    {
        if (!System.IO.File.Exists(Python))
            throw new InvalidOperationException($"{Python} is missing: `./course setup` installs python3-torch and python3-torchvision, the models' reference");
        var dir = System.IO.Directory.CreateTempSubdirectory("cnncourse-models-").FullName;
        var script = Path.Combine(AppContext.BaseDirectory, "Models", "torchvision_reference.py");
        var target = command is "logits" or "fpn" ? dir : Path.Combine(dir, command + ".json");
        var start = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { script, command, target }.Concat(names)) start.ArgumentList.Add(a);
        // One thread: the tests run beside other work on a small machine, and the models are small at 64 px.
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"torchvision_reference.py {command} failed " +
                $"({p.ExitCode}); `./course setup` installs python3-torchvision:\n{stderr.Result}");
        return new TorchVisionReference(dir);
    }

    public string File(string name) => Path.Combine(Directory, name);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
