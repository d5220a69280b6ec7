using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

internal static partial class NativeMethods
{
    // Trailing arguments of every creation function: dtype, deviceType, deviceIndex, requiresGrad.
    [DllImport(Lib)] internal static extern unsafe TensorHandle cnt_from_data(void* data, long[] shape, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_empty(long[] shape, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_zeros(long[] shape, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_ones(long[] shape, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_full(long[] shape, int ndim, NativeScalar value, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_rand(long[] shape, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_randn(long[] shape, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_randint(long low, long high, long[] shape, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_randperm(long n, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_arange(NativeScalar start, NativeScalar end, NativeScalar step, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_linspace(double start, double end, long steps, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_eye(long n, long m, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern TensorHandle cnt_zeros_like(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_ones_like(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_empty_like(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_full_like(TensorHandle t, NativeScalar value);
    [DllImport(Lib)] internal static extern TensorHandle cnt_rand_like(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_randn_like(TensorHandle t);
}
