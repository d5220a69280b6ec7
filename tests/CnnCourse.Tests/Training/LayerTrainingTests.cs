using CnnCourse.Engine;
using CnnCourse.Runtime;
using CnnCourse.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Training;

/// <summary>The trainer with the engine's real layers: convolution, batch norm (buffers), pooling, Adam.</summary>
[Collection(TrainingSerial.Name)]
public class LayerTrainingTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"layers-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    private static Sequential Cnn() => nn.Sequential(
        ("conv1", nn.Conv2d(1, 4, 3, padding: 1)),
        ("bn1", nn.BatchNorm2d(4)),
        ("relu", nn.ReLU()),
        ("pool", nn.MaxPool2d(2)),
        ("flatten", nn.Flatten()),
        ("drop", nn.Dropout(0.2)),
        ("fc", nn.Linear(4 * 4 * 4, 2)));

    private static (Sequential net, Adam opt, Trainer trainer) NewRun(bool channelsLast = false)
    {
        var net = Cnn();
        var opt = torch.optim.Adam(net.parameters(), lr: 0.01);
        var trainer = new Trainer(net, opt, new CrossEntropyLoss(label_smoothing: 0.05))
        {
            Progress = Progress.None,
            Scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size: 1, gamma: 0.7),
            ChannelsLast = channelsLast,
        };
        return (net, opt, trainer);
    }

    [Fact]
    public void A_small_cnn_learns_and_resumes_exactly_with_batch_norm_buffers_and_adam_state()
    {
        var train = TinyImages.Make(64, 16, shuffle: true, seed: 1);
        var test = TinyImages.Make(32, 64, shuffle: false, seed: 2);

        Seed.Everything(31);
        var (straightNet, straightOpt, straight) = NewRun();
        using var _1 = straightNet;
        using var _2 = straightOpt;
        straight.Fit(train, test, 3);
        Assert.True(straight.History[2].ValAccuracy >= 0.95, straight.History.ToString());

        Seed.Everything(31);
        string checkpoint = Path.Combine(root, "cnn");
        var (firstNet, firstOpt, first) = NewRun();
        first.Fit(train, test, 1);
        first.SaveCheckpoint(checkpoint);
        firstNet.Dispose();
        firstOpt.Dispose();

        Seed.Everything(5);
        var (net, opt, resumed) = NewRun();
        using var _3 = net;
        using var _4 = opt;
        resumed.LoadCheckpoint(checkpoint);
        resumed.Fit(train, test, 2);

        Assert.Equal(straight.History.TrainLoss, resumed.History.TrainLoss);
        Assert.Equal(straight.History.ValLoss, resumed.History.ValLoss);
        Assert.Equal(straight.History.LearningRate, resumed.History.LearningRate);
        TestWeights.AssertEqual(Floats(straightNet), Floats(net));
        Assert.Equal(straightNet.state_dict()["bn1.num_batches_tracked"].item<long>(), net.state_dict()["bn1.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void Channels_last_converts_the_convolution_weights_and_trains_as_well()
    {
        var train = TinyImages.Make(64, 16, shuffle: true, seed: 1);
        var test = TinyImages.Make(32, 64, shuffle: false, seed: 2);
        Seed.Everything(32);
        var (net, opt, trainer) = NewRun(channelsLast: true);
        using var _1 = net;
        using var _2 = opt;
        trainer.Fit(train, test, 3);
        var weight = net.get_parameter("conv1.weight")!;
        Assert.True(weight.IsChannelsLast());
        Assert.True(new long[] { 9, 1, 3, 1 }.SequenceEqual(weight.stride()),
            $"strides [{string.Join(", ", weight.stride())}] of {string.Join("x", weight.shape)}");   // NHWC strides
        Assert.True(trainer.History[2].ValAccuracy >= 0.95, trainer.History.ToString());
    }

    private static Dictionary<string, float[]> Floats(nn.Module m)
    {
        using var scope = torch.NewDisposeScope();
        return m.state_dict()
            .Where(kv => kv.Value.dtype == ScalarType.Float32)
            .ToDictionary(kv => kv.Key, kv => kv.Value.contiguous().data<float>().ToArray());
    }
}
