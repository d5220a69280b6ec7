using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CnnCourse.Notebooks.Ipynb;

namespace CnnCourse.Notebooks.Display;

/// <summary>
/// Turns a displayed value into an nbformat mime bundle (the <c>data</c> of a <c>display_data</c>),
/// choosing MIME types as the Polyglot kernel does and storing each as VS Code does: text and SVG as
/// arrays of lines, raster images as base64, JSON MIME types as JSON.
/// </summary>
internal static class MimeBundle
{
    private const string HtmlContentInterface = "Microsoft.AspNetCore.Html.IHtmlContent";

    /// <param name="mimeTypes">The MIME types asked for; empty means the value's default ones.</param>
    public static JsonObject Create(object? value, IReadOnlyList<string> mimeTypes)
    {
        var formatters = value is null ? null : ConventionFormatters.For(value.GetType());
        bool explicitRequest = mimeTypes.Count > 0;
        var wanted = explicitRequest ? mimeTypes : DefaultMimeTypes(value, formatters);
        var bundle = new JsonObject();
        foreach (string mimeType in wanted.Distinct())
        {
            string? text = Format(value, mimeType, formatters);
            if (text is null)
            {
                if (explicitRequest)
                    throw new ArgumentException($"No formatter for MIME type {mimeType} is known for a value of type {value?.GetType().FullName ?? "null"}.");
                continue;
            }
            bundle[mimeType] = BundleValue.From(mimeType, text);
        }
        return bundle;
    }

    /// <summary>Convention formatters' types use their preferred MIME types; HTML shows as HTML, strings as text; anything else as text/plain plus the kernel's default text/html.</summary>
    private static IReadOnlyList<string> DefaultMimeTypes(object? value, FormatterSet? formatters)
    {
        if (value is not null && formatters is not null) return formatters.DefaultMimeTypes(value);
        if (IsHtml(value)) return [MimeTypes.Html];
        if (value is string) return [MimeTypes.PlainText];
        return [MimeTypes.PlainText, MimeTypes.Html];
    }

    private static string? Format(object? value, string mimeType, FormatterSet? formatters)
    {
        if (value is not null && formatters?.TryFormat(value, mimeType) is string formatted) return formatted;
        return mimeType switch
        {
            MimeTypes.Html when IsHtml(value) => WriteHtml(value!),
            MimeTypes.Html => PlainTextFormatter.FormatHtml(value),
            MimeTypes.PlainText => PlainTextFormatter.Format(value),
            // display(svgText, "image/svg+xml"), display(pngBytes, "image/png"): the value is the content.
            _ when value is string text => text,
            _ when value is byte[] bytes && MimeTypes.IsBinaryImage(mimeType) => Convert.ToBase64String(bytes),
            _ => null,
        };
    }

    private static bool IsHtml(object? value) =>
        value is HtmlString || value?.GetType().GetInterface(HtmlContentInterface) is not null;

    /// <summary>Our HtmlString, or an ASP.NET Core IHtmlContent (found by name: this assembly does not reference ASP.NET).</summary>
    private static string WriteHtml(object value)
    {
        if (value is HtmlString html) return html.Value;
        var writeTo = value.GetType().GetInterface(HtmlContentInterface)!.GetMethod("WriteTo");
        if (writeTo is null) return value.ToString() ?? "";
        using var writer = new StringWriter();
        ConventionFormatters.Invoke(writeTo, value, [writer, HtmlEncoder.Default]);
        return writer.ToString();
    }
}
