using System.Globalization;

namespace CnnCourse.Visualization;

/// <summary>An sRGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Parses "#rrggbb".</summary>
    public static Rgb Parse(string hex)
    {
        var s = hex.TrimStart('#');
        if (s.Length != 6 || !int.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
            throw new ArgumentException($"Colour '{hex}' is not of the form #rrggbb.", nameof(hex));
        return new Rgb((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }

    public string Hex => $"#{R:x2}{G:x2}{B:x2}";

    /// <summary>Relative luminance (0 black … 1 white), to choose dark or light text on this colour.</summary>
    public double Luminance
    {
        get
        {
            static double Lin(byte c)
            {
                double s = c / 255.0;
                return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
            }
            return 0.2126 * Lin(R) + 0.7152 * Lin(G) + 0.0722 * Lin(B);
        }
    }

    public override string ToString() => Hex;
}

/// <summary>The colours of the course's figures.</summary>
public static class Palette
{
    internal const string Text = "#262626";
    internal const string MutedText = "#555555";
    internal const string Grid = "#e8e8e8";
    internal const string Frame = "#9a9a9a";

    /// <summary>matplotlib's tab10 cycle: blue, orange, green, red, purple, brown, pink, grey, olive, cyan.</summary>
    public static readonly IReadOnlyList<string> Tab10 =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    /// <summary>The i-th colour of the tab10 cycle.</summary>
    public static string Cycle(int i) => Tab10[((i % Tab10.Count) + Tab10.Count) % Tab10.Count];
}

/// <summary>A map from [0, 1] to colours, by linear interpolation between evenly spaced anchors.</summary>
public sealed class Colormap
{
    private readonly Rgb[] anchors;

    private Colormap(string name, params string[] anchors)
    {
        Name = name;
        this.anchors = anchors.Select(Rgb.Parse).ToArray();
    }

    public string Name { get; }

    /// <summary>Black to white.</summary>
    public static Colormap Gray { get; } = new("gray", "#000000", "#ffffff");

    /// <summary>matplotlib's perceptually uniform default (dark purple → yellow).</summary>
    public static Colormap Viridis { get; } = new("viridis",
        "#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725");

    /// <summary>ColorBrewer's sequential blues (white → dark blue), the usual confusion-matrix map.</summary>
    public static Colormap Blues { get; } = new("Blues",
        "#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b");

    /// <summary>ColorBrewer's diverging red–white–blue, for signed values around zero (a heatmap centres it on 0).</summary>
    public static Colormap RdBu { get; } = new("RdBu",
        "#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061");

    /// <summary>The colour at <paramref name="t"/> (clamped to [0, 1]; NaN gives the lowest colour).</summary>
    public Rgb this[double t] => Interpolate(double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1));

    private Rgb Interpolate(double t)
    {
        double pos = t * (this.anchors.Length - 1);
        int i = Math.Min((int)Math.Floor(pos), this.anchors.Length - 2);
        double f = pos - i;
        Rgb a = this.anchors[i], b = this.anchors[i + 1];
        static byte Mix(byte x, byte y, double f) => (byte)Math.Round(x + (y - x) * f);
        return new Rgb(Mix(a.R, b.R, f), Mix(a.G, b.G, f), Mix(a.B, b.B, f));
    }

    /// <summary>Plotly's form: [[0, "#rrggbb"], …, [1, "#rrggbb"]].</summary>
    internal IEnumerable<(double Position, string Color)> Stops() =>
        this.anchors.Select((c, i) => (i / (double)(this.anchors.Length - 1), c.Hex));

    public override string ToString() => Name;
}
