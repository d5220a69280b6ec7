using System.Globalization;
using ScottPlot;
using ScottPlot.AxisPanels;
using ScottPlot.TickGenerators;

namespace CnnCourse.Visualization;

/// <summary>
/// The static rendering of a chart: the course's description handed to ScottPlot, which lays it out
/// and draws it (SkiaSharp underneath) as a PNG. This class only translates: title, axis titles, log
/// axes, fixed ranges, the legend's corner and the course's colours. Ticks, margins and text layout
/// are ScottPlot's.
/// </summary>
internal static class StaticChart
{
    /// <summary>A plot with the course's look: a sans-serif font, white background, light grid, the title and axis titles.</summary>
    public static Plot Create(string? title, string? xLabel, string? yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(CourseFont.Sans);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.MajorLineColor = Color.FromHex(Palette.Grid);
        if (!string.IsNullOrEmpty(title)) plot.Title(title);
        if (!string.IsNullOrEmpty(xLabel)) plot.XLabel(xLabel);
        if (!string.IsNullOrEmpty(yLabel)) plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>A value as ScottPlot gets it: log10 of it on a log axis, where the ticks say 10^k.</summary>
    public static double Coordinate(double value, bool log) => log ? Math.Log10(value) : value;

    /// <summary>
    /// The ticks of a log axis from log10 values <paramref name="lo"/> to <paramref name="hi"/> (ScottPlot
    /// has no log axis of its own: the data are plotted as log10 of their values). Labelled at each
    /// power of ten, also at 2× and 5× when the axis spans fewer than three decades, at every whole
    /// multiple when it spans less than one; unlabelled minor ticks at the other whole multiples.
    /// </summary>
    private static NumericManual LogTicks(double lo, double hi)
    {
        double decades = hi - lo;
        int[] labelled = decades >= 3 ? [1] : decades >= 1 ? [1, 2, 5] : [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var ticks = new NumericManual();
        for (int k = (int)Math.Floor(lo); k <= (int)Math.Ceiling(hi); k++)
            for (int m = 1; m <= 9; m++)
            {
                double v = k + Math.Log10(m);
                if (v < lo || v > hi) continue;
                if (labelled.Contains(m)) ticks.AddMajor(v, LogLabel(m, k));
                else ticks.AddMinor(v);
            }
        return ticks;
    }

    /// <summary>The label of m·10^k: "0.02", "5", "200", "1e6".</summary>
    private static string LogLabel(int m, int k) => k is >= -4 and <= 5
        ? (m * Math.Pow(10, k)).ToString("0.####", CultureInfo.InvariantCulture)
        : m.ToString(CultureInfo.InvariantCulture) + "e" + k.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Applies log scales and fixed ranges; unfixed axes fit the data with ScottPlot's margins. An
    /// axis whose values are all whole numbers (epochs, steps) gets whole-number ticks.
    /// </summary>
    public static void Axes(Plot plot, IReadOnlyCollection<(double X, double Y)> points, bool logX, bool logY,
                            (double Min, double Max)? xRange, (double Min, double Max)? yRange)
    {
        if (!logX && Whole(points.Select(p => p.X))) plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        if (!logY && Whole(points.Select(p => p.Y))) plot.Axes.Left.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.AutoScale();
        if (xRange is { } x) plot.Axes.SetLimitsX(Coordinate(x.Min, logX), Coordinate(x.Max, logX));
        if (yRange is { } y) plot.Axes.SetLimitsY(Coordinate(y.Min, logY), Coordinate(y.Max, logY));
        LogAxisTicks(plot, logX, logY);
    }

    /// <summary>Puts log ticks on the log axes for their present limits (again after the limits change).</summary>
    public static void LogAxisTicks(Plot plot, bool logX, bool logY)
    {
        var limits = plot.Axes.GetLimits();
        if (logX) plot.Axes.Bottom.TickGenerator = LogTicks(limits.Left, limits.Right);
        if (logY) plot.Axes.Left.TickGenerator = LogTicks(limits.Bottom, limits.Top);
    }

    private static bool Whole(IEnumerable<double> values) => values.Any() && values.All(v => v == Math.Floor(v));

    /// <summary>
    /// Shows the legend of <paramref name="entries"/> series where <paramref name="position"/> says.
    /// <see cref="LegendPosition.Best"/> is an inside corner where no line passes, else outside on the right.
    /// </summary>
    public static void Legend(Plot plot, LegendPosition position, int entries, IReadOnlyList<IReadOnlyList<(double X, double Y)>> lines)
    {
        if (position == LegendPosition.None) { plot.HideLegend(); return; }
        if (position == LegendPosition.Best) position = FreeCorner(plot.Axes.GetLimits(), entries, lines);
        if (position == LegendPosition.Right) { plot.ShowLegend(Edge.Right); return; }
        plot.ShowLegend(position switch
        {
            LegendPosition.UpperLeft => Alignment.UpperLeft,
            LegendPosition.LowerLeft => Alignment.LowerLeft,
            LegendPosition.LowerRight => Alignment.LowerRight,
            _ => Alignment.UpperRight,
        });
    }

    /// <summary>
    /// The first corner (upper right, upper left, lower right, lower left) whose legend-sized box no
    /// line enters, or <see cref="LegendPosition.Right"/> when every corner has one. The box is a
    /// third of the plot wide and a tenth of it high per entry (a generous guess of the legend's size,
    /// in plot coordinates); a line is followed between its points, not only at them.
    /// </summary>
    private static LegendPosition FreeCorner(AxisLimits limits, int entries, IReadOnlyList<IReadOnlyList<(double X, double Y)>> lines)
    {
        double w = limits.HorizontalSpan / 3, h = limits.VerticalSpan * Math.Min(0.9, 0.04 + 0.1 * entries);
        var points = lines.SelectMany(Dense).ToList();
        bool Free(bool right, bool upper) => !points.Any(p =>
            (right ? p.X >= limits.Right - w : p.X <= limits.Left + w) && (upper ? p.Y >= limits.Top - h : p.Y <= limits.Bottom + h));
        if (Free(true, true)) return LegendPosition.UpperRight;
        if (Free(false, true)) return LegendPosition.UpperLeft;
        if (Free(true, false)) return LegendPosition.LowerRight;
        if (Free(false, false)) return LegendPosition.LowerLeft;
        return LegendPosition.Right;
    }

    /// <summary>A line's points with 20 more on each segment between them.</summary>
    private static IEnumerable<(double X, double Y)> Dense(IReadOnlyList<(double X, double Y)> line)
    {
        for (int i = 0; i < line.Count; i++)
        {
            if (i > 0)
                for (int k = 1; k <= 20; k++)
                    yield return (line[i - 1].X + (line[i].X - line[i - 1].X) * k / 21.0, line[i - 1].Y + (line[i].Y - line[i - 1].Y) * k / 21.0);
            yield return line[i];
        }
    }

    /// <summary>
    /// Labels an axis with names at positions one unit apart (categories, rows or columns of a heatmap). The
    /// plot is laid out once by ScottPlot at its final size to learn how many pixels each name gets:
    /// names on the bottom axis that do not fit side by side are turned upright, and where even a
    /// line of text does not fit between neighbours only every k-th name is written.
    /// </summary>
    public static void CategoryTicks(Plot plot, IAxis axis, IReadOnlyList<double> positions, IReadOnlyList<string> names, int width, int height)
    {
        var ticks = new NumericManual();
        for (int i = 0; i < names.Count; i++) ticks.AddMajor(positions[i], names[i]);
        axis.TickGenerator = ticks;
        plot.RenderInMemory(width, height);
        var data = plot.LastRender.DataRect;
        bool horizontal = axis is IXAxis;
        double slot = Math.Abs(axis.GetPixelDistance(1, data));
        using var paint = Paint.NewDisposablePaint();
        double widest = names.Max(n => axis.TickLabelStyle.Measure(n, paint).Width);
        double line = axis.TickLabelStyle.Measure("Ag", paint).Height;
        if (horizontal && widest > slot)
        {
            // Upright names, each ending at its tick. ScottPlot sizes an axis for level text, so the
            // axis it laid out grows by the longest name less the height of one line.
            axis.TickLabelStyle.Rotation = -90;
            axis.TickLabelStyle.Alignment = Alignment.MiddleRight;
            if (axis is AxisBase sized and IPanel panel && plot.LastRender.Layout.PanelSizes.TryGetValue(panel, out float size))
                sized.MinimumSize = (float)(size - line + widest);
        }
        int every = (int)Math.Ceiling(line / slot);
        if (every <= 1) return;
        var thinned = new NumericManual();
        for (int i = 0; i < names.Count; i++)
            if (i % every == 0) thinned.AddMajor(positions[i], names[i]);
            else thinned.AddMinor(positions[i]);
        axis.TickGenerator = thinned;
    }

    /// <summary>The height ScottPlot gives a chart's title panel holding <paramref name="title"/>.</summary>
    public static float TitleHeight(string title)
    {
        using var plot = Create(title, null, null);
        using var paint = Paint.NewDisposablePaint();
        return plot.Axes.Title.Measure(paint);
    }

    /// <summary>Draws <paramref name="title"/> centred at the top of a picture <paramref name="width"/> wide, as ScottPlot draws a chart's title.</summary>
    public static void DrawTitle(SkiaSharp.SKCanvas canvas, string title, int width)
    {
        using var plot = Create(title, null, null);
        using var paint = Paint.NewDisposablePaint();
        var label = plot.Axes.Title.Label;
        label.Alignment = Alignment.UpperCenter;
        label.Render(canvas, new Pixel(width / 2f, plot.Axes.Title.VerticalPadding), paint);
    }

    /// <summary>The course's colour map as ScottPlot takes it, so a heatmap's PNG and its Plotly figure share colours.</summary>
    public static IColormap Colormap(Colormap map) => new CourseColormap(map);

    private sealed class CourseColormap(Colormap map) : IColormap
    {
        public string Name => map.Name;

        public Color GetColor(double position)
        {
            var c = map[position];
            return new Color(c.R, c.G, c.B);
        }
    }

    /// <summary>The plot as a PNG of exactly <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static byte[] Png(Plot plot, int width, int height) => plot.GetImageBytes(width, height, ImageFormat.Png);
}
