using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

/// <summary>
/// Owns one native tensor reference (a <c>cnt_tensor</c>). SafeHandle's reference counting keeps
/// the handle alive for the duration of every P/Invoke that receives it, so a finalizer can never
/// free a tensor while libtorch is using it.
/// </summary>
internal sealed class TensorHandle : SafeHandle
{
    private long reportedBytes;

    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    /// <summary>Passed for an optional tensor argument that is absent (NULL on the native side).</summary>
    internal static readonly TensorHandle Null = new();

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>
    /// Tells the GC how much host memory this handle keeps alive: a CPU tensor's bytes. A CUDA
    /// tensor's memory is the GPU's, not the GC's concern; reporting it would only trigger
    /// needless collections (megabytes of activations per training step). Called again after the
    /// tensor's data was replaced (Module.to), it re-reports.
    /// </summary>
    internal void ReportHostMemory()
    {
        if (reportedBytes > 0) GC.RemoveMemoryPressure(reportedBytes);
        reportedBytes = 0;
        if (NativeMethods.cnt_tensor_device_type(this) != (int)DeviceType.CPU) return;
        long bytes = NativeMethods.cnt_tensor_nbytes(this);
        if (bytes <= 0) return;
        reportedBytes = bytes;
        GC.AddMemoryPressure(bytes);
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.cnt_tensor_free(handle);
        if (reportedBytes > 0) GC.RemoveMemoryPressure(reportedBytes);
        Tensor.OnNativeRelease();
        return true;
    }
}
