using CnnCourse.Data;
using CnnCourse.Data.Transforms;
using CnnCourse.Runtime;
using CnnCourse.Tests.Training;
using CnnCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Data;

/// <summary>Batches, order, seeding, prefetch and ownership of the DataLoader.</summary>
[Collection(TrainingSerial.Name)]
public class DataLoaderTests
{
    /// <summary>n images of 1×2×2 whose four pixels all equal the image's index; label = index % 3.</summary>
    private static ImageDataset<byte> Numbered(int n) =>
        new("numbered", Enumerable.Range(0, n).SelectMany(i => Enumerable.Repeat((byte)i, 4)).ToArray(), 1, 2, 2,
            Enumerable.Range(0, n).Select(i => i % 3).ToArray(), new[] { "a", "b", "c" });

    /// <summary>Each batch's image indices (read back from the pixels) and labels; disposes the batches.</summary>
    private static List<(int[] Images, long[] Labels)> Read(IBatchSource loader, int epoch)
    {
        var batches = new List<(int[], long[])>();
        foreach (var (x, y) in loader.Batches(epoch))
        {
            using (x) using (y)
            {
                Assert.Equal(ScalarType.Float32, x.dtype);
                Assert.Equal(ScalarType.Int64, y.dtype);
                var pixels = x.data<float>().ToArray();
                batches.Add((pixels.Where((_, i) => i % 4 == 0).Select(v => (int)Math.Round(v * 255)).ToArray(), y.data<long>().ToArray()));
            }
        }
        return batches;
    }

