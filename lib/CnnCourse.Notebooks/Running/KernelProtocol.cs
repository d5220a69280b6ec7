using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;
using CnnCourse.Notebooks.Parameters;

namespace CnnCourse.Notebooks.Running;

/// <summary>
/// The messages between the runner and the child process that runs one notebook, one JSON object a
/// line over a local pipe (not stdout, which native libraries may write to). The runner sends one
/// <see cref="ExecuteRequest"/>; the child answers with events:
/// <c>ready</c>, then per cell <c>cell_started</c>, <c>stream</c> / <c>display</c> / <c>update_display</c> / <c>execute_result</c>,
/// <c>cell_finished</c>, and <c>finished</c> after the last cell (or the first failing one).
/// </summary>
internal static class KernelProtocol
{
    /// <summary>The hidden subcommand the runner starts its own assembly with.</summary>
    public const string KernelCommand = "__kernel";

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

    /// <summary>One line of the pipe: compact JSON (no indentation, so no newlines inside).</summary>
    public static string ToLine(JsonObject message) => message.ToJsonString();
}

/// <summary>A code cell to run: its 0-based position in the notebook, source, Polyglot kernel name, and the name traces give it.</summary>
internal sealed record CellToRun(int Position, string Source, string? KernelName, string Name);

/// <summary>What the runner asks the child to do: run these cells of this notebook, in order, until one fails.</summary>
internal sealed record ExecuteRequest(string NotebookPath, IReadOnlyList<CellToRun> Cells)
{
    public JsonObject ToJson() => new()
    {
        ["notebook"] = NotebookPath,
        ["cells"] = new JsonArray(Cells.Select(c => (JsonNode)new JsonObject
        {
            ["position"] = c.Position,
            ["source"] = c.Source,
            ["kernel"] = c.KernelName,
            ["name"] = c.Name,
        }).ToArray()),
    };

    public static ExecuteRequest FromJson(JsonObject json) => new(
        json["notebook"]!.GetValue<string>(),
        json["cells"]!.AsArray().Select(c => new CellToRun(
            c!["position"]!.GetValue<int>(),
            c["source"]!.GetValue<string>(),
            c["kernel"]?.GetValue<string>(),
            c["name"]!.GetValue<string>())).ToList());

    /// <summary>
    /// The notebook's code cells, named for traces as people count them in the source notebook
    /// ("cell3", all cells counted, the injected-parameters cell left out and named for itself).
    /// </summary>
    public static ExecuteRequest For(Notebook notebook, string notebookPath)
    {
        var cells = new List<CellToRun>();
        int number = 0;
        for (int position = 0; position < notebook.Cells.Count; position++)
        {
            var cell = notebook.Cells[position];
            bool injected = cell.HasTag(ParameterInjector.InjectedTag);
            if (!injected) number++;
            if (cell.IsCode)
                cells.Add(new CellToRun(position, cell.Source, cell.KernelName, injected ? ParameterInjector.InjectedTag : $"cell{number}"));
        }
        return new ExecuteRequest(notebookPath, cells);
    }
}
