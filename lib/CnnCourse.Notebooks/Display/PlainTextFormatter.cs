using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace CnnCourse.Notebooks.Display;

/// <summary>
/// The text/plain (and default text/html) form of a value with no formatter of its own, close to
/// the Polyglot kernel's: <c>&lt;null&gt;</c>, scalars in the invariant culture, sequences as
/// <c>[ 1, 2, 3 ]</c> (the first 20 items), objects without their own ToString as their properties.
/// </summary>
internal static class PlainTextFormatter
{
    public const string NullText = "<null>";
    private const int ListLimit = 20;
    private const int DepthLimit = 3;

    public static string Format(object? value) => Format(value, depth: 0);

    private static string Format(object? value, int depth)
    {
        switch (value)
        {
            case null:
                return NullText;
            case string text:
                return text;
            case HtmlString html:
                return html.Value;
            case IFormattable formattable:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            case IEnumerable sequence when depth < DepthLimit:
                return FormatSequence(sequence, depth);
        }
        var type = value.GetType();
        if (OverridesToString(type) || depth >= DepthLimit) return value.ToString() ?? "";
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead)
            .ToList();
        if (properties.Count == 0) return type.FullName ?? type.Name;
        var members = properties.Select(p => $"{p.Name}: {Format(ReadOrDescribe(p, value), depth + 1)}");
        return $"{type.Name} {{ {string.Join(", ", members)} }}";
    }

    private static string FormatSequence(IEnumerable sequence, int depth)
    {
        var builder = new StringBuilder("[ ");
        int shown = 0, more = 0;
        foreach (object? item in sequence)
        {
            if (shown == ListLimit)
            {
                more++;
                continue;
            }
            if (shown > 0) builder.Append(", ");
            builder.Append(Format(item, depth + 1));
            shown++;
        }
        if (more > 0) builder.Append(CultureInfo.InvariantCulture, $" ... ({more} more)");
        return builder.Append(" ]").ToString();
    }

    private static object? ReadOrDescribe(PropertyInfo property, object target)
    {
        try
        {
            return property.GetValue(target);
        }
        catch (TargetInvocationException e)
        {
            return $"({e.InnerException?.GetType().Name ?? "error"})";
        }
    }

    private static bool OverridesToString(Type type) =>
        type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType != typeof(object);

    /// <summary>The kernel's default HTML for a value: its plain text in a &lt;pre&gt;.</summary>
    public static string FormatHtml(object? value) =>
        $"<div class=\"dni-plaintext\"><pre>{HtmlEncode(Format(value))}</pre></div>";

    internal static string HtmlEncode(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
