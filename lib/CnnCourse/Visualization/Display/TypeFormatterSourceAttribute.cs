namespace CnnCourse.Display;

/// <summary>
/// Names the class that formats instances of the marked type for notebooks.
/// </summary>
/// <remarks>
/// This is .NET Interactive's formatter convention, declared here so the library needs no package
/// reference: the Polyglot kernel (and the course's own notebook runner) finds any attribute named
/// exactly <c>TypeFormatterSourceAttribute</c>, reads <see cref="FormatterSourceType"/>, creates it, calls
/// its public <c>IEnumerable&lt;object&gt; CreateTypeFormatters()</c> and uses every returned object that
/// has a public <c>string MimeType</c>, an optional <c>Type Type</c> and a public
/// <c>bool Format(object instance, TextWriter writer)</c>. <see cref="PreferredMimeTypes"/> lists the
/// MIME types a notebook shows by default for the type, in order (see ../shared/DESIGN.md §6).
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
public sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType)
    {
        FormatterSourceType = formatterSourceType;
    }

    /// <summary>A class with a public parameterless constructor and a public <c>CreateTypeFormatters()</c>.</summary>
    public Type FormatterSourceType { get; }

    /// <summary>The MIME types shown by default, richest first; null leaves the choice to the host.</summary>
    public string[]? PreferredMimeTypes { get; set; }
}
