using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// torch.nn.functional: activations and softmax. An inplace variant overwrites and returns its input.
public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>max(0, x).</summary>
            public static Tensor relu(Tensor input, bool inplace = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                if (!inplace) return Check.Result(NativeMethods.cnt_nn_relu(input.Handle));
                Check.Status(NativeMethods.cnt_nn_relu_(input.Handle));
                return input;
            }

            /// <summary>min(max(0, x), 6).</summary>
            public static Tensor relu6(Tensor input, bool inplace = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                if (!inplace) return Check.Result(NativeMethods.cnt_nn_relu6(input.Handle));
                Check.Status(NativeMethods.cnt_nn_relu6_(input.Handle));
                return input;
            }

            /// <summary>x for x ≥ 0, negative_slope·x otherwise.</summary>
            public static Tensor leaky_relu(Tensor input, double negative_slope = 0.01, bool inplace = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                NnArgs.Finite(negative_slope, nameof(negative_slope));
                if (!inplace) return Check.Result(NativeMethods.cnt_nn_leaky_relu(input.Handle, negative_slope));
                Check.Status(NativeMethods.cnt_nn_leaky_relu_(input.Handle, negative_slope));
                return input;
            }

            /// <summary>x·Φ(x) (Φ the standard normal CDF); approximate "tanh" uses the tanh formula.</summary>
            public static Tensor gelu(Tensor input, string approximate = "none")
            {
                ArgumentNullException.ThrowIfNull(input);
                if (approximate is not ("none" or "tanh"))
                    throw new ArgumentException($"gelu: approximate must be 'none' or 'tanh', but got '{approximate}'", nameof(approximate));
                return Check.Result(NativeMethods.cnt_nn_gelu(input.Handle, approximate));
            }

            /// <summary>x·sigmoid(x) (also called swish).</summary>
            public static Tensor silu(Tensor input, bool inplace = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                if (!inplace) return Check.Result(NativeMethods.cnt_nn_silu(input.Handle));
                Check.Status(NativeMethods.cnt_nn_silu_(input.Handle));
                return input;
            }

            /// <summary>x·relu6(x + 3)/6 (MobileNetV3).</summary>
            public static Tensor hardswish(Tensor input, bool inplace = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                if (!inplace) return Check.Result(NativeMethods.cnt_nn_hardswish(input.Handle));
                Check.Status(NativeMethods.cnt_nn_hardswish_(input.Handle));
                return input;
            }

            /// <summary>relu6(x + 3)/6.</summary>
            public static Tensor hardsigmoid(Tensor input, bool inplace = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                if (!inplace) return Check.Result(NativeMethods.cnt_nn_hardsigmoid(input.Handle));
                Check.Status(NativeMethods.cnt_nn_hardsigmoid_(input.Handle));
                return input;
            }

            /// <summary>1 / (1 + e^−x).</summary>
            public static Tensor sigmoid(Tensor input)
            {
                ArgumentNullException.ThrowIfNull(input);
                return Check.Result(NativeMethods.cnt_nn_sigmoid(input.Handle));
            }

            /// <summary>The hyperbolic tangent.</summary>
            public static Tensor tanh(Tensor input)
            {
                ArgumentNullException.ThrowIfNull(input);
                return Check.Result(NativeMethods.cnt_nn_tanh(input.Handle));
            }

            /// <summary>e^x / Σ e^x along <paramref name="dim"/>, computed in <paramref name="dtype"/> if given.</summary>
            public static Tensor softmax(Tensor input, long dim, ScalarType? dtype = null)
            {
                ArgumentNullException.ThrowIfNull(input);
                return Check.Result(NativeMethods.cnt_nn_softmax(input.Handle, dim, dtype is null ? -1 : (int)dtype));
            }

            /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably.</summary>
            public static Tensor log_softmax(Tensor input, long dim, ScalarType? dtype = null)
            {
                ArgumentNullException.ThrowIfNull(input);
                return Check.Result(NativeMethods.cnt_nn_log_softmax(input.Handle, dim, dtype is null ? -1 : (int)dtype));
            }
        }
    }
}
