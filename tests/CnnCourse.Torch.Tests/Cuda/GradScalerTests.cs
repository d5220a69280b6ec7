using CnnCourse.Torch.Optim;

namespace CnnCourse.Torch.Tests.Cuda;

/// <summary>
/// torch.amp.GradScaler's rules, checked on the CPU (the same native update rule as CUDA's kernel,
/// which <see cref="CudaTests"/> exercises on a GPU): values worked out by hand.
/// </summary>
[Collection(ProcessWideState.Name)]
public sealed class GradScalerTests
{
    // w = [1, 1]; loss = w·[1, 2] so dloss/dw = [1, 2].
    private static (Tensor w, SGD opt) Problem()
    {
        var w = torch.ones(new long[] { 2 }, requires_grad: true).DetachFromDisposeScope();
        return (w, torch.optim.SGD(new[] { w }, lr: 0.1));
    }

    private static Tensor Loss(Tensor w) => (w * torch.tensor(new float[] { 1, 2 })).sum();

    [Fact]
    public void A_clean_step_scales_the_loss_unscales_the_gradients_and_steps()
    {
        using var scope = torch.NewDisposeScope();
        var (w, opt) = Problem();
        using var _w = w;
        using var _opt = opt;
        using var scaler = new torch.amp.GradScaler("cpu", init_scale: 1024);
        Assert.True(scaler.is_enabled());
        Assert.Equal(1024.0, scaler.get_scale());
        var scaled = scaler.scale(Loss(w));
        Assert.Equal(3.0 * 1024, scaled.item<float>());
        scaled.backward();
        Assert.Equal(new float[] { 1024, 2048 }, w.grad!.ToArray<float>());
        scaler.unscale_(opt);
        Assert.Equal(new float[] { 1, 2 }, w.grad!.ToArray<float>());
        Assert.True(scaler.step(opt));
        Assert.Equal(new float[] { 0.9f, 0.8f }, w.ToArray<float>());
        scaler.update();
        Assert.Equal(1024.0, scaler.get_scale());
        var state = scaler.state_dict();
        Assert.Equal(new[] { "scale", "growth_factor", "backoff_factor", "growth_interval", "_growth_tracker" }, state.Keys);
        Assert.Equal(1.0, state["_growth_tracker"]);
        Assert.Equal(2000.0, state["growth_interval"]);
    }

    [Fact]
    public void Overflow_skips_the_step_and_backs_off_clean_steps_grow_the_scale()
    {
        using var scope = torch.NewDisposeScope();
        var (w, opt) = Problem();
        using var _w = w;
        using var _opt = opt;
        using var scaler = new torch.amp.GradScaler("cpu", init_scale: 8, growth_factor: 4, backoff_factor: 0.25, growth_interval: 2);
        var expected = new List<double>();
        var stepped = new List<bool>();
        // clean, clean (grows x4), inf (backs off x0.25), nan (again), clean, clean (grows)
        foreach (double poison in new[] { 0, 0, double.PositiveInfinity, double.NaN, 0, 0 })
        {
            using var stepScope = torch.NewDisposeScope();
            opt.zero_grad();
            scaler.scale(Loss(w)).backward();
            if (poison != 0)
                using (var g = w.grad!) g.fill_(poison);
            stepped.Add(scaler.step(opt));
            scaler.update();
            expected.Add(scaler.get_scale());
        }
        Assert.Equal(new[] { true, true, false, false, true, true }, stepped);
        Assert.Equal(new[] { 8.0, 32, 8, 2, 2, 8 }, expected);
        // Four clean steps of lr 0.1 with gradient [1, 2].
        var values = w.ToArray<float>();
        Assert.Equal(1 - 0.4, values[0], 5);
        Assert.Equal(1 - 0.8, values[1], 5);
    }

    [Fact]
    public void Calls_out_of_order_are_refused()
    {
        using var scope = torch.NewDisposeScope();
        var (w, opt) = Problem();
        using var _w = w;
        using var _opt = opt;
        using var scaler = new torch.amp.GradScaler("cpu");
        Assert.Throws<InvalidOperationException>(() => scaler.unscale_(opt)); // nothing scaled yet
        scaler.scale(Loss(w)).backward();
        scaler.unscale_(opt);
        Assert.Contains("already been called", Assert.Throws<InvalidOperationException>(() => scaler.unscale_(opt)).Message);
        scaler.step(opt);
        Assert.Contains("already been called", Assert.Throws<InvalidOperationException>(() => scaler.step(opt)).Message);
        scaler.update();
        Assert.Contains("no inf checks", Assert.Throws<InvalidOperationException>(() => scaler.update()).Message);
        Assert.Throws<ArgumentException>(() => new torch.amp.GradScaler("cpu", growth_factor: 1));
        Assert.Throws<ArgumentException>(() => new torch.amp.GradScaler("cpu", backoff_factor: 1));
        Assert.Throws<ArgumentException>(() => new torch.amp.GradScaler("tpu"));
    }

