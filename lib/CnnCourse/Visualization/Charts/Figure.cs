using System.Text;
using CnnCourse.Display;

namespace CnnCourse.Visualization;

/// <summary>
/// A chart rendered by the course's own code to static SVG (no JavaScript), with an optional Plotly
/// JSON form. In a notebook it shows itself through the formatter convention (../shared/DESIGN.md §6).
/// </summary>
public abstract class Figure
{
    /// <summary>The title drawn above the chart (none when null or empty).</summary>
    public string? Title { get; protected set; }

    /// <summary>Width of the picture in pixels.</summary>
    public int Width { get; protected set; } = 640;

    /// <summary>Height of the picture in pixels.</summary>
    public int Height { get; protected set; } = 400;

    /// <summary>The chart as a standalone SVG document.</summary>
    public abstract string ToSvg();

    /// <summary>
    /// The chart in Plotly's JSON form ({"data": [...], "layout": {...}}), for the MIME type
    /// application/vnd.plotly.v1+json; an interactive extra beside the static SVG.
    /// </summary>
    public abstract string ToPlotlyJson();

    /// <summary>An HTML fragment holding the static picture (the SVG inline, or an &lt;img&gt; of the PNG).</summary>
    public virtual string ToHtml() => "<div class=\"cnn-figure\">" + ToSvg() + "</div>";

    /// <summary>Writes the SVG to <paramref name="path"/> (UTF-8, creating the folder) and returns the path.</summary>
    public string SaveSvg(string path) => FileOutput.WriteText(path, ToSvg());

    /// <summary>Writes a small HTML page holding the SVG and returns the path.</summary>
    public string SaveHtml(string path) =>
        FileOutput.WriteText(path, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + SvgWriter.Escape(Title ?? GetType().Name) +
                                   "</title></head><body>\n" + ToSvg() + "</body></html>\n");

    /// <summary>Writes the Plotly JSON form and returns the path.</summary>
    public string SavePlotlyJson(string path) => FileOutput.WriteText(path, ToPlotlyJson());

    /// <summary>A one-line description, the text/plain form.</summary>
    public abstract override string ToString();

    /// <summary>Draws the title centred above the plot.</summary>
    internal void DrawTitle(SvgWriter svg)
    {
        if (!string.IsNullOrEmpty(Title)) svg.Text(Width / 2.0, 24, Title, 15, "middle", bold: true, cssClass: "title");
    }

    internal double TopMargin => string.IsNullOrEmpty(Title) ? 14 : 40;
}

/// <summary>The fluent part shared by every chart: each method returns the chart itself.</summary>
public abstract class Figure<TSelf> : Figure where TSelf : Figure<TSelf>
{
    /// <summary>Sets the picture's size in pixels.</summary>
    public TSelf Size(int width, int height)
    {
        if (width < 120 || height < 100) throw new ArgumentOutOfRangeException(nameof(width),
            $"A figure needs at least 120 x 100 pixels, got {width} x {height}.");
        Width = width;
        Height = height;
        return (TSelf)this;
    }

    /// <summary>Sets (or with null removes) the title.</summary>
    public TSelf WithTitle(string? title)
    {
        Title = title;
        return (TSelf)this;
    }
}

/// <summary>Formats every <see cref="Figure"/>: SVG, HTML (the SVG inline), Plotly JSON and a one-line text.</summary>
public sealed class FigureFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return ConventionFormatter.For<Figure>(MimeTypes.Svg, f => f.ToSvg());
        yield return ConventionFormatter.For<Figure>(MimeTypes.Html, f => f.ToHtml());
        yield return ConventionFormatter.For<Figure>(MimeTypes.PlainText, f => f.ToString());
        yield return ConventionFormatter.For<Figure>(MimeTypes.Plotly, f => f.ToPlotlyJson());
    }
}

/// <summary>
/// Formats the charts rendered by the libraries: a PNG (ScottPlot) for static viewers, Plotly figure
/// JSON (drawn by plotly.js) for interactive ones, HTML (an &lt;img&gt; of the PNG) and a one-line text.
/// </summary>
public sealed class ChartFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return ConventionFormatter.For<LineChart>(MimeTypes.Png, c => c.ToBase64Png());
        yield return ConventionFormatter.For<LineChart>(MimeTypes.Plotly, c => c.ToPlotlyJson());
        yield return ConventionFormatter.For<LineChart>(MimeTypes.Html, c => c.ToHtml());
        yield return ConventionFormatter.For<LineChart>(MimeTypes.PlainText, c => c.ToString());
    }
}

internal static class FileOutput
{
    public static string WriteText(string path, string text)
    {
        CreateFolder(path);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    public static string WriteBytes(string path, byte[] bytes)
    {
        CreateFolder(path);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void CreateFolder(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
    }
}
