using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

internal static partial class NativeMethods
{
    /// <summary>CNT_INDEX_ABSENT: an omitted slice bound.</summary>
    internal const long IndexAbsent = long.MinValue;

    [DllImport(Lib)] internal static extern TensorHandle cnt_index(TensorHandle t, int[] kinds, long[] starts, long[] stops, long[] steps, IntPtr[] tensors, int count);
    [DllImport(Lib)] internal static extern int cnt_index_put_(TensorHandle t, int[] kinds, long[] starts, long[] stops, long[] steps, IntPtr[] tensors, int count, TensorHandle value);
    [DllImport(Lib)] internal static extern int cnt_index_put_scalar_(TensorHandle t, int[] kinds, long[] starts, long[] stops, long[] steps, IntPtr[] tensors, int count, NativeScalar value);
    [DllImport(Lib)] internal static extern int cnt_index_put_tensors_(TensorHandle t, IntPtr[] indices, int count, TensorHandle value, [MarshalAs(UnmanagedType.U1)] bool accumulate);
    [DllImport(Lib)] internal static extern TensorHandle cnt_select(TensorHandle t, long dim, long index);
    [DllImport(Lib)] internal static extern TensorHandle cnt_narrow(TensorHandle t, long dim, long start, long length);
    [DllImport(Lib)] internal static extern TensorHandle cnt_slice(TensorHandle t, long dim, long start, long end, long step);
    [DllImport(Lib)] internal static extern TensorHandle cnt_index_select(TensorHandle t, long dim, TensorHandle index);
    [DllImport(Lib)] internal static extern TensorHandle cnt_masked_select(TensorHandle t, TensorHandle mask);
    [DllImport(Lib)] internal static extern TensorHandle cnt_masked_fill(TensorHandle t, TensorHandle mask, NativeScalar value);
    [DllImport(Lib)] internal static extern TensorHandle cnt_masked_fill_tensor(TensorHandle t, TensorHandle mask, TensorHandle value);
    [DllImport(Lib)] internal static extern int cnt_masked_fill_(TensorHandle t, TensorHandle mask, NativeScalar value);
    [DllImport(Lib)] internal static extern int cnt_masked_fill_tensor_(TensorHandle t, TensorHandle mask, TensorHandle value);
    [DllImport(Lib)] internal static extern TensorHandle cnt_gather(TensorHandle t, long dim, TensorHandle index);
    [DllImport(Lib)] internal static extern TensorHandle cnt_scatter(TensorHandle t, long dim, TensorHandle index, TensorHandle src);
    [DllImport(Lib)] internal static extern TensorHandle cnt_scatter_scalar(TensorHandle t, long dim, TensorHandle index, NativeScalar value);
    [DllImport(Lib)] internal static extern int cnt_scatter_(TensorHandle t, long dim, TensorHandle index, TensorHandle src);
    [DllImport(Lib)] internal static extern int cnt_scatter_scalar_(TensorHandle t, long dim, TensorHandle index, NativeScalar value);
    [DllImport(Lib)] internal static extern TensorHandle cnt_scatter_add(TensorHandle t, long dim, TensorHandle index, TensorHandle src);
    [DllImport(Lib)] internal static extern int cnt_scatter_add_(TensorHandle t, long dim, TensorHandle index, TensorHandle src);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nonzero(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_where_cond(TensorHandle condition, IntPtr[] output, int capacity, out int count);
}
