using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern TensorHandle cnt_to(TensorHandle t, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool nonBlocking, [MarshalAs(UnmanagedType.U1)] bool copy);
    [DllImport(Lib)] internal static extern TensorHandle cnt_contiguous(TensorHandle t, int memoryFormat);
    [DllImport(Lib)] internal static extern TensorHandle cnt_clone(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_detach(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_detach_(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_copy_(TensorHandle destination, TensorHandle source);
}
