using System.Globalization;
using System.Text;

namespace CnnCourse.Visualization;

/// <summary>
/// Writes SVG markup: numbers in the invariant culture, every text and attribute XML-escaped. The charts
/// no longer use it (ScottPlot draws them); what is left serves <c>ImageGrid.ToSvg</c> and the markup
/// escaping of tables and image grids, and goes when the image grids move to SkiaSharp (lib/README.md).
/// </summary>
internal sealed class SvgWriter
{
    public const string FontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif";
    private readonly StringBuilder sb = new();

    public SvgWriter(double width, double height, string? title)
    {
        this.sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(height))
           .Append("\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(height))
           .Append("\" font-family=\"").Append(FontFamily).Append("\">\n");
        if (!string.IsNullOrEmpty(title)) this.sb.Append("<title>").Append(Escape(title)).Append("</title>\n");
        Rect(0, 0, width, height, "#ffffff");
    }

    /// <summary>A number with at most two decimals, invariant culture ("12.5", "-3", "0.25").</summary>
    public static string N(double v)
    {
        if (!double.IsFinite(v)) v = 0;
        var s = Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }

    /// <summary>Escapes the five XML special characters; drops control characters XML 1.0 forbids.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\t' or '\n' or '\r': sb.Append(c); break;
                default:
                    if (c >= 0x20 && c != '\uFFFE' && c != '\uFFFF') sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    public SvgWriter Raw(string markup)
    {
        this.sb.Append(markup);
        return this;
    }

    public SvgWriter Rect(double x, double y, double w, double h, string fill, string? stroke = null,
                          string? cssClass = null, double strokeWidth = 1, string? extra = null)
    {
        this.sb.Append("<rect");
        if (cssClass != null) this.sb.Append(" class=\"").Append(Escape(cssClass)).Append('"');
        this.sb.Append(" x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(Math.Max(0, w)))
           .Append("\" height=\"").Append(N(Math.Max(0, h))).Append("\" fill=\"").Append(fill).Append('"');
        if (stroke != null) this.sb.Append(" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(strokeWidth)).Append('"');
        if (extra != null) this.sb.Append(' ').Append(extra);
        this.sb.Append("/>\n");
        return this;
    }

    /// <summary>Text at (x, y) on its baseline; anchor is start, middle or end; rotate in degrees about (x, y).</summary>
    public SvgWriter Text(double x, double y, string text, double size, string anchor = "start", string fill = Palette.Text,
                          bool bold = false, double rotate = 0, string? cssClass = null)
    {
        this.sb.Append("<text");
        if (cssClass != null) this.sb.Append(" class=\"").Append(Escape(cssClass)).Append('"');
        this.sb.Append(" x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" font-size=\"").Append(N(size)).Append('"');
        if (anchor != "start") this.sb.Append(" text-anchor=\"").Append(anchor).Append('"');
        if (bold) this.sb.Append(" font-weight=\"bold\"");
        this.sb.Append(" fill=\"").Append(fill).Append('"');
        if (rotate != 0) this.sb.Append(" transform=\"rotate(").Append(N(rotate)).Append(' ').Append(N(x)).Append(' ').Append(N(y)).Append(")\"");
        this.sb.Append('>').Append(Escape(text)).Append("</text>\n");
        return this;
    }

    public override string ToString() => this.sb + "</svg>\n";
}
