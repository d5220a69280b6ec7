using System.Text.Json.Nodes;
using CnnCourse.Display;

namespace CnnCourse.Visualization;

/// <summary>
/// Points with optional text labels, in named groups: parameters vs accuracy of the course's models,
/// FLOPs vs latency. Labels are placed beside their point where they overlap no other label.
/// </summary>
/// <example><code>
/// Chart.Scatter("Size vs accuracy", "parameters", "top-1 accuracy").LogScaleX()
///      .Add("CNNs", parameters, accuracy, labels: names)
/// </code></example>
[TypeFormatterSource(typeof(FigureFormatterSource), PreferredMimeTypes = [MimeTypes.Svg, MimeTypes.PlainText])]
public sealed class ScatterChart : XYChart<ScatterChart>
{
    private const double LabelFont = 11;
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

    internal override IEnumerable<(double X, double Y)> Points() =>
        this.groups.SelectMany(g => g.X.Zip(g.Y)).Where(p => Keep(p.First, p.Second));

    internal override IReadOnlyList<LegendEntry> LegendEntries() =>
        this.groups.Select(g => new LegendEntry(g.Name, g.Color, false, false, true)).ToList();

    internal override double ExtraRightMargin
    {
        get
        {
            // Room for a label right of the right-most points (they may also go left, but this keeps most inside).
            var widths = this.groups.SelectMany(g => g.Labels).Where(l => !string.IsNullOrEmpty(l)).Select(l => TextMetrics.Width(l!, LabelFont));
            return Math.Min(60, widths.DefaultIfEmpty(0).Max() / 2);
        }
    }

    internal override void DrawData(SvgWriter svg, Scale x, Scale y)
    {
        var placed = new List<(double X0, double Y0, double X1, double Y1)>();
        var marks = new List<(double X, double Y)>();
        foreach (var g in this.groups)
        {
            svg.OpenGroup("points", $"data-name=\"{SvgWriter.Escape(g.Name)}\"");
            for (int i = 0; i < g.X.Length; i++)
            {
                if (!Keep(g.X[i], g.Y[i])) continue;
                double px = x.Map(g.X[i]), py = y.Map(g.Y[i]);
                svg.Circle(px, py, 5, g.Color, "#ffffff", "point");
                marks.Add((px, py));
            }
            svg.CloseGroup();
        }
        double left = Math.Min(x.R0, x.R1), right = Math.Max(x.R0, x.R1) + ExtraRightMargin, top = Math.Min(y.R0, y.R1), bottom = Math.Max(y.R0, y.R1);
        svg.OpenGroup("labels", $"font-size=\"{SvgWriter.N(LabelFont)}\"");
        foreach (var g in this.groups)
            for (int i = 0; i < g.X.Length; i++)
            {
                var label = g.Labels[i];
                if (string.IsNullOrEmpty(label) || !Keep(g.X[i], g.Y[i])) continue;
                double px = x.Map(g.X[i]), py = y.Map(g.Y[i]);
                double w = TextMetrics.Width(label, LabelFont), h = LabelFont;
                // Candidates: right, left, above, below, then the diagonals, then the same farther out
                // in 12 px steps; the first that overlaps no label, point or border wins, else the least crowded.
                var candidates = new List<(double X, double Baseline, string Anchor)>
                {
                    (px + 8, py + 4, "start"), (px - 8, py + 4, "end"), (px, py - 9, "middle"), (px, py + 17, "middle"),
                    (px + 6, py - 7, "start"), (px - 6, py - 7, "end"), (px + 6, py + 15, "start"), (px - 6, py + 15, "end"),
                };
                for (int ring = 1; ring <= 4; ring++)
                {
                    double d = 12 * ring;
                    candidates.AddRange([(px + 8, py + 4 - d, "start"), (px + 8, py + 4 + d, "start"), (px - 8, py + 4 - d, "end"),
                                         (px - 8, py + 4 + d, "end"), (px, py - 9 - d, "middle"), (px, py + 17 + d, "middle")]);
                }
                (double X0, double Y0, double X1, double Y1) Box((double X, double Baseline, string Anchor) c)
                {
                    double x0 = c.Anchor == "start" ? c.X : c.Anchor == "end" ? c.X - w : c.X - w / 2;
                    return (x0, c.Baseline - h + 1, x0 + w, c.Baseline + 2);
                }
                int Conflicts((double X0, double Y0, double X1, double Y1) b) =>
                    (b.X0 >= left - 30 && b.X1 <= right + 2 && b.Y0 >= top - 2 && b.Y1 <= bottom + 2 ? 0 : 100) +
                    10 * placed.Count(p => p.X0 < b.X1 && b.X0 < p.X1 && p.Y0 < b.Y1 && b.Y0 < p.Y1) +
                    marks.Count(m => m.X > b.X0 - 7 && m.X < b.X1 + 7 && m.Y > b.Y0 - 6 && m.Y < b.Y1 + 6);
                var choice = candidates.FirstOrDefault(c => Conflicts(Box(c)) == 0);
                if (choice.Anchor == null) choice = candidates.MinBy(c => Conflicts(Box(c)));
                placed.Add(Box(choice));
                svg.Text(choice.X, choice.Baseline, label, LabelFont, choice.Anchor, Palette.Text, cssClass: "point-label");
            }
        svg.CloseGroup();
    }

    public override string ToPlotlyJson() =>
        Plotly.Figure(this.groups.Select(g => new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = g.Labels.Any(l => !string.IsNullOrEmpty(l)) ? "markers+text" : "markers",
            ["name"] = g.Name,
            ["x"] = Plotly.Numbers(g.X),
            ["y"] = Plotly.Numbers(g.Y),
            ["text"] = Plotly.Strings(g.Labels.Select(l => l ?? "")),
            ["textposition"] = "middle right",
            ["marker"] = new JsonObject { ["color"] = g.Color, ["size"] = 10 },
        }), PlotlyLayout());

    public override string ToString() =>
        $"ScatterChart \"{Title}\": {this.groups.Count} group(s), {this.groups.Sum(g => g.X.Length)} points{(LogX ? ", log x" : "")}{(LogY ? ", log y" : "")}";
}

/// <summary>A named set of points of a <see cref="ScatterChart"/> with their labels and colour.</summary>
public sealed record ScatterGroup(string Name, double[] X, double[] Y, string?[] Labels, string Color);
