using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// torch.nn.functional: convolutions.
public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>
            /// 2-D convolution of <paramref name="input"/> (N, C_in, H, W) or (C_in, H, W) with
            /// <paramref name="weight"/> (C_out, C_in / groups, kH, kW). Each output size is
            /// floor((H + 2·padding − dilation·(k − 1) − 1) / stride) + 1.
            /// </summary>
            /// <param name="padding">zeros added on both sides: a size, or "same" / "valid".</param>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null,
                                        Padding? padding = null, Size2? dilation = null, long groups = 1)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(weight);
                var s = NnArgs.Positive(stride ?? 1, nameof(stride));
                var d = NnArgs.Positive(dilation ?? 1, nameof(dilation));
                NnArgs.Positive(groups, nameof(groups));
                var p = padding ?? 0;
                if (p.Mode is { } mode)
                    return Check.Result(NativeMethods.cnt_nn_conv2d_padding_mode(input.Handle, weight.Handle, NnArgs.Optional(bias), s, mode, d, groups));
                return Check.Result(NativeMethods.cnt_nn_conv2d(input.Handle, weight.Handle, NnArgs.Optional(bias), s,
                    NnArgs.NonNegative(p.Size, nameof(padding)), d, groups));
            }

            /// <summary>
            /// 2-D transposed convolution ("deconvolution") with <paramref name="weight"/>
            /// (C_in, C_out / groups, kH, kW). Each output size is
            /// (H − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1.
            /// </summary>
            public static Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null,
                                                  Size2? padding = null, Size2? output_padding = null, long groups = 1,
                                                  Size2? dilation = null)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(weight);
                NnArgs.Positive(groups, nameof(groups));
                return Check.Result(NativeMethods.cnt_nn_conv_transpose2d(input.Handle, weight.Handle, NnArgs.Optional(bias),
                    NnArgs.Positive(stride ?? 1, nameof(stride)), NnArgs.NonNegative(padding ?? 0, nameof(padding)),
                    NnArgs.NonNegative(output_padding ?? 0, nameof(output_padding)), groups,
                    NnArgs.Positive(dilation ?? 1, nameof(dilation))));
            }
        }
    }
}
