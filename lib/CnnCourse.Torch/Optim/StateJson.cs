using System.Globalization;
using System.Text.Json.Nodes;

namespace CnnCourse.Torch.Optim;

/// <summary>
/// Reading and writing the numbers of optimizer and scheduler state dicts as JSON. JSON has no
/// infinity (ReduceLROnPlateau starts with best = inf), so non-finite numbers are written as the
/// strings "Infinity", "-Infinity" and "NaN" and read back from them.
/// </summary>
internal static class StateJson
{
    internal static JsonNode Number(double value) =>
        double.IsFinite(value) ? JsonValue.Create(value)
        : JsonValue.Create(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");

    internal static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode?)Number(v)).ToArray());

    internal static double ToDouble(JsonNode? node, string key)
    {
        if (node is JsonValue v)
        {
            // In-memory values keep their CLR type; parsed ones convert to any numeric type.
            if (v.TryGetValue<double>(out var d)) return d;
            if (v.TryGetValue<int>(out var i)) return i;
            if (v.TryGetValue<long>(out var l)) return l;
            if (v.TryGetValue<string>(out var s))
                switch (s)
                {
                    case "Infinity": return double.PositiveInfinity;
                    case "-Infinity": return double.NegativeInfinity;
                    case "NaN": return double.NaN;
                }
        }
        throw new ArgumentException($"state dict value '{key}' is not a number");
    }

    internal static JsonNode Required(JsonObject o, string key) =>
        o[key] ?? throw new ArgumentException($"state dict has no '{key}'");

    internal static double Double(JsonObject o, string key) => ToDouble(Required(o, key), key);

    internal static int Int(JsonObject o, string key)
    {
        double d = Double(o, key);
        if (d != Math.Floor(d) || d < int.MinValue || d > int.MaxValue)
            throw new ArgumentException($"state dict value '{key}' is not an integer");
        return (int)d;
    }

    internal static bool Bool(JsonObject o, string key) =>
        Required(o, key) is JsonValue v && v.TryGetValue<bool>(out var b) ? b
        : throw new ArgumentException($"state dict value '{key}' is not a bool");

    internal static string String(JsonObject o, string key) =>
        Required(o, key) is JsonValue v && v.TryGetValue<string>(out var s) ? s
        : throw new ArgumentException($"state dict value '{key}' is not a string");

    internal static double[] Doubles(JsonObject o, string key) =>
        (Required(o, key) as JsonArray ?? throw new ArgumentException($"state dict value '{key}' is not a list"))
        .Select(n => ToDouble(n, key)).ToArray();

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
