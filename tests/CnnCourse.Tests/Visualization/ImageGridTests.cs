using System.Xml.Linq;
using CnnCourse.Visualization;
using SkiaSharp;

namespace CnnCourse.Tests.Visualization;

/// <summary>Reads a grid's PNG back with SkiaSharp's decoder, not with the code that drew it.</summary>
internal static class DecodedGrid
{
    public static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new Xunit.Sdk.XunitException("Not a PNG that SkiaSharp decodes.");

    public static SKBitmap Decode(ImageGrid grid) => Decode(grid.ToPng());

    public static (byte R, byte G, byte B) Rgb(this SKBitmap bitmap, int x, int y)
    {
        var c = bitmap.GetPixel(x, y);
        return (c.Red, c.Green, c.Blue);
    }

    /// <summary>The pixels with left ≤ x &lt; right and top ≤ y &lt; bottom.</summary>
    public static List<(byte R, byte G, byte B)> Region(this SKBitmap bitmap, int left, int top, int right, int bottom) =>
        Enumerable.Range(top, bottom - top).SelectMany(y => Enumerable.Range(left, right - left).Select(x => bitmap.Rgb(x, y))).ToList();

    public static bool Dark((byte R, byte G, byte B) p) => p.R < 100 && p.G < 100 && p.B < 100;

    public static bool Red((byte R, byte G, byte B) p) => p.R > 150 && p.G < 110 && p.B < 110;
}

public class ImageGridTests
{
    private static readonly (byte, byte, byte) White = (255, 255, 255);
    private static readonly (byte, byte, byte) Black = (0, 0, 0);

    [Fact]
    public void Two_grayscale_images_land_at_the_expected_pixels()
    {
        // Layout without captions: 6 px margin, 4 px between images; 2 x 2 images at zoom 1.
        float[] pixels = [0, 0.5f, 1, 0.25f, /* second image */ 1, 1, 0, 0];
        using var png = DecodedGrid.Decode(ImageGrid.FromPixels(pixels, 2, 1, 2, 2).Range(0, 1).Scale(1).Columns(2));
        Assert.Equal(6 + 2 + 4 + 2 + 6, png.Width);
        Assert.Equal(6 + 2 + 6, png.Height);
        Assert.Equal(Black, png.Rgb(6, 6));
        Assert.Equal((128, 128, 128), png.Rgb(7, 6));
        Assert.Equal(White, png.Rgb(6, 7));
        Assert.Equal((64, 64, 64), png.Rgb(7, 7));
        Assert.Equal(White, png.Rgb(12, 6));
        Assert.Equal(Black, png.Rgb(12, 7));
        Assert.Equal(White, png.Rgb(0, 0));
        Assert.Equal(White, png.Rgb(10, 6));   // the gap
    }

    [Fact]
    public void A_white_pixel_of_the_second_image_fills_its_zoomed_block_and_nothing_else()
    {
        // Three black 3 x 3 images; the second has one white pixel at row 2, column 1. Zoom 5, one row.
        const int s = 5;
        var pixels = new float[3 * 9];
        pixels[9 + 2 * 3 + 1] = 1;
        using var png = DecodedGrid.Decode(ImageGrid.FromPixels(pixels, 3, 1, 3, 3).Range(0, 1).Scale(s).Columns(3));
        Assert.Equal(6 + 3 * 3 * s + 2 * 4 + 6, png.Width);
        Assert.Equal(6 + 3 * s + 6, png.Height);
        int left = 6 + 3 * s + 4, top = 6;                     // the second image's top-left corner
        int bx = left + 1 * s, by = top + 2 * s;               // its white block
        Assert.All(png.Region(bx, by, bx + s, by + s), p => Assert.Equal(White, p));
        var rest = png.Region(left, top, left + 3 * s, top + 3 * s);
        Assert.Equal(s * s, rest.Count(p => p == White));
        Assert.Equal(8 * s * s, rest.Count(p => p == Black));   // nearest neighbour: no grey edges
    }

