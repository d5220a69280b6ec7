using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// torch.nn.functional: losses and one_hot.
public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>
            /// Cross entropy between logits <paramref name="input"/> (N, C) or (N, C, d…) and
            /// <paramref name="target"/>: class indices (int64, shape (N) or (N, d…)), or class
            /// probabilities of the input's shape. label_smoothing mixes the target with the uniform
            /// distribution: (1 − ε)·target + ε/C. Targets equal to ignore_index (index targets only)
            /// contribute nothing, not even to the mean's divisor.
            /// </summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                                               Reduction reduction = Reduction.Mean, double label_smoothing = 0.0)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(target);
                NnArgs.Probability(label_smoothing, nameof(label_smoothing));
                return Check.Result(NativeMethods.cnt_nn_cross_entropy(input.Handle, target.Handle, NnArgs.Optional(weight),
                    ReductionCode(reduction), ignore_index, label_smoothing));
            }

            /// <summary>
            /// Negative log-likelihood of class indices <paramref name="target"/> under log-probabilities
            /// <paramref name="input"/> (N, C) or (N, C, d…): −input[n, target[n]], optionally weighted per class.
            /// </summary>
            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                                          Reduction reduction = Reduction.Mean)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(target);
                return Check.Result(NativeMethods.cnt_nn_nll_loss(input.Handle, target.Handle, NnArgs.Optional(weight),
                    ReductionCode(reduction), ignore_index));
            }

            /// <summary>(input − target)², reduced.</summary>
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(target);
                return Check.Result(NativeMethods.cnt_nn_mse_loss(input.Handle, target.Handle, ReductionCode(reduction)));
            }

            /// <summary>
            /// Class indices (int64) to one-hot vectors (int64) in a new last dimension of size
            /// <paramref name="num_classes"/> (−1: one more than the largest index).
            /// </summary>
            public static Tensor one_hot(Tensor input, long num_classes = -1)
            {
                ArgumentNullException.ThrowIfNull(input);
                if (num_classes < -1)
                    throw new ArgumentException($"one_hot: num_classes must be -1 (inferred) or non-negative, but got {num_classes}", nameof(num_classes));
                return Check.Result(NativeMethods.cnt_nn_one_hot(input.Handle, num_classes));
            }

            private static int ReductionCode(Reduction reduction) => reduction switch
            {
                Reduction.None or Reduction.Mean or Reduction.Sum => (int)reduction,
                _ => throw new ArgumentException($"unknown reduction {(int)reduction}", nameof(reduction)),
            };
        }
    }
}
