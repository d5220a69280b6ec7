using System.Globalization;
using CnnCourse.Display;

namespace CnnCourse.Visualization;

/// <summary>How pixel values become brightness.</summary>
public enum ImageScaling
{
    /// <summary>[0, 1] when every value lies in it, else [0, 255] when every value lies in that, else <see cref="PerImage"/>.</summary>
    Auto,
    /// <summary>A fixed range set with <see cref="ImageGrid.Range"/>; values outside it are clamped.</summary>
    Fixed,
    /// <summary>Each image stretched from its own minimum (black) to its own maximum (white).</summary>
    PerImage,
    /// <summary>All images stretched by the minimum and maximum over the whole grid, so brightness compares across images.</summary>
    Global,
}

/// <summary>
/// A grid of small images with optional captions, rendered to PNG by the course's own encoder: dataset
/// samples with their labels, convolution filters, feature maps, misclassified examples. Images come as
/// plain arrays in PyTorch's layout, N × C × H × W, with C = 1 (grayscale, drawn through a colormap) or
/// C = 3 (RGB). Small images are enlarged by whole pixels (nearest neighbour).
/// </summary>
/// <example><code>
/// ImageGrid.Samples(pixels, 16, 1, 28, 28, labels, classNames)             // Fashion-MNIST with labels
/// ImageGrid.Filters(conv1Weights, 6, 1, 5, 5).WithTitle("conv1 filters")   // each filter stretched to [0, 1]
/// ImageGrid.FeatureMaps(activations, 16, 10, 10)                           // one image per channel, viridis
/// </code></example>
[TypeFormatterSource(typeof(ImageGridFormatterSource), PreferredMimeTypes = [MimeTypes.Png, MimeTypes.PlainText])]
public sealed class ImageGrid
{
    /// <summary>The most images a grid shows unless <see cref="Limit"/> says otherwise.</summary>
    public const int DefaultLimit = 256;

    private static readonly Rgb Background = new(255, 255, 255);
    private static readonly Rgb CaptionColor = Rgb.Parse("#262626");
    private static readonly Rgb HighlightColor = Rgb.Parse("#d62728");

    private readonly float[] pixels;       // the images shown, N × C × H × W
    private readonly int totalCount;       // how many images were given
    private string?[] captions;
    private bool[] highlight;
    private int? columns, zoom;
    private double rangeMin = 0, rangeMax = 1;

    private ImageGrid(ReadOnlySpan<float> pixels, int count, int channels, int height, int width, int limit)
    {
        if (count < 1 || height < 1
            || width < 1) throw new ArgumentException($"An image grid needs at least one " +
            $"image of at least 1 x 1 pixels, got N={count}, H={height}, W={width}.");
        if (channels is not (1 or 3))
            throw new ArgumentException($"An image has 1 (grayscale) or 3 (RGB) channels, got {channels}; " +
                $"use ImageGrid.FeatureMaps to show each channel as its own image.", nameof(channels));
        long per = (long)channels * height * width;
        // A longer array holding whole images is fine: the grid shows its first `count` images.
        if (pixels.Length < count * per || pixels.Length % per != 0)
            throw new ArgumentException($"{count} images of {channels} x {height} x {width} need {count * per} values, got {pixels.Length}.", nameof(pixels));
        totalCount = count;
        Count = Math.Min(count, Math.Max(1, limit));
        Channels = channels;
        ImageHeight = height;
        ImageWidth = width;
        this.pixels = pixels[..(int)(Count * per)].ToArray();
        this.captions = new string?[Count];
        highlight = new bool[Count];
    }

    /// <summary>How many images the grid shows.</summary>
    public int Count { get; }
    public int Channels { get; }
    public int ImageHeight { get; }
    public int ImageWidth { get; }
    public string? Title { get; private set; }
    public IReadOnlyList<string?> Captions => this.captions;
    public ImageScaling Scaling { get; private set; } = ImageScaling.Auto;
    public Colormap Colormap { get; private set; } = Colormap.Gray;
    public int FontScale { get; private set; } = 1;

    /// <summary>Images per row: as set, or about square (at most 16 per row).</summary>
    public int ColumnCount => Math.Min(Count, this.columns ?? Math.Min(16, (int)Math.Ceiling(Math.Sqrt(Count))));

