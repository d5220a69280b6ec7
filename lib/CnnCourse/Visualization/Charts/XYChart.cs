using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CnnCourse.Visualization;

/// <summary>
/// Where a chart's legend goes: a corner inside the plot, <see cref="Right"/> of it (outside), or
/// <see cref="Best"/>: the corner that hides no data, else outside on the right.
/// </summary>
public enum LegendPosition { Best, UpperRight, UpperLeft, LowerLeft, LowerRight, Right, None }

/// <summary>A chart with two numeric axes (line and scatter charts): axis labels, ranges, log scales, legend.</summary>
public abstract class XYChart<TSelf> : Figure<TSelf> where TSelf : XYChart<TSelf>
{
    private (double Min, double Max)? xRange, yRange;

    public string? XLabel { get; protected set; }
    public string? YLabel { get; protected set; }
    public bool LogX { get; private set; }
    public bool LogY { get; private set; }
    public LegendPosition Legend { get; private set; } = LegendPosition.Best;

    /// <summary>The x axis's fixed range, or null when it fits the data.</summary>
    internal (double Min, double Max)? FixedX => xRange;

    /// <summary>The y axis's fixed range, or null when it fits the data.</summary>
    internal (double Min, double Max)? FixedY => yRange;

    /// <summary>Uses a logarithmic x axis (non-positive x values are left out).</summary>
    public TSelf LogScaleX(bool on = true) { LogX = on; return (TSelf)this; }

    /// <summary>Uses a logarithmic y axis (non-positive y values are left out).</summary>
    public TSelf LogScaleY(bool on = true) { LogY = on; return (TSelf)this; }

    /// <summary>Fixes the x axis to [min, max] instead of fitting the data.</summary>
    public TSelf XRange(double min, double max) { xRange = CheckRange(min, max); return (TSelf)this; }

    /// <summary>Fixes the y axis to [min, max] instead of fitting the data.</summary>
    public TSelf YRange(double min, double max) { yRange = CheckRange(min, max); return (TSelf)this; }

    /// <summary>Places the legend (or hides it with <see cref="LegendPosition.None"/>).</summary>
    public TSelf WithLegend(LegendPosition position) { Legend = position; return (TSelf)this; }

    /// <summary>Sets the axis titles.</summary>
    public TSelf Labels(string? xLabel, string? yLabel) { XLabel = xLabel; YLabel = yLabel; return (TSelf)this; }

