using CnnCourse.Notebooks.Cli;
using CnnCourse.Notebooks.Freshness;
using CnnCourse.Notebooks.Running;

namespace CnnCourse.Notebooks;

/// <summary>The command-line entry point: <c>run</c> and <c>check-outputs</c>.</summary>
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

    private static int CheckOutputs(CheckOutputsCommand command)
    {
        var verdicts = OutputFreshness.Check(command.Notebooks);
        foreach (var stale in verdicts.Where(v => !v.IsFresh)) Console.WriteLine(stale.Line);
        int fresh = verdicts.Count(v => v.IsFresh);
        Console.WriteLine($"{verdicts.Count} notebook{(verdicts.Count == 1 ? "" : "s")} checked: {fresh} fresh, {verdicts.Count - fresh} stale");
        return fresh == verdicts.Count ? Passed : Failed;
    }
}
