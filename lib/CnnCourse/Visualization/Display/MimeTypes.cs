namespace CnnCourse.Display;

/// <summary>The MIME types that the course's displayable types produce.</summary>
public static class MimeTypes
{
    public const string PlainText = "text/plain";
    public const string Html = "text/html";
    public const string Svg = "image/svg+xml";
    /// <summary>For a text writer, the PNG's bytes as base64 (no <c>data:</c> prefix), as Jupyter and .NET Interactive expect.</summary>
    public const string Png = "image/png";
    public const string Plotly = "application/vnd.plotly.v1+json";
}
