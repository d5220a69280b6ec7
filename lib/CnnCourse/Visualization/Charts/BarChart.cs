using System.Globalization;
using System.Text.Json.Nodes;
using CnnCourse.Display;

namespace CnnCourse.Visualization;

/// <summary>
/// Bars over named categories, grouped side by side when there are several series: per-class accuracy,
/// parameters per model, time per epoch of two engines.
/// </summary>
/// <example><code>
/// Chart.Bar(classNames, "Per-class recall", yLabel: "recall").Add("LeNet", recallLeNet).Add("ResNet", recallResNet)
/// </code></example>
[TypeFormatterSource(typeof(FigureFormatterSource), PreferredMimeTypes = [MimeTypes.Svg, MimeTypes.PlainText])]
public sealed class BarChart : Figure<BarChart>
{
    private const double LabelFont = 11;
    private readonly List<BarSeries> series = [];
    private (double Min, double Max)? yRange;

    internal BarChart(IEnumerable<string> categories, string? title, string? xLabel, string? yLabel)
    {
        Categories = categories.ToArray();
        if (Categories.Count == 0) throw new ArgumentException("A bar chart needs at least one category.", nameof(categories));
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
    }

    public IReadOnlyList<string> Categories { get; }
    public IReadOnlyList<BarSeries> Series => this.series;
    public string? XLabel { get; private set; }
    public string? YLabel { get; private set; }

    /// <summary>The .NET format of the value printed above each bar; null prints none.</summary>
    public string? ValueFormat { get; private set; }

    /// <summary>Adds one value per category.</summary>
    public BarChart Add(string name, IEnumerable<double> values, string? color = null)
    {
        var v = values.ToArray();
        if (v.Length != Categories.Count)
            throw new ArgumentException($"Series '{name}' has {v.Length} values but the chart has {Categories.Count} categories.");
        this.series.Add(new BarSeries(name, v, color ?? Palette.Cycle(this.series.Count)));
        return this;
    }

    /// <summary>Adds one value per category (floats).</summary>
    public BarChart Add(string name, IEnumerable<float> values, string? color = null) => Add(name, values.Select(v => (double)v), color);

    /// <summary>Adds one value per category (integers, e.g. counts).</summary>
    public BarChart Add(string name, IEnumerable<int> values, string? color = null) => Add(name, values.Select(v => (double)v), color);

    /// <summary>Prints each bar's value above it with a .NET format such as "0.0", "P1" or "N0".</summary>
    public BarChart ShowValues(string format = "0.##")
    {
        ValueFormat = format;
        return this;
    }

    /// <summary>Fixes the value axis to [min, max].</summary>
    public BarChart YRange(double min, double max)
    {
        if (!(max > min)) throw new ArgumentException($"An axis range needs min < max, got [{min}, {max}].");
        yRange = (min, max);
        return this;
    }

    /// <summary>Sets the axis titles.</summary>
    public BarChart Labels(string? xLabel, string? yLabel)
    {
        XLabel = xLabel;
        YLabel = yLabel;
        return this;
    }

