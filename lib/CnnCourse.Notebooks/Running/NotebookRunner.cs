using System.Diagnostics;
using CnnCourse.Notebooks.Freshness;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Parameters;

namespace CnnCourse.Notebooks.Running;

/// <summary>
/// Runs notebooks one after another, each in a fresh kernel process, so that a crash, a hang or an
/// out-of-memory in one cannot take the others down; every notebook runs even when an earlier one
/// failed. A notebook stops at its first failing cell, with the error recorded in that cell; a cell
/// past its time limit is stopped and named. Executed notebooks are written atomically, stamped for
/// the freshness check.
/// </summary>
internal sealed class NotebookRunner(RunOptions options, IRunProgress progress)
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);
    private const string InterruptedMessage = "interrupted: its process was stopped and the notebook was not written";

    public async Task<IReadOnlyList<NotebookResult>> RunAsync(IReadOnlyList<string> paths, CancellationToken cancellation = default)
    {
        var results = new List<NotebookResult>();
        for (int i = 0; i < paths.Count; i++)
        {
            var result = cancellation.IsCancellationRequested
                ? new NotebookResult(paths[i], NotebookStatus.Interrupted, TimeSpan.Zero) { Message = "not run: the run was interrupted before it" }
                : await RunNotebookAsync(paths[i], i + 1, paths.Count, cancellation);
            results.Add(result);
        }
        return results;
    }

    public async Task<NotebookResult> RunNotebookAsync(string path, int ordinal, int count, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        progress.NotebookStarted(path, ordinal, count);
        NotebookResult result;
        try
        {
            result = await ExecuteAsync(path, clock, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of the runner itself on this notebook: report it and go on with the others.
            result = new NotebookResult(path, NotebookStatus.Crashed, clock.Elapsed)
            {
                Message = $"{path}: the runner failed on this notebook ({e.GetType().Name}: {e.Message})",
            };
        }
        progress.NotebookFinished(result, ordinal, count);
        return result;
    }

    private async Task<NotebookResult> ExecuteAsync(string path, Stopwatch clock, CancellationToken cancellation)
    {
        Notebook notebook;
        Injection injection;
        try
        {
            notebook = Notebook.Load(path);
            injection = ParameterInjector.Inject(notebook, options.Parameters);
        }
        catch (NotebookInputException e)
        {
            return new NotebookResult(path, NotebookStatus.Invalid, clock.Elapsed) { Message = e.Message };
        }
        catch (ParameterException e)
        {
            return new NotebookResult(path, NotebookStatus.Invalid, clock.Elapsed) { Message = $"{path}: {e.Message}" };
        }
        notebook.Normalize();
        foreach (var cell in notebook.Cells.Where(c => c.IsCode)) cell.ClearOutputs();

        var request = ExecuteRequest.For(notebook, Path.GetFullPath(path));
        var execution = new NotebookExecution(notebook, request);
        var (status, message) = await ExecuteInChildAsync(request, execution, clock, cancellation);
        execution.WriteIntoNotebook();

        var result = new NotebookResult(path, status, clock.Elapsed)
        {
            Message = message,
            Failure = execution.Failure,
            Notebook = notebook,
        };
        if (status == NotebookStatus.Interrupted) return result; // never write a notebook cut short by the user

        ExecutionStamp.Write(notebook, injection.Values, status == NotebookStatus.Passed ? "passed" : result.StatusText);
        return Write(result, notebook) with { Elapsed = clock.Elapsed };
    }

    private async Task<(NotebookStatus Status, string? Message)> ExecuteInChildAsync(
        ExecuteRequest request, NotebookExecution execution, Stopwatch clock, CancellationToken cancellation)
    {
        InteractiveKernel kernel;
        try
        {
            kernel = await InteractiveKernel.StartAsync(request, cancellation);
        }
        catch (KernelStartException e)
        {
            return (NotebookStatus.Crashed, $"{request.NotebookPath}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return (NotebookStatus.Interrupted, InterruptedMessage);
        }

        await using (kernel)
        {
            var pending = kernel.ReadEventAsync(cancellation);
            while (true)
            {
                var (deadline, limit) = NextDeadline(execution, clock);
                using var wakeUp = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                var timer = Task.Delay(deadline ?? Timeout.InfiniteTimeSpan, wakeUp.Token);
                var first = await Task.WhenAny(pending, timer);
                if (cancellation.IsCancellationRequested)
                {
                    kernel.Kill();
                    return (NotebookStatus.Interrupted, InterruptedMessage);
                }
                if (first == timer)
                {
                    kernel.Kill();
                    return TimedOut(execution, limit!);
                }
                wakeUp.Cancel();

                var message = await pending;
                if (message is null)
                {
                    int exitCode = await kernel.WaitForExitAsync();
                    return execution.Finished ? Outcome(execution) : Crashed(execution, exitCode, kernel.LastWords());
                }
                if (execution.Apply(message) is int started && execution.ProgressOf(started) is (int number, int count))
                    progress.CellStarted(number, count);
                if (execution.Finished) return Outcome(execution);
                pending = kernel.ReadEventAsync(cancellation);
            }
        }
    }

    private static (NotebookStatus, string?) Outcome(NotebookExecution execution) =>
        execution.Failure is null ? (NotebookStatus.Passed, null) : (NotebookStatus.Failed, null);

    /// <summary>How long until the running cell or the notebook runs out of time, and which limit that is.</summary>
    private (TimeSpan? Wait, string? Limit) NextDeadline(NotebookExecution execution, Stopwatch clock)
    {
        TimeSpan? wait = null;
        string? limit = null;
        if (options.NotebookTimeout is TimeSpan notebookLimit)
        {
            wait = notebookLimit - clock.Elapsed;
            limit = $"the notebook's time limit of {Seconds(notebookLimit)} (--timeout)";
        }
        if (options.CellTimeout is TimeSpan cellLimit && execution.CurrentCellStarted is DateTimeOffset started)
        {
            var cellWait = cellLimit - (DateTimeOffset.UtcNow - started);
            if (wait is null || cellWait < wait)
            {
                wait = cellWait;
                limit = $"the cell time limit of {Seconds(cellLimit)} (--timeout-cell)";
            }
        }
        else if (!execution.Ready)
        {
            // Starting the process and the compiler takes seconds, not minutes: a start that hangs is stopped too.
            var startWait = StartupTimeout - clock.Elapsed;
            if (wait is null || startWait < wait)
            {
                wait = startWait;
                limit = $"the start-up time limit of {Seconds(StartupTimeout)}";
            }
        }
        // Task.Delay takes at most ~49 days; waking up hourly to recompute is as good as waiting longer.
        return (wait is TimeSpan w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, MaxWait.Ticks)) : null, limit);
    }

    private static (NotebookStatus, string?) TimedOut(NotebookExecution execution, string limit)
    {
        if (execution.CurrentCell is int cell)
        {
            string text = $"{execution.Describe(cell)} did not finish within {limit}; its process was stopped";
            execution.FailCurrentCell(new CellError("TimeoutError", text, [text]));
            return (NotebookStatus.TimedOut, null);
        }
        return (NotebookStatus.TimedOut, execution.Ready
            ? $"the notebook did not finish within {limit}; its process was stopped between cells"
            : $"the notebook's process did not start within {limit}; it was stopped");
    }

    private static (NotebookStatus, string?) Crashed(NotebookExecution execution, int exitCode, LastWords lastWords)
    {
        string why = $"the notebook's process exited with code {exitCode}{ExitCodeMeaning(exitCode)}";
        string reason = lastWords.Reason is null ? "" : $": {lastWords.Reason}";
        if (execution.CurrentCell is int cell)
        {
            string text = $"{why} while {execution.Describe(cell)} was running{reason}";
            execution.FailCurrentCell(new CellError("KernelDiedError", text, [text, .. lastWords.Lines]));
            return (NotebookStatus.Crashed, null);
        }
        if (!execution.Ready)
        {
            // Died before it took the notebook (a kernel tool not restored, say): its last lines say why.
            string said = lastWords.Reason ?? lastWords.ToString();
            return (NotebookStatus.Crashed, $"{why} before it was ready{(said.Length == 0 ? "" : $": {said}")}");
        }
        return (NotebookStatus.Crashed, $"{why} between cells{reason}");
    }

    private static string ExitCodeMeaning(int exitCode) => exitCode switch
    {
        134 => " (aborted: SIGABRT, e.g. Environment.FailFast or a native abort)",
        137 => " (killed: SIGKILL, often the out-of-memory killer)",
        139 => " (segmentation fault)",
        _ => "",
    };

    private static string Seconds(TimeSpan time) => NotebookResult.FormatSeconds(time);

    /// <summary>Writes the executed notebook where the options say (temp file + rename); a failure leaves the file as it was.</summary>
    private NotebookResult Write(NotebookResult result, Notebook notebook)
    {
        string? target = options.TargetFor(result.Path);
        if (target is null) return result;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
            AtomicFile.WriteAllText(target, notebook.ToJson());
            return result with { WrittenTo = target };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return result with { WriteError = $"{target}: could not be written ({e.Message}); the file is unchanged" };
        }
    }
}
