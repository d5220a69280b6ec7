using System.Globalization;
using CnnCourse.Torch.Native;
using CnnCourse.Torch.Optim;

namespace CnnCourse.Torch;

public static partial class torch
{
    /// <summary>Automatic mixed precision: <see cref="torch.autocast(DeviceType, ScalarType?, bool)"/> and <see cref="GradScaler"/>.</summary>
    public static partial class amp
    {
        /// <summary>
        /// Loss scaling for float16 mixed precision, as PyTorch's <c>torch.amp.GradScaler</c>. float16
        /// gradients underflow to zero; the scaler multiplies the loss by a large factor before
        /// <c>backward()</c>, divides the gradients by it before the optimizer steps, skips a step
        /// whose gradients hold inf or NaN, and adapts the factor: it halves after such a step and
        /// doubles after <c>growth_interval</c> clean ones.
        /// <code>
        /// using var scaler = new torch.amp.GradScaler();
        /// using (torch.autocast(DeviceType.CUDA)) loss = criterion.call(net.call(X), y);
        /// scaler.scale(loss).backward();
        /// scaler.step(opt);      // unscales, then steps unless a gradient overflowed
        /// scaler.update();       // adapts the scale
        /// </code>
        /// bfloat16 has float32's range and needs no scaler. On a machine without CUDA a scaler for
        /// "cuda" disables itself (every call passes through), as PyTorch's does; "cpu" scales on the CPU.
        /// </summary>
        public sealed class GradScaler : IDisposable
        {
            private enum Stage { Ready, Unscaled, Stepped }

            // Per optimizer since the last update(): its stage and one found_inf flag per device.
            private sealed class OptimizerState
            {
                public Stage Stage = Stage.Ready;
                public readonly List<Tensor> FoundInf = new();
            }

            private readonly Dictionary<Optimizer, OptimizerState> perOptimizer = new(ReferenceEqualityComparer.Instance);
            private readonly DeviceType deviceType;
            private double initScale;
            private double growthFactor;
            private double backoffFactor;
            private int growthInterval;
            private Tensor? scaleTensor;      // 1-element float32, on the device of the first scaled output
            private Tensor? growthTracker;    // 1-element int32, clean steps since the last change
            private int initGrowthTracker;    // its value before the first scale() (a loaded state's)
            private readonly bool enabled;
            private bool disposed;

            public GradScaler(string device = "cuda", double init_scale = 65536.0, double growth_factor = 2.0,
                              double backoff_factor = 0.5, int growth_interval = 2000, bool enabled = true)
            {
                ArgumentNullException.ThrowIfNull(device);
                deviceType = new Device(device).type;
                if (!(init_scale > 0) || double.IsInfinity(init_scale)) throw new ArgumentException($"GradScaler: init_scale must be a positive finite number, got {init_scale}", nameof(init_scale));
                if (!(growth_factor > 1.0)) throw new ArgumentException($"GradScaler: growth_factor should be > 1, got {growth_factor}", nameof(growth_factor));
                if (!(backoff_factor > 0 && backoff_factor < 1.0)) throw new ArgumentException($"GradScaler: backoff_factor should be in (0, 1), got {backoff_factor}", nameof(backoff_factor));
                if (growth_interval < 1) throw new ArgumentException($"GradScaler: growth_interval should be a positive integer, got {growth_interval}", nameof(growth_interval));
                // PyTorch warns and disables a CUDA scaler when CUDA is not available.
                this.enabled = enabled && (deviceType != DeviceType.CUDA || cuda.is_available());
                initScale = init_scale;
                growthFactor = growth_factor;
                backoffFactor = backoff_factor;
                growthInterval = growth_interval;
            }

            public bool is_enabled() => enabled;

            /// <summary>
            /// <paramref name="outputs"/> multiplied by the current scale (a new tensor in the
            /// current dispose scope). Disabled: the same tensor.
            /// </summary>
            public Tensor scale(Tensor outputs)
            {
                ArgumentNullException.ThrowIfNull(outputs);
                ThrowIfDisposed();
                if (!enabled) return outputs;
                if (outputs.device.type != deviceType)
                    throw new ArgumentException($"GradScaler.scale: this scaler is for {DeviceName(deviceType)}, but the output is on {outputs.device}", nameof(outputs));
                if (scaleTensor is null) LazyInit(outputs.device);
                using var onDevice = scaleTensor!.device == outputs.device ? null : scaleTensor.to(outputs.device);
                return outputs * (onDevice ?? scaleTensor);
            }

