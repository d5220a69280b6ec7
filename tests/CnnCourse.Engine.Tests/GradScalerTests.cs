using CnnCourse.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Engine.Tests;

// The expected values follow PyTorch's torch.amp.GradScaler: gradients divided by the scale, a step
// skipped on inf/NaN with the scale times backoff_factor, growth after growth_interval clean steps.
public class GradScalerTests
{
    private static (Parameter P, optim.Optimizer Opt) Model(params float[] values)
    {
        var p = new Parameter(torch.tensor(values));
        return (p, optim.SGD([p], 0.1));
    }

    // loss = sum(p * c), so the gradient is c, times the scale once scaled.
    private static void Backward(GradScaler scaler, Parameter p, optim.Optimizer opt, params float[] c)
    {
        opt.zero_grad();
        using var weights = torch.tensor(c);
        using var loss = (p * weights).sum();
        using var scaled = scaler.Scale(loss);
        scaled.backward();
    }

    private static float[] Values(Tensor t) => t.detach().data<float>().ToArray();

    [Fact]
    public void A_clean_step_unscales_the_gradients_and_steps()
    {
        var scaler = new GradScaler(DeviceType.CPU, initScale: 1024);
        var (p, opt) = Model(1, 2);
        Backward(scaler, p, opt, 3, -4);
        Assert.Equal(new float[] { 3 * 1024, -4 * 1024 }, Values(p.grad!));
        scaler.Unscale(opt);
        Assert.Equal(new float[] { 3, -4 }, Values(p.grad!));
        Assert.True(scaler.Step(opt));
        Assert.Equal(new[] { 1 - 0.3f, 2 + 0.4f }, Values(p));
        scaler.Update();
        Assert.Equal(1024, scaler.CurrentScale);
        Assert.Equal(1, scaler.GrowthTracker);
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    public void A_non_finite_gradient_skips_the_step_and_backs_off(float bad)
    {
        var scaler = new GradScaler(DeviceType.CPU, initScale: 1024, backoffFactor: 0.25);
        var (p, opt) = Model(1, 2);
        Backward(scaler, p, opt, 1, 1);
        scaler.Step(opt);
        scaler.Update();
        Backward(scaler, p, opt, bad, 1);
        Assert.False(scaler.Step(opt));
        Assert.Equal(new[] { 0.9f, 1.9f }, Values(p));
        scaler.Update();
        Assert.Equal(256, scaler.CurrentScale);
        Assert.Equal(0, scaler.GrowthTracker);
    }

    [Fact]
    public void The_scale_grows_after_growth_interval_clean_steps_and_never_to_infinity()
    {
        var scaler = new GradScaler(DeviceType.CPU, initScale: 8, growthInterval: 3);
        var (p, opt) = Model(1);
        var seen = new List<double>();
        for (int i = 0; i < 7; i++)
        {
            Backward(scaler, p, opt, 1);
            scaler.Step(opt);
            scaler.Update();
            seen.Add(scaler.CurrentScale);
        }
        Assert.Equal(new double[] { 8, 8, 16, 16, 16, 32, 32 }, seen);

        var huge = new GradScaler(DeviceType.CPU, initScale: 3e38, growthInterval: 1);
        var (q, qOpt) = Model(1);
        Backward(huge, q, qOpt, 1e-30f);
        huge.Step(qOpt);
        huge.Update();
        Assert.Equal((double)3e38f, huge.CurrentScale);
        Assert.Equal(0, huge.GrowthTracker);
    }

    [Fact]
    public void Float16_outputs_are_scaled_in_float32_as_PyTorch_does()
    {
        var scaler = new GradScaler(DeviceType.CPU, initScale: 65536);
        using var loss = torch.tensor(new float[] { 2 }).to(ScalarType.Float16);
        using var scaled = scaler.Scale(loss);
        Assert.Equal(ScalarType.Float32, scaled.dtype);
        Assert.Equal(131072f, scaled.item<float>()); // beyond float16's 65504
    }

    [Fact]
    public void Calls_out_of_order_are_refused_with_a_reason()
    {
        var scaler = new GradScaler(DeviceType.CPU);
        var (p, opt) = Model(1);
        Assert.Contains("no inf checks", Assert.Throws<InvalidOperationException>(() => scaler.Update()).Message);
        Backward(scaler, p, opt, 1);
        scaler.Unscale(opt);
        Assert.Contains("already", Assert.Throws<InvalidOperationException>(() => scaler.Unscale(opt)).Message);
        scaler.Step(opt);
        Assert.Contains("already", Assert.Throws<InvalidOperationException>(() => scaler.Step(opt)).Message);
        Assert.Contains("after Step", Assert.Throws<InvalidOperationException>(() => scaler.Unscale(opt)).Message);
        scaler.Update();
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(DeviceType.CPU, growthFactor: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(DeviceType.CPU, backoffFactor: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(DeviceType.CPU, initScale: double.PositiveInfinity));
    }

    [Fact]
    public void A_CUDA_scaler_without_CUDA_passes_everything_through()
    {
        var scaler = new GradScaler(DeviceType.CUDA);
        Assert.Equal(torch.cuda.is_available(), scaler.IsEnabled);
        if (scaler.IsEnabled) return; // the pass-through is for machines without CUDA
        var (p, opt) = Model(1);
        using var loss = (p * 2).sum();
        Assert.Same(loss, scaler.Scale(loss));
        loss.backward();
        Assert.True(scaler.Step(opt));
        Assert.Equal(new[] { 0.8f }, Values(p));
        Assert.Empty(scaler.StateDict());
    }

    [Fact]
    public void State_round_trips_with_PyTorchs_keys()
    {
        var scaler = new GradScaler(DeviceType.CPU, initScale: 64, growthInterval: 5);
        var (p, opt) = Model(1);
        Backward(scaler, p, opt, 1);
        scaler.Step(opt);
        scaler.Update();
        var state = scaler.StateDict();
        Assert.Equal(new[] { "_growth_tracker", "backoff_factor", "growth_factor", "growth_interval", "scale" }, state.Keys.Order());
        var restored = new GradScaler(DeviceType.CPU);
        restored.LoadStateDict(state);
        Assert.Equal(state, restored.StateDict());
        var missing = new Dictionary<string, double>(state);
        missing.Remove("scale");
        Assert.Contains("'scale'", Assert.Throws<ArgumentException>(() => restored.LoadStateDict(missing)).Message);
    }
}
