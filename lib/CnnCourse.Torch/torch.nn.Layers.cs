namespace CnnCourse.Torch;

// Factories of the layers: torch.nn.Conv2d(3, 64, 7, stride: 2, padding: 3), torch.nn.ReLU(), …
// (the classes live in CnnCourse.Torch.Modules; these mirror TorchSharp's torch.nn functions).
public static partial class torch
{
    public static partial class nn
    {
        public static Modules.Conv2d Conv2d(long in_channels, long out_channels, Size2 kernel_size, Size2? stride = null, Padding? padding = null,
                                            Size2? dilation = null, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, device, dtype);

        public static Modules.ConvTranspose2d ConvTranspose2d(long in_channels, long out_channels, Size2 kernel_size, Size2? stride = null,
                                                              Size2? padding = null, Size2? output_padding = null, long groups = 1, bool bias = true,
                                                              Size2? dilation = null, Device? device = null, ScalarType? dtype = null) =>
            new(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation, device, dtype);

        public static Modules.Linear Linear(long in_features, long out_features, bool bias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_features, out_features, bias, device, dtype);

        /// <param name="momentum">null: the cumulative average of all batches seen.</param>
        public static Modules.BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
                                                      bool track_running_stats = true, Device? device = null, ScalarType? dtype = null) =>
            new(num_features, eps, momentum, affine, track_running_stats, device, dtype);

        public static Modules.LayerNorm LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null) =>
            new(normalized_shape, eps, elementwise_affine, device, dtype);

        public static Modules.LayerNorm LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null) =>
            new(normalized_shape, eps, elementwise_affine, device, dtype);

        public static Modules.LocalResponseNorm LocalResponseNorm(long size, double alpha = 1e-4, double beta = 0.75, double k = 1.0) =>
            new(size, alpha, beta, k);

        public static Modules.Dropout Dropout(double p = 0.5, bool inplace = false) => new(p, inplace);

        public static Modules.Dropout2d Dropout2d(double p = 0.5, bool inplace = false) => new(p, inplace);

        public static Modules.MaxPool2d MaxPool2d(Size2 kernel_size, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool ceil_mode = false) =>
            new(kernel_size, stride, padding, dilation, ceil_mode);

        public static Modules.AvgPool2d AvgPool2d(Size2 kernel_size, Size2? stride = null, Size2? padding = null, bool ceil_mode = false,
                                                  bool count_include_pad = true, long? divisor_override = null) =>
            new(kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);

        public static Modules.AdaptiveAvgPool2d AdaptiveAvgPool2d(Size2 output_size) => new(output_size);

        public static Modules.AdaptiveMaxPool2d AdaptiveMaxPool2d(Size2 output_size) => new(output_size);

        public static Modules.Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);

        public static Modules.Identity Identity() => new();

        public static Modules.ReLU ReLU(bool inplace = false) => new(inplace);

        public static Modules.ReLU6 ReLU6(bool inplace = false) => new(inplace);

        public static Modules.LeakyReLU LeakyReLU(double negative_slope = 0.01, bool inplace = false) => new(negative_slope, inplace);

        public static Modules.GELU GELU(string approximate = "none") => new(approximate);

        public static Modules.SiLU SiLU(bool inplace = false) => new(inplace);

        public static Modules.Hardswish Hardswish(bool inplace = false) => new(inplace);

        public static Modules.Hardsigmoid Hardsigmoid(bool inplace = false) => new(inplace);

        public static Modules.Sigmoid Sigmoid() => new();

        public static Modules.Tanh Tanh() => new();

        public static Modules.Softmax Softmax(long dim) => new(dim);

        public static Modules.LogSoftmax LogSoftmax(long dim) => new(dim);

        public static Modules.CrossEntropyLoss CrossEntropyLoss(Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean,
                                                                double label_smoothing = 0.0) =>
            new(weight, ignore_index, reduction, label_smoothing);

        public static Modules.NLLLoss NLLLoss(Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean) =>
            new(weight, ignore_index, reduction);

        public static Modules.MSELoss MSELoss(Reduction reduction = Reduction.Mean) => new(reduction);
    }
}
