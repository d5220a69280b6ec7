using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

/// <summary>
/// The PyTorch-shaped entry point: <c>torch.randn(2, 3)</c>, <c>torch.nn.Conv2d(...)</c>,
/// <c>torch.no_grad()</c>. Lesson code reads like the PyTorch it mirrors (and like TorchSharp).
/// </summary>
public static partial class torch
{
    static torch() => Runtime.Initialize();

    // dtype aliases, as in PyTorch
    public const ScalarType uint8 = ScalarType.Byte;
    public const ScalarType int8 = ScalarType.Int8;
    public const ScalarType int16 = ScalarType.Int16;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType float16 = ScalarType.Float16;
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType @bool = ScalarType.Bool;
    public const ScalarType half = ScalarType.Float16;
    public const ScalarType @float = ScalarType.Float32;
    public const ScalarType @double = ScalarType.Float64;
    public const ScalarType @long = ScalarType.Int64;
    public const ScalarType @int = ScalarType.Int32;

    public static readonly Device CPU = Device.CPU;
    public static readonly Device CUDA = Device.CUDA;

    public static Device device(string description) => new(description);

    /// <summary>The dtype of floating-point tensors created without one (float32).</summary>
    public static ScalarType get_default_dtype() => ScalarType.Float32;

    /// <summary>Opens a dispose scope: tensors created until it is disposed are freed with it.</summary>
    public static DisposeScope NewDisposeScope() => new();
}

/// <summary>One-time process set-up of libtorch.</summary>
internal static class Runtime
{
    private static int initialized;

    internal static void Initialize()
    {
        if (Interlocked.Exchange(ref initialized, 1) == 1) return;
        // Debian's libtorch starts with one intra-op thread; use the cores we have unless the user
        // chose a number through the usual variable.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")))
            NativeMethods.cnt_set_num_threads(Environment.ProcessorCount);
    }
}
