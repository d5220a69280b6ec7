using CnnCourse.Data;
using CnnCourse.Data.Transforms;
using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Data;

/// <summary>Each transform against values worked out by hand on small arange images.</summary>
public class TransformTests
{
    private static float[] F(Tensor t) => t.data<float>().ToArray();

    /// <summary>N images of C×H×W holding 0, 1, 2, … in row-major order.</summary>
    private static Tensor Arange(params long[] shape) => torch.arange(shape.Aggregate(1L, (a, b) => a * b)).to(ScalarType.Float32).view(shape);

    [Fact]
    public void Normalize_subtracts_the_mean_and_divides_by_the_std_per_channel()
    {
        using var scope = torch.NewDisposeScope();
        var x = Arange(2, 2, 1, 2); // image 0: channel 0 = [0,1], channel 1 = [2,3]; image 1: [4,5], [6,7]
        var normalize = new Normalize(new[] { 1.0, 2.0 }, new[] { 2.0, 4.0 });
        Assert.Equal(new[] { -0.5f, 0f, 0f, 0.25f, 1.5f, 2f, 1f, 1.25f }, F(normalize.Apply(x, new Random(0))));
        // one image (C×H×W) too, and the input is left as it was
        Assert.Equal(new[] { -0.5f, 0f, 0f, 0.25f }, F(normalize.Apply(x[0], new Random(0))));
        Assert.Equal(0f, x[0, 0, 0, 0].item<float>());
    }

    [Fact]
    public void Normalize_from_computed_statistics_gives_zero_mean_unit_std()
    {
        using var scope = torch.NewDisposeScope();
        var pixels = Enumerable.Range(0, 2 * 3 * 4 * 4).Select(i => (byte)(i * 37 % 256)).ToArray();
        var data = new ImageDataset<byte>("colours", pixels, 3, 4, 4, new[] { 0, 1 }, new[] { "a", "b" });
        var stats = data.ComputeChannelStats();
        var x = torch.tensor(pixels, new long[] { 2, 3, 4, 4 }).to(ScalarType.Float32) / 255;
        var z = new Normalize(stats).Apply(x, new Random(0));
        var perChannel = z.transpose(0, 1).reshape(3, -1);
        foreach (var m in F(perChannel.mean(new long[] { 1 }))) Assert.Equal(0, m, 5);
        foreach (var s in F(perChannel.std(new long[] { 1 }, unbiased: false))) Assert.Equal(1, s, 4);
    }

    [Fact]
    public void Normalize_names_a_channel_mismatch_and_integer_pixels()
    {
        using var scope = torch.NewDisposeScope();
        var normalize = new Normalize(new[] { 0.5 }, new[] { 0.5 });
        var e = Assert.Throws<ArgumentException>(() => normalize.Apply(torch.zeros(2, 3, 4, 4), new Random(0)));
        Assert.Contains("1 channel(s)", e.Message);
        Assert.Contains("have 3", e.Message);
        Assert.Contains("floating-point",
            Assert.Throws<ArgumentException>(() => normalize.Apply(torch.zeros(new long[] { 1, 4, 4 }, ScalarType.Byte), new Random(0))).Message);
        Assert.Contains("[4, 4]", Assert.Throws<ArgumentException>(() => normalize.Apply(torch.zeros(4, 4), new Random(0))).Message);
        Assert.Throws<ArgumentException>(() => new Normalize(new[] { 0.5 }, new[] { 0.0 }));
    }

    [Fact]
    public void Pad_and_center_crop_place_pixels_where_torchvision_does()
    {
        using var scope = torch.NewDisposeScope();
        var x = Arange(1, 2, 2); // [[0,1],[2,3]]
        Assert.Equal(new[] { 9f, 9, 9, 9, 0, 1, 9, 2, 3 }, F(new Pad(1, 1, 0, 0, fill: 9).Apply(x, new Random(0)))); // left 1, top 1
        Assert.Equal(new[] { 3f, 2, 3, 2, 1, 0, 1, 0, 3, 2, 3, 2, 1, 0, 1, 0 }, F(new Pad(1, mode: PaddingModes.Reflect).Apply(x, new Random(0))));

        var y = Arange(1, 5, 5);
        // 5 → 3: offset round(1.0) = 1; 5 → 2: offset round(1.5) = 2 (half to even, like Python's round)
        Assert.Equal(new[] { 6f, 7, 8, 11, 12, 13, 16, 17, 18 }, F(new CenterCrop(3).Apply(y, new Random(0))));
        Assert.Equal(new[] { 12f, 13, 17, 18 }, F(new CenterCrop(2).Apply(y, new Random(0))));
        // larger than the image: zero padding first, 2 → 4 puts the image in the middle
        Assert.Equal(new[] { 0f, 0, 0, 0, 0, 0, 1, 0, 0, 2, 3, 0, 0, 0, 0, 0 }, F(new CenterCrop(4).Apply(x, new Random(0))));
        Assert.Equal(new long[] { 3, 4, 3, 3 }, new CenterCrop(3).Apply(torch.zeros(3, 4, 5, 5), new Random(0)).shape);
    }