    public override string ToSvg()
    {
        var values = this.series.SelectMany(s => s.Values).Where(double.IsFinite).ToList();
        double lo = Math.Min(0, values.DefaultIfEmpty(0).Min()), hi = Math.Max(0, values.DefaultIfEmpty(1).Max());
        if (hi == lo) hi = lo + 1;
        var (d0, d1) = yRange ?? (lo < 0 ? lo - 0.05 * (hi - lo) : lo, hi > 0 ? hi + (ValueFormat != null ? 0.1 : 0.05) * (hi - lo) : hi);
        bool yInt = values.Count > 0 && values.All(v => v == Math.Floor(v));

        // Category labels: horizontal when they fit in their band, else rotated 35 degrees.
        double labelW = Categories.Max(c => TextMetrics.Width(c, LabelFont));
        bool legend = this.series.Count >= 2;
        double top = TopMargin + (legend ? 22 : 0);
        double provisionalBand = (Width - 90.0) / Categories.Count;
        bool rotate = labelW + 6 > provisionalBand;
        double labelDrop = rotate ? Math.Min(labelW * 0.58 + 12, Height * 0.35) : 18;
        double bottom = 16 + labelDrop + (string.IsNullOrEmpty(XLabel) ? 0 : 20);
        double plotH = Height - top - bottom;
        var yTicks = ChartParts.AxisTicks(d0, d1, false, yInt, plotH, true, _ => 0);
        double left = 12 + yTicks.Max(t => TextMetrics.Width(t.Label, 11)) + 8 + (string.IsNullOrEmpty(YLabel) ? 0 : 24);
        if (rotate) left = Math.Max(left, Math.Min(labelW * 0.82, Width * 0.3) - provisionalBand / 2 + 8);
        double right = 16;
        double plotW = Width - left - right;
        double band = plotW / Categories.Count;
        var sy = new Scale(d0, d1, top + plotH, top, false);

        var svg = new SvgWriter(Width, Height, Title);
        DrawTitle(svg);
        svg.OpenGroup("grid");
        foreach (var t in yTicks) svg.Line(left, sy.Map(t.Value), left + plotW, sy.Map(t.Value), Palette.Grid);
        svg.CloseGroup();

        int n = Math.Max(1, this.series.Count);
        double groupW = band * 0.8, barW = groupW / n;
        double zero = sy.Map(Math.Clamp(0, d0, d1));
        svg.OpenGroup("bars");
        for (int s = 0; s < this.series.Count; s++)
        {
            var series = this.series[s];
            for (int c = 0; c < Categories.Count; c++)
            {
                double v = series.Values[c];
                if (!double.IsFinite(v)) continue;
                double x = left + band * c + (band - groupW) / 2 + barW * s;
                double yv = sy.Map(Math.Clamp(v, d0, d1));
                svg.Rect(x + 0.5, Math.Min(yv, zero), barW - 1, Math.Abs(zero - yv), series.Color, cssClass: "bar",
                         extra: $"data-series=\"{SvgWriter.Escape(series.Name)}\" data-category=\"{SvgWriter.Escape(Categories[c])}\"");
                if (ValueFormat != null)
                {
                    string text = v.ToString(ValueFormat, CultureInfo.InvariantCulture);
                    double ty = v >= 0 ? yv - 4 : yv + 12;
                    svg.Text(x + barW / 2, ty, text, Math.Min(11, Math.Max(8, barW / Math.Max(1, text.Length) * 1.6)), "middle", Palette.MutedText,
                        cssClass: "value");
                }
            }
        }
        svg.CloseGroup();
        if (d0 < 0 && d1 > 0) svg.Line(left, zero, left + plotW, zero, Palette.Frame);
        svg.Rect(left, top, plotW, plotH, "none", Palette.Frame, "frame");
        ChartParts.DrawYTicks(svg, sy, left, yTicks);

        int every = rotate ? Math.Max(1, (int)Math.Ceiling(13 / band)) : 1;   // rotated labels at least 13 px apart
        svg.OpenGroup("x-ticks", "font-size=\"11\"");
        for (int c = 0; c < Categories.Count; c += every)
        {
            double cx = left + band * (c + 0.5);
            if (rotate)
                svg.Text(cx + 3, top + plotH + 14, Categories[c], LabelFont, "end", Palette.MutedText, rotate: -35, cssClass: "tick");
            else
                svg.Text(cx, top + plotH + 17, Categories[c], LabelFont, "middle", Palette.MutedText, cssClass: "tick");
        }
        svg.CloseGroup();
        ChartParts.DrawAxisTitles(svg, XLabel, YLabel, left, plotW, top, plotH, Height);
        if (legend)
            ChartParts.DrawLegendRow(svg, this.series.Select(s => new LegendEntry(s.Name, s.Color, false, false, true)).ToList(), left + plotW, top - 9);
        return svg.ToString();
    }

    public override string ToPlotlyJson()
    {
        var layout = Plotly.Layout(Title, Width, Height);
        layout["barmode"] = "group";
        layout["xaxis"] = Plotly.Axis(XLabel, false, null);
        layout["yaxis"] = Plotly.Axis(YLabel, false, yRange);
        return Plotly.Figure(this.series.Select(s => new JsonObject
        {
            ["type"] = "bar",
            ["name"] = s.Name,
            ["x"] = Plotly.Strings(Categories),
            ["y"] = Plotly.Numbers(s.Values),
            ["marker"] = new JsonObject { ["color"] = s.Color },
        }), layout);
    }

    public override string ToString() =>
        $"BarChart \"{Title}\": {Categories.Count} categories x {this.series.Count} series ({string.Join(", ", this.series.Select(s => s.Name))})";
}

/// <summary>One value per category of a <see cref="BarChart"/>, drawn in one colour.</summary>
public sealed record BarSeries(string Name, double[] Values, string Color);
