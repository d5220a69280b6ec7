using CnnCourse.Engine.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Engine;

/// <summary>
/// Automatic mixed precision, shaped like PyTorch's <c>torch.autocast</c>:
/// <code>using (Amp.Autocast(ScalarType.BFloat16)) { var y = model.call(x); }</code>
/// Inside the scope libtorch runs eligible operators (convolutions, matrix products) in the lower
/// precision and keeps the rest in float32. The state is per thread, as in libtorch.
/// </summary>
public static class Amp
{
    /// <summary>Enables autocast for <paramref name="device"/> until the returned scope is disposed.</summary>
    /// <param name="dtype">BFloat16 (the CPU's usual choice) or Float16 (CUDA's).</param>
    /// <param name="enabled">False gives a scope that disables autocast inside an enabled one.</param>
    public static IDisposable Autocast(ScalarType dtype, DeviceType device = DeviceType.CPU, bool enabled = true)
    {
        if (device is not (DeviceType.CPU or DeviceType.CUDA))
            throw new ArgumentException($"Autocast supports the CPU and CUDA devices, not {device}.", nameof(device));
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"Autocast runs in BFloat16 or Float16, not {dtype}.", nameof(dtype));
        TorchRuntime.Initialize();
        return new AutocastScope(device, dtype, enabled);
    }

    /// <summary>Whether autocast is on for <paramref name="device"/> on this thread.</summary>
    public static bool IsAutocastEnabled(DeviceType device = DeviceType.CPU)
    {
        TorchRuntime.Initialize();
        EngineNative.Check(EngineNative.cnc_autocast_is_enabled((sbyte)device, out var enabled), "is_autocast_enabled");
        return enabled;
    }

    /// <summary>The precision autocast uses for <paramref name="device"/> on this thread.</summary>
    public static ScalarType AutocastDtype(DeviceType device = DeviceType.CPU)
    {
        TorchRuntime.Initialize();
        EngineNative.Check(EngineNative.cnc_autocast_get_dtype((sbyte)device, out var dtype), "get_autocast_dtype");
        return (ScalarType)dtype;
    }

    // torch.autocast's __enter__/__exit__: remember, switch, nest; on exit restore, and the outermost
    // exit frees the casts cached while autocast was on.
    private sealed class AutocastScope : IDisposable
    {
        private readonly sbyte device;
        private readonly bool previousEnabled;
        private readonly sbyte previousDtype;
        private readonly int threadId = Environment.CurrentManagedThreadId;
        private bool disposed;

        public AutocastScope(DeviceType device, ScalarType dtype, bool enabled)
        {
            this.device = (sbyte)device;
            EngineNative.Check(EngineNative.cnc_autocast_is_enabled(this.device, out previousEnabled), "autocast");
            EngineNative.Check(EngineNative.cnc_autocast_get_dtype(this.device, out previousDtype), "autocast");
            EngineNative.Check(EngineNative.cnc_autocast_set_enabled(this.device, enabled), "autocast");
            EngineNative.Check(EngineNative.cnc_autocast_set_dtype(this.device, (sbyte)dtype), "autocast");
            EngineNative.Check(EngineNative.cnc_autocast_increment_nesting(out _), "autocast");
        }

        public void Dispose()
        {
            if (disposed) return;
            if (Environment.CurrentManagedThreadId != threadId)
                throw new InvalidOperationException("An autocast scope must be disposed on the thread that opened it (autocast state is per thread).");
            disposed = true;
            EngineNative.Check(EngineNative.cnc_autocast_decrement_nesting(out var depth), "autocast");
            if (depth == 0) EngineNative.Check(EngineNative.cnc_autocast_clear_cache(), "autocast");
            EngineNative.Check(EngineNative.cnc_autocast_set_enabled(device, previousEnabled), "autocast");
            EngineNative.Check(EngineNative.cnc_autocast_set_dtype(device, previousDtype), "autocast");
        }
    }
}
