using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// torch.nn.functional: linear (fully connected) and dropout.
public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>x·weightᵀ + bias, with weight (out_features, in_features).</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(weight);
                return Check.Result(NativeMethods.cnt_nn_linear(input.Handle, weight.Handle, NnArgs.Optional(bias)));
            }

            /// <summary>
            /// In training, zeroes each element with probability <paramref name="p"/> and scales the
            /// rest by 1/(1 − p); otherwise returns the input's values unchanged.
            /// </summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true, bool inplace = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                NnArgs.Probability(p, nameof(p));
                if (!inplace) return Check.Result(NativeMethods.cnt_nn_dropout(input.Handle, p, training));
                Check.Status(NativeMethods.cnt_nn_dropout_(input.Handle, p, training));
                return input;
            }

            /// <summary>
            /// Dropout of whole channels of (N, C, H, W) input: each (sample, channel) plane is zeroed
            /// with probability <paramref name="p"/>, the rest scaled by 1/(1 − p).
            /// </summary>
            public static Tensor dropout2d(Tensor input, double p = 0.5, bool training = true, bool inplace = false)
            {
                ArgumentNullException.ThrowIfNull(input);
                NnArgs.Probability(p, nameof(p));
                if (!inplace) return Check.Result(NativeMethods.cnt_nn_feature_dropout(input.Handle, p, training));
                Check.Status(NativeMethods.cnt_nn_feature_dropout_(input.Handle, p, training));
                return input;
            }
        }
    }
}
