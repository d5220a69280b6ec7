using System.Diagnostics;
using CnnCourse.Engine;
using TorchSharp;
using static TorchSharp.torch;
using ModelZoo = CnnCourse.Models.Models;

/// <summary>One trial on TorchSharp: the same model, data and recipe as peer.py's trial.</summary>
internal static class TorchSharpTrial
{
    public static Dictionary<string, object> Describe()
    {
        TorchRuntime.Initialize();
        var ready = new Dictionary<string, object>
        {
            ["engine"] = $"TorchSharp {TorchRuntime.TorchSharpVersion}",
            ["libtorch"] = torch.__version__,
            ["default_threads"] = torch.get_num_threads(),
            ["cpu_allocator"] = AllocatorPolicy.Description,
        };
        if (AllocatorPolicy.KeepsFreedMemory)
        {
            ready["malloc_mmap_threshold"] = AllocatorPolicy.MmapThreshold;
            ready["malloc_trim_threshold"] = AllocatorPolicy.TrimThreshold;
        }
        return ready;
    }

    public static TrialResult Run(TrialRequest r)
    {
        torch.set_num_threads(r.threads);
        torch.manual_seed(0);
        var net = r.model switch
        {
            "lenet5" => ModelZoo.Create("lenet5", numClasses: 10, inChannels: 1),
            "resnet18" => ModelZoo.Create("resnet18", numClasses: 10, inChannels: 3, small: true),
            "mobilenet_v2" => ModelZoo.Create("mobilenet_v2", numClasses: 10, inChannels: 3),
            _ => throw new ArgumentException($"unknown model {r.model}"),
        };
        bool bf16 = r.mode == "bf16";
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([r.batch, .. TrialLoop.ImageShape(r.model)]);
        var y = torch.randint(0, 10, [r.batch]);
        if (bf16)
        {
            net.ToChannelsLast();
            x = x.ToChannelsLast();
        }
        net.train();
        var optimizer = optim.SGD(net.parameters(), 0.01, momentum: 0.9);
        var result = TrialLoop.Run(r, () =>
        {
            using var stepScope = torch.NewDisposeScope();
            long start = Stopwatch.GetTimestamp();
            optimizer.zero_grad();
            Tensor loss;
            using (Amp.Autocast(ScalarType.BFloat16, enabled: bf16))
                loss = nn.functional.cross_entropy(net.call(x), y);
            long forward = Stopwatch.GetTimestamp();
            loss.backward();
            long backward = Stopwatch.GetTimestamp();
            optimizer.step();
            long end = Stopwatch.GetTimestamp();
            return (forward - start, backward - forward, end - backward);
        });
        net.Dispose();
        return result;
    }
}
