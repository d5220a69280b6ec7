using System.Text.Json.Nodes;

namespace CnnCourse.Notebooks.Ipynb;

/// <summary>
/// A failed cell, as nbformat stores it (<c>ename</c>, <c>evalue</c>, <c>traceback</c>), plus where
/// in the notebook's code it happened when that is known.
/// </summary>
/// <param name="Line">The 1-based line of the error within the cell <paramref name="LineCell"/>.</param>
/// <param name="LineCell">The 0-based position of the cell holding <paramref name="Line"/> (for a runtime error, the innermost notebook frame, which
/// may be in an earlier cell that defined a method).</param>
internal sealed record CellError(string Name, string Value, IReadOnlyList<string> Traceback, int? Line = null, int? LineCell = null)
{
    public JsonObject ToOutput() => new()
    {
        ["ename"] = Name,
        ["evalue"] = Value,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(Traceback.Select(line => (JsonNode)line).ToArray()),
    };

    public JsonObject ToJson()
    {
        var json = ToOutput();
        json.Remove("output_type");
        if (Line is int line) json["line"] = line;
        if (LineCell is int cell) json["line_cell"] = cell;
        return json;
    }

    public static CellError FromJson(JsonObject json) => new(
        json["ename"]?.GetValue<string>() ?? "Error",
        json["evalue"]?.GetValue<string>() ?? "",
        json["traceback"] is JsonArray lines ? lines.Select(line => line?.GetValue<string>() ?? "").ToList() : [],
        json["line"]?.GetValue<int>(),
        json["line_cell"]?.GetValue<int>());
}
