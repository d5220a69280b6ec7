using System.Net;
using System.Text;
using CnnCourse.Display;

namespace CnnCourse.Visualization;

/// <summary>
/// A chart described once in the course's terms and rendered twice: a PNG drawn by ScottPlot
/// (<see cref="ToPng"/>, for GitHub and every static viewer) and Plotly figure JSON
/// (<see cref="ToPlotlyJson"/>, drawn by plotly.js in VS Code and JupyterLab). A notebook shows both
/// in one output: the kernel puts every preferred MIME type in one bundle and each front end picks
/// the richest it can render (../shared/DESIGN.md §5).
/// </summary>
public abstract class Figure
{
    /// <summary>The title drawn above the chart (none when null or empty).</summary>
    public string? Title { get; protected set; }

    /// <summary>Width of the picture in pixels.</summary>
    public int Width { get; protected set; } = 640;

    /// <summary>Height of the picture in pixels.</summary>
    public int Height { get; protected set; } = 400;

    /// <summary>The chart handed to ScottPlot, which lays it out and draws it; the caller disposes it.</summary>
    internal abstract ScottPlot.Plot CreatePlot();

    /// <summary>The chart as a PNG of <see cref="Width"/> × <see cref="Height"/> pixels, drawn by ScottPlot.</summary>
    public virtual byte[] ToPng()
    {
        using var plot = CreatePlot();
        return StaticChart.Png(plot, Width, Height);
    }

    /// <summary>The PNG as base64 (no <c>data:</c> prefix): the <c>image/png</c> value of a notebook output.</summary>
    public string ToBase64Png() => Convert.ToBase64String(ToPng());

    /// <summary>
    /// The chart in Plotly's JSON form ({"data": [...], "layout": {...}}), for the MIME type
    /// application/vnd.plotly.v1+json.
    /// </summary>
    public abstract string ToPlotlyJson();

    /// <summary>An &lt;img&gt; holding the PNG as a data URI, for a host that asks for HTML.</summary>
    public string ToHtml() =>
        $"<img src=\"data:image/png;base64,{ToBase64Png()}\" width=\"{Width}\" height=\"{Height}\" " +
        $"alt=\"{WebUtility.HtmlEncode(Title ?? GetType().Name)}\"/>";

    /// <summary>Writes the PNG to <paramref name="path"/> (creating the folder) and returns the path.</summary>
    public string SavePng(string path) => FileOutput.WriteBytes(path, ToPng());

    /// <summary>Writes the Plotly JSON form and returns the path.</summary>
    public string SavePlotlyJson(string path) => FileOutput.WriteText(path, ToPlotlyJson());

    /// <summary>A one-line description, the text/plain form.</summary>
    public abstract override string ToString();
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

/// <summary>
/// Formats every <see cref="Figure"/>: a PNG (ScottPlot) for static viewers, Plotly figure JSON (drawn
/// by plotly.js) for interactive ones, HTML (an &lt;img&gt; of the PNG) and a one-line text. Each chart
/// type prefers image/png, application/vnd.plotly.v1+json and text/plain, so HTML stays out of the
/// bundle: GitHub would show it instead of the picture.
/// </summary>
public sealed class ChartFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return ConventionFormatter.For<Figure>(MimeTypes.Png, c => c.ToBase64Png());
        yield return ConventionFormatter.For<Figure>(MimeTypes.Plotly, c => c.ToPlotlyJson());
        yield return ConventionFormatter.For<Figure>(MimeTypes.Html, c => c.ToHtml());
        yield return ConventionFormatter.For<Figure>(MimeTypes.PlainText, c => c.ToString());
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
