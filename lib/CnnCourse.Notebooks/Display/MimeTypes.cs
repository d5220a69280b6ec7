namespace CnnCourse.Notebooks.Display;

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
