using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern int cnt_get_num_threads();
    [DllImport(Lib)] internal static extern int cnt_set_num_threads(int count);
    [DllImport(Lib)] internal static extern int cnt_get_num_interop_threads();
    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_malloc_retain_freed_memory(long mmapThreshold, long trimThreshold);
    [DllImport(Lib)] internal static extern int cnt_manual_seed(long seed);
    [DllImport(Lib)] internal static extern TensorHandle cnt_get_rng_state();
    [DllImport(Lib)] internal static extern int cnt_set_rng_state(TensorHandle state);

    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_is_grad_enabled();
    [DllImport(Lib)] internal static extern void cnt_set_grad_enabled([MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_autocast_is_enabled(int deviceType);
    [DllImport(Lib)] internal static extern int cnt_autocast_set_enabled(int deviceType, [MarshalAs(UnmanagedType.U1)] bool enabled);
    [DllImport(Lib)] internal static extern int cnt_autocast_get_dtype(int deviceType);
    [DllImport(Lib)] internal static extern int cnt_autocast_set_dtype(int deviceType, int dtype);
    [DllImport(Lib)] internal static extern int cnt_autocast_increment_nesting();
    [DllImport(Lib)] internal static extern int cnt_autocast_decrement_nesting();
    [DllImport(Lib)] internal static extern void cnt_autocast_clear_cache();

    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_cuda_is_available();
    [DllImport(Lib)] internal static extern int cnt_cuda_device_count();
    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_cudnn_is_available();
    [DllImport(Lib)] internal static extern int cnt_cuda_synchronize(int deviceIndex);

    [DllImport(Lib)] internal static extern int cnt_version(byte[]? buf, int capacity);
    [DllImport(Lib)] internal static extern int cnt_build_config(byte[]? buf, int capacity);
    [DllImport(Lib)] internal static extern int cnt_parallel_info(byte[]? buf, int capacity);
    [DllImport(Lib)] internal static extern int cnt_shim_build_info(byte[]? buf, int capacity);
    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_has_mkldnn();
    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_has_cuda_build();
}
