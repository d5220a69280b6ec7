using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern TensorHandle cnt_tensor_alias(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_tensor_dim(TensorHandle t);
    [DllImport(Lib)] internal static extern unsafe int cnt_tensor_sizes(TensorHandle t, long* output, int capacity);
    [DllImport(Lib)] internal static extern unsafe int cnt_tensor_strides(TensorHandle t, long* output, int capacity);
    [DllImport(Lib)] internal static extern long cnt_tensor_numel(TensorHandle t);
    [DllImport(Lib)] internal static extern long cnt_tensor_nbytes(TensorHandle t);
    [DllImport(Lib)] internal static extern long cnt_tensor_storage_offset(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_tensor_dtype(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_tensor_device_type(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_tensor_device_index(TensorHandle t);
    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_tensor_is_contiguous(TensorHandle t, int memoryFormat);
    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_tensor_is_leaf(TensorHandle t);
    [DllImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool cnt_tensor_requires_grad(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_tensor_set_requires_grad(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [DllImport(Lib)] internal static extern unsafe int cnt_tensor_copy_to(TensorHandle t, void* destination, long nbytes);
    [DllImport(Lib)] internal static extern unsafe int cnt_tensor_copy_from(TensorHandle t, void* source, long nbytes);
    [DllImport(Lib)] internal static extern int cnt_tensor_item(TensorHandle t, out NativeScalar value);
}
