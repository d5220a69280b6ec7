using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// torch.nn.functional: max, average and adaptive pooling.
public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>
            /// 2-D max pooling over (N, C, H, W) or (C, H, W). The stride defaults to the kernel size;
            /// padding (at most half the kernel) pads with −∞; ceil_mode rounds the output size up.
            /// </summary>
            public static Tensor max_pool2d(Tensor input, Size2 kernel_size, Size2? stride = null, Size2? padding = null,
                                            Size2? dilation = null, bool ceil_mode = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                var k = NnArgs.Positive(kernel_size, nameof(kernel_size));
                return Check.Result(NativeMethods.cnt_nn_max_pool2d(input.Handle, k, NnArgs.Positive(stride ?? kernel_size, nameof(stride)),
                    NnArgs.NonNegative(padding ?? 0, nameof(padding)), NnArgs.Positive(dilation ?? 1, nameof(dilation)), ceil_mode));
            }

            /// <summary>
            /// max_pool2d that also returns, for every output, the flat index (h·W + w) of the maximum
            /// within its input plane (what max_unpool2d takes).
            /// </summary>
            public static (Tensor output, Tensor indices) max_pool2d_with_indices(Tensor input, Size2 kernel_size, Size2? stride = null,
                                                                                  Size2? padding = null, Size2? dilation = null, bool ceil_mode = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                var k = NnArgs.Positive(kernel_size, nameof(kernel_size));
                int status = NativeMethods.cnt_nn_max_pool2d_with_indices(input.Handle, k, NnArgs.Positive(stride ?? kernel_size, nameof(stride)),
                    NnArgs.NonNegative(padding ?? 0, nameof(padding)), NnArgs.Positive(dilation ?? 1, nameof(dilation)), ceil_mode,
                    out var output, out var indices);
                return Pair(status, output, indices);
            }

            /// <summary>
            /// 2-D average pooling. count_include_pad counts the zero padding in the divisor;
            /// divisor_override replaces the divisor altogether.
            /// </summary>
            public static Tensor avg_pool2d(Tensor input, Size2 kernel_size, Size2? stride = null, Size2? padding = null,
                                            bool ceil_mode = false, bool count_include_pad = true, long? divisor_override = null)
            {
                ArgumentNullException.ThrowIfNull(input);
                var k = NnArgs.Positive(kernel_size, nameof(kernel_size));
                if (divisor_override is { } divisor) NnArgs.Positive(divisor, nameof(divisor_override));
                return Check.Result(NativeMethods.cnt_nn_avg_pool2d(input.Handle, k, NnArgs.Positive(stride ?? kernel_size, nameof(stride)),
                    NnArgs.NonNegative(padding ?? 0, nameof(padding)), ceil_mode, count_include_pad, divisor_override ?? 0));
            }

            /// <summary>Average pooling to a fixed output size, whatever the input size (e.g. 1 for global pooling).</summary>
            public static Tensor adaptive_avg_pool2d(Tensor input, Size2 output_size)
            {
                ArgumentNullException.ThrowIfNull(input);
                return Check.Result(NativeMethods.cnt_nn_adaptive_avg_pool2d(input.Handle, NnArgs.NonNegative(output_size, nameof(output_size))));
            }

            /// <summary>Max pooling to a fixed output size.</summary>
            public static Tensor adaptive_max_pool2d(Tensor input, Size2 output_size)
            {
                var (output, indices) = AdaptiveMaxPool(input, output_size, nameof(adaptive_max_pool2d));
                indices.Dispose();
                return output;
            }

            /// <summary>adaptive_max_pool2d that also returns the flat indices of the maxima.</summary>
            public static (Tensor output, Tensor indices) adaptive_max_pool2d_with_indices(Tensor input, Size2 output_size) =>
                AdaptiveMaxPool(input, output_size, nameof(adaptive_max_pool2d_with_indices));

            private static (Tensor, Tensor) AdaptiveMaxPool(Tensor input, Size2 output_size, string operation)
            {
                ArgumentNullException.ThrowIfNull(input);
                int status = NativeMethods.cnt_nn_adaptive_max_pool2d(input.Handle, NnArgs.NonNegative(output_size, nameof(output_size), operation),
                    out var output, out var indices);
                return Pair(status, output, indices, operation);
            }

            private static (Tensor, Tensor) Pair(int status, TensorHandle first, TensorHandle second,
                                                 [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
            {
                if (status < 0)
                {
                    first.Dispose();
                    second.Dispose();
                    throw Check.LastError(operation);
                }
                return (new Tensor(first), new Tensor(second));
            }
        }
    }
}
