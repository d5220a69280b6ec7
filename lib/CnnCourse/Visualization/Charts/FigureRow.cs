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
[TypeFormatterSource(typeof(FigureFormatterSource), PreferredMimeTypes = [MimeTypes.Svg, MimeTypes.PlainText])]
public sealed class FigureRow : Figure
{
    private readonly Figure[] figures;

    internal FigureRow(IEnumerable<Figure> figures, string? title)
    {
        this.figures = figures.ToArray();
        if (this.figures.Length == 0) throw new ArgumentException("A row needs at least one figure.", nameof(figures));
        Title = title;
        Width = this.figures.Sum(f => f.Width);
        Height = this.figures.Max(f => f.Height) + (string.IsNullOrEmpty(title) ? 0 : 30);
    }

    public IReadOnlyList<Figure> Figures => this.figures;

    public override string ToSvg()
    {
        var svg = new SvgWriter(Width, Height, Title);
        DrawTitle(svg);
        double x = 0, y = string.IsNullOrEmpty(Title) ? 0 : 30;
        foreach (var f in this.figures)
        {
            svg.OpenGroup("panel", $"transform=\"translate({SvgWriter.N(x)} {SvgWriter.N(y)})\"");
            svg.Raw(f.ToSvg());
            svg.CloseGroup();
            x += f.Width;
        }
        return svg.ToString();
    }

    /// <summary>One Plotly figure with a subplot per chart (independent axes).</summary>
    public override string ToPlotlyJson()
    {
        var traces = new List<JsonObject>();
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
            var xaxis = childLayout["xaxis"]?.DeepClone() ?? new JsonObject();
            var yaxis = childLayout["yaxis"]?.DeepClone() ?? new JsonObject();
            if (xaxis["title"] == null && childLayout["title"] != null) xaxis["title"] = childLayout["title"]!.DeepClone();
            layout["xaxis" + suffix] = xaxis;
            layout["yaxis" + suffix] = yaxis;
        }
        return Plotly.Figure(traces, layout);
    }

    public override string ToString()
    {
        var sb = new StringBuilder($"FigureRow{(Title != null ? $" \"{Title}\"" : "")}: ");
        sb.AppendJoin(" | ", this.figures.Select(f => f.ToString()));
        return sb.ToString();
    }
}
