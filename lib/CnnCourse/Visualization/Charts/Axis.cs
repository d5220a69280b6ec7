using System.Globalization;

namespace CnnCourse.Visualization;

/// <summary>A tick on an axis: its value and the label printed for it.</summary>
public readonly record struct Tick(double Value, string Label);

/// <summary>Maps data values on one axis to pixels, linearly or logarithmically.</summary>
internal sealed class Scale
{
    public Scale(double d0, double d1, double r0, double r1, bool log)
    {
        D0 = d0; D1 = d1; R0 = r0; R1 = r1; Log = log;
    }

    public double D0 { get; }
    public double D1 { get; }
    public double R0 { get; }
    public double R1 { get; }
    public bool Log { get; }

    public double Map(double v)
    {
        double a = Log ? Math.Log10(D0) : D0, b = Log ? Math.Log10(D1) : D1;
        double x = Log ? Math.Log10(v) : v;
        return b == a ? (R0 + R1) / 2 : R0 + (x - a) / (b - a) * (R1 - R0);
    }

    public bool Contains(double v) => v >= Math.Min(D0, D1) - 1e-12 * Math.Abs(D1 - D0) && v <= Math.Max(D0, D1) + 1e-12 * Math.Abs(D1 - D0);
}

/// <summary>
/// Tick values and labels: steps of 1, 2, 2.5 or 5 times a power of ten on linear axes, decades (with
/// 2 and 5 between them when the range is short) on log axes, as few as the labels need to stay apart.
/// </summary>
public static class Ticks
{
    private static readonly double[] Mantissas = [1, 2, 2.5, 5];

    /// <summary>
    /// The ticks inside [min, max] with the smallest nice step that gives at most <paramref name="maxTicks"/>
    /// ticks; with <paramref name="integersOnly"/> no step below 1 nor 2.5.
    /// </summary>
    public static IReadOnlyList<Tick> Linear(double min, double max, int maxTicks, bool integersOnly = false)
    {
        foreach (var step in LinearSteps(min, max, integersOnly))
        {
            var ticks = LinearWithStep(min, max, step);
            if (ticks.Count <= Math.Max(2, maxTicks)) return ticks;
        }
        return [new Tick(min, Format(min, max - min)), new Tick(max, Format(max, max - min))];
    }

    /// <summary>The candidate steps for [min, max], smallest first.</summary>
    internal static IEnumerable<double> LinearSteps(double min, double max, bool integersOnly)
    {
        double range = max - min;
        if (!(range > 0) || !double.IsFinite(range)) range = Math.Max(Math.Abs(min), 1);
        int e0 = (int)Math.Floor(Math.Log10(range)) - 2;
        for (int e = e0; e < e0 + 6; e++)
            foreach (var m in Mantissas)
            {
                double step = m * Math.Pow(10, e);
                if (integersOnly && (step < 1 || step != Math.Floor(step))) continue;
                yield return step;
            }
    }

    internal static List<Tick> LinearWithStep(double min, double max, double step)
    {
        var ticks = new List<Tick>();
        long first = (long)Math.Ceiling(min / step - 1e-9), last = (long)Math.Floor(max / step + 1e-9);
        if (last - first > 1000) return ticks;
        double magnitude = Math.Max(Math.Abs(first * step), Math.Abs(last * step));
        for (long k = first; k <= last; k++)
        {
            double v = k * step;
            // Round away binary noise (0.30000000000000004) so labels and values agree.
            v = Math.Round(v, Math.Max(0, Math.Min(15, 3 - (int)Math.Floor(Math.Log10(step)))));
            ticks.Add(new Tick(v, Format(v, step, magnitude)));
        }
        return ticks;
    }

    /// <summary>
    /// 1, 2 and 5 times the powers of ten in [min, max] when at most <paramref name="maxTicks"/> of them fit,
    /// else powers of ten (every 2nd or 3rd decade when there are too many). Needs 0 &lt; min &lt; max.
    /// </summary>
    public static IReadOnlyList<Tick> Log(double min, double max, int maxTicks)
    {
        if (!(min > 0) || !(max > min)) throw new ArgumentException("A log axis needs 0 < min < max.");
        int lo = (int)Math.Floor(Math.Log10(min) + 1e-9), hi = (int)Math.Ceiling(Math.Log10(max) - 1e-9);
        var ticks = new List<Tick>();
        for (int e = lo; e <= hi; e++)
            foreach (var m in new[] { 1.0, 2, 5 })
            {
                double v = Math.Round(m * Math.Pow(10, e), Math.Max(0, -e + 1));
                if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.Add(new Tick(v, FormatLog(v)));
            }
        if (ticks.Count <= maxTicks && ticks.Count >= 2) return ticks;
        ticks.Clear();
        int first = (int)Math.Ceiling(Math.Log10(min) - 1e-9), last = (int)Math.Floor(Math.Log10(max) + 1e-9);
        int every = 1;
        while ((last - first) / every + 1 > Math.Max(2, maxTicks)) every++;
        for (int e = first; e <= last; e += every) ticks.Add(new Tick(Math.Pow(10, e), FormatLog(Math.Pow(10, e))));
        return ticks.Count >= 2 ? ticks : Linear(min, max, maxTicks);   // less than a decade: plain steps
    }

    /// <summary>
    /// A tick label for a value on a linear axis with the given step: as many decimals as the step
    /// needs, and one k/M/G suffix for the whole axis, chosen by its largest tick
    /// (<paramref name="magnitude"/>, by default the larger of the value and the step): "60k", "1.5M".
    /// </summary>
    public static string Format(double v, double step, double magnitude = double.NaN)
    {
        var inv = CultureInfo.InvariantCulture;
        double a = double.IsNaN(magnitude) ? Math.Max(Math.Abs(v), Math.Abs(step)) : magnitude;
        (double div, string suffix) = a >= 1e9 ? (1e9, "G") : a >= 1e6 ? (1e6, "M") : a >= 1e4 ? (1e3, "k") : (1, "");
        double s = step > 0 ? step / div : 1;
        if (v == 0) return suffix != "" ? "0" : 0.0.ToString("F" + Math.Clamp(DecimalsOf(s), 0, 10), inv);   // no "-0", no "0M"
        if (div == 1 && v != 0 && Math.Abs(v) < 1e-4)
            return v.ToString("0.##e+0", inv);
        int decimals = Math.Clamp(DecimalsOf(s), 0, 10);
        return (v / div).ToString("F" + decimals, inv) + suffix;
    }

    private static int DecimalsOf(double step)
    {
        for (int d = 0; d <= 10; d++)
        {
            double scaled = step * Math.Pow(10, d);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * Math.Max(1, scaled)) return d;
        }
        return 10;
    }

    /// <summary>A label for a log-axis tick: "0.01", "1", "500", "10k", "1M", "1e-05".</summary>
    public static string FormatLog(double v)
    {
        var inv = CultureInfo.InvariantCulture;
        if (v >= 1e9) return (v / 1e9).ToString("0.##", inv) + "G";
        if (v >= 1e6) return (v / 1e6).ToString("0.##", inv) + "M";
        if (v >= 1e4) return (v / 1e3).ToString("0.##", inv) + "k";
        if (v >= 1e-4) return v.ToString("0.####", inv);
        return v.ToString("0e+0", inv);
    }
}