    private static (double, double) CheckRange(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(max > min))
            throw new ArgumentException($"An axis range needs finite min < max, got [{min}, {max}].");
        return (min, max);
    }

    /// <summary>Every plotted point (after the log filters), for the axis extents and the legend's placement.</summary>
    internal abstract IEnumerable<(double X, double Y)> Points();

    /// <summary>(name, colour, dashed, marker) of each legend entry.</summary>
    internal abstract IReadOnlyList<LegendEntry> LegendEntries();

    internal abstract void DrawData(SvgWriter svg, Scale x, Scale y);

    /// <summary>Pixels covered by the data, which the legend should avoid; by default the points themselves.</summary>
    internal virtual IEnumerable<(double X, double Y)> Obstacles(Scale x, Scale y) =>
        Points().Where(p => x.Contains(p.X) && y.Contains(p.Y)).Select(p => (x.Map(p.X), y.Map(p.Y)));

    /// <summary>Extra room (pixels) that the data drawing needs to the right, e.g. for point labels.</summary>
    internal virtual double ExtraRightMargin => 0;

    internal bool Keep(double x, double y) =>
        double.IsFinite(x) && double.IsFinite(y) && (!LogX || x > 0) && (!LogY || y > 0);

    public override string ToSvg()
    {
        var pts = Points().ToList();
        var (xd0, xd1) = xRange ?? Domain(pts.Select(p => p.X), LogX);
        var (yd0, yd1) = yRange ?? Domain(pts.Select(p => p.Y), LogY);
        bool xInt = pts.Count > 0 && pts.All(p => p.X == Math.Floor(p.X));
        bool yInt = pts.Count > 0 && pts.All(p => p.Y == Math.Floor(p.Y));
        double top = TopMargin;
        double bottom = 34 + (string.IsNullOrEmpty(XLabel) ? 0 : 20);
        double plotH = Height - top - bottom;
        var yTicks = ChartParts.AxisTicks(yd0, yd1, LogY, yInt, plotH, vertical: true, _ => 0);
        double yLabelW = yTicks.Count == 0 ? 0 : yTicks.Max(t => TextMetrics.Width(t.Label, 11));
        double left = 12 + yLabelW + 8 + (string.IsNullOrEmpty(YLabel) ? 0 : 24);

        (double PlotW, IReadOnlyList<Tick> XTicks) Horizontal(double reserved)
        {
            double plotW = Width - left - 16 - ExtraRightMargin - reserved;
            var xTicks = ChartParts.AxisTicks(xd0, xd1, LogX, xInt, plotW, vertical: false, t => TextMetrics.Width(t.Label, 11));
            // The last x label must not stick out of the picture.
            if (xTicks.Count > 0 && reserved == 0)
            {
                var sx0 = new Scale(xd0, xd1, left, left + plotW, LogX);
                double overhang = sx0.Map(xTicks[^1].Value) + TextMetrics.Width(xTicks[^1].Label, 11) / 2 - (Width - 4);
                if (overhang > 0) plotW -= overhang;
            }
            return (plotW, xTicks);
        }

        var entries = LegendEntries();
        bool legend = Legend != LegendPosition.None && entries.Count >= 2;
        var (plotW, xTicks) = Horizontal(0);
        var sx = new Scale(xd0, xd1, left, left + plotW, LogX);
        var sy = new Scale(yd0, yd1, top + plotH, top, LogY);
        var corner = Legend;
        if (legend && Legend == LegendPosition.Best)
        {
            // Inside, in the corner hiding the least data; outside on the right when every corner hides some.
            var (best, hidden) = ChartParts.BestCorner(entries, left, top, plotW, plotH, Obstacles(sx, sy).ToList());
            corner = best;
            var (legendW, _) = ChartParts.LegendSize(entries);
            if (hidden > 0 && legendW < Width * 0.3) corner = LegendPosition.Right;
        }
        if (legend && corner == LegendPosition.Right)
        {
            (plotW, xTicks) = Horizontal(ChartParts.LegendSize(entries).Width + 12);
            sx = new Scale(xd0, xd1, left, left + plotW, LogX);
        }

        var svg = new SvgWriter(Width, Height, Title);
        DrawTitle(svg);
        ChartParts.DrawGridAndAxes(svg, sx, sy, xTicks, yTicks);
        ChartParts.DrawAxisTitles(svg, XLabel, YLabel, left, plotW, top, plotH, Height);

        bool clip = xRange != null || yRange != null;
        if (clip)
        {
            string id = ChartParts.ClipId(this, pts.Count);
            svg.Raw($"<defs><clipPath id=\"{id}\"><rect x=\"{SvgWriter.N(left)}\" y=\"{SvgWriter.N(top)}\" " +
                $"width=\"{SvgWriter.N(plotW)}\" height=\"{SvgWriter.N(plotH)}\"/></clipPath></defs>\n");
            svg.OpenGroup("data", $"clip-path=\"url(#{id})\"");
        }
        else svg.OpenGroup("data");
        DrawData(svg, sx, sy);
        svg.CloseGroup();

        if (legend) ChartParts.DrawLegend(svg, entries, corner, left, top, plotW, plotH);
        return svg.ToString();
    }

    /// <summary>The data range padded by 4 % (linear) or 4 % of the decades (log).</summary>
    internal static (double, double) Domain(IEnumerable<double> values, bool log)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (double.IsInfinity(min)) return log ? (1, 10) : (0, 1);
        if (log)
        {
            double a = Math.Log10(min), b = Math.Log10(max);
            if (b - a < 1e-9) { a -= 0.5; b += 0.5; }
            double pad = 0.04 * (b - a);
            return (Math.Pow(10, a - pad), Math.Pow(10, b + pad));
        }
        if (max - min < 1e-12 * Math.Max(1, Math.Abs(max)))
        {
            double d = min == 0 ? 1 : Math.Abs(min) * 0.1;
            return (min - d, max + d);
        }
        double p = 0.04 * (max - min);
        return (min - p, max + p);
    }

    internal JsonObject PlotlyLayout()
    {
        var layout = Plotly.Layout(Title, Width, Height);
        layout["xaxis"] = Plotly.Axis(XLabel, LogX, xRange);
        layout["yaxis"] = Plotly.Axis(YLabel, LogY, yRange);
        return layout;
    }
}

internal readonly record struct LegendEntry(string Name, string Color, bool Line, bool Dashed, bool Marker);

/// <summary>Drawing pieces shared by the charts: grid, axes, tick labels, axis titles, legend.</summary>
internal static class ChartParts
{
    public const double TickFont = 11;

