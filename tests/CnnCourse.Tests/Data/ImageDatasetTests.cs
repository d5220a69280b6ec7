using CnnCourse.Data;
using CnnCourse.Runtime;

namespace CnnCourse.Tests.Data;

public sealed class ImageDatasetTests
{
    private static readonly string[] Three = ["a", "b", "c"];

    /// <summary>Image i is filled with the value i (1×2×2); labels as given.</summary>
    private static ImageDataset<byte> Numbered(params int[] labels)
    {
        var pixels = new byte[labels.Length * 4];
        for (int i = 0; i < labels.Length; i++) pixels.AsSpan(i * 4, 4).Fill((byte)i);
        return new ImageDataset<byte>("numbered", pixels, 1, 2, 2, labels, Three);
    }

    [Fact]
    public void Holds_images_NCHW_with_labels_and_class_names()
    {
        var ds = Numbered(2, 0, 1);
        Assert.Equal((3, 1, 2, 2, 4), (ds.Count, ds.Channels, ds.Height, ds.Width, ds.ImageSize));
        Assert.Equal(new byte[] { 1, 1, 1, 1 }, ds.Image(1).ToArray());
        Assert.Equal(2, ds[0].Label);
        Assert.Equal(new[] { 1, 1, 1 }, ds.ClassCounts());
        Assert.Equal("numbered: 3 images of 1×2×2 (Byte), 3 classes (a, b, c)", ds.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.Image(3));
    }

