using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using Optimizer = TorchSharp.torch.optim.Optimizer;

namespace CnnCourse.Engine;

/// <summary>
/// Loss scaling for float16 mixed precision, with the semantics of PyTorch's <c>torch.amp.GradScaler</c>
/// (TorchSharp has none). float16 gradients underflow to zero; the scaler multiplies the loss by a
/// large factor before <c>backward()</c>, divides the gradients by it before the optimizer steps,
/// skips a step whose gradients hold inf or NaN, and adapts the factor: it is multiplied by
/// <c>backoffFactor</c> after such a step and by <c>growthFactor</c> after <c>growthInterval</c> clean ones.
/// <code>
/// var scaler = new GradScaler(DeviceType.CUDA);
/// using (Amp.Autocast(ScalarType.Float16, DeviceType.CUDA)) loss = criterion.call(net.call(X), y);
/// scaler.Scale(loss).backward();
/// scaler.Step(optimizer);   // unscales, then steps unless a gradient overflowed
/// scaler.Update();          // adapts the scale
/// </code>
/// bfloat16 has float32's range and needs no scaler. A CUDA scaler on a machine without CUDA disables
/// itself (every call passes through), as PyTorch's does.
/// </summary>
public sealed class GradScaler
{
    private enum Stage { Ready, Unscaled, Stepped }

    // Per optimizer since the last Update(): its stage and whether any of its gradients was not finite.
    private sealed class OptimizerState
    {
        public Stage Stage = Stage.Ready;
        public bool? FoundInf;
    }

    private readonly Dictionary<Optimizer, OptimizerState> perOptimizer = new(ReferenceEqualityComparer.Instance);
    private readonly DeviceType device;
    private float scale;
    private int growthTracker;

