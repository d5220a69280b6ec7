using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace CnnCourse.Display;

/// <summary>
/// The <c>text/plain</c> form of any value, found the way a notebook kernel finds it: through the
/// formatter convention (<see cref="TypeFormatterSourceAttribute"/>, matched by name, so TorchSharp's
/// own attribute on <c>Tensor</c> counts too), else the value's <c>ToString()</c>. What a program
/// prints where a notebook shows a value (the file-based apps of <c>./course export</c>).
/// </summary>
public static class PlainText
{
    private static readonly ConcurrentDictionary<Type, Func<object, string?>?> Formatters = new();

    /// <summary>
    /// The value as text: null as <c>&lt;null&gt;</c>, a string as itself, a type with a
    /// <c>text/plain</c> formatter as that formatter writes it, a sequence as <c>[ a, b, c ]</c>
    /// (each item by these rules), anything else by <c>ToString()</c>.
    /// </summary>
    public static string Of(object? value)
    {
        switch (value)
        {
            case null:
                return "<null>";
            case string text:
                return text;
        }
        if (Formatters.GetOrAdd(value.GetType(), Find) is { } format && format(value) is { } formatted) return formatted;
        if (value is IEnumerable items) return "[ " + string.Join(", ", items.Cast<object?>().Select(Of)) + " ]";
        return value.ToString() ?? "";
    }

    /// <summary>The type's <c>text/plain</c> formatter under the convention, or null when it has none.</summary>
    private static Func<object, string?>? Find(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            var attribute = t.GetCustomAttributes(inherit: false).FirstOrDefault(a => a.GetType().Name == "TypeFormatterSourceAttribute");
            if (attribute?.GetType().GetProperty("FormatterSourceType")?.GetValue(attribute) is not Type sourceType) continue;
            if (Activator.CreateInstance(sourceType, nonPublic: true) is not { } source) continue;
            if (sourceType.GetMethod("CreateTypeFormatters", Type.EmptyTypes)?.Invoke(source, null) is not IEnumerable formatters) continue;
            foreach (var formatter in formatters.Cast<object>())
            {
                var formatterType = formatter.GetType();
                if (formatterType.GetProperty("MimeType")?.GetValue(formatter) is not MimeTypes.PlainText) continue;
                if (formatterType.GetProperty("Type")?.GetValue(formatter) is Type formatted && !formatted.IsAssignableFrom(type)) continue;
                var method = formatterType.GetMethod("Format", [typeof(object), typeof(TextWriter)]);
                if (method is null) continue;
                return value =>
                {
                    using var writer = new StringWriter();
                    return method.Invoke(formatter, [value, writer]) is false ? null : writer.ToString();
                };
            }
        }
        return null;
    }
}
