using System.Text.Json.Nodes;
using CnnCourse.Display;

namespace CnnCourse.Visualization;

/// <summary>
/// Points with optional text labels, in named groups: parameters vs accuracy of the course's models,
/// FLOPs vs latency. Each label is written to the right of its point.
/// </summary>
/// <example><code>
/// Chart.Scatter("Size vs accuracy", "parameters", "top-1 accuracy").LogScaleX()
///      .Add("CNNs", parameters, accuracy, labels: names)
/// </code></example>
[TypeFormatterSource(typeof(ChartFormatterSource), PreferredMimeTypes = [MimeTypes.Png, MimeTypes.Plotly, MimeTypes.PlainText])]
public sealed class ScatterChart : XYChart<ScatterChart>
{
    /// <summary>The markers' diameter in pixels.</summary>
    private const float MarkerSize = 8;
    private readonly List<ScatterGroup> groups = [];

    internal ScatterChart(string? title, string? xLabel, string? yLabel)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
    }

    public IReadOnlyList<ScatterGroup> Groups => this.groups;

    /// <summary>Adds a group of points, each with an optional label (null or empty for none).</summary>
    public ScatterChart Add(string name, IEnumerable<double> xs, IEnumerable<double> ys, IEnumerable<string?>? labels = null, string? color = null)
    {
        var x = xs.ToArray();
        var y = ys.ToArray();
        var l = labels?.ToArray() ?? new string?[x.Length];
        if (x.Length != y.Length || l.Length != x.Length)
            throw new ArgumentException($"Group '{name}' has {x.Length} x values, {y.Length} y values and {l.Length} labels; they must match.");
        this.groups.Add(new ScatterGroup(name, x, y, l, color ?? Palette.Cycle(this.groups.Count)));
        return this;
    }

    /// <summary>Adds one labelled point as its own group (it gets its own colour and legend entry).</summary>
    public ScatterChart Add(string name, double x, double y, string? label = null, string? color = null) =>
        Add(name, [x], [y], [label ?? name], color);

    internal override ScottPlot.Plot CreatePlot()
    {
        var plot = StaticChart.Create(Title, XLabel, YLabel);
        var drawn = new List<IReadOnlyList<(double X, double Y)>>();
        var labelled = new List<(double X, string Text)>();
        foreach (var g in this.groups)
        {
            var kept = Enumerable.Range(0, g.X.Length).Where(i => Keep(g.X[i], g.Y[i])).ToArray();
            var points = kept.Select(i => (X: StaticChart.Coordinate(g.X[i], LogX), Y: StaticChart.Coordinate(g.Y[i], LogY))).ToList();
            var color = ScottPlot.Color.FromHex(g.Color);
            var markers = plot.Add.ScatterPoints(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), color);
            markers.MarkerSize = MarkerSize;
            markers.LegendText = g.Name;
            // Each label to the right of its point, as Plotly's "middle right" puts it.
            foreach (var (i, p) in kept.Zip(points))
            {
                if (string.IsNullOrEmpty(g.Labels[i])) continue;
                var label = plot.Add.Text(g.Labels[i]!, p.X, p.Y);
                labelled.Add((p.X, g.Labels[i]!));
                label.LabelAlignment = ScottPlot.Alignment.MiddleLeft;
                label.OffsetX = MarkerSize;
                label.LabelFontColor = ScottPlot.Color.FromHex(Palette.Text);
                label.LabelFontName = plot.Axes.Bottom.TickLabelStyle.FontName;
                label.LabelFontSize = plot.Axes.Bottom.TickLabelStyle.FontSize;
            }
            // For the legend's placement every point counts as an obstacle of its own, not as a line.
            drawn.AddRange(points.Select(p => (IReadOnlyList<(double X, double Y)>)[p]));
        }
        StaticChart.Axes(plot, drawn.SelectMany(p => p).ToList(), LogX, LogY, FixedX, FixedY);
        if (FixedX is null) MakeRoomForLabels(plot, labelled);
        if (this.groups.Count >= 2) StaticChart.Legend(plot, Legend, this.groups.Count, drawn);
        else plot.HideLegend();
        return plot;
    }

    /// <summary>
    /// Widens the x axis so the labels of the right-most points end inside the plot: ScottPlot fits the
    /// axes to the points, not to their text. With the data area D pixels wide from x = left, a label w
    /// pixels wide beside a point at x ends inside when right ≥ (x − left·f) / (1 − f), f = w / D.
    /// </summary>
    private void MakeRoomForLabels(ScottPlot.Plot plot, List<(double X, string Text)> labelled)
    {
        if (labelled.Count == 0) return;
        plot.RenderInMemory(Width, Height);
        double dataWidth = plot.LastRender.DataRect.Width;
        var limits = plot.Axes.GetLimits();
        using var paint = ScottPlot.Paint.NewDisposablePaint();
        var style = plot.Axes.Bottom.TickLabelStyle;
        double right = limits.Right;
        foreach (var (x, text) in labelled)
        {
            double f = (MarkerSize + style.Measure(text, paint).Width) / dataWidth;
            if (f < 1) right = Math.Max(right, (x - limits.Left * f) / (1 - f));
        }
        if (right <= limits.Right) return;
        plot.Axes.SetLimitsX(limits.Left, right);
        StaticChart.LogAxisTicks(plot, LogX, false);
    }

    public override string ToPlotlyJson() =>
        Plotly.Figure(this.groups.Select(PlotlyTrace), PlotlyLayout());

    private static JsonObject PlotlyTrace(ScatterGroup g)
    {
        var trace = new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = "markers",
            ["name"] = g.Name,
            ["x"] = Plotly.Numbers(g.X),
            ["y"] = Plotly.Numbers(g.Y),
            ["marker"] = new JsonObject { ["color"] = g.Color, ["size"] = 10 },
        };
        // plotly.js rejects text attributes on a trace that draws no text (Plotly.validate: "did not get coerced").
        if (g.Labels.Any(l => !string.IsNullOrEmpty(l)))
        {
            trace["mode"] = "markers+text";
            trace["text"] = Plotly.Strings(g.Labels.Select(l => l ?? ""));
            trace["textposition"] = "middle right";
        }
        return trace;
    }

    public override string ToString() =>
        $"ScatterChart \"{Title}\": {this.groups.Count} group(s), {this.groups.Sum(g => g.X.Length)} points{(LogX ? ", log x" : "")}{(LogY ? ", log y" : "")}";
}

/// <summary>A named set of points of a <see cref="ScatterChart"/> with their labels and colour.</summary>
public sealed record ScatterGroup(string Name, double[] X, double[] Y, string?[] Labels, string Color);