    public GradScaler(DeviceType device = DeviceType.CUDA, double initScale = 65536.0, double growthFactor = 2.0,
                      double backoffFactor = 0.5, int growthInterval = 2000, bool enabled = true)
    {
        if (!(initScale > 0) || double.IsInfinity(initScale))
            throw new ArgumentOutOfRangeException(nameof(initScale), initScale, "GradScaler: the initial scale must be a positive finite number.");
        if (!(growthFactor > 1.0))
            throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "GradScaler: the growth factor must be greater than 1.");
        if (!(backoffFactor > 0 && backoffFactor < 1.0))
            throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "GradScaler: the backoff factor must lie in (0, 1).");
        if (growthInterval < 1)
            throw new ArgumentOutOfRangeException(nameof(growthInterval), growthInterval,
                "GradScaler: the growth interval must be a positive number of steps.");
        TorchRuntime.Initialize();
        this.device = device;
        IsEnabled = enabled && (device != DeviceType.CUDA || torch.cuda.is_available());
        scale = (float)initScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
    }

    public bool IsEnabled { get; }
    public double GrowthFactor { get; set; }
    public double BackoffFactor { get; set; }
    public int GrowthInterval { get; set; }

    /// <summary>The current scale (1 when disabled).</summary>
    public double CurrentScale => IsEnabled ? scale : 1.0;

    /// <summary>Clean steps since the scale last changed.</summary>
    public int GrowthTracker => growthTracker;

    /// <summary>
    /// <paramref name="outputs"/> times the scale, as a new tensor. The scale is a one-element float32
    /// tensor, so float16 outputs are promoted to float32 as in PyTorch. Disabled: the same tensor.
    /// </summary>
    public Tensor Scale(Tensor outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (!IsEnabled) return outputs;
        if (outputs.device.type != device)
            throw new ArgumentException($"GradScaler.Scale: this scaler is for {device}, but the output is on {outputs.device}.", nameof(outputs));
        using var factor = torch.tensor(new[] { scale }, ScalarType.Float32, outputs.device);
        return outputs * factor;
    }

    /// <summary>
    /// Divides the gradients of <paramref name="optimizer"/>'s parameters by the scale, in place, and
    /// records whether any holds inf or NaN. Call it before clipping gradients; at most once per
    /// optimizer between updates (<see cref="Step"/> calls it when you did not).
    /// </summary>
    public void Unscale(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!IsEnabled) return;
        var state = StateOf(optimizer);
        if (state.Stage == Stage.Unscaled)
            throw new InvalidOperationException("GradScaler.Unscale: it was already called on this optimizer since the last Update().");
        if (state.Stage == Stage.Stepped)
            throw new InvalidOperationException("GradScaler.Unscale: it is being called after Step().");
        // 1 / scale in float64, then float32: PyTorch's order, so the inverse is the nearest float.
        var inverse = (float)(1.0 / scale);
        using var scope = torch.NewDisposeScope();
        Tensor? nonFinite = null;
        foreach (var p in optimizer.parameters())
        {
            var g = p.grad;
            if (g is null) continue;
            if (g.dtype == ScalarType.Float16)
                throw new InvalidOperationException("GradScaler.Unscale: attempting to unscale " +
                    "float16 gradients; keep the parameters in float32 and let autocast cast.");
            var bad = g.isfinite().logical_not().any();
            nonFinite = nonFinite is null ? bad : nonFinite.logical_or(bad);
            g.mul_(inverse);
        }
        state.FoundInf = nonFinite?.item<bool>();
        state.Stage = Stage.Unscaled;
    }

    /// <summary>
    /// Unscales the gradients (unless <see cref="Unscale"/> already did) and steps
    /// <paramref name="optimizer"/> unless a gradient holds inf or NaN. Returns whether it stepped.
    /// </summary>
    public bool Step(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!IsEnabled)
        {
            optimizer.step();
            return true;
        }
        var state = StateOf(optimizer);
        if (state.Stage == Stage.Stepped)
            throw new InvalidOperationException("GradScaler.Step: it was already called on this optimizer since the last Update().");
        if (state.Stage == Stage.Ready) Unscale(optimizer);
        if (state.FoundInf is not { } foundInf)
            throw new InvalidOperationException("GradScaler.Step: no parameter of this optimizer has a gradient; call Scale(loss).backward() first.");
        state.Stage = Stage.Stepped;
        if (foundInf) return false;
        optimizer.step();
        return true;
    }

    /// <summary>
    /// Adapts the scale after this iteration's steps: times the backoff factor if any optimizer saw
    /// inf/NaN, times the growth factor after <see cref="GrowthInterval"/> clean iterations in a row
    /// (kept as it was if that would overflow float32). <paramref name="newScale"/> sets it instead.
    /// </summary>
    public void Update(double? newScale = null)
    {
        if (!IsEnabled) return;
        try
        {
            if (newScale is { } value)
            {
                if (!(value > 0) || double.IsInfinity(value))
                    throw new ArgumentOutOfRangeException(nameof(newScale), value, "GradScaler.Update: the new scale must be a positive finite number.");
                scale = (float)value;
                return;
            }
            var checks = perOptimizer.Values.Where(s => s.FoundInf is not null).ToList();
            if (checks.Count == 0)
                throw new InvalidOperationException("GradScaler.Update: no inf checks were recorded; call Step() (or Unscale()) first.");
            // at::_amp_update_scale_'s rule, in float32 as PyTorch keeps the scale.
            if (checks.Any(s => s.FoundInf == true))
            {
                scale = (float)(scale * BackoffFactor);
                growthTracker = 0;
            }
            else if (growthTracker + 1 == GrowthInterval)
            {
                var grown = (float)(scale * GrowthFactor);
                if (float.IsFinite(grown)) scale = grown;
                growthTracker = 0;
            }
            else
            {
                growthTracker++;
            }
        }
        finally
        {
            perOptimizer.Clear();
        }
    }

    /// <summary>PyTorch's keys: scale, growth_factor, backoff_factor, growth_interval, _growth_tracker (empty when disabled).</summary>
    public Dictionary<string, double> StateDict() => !IsEnabled ? [] : new()
    {
        ["scale"] = scale,
        ["growth_factor"] = GrowthFactor,
        ["backoff_factor"] = BackoffFactor,
        ["growth_interval"] = GrowthInterval,
        ["_growth_tracker"] = growthTracker,
    };

    public void LoadStateDict(IReadOnlyDictionary<string, double> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (!IsEnabled) return;
        if (stateDict.Count == 0)
            throw new ArgumentException("GradScaler.LoadStateDict: the state is empty (it came from a disabled scaler).", nameof(stateDict));
        double Read(string key) => stateDict.TryGetValue(key, out var v) ? v
            : throw new ArgumentException($"GradScaler.LoadStateDict: the key '{key}' is missing.", nameof(stateDict));
        scale = (float)Read("scale");
        GrowthFactor = Read("growth_factor");
        BackoffFactor = Read("backoff_factor");
        GrowthInterval = checked((int)Read("growth_interval"));
        growthTracker = checked((int)Read("_growth_tracker"));
    }

    public override string ToString() => IsEnabled
        ? string.Create(CultureInfo.InvariantCulture,
            $"GradScaler(device={device}, scale={scale}, growth_factor={GrowthFactor}, backoff_factor={BackoffFactor}, growth_interval={GrowthInterval})")
        : "GradScaler(enabled=False)";

    private OptimizerState StateOf(Optimizer optimizer)
    {
        if (!perOptimizer.TryGetValue(optimizer, out var state)) perOptimizer[optimizer] = state = new OptimizerState();
        return state;
    }
}