    /// <summary>Pixels per image pixel: as set, or the whole number that brings the longer side nearest 56 px (28 → 56).</summary>
    public int Zoom => this.zoom ?? Math.Max(1, (int)Math.Round(56.0 / Math.Max(ImageHeight, ImageWidth)));

    // ---- Creating grids -------------------------------------------------------------------------

    /// <summary>
    /// A grid of the first <paramref name="count"/> images of <paramref name="pixels"/>, stored as N × C × H × W
    /// floats (the array may hold more whole images, e.g. a whole dataset).
    /// </summary>
    public static ImageGrid FromPixels(float[] pixels, int count, int channels, int height, int width,
                                       IEnumerable<string?>? captions = null, int limit = DefaultLimit)
    {
        var grid = new ImageGrid(pixels, count, channels, height, width, limit);
        if (captions != null) grid.WithCaptions(captions);
        return grid;
    }

    /// <inheritdoc cref="FromPixels(float[], int, int, int, int, IEnumerable{string?}?, int)"/>
    public static ImageGrid FromPixels(double[] pixels, int count, int channels, int height, int width,
                                       IEnumerable<string?>? captions = null, int limit = DefaultLimit) =>
        FromPixels(Array.ConvertAll(pixels, v => (float)v), count, channels, height, width, captions, limit);

    /// <summary>A grid of 8-bit images (N × C × H × W bytes, 0 black … 255 white).</summary>
    public static ImageGrid FromPixels(byte[] pixels, int count, int channels, int height, int width,
                                       IEnumerable<string?>? captions = null, int limit = DefaultLimit) =>
        FromPixels(Array.ConvertAll(pixels, v => (float)v), count, channels, height, width, captions, limit).Range(0, 255);

