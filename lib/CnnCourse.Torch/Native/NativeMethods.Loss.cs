using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

// loss.cpp: reduction 0 none, 1 mean, 2 sum.
internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_cross_entropy(TensorHandle input, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex, double labelSmoothing);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_nll_loss(TensorHandle input, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_mse_loss(TensorHandle input, TensorHandle target, int reduction);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_one_hot(TensorHandle input, long numClasses);
}
