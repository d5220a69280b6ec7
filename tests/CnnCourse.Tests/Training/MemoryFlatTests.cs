using System.Diagnostics;
using CnnCourse.Data;
using CnnCourse.Data.Transforms;
using CnnCourse.Runtime;
using CnnCourse.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Training;

/// <summary>
/// Dispose discipline in the library's own loops: 2,000 training steps through a DataLoader (with a
/// random transform) and the Trainer, validated every epoch, leave the process's resident memory within
/// ±5% and the number of live tensors unchanged once warm. The numbers are printed.
/// </summary>
[Collection(TrainingSerial.Name)]
public class MemoryFlatTests(ITestOutputHelper output)
{
    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    private sealed class Sampler(int warmEpoch, List<(int Epoch, long Rss, long Tensors)> samples) : Callback
    {
        public override void OnEpochEnd(Trainer trainer, EpochRecord record)
        {
            if (record.Epoch >= warmEpoch) samples.Add((record.Epoch, ResidentBytes(), Tensor.TotalCount));
        }
    }

    [Fact]
    public void Resident_memory_stays_flat_over_2000_training_steps_of_the_library_loop()
    {
        const int images = 512, batch = 16, steps = 2000;
        var random = new CourseRandom(7);
        var labels = Enumerable.Range(0, images).Select(i => i % 2).ToArray();
        var pixels = new byte[images * 64];
        for (int i = 0; i < images; i++)
            for (int p = 0; p < 64; p++)
                pixels[i * 64 + p] = (byte)(((p < 32) == (labels[i] == 1) ? 180 : 40) + random.Next(40));
        var data = new ImageDataset<byte>("halves", pixels, 1, 8, 8, labels, ["bottom", "top"]);
        var (fit, check) = data.StratifiedSplit(0.125, seed: 1);
        var stats = fit.ComputeChannelStats();
        var train = new DataLoader(fit, batch, shuffle: true, transform: new Compose(new RandomHorizontalFlip(), new Normalize(stats)));
        var val = new DataLoader(check, 32, transform: new Normalize(stats));
        int epochs = (steps + train.Count - 1) / train.Count;

        Seed.Everything(61);
        using var net = nn.Sequential(("conv", nn.Conv2d(1, 8, 3, padding: 1)), ("relu", nn.ReLU()), ("pool", nn.MaxPool2d(2)),
                                      ("flatten", nn.Flatten()), ("fc", nn.Linear(8 * 4 * 4, 2)));
        using var opt = torch.optim.SGD(net.parameters(), learningRate: 0.05, momentum: 0.9);
        var trainer = new Trainer(net, opt) { Progress = Progress.None, ClipGradNorm = 5.0 };
        var samples = new List<(int Epoch, long Rss, long Tensors)>();
        trainer.FitOneCycle(train, val, epochs, maxLr: 0.1, new Sampler(warmEpoch: 5, samples));

        Assert.True(trainer.GlobalStep >= steps, $"{trainer.GlobalStep} steps");
        var (first, last) = (samples[0], samples[^1]);
        double change = (double)(last.Rss - first.Rss) / first.Rss;
        output.WriteLine($"{trainer.GlobalStep} steps in {epochs} epochs: resident {first.Rss / 1e6:F1} MB after epoch {first.Epoch}, " +
                         $"{last.Rss / 1e6:F1} MB after epoch {last.Epoch} ({change:+0.0%;-0.0%}); live tensors {first.Tensors} → {last.Tensors}; " +
                         $"validation accuracy {trainer.History[^1].ValAccuracy:P1}");
        Assert.InRange(change, -0.05, 0.05);
        Assert.All(samples, s => Assert.Equal(first.Tensors, s.Tensors));
        Assert.True(trainer.History[^1].ValAccuracy >= 0.95, trainer.History.ToString());
    }
}
