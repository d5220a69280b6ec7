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
[TypeFormatterSource(typeof(ChartFormatterSource), PreferredMimeTypes = [MimeTypes.Png, MimeTypes.Plotly, MimeTypes.PlainText])]
public sealed class BarChart : Figure<BarChart>
{
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

    internal override ScottPlot.Plot CreatePlot()
    {
        var plot = StaticChart.Create(Title, XLabel, YLabel);
        // Each category's group fills this share of its slot; the rest is the gap between groups.
        const double groupWidth = 0.8;
        double barWidth = groupWidth / Math.Max(1, this.series.Count);
        for (int s = 0; s < this.series.Count; s++)
        {
            var series = this.series[s];
            var bars = Enumerable.Range(0, Categories.Count).Where(c => double.IsFinite(series.Values[c])).Select(c => new ScottPlot.Bar
            {
                Position = c - groupWidth / 2 + barWidth * (s + 0.5),
                Value = series.Values[c],
                Size = barWidth,
                FillColor = ScottPlot.Color.FromHex(series.Color),
                LineWidth = 0,
                Label = ValueFormat is null ? "" : series.Values[c].ToString(ValueFormat, CultureInfo.InvariantCulture),
            }).ToArray();
            var barPlot = plot.Add.Bars(bars);
            barPlot.LegendText = series.Name;
            barPlot.ValueLabelStyle.FontName = plot.Axes.Bottom.TickLabelStyle.FontName;
            barPlot.ValueLabelStyle.ForeColor = ScottPlot.Color.FromHex(Palette.MutedText);
        }
        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
        var values = this.series.SelectMany(s => s.Values).Where(double.IsFinite).ToList();
        if (values.Count > 0 && values.All(v => v == Math.Floor(v)))
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // Bars grow from zero: no margin below them when no value is negative.
        if (values.All(v => v >= 0)) plot.Axes.Margins(bottom: 0);
        plot.Axes.AutoScale();
        if (yRange is { } y) plot.Axes.SetLimitsY(y.Min, y.Max);
        plot.Axes.SetLimitsX(-0.5, Categories.Count - 0.5);
        StaticChart.CategoryTicks(plot, plot.Axes.Bottom, [.. Enumerable.Range(0, Categories.Count).Select(c => (double)c)], Categories, Width, Height);
        if (ValueFormat is not null) FitValueLabels(plot, barWidth);
        if (this.series.Count >= 2) plot.ShowLegend(ScottPlot.Edge.Right);
        else plot.HideLegend();
        return plot;
    }

    /// <summary>Shrinks the value labels until the widest is no wider than a bar as ScottPlot laid the bars out.</summary>
    private void FitValueLabels(ScottPlot.Plot plot, double barWidth)
    {
        plot.RenderInMemory(Width, Height);
        double barPixels = Math.Abs(plot.Axes.Bottom.GetPixelDistance(barWidth, plot.LastRender.DataRect));
        using var paint = ScottPlot.Paint.NewDisposablePaint();
        foreach (var barPlot in plot.GetPlottables<ScottPlot.Plottables.BarPlot>())
        {
            var style = barPlot.ValueLabelStyle;
            double widest = barPlot.Bars.Max(b => style.Measure(b.Label, paint).Width);
            if (widest > barPixels) style.FontSize = (float)(style.FontSize * barPixels / widest);
        }
    }

    public override string ToPlotlyJson()
    {
        var layout = Plotly.Layout(Title, Width, Height);
        layout["barmode"] = "group";
        layout["xaxis"] = Plotly.Axis(XLabel, false, null);
        layout["yaxis"] = Plotly.Axis(YLabel, false, yRange);
        return Plotly.Figure(this.series.Select(s =>
        {
            var trace = new JsonObject
            {
                ["type"] = "bar",
                ["name"] = s.Name,
                ["x"] = Plotly.Strings(Categories),
                ["y"] = Plotly.Numbers(s.Values),
                ["marker"] = new JsonObject { ["color"] = s.Color },
            };
            if (ValueFormat is not null)
            {
                trace["text"] = Plotly.Strings(s.Values.Select(v => double.IsFinite(v) ? v.ToString(ValueFormat, CultureInfo.InvariantCulture) : ""));
                trace["textposition"] = "outside";
            }
            return trace;
        }), layout);
    }

    public override string ToString() =>
        $"BarChart \"{Title}\": {Categories.Count} categories x {this.series.Count} series ({string.Join(", ", this.series.Select(s => s.Name))})";
}

/// <summary>One value per category of a <see cref="BarChart"/>, drawn in one colour.</summary>
public sealed record BarSeries(string Name, double[] Values, string Color);
