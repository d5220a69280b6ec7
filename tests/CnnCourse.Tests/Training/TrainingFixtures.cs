using CnnCourse.Runtime;
using CnnCourse.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CnnCourse.Tests.Training;

/// <summary>
/// Tests that seed or read process-wide state (libtorch's generator, Seed.Random, Tensor.TotalCount)
/// run alone, after the parallel collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingSerial
{
    public const string Name = "Training: process-wide RNG and tensor counters";
}

/// <summary>y = x·Wᵀ + b (PyTorch's Linear), initialised from torch's generator.</summary>
internal sealed class TestLinear : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter bias;

    public TestLinear(long inFeatures, long outFeatures) : base(nameof(TestLinear))
    {
        using var w = torch.randn(outFeatures, inFeatures);
        weight = new Parameter(w.mul(1.0 / Math.Sqrt(inFeatures)));
        bias = new Parameter(torch.zeros(outFeatures));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => F.linear(input, weight, bias);
}

/// <summary>fc1 → relu → dropout → fc2.</summary>
internal sealed class TestMlp : nn.Module<Tensor, Tensor>
{
    public TestLinear fc1;
    public TestLinear fc2;
    private readonly double dropout;

    public TestMlp(long inFeatures, long hidden, long classes, double dropout = 0.2) : base(nameof(TestMlp))
    {
        fc1 = new TestLinear(inFeatures, hidden);
        fc2 = new TestLinear(hidden, classes);
        this.dropout = dropout;
        RegisterComponents();
    }

    public List<bool> TrainingSeen { get; } = new();

    public override Tensor forward(Tensor input)
    {
        TrainingSeen.Add(training);
        var h = F.relu(fc1.call(input));
        if (dropout > 0) h = F.dropout(h, dropout, training);
        return fc2.call(h);
    }
}

/// <summary>An in-memory dataset of float features and class labels, shuffled from Seed.Random.</summary>
internal sealed class ArrayBatches(float[] x, long[] y, int features, int batchSize, bool shuffle, Device? device = null) : IBatchSource
{
    /// <summary>Where the batches are made (the data owns the device); null: the CPU, unnamed.</summary>
    public Device? Device => device;

    /// <summary>The same data, made on <paramref name="on"/>.</summary>
    public ArrayBatches On(Device on) => new(x, y, features, batchSize, shuffle, on);

    public int Samples => y.Length;

    public int Count => (y.Length + batchSize - 1) / batchSize;

    public IEnumerable<(Tensor X, Tensor Y)> Batches(int epoch)
    {
        var order = Enumerable.Range(0, y.Length).ToArray();
        if (shuffle) Seed.Random.Shuffle(order);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int m = Math.Min(batchSize, order.Length - start);
            var xs = new float[m * features];
            var ys = new long[m];
            for (int i = 0; i < m; i++)
            {
                Array.Copy(x, order[start + i] * features, xs, i * features, features);
                ys[i] = y[order[start + i]];
            }
            yield return (torch.tensor(xs, [m, features], device: device), torch.tensor(ys, [m], device: device));
        }
    }

    /// <summary>
    /// Two Gaussian blobs in 2-D, centred at (−c, −c) (class 0) and (c, c) (class 1), standard
    /// deviation 0.5, from their own generator (independent of the global seed).
    /// </summary>
    public static ArrayBatches Blobs(int perClass, int batchSize, bool shuffle, long seed = 1, double c = 2, bool flipLabels = false)
    {
        var random = new CourseRandom(seed);
        var x = new float[2 * perClass * 2];
        var y = new long[2 * perClass];
        for (int i = 0; i < 2 * perClass; i++)
        {
            int label = i % 2;
            double centre = label == 0 ? -c : c;
            for (int d = 0; d < 2; d++)
            {
                double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                double normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                x[i * 2 + d] = (float)(centre + 0.5 * normal);
            }
            y[i] = flipLabels ? 1 - label : label;
        }
        return new ArrayBatches(x, y, 2, batchSize, shuffle);
    }
}

internal static class TestWeights
{
    /// <summary>Copies of a module's state dict as float arrays.</summary>
    public static Dictionary<string, float[]> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());

    public static void AssertEqual(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
        foreach (var (key, values) in expected) Assert.Equal(values, actual[key]);
    }
}

/// <summary>8×8 one-channel images: class 1 has a bright top half, class 0 a bright bottom half, plus noise.</summary>
internal static class TinyImages
{
    public static IBatchSource Make(int perClass, int batchSize, bool shuffle, long seed)
    {
        var random = new CourseRandom(seed);
        int n = 2 * perClass;
        var x = new float[n * 64];
        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++)
                    x[i * 64 + r * 8 + c] = ((r < 4) == (y[i] == 1) ? 1f : 0f) + 0.8f * (random.NextSingle() - 0.5f);
        }
        return new ImageBatches(x, y, batchSize, shuffle);
    }

    private sealed class ImageBatches(float[] x, long[] y, int batchSize, bool shuffle) : IBatchSource
    {
        public int Count => (y.Length + batchSize - 1) / batchSize;

        public IEnumerable<(Tensor X, Tensor Y)> Batches(int epoch)
        {
            var order = Enumerable.Range(0, y.Length).ToArray();
            if (shuffle) Seed.Random.Shuffle(order);
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int m = Math.Min(batchSize, order.Length - start);
                var xs = new float[m * 64];
                var ys = new long[m];
                for (int i = 0; i < m; i++)
                {
                    Array.Copy(x, order[start + i] * 64, xs, i * 64, 64);
                    ys[i] = y[order[start + i]];
                }
                yield return (torch.tensor(xs, [m, 1, 8, 8]), torch.tensor(ys, [m]));
            }
        }
    }
}