    [Fact]
    public void Random_crop_with_padding_picks_each_images_offset_from_the_generator()
    {
        using var scope = torch.NewDisposeScope();
        var x = Arange(3, 1, 4, 4);
        var crop = new RandomCrop(4, padding: 2);
        var out1 = crop.Apply(x, new Random(7));
        var out2 = crop.Apply(x, new Random(7));
        Assert.Equal(new long[] { 3, 1, 4, 4 }, out1.shape);
        Assert.Equal(F(out1), F(out2)); // the same generator state gives the same crops

        // Recompute each crop by hand with the same draws: offsets (top, left) in [0, 4].
        var random = new Random(7);
        var padded = new float[3, 8, 8];
        for (int n = 0; n < 3; n++) for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) padded[n, i + 2, j + 2] = n * 16 + i * 4 + j;
        var expected = new List<float>();
        for (int n = 0; n < 3; n++)
        {
            int top = random.Next(5), left = random.Next(5);
            for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) expected.Add(padded[n, top + i, left + j]);
        }
        Assert.Equal(expected, F(out1));
        Assert.Contains("cannot crop 9×9", Assert.Throws<ArgumentException>(() => new RandomCrop(9).Apply(x, new Random(0))).Message);
    }

    [Fact]
    public void Random_horizontal_flip_mirrors_exactly_the_images_the_draws_choose()
    {
        using var scope = torch.NewDisposeScope();
        var x = Arange(6, 1, 1, 3);
        var flipped = F(new RandomHorizontalFlip().Apply(x, new Random(3)));
        var random = new Random(3);
        for (int n = 0; n < 6; n++)
        {
            bool mirror = random.NextDouble() < 0.5;
            var row = new float[] { 3 * n, 3 * n + 1, 3 * n + 2 };
            if (mirror) Array.Reverse(row);
            Assert.Equal(row, flipped.AsSpan(3 * n, 3).ToArray());
        }
        Assert.Equal(new[] { 2f, 1, 0 }, F(new RandomHorizontalFlip(p: 1).Apply(Arange(1, 1, 3), new Random(0))));
        Assert.Equal(new[] { 0f, 1, 2 }, F(new RandomHorizontalFlip(p: 0).Apply(Arange(1, 1, 3), new Random(0))));
    }

    [Fact]
    public void Resize_interpolates_bilinearly_like_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        // 2×2 → 4×4 with align_corners=False: output pixel i samples (i + 0.5)/2 − 0.5, clamped at 0:
        // coordinates 0, 0.25, 0.75, 1 → values along a row of [0, 1]: 0, 0.25, 0.75, 1.
        var up = F(new Resize(4).Apply(Arange(1, 2, 2), new Random(0)));
        Assert.Equal(new[] { 0f, 0.25f, 0.75f, 1f }, up[..4]);
        Assert.Equal(new[] { 2f, 2.25f, 2.75f, 3f }, up[12..]);
        Assert.Equal(new long[] { 5, 1, 32, 32 }, new Resize(32).Apply(torch.zeros(5, 1, 28, 28), new Random(0)).shape);
        // one size: the shorter side, keeping the aspect ratio (int(8 · 6/4) = 12)
        Assert.Equal(new long[] { 1, 8, 12 }, new Resize(8).Apply(torch.zeros(1, 4, 6), new Random(0)).shape);
        Assert.Equal(new long[] { 1, 3, 5 }, new Resize(3, 5).Apply(torch.zeros(1, 4, 6), new Random(0)).shape);
    }

    [Fact]
    public void Random_erasing_fills_one_rectangle_inside_the_size_limits()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(20, 2, 10, 10);
        var erased = new RandomErasing(p: 1, value: -1).Apply(x, new Random(11));
        Assert.Equal(1f, x.min().item<float>()); // the input is untouched
        for (int n = 0; n < 20; n++)
        {
            var image = F(erased[n]);
            int count = image.Count(v => v == -1);
            Assert.Equal(0, count % 2); // the same rectangle in both channels
            int area = count / 2;
            if (area == 0) continue; // ten draws that did not fit: kept as it was
            Assert.InRange(area, 1, 33 + 7); // ≤ 33 % of 100 pixels, plus rounding of the sides
            // a rectangle: the erased pixels of channel 0 fill their bounding box
            var cells = Enumerable.Range(0, 100).Where(i => image[i] == -1).ToArray();
            int rows = cells.Max() / 10 - cells.Min() / 10 + 1, cols = cells.Max(i => i % 10) - cells.Min(i => i % 10) + 1;
            Assert.Equal(rows * cols, area);
        }
        Assert.Equal(F(x), F(new RandomErasing(p: 0).Apply(x, new Random(0))));
    }

    [Fact]
    public void Compose_applies_in_order_and_frees_its_intermediates()
    {
        using var scope = torch.NewDisposeScope();
        var x = Arange(1, 1, 2, 2);
        var composed = new Compose(new Pad(1), new CenterCrop(2), new Normalize(new[] { 1.0 }, new[] { 2.0 }));
        Assert.Equal(new[] { -0.5f, 0, 0.5f, 1 }, F(composed.Apply(x, new Random(0))));
        Assert.Contains("Normalize", composed.ToString());
        Assert.Throws<ArgumentNullException>(() => new Compose(new Pad(1), null!));
    }
}
