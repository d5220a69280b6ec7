using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

// init.cpp: in-place initialisation and replacing a tensor's data.
internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern int cnt_uniform_(TensorHandle t, double from, double to);
    [DllImport(Lib)] internal static extern int cnt_normal_(TensorHandle t, double mean, double std);
    [DllImport(Lib)] internal static extern int cnt_trunc_normal_(TensorHandle t, double mean, double std, double a, double b);
    [DllImport(Lib)] internal static extern int cnt_fill_(TensorHandle t, NativeScalar value);
    [DllImport(Lib)] internal static extern int cnt_zero_(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_tensor_set_data(TensorHandle t, TensorHandle data);
}