    [Fact]
    public void Refuses_arrays_that_do_not_fit_and_labels_outside_the_classes()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImageDataset<byte>("x", new byte[7], 1, 2, 2, [0, 1], Three));
        Assert.Contains("2 labels need 2 images of 1×2×2 = 8 pixel values, but there are 7", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ImageDataset<byte>("x", new byte[8], 1, 2, 2, [0, 3], Three));
        Assert.Contains("Label 3 at index 1", e.Message);
    }

    [Fact]
    public void Subsets_copy_the_chosen_images_in_order()
    {
        var ds = Numbered(0, 1, 2, 0, 1);
        var sub = ds.Subset([4, 0, 4]);
        Assert.Equal(new byte[] { 4, 4, 4, 4, 0, 0, 0, 0, 4, 4, 4, 4 }, sub.Pixels.ToArray());
        Assert.Equal(new[] { 1, 0, 1 }, sub.Labels);
        Assert.Equal(ds.ClassNames, sub.ClassNames);

        var first = ds.Subset(..2);
        Assert.Equal(new[] { 0, 1 }, first.Labels);
        Assert.Equal(new byte[] { 3, 3, 3, 3, 4, 4, 4, 4 }, ds.Subset(^2..).Pixels.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.Subset([5]));
    }

    [Fact]
    public void CopyImages_gathers_a_batch()
    {
        var ds = Numbered(0, 1, 2);
        var batch = new byte[8];
        var labels = new int[2];
        ds.CopyImages([2, 1], batch, labels);
        Assert.Equal(new byte[] { 2, 2, 2, 2, 1, 1, 1, 1 }, batch);
        Assert.Equal(new[] { 2, 1 }, labels);
        Assert.Throws<ArgumentException>(() => ds.CopyImages([0, 1], new byte[7]));
    }

    [Fact]
    public void Stratified_split_keeps_each_class_proportion_and_the_total()
    {
        // 60 of class a, 30 of b, 10 of c, interleaved; 20% validation = 20 images: 12, 6, 2.
        var labels = Enumerable.Range(0, 100).Select(i => i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2).ToArray();
        var ds = Numbered(labels);

        var (train, validation) = ds.StratifiedSplit(0.2, seed: 7);

        Assert.Equal(new[] { 12, 6, 2 }, validation.ClassCounts());
        Assert.Equal(new[] { 48, 24, 8 }, train.ClassCounts());
        var (trainIdx, valIdx) = ImageDataset<byte>.StratifiedSplitIndices(labels, 3, 0.2, 7);
        Assert.Equal(Enumerable.Range(0, 100), trainIdx.Concat(valIdx).Order()); // a partition
        Assert.Equal(trainIdx.Order(), trainIdx);                                // original order kept
        Assert.Equal(valIdx.Select(i => (byte)i), validation.Pixels.ToArray().Where((_, p) => p % 4 == 0));
        Assert.Equal("numbered – validation part", validation.Name);
    }

    [Fact]
    public void Stratified_split_is_deterministic_for_a_seed_and_differs_between_seeds()
    {
        var labels = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
        var a = ImageDataset<byte>.StratifiedSplitIndices(labels, 3, 0.1, 42);
        var b = ImageDataset<byte>.StratifiedSplitIndices(labels, 3, 0.1, 42);
        var c = ImageDataset<byte>.StratifiedSplitIndices(labels, 3, 0.1, 43);
        Assert.Equal(a.Validation, b.Validation);
        Assert.NotEqual(a.Validation, c.Validation);
        // Pinned: the generator is ours (CourseRandom: xoshiro256** seeded by SplitMix64), so this holds on
        // every runtime and machine. The same list came from an independent Python transcription of
        // xoshiro256**, its rejection sampling of bounded integers and .NET's Random.Shuffle (j = Next(i, n)).
        Assert.Equal(new[] { 24, 40, 44, 45, 57, 61, 63, 98, 104, 118 }, a.Validation.Take(10));
    }

    [Fact]
    public void Stratified_split_shares_the_rounding_by_largest_remainder()
    {
        // Classes of 5, 3 and 2 images, 50%: exact shares 2.5, 1.5, 1 → floors 2, 1, 1 (4), one
        // more to the largest remainder; a and b tie at 0.5, so the lower class gets it: 3, 1, 1.
        int[] labels = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2];
        var (_, validation) = ImageDataset<byte>.StratifiedSplitIndices(labels, 3, 0.5, 1);
        Assert.Equal(5, validation.Length);
        Assert.Equal(new[] { 3, 1, 1 }, new[] { 0, 1, 2 }.Select(c => validation.Count(i => labels[i] == c)));
    }

    [Fact]
    public void Stratified_split_refuses_fractions_that_leave_a_part_empty()
    {
        var ds = Numbered(0, 1, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.StratifiedSplit(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.StratifiedSplit(1, 1));
        var e = Assert.Throws<ArgumentException>(() => ds.StratifiedSplit(0.1, 1));
        Assert.Contains("0 validation and 3 training images", e.Message);
    }

    [Fact]
    public void Channel_statistics_are_computed_on_the_0_to_1_scale()
    {
        // Two 2-channel 1×2 images: channel 0 holds 0, 255, 0, 255 → mean 0.5, std 0.5;
        // channel 1 holds 51 everywhere → mean 0.2, std 0.
        byte[] pixels = [0, 255, 51, 51, 0, 255, 51, 51];
        var ds = new ImageDataset<byte>("x", pixels, 2, 1, 2, [0, 1], Three);
        var stats = ds.ComputeChannelStats();
        Assert.Equal(0.5, stats.Mean[0], 12);
        Assert.Equal(0.5, stats.Std[0], 12);
        Assert.Equal(0.2, stats.Mean[1], 12);
        Assert.Equal(0.0, stats.Std[1], 12);
        Assert.Equal("mean (0.5000, 0.2000), std (0.5000, 0.0000)", stats.ToString());
    }

    [Fact]
    public void Float_datasets_take_values_as_they_are()
    {
        float[] pixels = [1, 3, -2, 2];
        var ds = new ImageDataset<float>("f", pixels, 1, 1, 2, [0, 0], Three);
        var stats = ds.ComputeChannelStats();
        Assert.Equal(1.0, stats.Mean[0], 12);
        Assert.Equal(Math.Sqrt((0 + 4 + 9 + 1) / 4.0), stats.Std[0], 12);
        Assert.Equal(new float[] { -2, 2 }, ds.Subset([1]).Pixels.ToArray());
    }
}

/// <summary>The one generator of Data and Training (Runtime's CourseRandom) as splits and shuffles use it.</summary>
public sealed class CourseRandomReferenceTests
{
    [Fact]
    public void Seeding_goes_through_SplitMix64_and_the_sequence_is_xoshiro256_starstar()
    {
        // Vigna's splitmix64.c seeded with 0 starts e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f, f88bb8a8724c81ec:
        // those are the four state words. xoshiro256** (Blackman and Vigna) from that state gives the outputs below.
        var random = new CourseRandom(0);
        Assert.Equal("xoshiro256**:e220a8397b1dcdaf,6e789e6aa1b965f4,06c45d188009454f,f88bb8a8724c81ec", random.SaveState());
        Assert.Equal(0x99EC5F36CB75F2B4UL, random.NextUInt64());
        Assert.Equal(0xBF6E1F784956452AUL, random.NextUInt64());
        Assert.Equal(0x1A5F849D4933E6E0UL, random.NextUInt64());
    }

    [Fact]
    public void Bounded_integers_stay_in_range_and_cover_it()
    {
        var random = new CourseRandom(5);
        var seen = new int[7];
        for (int i = 0; i < 7000; i++) seen[random.Next(7)]++;
        Assert.All(seen, count => Assert.InRange(count, 850, 1150));
    }
}