    /// <summary>Live tensors once earlier tests' garbage has been finalised.</summary>
    private static long Live()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Tensor.TotalCount;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Batches_cover_the_dataset_in_order_with_scaled_pixels_and_labels(bool prefetch)
    {
        var loader = new DataLoader(Numbered(10), batchSize: 4, prefetch: prefetch);
        Assert.Equal(3, loader.Count);
        var batches = Read(loader, 0);
        Assert.Equal(new[] { 4, 4, 2 }, batches.Select(b => b.Images.Length));
        Assert.Equal(Enumerable.Range(0, 10), batches.SelectMany(b => b.Images));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)(i % 3)), batches.SelectMany(b => b.Labels));

        var (x, y) = loader.Batches(0).First();
        using (x) using (y)
        {
            Assert.Equal(new long[] { 4, 1, 2, 2 }, x.shape);
            Assert.Equal(3 / 255f, x[3, 0, 1, 1].item<float>(), 6);
        }
    }

    [Fact]
    public void Drop_last_leaves_out_the_partial_batch()
    {
        var loader = new DataLoader(Numbered(10), batchSize: 4, dropLast: true);
        Assert.Equal(2, loader.Count);
        Assert.Equal(Enumerable.Range(0, 8), Read(loader, 0).SelectMany(b => b.Images));
        Assert.Throws<ArgumentException>(() => new DataLoader(Numbered(3), batchSize: 4, dropLast: true));
    }

    [Fact]
    public void A_seeded_shuffle_is_a_permutation_fixed_by_seed_and_epoch()
    {
        var a = new DataLoader(Numbered(50), batchSize: 8, shuffle: true, seed: 5, prefetch: true);
        var b = new DataLoader(Numbered(50), batchSize: 8, shuffle: true, seed: 5, prefetch: false);
        var epoch0 = Read(a, 0).SelectMany(x => x.Images).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), epoch0.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), epoch0);
        Assert.Equal(epoch0, Read(b, 0).SelectMany(x => x.Images));
        Assert.Equal(epoch0, a.Order(0));
        var epoch1 = Read(a, 1).SelectMany(x => x.Images).ToArray();
        Assert.NotEqual(epoch0, epoch1);
        Assert.NotEqual(epoch0, Read(new DataLoader(Numbered(50), batchSize: 8, shuffle: true, seed: 6), 0).SelectMany(x => x.Images));
        // labels travel with their images
        foreach (var (images, labels) in Read(a, 2)) Assert.Equal(images.Select(i => (long)(i % 3)), labels);
    }

    [Fact]
    public void Without_a_seed_the_order_follows_seed_everything()
    {
        Seed.Everything(3);
        var first = Read(new DataLoader(Numbered(30), batchSize: 7, shuffle: true), 0).SelectMany(x => x.Images).ToArray();
        Seed.Everything(3);
        var again = Read(new DataLoader(Numbered(30), batchSize: 7, shuffle: true), 0).SelectMany(x => x.Images).ToArray();
        Assert.Equal(first, again);
        Assert.Equal(Enumerable.Range(0, 30), first.Order());
        Assert.Throws<InvalidOperationException>(() => new DataLoader(Numbered(30), 7, shuffle: true).Order(0));
    }

    [Fact]
    public void Random_transforms_repeat_with_the_seed_with_or_without_prefetch()
    {
        var pixels = Enumerable.Range(0, 16 * 1 * 6 * 6).Select(i => (byte)(i * 7)).ToArray();
        var data = new ImageDataset<byte>("pattern", pixels, 1, 6, 6, new int[16], new[] { "only" });
        var augment = new Compose(new RandomCrop(6, padding: 2), new RandomHorizontalFlip());
        float[] Epoch(bool prefetch, int epoch)
        {
            var (x, y) = new DataLoader(data, batchSize: 16, transform: augment, seed: 1, prefetch: prefetch).Batches(epoch).Single();
            using (x) using (y) return x.data<float>().ToArray();
        }
        Assert.Equal(Epoch(true, 0), Epoch(false, 0));
        Assert.NotEqual(Epoch(true, 0), Epoch(true, 1));
        // without the transform the pixels are the dataset's own
        var (plain, labels) = new DataLoader(data, batchSize: 16).Batches(0).Single();
        using (plain) using (labels)
            Assert.Equal(pixels.Select(p => p / 255f), plain.data<float>().ToArray());
    }

    [Fact]
    public void Leaving_an_epoch_early_frees_the_prefetched_batch()
    {
        var loader = new DataLoader(Numbered(40), batchSize: 4, shuffle: true, seed: 2, prefetch: true);
        long live = Live();
        foreach (var (x, y) in loader.Batches(0))
        {
            x.Dispose();
            y.Dispose();
            break;
        }
        Assert.Equal(live, Live());
        Read(loader, 1);
        Assert.Equal(live, Live());
    }

    [Fact]
    public void A_trainer_learns_from_a_loader_and_frees_every_batch()
    {
        // Two classes told apart by brightness: dark images are class 0, bright ones class 1.
        int n = 64;
        var labels = Enumerable.Range(0, n).Select(i => i % 2).ToArray();
        var pixels = labels.SelectMany((l, i) => Enumerable.Repeat((byte)(l == 0 ? 20 + i : 200 - i), 4)).ToArray();
        var data = new ImageDataset<byte>("brightness", pixels, 1, 2, 2, labels, new[] { "dark", "bright" });
        Seed.Everything(0);
        var model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 2));
        var trainer = new Trainer(model, torch.optim.SGD(model.parameters(), learningRate: 0.5)) { Progress = CnnCourse.Training.Progress.None };
        var stats = data.ComputeChannelStats();
        var loader = new DataLoader(data, batchSize: 16, shuffle: true, transform: new Normalize(stats));
        long live = Live();
        trainer.Fit(loader, loader, epochs: 10);
        Assert.Equal(1.0, trainer.Evaluate(new DataLoader(data, batchSize: 64, transform: new Normalize(stats))).Accuracy);
        Assert.Equal(live, Live());
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbered(4), batchSize: 0));
        Assert.Throws<ArgumentNullException>(() => new DataLoader(null!, batchSize: 2));
        var wrongChannels = new DataLoader(Numbered(4), batchSize: 2, transform: new Normalize(new[] { 0.5, 0.5, 0.5 }, new[] { 0.2, 0.2, 0.2 }));
        var e = Assert.Throws<ArgumentException>(() => Read(wrongChannels, 0));
        Assert.Contains("3 channel(s)", e.Message);
    }
}