    /// <summary>Ticks whose labels fit: at least 40 px apart vertically, label widths plus a gap horizontally.</summary>
    public static IReadOnlyList<Tick> AxisTicks(double d0, double d1, bool log, bool integers, double length, bool vertical,
                                                Func<Tick, double> labelWidth)
    {
        int maxTicks = Math.Max(2, (int)(length / (vertical ? 40 : 60)) + 1);
        if (log)
        {
            for (int n = maxTicks; n >= 2; n--)
            {
                var t = Ticks.Log(d0, d1, n);
                if (vertical || Fits(t, new Scale(d0, d1, 0, length, true), labelWidth)) return t;
            }
            return Ticks.Log(d0, d1, 2);
        }
        var scale = new Scale(d0, d1, 0, length, false);
        foreach (var step in Ticks.LinearSteps(d0, d1, integers))
        {
            var t = Ticks.LinearWithStep(d0, d1, step);
            if (t.Count > maxTicks) continue;
            if (vertical || Fits(t, scale, labelWidth)) return t;
        }
        return Ticks.Linear(d0, d1, 2, integers);
    }

    private static bool Fits(IReadOnlyList<Tick> ticks, Scale s, Func<Tick, double> width)
    {
        for (int i = 1; i < ticks.Count; i++)
            if (Math.Abs(s.Map(ticks[i].Value) - s.Map(ticks[i - 1].Value)) < (width(ticks[i]) + width(ticks[i - 1])) / 2 + 12) return false;
        return true;
    }

    public static void DrawGridAndAxes(SvgWriter svg, Scale sx, Scale? sy, IReadOnlyList<Tick> xTicks, IReadOnlyList<Tick> yTicks)
    {
        double left = Math.Min(sx.R0, sx.R1), right = Math.Max(sx.R0, sx.R1);
        double top = sy == null ? 0 : Math.Min(sy.R0, sy.R1), bottom = sy == null ? 0 : Math.Max(sy.R0, sy.R1);
        svg.OpenGroup("grid");
        foreach (var t in xTicks) svg.Line(sx.Map(t.Value), top, sx.Map(t.Value), bottom, Palette.Grid);
        if (sy != null) foreach (var t in yTicks) svg.Line(left, sy.Map(t.Value), right, sy.Map(t.Value), Palette.Grid);
        svg.CloseGroup();
        svg.Rect(left, top, right - left, bottom - top, "none", Palette.Frame, "frame");
        svg.OpenGroup("x-ticks", "font-size=\"11\" text-anchor=\"middle\"");
        foreach (var t in xTicks)
        {
            double x = sx.Map(t.Value);
            svg.Line(x, bottom, x, bottom + 4, Palette.Frame);
            svg.Raw($"<text class=\"tick\" x=\"{SvgWriter.N(x)}\" y=\"{SvgWriter.N(bottom + 17)}\" " +
                $"fill=\"{Palette.MutedText}\">{SvgWriter.Escape(t.Label)}</text>\n");
        }
        svg.CloseGroup();
        if (sy == null) return;
        DrawYTicks(svg, sy, left, yTicks);
    }

    public static void DrawYTicks(SvgWriter svg, Scale sy, double left, IReadOnlyList<Tick> yTicks)
    {
        svg.OpenGroup("y-ticks", "font-size=\"11\" text-anchor=\"end\"");
        foreach (var t in yTicks)
        {
            double y = sy.Map(t.Value);
            svg.Line(left - 4, y, left, y, Palette.Frame);
            svg.Raw($"<text class=\"tick\" x=\"{SvgWriter.N(left - 7)}\" y=\"{SvgWriter.N(y + 4)}\" " +
                $"fill=\"{Palette.MutedText}\">{SvgWriter.Escape(t.Label)}</text>\n");
        }
        svg.CloseGroup();
    }

    public static void DrawAxisTitles(SvgWriter svg, string? xLabel, string? yLabel, double left, double plotW, double top, double plotH, double height)
    {
        if (!string.IsNullOrEmpty(xLabel)) svg.Text(left + plotW / 2, height - 10, xLabel, 13, "middle", cssClass: "x-label");
        if (!string.IsNullOrEmpty(yLabel)) svg.Text(18, top + plotH / 2, yLabel, 13, "middle", rotate: -90, cssClass: "y-label");
    }

    private const double LegendFont = 12, LegendRow = 18, LegendPad = 8, LegendSample = 22;

    public static (double Width, double Height) LegendSize(IReadOnlyList<LegendEntry> entries) =>
        (LegendPad * 2 + LegendSample + 6 + entries.Max(e => TextMetrics.Width(e.Name, LegendFont)),
         LegendPad * 2 + LegendRow * entries.Count - 4);

