using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// torch.nn.functional: batch, layer and local response normalization.
public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            /// <summary>
            /// Batch normalization over the channel dimension (dim 1) of (N, C, …) input:
            /// (x − mean) / √(var + eps) · weight + bias. With <paramref name="training"/>, mean and
            /// (biased) var are the batch's, and the running statistics, if given, are updated in
            /// place: running = (1 − momentum)·running + momentum·batch (with the unbiased variance).
            /// Otherwise the running statistics are used.
            /// </summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null,
                                            Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5)
            {
                ArgumentNullException.ThrowIfNull(input);
                NnArgs.Finite(momentum, nameof(momentum));
                if (!(eps >= 0)) throw new ArgumentException($"batch_norm: eps must be non-negative, but got {eps}", nameof(eps));
                if (training) VerifyBatchSize(input.shape);
                return Check.Result(NativeMethods.cnt_nn_batch_norm(input.Handle, NnArgs.Optional(running_mean), NnArgs.Optional(running_var),
                    NnArgs.Optional(weight), NnArgs.Optional(bias), training, momentum, eps));
            }

            // PyTorch refuses to normalize a single value per channel in training (its variance is 0/0).
            private static void VerifyBatchSize(long[] shape)
            {
                if (shape.Length < 2) return; // libtorch reports the rank itself
                long perChannel = shape[0];
                for (int i = 2; i < shape.Length; i++) perChannel *= shape[i];
                if (perChannel == 1)
                    throw new ArgumentException($"batch_norm: Expected more than 1 value per channel when training, got input size [{string.Join(", ", shape)}]");
            }

            /// <summary>
            /// Layer normalization over the last dimensions (<paramref name="normalized_shape"/>) of
            /// each sample, with an optional element-wise affine weight and bias of that shape.
            /// </summary>
            public static Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                ArgumentNullException.ThrowIfNull(input);
                ArgumentNullException.ThrowIfNull(normalized_shape);
                foreach (var s in normalized_shape)
                    if (s < 0) throw new ArgumentException($"layer_norm: negative size in normalized_shape [{string.Join(", ", normalized_shape)}]", nameof(normalized_shape));
                return Check.Result(NativeMethods.cnt_nn_layer_norm(input.Handle, normalized_shape, normalized_shape.Length,
                    NnArgs.Optional(weight), NnArgs.Optional(bias), eps));
            }

            /// <summary>
            /// Local response normalization across channels (AlexNet):
            /// x / (k + alpha/size · Σ x²)^beta, the sum over <paramref name="size"/> neighbouring channels.
            /// </summary>
            public static Tensor local_response_norm(Tensor input, long size, double alpha = 1e-4, double beta = 0.75, double k = 1.0)
            {
                ArgumentNullException.ThrowIfNull(input);
                NnArgs.Positive(size, nameof(size));
                return Check.Result(NativeMethods.cnt_nn_local_response_norm(input.Handle, size, alpha, beta, k));
            }
        }
    }
}
