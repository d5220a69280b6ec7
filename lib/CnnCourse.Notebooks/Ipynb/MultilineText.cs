using System.Text;
using System.Text.Json.Nodes;

namespace CnnCourse.Notebooks.Ipynb;

/// <summary>nbformat's "multiline string": one string, or an array of lines that each keep their "\n".</summary>
internal static class MultilineText
{
    /// <summary>Splits as VS Code does: every line but the last keeps its "\n"; an empty last line is dropped.</summary>
    public static JsonArray ToLines(string text)
    {
        var lines = new JsonArray();
        if (text.Length == 0) return lines;
        string[] parts = text.Split('\n');
        for (int i = 0; i < parts.Length; i++)
        {
            string line = i < parts.Length - 1 ? parts[i] + "\n" : parts[i];
            if (line.Length > 0) lines.Add(line);
        }
        return lines;
    }

    /// <summary>Joins a string or an array of lines (adding the "\n" a line written without one lacks).</summary>
    public static string Join(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "";
            case JsonArray lines:
                var builder = new StringBuilder();
                for (int i = 0; i < lines.Count; i++)
                {
                    string line = lines[i]?.GetValue<string>() ?? "";
                    builder.Append(line);
                    if (i < lines.Count - 1 && !line.EndsWith('\n')) builder.Append('\n');
                }
                return builder.ToString();
            default:
                return node.GetValue<string>();
        }
    }

    /// <summary>True when the node is a string or an array of strings.</summary>
    public static bool IsMultilineText(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String
        || node is JsonArray array && array.All(item => item is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String);
}
