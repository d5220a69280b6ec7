using System.Text.Json;
using System.Text.Json.Nodes;

namespace CnnCourse.Notebooks.Ipynb;

internal static class MimeTypes
{
    public const string PlainText = "text/plain";
    public const string Html = "text/html";
    public const string Svg = "image/svg+xml";

    /// <summary>application/json and application/*+json: stored in the notebook as JSON, not as text.</summary>
    public static bool IsJson(string mimeType) =>
        mimeType == "application/json" || mimeType.StartsWith("application/", StringComparison.Ordinal) && mimeType.EndsWith("+json", StringComparison.Ordinal);

    /// <summary>Raster images (PNG, JPEG, GIF): stored as base64. SVG is text.</summary>
    public static bool IsBinaryImage(string mimeType) =>
        mimeType.StartsWith("image/", StringComparison.Ordinal) && mimeType != Svg;
}

/// <summary>
/// How one formatted value is stored in a mime bundle, as VS Code stores it: text and SVG as arrays of lines, raster images as base64, JSON MIME
/// types as JSON.
/// </summary>
internal static class BundleValue
{
    public static JsonNode From(string mimeType, string text)
    {
        if (MimeTypes.IsJson(mimeType))
        {
            try
            {
                return JsonNode.Parse(text) ?? JsonValue.Create(text)!;
            }
            catch (JsonException)
            {
                return JsonValue.Create(text)!;
            }
        }
        if (MimeTypes.IsBinaryImage(mimeType)) return JsonValue.Create(Base64Payload(text))!;
        return MultilineText.ToLines(text);
    }

    /// <summary>The base64 of an image: without a data-URI prefix or line breaks, as nbformat stores it.</summary>
    private static string Base64Payload(string text)
    {
        int comma = text.StartsWith("data:", StringComparison.Ordinal) ? text.IndexOf(',') : -1;
        string payload = comma >= 0 ? text[(comma + 1)..] : text;
        return string.Concat(payload.Where(c => !char.IsWhiteSpace(c)));
    }
}
