using System.Text;
using System.Text.Json.Nodes;

namespace CnnCourse.Notebooks.Ipynb;

/// <summary>
/// Collects one code cell's outputs as they arrive and turns them into nbformat outputs:
/// consecutive writes to the same stream merge into one stream output, displays become
/// <c>display_data</c>, and a display updated later (from any cell) shows its last bundle.
/// </summary>
internal sealed class CellOutputs(DisplayRegistry displays)
{
    private readonly List<object> entries = [];
    private readonly object gate = new();

    private sealed class StreamEntry(string name)
    {
        public string Name { get; } = name;
        public StringBuilder Text { get; } = new();
    }

    public bool IsEmpty
    {
        get { lock (gate) return entries.Count == 0; }
    }

    public void WriteStream(string name, string text)
    {
        if (text.Length == 0) return;
        lock (gate)
        {
            if (entries.Count == 0 || entries[^1] is not StreamEntry last || last.Name != name)
            {
                last = new StreamEntry(name);
                entries.Add(last);
            }
            last.Text.Append(text);
        }
    }

    public void Display(string displayId, JsonObject data)
    {
        var output = new DisplayOutput(data);
        lock (gate) entries.Add(output);
        displays.Register(displayId, output);
    }

    public void UpdateDisplay(string displayId, JsonObject data) => displays.Update(displayId, data);

    /// <summary>The value a cell ended with (<c>execute_result</c>), numbered like its cell.</summary>
    public void Result(JsonObject data, int executionCount)
    {
        lock (gate) entries.Add(new DisplayOutput(data, executionCount));
    }

    public void AddError(CellError error)
    {
        lock (gate) entries.Add(error);
    }

    public JsonArray ToJson()
    {
        lock (gate)
        {
            var outputs = new JsonArray();
            foreach (var entry in entries)
            {
                outputs.Add(entry switch
                {
                    StreamEntry stream => new JsonObject
                    {
                        ["name"] = stream.Name,
                        ["output_type"] = "stream",
                        ["text"] = MultilineText.ToLines(stream.Text.ToString()),
                    },
                    DisplayOutput display => display.ToJson(),
                    CellError error => error.ToOutput(),
                    _ => throw new InvalidOperationException($"unknown output {entry}"),
                });
            }
            return outputs;
        }
    }
}

/// <summary>
/// One display's current bundle; its <c>display_data</c> output is written from it at the end (or an
/// <c>execute_result</c>, for the value a cell ended with).
/// </summary>
internal sealed class DisplayOutput(JsonObject data, int? executionCount = null)
{
    public JsonObject Data { get; set; } = data;

    public JsonObject ToJson()
    {
        var output = new JsonObject
        {
            ["data"] = Data.DeepClone(),
            ["metadata"] = new JsonObject(),
            ["output_type"] = executionCount is null ? "display_data" : "execute_result",
        };
        if (executionCount is int count) output["execution_count"] = count;
        return output;
    }
}

/// <summary>The displays of one notebook run by id, so <c>Update</c> reaches a display in any cell.</summary>
internal sealed class DisplayRegistry
{
    private readonly Dictionary<string, DisplayOutput> byId = new(StringComparer.Ordinal);

    public void Register(string displayId, DisplayOutput output)
    {
        lock (byId) byId[displayId] = output;
    }

    /// <summary>Replaces the bundle of the display with this id; false when no display has it.</summary>
    public bool Update(string displayId, JsonObject data)
    {
        lock (byId)
        {
            if (!byId.TryGetValue(displayId, out var output)) return false;
            output.Data = data;
            return true;
        }
    }
}
