namespace CnnCourse.Torch.Tests.Cuda;

/// <summary>
/// A test that needs a CUDA GPU: it runs where <c>torch.cuda.is_available()</c> is true and is
/// reported as skipped, with the reason, everywhere else (xunit 2 has no dynamic skip; setting
/// <see cref="FactAttribute.Skip"/> in the constructor is the standard pattern).
/// <c>tests/GpuCheck</c> runs the same tests on a GPU machine that has no .NET SDK.
/// </summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (CudaSupport.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>A test for a shim compiled against a CPU-only libtorch (Debian's): skipped on a CUDA build.</summary>
public sealed class CpuOnlyLibtorchFactAttribute : FactAttribute
{
    public CpuOnlyLibtorchFactAttribute()
    {
        if (CudaSupport.ShimHasCuda) Skip = "the shim was compiled against a CUDA build of libtorch";
    }
}

public static class CudaSupport
{
    private static readonly Lazy<(bool shimHasCuda, string? skip)> Probe = new(() =>
    {
        try
        {
            if (torch.cuda.is_available()) return (torch.config.shim_has_cuda, null);
            string build = torch.config.shim_has_cuda
                ? "the shim has CUDA but no device is visible (driver, CUDA_VISIBLE_DEVICES or --gpus?)"
                : $"the shim was built against a CPU-only libtorch {torch.__version__}";
            return (torch.config.shim_has_cuda, $"needs a CUDA GPU: torch.cuda.is_available() is false ({build})");
        }
        catch (Exception e)
        {
            return (false, $"needs a CUDA GPU: the native shim could not be loaded ({e.GetType().Name}: {e.Message})");
        }
    });

    /// <summary>Why CUDA tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => Probe.Value.skip;

    public static bool ShimHasCuda => Probe.Value.shimHasCuda;
}