            /// <summary>
            /// Divides the gradients of <paramref name="optimizer"/>'s parameters by the scale, in place,
            /// and records whether any holds inf or NaN. Call it before clipping gradients; at most once
            /// per optimizer between <see cref="update"/>s (<see cref="step"/> calls it when you did not).
            /// </summary>
            public void unscale_(Optimizer optimizer)
            {
                ArgumentNullException.ThrowIfNull(optimizer);
                ThrowIfDisposed();
                if (!enabled) return;
                var state = StateOf(optimizer);
                if (state.Stage == Stage.Unscaled)
                    throw new InvalidOperationException("GradScaler.unscale_: unscale_() has already been called on this optimizer since the last update()");
                if (state.Stage == Stage.Stepped)
                    throw new InvalidOperationException("GradScaler.unscale_: unscale_() is being called after step()");
                if (scaleTensor is null)
                    throw new InvalidOperationException("GradScaler.unscale_: no loss was scaled yet: call scale(loss).backward() first");
                using var inverse = InverseScale();
                UnscaleGrads(optimizer, inverse, state.FoundInf);
                state.Stage = Stage.Unscaled;
            }

            /// <summary>
            /// Unscales the gradients (unless <see cref="unscale_"/> already did) and steps
            /// <paramref name="optimizer"/> unless a gradient holds inf or NaN. Returns whether it stepped.
            /// </summary>
            public bool step(Optimizer optimizer)
            {
                ArgumentNullException.ThrowIfNull(optimizer);
                ThrowIfDisposed();
                if (!enabled)
                {
                    optimizer.step();
                    return true;
                }
                var state = StateOf(optimizer);
                if (state.Stage == Stage.Stepped)
                    throw new InvalidOperationException("GradScaler.step: step() has already been called since the last update()");
                if (state.Stage == Stage.Ready) unscale_(optimizer);
                if (state.FoundInf.Count == 0)
                    throw new InvalidOperationException("GradScaler.step: no inf checks were recorded for this optimizer (none of its parameters has a gradient)");
                double found = 0;
                foreach (var f in state.FoundInf) found += f.item<float>();
                state.Stage = Stage.Stepped;
                if (found != 0) return false;
                optimizer.step();
                return true;
            }

            /// <summary>
            /// Adapts the scale after this iteration's steps: multiplied by backoff_factor if any
            /// optimizer saw inf/NaN, by growth_factor after growth_interval clean iterations in a row.
            /// <paramref name="new_scale"/> sets it instead.
            /// </summary>
            public void update(double? new_scale = null)
            {
                ThrowIfDisposed();
                if (!enabled) return;
                if (scaleTensor is null) return; // nothing was scaled yet, as PyTorch
                try
                {
                    if (new_scale is { } value)
                    {
                        if (!(value > 0) || double.IsInfinity(value)) throw new ArgumentException($"GradScaler.update: new_scale must be a positive finite number, got {value}", nameof(new_scale));
                        Check.Status(NativeMethods.cnt_fill_(scaleTensor.Handle, NativeScalar.From(value)), "update");
                        return;
                    }
                    var found = perOptimizer.Values.SelectMany(s => s.FoundInf).ToList();
                    if (found.Count == 0)
                        throw new InvalidOperationException("GradScaler.update: no inf checks were recorded prior to update(): call step() (or unscale_()) first");
                    using var scope = torch.NewDisposeScope();
                    var combined = torch.zeros(new long[] { 1 }, ScalarType.Float32, scaleTensor.device);
                    foreach (var f in found) combined.add_(f.device == scaleTensor.device ? f : f.to(scaleTensor.device));
                    Check.Status(NativeMethods.cnt_amp_update_scale_(scaleTensor.Handle, growthTracker!.Handle, combined.Handle,
                        growthFactor, backoffFactor, growthInterval), "update");
                }
                finally
                {
                    ClearOptimizerStates();
                }
            }

            /// <summary>The current scale (initial scale before the first <see cref="scale"/>; 1.0 when disabled).</summary>
            public double get_scale()
            {
                ThrowIfDisposed();
                if (!enabled) return 1.0;
                return scaleTensor is null ? initScale : scaleTensor.item<float>();
            }

            public double get_growth_factor() => growthFactor;

            public void set_growth_factor(double new_factor) => growthFactor = new_factor;

            public double get_backoff_factor() => backoffFactor;

            public void set_backoff_factor(double new_factor) => backoffFactor = new_factor;

            public int get_growth_interval() => growthInterval;

            public void set_growth_interval(int new_interval) => growthInterval = new_interval;

            /// <summary>PyTorch's keys: scale, growth_factor, backoff_factor, growth_interval, _growth_tracker.</summary>
            public Dictionary<string, double> state_dict()
            {
                ThrowIfDisposed();
                if (!enabled) return new Dictionary<string, double>();
                return new Dictionary<string, double>
                {
                    ["scale"] = get_scale(),
                    ["growth_factor"] = growthFactor,
                    ["backoff_factor"] = backoffFactor,
                    ["growth_interval"] = growthInterval,
                    ["_growth_tracker"] = growthTracker is null ? initGrowthTracker : growthTracker.item<int>(),
                };
            }

