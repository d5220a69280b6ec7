using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CnnCourse.Notebooks.Ipynb;

/// <summary>
/// Reads and writes .ipynb JSON the way VS Code's ipynb serializer writes it: keys sorted
/// recursively (ordinal, as JavaScript's <c>sort()</c>), one space of indentation, strings escaped
/// as <c>JSON.stringify</c> escapes them, numbers as JavaScript prints them, and a trailing newline.
/// Writing the same notebook twice gives the same bytes, so re-running an unchanged notebook gives
/// a minimal diff, and saving it again in VS Code changes nothing.
/// </summary>
internal static class NotebookJson
{
    public static JsonNode? Parse(string text) =>
        JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });

    public static string Serialize(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node, depth: 0);
        builder.Append('\n');
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                WriteObject(builder, obj, depth);
                break;
            case JsonArray array:
                WriteArray(builder, array, depth);
                break;
            case JsonValue value:
                WriteValue(builder, value);
                break;
        }
    }

    private static void WriteObject(StringBuilder builder, JsonObject obj, int depth)
    {
        if (obj.Count == 0)
        {
            builder.Append("{}");
            return;
        }
        var keys = obj.Select(pair => pair.Key).ToList();
        keys.Sort(string.CompareOrdinal);
        builder.Append("{\n");
        for (int i = 0; i < keys.Count; i++)
        {
            Indent(builder, depth + 1);
            WriteString(builder, keys[i]);
            builder.Append(": ");
            Write(builder, obj[keys[i]], depth + 1);
            builder.Append(i < keys.Count - 1 ? ",\n" : "\n");
        }
        Indent(builder, depth);
        builder.Append('}');
    }

    private static void WriteArray(StringBuilder builder, JsonArray array, int depth)
    {
        if (array.Count == 0)
        {
            builder.Append("[]");
            return;
        }
        builder.Append("[\n");
        for (int i = 0; i < array.Count; i++)
        {
            Indent(builder, depth + 1);
            Write(builder, array[i], depth + 1);
            builder.Append(i < array.Count - 1 ? ",\n" : "\n");
        }
        Indent(builder, depth);
        builder.Append(']');
    }

    private static void Indent(StringBuilder builder, int depth) => builder.Append(' ', depth);

    private static void WriteValue(StringBuilder builder, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(builder, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Number:
                WriteNumber(builder, value);
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static void WriteNumber(StringBuilder builder, JsonValue value)
    {
        if (value.TryGetValue(out JsonElement element))
        {
            if (element.TryGetInt64(out long whole)) builder.Append(whole.ToString(CultureInfo.InvariantCulture));
            else builder.Append(JavaScriptNumber(element.GetDouble()));
        }
        else if (value.TryGetValue(out int i)) builder.Append(i.ToString(CultureInfo.InvariantCulture));
        else if (value.TryGetValue(out long l)) builder.Append(l.ToString(CultureInfo.InvariantCulture));
        else if (value.TryGetValue(out double d)) builder.Append(JavaScriptNumber(d));
        else if (value.TryGetValue(out float f)) builder.Append(JavaScriptNumber(f));
        else builder.Append(JavaScriptNumber(Convert.ToDouble(value.GetValue<object>(), CultureInfo.InvariantCulture)));
    }

    /// <summary>A double as JavaScript's Number.prototype.toString prints it (shortest round trip).</summary>
    internal static string JavaScriptNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return "null"; // what JSON.stringify writes
        if (value == 0) return "0";
        // "R" gives the shortest digits that round-trip, in one of two layouts; normalise them to
        // digits and a decimal exponent, then lay them out by JavaScript's rules.
        string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponentAt = shortest.IndexOfAny(['E', 'e']);
        string mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        int exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.');
        string digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        int integerDigits = point < 0 ? mantissa.Length : point;
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        if (digits.Length == 0) return "0";
        // value = 0.d1d2...dk x 10^n
        int n = integerDigits - leadingZeros + exponent;
        int k = digits.Length;
        string text;
        if (k <= n && n <= 21) text = digits + new string('0', n - k);
        else if (0 < n && n <= 21) text = digits[..n] + "." + digits[n..];
        else if (-6 < n && n <= 0) text = "0." + new string('0', -n) + digits;
        else
        {
            string e = (n - 1 >= 0 ? "+" : "-") + Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture);
            text = k == 1 ? digits + "e" + e : digits[0] + "." + digits[1..] + "e" + e;
        }
        return value < 0 ? "-" + text : text;
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20) AppendUnicodeEscape(builder, c);
                    else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        builder.Append(c).Append(text[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c)) AppendUnicodeEscape(builder, c); // a lone surrogate, as well-formed JSON.stringify
                    else builder.Append(c);
                    break;
            }
        }
        builder.Append('"');
    }

    private static void AppendUnicodeEscape(StringBuilder builder, char c) =>
        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
