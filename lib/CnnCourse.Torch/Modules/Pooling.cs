using F = CnnCourse.Torch.torch.nn.functional;

namespace CnnCourse.Torch.Modules;

/// <summary>2-D max pooling (PyTorch's <c>nn.MaxPool2d</c>); the stride defaults to the kernel size.</summary>
public class MaxPool2d : Module
{
    public MaxPool2d(Size2 kernel_size, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool ceil_mode = false)
    {
        this.kernel_size = LayerChecks.Positive(kernel_size, nameof(kernel_size), nameof(MaxPool2d));
        this.stride = LayerChecks.Positive(stride ?? kernel_size, nameof(stride), nameof(MaxPool2d));
        this.padding = LayerChecks.NonNegative(padding ?? 0, nameof(padding), nameof(MaxPool2d));
        this.dilation = LayerChecks.Positive(dilation ?? 1, nameof(dilation), nameof(MaxPool2d));
        this.ceil_mode = ceil_mode;
    }

    public Size2 kernel_size { get; }
    public Size2 stride { get; }
    public Size2 padding { get; }
    public Size2 dilation { get; }
    public bool ceil_mode { get; }

    public override Tensor forward(Tensor input) => F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode);

    /// <summary>The pooled values and the flat indices of the maxima (PyTorch's return_indices=True).</summary>
    public (Tensor output, Tensor indices) forward_with_indices(Tensor input) =>
        F.max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode);

    public override string extra_repr() =>
        $"kernel_size={PyRepr.Size(kernel_size)}, stride={PyRepr.Size(stride)}, padding={PyRepr.Size(padding)}, " +
        $"dilation={PyRepr.Size(dilation)}, ceil_mode={PyRepr.Bool(ceil_mode)}";
}

/// <summary>2-D average pooling (PyTorch's <c>nn.AvgPool2d</c>); the stride defaults to the kernel size.</summary>
public class AvgPool2d : Module
{
    public AvgPool2d(Size2 kernel_size, Size2? stride = null, Size2? padding = null, bool ceil_mode = false,
                     bool count_include_pad = true, long? divisor_override = null)
    {
        this.kernel_size = LayerChecks.Positive(kernel_size, nameof(kernel_size), nameof(AvgPool2d));
        this.stride = LayerChecks.Positive(stride ?? kernel_size, nameof(stride), nameof(AvgPool2d));
        this.padding = LayerChecks.NonNegative(padding ?? 0, nameof(padding), nameof(AvgPool2d));
        this.ceil_mode = ceil_mode;
        this.count_include_pad = count_include_pad;
        if (divisor_override is { } d) LayerChecks.Positive(d, nameof(divisor_override), nameof(AvgPool2d));
        this.divisor_override = divisor_override;
    }

    public Size2 kernel_size { get; }
    public Size2 stride { get; }
    public Size2 padding { get; }
    public bool ceil_mode { get; }
    public bool count_include_pad { get; }
    public long? divisor_override { get; }

    public override Tensor forward(Tensor input) =>
        F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);

    public override string extra_repr() =>
        $"kernel_size={PyRepr.Size(kernel_size)}, stride={PyRepr.Size(stride)}, padding={PyRepr.Size(padding)}";
}

/// <summary>Average pooling to a fixed output size (PyTorch's <c>nn.AdaptiveAvgPool2d</c>); 1 is global average pooling.</summary>
public class AdaptiveAvgPool2d : Module
{
    public AdaptiveAvgPool2d(Size2 output_size) =>
        this.output_size = LayerChecks.NonNegative(output_size, nameof(output_size), nameof(AdaptiveAvgPool2d));

    public Size2 output_size { get; }

    public override Tensor forward(Tensor input) => F.adaptive_avg_pool2d(input, output_size);

    public override string extra_repr() => $"output_size={PyRepr.Size(output_size)}";
}

/// <summary>Max pooling to a fixed output size (PyTorch's <c>nn.AdaptiveMaxPool2d</c>).</summary>
public class AdaptiveMaxPool2d : Module
{
    public AdaptiveMaxPool2d(Size2 output_size) =>
        this.output_size = LayerChecks.NonNegative(output_size, nameof(output_size), nameof(AdaptiveMaxPool2d));

    public Size2 output_size { get; }

    public override Tensor forward(Tensor input) => F.adaptive_max_pool2d(input, output_size);

    /// <summary>The pooled values and the flat indices of the maxima (PyTorch's return_indices=True).</summary>
    public (Tensor output, Tensor indices) forward_with_indices(Tensor input) => F.adaptive_max_pool2d_with_indices(input, output_size);

    public override string extra_repr() => $"output_size={PyRepr.Size(output_size)}";
}
