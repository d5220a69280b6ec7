using System.Diagnostics;
using CnnCourse.Models;
using CnnCourse.Torch;

/// <summary>
/// One trial on the course's old binding (CnnCourse.Torch over Debian's libtorch 1.13), kept until that
/// binding is deleted so the benchmark can show it beside TorchSharp once.
/// </summary>
internal static class OldEngineTrial
{
    public static Dictionary<string, object> Describe()
    {
        var ready = new Dictionary<string, object>
        {
            ["engine"] = "CnnCourse.Torch (own binding)",
            ["libtorch"] = torch.__version__,
            ["default_threads"] = torch.get_num_threads(),
            ["cpu_allocator"] = torch.config.cpu_allocator,
        };
        if (torch.config.malloc_keeps_freed_memory)
        {
            ready["malloc_mmap_threshold"] = torch.config.malloc_mmap_threshold;
            ready["malloc_trim_threshold"] = torch.config.malloc_trim_threshold;
        }
        return ready;
    }

    public static TrialResult Run(TrialRequest r)
    {
        torch.set_num_threads(r.threads);
        torch.manual_seed(0);
        using var net = r.model switch
        {
            "lenet5" => Models.Create("lenet5", numClasses: 10, inChannels: 1),
            "resnet18" => Models.Create("resnet18", numClasses: 10, inChannels: 3, small: true),
            "mobilenet_v2" => Models.Create("mobilenet_v2", numClasses: 10, inChannels: 3),
            _ => throw new ArgumentException($"unknown model {r.model}"),
        };
        bool bf16 = r.mode == "bf16";
        var x = torch.randn([r.batch, .. TrialLoop.ImageShape(r.model)]);
        using var y = torch.randint(0, 10, [r.batch]);
        if (bf16)
        {
            net.to(MemoryFormat.ChannelsLast);
            var nhwc = x.contiguous(MemoryFormat.ChannelsLast);
            x.Dispose();
            x = nhwc;
        }
        net.train();
        var optimizer = torch.optim.SGD(net.parameters(), lr: 0.01, momentum: 0.9);
        try
        {
            return TrialLoop.Run(r, () =>
            {
                using var scope = torch.NewDisposeScope();
                long start = Stopwatch.GetTimestamp();
                optimizer.zero_grad();
                Tensor loss;
                using (torch.autocast(DeviceType.CPU, ScalarType.BFloat16, enabled: bf16))
                    loss = torch.nn.functional.cross_entropy(net.call(x), y);
                long forward = Stopwatch.GetTimestamp();
                loss.backward();
                long backward = Stopwatch.GetTimestamp();
                optimizer.step();
                long end = Stopwatch.GetTimestamp();
                return (forward - start, backward - forward, end - backward);
            });
        }
        finally
        {
            x.Dispose();
        }
    }
}
