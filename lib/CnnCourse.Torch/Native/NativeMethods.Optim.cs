using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

// optim.cpp: optimizer steps over lists of parameters. Arrays of tensors are HandleArray pointers;
// an array the settings do not use is passed as null (NULL); bool arrays are byte arrays (0/1).
internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern int cnt_optim_has_grad(IntPtr[] parameters, int n, byte[] result);

    [DllImport(Lib)] internal static extern int cnt_optim_zero_grad(IntPtr[] parameters, int n, [MarshalAs(UnmanagedType.U1)] bool setToNone);

    [DllImport(Lib)]
    internal static extern int cnt_optim_sgd_step_(IntPtr[] parameters, IntPtr[]? momentumBuffers, byte[]? freshBuffers, int n,
        double lr, double momentum, double dampening, double weightDecay,
        [MarshalAs(UnmanagedType.U1)] bool nesterov, [MarshalAs(UnmanagedType.U1)] bool maximize);

    [DllImport(Lib)]
    internal static extern int cnt_optim_adam_step_(IntPtr[] parameters, IntPtr[] expAvgs, IntPtr[] expAvgSqs, IntPtr[]? maxExpAvgSqs,
        IntPtr[] steps, int n, double lr, double beta1, double beta2, double eps, double weightDecay,
        [MarshalAs(UnmanagedType.U1)] bool amsgrad, [MarshalAs(UnmanagedType.U1)] bool maximize);

    [DllImport(Lib)]
    internal static extern int cnt_optim_adamw_step_(IntPtr[] parameters, IntPtr[] expAvgs, IntPtr[] expAvgSqs, IntPtr[]? maxExpAvgSqs,
        IntPtr[] steps, int n, double lr, double beta1, double beta2, double eps, double weightDecay,
        [MarshalAs(UnmanagedType.U1)] bool amsgrad, [MarshalAs(UnmanagedType.U1)] bool maximize);

    [DllImport(Lib)]
    internal static extern int cnt_optim_rmsprop_step_(IntPtr[] parameters, IntPtr[] squareAvgs, IntPtr[]? gradAvgs, IntPtr[]? momentumBuffers,
        IntPtr[]? steps, int n, double lr, double alpha, double eps, double weightDecay, double momentum,
        [MarshalAs(UnmanagedType.U1)] bool centered, [MarshalAs(UnmanagedType.U1)] bool maximize);
}
