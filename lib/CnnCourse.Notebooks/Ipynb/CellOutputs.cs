using System.Text;
using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Kernel;

namespace CnnCourse.Notebooks.Ipynb;

/// <summary>
/// Collects one code cell's outputs as they arrive and turns them into nbformat outputs:
/// consecutive writes to the same stream merge into one stream output, displays become
/// <c>display_data</c>, and a display updated later (from any cell) shows its last bundle.
/// </summary>
internal sealed class CellOutputs(DisplayRegistry displays) : IOutputSink
{
    private readonly List<object> _entries = [];
    private readonly object _gate = new();

    private sealed class StreamEntry(string name)
    {
        public string Name { get; } = name;
        public StringBuilder Text { get; } = new();
    }

    public bool IsEmpty
    {
        get { lock (_gate) return _entries.Count == 0; }
    }

    public void WriteStream(string name, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_entries.Count == 0 || _entries[^1] is not StreamEntry last || last.Name != name)
            {
                last = new StreamEntry(name);
                _entries.Add(last);
            }
            last.Text.Append(text);
        }
    }

    public void Display(string displayId, JsonObject data)
    {
        var output = new DisplayOutput(data);
        lock (_gate) _entries.Add(output);
        displays.Register(displayId, output);
    }

    public void UpdateDisplay(string displayId, JsonObject data) => displays.Update(displayId, data);

    public void AddError(CellError error)
    {
        lock (_gate) _entries.Add(error);
    }

    public JsonArray ToJson()
    {
        lock (_gate)
        {
            var outputs = new JsonArray();
            foreach (var entry in _entries)
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

/// <summary>One display's current bundle; its <c>display_data</c> output is written from it at the end.</summary>
internal sealed class DisplayOutput(JsonObject data)
{
    public JsonObject Data { get; set; } = data;

    public JsonObject ToJson() => new()
    {
        ["data"] = Data.DeepClone(),
        ["metadata"] = new JsonObject(),
        ["output_type"] = "display_data",
    };
}

/// <summary>The displays of one notebook run by id, so <c>Update</c> reaches a display in any cell.</summary>
internal sealed class DisplayRegistry
{
    private readonly Dictionary<string, DisplayOutput> _byId = new(StringComparer.Ordinal);

    public void Register(string displayId, DisplayOutput output)
    {
        lock (_byId) _byId[displayId] = output;
    }

    public void Update(string displayId, JsonObject data)
    {
        lock (_byId)
        {
            if (_byId.TryGetValue(displayId, out var output)) output.Data = data;
        }
    }
}