    [Fact]
    public void Nearest_neighbour_zoom_repeats_each_pixel()
    {
        float[] pixels = [0, 1, 1, 0];
        using var png = DecodedGrid.Decode(ImageGrid.FromPixels(pixels, 1, 1, 2, 2).Range(0, 1).Scale(3));
        Assert.Equal(6 + 6 + 6, png.Width);
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 6; x++)
            {
                byte expected = (x / 3 + y / 3) % 2 == 1 ? (byte)255 : (byte)0;
                Assert.Equal((expected, expected, expected), png.Rgb(6 + x, 6 + y));
            }
    }

    [Fact]
    public void Small_images_are_enlarged_to_about_56_pixels()
    {
        Assert.Equal(2, ImageGrid.FromPixels(new float[784], 1, 1, 28, 28).Zoom);
        Assert.Equal(11, ImageGrid.FromPixels(new float[25], 1, 1, 5, 5).Zoom);
        Assert.Equal(1, ImageGrid.FromPixels(new float[3 * 224 * 224], 1, 3, 224, 224).Zoom);
    }

    [Fact]
    public void Rgb_images_take_channels_from_separate_planes()
    {
        // C x H x W = 3 x 1 x 2: red plane [1, 0], green plane [0, 1], blue plane [0, 0.5].
        float[] pixels = [1, 0, 0, 1, 0, 0.5f];
        using var png = DecodedGrid.Decode(ImageGrid.FromPixels(pixels, 1, 3, 1, 2).Range(0, 1).Scale(1));
        Assert.Equal((255, 0, 0), png.Rgb(6, 6));
        Assert.Equal((0, 255, 128), png.Rgb(7, 6));
    }

    [Fact]
    public void Filters_are_stretched_to_black_and_white_each_on_its_own()
    {
        // Two 1-channel 2 x 2 filters with very different ranges.
        float[] weights = [-2, 0, 2, 1, /* second */ 10, 20, 30, 40];
        var grid = ImageGrid.Filters(weights, 2, 1, 2, 2).Scale(1).Columns(2);
        Assert.Equal(ImageScaling.PerImage, grid.Scaling);
        using var png = DecodedGrid.Decode(grid);
        Assert.Equal(Black, png.Rgb(6, 6));
        Assert.Equal((128, 128, 128), png.Rgb(7, 6));
        Assert.Equal(White, png.Rgb(6, 7));
        Assert.Equal((191, 191, 191), png.Rgb(7, 7));
        Assert.Equal(Black, png.Rgb(12, 6));
        Assert.Equal((85, 85, 85), png.Rgb(13, 6));
        Assert.Equal((170, 170, 170), png.Rgb(12, 7));
        Assert.Equal(White, png.Rgb(13, 7));
    }

    [Fact]
    public void Filters_with_many_input_channels_show_one_row_per_output_channel()
    {
        var grid = ImageGrid.Filters(new float[16 * 6 * 5 * 5], 16, 6, 5, 5);
        Assert.Equal(96, grid.Count);
        Assert.Equal(6, grid.ColumnCount);
        Assert.Equal(1, grid.Channels);
        var rgb = ImageGrid.Filters(new float[64 * 3 * 11 * 11], 64, 3, 11, 11);
        Assert.Equal(64, rgb.Count);
        Assert.Equal(3, rgb.Channels);
    }

    [Fact]
    public void Global_scaling_compares_brightness_across_images()
    {
        float[] pixels = [0, 1, 2, 3, /* second */ 4, 5, 6, 7];
        using var png = DecodedGrid.Decode(ImageGrid.FromPixels(pixels, 2, 1, 2, 2).WithScaling(ImageScaling.Global).Scale(1).Columns(2));
        Assert.Equal(Black, png.Rgb(6, 6));
        Assert.Equal(White, png.Rgb(13, 7));
        Assert.Equal((146, 146, 146), png.Rgb(12, 6));   // 4/7 of the way
    }

    [Fact]
    public void A_fixed_range_clamps_values_outside_it()
    {
        float[] pixels = [-5, 0.5f, 2, 7];
        using var png = DecodedGrid.Decode(ImageGrid.FromPixels(pixels, 1, 1, 1, 4).Range(0, 2).Scale(1));
        Assert.Equal([Black, (64, 64, 64), White, White], Enumerable.Range(6, 4).Select(x => png.Rgb(x, 6)));
    }

    [Fact]
    public void Auto_scaling_recognises_unit_and_byte_ranges()
    {
        Assert.Equal((0.0, 1.0), ImageGrid.FromPixels(new float[] { 0.2f, 0.4f, 0.6f, 0.8f }, 1, 1, 2, 2).ValueRange(0));
        Assert.Equal((0.0, 255.0), ImageGrid.FromPixels(new float[] { 0, 12, 200, 3 }, 1, 1, 2, 2).ValueRange(0));
        Assert.Equal((-1.0, 3.0), ImageGrid.FromPixels(new float[] { -1, 0, 2, 3 }, 1, 1, 2, 2).ValueRange(0));
        var bytes = ImageGrid.FromPixels(new byte[] { 0, 255, 0, 0 }, 1, 1, 2, 2).Scale(1);
        Assert.Equal(ImageScaling.Fixed, bytes.Scaling);
        using var png = DecodedGrid.Decode(bytes);
        Assert.Equal(White, png.Rgb(7, 6));
    }

    [Fact]
    public void Feature_maps_use_viridis_from_dark_purple_to_yellow()
    {
        using var png = DecodedGrid.Decode(ImageGrid.FeatureMaps(new float[] { -3, 5 }, 1, 1, 2).Scale(1));
        Assert.Equal((0x44, 0x01, 0x54), png.Rgb(6, 6));
        Assert.Equal((0xfd, 0xe7, 0x25), png.Rgb(7, 6));
    }

    [Fact]
    public void Captions_are_drawn_under_the_images_and_wrong_predictions_in_red()
    {
        // Two white 4 x 4 images at zoom 4: the first captioned "Shirt" (right), the second in red (wrong).
        var classes = new[] { "Shirt", "Coat" };
        var pixels = Enumerable.Repeat(1f, 2 * 4 * 4).ToArray();
        var grid = ImageGrid.Samples(pixels, 2, 1, 4, 4, [0, 1], classes, predicted: [0, 0]).Range(0, 1).Scale(4).Columns(2);
        Assert.Equal(["Shirt", "Shirt\n(true: Coat)"], grid.Captions);
        using var png = DecodedGrid.Decode(grid);
        int imageBottom = 6 + 16;
        int middle = png.Width / 2;
        var firstCaption = png.Region(0, imageBottom, middle, png.Height);
        var secondCaption = png.Region(middle, imageBottom, png.Width, png.Height);
        Assert.Contains(firstCaption, DecodedGrid.Dark);                    // #262626 text
        Assert.DoesNotContain(firstCaption, DecodedGrid.Red);
        Assert.Contains(secondCaption, DecodedGrid.Red);                    // #d62728 text
        Assert.DoesNotContain(secondCaption, DecodedGrid.Dark);
        Assert.All(png.Region(0, 0, png.Width, imageBottom), p => Assert.False(DecodedGrid.Dark(p) || DecodedGrid.Red(p)));
        // Two caption lines under the second image make the cells taller than one line needs.
        using var oneLine = DecodedGrid.Decode(ImageGrid.Samples(pixels, 2, 1, 4, 4, [0, 1], classes).Range(0, 1).Scale(4).Columns(2));
        Assert.True(png.Height > oneLine.Height, $"{png.Height} vs {oneLine.Height}");
    }

    [Fact]
    public void Misclassified_keeps_only_wrong_predictions_with_true_and_predicted_names()
    {
        var pixels = new float[4 * 2 * 2];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = i / 4;   // image k is all k
        var classes = new[] { "T-shirt", "Trouser", "Shirt" };
        var grid = ImageGrid.Misclassified(pixels, 4, 1, 2, 2, labels: [0, 1, 2, 2], predicted: [0, 2, 0, 2], classes);
        Assert.Equal(2, grid.Count);
        Assert.Equal(["true: Trouser\npred: Shirt", "true: Shirt\npred: T-shirt"], grid.Captions);
        Assert.Throws<InvalidOperationException>(() => ImageGrid.Misclassified(pixels, 4, 1, 2, 2, [0, 1, 2, 2], [0, 1, 2, 2], classes));
    }

    [Fact]
    public void Captions_wrap_at_spaces_to_the_cell_width()
    {
        static float SixPerCharacter(string s) => 6 * s.Length;
        Assert.Equal(["true:", "T-shirt/to", "p"], ImageGrid.Wrap("true: T-shirt/top", 60, SixPerCharacter));
        Assert.Equal(["a b c"], ImageGrid.Wrap("a b c", 60, SixPerCharacter));
        Assert.Equal(["one", "two"], ImageGrid.Wrap("one\ntwo", 60, SixPerCharacter));
    }

    [Fact]
    public void A_long_caption_wraps_instead_of_widening_the_cell()
    {
        var shortCaption = ImageGrid.FromPixels(new float[4], 1, 1, 2, 2, ["cat"]).Scale(1);
        var longCaption = ImageGrid.FromPixels(new float[4], 1, 1, 2, 2, [string.Join(' ', Enumerable.Repeat("word", 30))]).Scale(1);
        using var a = DecodedGrid.Decode(shortCaption);
        using var b = DecodedGrid.Decode(longCaption);
        Assert.InRange(b.Width, a.Width, 6 + 140 + 6);   // at most 10 × the 11 px font wide, plus margins
        Assert.True(b.Height > a.Height + 40, $"{b.Height} vs {a.Height}");
    }

    [Fact]
    public void Bad_input_is_reported_with_what_was_wrong()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageGrid.FromPixels(new float[10], 1, 1, 28, 28));
        Assert.Contains("need 784 values, got 10", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.FromPixels(new float[4 * 4], 1, 4, 2, 2));
        Assert.Contains("FeatureMaps", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.FromPixels(new float[4], 0, 1, 2, 2));
        Assert.Contains("at least one image", e.Message);
        Assert.Contains("N=0", e.Message);
        float[] withNaN = [0, 0, 0, 0, /* second image */ 0, 0, float.NaN, 0];
        e = Assert.Throws<ArgumentException>(() => ImageGrid.FromPixels(withNaN, 2, 1, 2, 2));
        Assert.Contains("Image 1 holds NaN at channel 0, row 1, column 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.FeatureMaps(new[] { 1f, float.PositiveInfinity }, 1, 1, 2));
        Assert.Contains("Image 0 holds Infinity at channel 0, row 0, column 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.Misclassified(new float[7], 2, 1, 2, 2, [0, 1], [1, 0], ["a", "b"]));
        Assert.Contains("need 8 values, got 7", e.Message);
    }

    [Fact]
    public void A_longer_array_shows_its_first_images_and_the_limit_caps_the_grid()
    {
        var grid = ImageGrid.FromPixels(new float[1000 * 4], 10, 1, 2, 2);
        Assert.Equal(10, grid.Count);
        var capped = ImageGrid.FromPixels(new float[1000 * 4], 1000, 1, 2, 2, limit: 50);
        Assert.Equal(50, capped.Count);
        Assert.Contains("50 of 1000", capped.ToString());
    }

    [Fact]
    public void Title_is_drawn_above_the_grid()
    {
        var ones = new float[] { 1, 1, 1, 1 };
        using var plain = DecodedGrid.Decode(ImageGrid.FromPixels(ones, 1, 1, 2, 2).Range(0, 1).Scale(1));
        using var titled = DecodedGrid.Decode(ImageGrid.FromPixels(ones, 1, 1, 2, 2).Range(0, 1).Scale(1).WithTitle("Hi"));
        int titleHeight = titled.Height - plain.Height;
        Assert.InRange(titleHeight, 16, 30);
        Assert.Contains(titled.Region(0, 6, titled.Width, 6 + titleHeight), DecodedGrid.Dark);
    }

    [Fact]
    public void The_same_grid_gives_the_same_bytes()
    {
        static ImageGrid Grid() =>
            ImageGrid.Samples(Enumerable.Range(0, 3 * 28 * 28).Select(i => i % 7 / 7f).ToArray(), 3, 1, 28, 28, [0, 1, 2], ["cat", "dog", "bird"], [0, 2, 2])
                     .WithTitle("Samples");
        var first = Grid().ToPng();
        Assert.Equal(first, Grid().ToPng());
        Assert.Equal(first, Grid().ToPng());
    }
}

public class ImageGridSvgTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    [Fact]
    public void Svg_form_embeds_each_image_and_writes_captions_as_text()
    {
        float[] pixels = [0, 1, 1, 0, /* second */ 1, 1, 1, 1];
        var grid = ImageGrid.FromPixels(pixels, 2, 1, 2, 2, ["a & b", "c"]).Range(0, 1).Scale(5).WithTitle("T");
        var doc = XDocument.Parse(grid.ToSvg());
        Assert.Equal(2, doc.Descendants(Ns + "image").Count());
        var text = string.Concat(doc.Descendants(Ns + "text").Select(t => t.Value));
        Assert.Contains("T", text);
        Assert.Contains("a & b", text);
        using var png = DecodedGrid.Decode(grid);
        Assert.Equal(png.Width.ToString(), (string?)doc.Root!.Attribute("width"));
        Assert.Equal(png.Height.ToString(), (string?)doc.Root!.Attribute("height"));
    }
}
