using System.Text.Json.Nodes;
using CnnCourse.Display;

namespace CnnCourse.Visualization;

/// <summary>
/// Lines through (x, y) points, one per named series: training curves (loss or accuracy per epoch),
/// learning-rate schedules. Missing values (NaN) break a line.
/// </summary>
/// <example><code>
/// Chart.Line("Loss", "epoch", "loss").Add("train", epochs, trainLoss).Add("validation", epochs, valLoss, dashed: true)
/// </code></example>
[TypeFormatterSource(typeof(ChartFormatterSource), PreferredMimeTypes = [MimeTypes.Png, MimeTypes.Plotly, MimeTypes.PlainText])]
public sealed class LineChart : XYChart<LineChart>
{
    private readonly List<LineSeries> series = [];

    internal LineChart(string? title, string? xLabel, string? yLabel)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
    }

    /// <summary>The series in the order they were added.</summary>
    public IReadOnlyList<LineSeries> Series => this.series;

    /// <summary>
    /// Whether points get markers; null (the default) draws them when every series has at most 40 points.
    /// </summary>
    public bool? ShowMarkers { get; private set; }

    /// <summary>Adds a series with x = 1, 2, 3, … (epochs).</summary>
    public LineChart Add(string name, IEnumerable<double> ys, string? color = null, bool dashed = false)
    {
        var y = ys.ToArray();
        return Add(name, Enumerable.Range(1, y.Length).Select(i => (double)i), y, color, dashed);
    }

    /// <summary>Adds a series with x = 1, 2, 3, … (epochs).</summary>
    public LineChart Add(string name, IEnumerable<float> ys, string? color = null, bool dashed = false) =>
        Add(name, ys.Select(v => (double)v), color, dashed);

    /// <summary>Adds a series of (x, y) points; both sequences must have the same length.</summary>
    public LineChart Add(string name, IEnumerable<double> xs, IEnumerable<double> ys, string? color = null, bool dashed = false)
    {
        var x = xs.ToArray();
        var y = ys.ToArray();
        if (x.Length != y.Length)
            throw new ArgumentException($"Series '{name}' has {x.Length} x values but {y.Length} y values.");
        this.series.Add(new LineSeries(name, x, y, color ?? Palette.Cycle(this.series.Count), dashed));
        return this;
    }

    /// <summary>Adds a series of (x, y) points with integer x (epochs, steps).</summary>
    public LineChart Add(string name, IEnumerable<int> xs, IEnumerable<double> ys, string? color = null, bool dashed = false) =>
        Add(name, xs.Select(v => (double)v), ys, color, dashed);

    /// <summary>Adds a series of (x, y) points given as floats.</summary>
    public LineChart Add(string name, IEnumerable<float> xs, IEnumerable<float> ys, string? color = null, bool dashed = false) =>
        Add(name, xs.Select(v => (double)v), ys.Select(v => (double)v), color, dashed);

    /// <summary>Adds a series of (x, y) points with integer x and float y.</summary>
    public LineChart Add(string name, IEnumerable<int> xs, IEnumerable<float> ys, string? color = null, bool dashed = false) =>
        Add(name, xs.Select(v => (double)v), ys.Select(v => (double)v), color, dashed);

    /// <summary>Turns point markers on or off (default: on for short series).</summary>
    public LineChart Markers(bool on = true)
    {
        ShowMarkers = on;
        return this;
    }

    private bool MarkersOn => ShowMarkers ?? this.series.All(s => s.X.Length <= 40);

    internal override ScottPlot.Plot CreatePlot()
    {
        var plot = StaticChart.Create(Title, XLabel, YLabel);
        bool markers = MarkersOn;
        var lines = new List<IReadOnlyList<(double X, double Y)>>();
        foreach (var s in this.series)
        {
            // One ScottPlot line per unbroken run of points (a missing value breaks the line); the
            // series' name goes on its first run only, so the legend lists each series once.
            bool named = false;
            foreach (var run in Runs(s))
            {
                var line = plot.Add.Scatter(run.Select(p => p.X).ToArray(), run.Select(p => p.Y).ToArray(), ScottPlot.Color.FromHex(s.Color));
                line.LineWidth = 2;
                line.LinePattern = s.Dashed ? ScottPlot.LinePattern.Dashed : ScottPlot.LinePattern.Solid;
                line.MarkerSize = markers ? 6 : 0;
                if (!named) line.LegendText = s.Name;
                named = true;
                lines.Add(run);
            }
        }
        StaticChart.Axes(plot, lines.SelectMany(l => l).ToList(), LogX, LogY, FixedX, FixedY);
        if (this.series.Count >= 2) StaticChart.Legend(plot, Legend, this.series.Count, lines);
        else plot.HideLegend();
        return plot;
    }

    /// <summary>The series' kept points in ScottPlot's coordinates (log10 on a log axis), split where a point is left out.</summary>
    private IEnumerable<List<(double X, double Y)>> Runs(LineSeries s)
    {
        var run = new List<(double X, double Y)>();
        for (int i = 0; i < s.X.Length; i++)
        {
            if (Keep(s.X[i], s.Y[i]))
            {
                run.Add((StaticChart.Coordinate(s.X[i], LogX), StaticChart.Coordinate(s.Y[i], LogY)));
                continue;
            }
            if (run.Count > 0) yield return run;
            run = [];
        }
        if (run.Count > 0) yield return run;
    }

    public override string ToPlotlyJson() =>
        Plotly.Figure(this.series.Select(s =>
        {
            var trace = new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = MarkersOn ? "lines+markers" : "lines",
                ["name"] = s.Name,
                ["x"] = Plotly.Numbers(s.X),
                ["y"] = Plotly.Numbers(s.X.Zip(s.Y, (x, y) => Keep(x, y) ? y : double.NaN)),
                ["line"] = new JsonObject { ["color"] = s.Color, ["dash"] = s.Dashed ? "dash" : "solid" },
            };
            return trace;
        }), PlotlyLayout());

    public override string ToString()
    {
        string names = string.Join(", ", this.series.Select(s => s.Name));
        int points = this.series.Sum(s => s.X.Length);
        return $"LineChart \"{Title}\": {this.series.Count} series ({names}), {points} points{(LogY ? ", log y" : "")}";
    }
}

/// <summary>One line of a <see cref="LineChart"/>: name, x and y values, colour, dashed or solid.</summary>
public sealed record LineSeries(string Name, double[] X, double[] Y, string Color, bool Dashed);
