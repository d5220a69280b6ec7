using CnnCourse.Visualization;

namespace CnnCourse.Tests.Visualization;

public class ImageGridTests
{
    private static readonly (byte, byte, byte) White = (255, 255, 255);

    [Fact]
    public void Two_grayscale_images_land_at_the_expected_pixels()
    {
        // Layout without captions: 6 px margin, 4 px between images; 2 x 2 images at zoom 1.
        float[] pixels = [0, 0.5f, 1, 0.25f, /* second image */ 1, 1, 0, 0];
        var grid = ImageGrid.FromPixels(pixels, 2, 1, 2, 2).Range(0, 1).Scale(1).Columns(2);
        var png = DecodedPng.Decode(grid.ToPng());
        Assert.Equal(6 + 2 + 4 + 2 + 6, png.Width);
        Assert.Equal(6 + 2 + 6, png.Height);
        Assert.Equal((0, 0, 0), png.Rgb(6, 6));
        Assert.Equal((128, 128, 128), png.Rgb(7, 6));
        Assert.Equal((255, 255, 255), png.Rgb(6, 7));
        Assert.Equal((64, 64, 64), png.Rgb(7, 7));
        Assert.Equal((255, 255, 255), png.Rgb(12, 6));
        Assert.Equal((0, 0, 0), png.Rgb(12, 7));
        Assert.Equal(White, png.Rgb(0, 0));
        Assert.Equal(White, png.Rgb(10, 6));   // the gap
    }

    [Fact]
    public void Nearest_neighbour_zoom_repeats_each_pixel()
    {
        float[] pixels = [0, 1, 1, 0];
        var png = DecodedPng.Decode(ImageGrid.FromPixels(pixels, 1, 1, 2, 2).Range(0, 1).Scale(3).ToPng());
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
        var png = DecodedPng.Decode(ImageGrid.FromPixels(pixels, 1, 3, 1, 2).Range(0, 1).Scale(1).ToPng());
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
        var png = DecodedPng.Decode(grid.ToPng());
        Assert.Equal((0, 0, 0), png.Rgb(6, 6));
        Assert.Equal((128, 128, 128), png.Rgb(7, 6));
        Assert.Equal((255, 255, 255), png.Rgb(6, 7));
        Assert.Equal((191, 191, 191), png.Rgb(7, 7));
        Assert.Equal((0, 0, 0), png.Rgb(12, 6));
        Assert.Equal((85, 85, 85), png.Rgb(13, 6));
        Assert.Equal((170, 170, 170), png.Rgb(12, 7));
        Assert.Equal((255, 255, 255), png.Rgb(13, 7));
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
        var grid = ImageGrid.FromPixels(pixels, 2, 1, 2, 2).WithScaling(ImageScaling.Global).Scale(1).Columns(2);
        var png = DecodedPng.Decode(grid.ToPng());
        Assert.Equal((0, 0, 0), png.Rgb(6, 6));
        Assert.Equal((255, 255, 255), png.Rgb(13, 7));
        Assert.Equal((146, 146, 146), png.Rgb(12, 6));   // 4/7 of the way
    }

    [Fact]
    public void Auto_scaling_recognises_unit_and_byte_ranges()
    {
        Assert.Equal((0.0, 1.0), ImageGrid.FromPixels(new float[] { 0.2f, 0.4f, 0.6f, 0.8f }, 1, 1, 2, 2).ValueRange(0));
        Assert.Equal((0.0, 255.0), ImageGrid.FromPixels(new float[] { 0, 12, 200, 3 }, 1, 1, 2, 2).ValueRange(0));
        Assert.Equal((-1.0, 3.0), ImageGrid.FromPixels(new float[] { -1, 0, 2, 3 }, 1, 1, 2, 2).ValueRange(0));
        var bytes = ImageGrid.FromPixels(new byte[] { 0, 255, 0, 0 }, 1, 1, 2, 2).Scale(1);
        Assert.Equal(ImageScaling.Fixed, bytes.Scaling);
        Assert.Equal((255, 255, 255), DecodedPng.Decode(bytes.ToPng()).Rgb(7, 6));
    }

    [Fact]
    public void Feature_maps_use_viridis_from_dark_purple_to_yellow()
    {
        var grid = ImageGrid.FeatureMaps(new float[] { -3, 5 }, 1, 1, 2).Scale(1);
        var png = DecodedPng.Decode(grid.ToPng());
        Assert.Equal((0x44, 0x01, 0x54), png.Rgb(6, 6));
        Assert.Equal((0xfd, 0xe7, 0x25), png.Rgb(7, 6));
    }