            public void load_state_dict(IReadOnlyDictionary<string, double> state_dict)
            {
                ArgumentNullException.ThrowIfNull(state_dict);
                ThrowIfDisposed();
                if (!enabled) return;
                if (state_dict.Count == 0)
                    throw new ArgumentException("GradScaler.load_state_dict: the state dict is empty (it came from a disabled scaler)", nameof(state_dict));
                double Read(string key) => state_dict.TryGetValue(key, out var v) ? v
                    : throw new ArgumentException($"GradScaler.load_state_dict: missing key '{key}'", nameof(state_dict));
                initScale = Read("scale");
                growthFactor = Read("growth_factor");
                backoffFactor = Read("backoff_factor");
                growthInterval = checked((int)Read("growth_interval"));
                int tracker = checked((int)Read("_growth_tracker"));
                if (scaleTensor is not null)
                {
                    Check.Status(NativeMethods.cnt_fill_(scaleTensor.Handle, NativeScalar.From(initScale)), "load_state_dict");
                    Check.Status(NativeMethods.cnt_fill_(growthTracker!.Handle, NativeScalar.From(tracker)), "load_state_dict");
                }
                else
                {
                    initGrowthTracker = tracker;
                }
            }

            public void Dispose()
            {
                if (disposed) return;
                disposed = true;
                ClearOptimizerStates();
                scaleTensor?.Dispose();
                growthTracker?.Dispose();
                scaleTensor = null;
                growthTracker = null;
            }

            public override string ToString() =>
                enabled ? string.Create(CultureInfo.InvariantCulture, $"GradScaler(device={DeviceName(deviceType)}, scale={get_scale()}, growth_factor={growthFactor}, backoff_factor={backoffFactor}, growth_interval={growthInterval})")
                        : "GradScaler(enabled=False)";

            private void LazyInit(Device device)
            {
                scaleTensor = torch.full(new long[] { 1 }, initScale, ScalarType.Float32, device).DetachFromDisposeScope();
                growthTracker = torch.full(new long[] { 1 }, initGrowthTracker, ScalarType.Int32, device).DetachFromDisposeScope();
            }

            private OptimizerState StateOf(Optimizer optimizer)
            {
                if (!perOptimizer.TryGetValue(optimizer, out var state)) perOptimizer[optimizer] = state = new OptimizerState();
                return state;
            }

            // 1 / scale in float64, then float32 (PyTorch's order, so the inverse is the nearest float).
            private Tensor InverseScale()
            {
                using var asDouble = scaleTensor!.to(ScalarType.Float64);
                using var reciprocal = asDouble.reciprocal();
                return reciprocal.to(ScalarType.Float32).DetachFromDisposeScope();
            }

            // Groups the gradients by (device, dtype) and unscales each group in one native call,
            // one found_inf flag per device (owned by the optimizer's state until update()).
            private void UnscaleGrads(Optimizer optimizer, Tensor inverse, List<Tensor> foundInf)
            {
                var grads = new List<Tensor>();
                try
                {
                    foreach (var p in optimizer.parameters())
                    {
                        var g = p.grad;
                        if (g is null) continue;
                        grads.Add(g);
                        if (g.dtype == ScalarType.Float16)
                            throw new InvalidOperationException("GradScaler.unscale_: attempting to unscale float16 gradients: keep the parameters in float32 (autocast casts inside the model) and let autocast produce the float16 activations");
                    }
                    var flags = new Dictionary<Device, Tensor>();
                    foreach (var group in grads.GroupBy(g => (g.device, g.dtype)))
                    {
                        var device = group.Key.device;
                        if (!flags.TryGetValue(device, out var found))
                        {
                            found = torch.zeros(new long[] { 1 }, ScalarType.Float32, device).DetachFromDisposeScope();
                            flags[device] = found;
                            foundInf.Add(found);
                        }
                        using var inverseHere = inverse.device == device ? null : inverse.to(device);
                        var list = group.ToList();
                        using var handles = new HandleArray(list);
                        Check.Status(NativeMethods.cnt_amp_unscale_(handles.Pointers, handles.Length, found.Handle,
                            (inverseHere ?? inverse).Handle), "unscale_");
                    }
                }
                finally
                {
                    foreach (var g in grads) g.Dispose();
                }
            }

            private void ClearOptimizerStates()
            {
                foreach (var state in perOptimizer.Values)
                    foreach (var f in state.FoundInf) f.Dispose();
                perOptimizer.Clear();
            }

            private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

            private static string DeviceName(DeviceType type) => type == DeviceType.CPU ? "cpu" : "cuda";
        }
    }
}
