using System.Globalization;
using System.Net;
using System.Text;
using CnnCourse.Display;
using SkiaSharp;

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
/// A grid of small images with optional captions, drawn and encoded as PNG by SkiaSharp: dataset
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

    private const string HighlightColor = "#d62728";

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
        int bad = Array.FindIndex(this.pixels, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            int within = bad % (int)per;
            string value = this.pixels[bad].ToString(CultureInfo.InvariantCulture);
            throw new ArgumentException($"Image {bad / per} holds {value} at channel {within / (height * width)}, " +
                $"row {within % (height * width) / width}, column {within % width}; an image grid shows finite values only.", nameof(pixels));
        }
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
                double v = this.pixels[i];   // finite: the constructor checks
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
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

    private const int Margin = 6;

    /// <summary>The fonts of one rendering: captions (11 px × the font scale) and the bold title, in the course's family.</summary>
    private sealed class GridFonts : IDisposable
    {
        private readonly SKTypeface regular = SKTypeface.FromFamilyName(CourseFont.Sans, SKFontStyle.Normal);
        private readonly SKTypeface bold = SKTypeface.FromFamilyName(CourseFont.Sans, SKFontStyle.Bold);

        public GridFonts(int scale)
        {
            Caption = Font(this.regular, 11 * scale);
            LargeTitle = Font(this.bold, 16 * scale);
            SmallTitle = Font(this.bold, 11 * scale);
        }

        public SKFont Caption { get; }
        public SKFont LargeTitle { get; }
        public SKFont SmallTitle { get; }

        /// <summary>Greyscale anti-aliasing with hinted outlines on whole pixels: sharp stems, the same pixels on every run.</summary>
        private static SKFont Font(SKTypeface typeface, float size) =>
            new(typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = false, Hinting = SKFontHinting.Normal };

        public static int LineHeight(SKFont font) => (int)Math.Ceiling(font.Spacing);

        public void Dispose()
        {
            Caption.Dispose();
            LargeTitle.Dispose();
            SmallTitle.Dispose();
            this.regular.Dispose();
            this.bold.Dispose();
        }
    }

    private sealed record Layout(int Zoom, int Columns, int CellWidth, int CellHeight, int Gap, int CaptionLineHeight,
                                 SKFont? TitleFont, int TitleHeight, int Width, int Height, string[][] Lines);

    /// <summary>
    /// Where everything goes: cells as wide as the image or its widest caption line (at most about 18
    /// characters, wrapped beyond), one caption line height per line of the tallest caption, and the
    /// title above in 16 px, or 11 px when that is too wide for the grid.
    /// </summary>
    private Layout ComputeLayout(GridFonts fonts)
    {
        int zoom = Zoom, columns = ColumnCount, rows = (Count + columns - 1) / columns;
        int imgW = ImageWidth * zoom;
        var font = fonts.Caption;
        bool anyCaption = this.captions.Any(c => !string.IsNullOrEmpty(c));
        float longest = anyCaption ? this.captions.Where(c => c != null).SelectMany(c => c!.Split('\n')).Max(l => font.MeasureText(l)) : 0;
        int cellW = Math.Max(imgW, (int)Math.Ceiling(Math.Min(longest, Math.Max(imgW, 10 * font.Size))));
        var lines = this.captions.Select(c => string.IsNullOrEmpty(c) ? [] : Wrap(c, cellW, l => font.MeasureText(l))).ToArray();
        int captionLines = lines.Length == 0 ? 0 : lines.Max(l => l.Length);
        int lineH = GridFonts.LineHeight(font);
        int gap = anyCaption ? 8 : 4;
        int cellH = ImageHeight * zoom + (captionLines > 0 ? 4 + captionLines * lineH : 0);
        int gridW = columns * cellW + (columns - 1) * gap;
        SKFont? titleFont = null;
        int titleH = 0, titleW = 0;
        if (!string.IsNullOrEmpty(Title))
        {
            titleFont = fonts.LargeTitle.MeasureText(Title) <= gridW ? fonts.LargeTitle : fonts.SmallTitle;
            titleH = GridFonts.LineHeight(titleFont) + 6;
            titleW = (int)Math.Ceiling(titleFont.MeasureText(Title));
        }
        int width = Math.Max(gridW, titleW) + 2 * Margin;
        int height = titleH + rows * cellH + (rows - 1) * gap + 2 * Margin;
        if ((long)width * height > 100_000_000)
            throw new InvalidOperationException($"A {width} x {height} picture is too large; show fewer images (Limit) or a smaller zoom (Scale).");
        return new Layout(zoom, columns, cellW, cellH, gap, lineH, titleFont, titleH, width, height, lines);
    }

    /// <summary>Breaks a caption into lines no wider than <paramref name="width"/> as <paramref name="measure"/> says, at spaces where possible.</summary>
    internal static string[] Wrap(string caption, float width, Func<string, float> measure)
    {
        var result = new List<string>();
        foreach (var paragraph in caption.Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' '))
            {
                var w = word;
                string candidate = line.Length == 0 ? w : line + " " + w;
                if (measure(candidate) <= width) { line = candidate; continue; }
                if (line.Length > 0) result.Add(line);
                while (w.Length > 1 && measure(w) > width)
                {
                    int fit = 1;
                    while (fit + 1 < w.Length && measure(w[..(fit + 1)]) <= width) fit++;
                    result.Add(w[..fit]);
                    w = w[fit..];
                }
                line = w;
            }
            result.Add(line);
        }
        return result.ToArray();
    }

    /// <summary>
    /// Image <paramref name="n"/>, its values mapped to colours, enlarged <paramref name="zoom"/> times by nearest
    /// neighbour before it is drawn, so that no viewer smooths it (the SVG form embeds it as it is).
    /// </summary>
    private SKBitmap ImageBitmap(int n, int zoom)
    {
        var (lo, hi) = ValueRange(n);
        double inv = 1 / (hi - lo);
        int per = Channels * ImageHeight * ImageWidth, plane = ImageHeight * ImageWidth;
        static byte B(double t) => (byte)Math.Round(255 * Math.Clamp(t, 0, 1));
        var colors = new SKColor[plane];
        for (int p = 0; p < plane; p++)
        {
            int i = n * per + p;
            if (Channels == 1)
            {
                var c = Colormap[(this.pixels[i] - lo) * inv];
                colors[p] = new SKColor(c.R, c.G, c.B);
            }
            else colors[p] = new SKColor(B((this.pixels[i] - lo) * inv), B((this.pixels[i + plane] - lo) * inv), B((this.pixels[i + 2 * plane] - lo) * inv));
        }
        using var small = new SKBitmap(new SKImageInfo(ImageWidth, ImageHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        small.Pixels = colors;
        var large = new SKBitmap(new SKImageInfo(ImageWidth * zoom, ImageHeight * zoom, SKColorType.Rgba8888, SKAlphaType.Opaque));
        small.ScalePixels(large, new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
        return large;
    }

    /// <summary>
    /// Draws the grid on <paramref name="canvas"/>: each image enlarged by whole pixels (nearest neighbour, no
    /// smoothing), its caption centred under it (red where highlighted), the title centred above.
    /// </summary>
    private void Draw(SKCanvas canvas, Layout layout, GridFonts fonts)
    {
        canvas.Clear(SKColors.White);
        using var text = new SKPaint { IsAntialias = true, Color = SKColor.Parse(Palette.Text) };
        using var highlighted = new SKPaint { IsAntialias = true, Color = SKColor.Parse(HighlightColor) };
        if (layout.TitleFont is { } titleFont)
            canvas.DrawText(Title, layout.Width / 2f, Margin - titleFont.Metrics.Ascent, SKTextAlign.Center, titleFont, text);
        int imageW = ImageWidth * layout.Zoom, imageH = ImageHeight * layout.Zoom;
        for (int n = 0; n < Count; n++)
        {
            int col = n % layout.Columns, row = n / layout.Columns;
            int cellX = Margin + col * (layout.CellWidth + layout.Gap);
            int cellY = Margin + layout.TitleHeight + row * (layout.CellHeight + layout.Gap);
            using (var bitmap = ImageBitmap(n, layout.Zoom)) canvas.DrawBitmap(bitmap, cellX + (layout.CellWidth - imageW) / 2, cellY);
            var lines = layout.Lines[n];
            for (int k = 0; k < lines.Length; k++)
            {
                float baseline = cellY + imageH + 4 + k * layout.CaptionLineHeight - fonts.Caption.Metrics.Ascent;
                canvas.DrawText(lines[k], cellX + layout.CellWidth / 2f, baseline, SKTextAlign.Center, fonts.Caption, highlight[n] ? highlighted : text);
            }
        }
    }

    /// <summary>The grid as PNG bytes, drawn and encoded by SkiaSharp; the same grid gives the same bytes.</summary>
    public byte[] ToPng()
    {
        using var fonts = new GridFonts(FontScale);
        var layout = ComputeLayout(fonts);
        using var bitmap = new SKBitmap(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap)) Draw(canvas, layout, fonts);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>
    /// The grid as SVG, drawn by SkiaSharp's SVG canvas with the same drawing as <see cref="ToPng"/>: each image
    /// an embedded PNG, captions and title as text.
    /// </summary>
    public string ToSvg()
    {
        using var fonts = new GridFonts(FontScale);
        var layout = ComputeLayout(fonts);
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(SKRect.Create(layout.Width, layout.Height), stream)) Draw(canvas, layout, fonts);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the SVG form to <paramref name="path"/> and returns the path.</summary>
    public string SaveSvg(string path) => FileOutput.WriteText(path, ToSvg());

    /// <summary>The PNG as base64, the image/png form that notebooks store.</summary>
    public string ToBase64Png() => Convert.ToBase64String(ToPng());

    /// <summary>An &lt;img&gt; holding the PNG as a data URI.</summary>
    public string ToHtml()
    {
        Layout layout;
        using (var fonts = new GridFonts(FontScale)) layout = ComputeLayout(fonts);
        string alt = WebUtility.HtmlEncode(Title ?? $"{Count} images");
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
