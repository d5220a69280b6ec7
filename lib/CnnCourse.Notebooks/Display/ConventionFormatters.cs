using CnnCourse.Notebooks.Ipynb;
using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace CnnCourse.Notebooks.Display;

/// <summary>
/// .NET Interactive's formatter convention, honoured without referencing .NET Interactive: a type
/// (or a base type) carrying an attribute whose class is named <c>TypeFormatterSourceAttribute</c>
/// (in any namespace) names a formatter source through its <c>FormatterSourceType</c> property. The
/// source's <c>CreateTypeFormatters()</c> returns objects with a <c>string MimeType</c>, an optional
/// <c>Type Type</c> (what they format) and <c>bool Format(object, TextWriter)</c>. The attribute's
/// optional <c>string[] PreferredMimeTypes</c> says which MIME types a display shows by default.
/// Everything is found by name, as the Polyglot kernel finds it, so a library declares its own
/// attribute and works in both.
/// </summary>
internal static class ConventionFormatters
{
    public const string AttributeName = "TypeFormatterSourceAttribute";

    private static readonly ConcurrentDictionary<Type, FormatterSet?> Cache = new();

    /// <summary>The formatters declared for <paramref name="type"/>, or null when it declares none.</summary>
    public static FormatterSet? For(Type type) => Cache.GetOrAdd(type, Discover);

    private static FormatterSet? Discover(Type type)
    {
        var formatters = new List<ConventionFormatter>();
        var preferred = new List<string>();
        foreach (var attribute in type.GetCustomAttributes(inherit: true).Where(a => a.GetType().Name == AttributeName))
        {
            if (ReadProperty(attribute, "FormatterSourceType") is not Type sourceType) continue;
            if (ReadProperty(attribute, "PreferredMimeTypes") is string[] mimeTypes) preferred.AddRange(mimeTypes);
            formatters.AddRange(CreateFormatters(type, sourceType));
        }
        return formatters.Count == 0 ? null : new FormatterSet(formatters, preferred.Distinct().ToList());
    }

    private static IEnumerable<ConventionFormatter> CreateFormatters(Type formattedType, Type sourceType)
    {
        object source = Activator.CreateInstance(sourceType, nonPublic: true)
            ?? throw new InvalidOperationException($"Cannot create the formatter source {sourceType.FullName}.");
        var create = sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)
            ?? throw new InvalidOperationException($"The formatter source {sourceType.FullName} has no public CreateTypeFormatters().");
        if (Invoke(create, source, []) is not IEnumerable created) yield break;
        foreach (object? formatter in created)
        {
            if (formatter is null) continue;
            var formatterType = formatter.GetType();
            var format = formatterType.GetMethod("Format", BindingFlags.Public | BindingFlags.Instance, [typeof(object), typeof(TextWriter)]);
            if (ReadProperty(formatter, "MimeType") is not string mimeType || format is null || format.ReturnType != typeof(bool)) continue;
            var appliesTo = ReadProperty(formatter, "Type") as Type ?? formattedType;
            yield return new ConventionFormatter(formatter, format, mimeType, appliesTo);
        }
    }

    private static object? ReadProperty(object target, string name) =>
        target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(target);

    /// <summary>Calls a member found by reflection, letting the member's own exception surface as itself.</summary>
    internal static object? Invoke(MethodInfo method, object target, object?[] arguments)
    {
        try
        {
            return method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw; // not reached
        }
    }
}

/// <summary>The formatters a type declares, and the MIME types its displays show by default.</summary>
internal sealed class FormatterSet(IReadOnlyList<ConventionFormatter> formatters, IReadOnlyList<string> preferredMimeTypes)
{
    public IReadOnlyList<ConventionFormatter> Formatters { get; } = formatters;

    /// <summary>The attribute's <c>PreferredMimeTypes</c>, or (when it names none) every MIME type the formatters write.</summary>
    public IReadOnlyList<string> DefaultMimeTypes(object value) =>
        preferredMimeTypes.Count > 0
            ? preferredMimeTypes
            : Formatters.Where(f => f.AppliesTo(value)).Select(f => f.MimeType).Distinct().ToList();

    /// <summary>The first formatter for <paramref name="mimeType"/> that accepts the value, or null.</summary>
    public string? TryFormat(object value, string mimeType)
    {
        foreach (var formatter in Formatters.Where(f => f.MimeType == mimeType && f.AppliesTo(value)))
        {
            using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            if (formatter.Format(value, writer)) return writer.ToString();
        }
        return null;
    }
}

/// <summary>One formatter object of the convention, called through reflection.</summary>
internal sealed class ConventionFormatter(object target, MethodInfo format, string mimeType, Type appliesTo)
{
    public string MimeType { get; } = mimeType;

    public bool AppliesTo(object value) => appliesTo.IsInstanceOfType(value);

    public bool Format(object value, TextWriter writer) =>
        ConventionFormatters.Invoke(format, target, [value, writer]) is true;
}
