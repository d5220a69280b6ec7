using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Running;

/// <summary>
/// The runner's own vocabulary for what happens while a notebook runs, into which the kernel's events
/// are translated (<see cref="InteractiveKernel"/>): <c>ready</c>, then per cell <c>cell_started</c>,
/// <c>stream</c> / <c>display</c> / <c>update_display</c> / <c>execute_result</c>, <c>cell_finished</c>,
/// and <c>finished</c> after the last cell (or the first failing one).
/// </summary>
internal static class KernelProtocol
{
    public const string Ready = "ready";
    public const string CellStarted = "cell_started";
    public const string Stream = "stream";
    public const string Display = "display";
    public const string UpdateDisplay = "update_display";
    public const string Result = "execute_result";
    public const string CellFinished = "cell_finished";
    public const string Finished = "finished";

    public static JsonObject Event(string name, params (string Key, JsonNode? Value)[] fields)
    {
        var message = new JsonObject { ["event"] = name };
        foreach (var (key, value) in fields) message[key] = value;
        return message;
    }

    public static string EventName(JsonObject message) => message["event"]?.GetValue<string>() ?? "";
}

/// <summary>A code cell to run: its 0-based position in the notebook, source, and Polyglot kernel name.</summary>
internal sealed record CellToRun(int Position, string Source, string? KernelName);

/// <summary>What the runner asks a kernel to do: run these cells of this notebook, in order, until one fails.</summary>
internal sealed record ExecuteRequest(string NotebookPath, IReadOnlyList<CellToRun> Cells)
{
    /// <summary>The notebook's code cells, in order (the injected-parameters cell among them).</summary>
    public static ExecuteRequest For(Notebook notebook, string notebookPath) =>
        new(notebookPath, notebook.Cells
            .Select((cell, position) => (cell, position))
            .Where(c => c.cell.IsCode)
            .Select(c => new CellToRun(c.position, c.cell.Source, c.cell.KernelName))
            .ToList());
}
