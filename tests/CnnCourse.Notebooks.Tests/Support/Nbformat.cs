using System.Diagnostics;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>
/// The reference validator: Jupyter's <c>nbformat.validate</c> (Debian's python3-nbformat, which
/// <c>./course setup</c> installs), run on the exact file the runner wrote.
/// </summary>
internal static class Nbformat
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Installed = new(() => Run("-c", "import nbformat").ExitCode == 0);

    public static bool IsInstalled => Installed.Value;

    /// <summary>Fails the test when the file does not validate; does nothing when nbformat is not installed.</summary>
    public static void AssertValid(params string[] paths)
    {
        if (!IsInstalled) return;
        const string Script = """
            import sys, nbformat
            for path in sys.argv[1:]:
                with open(path, encoding="utf-8") as f:
                    nbformat.validate(nbformat.reads(f.read(), as_version=nbformat.NO_CONVERT))
            """;
        var (exitCode, output) = Run(["-c", Script, .. paths]);
        Assert.True(exitCode == 0, $"nbformat.validate rejected {string.Join(", ", paths)}:\n{output}");
    }

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        if (!File.Exists(Python)) return (-1, $"{Python} not found");
        var start = new ProcessStartInfo(Python, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
