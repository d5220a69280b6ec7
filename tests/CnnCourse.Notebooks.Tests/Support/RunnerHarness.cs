using System.Diagnostics;
using CnnCourse.Notebooks.Parameters;
using CnnCourse.Notebooks.Running;

namespace CnnCourse.Notebooks.Tests.Support;

/// <summary>Runs notebooks through the real runner (a fresh kernel process per notebook) from the test process.</summary>
internal static class RunnerHarness
{
    public static async Task<IReadOnlyList<NotebookResult>> RunAsync(RunOptions options, params string[] notebooks) =>
        await new NotebookRunner(options, SilentProgress.Instance).RunAsync(notebooks);

    public static async Task<NotebookResult> RunOneAsync(string notebook, OutputMode output = OutputMode.None, params (string Name, string Value)[] parameters)
    {
        var options = new RunOptions
        {
            Output = output,
            Parameters = parameters.Select(p => new NotebookParameter(p.Name, p.Value)).ToList(),
        };
        return (await RunAsync(options, notebook)).Single();
    }

    /// <summary>The runner's own command line, run as a process from <paramref name="workingDirectory"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunCli(string workingDirectory, params string[] args)
    {
        string dll = typeof(NotebookRunner).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost(), [dll, .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
