using CnnCourse.Runtime;
using CnnCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Training;

/// <summary>A fact that runs only where CUDA is available (skipped elsewhere, as on CI).</summary>
public sealed class CudaTrainingFactAttribute : FactAttribute
{
    public CudaTrainingFactAttribute()
    {
        if (!torch.cuda.is_available()) Skip = "needs a CUDA device";
    }
}

/// <summary>The trainer on a GPU: batches made there by the data, float16 autocast with loss scaling, bfloat16, checkpoints.</summary>
[Collection(TrainingSerial.Name)]
public class CudaTrainingTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"cuda-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    private static (TestMlp net, TorchSharp.Modules.SGD opt, Trainer trainer) NewRun(ScalarType? autocast)
    {
        var net = new TestMlp(2, 16, 2);
        net.to(torch.CUDA);   // before the optimizer, which holds the parameters
        var opt = torch.optim.SGD(net.parameters(), learningRate: 0.1, momentum: 0.9);
        var trainer = new Trainer(net, opt) { Progress = Progress.None, Autocast = autocast };
        return (net, opt, trainer);
    }

    [CudaTrainingFact]
    public void Trains_on_cuda_in_float32_float16_and_bfloat16()
    {
        var train = ArrayBatches.Blobs(100, 20, shuffle: true).On(torch.CUDA);
        var test = ArrayBatches.Blobs(100, 50, shuffle: false, seed: 2).On(torch.CUDA);
        foreach (var autocast in new ScalarType?[] { null, ScalarType.Float16, ScalarType.BFloat16 })
        {
            Seed.Everything(41);
            var (net, opt, trainer) = NewRun(autocast);
            using var _1 = net;
            using var _2 = opt;
            var history = trainer.Fit(train, test, 3);
            Assert.True(history[2].ValAccuracy >= 0.99, $"{autocast}: {history}");
            Assert.Equal(DeviceType.CUDA, net.fc1.weight.device_type);
            Assert.Equal(ScalarType.Float32, net.fc1.weight.dtype);
            Assert.Equal(autocast == ScalarType.Float16, trainer.GradScaler is not null);
            using var predictions = trainer.Predict(test);
            Assert.Equal(DeviceType.CPU, predictions.Logits.device_type);
            Assert.Equal(history[2].ValAccuracy, predictions.Accuracy);
        }
    }

    [CudaTrainingFact]
    public void A_cuda_run_checkpoints_and_resumes()
    {
        var train = ArrayBatches.Blobs(60, 16, shuffle: true, c: 0.6).On(torch.CUDA);
        var val = ArrayBatches.Blobs(30, 32, shuffle: false, seed: 5, c: 0.6).On(torch.CUDA);
        Seed.Everything(42);
        var (net, opt, trainer) = NewRun(ScalarType.Float16);
        using var _1 = net;
        using var _2 = opt;
        trainer.Fit(train, val, 2);
        string checkpoint = Path.Combine(root, "cuda");
        trainer.SaveCheckpoint(checkpoint);
        double scale = trainer.GradScaler!.CurrentScale;

        var (net2, opt2, resumed) = NewRun(ScalarType.Float16);
        using var _3 = net2;
        using var _4 = opt2;
        resumed.LoadCheckpoint(checkpoint);
        Assert.Equal(scale, resumed.GradScaler!.CurrentScale);
        TestWeights.AssertEqual(CpuWeights(net), CpuWeights(net2));
        Assert.Equal(trainer.Evaluate(val), resumed.Evaluate(val));
        resumed.Fit(train, val, 1);
        Assert.Equal(3, resumed.History.Count);
    }

    private static Dictionary<string, float[]> CpuWeights(TestMlp net)
    {
        using var scope = torch.NewDisposeScope();
        return net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.cpu().data<float>().ToArray());
    }
}
