using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Weight initialisation, as <c>torch.nn.init</c>: every function fills its tensor in place
        /// without recording gradients, draws from the generator seeded by
        /// <see cref="torch.manual_seed"/> with the same libtorch calls as PyTorch (so a seeded run
        /// gives PyTorch's numbers), and returns the tensor.
        /// </summary>
        public static class init
        {
            /// <summary>The nonlinearities of <see cref="calculate_gain(NonlinearityType, double?)"/>.</summary>
            public enum NonlinearityType
            {
                Linear,
                Conv1D,
                Conv2D,
                Conv3D,
                ConvTranspose1D,
                ConvTranspose2D,
                ConvTranspose3D,
                Sigmoid,
                Tanh,
                ReLU,
                LeakyReLU,
                SELU,
            }

            /// <summary>Which fan Kaiming initialisation preserves: the forward pass's (fan_in) or the backward pass's (fan_out).</summary>
            public enum FanInOut
            {
                FanIn,
                FanOut,
            }

            /// <summary>
            /// The recommended gain for a nonlinearity: 1 for linear layers, convolutions and sigmoid,
            /// 5/3 for tanh, √2 for ReLU, √(2 / (1 + slope²)) for leaky ReLU (slope
            /// <paramref name="param"/>, default 0.01), 3/4 for SELU.
            /// </summary>
            public static double calculate_gain(NonlinearityType nonlinearity, double? param = null) => nonlinearity switch
            {
                NonlinearityType.Linear or NonlinearityType.Conv1D or NonlinearityType.Conv2D or NonlinearityType.Conv3D or
                NonlinearityType.ConvTranspose1D or NonlinearityType.ConvTranspose2D or NonlinearityType.ConvTranspose3D or
                NonlinearityType.Sigmoid => 1.0,
                NonlinearityType.Tanh => 5.0 / 3,
                NonlinearityType.ReLU => Math.Sqrt(2.0),
                NonlinearityType.LeakyReLU => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
                NonlinearityType.SELU => 3.0 / 4,
                _ => throw new ArgumentException($"calculate_gain: unsupported nonlinearity {nonlinearity}", nameof(nonlinearity)),
            };

            /// <summary>PyTorch's spelling: "relu", "leaky_relu", "tanh", "conv2d", "linear", ….</summary>
            public static double calculate_gain(string nonlinearity, double? param = null) => calculate_gain(Nonlinearity(nonlinearity), param);

            /// <summary>
            /// (fan_in, fan_out) of a weight: size(1) and size(0), each times the receptive field
            /// (the product of the sizes after the first two), as PyTorch computes them.
            /// </summary>
            public static (long fan_in, long fan_out) _calculate_fan_in_and_fan_out(Tensor tensor)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                var shape = tensor.shape;
                if (shape.Length < 2)
                    throw new ArgumentException($"Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape [{string.Join(", ", shape)}])", nameof(tensor));
                long receptive = 1;
                for (int i = 2; i < shape.Length; i++) receptive *= shape[i];
                return (shape[1] * receptive, shape[0] * receptive);
            }

            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                using (no_grad()) Check.Status(NativeMethods.cnt_uniform_(tensor.Handle, a, b));
                return tensor;
            }

            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                if (!(std >= 0)) throw new ArgumentException($"normal_: std must be non-negative, got {std}", nameof(std));
                using (no_grad()) Check.Status(NativeMethods.cnt_normal_(tensor.Handle, mean, std));
                return tensor;
            }

            /// <summary>
            /// Normal values N(mean, std²) truncated to [a, b] (absolute bounds, not in units of std),
            /// by inverse-CDF sampling as PyTorch does.
            /// </summary>
            public static Tensor trunc_normal_(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                using (no_grad()) Check.Status(NativeMethods.cnt_trunc_normal_(tensor.Handle, mean, std, a, b));
                return tensor;
            }

            public static Tensor constant_(Tensor tensor, Scalar val)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                using (no_grad()) Check.Status(NativeMethods.cnt_fill_(tensor.Handle, val.ToNative()));
                return tensor;
            }

            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1.0);

            public static Tensor zeros_(Tensor tensor)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                using (no_grad()) Check.Status(NativeMethods.cnt_zero_(tensor.Handle));
                return tensor;
            }

            /// <summary>Glorot uniform: U(−b, b) with b = gain·√(6 / (fan_in + fan_out)).</summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = _calculate_fan_in_and_fan_out(tensor);
                double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
                double bound = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -bound, bound);
            }

            /// <summary>Glorot normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).</summary>
            public static Tensor xavier_normal_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = _calculate_fan_in_and_fan_out(tensor);
                double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
                return normal_(tensor, 0, std);
            }

            /// <summary>
            /// He uniform: U(−b, b) with b = gain·√(3 / fan), gain from <paramref name="nonlinearity"/>
            /// (with negative slope <paramref name="a"/> for leaky ReLU). PyTorch's Linear and Conv2d
            /// use a = √5 for their default weights.
            /// </summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                if (tensor.numel() == 0) return tensor; // PyTorch: "Initializing zero-element tensors is a no-op"
                double std = calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
                double bound = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -bound, bound);
            }

            /// <summary>PyTorch's spelling: <c>kaiming_uniform_(w, mode: "fan_out", nonlinearity: "relu")</c>.</summary>
            public static Tensor kaiming_uniform_(Tensor tensor, string mode, string nonlinearity = "leaky_relu", double a = 0) =>
                kaiming_uniform_(tensor, a, FanMode(mode), Nonlinearity(nonlinearity));

            /// <summary>He normal: N(0, std²) with std = gain / √fan (torchvision's ResNet uses fan_out, relu).</summary>
            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                if (tensor.numel() == 0) return tensor;
                double std = calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
                return normal_(tensor, 0, std);
            }

            /// <summary>PyTorch's spelling: <c>kaiming_normal_(w, mode: "fan_out", nonlinearity: "relu")</c>.</summary>
            public static Tensor kaiming_normal_(Tensor tensor, string mode, string nonlinearity = "leaky_relu", double a = 0) =>
                kaiming_normal_(tensor, a, FanMode(mode), Nonlinearity(nonlinearity));

            private static long Fan(Tensor tensor, FanInOut mode)
            {
                var (fanIn, fanOut) = _calculate_fan_in_and_fan_out(tensor);
                return mode switch
                {
                    FanInOut.FanIn => fanIn,
                    FanInOut.FanOut => fanOut,
                    _ => throw new ArgumentException($"unknown fan mode {mode}", nameof(mode)),
                };
            }

            private static FanInOut FanMode(string mode) => mode?.ToLowerInvariant() switch
            {
                "fan_in" => FanInOut.FanIn,
                "fan_out" => FanInOut.FanOut,
                _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out", nameof(mode)),
            };

            private static NonlinearityType Nonlinearity(string name) => name switch
            {
                "linear" or "identity" => NonlinearityType.Linear,
                "conv1d" => NonlinearityType.Conv1D,
                "conv2d" => NonlinearityType.Conv2D,
                "conv3d" => NonlinearityType.Conv3D,
                "conv_transpose1d" => NonlinearityType.ConvTranspose1D,
                "conv_transpose2d" => NonlinearityType.ConvTranspose2D,
                "conv_transpose3d" => NonlinearityType.ConvTranspose3D,
                "sigmoid" => NonlinearityType.Sigmoid,
                "tanh" => NonlinearityType.Tanh,
                "relu" => NonlinearityType.ReLU,
                "leaky_relu" => NonlinearityType.LeakyReLU,
                "selu" => NonlinearityType.SELU,
                null => throw new ArgumentNullException(nameof(name)),
                _ => throw new ArgumentException($"Unsupported nonlinearity {name}", nameof(name)),
            };
        }
    }
}
