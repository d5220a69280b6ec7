using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern TensorHandle cnt_view(TensorHandle t, long[] shape, int ndim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_reshape(TensorHandle t, long[] shape, int ndim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_permute(TensorHandle t, long[] dims, int ndim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_flip(TensorHandle t, long[] dims, int ndim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_transpose(TensorHandle t, long dim0, long dim1);
    [DllImport(Lib)] internal static extern TensorHandle cnt_t(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_flatten(TensorHandle t, long startDim, long endDim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_unflatten(TensorHandle t, long dim, long[] sizes, int nsizes);
    [DllImport(Lib)] internal static extern TensorHandle cnt_squeeze(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_squeeze_dim(TensorHandle t, long dim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_unsqueeze(TensorHandle t, long dim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_expand(TensorHandle t, long[] sizes, int ndim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_repeat(TensorHandle t, long[] repeats, int ndim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_cat(IntPtr[] tensors, int count, long dim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_stack(IntPtr[] tensors, int count, long dim);
    [DllImport(Lib)] internal static extern int cnt_split(TensorHandle t, long splitSize, long dim, IntPtr[] output, int capacity, out int count);
    [DllImport(Lib)] internal static extern int cnt_split_with_sizes(TensorHandle t, long[] sizes, int nsizes, long dim, IntPtr[] output, int capacity, out int count);
    [DllImport(Lib)] internal static extern int cnt_chunk(TensorHandle t, long chunks, long dim, IntPtr[] output, int capacity, out int count);
    [DllImport(Lib)] internal static extern int cnt_unbind(TensorHandle t, long dim, IntPtr[] output, int capacity, out int count);
    [DllImport(Lib)] internal static extern TensorHandle cnt_pad(TensorHandle t, long[] pad, int npad, [MarshalAs(UnmanagedType.LPUTF8Str)] string mode, double value);
    [DllImport(Lib)] internal static extern TensorHandle cnt_to_memory_format(TensorHandle t, int memoryFormat);
}
