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

    /// <summary>Whether a point is drawn: finite, and positive on a log axis.</summary>
    internal bool Keep(double x, double y) =>
        double.IsFinite(x) && double.IsFinite(y) && (!LogX || x > 0) && (!LogY || y > 0);

    internal JsonObject PlotlyLayout()
    {
        var layout = Plotly.Layout(Title, Width, Height);
        layout["xaxis"] = Plotly.Axis(XLabel, LogX, xRange);
        layout["yaxis"] = Plotly.Axis(YLabel, LogY, yRange);
        return layout;
    }
}
