using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

// nn.cpp: 2-D sizes are long[2] {height, width}; an absent optional tensor is TensorHandle.Null.
internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_conv2d(TensorHandle input, TensorHandle weight, TensorHandle bias, long[] stride, long[] padding, long[] dilation, long groups);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_conv2d_padding_mode(TensorHandle input, TensorHandle weight, TensorHandle bias, long[] stride, [MarshalAs(UnmanagedType.LPUTF8Str)] string padding, long[] dilation, long groups);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_conv_transpose2d(TensorHandle input, TensorHandle weight, TensorHandle bias, long[] stride, long[] padding, long[] outputPadding, long groups, long[] dilation);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_max_pool2d(TensorHandle input, long[] kernelSize, long[] stride, long[] padding, long[] dilation, [MarshalAs(UnmanagedType.U1)] bool ceilMode);
    [DllImport(Lib)] internal static extern int cnt_nn_max_pool2d_with_indices(TensorHandle input, long[] kernelSize, long[] stride, long[] padding, long[] dilation, [MarshalAs(UnmanagedType.U1)] bool ceilMode, out TensorHandle output, out TensorHandle indices);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_avg_pool2d(TensorHandle input, long[] kernelSize, long[] stride, long[] padding, [MarshalAs(UnmanagedType.U1)] bool ceilMode, [MarshalAs(UnmanagedType.U1)] bool countIncludePad, long divisorOverride);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_adaptive_avg_pool2d(TensorHandle input, long[] outputSize);
    [DllImport(Lib)] internal static extern int cnt_nn_adaptive_max_pool2d(TensorHandle input, long[] outputSize, out TensorHandle output, out TensorHandle indices);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_batch_norm(TensorHandle input, TensorHandle runningMean, TensorHandle runningVar, TensorHandle weight, TensorHandle bias, [MarshalAs(UnmanagedType.U1)] bool training, double momentum, double eps);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_layer_norm(TensorHandle input, long[] normalizedShape, int ndim, TensorHandle weight, TensorHandle bias, double eps);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_local_response_norm(TensorHandle input, long size, double alpha, double beta, double k);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_dropout(TensorHandle input, double p, [MarshalAs(UnmanagedType.U1)] bool training);
    [DllImport(Lib)] internal static extern int cnt_nn_dropout_(TensorHandle input, double p, [MarshalAs(UnmanagedType.U1)] bool training);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_feature_dropout(TensorHandle input, double p, [MarshalAs(UnmanagedType.U1)] bool training);
    [DllImport(Lib)] internal static extern int cnt_nn_feature_dropout_(TensorHandle input, double p, [MarshalAs(UnmanagedType.U1)] bool training);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_linear(TensorHandle input, TensorHandle weight, TensorHandle bias);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_relu(TensorHandle input);
    [DllImport(Lib)] internal static extern int cnt_nn_relu_(TensorHandle input);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_relu6(TensorHandle input);
    [DllImport(Lib)] internal static extern int cnt_nn_relu6_(TensorHandle input);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_leaky_relu(TensorHandle input, double negativeSlope);
    [DllImport(Lib)] internal static extern int cnt_nn_leaky_relu_(TensorHandle input, double negativeSlope);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_gelu(TensorHandle input, [MarshalAs(UnmanagedType.LPUTF8Str)] string approximate);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_silu(TensorHandle input);
    [DllImport(Lib)] internal static extern int cnt_nn_silu_(TensorHandle input);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_hardswish(TensorHandle input);
    [DllImport(Lib)] internal static extern int cnt_nn_hardswish_(TensorHandle input);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_hardsigmoid(TensorHandle input);
    [DllImport(Lib)] internal static extern int cnt_nn_hardsigmoid_(TensorHandle input);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_sigmoid(TensorHandle input);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_tanh(TensorHandle input);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_softmax(TensorHandle input, long dim, int dtype);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_log_softmax(TensorHandle input, long dim, int dtype);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_flatten(TensorHandle input, long startDim, long endDim);
    [DllImport(Lib)] internal static extern TensorHandle cnt_nn_interpolate(TensorHandle input, long[]? size, double[]? scaleFactor, int mode, int alignCorners);
}
