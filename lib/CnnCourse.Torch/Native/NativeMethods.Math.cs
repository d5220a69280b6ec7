using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern TensorHandle cnt_add(TensorHandle a, TensorHandle b, NativeScalar alpha);
    [DllImport(Lib)] internal static extern TensorHandle cnt_add_scalar(TensorHandle a, NativeScalar b, NativeScalar alpha);
    [DllImport(Lib)] internal static extern int cnt_add_(TensorHandle a, TensorHandle b, NativeScalar alpha);
    [DllImport(Lib)] internal static extern int cnt_add_scalar_(TensorHandle a, NativeScalar b, NativeScalar alpha);
    [DllImport(Lib)] internal static extern TensorHandle cnt_sub(TensorHandle a, TensorHandle b, NativeScalar alpha);
    [DllImport(Lib)] internal static extern TensorHandle cnt_sub_scalar(TensorHandle a, NativeScalar b, NativeScalar alpha);
    [DllImport(Lib)] internal static extern TensorHandle cnt_rsub_scalar(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern int cnt_sub_(TensorHandle a, TensorHandle b, NativeScalar alpha);
    [DllImport(Lib)] internal static extern TensorHandle cnt_mul(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_mul_scalar(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern int cnt_mul_(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern int cnt_mul_scalar_(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_div(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_div_scalar(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_rdiv_scalar(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern int cnt_div_(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern int cnt_div_scalar_(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_neg(TensorHandle a);
    [DllImport(Lib)] internal static extern TensorHandle cnt_matmul(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_sum(TensorHandle t, long[]? dims, int ndims, [MarshalAs(UnmanagedType.U1)] bool keepdim, int dtype);
    [DllImport(Lib)] internal static extern TensorHandle cnt_mean(TensorHandle t, long[]? dims, int ndims, [MarshalAs(UnmanagedType.U1)] bool keepdim, int dtype);
}