    [Fact]
    public void Float16_gradients_are_refused_with_advice()
    {
        using var scope = torch.NewDisposeScope();
        var w = torch.ones(new long[] { 2 }, torch.float16, requires_grad: true);
        using var opt = torch.optim.SGD(new[] { w }, lr: 0.1);
        using var scaler = new torch.amp.GradScaler("cpu");
        scaler.scale(w.sum()).backward();
        var e = Assert.Throws<InvalidOperationException>(() => scaler.unscale_(opt));
        Assert.Contains("float16 gradients", e.Message);
    }

    [Fact]
    public void A_disabled_scaler_passes_through()
    {
        using var scope = torch.NewDisposeScope();
        var (w, opt) = Problem();
        using var _w = w;
        using var _opt = opt;
        using var scaler = new torch.amp.GradScaler("cpu", enabled: false);
        var loss = Loss(w);
        Assert.Same(loss, scaler.scale(loss));
        loss.backward();
        Assert.True(scaler.step(opt));
        scaler.update();
        Assert.Equal(1.0, scaler.get_scale());
        Assert.Equal(new float[] { 0.9f, 0.8f }, w.ToArray<float>());
        Assert.Empty(scaler.state_dict());
        // A CUDA scaler disables itself where CUDA is absent, as PyTorch's does.
        using var cudaScaler = new torch.amp.GradScaler("cuda");
        Assert.Equal(torch.cuda.is_available(), cudaScaler.is_enabled());
    }

    [Fact]
    public void State_round_trips_and_the_loop_does_not_leak_tensors()
    {
        using var scope = torch.NewDisposeScope();
        var (w, opt) = Problem();
        using var _w = w;
        using var _opt = opt;
        using var scaler = new torch.amp.GradScaler("cpu", init_scale: 16, growth_interval: 3);
        long live = 0;
        for (int i = 0; i < 20; i++)
        {
            using (var step = torch.NewDisposeScope())
            {
                opt.zero_grad();
                scaler.scale(Loss(w)).backward();
                scaler.step(opt);
                scaler.update();
            }
            if (i == 4) live = Tensor.LiveCount;
        }
        Assert.Equal(live, Tensor.LiveCount);
        var state = scaler.state_dict();
        Assert.Equal(16.0 * 64, state["scale"]);   // 20 clean steps: 6 growths
        Assert.Equal(2.0, state["_growth_tracker"]);
        using var restored = new torch.amp.GradScaler("cpu");
        restored.load_state_dict(state);
        Assert.Equal(state, restored.state_dict());
    }
}

/// <summary>The CUDA API on a shim built against a CPU-only libtorch: clear errors, no crash.</summary>
[Collection(ProcessWideState.Name)]
public sealed class CpuOnlyLibtorchTests
{
    [CpuOnlyLibtorchFact]
    public void Cuda_memory_functions_say_the_libtorch_has_no_cuda()
    {
        Assert.False(torch.config.shim_has_cuda);
        Assert.False(torch.cuda.is_available());
        Assert.Equal(0, torch.cuda.device_count());
        var calls = new (string name, Action call)[]
        {
            ("memory_allocated", () => torch.cuda.memory_allocated()),
            ("memory_reserved", () => torch.cuda.memory_reserved()),
            ("max_memory_allocated", () => torch.cuda.max_memory_allocated()),
            ("reset_peak_memory_stats", () => torch.cuda.reset_peak_memory_stats()),
            ("empty_cache", () => torch.cuda.empty_cache()),
            ("get_device_properties", () => torch.cuda.get_device_properties()),
            ("current_device", () => torch.cuda.current_device()),
        };
        foreach (var (name, call) in calls)
        {
            var e = Assert.Throws<TorchException>(call);
            Assert.StartsWith(name + ":", e.Message);
            Assert.Contains("this libtorch was built without CUDA", e.Message);
        }
    }

    [CpuOnlyLibtorchFact]
    public void Creating_a_cuda_tensor_without_cuda_is_an_exception_not_a_crash()
    {
        Assert.Throws<TorchException>(() => torch.zeros(new long[] { 2 }, device: new Device("cuda")));
        using var t = torch.zeros(new long[] { 2 });
        Assert.Throws<TorchException>(() => t.cuda());
        using var net = torch.nn.Linear(2, 2);
        Assert.Throws<TorchException>(() => net.cuda());
    }
}