    [Fact]
    public void Captions_are_drawn_under_the_images_and_wrong_predictions_in_red()
    {
        var classes = new[] { "Shirt", "Coat" };
        var grid = ImageGrid.Samples(new float[2 * 4 * 4], 2, 1, 4, 4, [0, 1], classes, predicted: [0, 0]).Scale(1);
        Assert.Equal(["Shirt", "Shirt\n(true: Coat)"], grid.Captions);
        var png = DecodedPng.Decode(grid.ToPng());
        int imageBottom = 6 + 4;
        var below = Enumerable.Range(imageBottom, png.Height - imageBottom).SelectMany(y => Enumerable.Range(0, png.Width).Select(x => png.Rgb(x, y))).ToList();
        Assert.Contains(below, p => p == (38, 38, 38));    // #262626 text
        Assert.Contains(below, p => p == (214, 39, 40));   // #d62728 text
        var above = Enumerable.Range(0, 6).SelectMany(y => Enumerable.Range(0, png.Width).Select(x => png.Rgb(x, y)));
        Assert.All(above, p => Assert.Equal(White, p));
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
        Assert.Equal(["true:", "T-shirt/to", "p"], ImageGrid.Wrap("true: T-shirt/top", 60, 1));
        Assert.Equal(["a b c"], ImageGrid.Wrap("a b c", 60, 1));
        Assert.Equal(["one", "two"], ImageGrid.Wrap("one\ntwo", 60, 1));
    }

    [Fact]
    public void Bad_shapes_are_reported_with_the_numbers()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageGrid.FromPixels(new float[10], 1, 1, 28, 28));
        Assert.Contains("need 784 values, got 10", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageGrid.FromPixels(new float[4 * 4], 1, 4, 2, 2));
        Assert.Contains("FeatureMaps", e.Message);
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
        var plain = DecodedPng.Decode(ImageGrid.FromPixels(new float[4], 1, 1, 2, 2).Scale(1).ToPng());
        var titled = DecodedPng.Decode(ImageGrid.FromPixels(new float[4], 1, 1, 2, 2).Scale(1).WithTitle("Hi").ToPng());
        Assert.True(titled.Height > plain.Height);
        Assert.Contains(Enumerable.Range(0, titled.Width).Select(x => titled.Rgb(x, 8)), p => p == (38, 38, 38));
    }
}

public class ImageGridSvgTests
{
    [Fact]
    public void Svg_form_embeds_each_image_as_png_with_vector_captions()
    {
        float[] pixels = [0, 1, 1, 0, /* second */ 1, 1, 1, 1];
        var grid = ImageGrid.FromPixels(pixels, 2, 1, 2, 2, ["a & b", "c"]).Range(0, 1).Scale(5).WithTitle("T");
        var doc = Svg.Parse(grid.ToSvg());
        var images = doc.Descendants(Svg.Ns + "image").ToList();
        Assert.Equal(2, images.Count);
        Assert.All(images, i => Assert.Equal("10", (string?)i.Attribute("width")));
        const string prefix = "data:image/png;base64,";
        var first = DecodedPng.Decode(Convert.FromBase64String(((string)images[0].Attribute("href")!)[prefix.Length..]));
        Assert.Equal((2, 2), (first.Width, first.Height));
        Assert.Equal((0, 0, 0), first.Rgb(0, 0));
        Assert.Equal((255, 255, 255), first.Rgb(1, 0));
        Assert.Equal(["a & b", "c"], doc.WithClass("text", "caption").Select(t => t.Value));
        Assert.Equal("T", doc.WithClass("text", "title").Single().Value);
        var png = DecodedPng.Decode(grid.ToPng());
        Assert.Equal(png.Width.ToString(), (string?)doc.Root!.Attribute("width"));
    }
}

public class BitmapFontTests
{
    [Fact]
    public void Every_printable_ascii_character_has_its_own_glyph()
    {
        string Key(char c) => string.Concat(Enumerable.Range(0, BitmapFont.Rows * BitmapFont.GlyphWidth)
            .Select(i => BitmapFont.Pixel(c, i % BitmapFont.GlyphWidth, i / BitmapFont.GlyphWidth) ? '#' : '.'));
        var glyphs = Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c).ToDictionary(c => c, Key);
        var duplicates = glyphs.GroupBy(g => g.Value).Where(g => g.Count() > 1).Select(g => string.Concat(g.Select(x => x.Key))).ToList();
        Assert.Empty(duplicates);
        Assert.All(glyphs.Where(g => g.Key != ' '), g => Assert.Contains('#', g.Value));
        Assert.Equal(Key('?'), Key('é'));   // outside ASCII prints as '?'
    }

    [Fact]
    public void Letter_A_is_drawn_where_the_table_says()
    {
        var raster = new Raster(7, 11, new Rgb(255, 255, 255));
        raster.DrawText(1, 1, "A", new Rgb(0, 0, 0));
        var png = DecodedPng.Decode(raster.ToPng());
        string[] expected = [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"];
        for (int row = 0; row < 7; row++)
            for (int col = 0; col < 5; col++)
                Assert.Equal(expected[row][col] == '#' ? (byte)0 : (byte)255, png.Rgb(1 + col, 1 + row).R);
        Assert.Equal(17, BitmapFont.Width("abc"));
    }
}
