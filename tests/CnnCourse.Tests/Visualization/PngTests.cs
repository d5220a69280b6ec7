using System.Text;
using CnnCourse.Visualization;

namespace CnnCourse.Tests.Visualization;

public class PngTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32.Compute([]));
        // IEND's CRC, printed in every PNG: AE 42 60 82.
        Assert.Equal(0xAE426082u, Crc32.Compute(Encoding.ASCII.GetBytes("IEND")));
    }

    [Fact]
    public void Rgb_image_round_trips_through_an_independent_decoder()
    {
        byte[] rgb =
        [
            255, 0, 0,    0, 255, 0,    0, 0, 255,
            0, 0, 0,      128, 128, 128, 255, 255, 255,
        ];
        var png = DecodedPng.Decode(Png.EncodeRgb(3, 2, rgb));
        Assert.Equal(3, png.Width);
        Assert.Equal(2, png.Height);
        Assert.Equal(3, png.Channels);
        Assert.Equal(["IHDR", "IDAT", "IEND"], png.ChunkTypes);
        Assert.Equal(rgb, png.Pixels);
        Assert.Equal((0, 0, 255), png.Rgb(2, 0));
        Assert.Equal((128, 128, 128), png.Rgb(1, 1));
    }

    [Fact]
    public void Grayscale_image_round_trips()
    {
        byte[] gray = [0, 64, 128, 255, 10, 20, 30, 40];
        var png = DecodedPng.Decode(Png.EncodeGray(4, 2, gray));
        Assert.Equal(1, png.Channels);
        Assert.Equal(gray, png.Pixels);
    }

    [Fact]
    public void Gradients_and_noise_round_trip_and_use_several_row_filters()
    {
        var rnd = new Random(7);
        int w = 61, h = 40;
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 3;
                bool noise = y >= 30;
                rgb[i] = noise ? (byte)rnd.Next(256) : (byte)(x * 4);
                rgb[i + 1] = noise ? (byte)rnd.Next(256) : (byte)(y * 6);
                rgb[i + 2] = noise ? (byte)rnd.Next(256) : (byte)((x + y) * 3);
            }
        var png = DecodedPng.Decode(Png.EncodeRgb(w, h, rgb));
        Assert.Equal(rgb, png.Pixels);
        Assert.True(png.FilterTypes.Distinct().Count() >= 2, $"filters used: {string.Join(",", png.FilterTypes.Distinct())}");
    }

    [Fact]
    public void Wrong_pixel_count_is_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Png.EncodeRgb(2, 2, new byte[11]));
        Assert.Contains("need 12 bytes, got 11", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Png.EncodeGray(0, 1, []));
    }

    [Fact]
    public void Pngcheck_accepts_the_output_when_installed()
    {
        var pngcheck = Tool.Find("pngcheck");
        if (pngcheck == null) return;   // not installed: the independent decoder above still checks the format
        var path = Path.Combine(Path.GetTempPath(), $"cnn-viz-{Guid.NewGuid():N}.png");
        try
        {
            var grid = ImageGrid.FromPixels(Enumerable.Range(0, 2 * 28 * 28).Select(i => (float)(i % 28) / 27).ToArray(), 2, 1, 28, 28, ["a", "b"]);
            grid.SavePng(path);
            var (code, output) = Tool.Run(pngcheck, path);
            Assert.True(code == 0, output);
            Assert.StartsWith("OK", output.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
