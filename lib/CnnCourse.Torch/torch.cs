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
        // libtorch frees and re-allocates the same activation buffers every training step. With
        // glibc's defaults much of that memory goes back to the kernel (heap trimming, munmap) and
        // the next step page-faults it in again: ResNet-18 trained 1.3× slower, LeNet-5 at random up
        // to 5× slower, with millions of page faults. Keeping freed memory in the process (what
        // PyTorch users get from jemalloc or tcmalloc) leaves peak memory as it was. The user's own
        // malloc settings win.
        if (!UserChoseMallocSettings())
            MallocKeepsFreedMemory = NativeMethods.cnt_malloc_retain_freed_memory(MallocMmapThreshold, MallocTrimThreshold);
    }

    /// <summary>Allocations above this size are mapped and unmapped one by one (glibc's own upper bound).</summary>
    internal const long MallocMmapThreshold = 32L << 20;

    /// <summary>Freed memory the process keeps before returning it to the kernel.</summary>
    internal const long MallocTrimThreshold = 1L << 30;

    /// <summary>Whether <see cref="Initialize"/> set glibc's malloc to keep freed memory.</summary>
    internal static bool MallocKeepsFreedMemory { get; private set; }

    private static bool UserChoseMallocSettings() =>
        (Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "").Contains("malloc", StringComparison.Ordinal) ||
        Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null ||
        Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null;
}