    /// <summary>Dataset samples captioned with their class names; with <paramref name="predicted"/>, wrong predictions are captioned in red.</summary>
    public static ImageGrid Samples(float[] pixels, int count, int channels, int height, int width,
                                    IEnumerable<int> labels, IReadOnlyList<string> classNames, IEnumerable<int>? predicted = null, int limit = DefaultLimit)
    {
        var grid = new ImageGrid(pixels, count, channels, height, width, limit);
        var truth = labels.Take(grid.Count).ToArray();
        var guess = predicted?.Take(grid.Count).ToArray();
        if (truth.Length < grid.Count || (guess != null && guess.Length < grid.Count))
            throw new ArgumentException($"Need a label (and a prediction) for each of the {grid.Count} images shown.");
        string Name(int label) => label >= 0 && label < classNames.Count ? classNames[label] : label.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < grid.Count; i++)
        {
            if (guess == null || guess[i] == truth[i]) grid.captions[i] = Name(truth[i]);
            else
            {
                grid.captions[i] = $"{Name(guess[i])}\n(true: {Name(truth[i])})";
                grid.highlight[i] = true;
            }
        }
        return grid;
    }

    /// <inheritdoc cref="Samples(float[], int, int, int, int, IEnumerable{int}, IReadOnlyList{string}, IEnumerable{int}?, int)"/>
    public static ImageGrid Samples(byte[] pixels, int count, int channels, int height, int width,
                                    IEnumerable<int> labels, IReadOnlyList<string> classNames, IEnumerable<int>? predicted = null, int limit = DefaultLimit) =>
        Samples(Array.ConvertAll(pixels, v => (float)v), count, channels, height, width, labels, classNames, predicted, limit).Range(0, 255);

    /// <summary>
    /// The images whose prediction is wrong (at most <paramref name="limit"/>), each captioned
    /// "true: Shirt" / "pred: T-shirt".
    /// </summary>
    public static ImageGrid Misclassified(float[] pixels, int count, int channels, int height, int width,
                                          IEnumerable<int> labels, IEnumerable<int> predicted, IReadOnlyList<string> classNames, int limit = 32)
    {
        var truth = labels.ToArray();
        var guess = predicted.ToArray();
        if (truth.Length != count || guess.Length != count)
            throw new ArgumentException($"Need one label and one prediction per image: {count} images, {truth.Length} labels, {guess.Length} predictions.");
        int per = channels * height * width;
        if (pixels.Length != count * per)
            throw new ArgumentException($"{count} images of {channels} x {height} x {width} need {(long)count * per} values, got {pixels.Length}.",
                nameof(pixels));
        var wrong = Enumerable.Range(0, count).Where(i => truth[i] != guess[i]).Take(Math.Max(1, limit)).ToArray();
        if (wrong.Length == 0)
            throw new InvalidOperationException("Every prediction is right: there is no misclassified image to show.");
        var selected = new float[wrong.Length * per];
        for (int k = 0; k < wrong.Length; k++) Array.Copy(pixels, (long)wrong[k] * per, selected, (long)k * per, per);
        string Name(int label) => label >= 0 && label < classNames.Count ? classNames[label] : label.ToString(CultureInfo.InvariantCulture);
        return FromPixels(selected, wrong.Length, channels, height, width,
                          wrong.Select(i => $"true: {Name(truth[i])}\npred: {Name(guess[i])}"));
    }

    /// <summary>
    /// Convolution filters from weights of shape out × in × kH × kW (PyTorch's order), each stretched to
    /// [0, 1] on its own: one RGB image per filter when in = 3, one grayscale image per filter when in = 1,
    /// else one row per output channel with a grayscale image per input channel.
    /// </summary>
    public static ImageGrid Filters(float[] weights, int outChannels, int inChannels, int kernelHeight, int kernelWidth, int limit = DefaultLimit)
    {
        ImageGrid grid;
        if (inChannels is 1 or 3)
            grid = new ImageGrid(weights, outChannels, inChannels, kernelHeight, kernelWidth, limit);
        else
        {
            if (weights.Length != (long)outChannels * inChannels * kernelHeight * kernelWidth)
                throw new ArgumentException($"Weights of shape {outChannels} x {inChannels} x {kernelHeight} x {kernelWidth} need " +
                    $"{(long)outChannels * inChannels * kernelHeight * kernelWidth} values, got {weights.Length}.", nameof(weights));
            grid = new ImageGrid(weights, outChannels * inChannels, 1, kernelHeight, kernelWidth, limit);
            grid.columns = Math.Min(inChannels, 32);
        }
        grid.Scaling = ImageScaling.PerImage;
        return grid;
    }

    /// <inheritdoc cref="Filters(float[], int, int, int, int, int)"/>
    public static ImageGrid Filters(double[] weights, int outChannels, int inChannels, int kernelHeight, int kernelWidth, int limit = DefaultLimit) =>
        Filters(Array.ConvertAll(weights, v => (float)v), outChannels, inChannels, kernelHeight, kernelWidth, limit);

    /// <summary>
    /// The feature maps of one sample (C × H × W floats), one image per channel, each stretched to its own
    /// range and drawn in viridis (dark = low, yellow = high).
    /// </summary>
    public static ImageGrid FeatureMaps(float[] maps, int channels, int height, int width, IEnumerable<string?>? captions = null, int limit = DefaultLimit)
    {
        var grid = new ImageGrid(maps, channels, 1, height, width, limit);
        grid.Scaling = ImageScaling.PerImage;
        grid.Colormap = Colormap.Viridis;
        if (captions != null) grid.WithCaptions(captions);
        return grid;
    }

    /// <inheritdoc cref="FeatureMaps(float[], int, int, int, IEnumerable{string?}?, int)"/>
    public static ImageGrid FeatureMaps(double[] maps, int channels, int height, int width, IEnumerable<string?>? captions = null, int limit = DefaultLimit) =>
        FeatureMaps(Array.ConvertAll(maps, v => (float)v), channels, height, width, captions, limit);

    // ---- Settings (fluent) ------------------------------------------------------------------------

    /// <summary>Sets the captions, one per image shown (extra ones are ignored, missing ones left empty); '\n' breaks lines.</summary>
    public ImageGrid WithCaptions(IEnumerable<string?> captions)
    {
        var c = captions.Take(Count).ToArray();
        this.captions = new string?[Count];
        Array.Copy(c, this.captions, c.Length);
        return this;
    }

    /// <summary>Draws the captions of the images marked true in red.</summary>
    public ImageGrid Highlight(IEnumerable<bool> marks)
    {
        var m = marks.Take(Count).ToArray();
        highlight = new bool[Count];
        Array.Copy(m, highlight, m.Length);
        return this;
    }

    public ImageGrid WithTitle(string? title)
    {
        Title = title;
        return this;
    }

    /// <summary>Sets the number of images per row.</summary>
    public ImageGrid Columns(int columns)
    {
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), "A grid needs at least one column.");
        this.columns = columns;
        return this;
    }

    /// <summary>Enlarges every image pixel to zoom × zoom pixels (1 keeps the original size).</summary>
    public ImageGrid Scale(int zoom)
    {
        if (zoom < 1 || zoom > 64) throw new ArgumentOutOfRangeException(nameof(zoom), "The zoom is a whole number from 1 to 64.");
        this.zoom = zoom;
        return this;
    }

    /// <summary>Maps [min, max] to black … white (values outside are clamped).</summary>
    public ImageGrid Range(double min, double max)
    {
        if (!(max > min)) throw new ArgumentException($"A value range needs min < max, got [{min}, {max}].");
        Scaling = ImageScaling.Fixed;
        (rangeMin, rangeMax) = (min, max);
        return this;
    }

    /// <summary>Chooses how values become brightness (see <see cref="ImageScaling"/>).</summary>
    public ImageGrid WithScaling(ImageScaling scaling)
    {
        Scaling = scaling;
        return this;
    }

    /// <summary>The colormap for grayscale images (RGB images ignore it).</summary>
    public ImageGrid WithColormap(Colormap colormap)
    {
        Colormap = colormap;
        return this;
    }

    /// <summary>Draws captions and title with font pixels of scale × scale (1 or 2 are the useful values).</summary>
    public ImageGrid WithFontScale(int scale)
    {
        if (scale < 1 || scale > 4) throw new ArgumentOutOfRangeException(nameof(scale), "The font scale is 1, 2, 3 or 4.");
        FontScale = scale;
        return this;
    }

    // ---- Rendering --------------------------------------------------------------------------------

    /// <summary>The [lo, hi] that maps to black … white for image <paramref name="index"/>.</summary>
    internal (double Lo, double Hi) ValueRange(int index)
    {
        int per = Channels * ImageHeight * ImageWidth;
        (double, double) MinMax(int from, int length)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = from; i < from + length; i++)
            {
                double v = this.pixels[i];
                if (!double.IsFinite(v)) continue;
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
            if (double.IsInfinity(lo)) return (0, 1);
            return hi > lo ? (lo, hi) : (lo - 0.5, lo + 0.5);   // a constant image shows mid-grey
        }
        switch (Scaling)
        {
            case ImageScaling.Fixed: return (rangeMin, rangeMax);
            case ImageScaling.PerImage: return MinMax(index * per, per);
            case ImageScaling.Global: return MinMax(0, this.pixels.Length);
            default:
                var (lo, hi) = MinMax(0, this.pixels.Length);
                if (lo >= 0 && hi <= 1) return (0, 1);
                if (lo >= 0 && hi <= 255 && hi > 1) return (0, 255);
                return MinMax(index * per, per);
        }
    }

    private sealed record Layout(int Zoom, int Columns, int Rows, int CellWidth, int CaptionLines, int TitleHeight, int TitleScale,
                                 int Width, int Height, string[][] Lines);

    private const int Margin = 6;

    private Layout ComputeLayout()
    {
        int zoom = Zoom, columns = ColumnCount, rows = (Count + columns - 1) / columns;
        int imgW = ImageWidth * zoom;
        int fs = FontScale;
        bool anyCaption = this.captions.Any(c => !string.IsNullOrEmpty(c));
        int longest = anyCaption ? this.captions.Where(c => c != null).SelectMany(c => c!.Split('\n')).Max(l => BitmapFont.Width(l, fs)) : 0;
        int cellW = Math.Max(imgW, Math.Min(longest, Math.Max(imgW, 18 * BitmapFont.Advance * fs)));
        var lines = this.captions.Select(c => string.IsNullOrEmpty(c) ? [] : Wrap(c, cellW, fs)).ToArray();
        int captionLines = lines.Length == 0 ? 0 : lines.Max(l => l.Length);
        int gap = anyCaption ? 8 : 4;
        int cellH = ImageHeight * zoom + (captionLines > 0 ? 4 + captionLines * BitmapFont.LineHeight * fs : 0);
        int gridW = columns * cellW + (columns - 1) * gap;
        int titleScale = 0, titleH = 0;
        if (!string.IsNullOrEmpty(Title))
        {
            titleScale = BitmapFont.Width(Title, 2 * fs) <= gridW ? 2 * fs : fs;
            titleH = BitmapFont.Ascent * titleScale + 10;
        }
        int width = Math.Max(gridW, string.IsNullOrEmpty(Title) ? 0 : BitmapFont.Width(Title, titleScale)) + 2 * Margin;
        int height = titleH + rows * cellH + (rows - 1) * gap + 2 * Margin;
        return new Layout(zoom, columns, rows, cellW, captionLines, titleH, titleScale, width, height, lines);
    }

    /// <summary>Breaks a caption into lines no wider than <paramref name="width"/> pixels, at spaces where possible.</summary>
    internal static string[] Wrap(string caption, int width, int scale)
    {
        int maxChars = Math.Max(1, (width / scale + 1) / BitmapFont.Advance);
        var result = new List<string>();
        foreach (var paragraph in caption.Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' '))
            {
                var w = word;
                string candidate = line.Length == 0 ? w : line + " " + w;
                if (candidate.Length <= maxChars) { line = candidate; continue; }
                if (line.Length > 0) result.Add(line);
                while (w.Length > maxChars) { result.Add(w[..maxChars]); w = w[maxChars..]; }
                line = w;
            }
            result.Add(line);
        }
        return result.ToArray();
    }

    /// <summary>The top-left corner of image <paramref name="n"/>'s cell, and of the image inside it.</summary>
    private (int CellX, int CellY, int ImageX) Cell(Layout layout, int n)
    {
        int gap = layout.CaptionLines > 0 ? 8 : 4;
        int cellH = ImageHeight * layout.Zoom + (layout.CaptionLines > 0 ? 4 + layout.CaptionLines * BitmapFont.LineHeight * FontScale : 0);
        int col = n % layout.Columns, row = n / layout.Columns;
        int cellX = Margin + col * (layout.CellWidth + gap), cellY = Margin + layout.TitleHeight + row * (cellH + gap);
        return (cellX, cellY, cellX + (layout.CellWidth - ImageWidth * layout.Zoom) / 2);
    }

    /// <summary>Image <paramref name="n"/> at its own size, its values mapped to colours.</summary>
    private Raster ImageRaster(int n)
    {
        var raster = new Raster(ImageWidth, ImageHeight, Background);
        var (lo, hi) = ValueRange(n);
        double inv = 1 / (hi - lo);
        int per = Channels * ImageHeight * ImageWidth, plane = ImageHeight * ImageWidth;
        static byte B(double t) => (byte)Math.Round(255 * Math.Clamp(double.IsNaN(t) ? 0 : t, 0, 1));
        for (int y = 0; y < ImageHeight; y++)
            for (int x = 0; x < ImageWidth; x++)
            {
                int i = n * per + y * ImageWidth + x;
                raster[x, y] = Channels == 1
                    ? Colormap[(this.pixels[i] - lo) * inv]
                    : new Rgb(B((this.pixels[i] - lo) * inv), B((this.pixels[i + plane] - lo) * inv), B((this.pixels[i + 2 * plane] - lo) * inv));
            }
        return raster;
    }

    /// <summary>Renders the grid.</summary>
    internal Raster Render()
    {
        var layout = ComputeLayout();
        var raster = new Raster(layout.Width, layout.Height, Background);
        int fs = FontScale;
        if (!string.IsNullOrEmpty(Title))
            raster.DrawText((layout.Width - BitmapFont.Width(Title, layout.TitleScale)) / 2, Margin, Title, CaptionColor, layout.TitleScale);
        for (int n = 0; n < Count; n++)
        {
            var (cellX, cellY, imgX) = Cell(layout, n);
            var image = ImageRaster(n);
            for (int y = 0; y < ImageHeight; y++)
                for (int x = 0; x < ImageWidth; x++)
                    raster.FillRect(imgX + x * layout.Zoom, cellY + y * layout.Zoom, layout.Zoom, layout.Zoom, image[x, y]);
            var lines = layout.Lines[n];
            for (int k = 0; k < lines.Length; k++)
            {
                int tx = cellX + (layout.CellWidth - BitmapFont.Width(lines[k], fs)) / 2;
                int ty = cellY + ImageHeight * layout.Zoom + 4 + k * BitmapFont.LineHeight * fs;
                raster.DrawText(tx, ty, lines[k], highlight[n] ? HighlightColor : CaptionColor, fs);
            }
        }
        return raster;
    }

    /// <summary>
    /// The grid as SVG: each image an embedded PNG enlarged without smoothing, captions and title as
    /// vector text (sharper than the PNG's pixel font in documents); same layout as <see cref="ToPng"/>.
    /// </summary>
    public string ToSvg()
    {
        var layout = ComputeLayout();
        var svg = new SvgWriter(layout.Width, layout.Height, Title);
        int fs = FontScale;
        if (!string.IsNullOrEmpty(Title))
            svg.Text(layout.Width / 2.0, Margin + BitmapFont.Ascent * layout.TitleScale, Title, 6 * layout.TitleScale, "middle", bold: true, cssClass: "title");
        for (int n = 0; n < Count; n++)
        {
            var (cellX, cellY, imgX) = Cell(layout, n);
            var png = Convert.ToBase64String(ImageRaster(n).ToPng());
            svg.Raw($"<image class=\"image\" x=\"{imgX}\" y=\"{cellY}\" width=\"{ImageWidth * layout.Zoom}\" height=\"{ImageHeight * layout.Zoom}\" " +
                    $"image-rendering=\"optimizeSpeed\" style=\"image-rendering: pixelated\" " +
                        $"preserveAspectRatio=\"none\" href=\"data:image/png;base64,{png}\"/>\n");
            var lines = layout.Lines[n];
            for (int k = 0; k < lines.Length; k++)
                svg.Text(cellX + layout.CellWidth / 2.0, cellY + ImageHeight * layout.Zoom + 4 + (k + 1) * BitmapFont.LineHeight * fs - 2, lines[k],
                         10 * fs, "middle", highlight[n] ? HighlightColor.Hex : CaptionColor.Hex, cssClass: "caption");
        }
        return svg.ToString();
    }

    /// <summary>Writes the SVG form to <paramref name="path"/> and returns the path.</summary>
    public string SaveSvg(string path) => FileOutput.WriteText(path, ToSvg());

    /// <summary>The grid as PNG bytes.</summary>
    public byte[] ToPng() => Render().ToPng();

    /// <summary>The PNG as base64, the image/png form that notebooks store.</summary>
    public string ToBase64Png() => Convert.ToBase64String(ToPng());

    /// <summary>An &lt;img&gt; holding the PNG as a data URI.</summary>
    public string ToHtml()
    {
        var layout = ComputeLayout();
        string alt = SvgWriter.Escape(Title ?? $"{Count} images");
        return $"<img src=\"data:image/png;base64,{ToBase64Png()}\" width=\"{layout.Width}\" " +
            $"height=\"{layout.Height}\" alt=\"{alt}\" style=\"image-rendering: pixelated\"/>";
    }

    /// <summary>Writes the PNG to <paramref name="path"/> (creating the folder) and returns the path.</summary>
    public string SavePng(string path) => FileOutput.WriteBytes(path, ToPng());

    public override string ToString()
    {
        string shown = totalCount > Count ? $"{Count} of {totalCount}" : Count.ToString(CultureInfo.InvariantCulture);
        string kind = Channels == 3 ? "RGB" : "grayscale";
        return $"ImageGrid{(Title != null ? $" \"{Title}\"" : "")}: {shown} {kind} images of {ImageHeight} x {ImageWidth}, {ColumnCount} per row, zoom {Zoom}";
    }
}

/// <summary>Formats an <see cref="ImageGrid"/>: PNG (base64), HTML (an &lt;img&gt; with a data URI), a one-line text, and SVG on request.</summary>
public sealed class ImageGridFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return ConventionFormatter.For<ImageGrid>(MimeTypes.Png, g => g.ToBase64Png());
        yield return ConventionFormatter.For<ImageGrid>(MimeTypes.Html, g => g.ToHtml());
        yield return ConventionFormatter.For<ImageGrid>(MimeTypes.PlainText, g => g.ToString());
        yield return ConventionFormatter.For<ImageGrid>(MimeTypes.Svg, g => g.ToSvg());
    }
}
