using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern TensorHandle cnt_max(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_min(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_max_dim(TensorHandle t, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim, out TensorHandle values, out TensorHandle indices);
    [DllImport(Lib)] internal static extern int cnt_min_dim(TensorHandle t, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim, out TensorHandle values, out TensorHandle indices);
    [DllImport(Lib)] internal static extern TensorHandle cnt_argmax(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool hasDim, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_argmin(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool hasDim, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_std(TensorHandle t, long[]? dims, int ndims, long correction, [MarshalAs(UnmanagedType.U1)] bool keepdim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_var(TensorHandle t, long[]? dims, int ndims, long correction, [MarshalAs(UnmanagedType.U1)] bool keepdim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_prod(TensorHandle t, int dtype);
    [DllImport(Lib)] internal static extern TensorHandle cnt_prod_dim(TensorHandle t, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim, int dtype);
    [DllImport(Lib)] internal static extern TensorHandle cnt_cumsum(TensorHandle t, long dim, int dtype);
    [DllImport(Lib)] internal static extern TensorHandle cnt_norm(TensorHandle t, double p, long[]? dims, int ndims, [MarshalAs(UnmanagedType.U1)] bool keepdim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_all(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_all_dim(TensorHandle t, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_any(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_any_dim(TensorHandle t, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim);
    [DllImport(Lib)] internal static extern int cnt_topk(TensorHandle t, long k, long dim, [MarshalAs(UnmanagedType.U1)] bool largest, [MarshalAs(UnmanagedType.U1)] bool sorted, out TensorHandle values, out TensorHandle indices);
    [DllImport(Lib)] internal static extern int cnt_sort(TensorHandle t, long dim, [MarshalAs(UnmanagedType.U1)] bool descending, [MarshalAs(UnmanagedType.U1)] bool stable, out TensorHandle values, out TensorHandle indices);
    [DllImport(Lib)] internal static extern TensorHandle cnt_argsort(TensorHandle t, long dim, [MarshalAs(UnmanagedType.U1)] bool descending, [MarshalAs(UnmanagedType.U1)] bool stable);
    [DllImport(Lib)] internal static extern TensorHandle cnt_mm(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_bmm(TensorHandle a, TensorHandle b);
}
