using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CnnCourse.Display;

namespace CnnCourse.Visualization;

/// <summary>
/// Several charts side by side in one picture, e.g. the loss and the accuracy curves of one run.
/// Each keeps its own size; the row is as wide as their sum and as tall as the tallest.
/// </summary>
/// <example><code>
/// Chart.Row(Chart.Line("Loss", "epoch").Add("train", loss), Chart.Line("Accuracy", "epoch").Add("train", acc))
/// </code></example>
[TypeFormatterSource(typeof(ChartFormatterSource), PreferredMimeTypes = [MimeTypes.Png, MimeTypes.Plotly, MimeTypes.PlainText])]
public sealed class FigureRow : Figure
{
    private readonly Figure[] figures;

    internal FigureRow(IEnumerable<Figure> figures, string? title)
    {
        this.figures = figures.ToArray();
        if (this.figures.Length == 0) throw new ArgumentException("A row needs at least one figure.", nameof(figures));
        Title = title;
        Width = this.figures.Sum(f => f.Width);
        Height = this.figures.Max(f => f.Height) + (string.IsNullOrEmpty(title) ? 0 : (int)Math.Ceiling(StaticChart.TitleHeight(title)));
    }

    public IReadOnlyList<Figure> Figures => this.figures;

    internal override ScottPlot.Plot CreatePlot() =>
        throw new NotSupportedException("A row is several ScottPlot plots side by side; use ToPng.");

    /// <summary>
    /// The charts side by side in one PNG, drawn by ScottPlot's <see cref="ScottPlot.Multiplot"/>: each
    /// chart in a column as wide as the chart, below the row's title when there is one.
    /// </summary>
    public override byte[] ToPng()
    {
        var plots = this.figures.Select(f => f.CreatePlot()).ToList();
        try
        {
            // A new Multiplot starts with one plot of its own: start it with the first chart instead.
            var multiplot = new ScottPlot.Multiplot(plots[0]);
            foreach (var plot in plots.Skip(1)) multiplot.Subplots.Add(plot);
            multiplot.Layout = new SideBySide(this.figures.Select(f => f.Width).ToArray(), Height - this.figures.Max(f => f.Height));
            using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(Width, Height));
            surface.Canvas.Clear(SkiaSharp.SKColors.White);
            multiplot.Render(surface.Canvas, new ScottPlot.PixelRect(Width, Height));
            if (!string.IsNullOrEmpty(Title)) StaticChart.DrawTitle(surface.Canvas, Title, Width);
            using var image = new ScottPlot.Image(surface);
            return image.GetImageBytes(ScottPlot.ImageFormat.Png, 100);
        }
        finally
        {
            foreach (var plot in plots) plot.Dispose();
        }
    }

    /// <summary>Columns as wide as the charts, left to right, below a strip of <paramref name="top"/> pixels for the title.</summary>
    private sealed class SideBySide(int[] widths, int top) : ScottPlot.IMultiplotLayout
    {
        public ScottPlot.PixelRect[] GetSubplotRectangles(ScottPlot.SubplotCollection subplots, ScottPlot.PixelRect figureRect)
        {
            var rects = new ScottPlot.PixelRect[widths.Length];
            float left = figureRect.Left;
            for (int i = 0; i < widths.Length; i++)
            {
                rects[i] = new ScottPlot.PixelRect(left, left + widths[i], figureRect.Bottom, figureRect.Top + top);
                left += widths[i];
            }
            return rects;
        }
    }

    /// <summary>One Plotly figure with a subplot per chart (independent axes).</summary>
    public override string ToPlotlyJson()
    {
        var traces = new List<JsonObject>();
        var titles = new JsonArray();
        var layout = Plotly.Layout(Title, Width, Height);
        layout["grid"] = new JsonObject { ["rows"] = 1, ["columns"] = this.figures.Length, ["pattern"] = "independent" };
        for (int k = 0; k < this.figures.Length; k++)
        {
            string suffix = k == 0 ? "" : (k + 1).ToString(CultureInfo.InvariantCulture);
            var child = JsonNode.Parse(this.figures[k].ToPlotlyJson())!.AsObject();
            foreach (var trace in child["data"]!.AsArray())
            {
                var t = trace!.DeepClone().AsObject();
                t["xaxis"] = "x" + suffix;
                t["yaxis"] = "y" + suffix;
                traces.Add(t);
            }
            var childLayout = child["layout"]!.AsObject();
            layout["xaxis" + suffix] = childLayout["xaxis"]?.DeepClone() ?? new JsonObject();
            layout["yaxis" + suffix] = childLayout["yaxis"]?.DeepClone() ?? new JsonObject();
            // A figure has one title; each chart's own goes above its subplot, as plotly.py's subplot_titles do.
            if (childLayout["title"]?["text"] is { } title)
                titles.Add(new JsonObject
                {
                    ["text"] = title.DeepClone(),
                    ["xref"] = $"x{suffix} domain",
                    ["yref"] = $"y{suffix} domain",
                    ["x"] = 0.5,
                    ["y"] = 1,
                    ["xanchor"] = "center",
                    ["yanchor"] = "bottom",
                    ["showarrow"] = false,
                });
        }
        if (titles.Count > 0) layout["annotations"] = titles;
        return Plotly.Figure(traces, layout);
    }

    public override string ToString()
    {
        var sb = new StringBuilder($"FigureRow{(Title != null ? $" \"{Title}\"" : "")}: ");
        sb.AppendJoin(" | ", this.figures.Select(f => f.ToString()));
        return sb.ToString();
    }
}
