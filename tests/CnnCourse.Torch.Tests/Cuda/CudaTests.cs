using CnnCourse.Torch.Modules;
using F = CnnCourse.Torch.torch.nn.functional;

namespace CnnCourse.Torch.Tests.Cuda;

/// <summary>
/// The engine on a CUDA GPU: every result computed there agrees with the CPU's, modules move,
/// training and mixed precision work, and the allocator's statistics move as tensors come and go.
/// Skipped (with the reason) where no GPU is visible. Serial: memory statistics are process-wide.
/// </summary>
[Collection(ProcessWideState.Name)]
public sealed class CudaTests
{
    private static readonly Device Gpu = new("cuda:0");

    // float64: no TF32 and deterministic enough that CPU and GPU agree to ~1e-12.
    private const double Rtol64 = 1e-7, Atol64 = 1e-9;

    private static void AssertClose(Tensor expected, Tensor actual, double rtol = Rtol64, double atol = Atol64, string what = "")
    {
        using var scope = torch.NewDisposeScope();
        var onCpu = actual.device.type == DeviceType.CPU ? actual : actual.cpu();
        var want = expected.device.type == DeviceType.CPU ? expected : expected.cpu();
        Assert.Equal(want.shape, onCpu.shape);
        Assert.Equal(want.dtype, onCpu.dtype);
        if (onCpu.allclose(want, rtol, atol)) return;
        var a = onCpu.to(ScalarType.Float64);
        var e = want.to(ScalarType.Float64);
        double worst = (a - e).abs().max().item<double>();
        Assert.Fail($"{what}: CUDA and CPU differ by up to {worst} (rtol {rtol}, atol {atol})");
    }

    [CudaFact]
    public void Creation_honours_the_device_and_values_come_back()
    {
        using var scope = torch.NewDisposeScope();
        Assert.True(torch.cuda.device_count() >= 1);
        Assert.True(torch.config.shim_has_cuda);
        var factories = new Func<Tensor>[]
        {
            () => torch.zeros(new long[] { 2, 3 }, device: Gpu),
            () => torch.ones(new long[] { 2, 3 }, device: Gpu),
            () => torch.full(new long[] { 2 }, 7, device: Gpu),
            () => torch.empty(new long[] { 4 }, device: Gpu),
            () => torch.rand(new long[] { 4 }, device: Gpu),
            () => torch.randn(new long[] { 4 }, device: Gpu),
            () => torch.randint(0, 10, new long[] { 4 }, device: Gpu),
            () => torch.randperm(5, device: Gpu),
            () => torch.arange(0, 5, device: Gpu),
            () => torch.linspace(0, 1, 5, device: Gpu),
            () => torch.eye(3, device: Gpu),
            () => torch.tensor(new float[] { 1, 2, 3 }, device: Gpu),
        };
        foreach (var make in factories)
        {
            var t = make();
            Assert.Equal(DeviceType.CUDA, t.device.type);
            Assert.Equal(0, t.device.index);
        }
        var data = torch.tensor(new double[] { 1.5, -2, 3.25, 4 }, new long[] { 2, 2 }, device: Gpu);
        Assert.Equal(new double[] { 1.5, -2, 3.25, 4 }, data.ToArray<double>());
        Assert.Equal(8.0, (data * 2).sum().item<double>() / 2 + 1.25, 12);
        Assert.Equal("cuda:0", data.device.ToString());
        Assert.Equal(DeviceType.CPU, data.cpu().device.type);
        Assert.Equal(DeviceType.CUDA, torch.zeros_like(data).device.type);
    }

    [CudaFact]
    public void Device_properties_and_synchronize()
    {
        var props = torch.cuda.get_device_properties(0);
        Assert.False(string.IsNullOrWhiteSpace(props.name));
        Assert.True(props.total_memory > 1L << 30, $"{props}");
        Assert.True(props.major >= 3);
        Assert.True(props.multi_processor_count > 0);
        Assert.Equal(props.name, torch.cuda.get_device_name());
        Assert.Equal(0, torch.cuda.current_device());
        torch.cuda.synchronize();
        var e = Assert.Throws<TorchException>(() => torch.cuda.get_device_properties(torch.cuda.device_count()));
        Assert.Contains("does not exist", e.Message);
    }

