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
    private readonly TextWriter _out;
    private readonly bool _live;
    private readonly Timer? _redraw;
    private readonly object _gate = new();
    private readonly Stopwatch _notebookClock = new();
    private string _notebook = "";
    private string _cell = "starting";

    public ConsoleProgress(TextWriter output, bool live)
    {
        _out = output;
        _live = live;
        if (live) _redraw = new Timer(_ => Redraw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    public void NotebookStarted(string path, int ordinal, int count)
    {
        lock (_gate)
        {
            _notebook = $"[{ordinal}/{count}] {path}";
            _cell = "starting";
            _notebookClock.Restart();
            if (_live) DrawStatus();
            else _out.WriteLine($"{_notebook}: starting");
        }
    }

    public void CellStarted(int codeCell, int codeCells)
    {
        lock (_gate)
        {
            _cell = $"cell {codeCell}/{codeCells}";
            if (_live) DrawStatus();
            else _out.WriteLine($"{_notebook}: {_cell} ({NotebookResult.FormatSeconds(_notebookClock.Elapsed)})");
        }
    }

    public void NotebookFinished(NotebookResult result, int ordinal, int count)
    {
        lock (_gate)
        {
            ClearStatus();
            string line = $"[{ordinal}/{count}] {result.Path}: {result.StatusText} in {result.ElapsedText}";
            _out.WriteLine(result.Problem is string problem && !result.Succeeded ? $"{line}: {problem}" : line);
            _notebook = "";
        }
    }

    private void Redraw()
    {
        lock (_gate)
        {
            if (_notebook.Length > 0) DrawStatus();
        }
    }

    private void DrawStatus()
    {
        var elapsed = _notebookClock.Elapsed;
        _out.Write($"\r\u001b[K{_notebook}  {_cell}  {(int)elapsed.TotalMinutes}:{elapsed.Seconds:00}");
        _out.Flush();
    }

    private void ClearStatus()
    {
        if (!_live) return;
        _out.Write("\r\u001b[K");
        _out.Flush();
    }

    public void Dispose() => _redraw?.Dispose();
}
