using System.Globalization;
using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Parameters;

namespace CnnCourse.Notebooks.Running;

/// <summary>
/// The runner's record of one notebook being executed: applies the child's events to the cells'
/// outputs, knows which cell is running (and since when, for its timeout), and finally writes
/// outputs, execution counts and start/end times into the notebook's cells.
/// </summary>
internal sealed class NotebookExecution
{
    private readonly Notebook notebook;
    private readonly List<int> codeCellPositions;
    private readonly DisplayRegistry displays = new();
    private readonly Dictionary<int, CellOutputs> outputs = [];
    private readonly Dictionary<int, int?> executionCounts = [];
    private readonly Dictionary<int, (DateTimeOffset Start, DateTimeOffset? End)> times = [];
    private int? lastStartedCell;

    public NotebookExecution(Notebook notebook, ExecuteRequest request)
    {
        this.notebook = notebook;
        codeCellPositions = request.Cells.Select(c => c.Position).ToList();
    }

    public bool Ready { get; private set; }

    public bool Finished { get; private set; }

    /// <summary>The running cell's position, or null between cells.</summary>
    public int? CurrentCell { get; private set; }

    public DateTimeOffset? CurrentCellStarted => CurrentCell is int cell ? this.times[cell].Start : null;

    /// <summary>The first cell that failed.</summary>
    public CellFailure? Failure { get; private set; }

    /// <summary>
    /// How people find a cell: "cell 7 (code cell 4)", numbered as in the source notebook (an injected
    /// parameters cell is not counted), or "the injected-parameters cell".
    /// </summary>
    public string Describe(int position)
    {
        var cells = this.notebook.Cells;
        if (cells[position].HasTag(ParameterInjector.InjectedTag)) return "the injected-parameters cell";
        var before = cells.Take(position).Where(c => !c.HasTag(ParameterInjector.InjectedTag)).ToList();
        return $"cell {before.Count + 1} (code cell {before.Count(c => c.IsCode) + 1})";
    }

    /// <summary>The 1-based number of a code cell for progress (the injected-parameters cell has none), and how many there are.</summary>
    public (int? Number, int Count) ProgressOf(int position)
    {
        var counted = codeCellPositions.Where(p => !this.notebook.Cells[p].HasTag(ParameterInjector.InjectedTag)).ToList();
        int index = counted.IndexOf(position);
        return (index < 0 ? null : index + 1, counted.Count);
    }

    /// <summary>Applies one event; returns the position of a cell that just started, else null.</summary>
    public int? Apply(JsonObject message)
    {
        switch (KernelProtocol.EventName(message))
        {
            case KernelProtocol.Ready:
                Ready = true;
                break;
            case KernelProtocol.CellStarted:
                int started = message["cell"]!.GetValue<int>();
                CurrentCell = started;
                lastStartedCell = started;
                this.times[started] = (DateTimeOffset.UtcNow, null);
                this.outputs[started] = new CellOutputs(displays);
                return started;
            // Between cells, output of work a cell left running goes to that cell.
            case KernelProtocol.Stream when lastStartedCell is int cell:
                this.outputs[cell].WriteStream(message["name"]!.GetValue<string>(), message["text"]!.GetValue<string>());
                break;
            case KernelProtocol.Display when lastStartedCell is int cell:
                this.outputs[cell].Display(message["id"]!.GetValue<string>(), message["data"]!.AsObject().DeepClone().AsObject());
                break;
            case KernelProtocol.UpdateDisplay:
                string id = message["id"]!.GetValue<string>();
                var data = message["data"]!.AsObject().DeepClone().AsObject();
                // The .NET Interactive kernel (1.0.712001) gives a display's updates an id other than
                // the display's own, so an update can name a display never seen: it is then shown as
                // a new output of the cell running (as VS Code shows it), and later updates replace it.
                if (!displays.Update(id, data) && lastStartedCell is int current) this.outputs[current].Display(id, data);
                break;
            case KernelProtocol.Result when lastStartedCell is int cell:
                this.outputs[cell].Result(message["data"]!.AsObject().DeepClone().AsObject(), message["execution_count"]!.GetValue<int>());
                break;
            case KernelProtocol.CellFinished:
                int finished = message["cell"]!.GetValue<int>();
                this.times[finished] = (this.times[finished].Start, DateTimeOffset.UtcNow);
                bool executed = message["executed"]?.GetValue<bool>() ?? false;
                executionCounts[finished] = executed ? message["execution_count"]?.GetValue<int>() : null;
                if (!executed) this.times.Remove(finished); // a markdown cell in a code cell: not run, no times
                if (message["error"] is JsonObject error) Fail(finished, CellError.FromJson(error));
                CurrentCell = null;
                break;
            case KernelProtocol.Finished:
                Finished = true;
                break;
        }
        return null;
    }

    /// <summary>Records an error the runner itself saw (a timeout, a dead process) in the running cell.</summary>
    public void FailCurrentCell(CellError error)
    {
        if (CurrentCell is not int cell) return;
        this.times[cell] = (this.times[cell].Start, DateTimeOffset.UtcNow);
        // The kernel had counted this cell when it started it: the count after the last one it reported.
        executionCounts[cell] = executionCounts.Values.Max(count => count) is int last ? last + 1 : 1;
        Fail(cell, error);
        CurrentCell = null;
    }

    private void Fail(int position, CellError error)
    {
        this.outputs[position].AddError(error);
        string? lineCell = error.LineCell is int other && other != position && other < this.notebook.Cells.Count ? Describe(other) : null;
        Failure ??= new CellFailure(position, Describe(position), error, lineCell, SourceLine(error));
    }

    private string? SourceLine(CellError error)
    {
        if (error.Line is not int line || error.LineCell is not int cell || cell >= this.notebook.Cells.Count) return null;
        string[] lines = this.notebook.Cells[cell].Source.Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1] : null;
    }

    /// <summary>Puts every cell's outputs, execution count and start/end times into the notebook.</summary>
    public void WriteIntoNotebook()
    {
        foreach (var (position, outputs) in this.outputs)
        {
            var cell = this.notebook.Cells[position];
            cell.Json["outputs"] = outputs.ToJson();
            cell.Json["execution_count"] = executionCounts.GetValueOrDefault(position) is int count ? count : null;
            if (this.times.TryGetValue(position, out var time))
            {
                // nbformat's place for timings (what JupyterLab records): when the cell started and replied.
                var execution = new JsonObject { ["iopub.execute_input"] = Timestamp(time.Start) };
                if (time.End is DateTimeOffset end) execution["shell.execute_reply"] = Timestamp(end);
                cell.Metadata["execution"] = execution;
            }
        }
    }

    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
