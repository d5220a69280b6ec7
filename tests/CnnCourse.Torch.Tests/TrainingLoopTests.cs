using System.Diagnostics;
using CnnCourse.Torch;
using CnnCourse.Torch.Modules;
using static CnnCourse.Torch.torch;

namespace CnnCourse.Torch.Tests;

/// <summary>Whole training loops through the engine: memory stays flat, runs repeat exactly.</summary>
[Collection(ProcessWideState.Name)]
public class TrainingLoopTests
{
    private static Sequential SmallCnn() => nn.Sequential(
        nn.Conv2d(1, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding: 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        nn.Flatten(), nn.Linear(16, 10));

    private static List<float> Train(int steps, long seed)
    {
        manual_seed(seed);
        using var net = SmallCnn();
        var optimizer = optim.SGD(net.parameters(), lr: 0.05, momentum: 0.9);
        using var x = randn(16, 1, 12, 12);
        using var y = randint(0, 10, new long[] { 16 });
        var losses = new List<float>();
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(net.call(x), y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        return losses;
    }

    [Fact]
    public void Same_seed_gives_the_same_loss_sequence()
    {
        var first = Train(20, seed: 7);
        var second = Train(20, seed: 7);
        Assert.Equal(first, second);
        Assert.True(first[^1] < first[0], "the loss did not fall");
        Assert.NotEqual(first, Train(20, seed: 8));
    }

    [Fact]
    public void Two_thousand_steps_keep_live_tensors_and_resident_memory_flat()
    {
        manual_seed(0);
        using var net = SmallCnn();
        var optimizer = optim.SGD(net.parameters(), lr: 0.01, momentum: 0.9);
        using var x = randn(32, 1, 16, 16);
        using var y = randint(0, 10, new long[] { 32 });
        void Step() => TrainStep(net, optimizer, x, y);

        for (int i = 0; i < 200; i++) Step();  // warm-up: allocator caches, optimizer state, JIT
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long liveAfterWarmup = Tensor.LiveCount;
        long rssAfterWarmup = ResidentBytes();
        for (int i = 0; i < 2000; i++) Step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(liveAfterWarmup, Tensor.LiveCount);
        long rss = ResidentBytes();
        Assert.True(rss <= rssAfterWarmup * 1.05, $"resident memory grew from {rssAfterWarmup / 1e6:F1} MB to {rss / 1e6:F1} MB");
    }

    [Fact]
    public void Training_steps_reuse_freed_memory_instead_of_page_faulting_it_back()
    {
        // LeNet-5's shapes. With the C library's defaults freed activations often went back to the
        // kernel and every step faulted them in again: about 1,300 page faults per step (steps up
        // to 5x slower) against 15-20 with freed memory kept.
        Assert.True(torch.config.malloc_keeps_freed_memory, torch.config.cpu_allocator);
        manual_seed(0);
        using var net = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding: 2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10));
        var optimizer = optim.SGD(net.parameters(), lr: 0.01, momentum: 0.9);
        using var x = randn(64, 1, 28, 28);
        using var y = randint(0, 10, new long[] { 64 });
        void Step() => TrainStep(net, optimizer, x, y);

        for (int i = 0; i < 20; i++) Step();
        long before = MinorPageFaults();
        const int steps = 100;
        for (int i = 0; i < steps; i++) Step();
        double perStep = (MinorPageFaults() - before) / (double)steps;
        Assert.True(perStep < 200, $"{perStep:F0} page faults per training step: freed memory went back to the kernel");
    }

    [Fact]
    public void Collecting_garbage_during_inference_never_crashes()
    {
        using var net = SmallCnn();
        net.eval();
        for (int i = 0; i < 300; i++)
        {
            // Tensors deliberately left to the finalizer, interleaved with forced collections.
            var output = net.call(randn(4, 1, 12, 12));
            if (i % 10 == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            Assert.Equal(new long[] { 4, 10 }, output.shape);
        }
    }

    private static void TrainStep(Module net, Optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        nn.functional.cross_entropy(net.call(x), y).backward();
        optimizer.step();
    }

    /// <summary>The process's minor page faults so far (/proc/self/stat, field 10).</summary>
    private static long MinorPageFaults()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
