namespace CnnCourse.Torch.Display;

/// <summary>
/// .NET Interactive's formatter convention, matched by name, so notebooks show tensors and modules as
/// PyTorch prints them without this assembly referencing any notebook package. (CnnCourse declares
/// its own public copy for charts and tables; this one stays internal so the two never clash.)
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType) => FormatterSourceType = formatterSourceType;

    public Type FormatterSourceType { get; }

    public string[]? PreferredMimeTypes { get; set; }
}

/// <summary>One formatter: a MIME type, the type it formats, and how.</summary>
public sealed class TextFormatter
{
    private readonly Func<object, string> render;

    internal TextFormatter(Type type, string mimeType, Func<object, string> render)
    {
        Type = type;
        MimeType = mimeType;
        this.render = render;
    }

    public string MimeType { get; }

    public Type Type { get; }

    public bool Format(object instance, TextWriter writer)
    {
        if (!Type.IsInstanceOfType(instance)) return false;
        writer.Write(render(instance));
        return true;
    }
}

/// <summary>Shows tensors and modules as PyTorch prints them: text/plain, and text/html as preformatted text.</summary>
public sealed class PrintedFormSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        foreach (var type in new[] { typeof(Tensor), typeof(Modules.Module) })
        {
            yield return new TextFormatter(type, "text/plain", o => o.ToString() ?? "");
            yield return new TextFormatter(type, "text/html", o => "<pre>" + System.Net.WebUtility.HtmlEncode(o.ToString() ?? "") + "</pre>");
        }
    }
}