    private static (double X, double Y) LegendCorner(LegendPosition p, double w, double h, double left, double top, double plotW, double plotH) => p switch
    {
        LegendPosition.UpperLeft => (left + 10, top + 10),
        LegendPosition.LowerLeft => (left + 10, top + plotH - h - 10),
        LegendPosition.LowerRight => (left + plotW - w - 10, top + plotH - h - 10),
        LegendPosition.Right => (left + plotW + 12, top),
        _ => (left + plotW - w - 10, top + 10),
    };

    /// <summary>The inside corner whose legend box covers the fewest data points, and how many it covers.</summary>
    public static (LegendPosition Corner, int Hidden) BestCorner(IReadOnlyList<LegendEntry> entries, double left, double top, double plotW, double plotH,
                                                               IReadOnlyList<(double X, double Y)> points)
    {
        var (w, h) = LegendSize(entries);
        int Count(LegendPosition p)
        {
            var (x, y) = LegendCorner(p, w, h, left, top, plotW, plotH);
            return points.Count(q => q.X >= x - 4 && q.X <= x + w + 4 && q.Y >= y - 4 && q.Y <= y + h + 4);
        }
        return new[] { LegendPosition.UpperRight, LegendPosition.UpperLeft, LegendPosition.LowerRight, LegendPosition.LowerLeft }
               .Select(p => (p, Count(p))).MinBy(c => c.Item2);
    }

    /// <summary>Draws the legend box at a corner of the plot (or right of it).</summary>
    public static void DrawLegend(SvgWriter svg, IReadOnlyList<LegendEntry> entries, LegendPosition position,
                                  double left, double top, double plotW, double plotH)
    {
        var (w, h) = LegendSize(entries);
        var (lx, ly) = LegendCorner(position, w, h, left, top, plotW, plotH);
        svg.OpenGroup("legend", "font-size=\"12\"");
        svg.Rect(lx, ly, w, h, "#ffffff", "#cccccc", extra: "fill-opacity=\"0.9\" rx=\"3\"");
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            double cy = ly + LegendPad + LegendRow * i + 6;
            double sx = lx + LegendPad;
            if (e.Line) svg.Line(sx, cy, sx + LegendSample, cy, e.Color, 2, e.Dashed ? "6 3" : null);
            if (e.Marker) svg.Circle(sx + LegendSample / 2, cy, e.Line ? 3 : 4.5, e.Color, e.Line ? "#ffffff" : null);
            svg.Raw($"<text x=\"{SvgWriter.N(sx + LegendSample + 6)}\" y=\"{SvgWriter.N(cy + 4)}\" " +
                $"fill=\"{Palette.Text}\">{SvgWriter.Escape(e.Name)}</text>\n");
        }
        svg.CloseGroup();
    }

    /// <summary>A one-row legend whose right end is at <paramref name="right"/>, centred on <paramref name="y"/> (above a plot).</summary>
    public static void DrawLegendRow(SvgWriter svg, IReadOnlyList<LegendEntry> entries, double right, double y)
    {
        const double font = 12, swatch = 10, gap = 16;
        double x = right - entries.Sum(e => swatch + 5 + TextMetrics.Width(e.Name, font)) - gap * (entries.Count - 1);
        svg.OpenGroup("legend", "font-size=\"12\"");
        foreach (var e in entries)
        {
            svg.Rect(x, y - swatch / 2, swatch, swatch, e.Color, extra: "rx=\"2\"");
            svg.Raw($"<text x=\"{SvgWriter.N(x + swatch + 5)}\" y=\"{SvgWriter.N(y + 4)}\" fill=\"{Palette.Text}\">{SvgWriter.Escape(e.Name)}</text>\n");
            x += swatch + 5 + TextMetrics.Width(e.Name, font) + gap;
        }
        svg.CloseGroup();
    }

    /// <summary>A clip-path id that stays the same for the same chart (stable notebook outputs) and differs between charts on one page.</summary>
    public static string ClipId(Figure f, int points)
    {
        uint h = 2166136261;
        foreach (var c in $"{f.GetType().Name}|{f.Title}|{f.Width}x{f.Height}|{points}") h = (h ^ c) * 16777619;
        return "clip" + h.ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>An SVG path through the points, broken where a value is missing.</summary>
    public static string PathData(IEnumerable<(double X, double Y)> pixels)
    {
        var sb = new StringBuilder();
        bool pen = false;
        foreach (var (x, y) in pixels)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y)) { pen = false; continue; }
            sb.Append(pen ? " L" : (sb.Length > 0 ? " M" : "M")).Append(SvgWriter.N(x)).Append(' ').Append(SvgWriter.N(y));
            pen = true;
        }
        return sb.ToString();
    }
}
