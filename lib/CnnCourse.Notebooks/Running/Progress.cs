using System.Diagnostics;

namespace CnnCourse.Notebooks.Running;

/// <summary>What a run reports while it goes.</summary>
internal interface IRunProgress
{
    void NotebookStarted(string path, int ordinal, int count);

    void CellStarted(int codeCell, int codeCells);

    void NotebookFinished(NotebookResult result, int ordinal, int count);
}

/// <summary>Reports nothing (tests, and callers that only want the results).</summary>
internal sealed class SilentProgress : IRunProgress
{
    public static readonly SilentProgress Instance = new();

    public void NotebookStarted(string path, int ordinal, int count) { }

    public void CellStarted(int codeCell, int codeCells) { }

    public void NotebookFinished(NotebookResult result, int ordinal, int count) { }
}

/// <summary>
/// Progress on the console. On a terminal, one status line redrawn in place
/// (<c>[2/5] notebooks/03-lenet.ipynb  cell 4/12  0:37</c>); in a log (not a terminal), a plain line
/// per cell. Either way a line per finished notebook.
/// </summary>
internal sealed class ConsoleProgress : IRunProgress, IDisposable
{
    private readonly TextWriter console;
    private readonly bool live;
    private readonly Timer? redraw;
    private readonly object gate = new();
    private readonly Stopwatch notebookClock = new();
    private string notebook = "";
    private string cell = "starting";

    public ConsoleProgress(TextWriter output, bool live)
    {
        console = output;
        this.live = live;
        if (live) redraw = new Timer(_ => Redraw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    public void NotebookStarted(string path, int ordinal, int count)
    {
        lock (gate)
        {
            this.notebook = $"[{ordinal}/{count}] {path}";
            this.cell = "starting";
            notebookClock.Restart();
            if (this.live) DrawStatus();
            else console.WriteLine($"{this.notebook}: starting");
        }
    }

    public void CellStarted(int codeCell, int codeCells)
    {
        lock (gate)
        {
            this.cell = $"cell {codeCell}/{codeCells}";
            if (this.live) DrawStatus();
            else console.WriteLine($"{this.notebook}: {this.cell} ({NotebookResult.FormatSeconds(notebookClock.Elapsed)})");
        }
    }

    public void NotebookFinished(NotebookResult result, int ordinal, int count)
    {
        lock (gate)
        {
            ClearStatus();
            string line = $"[{ordinal}/{count}] {result.Path}: {result.StatusText} in {result.ElapsedText}";
            console.WriteLine(result.Problem is string problem && !result.Succeeded ? $"{line}: {problem}" : line);
            this.notebook = "";
        }
    }

    private void Redraw()
    {
        lock (gate)
        {
            if (this.notebook.Length > 0) DrawStatus();
        }
    }

    private void DrawStatus()
    {
        var elapsed = notebookClock.Elapsed;
        console.Write($"\r\u001b[K{this.notebook}  {this.cell}  {(int)elapsed.TotalMinutes}:{elapsed.Seconds:00}");
        console.Flush();
    }

    private void ClearStatus()
    {
        if (!this.live) return;
        console.Write("\r\u001b[K");
        console.Flush();
    }

    public void Dispose() => redraw?.Dispose();
}
