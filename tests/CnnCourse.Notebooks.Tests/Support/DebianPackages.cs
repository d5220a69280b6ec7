using System.Diagnostics;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>A Debian package a test needs, recognised by a file it installs or a Python module it provides.</summary>
internal sealed record DebianPackage(string Name, string? File = null, string? PythonModule = null)
{
    public static readonly DebianPackage JupyterNotebook = new("jupyter-notebook", File: "/usr/bin/jupyter-notebook");
    public static readonly DebianPackage Chromium = new("chromium", File: "/usr/bin/chromium");
    public static readonly DebianPackage ChromiumDriver = new("chromium-driver", File: "/usr/bin/chromedriver");
    public static readonly DebianPackage Selenium = new("python3-selenium", PythonModule: "selenium");
    public static readonly DebianPackage Nbclient = new("python3-nbclient", PythonModule: "nbclient");
    public static readonly DebianPackage JupyterClient = new("python3-jupyter-client", PythonModule: "jupyter_client");
    public static readonly DebianPackage Nbformat = new("python3-nbformat", PythonModule: "nbformat");
}

/// <summary>
/// The system packages behind the tests that run Jupyter's own tools. A missing one fails the test
/// with its name: <c>./course setup</c> installs every one of them (its <c>APT_PACKAGES</c>), and
/// <c>./course test</c> runs setup first, so a missing package is a broken setup, not a reason to skip.
/// </summary>
internal static class DebianPackages
{
    /// <summary>Debian's Python, the one Debian's python3-* packages install into (another python3 may come first on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    public static void Require(params DebianPackage[] packages)
    {
        var missing = new List<string>();
        if (!File.Exists(Python))
            missing.Add($"python3 (no {Python})");
        foreach (var package in packages.Where(p => p.File is not null && !File.Exists(p.File)))
            missing.Add($"{package.Name} (no {package.File})");
        var modules = packages.Where(p => p.PythonModule is not null).ToList();
        if (modules.Count > 0 && File.Exists(Python))
        {
            var absent = MissingPythonModules(modules.Select(p => p.PythonModule!)).ToHashSet();
            missing.AddRange(modules.Where(p => absent.Contains(p.PythonModule!))
                .Select(p => $"{p.Name} ({Python} cannot import {p.PythonModule})"));
        }
        Assert.True(missing.Count == 0,
            $"missing Debian packages: {string.Join(", ", missing)}. ./course setup installs them (they are in its APT_PACKAGES); "
            + $"by hand: sudo apt-get install {string.Join(" ", missing.Select(m => m.Split(' ')[0]))}");
    }

    private static IEnumerable<string> MissingPythonModules(IEnumerable<string> modules)
    {
        const string Script = "import importlib.util, sys\nprint(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))";
        var start = new ProcessStartInfo(Python, ["-c", Script, .. modules]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Python} could not look for modules: {stderr.Result}");
        return stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
