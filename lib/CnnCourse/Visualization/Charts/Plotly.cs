using System.Text.Json;
using System.Text.Json.Nodes;

namespace CnnCourse.Visualization;

/// <summary>Builds Plotly figure JSON (application/vnd.plotly.v1+json): {"data": [traces], "layout": {...}}.</summary>
internal static class Plotly
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static JsonObject Layout(string? title, int width, int height)
    {
        var layout = new JsonObject
        {
            ["width"] = width,
            ["height"] = height,
            // plotly.js has no named templates ("plotly_white" is plotly.py's), so the look is spelled out.
            ["paper_bgcolor"] = "#ffffff",
            ["plot_bgcolor"] = "#ffffff",
        };
        if (!string.IsNullOrEmpty(title)) layout["title"] = new JsonObject { ["text"] = title };
        return layout;
    }

    public static JsonObject Axis(string? title, bool log, (double Min, double Max)? range)
    {
        var axis = new JsonObject
        {
            ["gridcolor"] = Palette.Grid,
            ["linecolor"] = Palette.Frame,
            ["showline"] = true,
            ["mirror"] = true,
            ["zeroline"] = false,
        };
        if (!string.IsNullOrEmpty(title)) axis["title"] = new JsonObject { ["text"] = title };
        if (log) axis["type"] = "log";
        if (range is { } r)
            axis["range"] = log ? Numbers([Math.Log10(r.Min), Math.Log10(r.Max)]) : Numbers([r.Min, r.Max]);
        return axis;
    }

    /// <summary>A JSON array of numbers, with null for NaN and infinities (JSON has neither).</summary>
    public static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).Cast<JsonNode?>().ToArray());

    public static JsonArray Strings(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static string Figure(IEnumerable<JsonObject> traces, JsonObject layout) =>
        new JsonObject
        {
            ["data"] = new JsonArray(traces.Cast<JsonNode?>().ToArray()),
            ["layout"] = layout,
        }.ToJsonString(Options);
}
