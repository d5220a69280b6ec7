using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

// cuda.cpp: CUDA memory statistics, the allocator's cache, device properties; gradient scaling.
internal static partial class NativeMethods
{
    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_shim_has_cuda();
    [DllImport(Lib)] internal static extern int cnt_cuda_memory_stats(int device, long[] values, int capacity);
    [DllImport(Lib)] internal static extern int cnt_cuda_reset_peak_memory_stats(int device);
    [DllImport(Lib)] internal static extern int cnt_cuda_empty_cache();
    [DllImport(Lib)] internal static extern int cnt_cuda_current_device();

    [DllImport(Lib)]
    internal static extern int cnt_cuda_device_properties(int device, byte[] name, int capacity, out long totalMemory,
        out int major, out int minor, out int multiprocessors);

    [DllImport(Lib)] internal static extern int cnt_amp_unscale_(IntPtr[] grads, int n, TensorHandle foundInf, TensorHandle invScale);

    [DllImport(Lib)]
    internal static extern int cnt_amp_update_scale_(TensorHandle scale, TensorHandle growthTracker, TensorHandle foundInf,
        double growthFactor, double backoffFactor, long growthInterval);
}
