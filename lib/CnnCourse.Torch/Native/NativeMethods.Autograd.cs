using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern int cnt_backward(TensorHandle t, TensorHandle grad, int retainGraph, [MarshalAs(UnmanagedType.U1)] bool createGraph);
    [DllImport(Lib)] internal static extern int cnt_tensor_grad(TensorHandle t, out TensorHandle grad);
    [DllImport(Lib)] internal static extern int cnt_tensor_set_grad(TensorHandle t, TensorHandle grad);
    [DllImport(Lib)] internal static extern int cnt_autograd_grad(IntPtr[] outputs, int nOutputs, IntPtr[] inputs, int nInputs, IntPtr[]? gradOutputs, int retainGraph, [MarshalAs(UnmanagedType.U1)] bool createGraph, [MarshalAs(UnmanagedType.U1)] bool allowUnused, IntPtr[] results);
}
