using CnnCourse.Notebooks.Cli;
using CnnCourse.Notebooks.Export;
using CnnCourse.Notebooks.Freshness;
using CnnCourse.Notebooks.Running;

namespace CnnCourse.Notebooks;

/// <summary>The command-line entry point: <c>run</c>, <c>check-outputs</c> and <c>export</c>.</summary>
internal static class Program
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;
    public const int Interrupted = 130;

    private static async Task<int> Main(string[] args)
    {
        Command command;
        try
        {
            command = CommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(CommandLine.Usage);
            return BadUsage;
        }

        return command switch
        {
            RunCommand run => await RunAsync(run),
            CheckOutputsCommand check => CheckOutputs(check),
            ExportCommand export => Export(export),
            _ => Help(),
        };
    }

    private static int Help()
    {
        Console.WriteLine(CommandLine.Usage);
        return Passed;
    }

    private static async Task<int> RunAsync(RunCommand command)
    {
        if (command.Notebooks.Count == 0)
        {
            Console.WriteLine("no notebooks to run");
            return Passed;
        }
        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // stop the running notebook's process ourselves, and write nothing half-done
            interrupt.Cancel();
        };
        using var progress = new ConsoleProgress(Console.Out, live: !Console.IsOutputRedirected);
        var results = await new NotebookRunner(command.Options, progress).RunAsync(command.Notebooks, interrupt.Token);
        Console.WriteLine();
        Console.Write(RunReport.Format(results));
        if (interrupt.IsCancellationRequested) return Interrupted;
        return results.All(r => r.Succeeded) ? Passed : Failed;
    }

    private static int Export(ExportCommand command)
    {
        var results = NotebookExport.ExportAll(command.Notebooks, command.OutputDirectory, command.Project);
        foreach (var result in results)
            Console.WriteLine(result.Succeeded ? $"{result.Notebook} -> {Path.GetRelativePath(Environment.CurrentDirectory, result.WrittenTo!)}"
                : $"error: {result.Problem}");
        int written = results.Count(r => r.Succeeded);
        Console.WriteLine($"{results.Count} notebook{(results.Count == 1 ? "" : "s")} exported: {written} written, {results.Count - written} failed");
        if (results.FirstOrDefault(r => r.Succeeded) is { } first)
            Console.WriteLine($"run one with: dotnet run {Path.GetRelativePath(Environment.CurrentDirectory, first.WrittenTo!)} -- --help");
        return written == results.Count ? Passed : Failed;
    }

    private static int CheckOutputs(CheckOutputsCommand command)
    {
        var verdicts = OutputFreshness.Check(command.Notebooks);
        foreach (var stale in verdicts.Where(v => !v.IsFresh)) Console.WriteLine(stale.Line);
        int fresh = verdicts.Count(v => v.IsFresh);
        Console.WriteLine($"{verdicts.Count} notebook{(verdicts.Count == 1 ? "" : "s")} checked: {fresh} fresh, {verdicts.Count - fresh} stale");
        return fresh == verdicts.Count ? Passed : Failed;
    }
}