    [CudaFact]
    public void Conv2d_forward_and_backward_agree_with_the_cpu()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var x = torch.randn(new long[] { 2, 4, 9, 9 }, torch.float64);
        var w = torch.randn(new long[] { 6, 2, 3, 3 }, torch.float64);
        var b = torch.randn(new long[] { 6 }, torch.float64);
        var results = new List<(Tensor y, Tensor gx, Tensor gw, Tensor gb)>();
        foreach (var device in new[] { Device.CPU, Gpu })
        {
            // detach(): fresh leaves on each device (on the CPU, to() would return x itself).
            var xd = x.detach().to(device).requires_grad_();
            var wd = w.detach().to(device).requires_grad_();
            var bd = b.detach().to(device).requires_grad_();
            var y = F.conv2d(xd, wd, bd, stride: 2, padding: 1, groups: 2);
            (y * y).sum().backward();
            results.Add((y, xd.grad!, wd.grad!, bd.grad!));
        }
        Assert.Equal(new long[] { 2, 6, 5, 5 }, results[1].y.shape);
        AssertClose(results[0].y, results[1].y, what: "conv2d output");
        AssertClose(results[0].gx, results[1].gx, what: "conv2d input grad");
        AssertClose(results[0].gw, results[1].gw, what: "conv2d weight grad");
        AssertClose(results[0].gb, results[1].gb, what: "conv2d bias grad");
    }

    [CudaFact]
    public void Float32_conv2d_agrees_within_tf32_tolerance()
    {
        // cuDNN may use TF32 (10-bit mantissa) for float32 convolutions on Ampere and later, as PyTorch does.
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        var x = torch.randn(new long[] { 4, 16, 16, 16 });
        var w = torch.randn(new long[] { 32, 16, 3, 3 }) * 0.1;
        var cpu = F.conv2d(x, w, padding: 1);
        var gpu = F.conv2d(x.cuda(), w.cuda(), padding: 1);
        AssertClose(cpu, gpu, rtol: 1e-2, atol: 2e-2, what: "float32 conv2d");
    }

    [CudaFact]
    public void Batch_norm_training_and_eval_agree_with_the_cpu()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var x = torch.randn(new long[] { 8, 3, 5, 5 }, torch.float64) * 3 + 1;
        var weight = torch.rand(new long[] { 3 }, torch.float64) + 0.5;
        var bias = torch.randn(new long[] { 3 }, torch.float64);
        var outputs = new List<Tensor[]>();
        foreach (var device in new[] { Device.CPU, Gpu })
        {
            var mean = torch.zeros(new long[] { 3 }, torch.float64, device);
            var variance = torch.ones(new long[] { 3 }, torch.float64, device);
            var xd = x.detach().to(device).requires_grad_();
            var wd = weight.detach().to(device).requires_grad_();
            var bd = bias.detach().to(device).requires_grad_();
            var y = F.batch_norm(xd, mean, variance, wd, bd, training: true, momentum: 0.1);
            (y * torch.arange(0, 3, dtype: torch.float64, device: device).view(1, 3, 1, 1)).pow(2).sum().backward();
            var yEval = F.batch_norm(x.to(device), mean, variance, wd.detach(), bd.detach(), training: false);
            outputs.Add(new[] { y, xd.grad!, wd.grad!, bd.grad!, mean, variance, yEval });
        }
        string[] names = { "output", "input grad", "weight grad", "bias grad", "running_mean", "running_var", "eval output" };
        for (int i = 0; i < names.Length; i++) AssertClose(outputs[0][i], outputs[1][i], what: "batch_norm " + names[i]);
    }

    [CudaFact]
    public void Resnet_basic_block_moved_to_cuda_agrees_with_its_cpu_twin()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        using var cpuBlock = new BasicBlock(8, 16, stride: 2).to(ScalarType.Float64);
        using var gpuBlock = new BasicBlock(8, 16, stride: 2).to(ScalarType.Float64);
        gpuBlock.load_state_dict(cpuBlock.state_dict());
        gpuBlock.to(Gpu);
        foreach (var (name, p) in gpuBlock.named_parameters()) Assert.True(p.device.type == DeviceType.CUDA, name);
        foreach (var (name, b) in gpuBlock.named_buffers()) Assert.True(b.device.type == DeviceType.CUDA, name);

        var x = torch.randn(new long[] { 4, 8, 12, 12 }, torch.float64);
        var yCpu = cpuBlock.call(x);
        var yGpu = gpuBlock.call(x.cuda());
        Assert.Equal(new long[] { 4, 16, 6, 6 }, yGpu.shape);
        AssertClose(yCpu, yGpu, what: "block output");
        yCpu.pow(2).mean().backward();
        yGpu.pow(2).mean().backward();
        var gpuParams = gpuBlock.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in cpuBlock.named_parameters())
            AssertClose(p.grad!, gpuParams[name].grad!, what: name + ".grad");
        var gpuBuffers = gpuBlock.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, b) in cpuBlock.named_buffers())
            AssertClose(b, gpuBuffers[name], what: name);

        // Back on the CPU, the same parameters (objects) hold the same values.
        gpuBlock.cpu();
        foreach (var (name, p) in gpuBlock.named_parameters()) Assert.True(p.device.type == DeviceType.CPU, name);
    }

    /// <summary>The engine's functional ops and tensor ops, each run on both devices in float64.</summary>
    [CudaFact]
    public void Every_functional_and_tensor_op_agrees_with_the_cpu()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        var x = torch.randn(new long[] { 2, 4, 8, 8 }, torch.float64);
        var w = torch.randn(new long[] { 6, 4, 3, 3 }, torch.float64);
        var wt = torch.randn(new long[] { 4, 3, 3, 3 }, torch.float64);
        var b = torch.randn(new long[] { 6 }, torch.float64);
        var lw = torch.randn(new long[] { 5, 8 }, torch.float64);
        var logits = torch.randn(new long[] { 6, 5 }, torch.float64);
        var target = torch.tensor(new long[] { 0, 4, 2, 2, 1, 3 });
        var m = torch.randn(new long[] { 3, 4, 5 }, torch.float64);
        var n = torch.randn(new long[] { 3, 5, 2 }, torch.float64);
        var index = torch.tensor(new long[] { 3, 0, 1 });
        var mask = x > 0.5;

        var cases = new (string name, Func<Func<Tensor, Tensor>, Tensor> run)[]
        {
            ("conv2d same", on => F.conv2d(on(x), on(w), on(b), padding: "same")),
            ("conv2d dilated", on => F.conv2d(on(x), on(w), null, stride: 2, padding: 2, dilation: 2)),
            ("conv_transpose2d", on => F.conv_transpose2d(on(x), on(wt), stride: 2, padding: 1, output_padding: 1)),
            ("max_pool2d", on => F.max_pool2d(on(x), 3, stride: 2, padding: 1)),
            ("avg_pool2d", on => F.avg_pool2d(on(x), 2, ceil_mode: true)),
            ("adaptive_avg_pool2d", on => F.adaptive_avg_pool2d(on(x), 3)),
            ("adaptive_max_pool2d", on => F.adaptive_max_pool2d(on(x), 3)),
            ("layer_norm", on => F.layer_norm(on(x), new long[] { 8, 8 })),
            ("local_response_norm", on => F.local_response_norm(on(x), 3)),
            ("dropout(eval)", on => F.dropout(on(x), 0.5, training: false)),
            ("linear", on => F.linear(on(x), on(lw))),
            ("relu", on => F.relu(on(x))),
            ("relu6", on => F.relu6(on(x) * 4)),
            ("leaky_relu", on => F.leaky_relu(on(x), 0.2)),
            ("gelu", on => F.gelu(on(x))),
            ("gelu tanh", on => F.gelu(on(x), "tanh")),
            ("silu", on => F.silu(on(x))),
            ("hardswish", on => F.hardswish(on(x))),
            ("hardsigmoid", on => F.hardsigmoid(on(x))),
            ("sigmoid", on => F.sigmoid(on(x))),
            ("tanh", on => F.tanh(on(x))),
            ("softmax", on => F.softmax(on(x), 1)),
            ("log_softmax", on => F.log_softmax(on(x), -1)),
            ("cross_entropy", on => F.cross_entropy(on(logits), on(target), label_smoothing: 0.1)),
            ("nll_loss", on => F.nll_loss(F.log_softmax(on(logits), 1), on(target))),
            ("mse_loss", on => F.mse_loss(on(logits), on(logits).exp())),
            ("one_hot", on => F.one_hot(on(target), 5)),
            ("interpolate bilinear", on => F.interpolate(on(x), size: 13, mode: InterpolationMode.Bilinear, align_corners: false)),
            ("interpolate nearest", on => F.interpolate(on(x), scale_factor: 2.0)),
            ("pad reflect", on => F.pad(on(x), new long[] { 1, 2, 3, 1 }, "reflect")),
            ("matmul", on => on(m).matmul(on(n))),
            ("bmm", on => on(m).bmm(on(n))),
            ("sum/mean", on => on(x).sum(new long[] { 0, 2 }) + on(x).mean(3).sum(0).sum(1).unsqueeze(1)),
            ("std/var", on => on(x).std(1).sum(0) + on(x).var(new long[] { 0, 1 }, keepdim: false)),
            ("argmax", on => on(x).argmax(1)),
            ("topk", on => on(logits).topk(2).values),
            ("sort", on => on(logits).sort(0, descending: true).indices),
            ("cumsum", on => on(x).cumsum(2)),
            ("gather", on => on(logits).gather(1, on(target).unsqueeze(1))),
            ("index_select", on => on(x).index_select(1, on(index))),
            ("masked_fill", on => on(x).masked_fill(on(mask), -1.0)),
            ("where", on => torch.where(on(mask), on(x), on(x) * 3)),
            ("clamp", on => on(x).clamp(-0.5, 0.5)),
            ("cat/stack", on => torch.stack(new[] { torch.cat(new[] { on(m), on(m) }, 1), torch.cat(new[] { on(m), on(m) * 2 }, 1) })),
            ("permute/reshape", on => on(x).permute(0, 2, 3, 1).reshape(-1, 4).exp().sqrt().log()),
            ("indexing", on => on(x)[TensorIndex.Ellipsis, TensorIndex.Slice(1, null, 2)]),
            ("channels_last", on => F.conv2d(on(x).contiguous(MemoryFormat.ChannelsLast), on(w))),
        };
        var failures = new List<string>();
        foreach (var (name, run) in cases)
        {
            try
            {
                var expected = run(t => t);
                var actual = run(t => t.to(Gpu));
                Assert.Equal(DeviceType.CUDA, actual.device.type);
                AssertClose(expected, actual, what: name);
            }
            catch (Exception e)
            {
                failures.Add($"{name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [CudaFact]
    public void A_training_step_on_cuda_matches_the_cpu_and_training_lowers_the_loss()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(6);
        Module MakeNet() => torch.nn.Sequential(
            torch.nn.Conv2d(3, 8, 3, padding: 1), torch.nn.BatchNorm2d(8), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Flatten(), torch.nn.Linear(8 * 4 * 4, 5)).to(ScalarType.Float64);
        using var cpuNet = MakeNet();
        using var gpuNet = MakeNet();
        gpuNet.load_state_dict(cpuNet.state_dict());
        gpuNet.to(Gpu);
        var x = torch.randn(new long[] { 16, 3, 8, 8 }, torch.float64);
        var y = torch.randint(0, 5, new long[] { 16 });
        using var cpuOpt = torch.optim.SGD(cpuNet.parameters(), lr: 0.1, momentum: 0.9, weight_decay: 1e-4);
        using var gpuOpt = torch.optim.SGD(gpuNet.parameters(), lr: 0.1, momentum: 0.9, weight_decay: 1e-4);
        var xg = x.cuda();
        var yg = y.cuda();
        var losses = new List<double>();
        for (int step = 0; step < 30; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            gpuOpt.zero_grad();
            var loss = F.cross_entropy(gpuNet.call(xg), yg);
            loss.backward();
            gpuOpt.step();
            losses.Add(loss.item<double>());
            if (step < 2)
            {
                cpuOpt.zero_grad();
                var cpuLoss = F.cross_entropy(cpuNet.call(x), y);
                cpuLoss.backward();
                cpuOpt.step();
                Assert.Equal(cpuLoss.item<double>(), losses[^1], 9);
            }
        }
        var gpuParams = gpuNet.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(gpuParams.Values, p => Assert.Equal(DeviceType.CUDA, p.device.type));
        Assert.True(losses[^1] < losses[0] * 0.5, $"loss {losses[0]} -> {losses[^1]}");
        Assert.All(gpuOpt.state.Values.SelectMany(s => s.Values), t => Assert.Equal(DeviceType.CUDA, t.device.type));
    }

    [CudaFact]
    public void Autocast_float16_with_a_grad_scaler_trains()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(7);
        using var net = torch.nn.Sequential(
            torch.nn.Conv2d(3, 16, 3, padding: 1), torch.nn.BatchNorm2d(16), torch.nn.ReLU(),
            torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(16, 4)).to(Gpu);
        using var opt = torch.optim.SGD(net.parameters(), lr: 0.05, momentum: 0.9);
        using var scaler = new torch.amp.GradScaler("cuda", init_scale: 1024, growth_interval: 5);
        Assert.True(scaler.is_enabled());
        var x = torch.randn(new long[] { 32, 3, 8, 8 }, device: Gpu);
        var y = torch.randint(0, 4, new long[] { 32 }, device: Gpu);
        var losses = new List<double>();
        for (int step = 0; step < 40; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            opt.zero_grad();
            Tensor logits, loss;
            using (torch.autocast(DeviceType.CUDA, ScalarType.Float16))
            {
                logits = net.call(x);
                loss = F.cross_entropy(logits, y);
            }
            Assert.Equal(ScalarType.Float16, logits.dtype);   // the Linear ran in float16
            Assert.Equal(ScalarType.Float32, loss.dtype);     // cross_entropy autocasts to float32
            scaler.scale(loss).backward();
            foreach (var p in net.parameters())
            {
                using var g = p.grad!;
                Assert.Equal(ScalarType.Float32, g.dtype);   // parameters and their grads stay float32
            }
            Assert.True(scaler.step(opt));
            scaler.update();
            losses.Add(loss.item<float>());
        }
        // 40 clean steps with growth_interval 5: the scale doubled 8 times.
        Assert.Equal(1024.0 * 256, scaler.get_scale());
        Assert.True(losses[^1] < losses[0], $"loss {losses[0]} -> {losses[^1]}");

        // A gradient overflow skips the step and halves the scale.
        using (var s2 = torch.NewDisposeScope())
        {
            opt.zero_grad();
            using (torch.autocast(DeviceType.CUDA)) scaler.scale(F.cross_entropy(net.call(x), y)).backward();
            var first = net.parameters().First();
            using (var g = first.grad!) g.fill_(double.PositiveInfinity);
            var before = first.detach().clone();
            Assert.False(scaler.step(opt));
            scaler.update();
            Assert.True(first.equal(before));
            Assert.Equal(1024.0 * 128, scaler.get_scale());
        }
    }

    [CudaFact]
    public void Autocast_bfloat16_and_channels_last_train_without_a_scaler()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(9);
        using var block = new BasicBlock(8, 8).to(Gpu).to(MemoryFormat.ChannelsLast);
        using var head = torch.nn.Linear(8, 3).to(Gpu);
        var parameters = block.parameters().Concat(head.parameters()).ToList();
        using var opt = torch.optim.SGD(parameters, lr: 0.1, momentum: 0.9);
        var x = torch.randn(new long[] { 16, 8, 6, 6 }, device: Gpu).contiguous(MemoryFormat.ChannelsLast);
        var y = torch.randint(0, 3, new long[] { 16 }, device: Gpu);
        var losses = new List<double>();
        for (int step = 0; step < 25; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            opt.zero_grad();
            Tensor features, logits, loss;
            using (torch.autocast(DeviceType.CUDA, ScalarType.BFloat16))
            {
                features = block.call(x);
                logits = head.call(features.mean(new long[] { 2, 3 }));
                loss = F.cross_entropy(logits, y);
            }
            Assert.Equal(ScalarType.BFloat16, logits.dtype);
            Assert.True(features.is_contiguous(MemoryFormat.ChannelsLast), "channels_last flows through the block");
            loss.backward();
            opt.step();
            losses.Add(loss.item<float>());
        }
        Assert.All(parameters, p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.True(losses[^1] < losses[0] * 0.5, $"loss {losses[0]} -> {losses[^1]}");
    }

    [CudaFact]
    public void Memory_statistics_rise_with_allocation_and_fall_after_dispose_and_empty_cache()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        torch.cuda.synchronize();
        torch.cuda.empty_cache();
        torch.cuda.reset_peak_memory_stats();
        long allocated0 = torch.cuda.memory_allocated();
        long reserved0 = torch.cuda.memory_reserved();
        const long bytes = 64L << 20; // 64 MiB of float32
        var t = torch.ones(new long[] { bytes / 4 }, device: Gpu);
        long allocated1 = torch.cuda.memory_allocated();
        long reserved1 = torch.cuda.memory_reserved();
        Assert.True(allocated1 - allocated0 >= bytes, $"allocated {allocated0} -> {allocated1}");
        Assert.True(reserved1 >= allocated1 && reserved1 - reserved0 >= bytes, $"reserved {reserved0} -> {reserved1}");
        Assert.True(torch.cuda.max_memory_allocated() >= allocated1);

        t.Dispose();
        long allocated2 = torch.cuda.memory_allocated();
        Assert.Equal(allocated0, allocated2);
        Assert.True(torch.cuda.memory_reserved() >= reserved1 - 1, "the freed block stays cached until empty_cache");
        Assert.True(torch.cuda.max_memory_allocated() >= allocated1, "the peak remembers the allocation");

        torch.cuda.empty_cache();
        long reserved3 = torch.cuda.memory_reserved();
        Assert.True(reserved3 <= reserved1 - bytes, $"reserved {reserved1} -> {reserved3} after empty_cache");
        torch.cuda.reset_peak_memory_stats();
        Assert.Equal(allocated2, torch.cuda.max_memory_allocated());
        Assert.True(torch.cuda.max_memory_reserved() >= torch.cuda.memory_reserved());
    }

    [CudaFact]
    public void Device_mismatches_raise_a_clear_exception()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.ones(new long[] { 3 }, device: Gpu);
        var b = torch.ones(new long[] { 3 });
        var e = Assert.Throws<TorchException>(() => a + b);
        Assert.Contains("device", e.Message);
        var net = torch.nn.Linear(3, 2);
        var e2 = Assert.Throws<TorchException>(() => net.call(a.unsqueeze(0)));
        Assert.Contains("device", e2.Message);
        net.Dispose();
    }

    [CudaFact]
    public void A_cuda_module_saves_and_loads_through_safetensors()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(8);
        using var block = new BasicBlock(4, 4).to(Gpu);
        string path = Path.Combine(Path.GetTempPath(), $"cuda-block-{Guid.NewGuid():N}.safetensors");
        try
        {
            torch.safetensors.save(block.state_dict(), path);
            using var copy = new BasicBlock(4, 4);
            copy.load_state_dict(torch.safetensors.load(path));
            var cpuParams = copy.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, p) in block.named_parameters()) AssertClose(p, cpuParams[name], 0, 0, name);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
