using System.Runtime.InteropServices;

namespace CnnCourse.Engine;

/// <summary>
/// glibc's malloc settings for training. libtorch frees and re-allocates the same activation buffers
/// every step; with glibc's defaults much of that memory goes back to the kernel (heap trimming,
/// munmap) and the next step page-faults it in again (ResNet-18 trained 1.3× slower, LeNet-5 at
/// random up to 5× slower, with millions of page faults). Keeping freed memory in the process, as
/// PyTorch users get from jemalloc or tcmalloc, leaves peak memory as it was. The user's own malloc
/// settings win.
/// </summary>
public static partial class AllocatorPolicy
{
    /// <summary>Allocations above this size are mapped and unmapped one by one (glibc's own upper bound).</summary>
    public const long MmapThreshold = 32L << 20;

    /// <summary>Freed memory the process keeps before returning it to the kernel.</summary>
    public const long TrimThreshold = 1L << 30;

    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

    /// <summary>Whether <see cref="Apply"/> set glibc's malloc to keep freed memory.</summary>
    public static bool KeepsFreedMemory { get; private set; }

    /// <summary>One line for reports.</summary>
    public static string Description => KeepsFreedMemory
        ? $"glibc malloc keeps freed memory (mmap threshold {MmapThreshold >> 20} MiB, trim threshold {TrimThreshold >> 20} MiB)"
        : UserChoseMallocSettings() ? "glibc malloc as the user set it (GLIBC_TUNABLES / MALLOC_*_THRESHOLD_)" : "glibc malloc defaults";

    internal static void Apply()
    {
        if (KeepsFreedMemory || UserChoseMallocSettings() || !OperatingSystem.IsLinux()) return;
        // mallopt returns 1 on success; setting either threshold also stops glibc's dynamic adjustment.
        KeepsFreedMemory = mallopt(M_MMAP_THRESHOLD, (int)MmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, (int)TrimThreshold) == 1;
    }

    private static bool UserChoseMallocSettings() =>
        (Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "").Contains("malloc", StringComparison.Ordinal) ||
        Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null ||
        Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null;

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
