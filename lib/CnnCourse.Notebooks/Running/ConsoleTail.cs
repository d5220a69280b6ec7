using System.Diagnostics;

namespace CnnCourse.Notebooks.Running;

/// <summary>
/// The last lines a notebook's process wrote outside the notebook's own outputs, kept to say why it
/// died (Environment.FailFast's message, an unhandled exception).
/// </summary>
internal sealed class ConsoleTail
{
    private const int LinesKept = 1000;
    private const int LinesShown = 16;
    private const string ProcessTerminated = "Process terminated.";
    private const string UnhandledException = "Unhandled exception.";

    private readonly Queue<string> lines = new();

    public void Add(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        lock (this.lines)
        {
            this.lines.Enqueue(line);
            while (this.lines.Count > LinesKept) this.lines.Dequeue();
        }
    }

    /// <summary>
    /// From the runtime's last "Process terminated." or "Unhandled exception." on (the reason and the
    /// innermost frames), or else the last lines; with the reason alone when the runtime gave one.
    /// </summary>
    public LastWords LastWords()
    {
        List<string> lines;
        lock (this.lines) lines = [.. this.lines];
        int crash = lines.FindLastIndex(line => line.StartsWith(ProcessTerminated, StringComparison.Ordinal)
                                                || line.StartsWith(UnhandledException, StringComparison.Ordinal));
        if (crash < 0) return new LastWords(null, lines.TakeLast(LinesShown).ToList());
        string? reason = lines[crash].StartsWith(ProcessTerminated, StringComparison.Ordinal)
            ? lines.ElementAtOrDefault(crash + 1)?.Trim()
            : lines[crash][UnhandledException.Length..].Trim();
        return new LastWords(reason, lines.Skip(crash).Take(LinesShown).ToList());
    }
}

/// <summary>Why a child process died, as it said on its way out: the runtime's reason, and the lines around it.</summary>
internal sealed record LastWords(string? Reason, IReadOnlyList<string> Lines)
{
    public override string ToString() => string.Join("\n", Lines).Trim();
}

/// <summary>How a notebook's process is ended, whichever kernel it runs.</summary>
internal static class NotebookProcess
{
    /// <summary>Waits (at most 30 s, then kills) for the process to exit and returns its exit code.</summary>
    public static async Task<int> WaitForExitAsync(Process process)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
        }
        // The parameterless wait also drains redirected output, so the console tail holds the
        // process's last words (a FailFast message) before anyone reads it.
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Kills the process and everything it started.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }
}
