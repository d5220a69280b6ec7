using System.Diagnostics;
using System.Globalization;
using System.Text;
using CnnCourse.Notebooks.Export;
using CnnCourse.Notebooks.Tests.Support;
using Xunit.Abstractions;

namespace CnnCourse.Notebooks.Tests;

/// <summary>
/// The course's notebooks exported as file-based apps: every one builds (<c>dotnet build app.cs</c>,
/// one after the other, each build timed), and the first four run in quick mode and print what their
/// notebooks print. In Release, so the apps use the library <c>./course test</c> has just built (a
/// user's plain <c>dotnet run app.cs</c> builds the same sources in Debug first).
/// </summary>
[Collection(CourseProcesses.Name)]
public sealed class ExportedAppTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>Under the repository (ignored by git), so each app's #:project reaches lib/CnnCourse.</summary>
    private static string AppsDirectory(string name) => Path.Combine(CourseNotebooks.RepositoryRoot, "artifacts", "app-tests", name);

    [Fact]
    public void Every_lesson_exported_builds()
    {
        var notebooks = CourseNotebooks.Find().Select(p => Path.Combine(CourseNotebooks.RepositoryRoot, p)).ToList();
        if (notebooks.Count == 0) return;
        string folder = AppsDirectory("build");
        var results = NotebookExport.ExportAll(notebooks, folder);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Problem));

        var times = new StringBuilder();
        var failures = new List<string>();
        var all = Stopwatch.StartNew();
        foreach (var app in results.Select(r => r.WrittenTo!))
        {
            var build = Dotnet(folder, "build", "-c", "Release", Path.GetFileName(app), "-nologo", "-v:q", "-clp:NoSummary");
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(app)}: {(build.ExitCode == 0 ? "built" : "FAILED")} in {build.Elapsed.TotalSeconds:F1} s");
            times.AppendLine(line);
            output.WriteLine(line);
            if (build.ExitCode != 0) failures.Add($"{Path.GetFileName(app)} (exit code {build.ExitCode}):\n{Errors(build.Output)}");
        }
        string total = string.Create(CultureInfo.InvariantCulture, $"{results.Count} apps built one after the other in {all.Elapsed.TotalSeconds:F0} s");
        times.AppendLine(total);
        output.WriteLine(total);
        File.WriteAllText(Path.Combine(folder, "build-times.txt"), times.ToString());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>A value each lesson prints in quick mode (01: the lesson's worked example, as TorchSharp writes a tensor).</summary>
    public static TheoryData<string, string> QuickLessons => new()
    {
        { "00-getting-started", "largest difference between autograd and the hand-derived derivative: 0.0E+000" },
        { "01-convolution", "[3x3], type = Float32, device = cpu\n 4 3 4\n 2 4 3\n 2 3 4\n" },
        { "02-pooling", "fully connected weights (without biases): 31,360 vs 640, 49× = H·W of the 7 × 7 map" },
        { "03-lenet", "Total params: 61,706" },
    };

    [Theory]
    [MemberData(nameof(QuickLessons))]
    public void A_lesson_runs_as_an_app_in_quick_mode(string lesson, string printed)
    {
        string notebook = Path.Combine(CourseNotebooks.Directory, lesson + ".ipynb");
        Assert.True(File.Exists(notebook), $"no {notebook}");
        string folder = AppsDirectory("run");
        string app = NotebookExport.ExportOne(notebook, folder);

        var run = Dotnet(folder, "run", "-c", "Release", Path.GetFileName(app), "--", "--Quick", "true");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{lesson}: exit code {run.ExitCode} after {run.Elapsed.TotalSeconds:F1} s (build included)"));
        Assert.True(run.ExitCode == 0, $"{lesson}: exit code {run.ExitCode}:\n{Tail(run.Output)}");
        Assert.Contains("parameters: Quick = true\n", run.Output);
        Assert.Contains(printed, run.Output);
    }

    private sealed record Result(int ExitCode, string Output, TimeSpan Elapsed);

    /// <summary>The dotnet host with these arguments in <paramref name="folder"/>; stdout and stderr together, lines ending in \n.</summary>
    private static Result Dotnet(string folder, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost(), args)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The test host runs under `dotnet test`, whose MSBuild settings must not leak into another build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // As ./course test: a libtorch thread waits passively, so a shared machine does not slow it many times over.
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null) start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        var text = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (text) text.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (text) text.Append(e.Data).Append('\n'); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (text) return new Result(-1, text + $"\n(stopped after {Limit.TotalMinutes} minutes)", clock.Elapsed);
        }
        process.WaitForExit(); // the output's last lines
        lock (text) return new Result(process.ExitCode, text.ToString(), clock.Elapsed);
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }

    private static string Errors(string buildOutput) =>
        string.Join("\n", buildOutput.Split('\n').Where(l => l.Contains(": error ")).Distinct().Take(20)) is { Length: > 0 } errors ? errors
            : Tail(buildOutput);

    private static string Tail(string text, int lines = 40) => string.Join("\n", text.Split('\n').TakeLast(lines));
}
