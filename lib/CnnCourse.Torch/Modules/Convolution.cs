using F = CnnCourse.Torch.torch.nn.functional;

namespace CnnCourse.Torch.Modules;

/// <summary>
/// 2-D convolution layer (PyTorch's <c>nn.Conv2d</c>): weight (out_channels, in_channels / groups,
/// kH, kW) and an optional bias (out_channels), initialised as PyTorch does:
/// kaiming_uniform_(a = √5) for the weight, U(−1/√fan_in, 1/√fan_in) for the bias.
/// </summary>
public class Conv2d : Module
{
    public Parameter weight;
    public Parameter? bias;

    public Conv2d(long in_channels, long out_channels, Size2 kernel_size, Size2? stride = null, Padding? padding = null,
                  Size2? dilation = null, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
    {
        LayerChecks.Channels(in_channels, out_channels, groups, nameof(Conv2d));
        LayerChecks.Positive(kernel_size, nameof(kernel_size), nameof(Conv2d));
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        this.kernel_size = kernel_size;
        this.stride = LayerChecks.Positive(stride ?? 1, nameof(stride), nameof(Conv2d));
        this.padding = padding ?? 0;
        this.dilation = LayerChecks.Positive(dilation ?? 1, nameof(dilation), nameof(Conv2d));
        this.groups = groups;
        if (this.padding.Mode is null) LayerChecks.NonNegative(this.padding.Size, nameof(padding), nameof(Conv2d));
        if (this.padding.Mode == "same" && this.stride != new Size2(1))
            throw new ArgumentException("Conv2d: padding='same' is not supported for strided convolutions", nameof(padding));

        weight = Parameter.From(torch.empty(new[] { out_channels, in_channels / groups, kernel_size.Height, kernel_size.Width }, dtype, device));
        this.bias = bias ? Parameter.From(torch.empty(new[] { out_channels }, dtype, device)) : null;
        reset_parameters();
    }

    public long in_channels { get; }
    public long out_channels { get; }
    public Size2 kernel_size { get; }
    public Size2 stride { get; }
    public Padding padding { get; }
    public Size2 dilation { get; }
    public long groups { get; }

    /// <summary>PyTorch's default initialisation (also what a fresh layer starts with).</summary>
    public void reset_parameters() => LayerInit.KaimingUniformWithBias(weight, bias);

    public override Tensor forward(Tensor input) =>
        F.conv2d(input, weight, bias, stride, padding, dilation, groups);

    public override string extra_repr()
    {
        var s = $"{in_channels}, {out_channels}, kernel_size={PyRepr.Pair(kernel_size)}, stride={PyRepr.Pair(stride)}";
        if (padding.Mode is { } mode) s += $", padding={mode}";
        else if (padding.Size != new Size2(0)) s += $", padding={PyRepr.Pair(padding.Size)}";
        if (dilation != new Size2(1)) s += $", dilation={PyRepr.Pair(dilation)}";
        if (groups != 1) s += $", groups={groups}";
        if (bias is null) s += ", bias=False";
        return s;
    }
}

/// <summary>
/// 2-D transposed convolution layer (PyTorch's <c>nn.ConvTranspose2d</c>): weight (in_channels,
/// out_channels / groups, kH, kW), initialised like Conv2d (PyTorch computes the fans from this
/// weight shape, so fan_in = out_channels / groups · kH · kW).
/// </summary>
public class ConvTranspose2d : Module
{
    public Parameter weight;
    public Parameter? bias;

    public ConvTranspose2d(long in_channels, long out_channels, Size2 kernel_size, Size2? stride = null, Size2? padding = null,
                           Size2? output_padding = null, long groups = 1, bool bias = true, Size2? dilation = null,
                           Device? device = null, ScalarType? dtype = null)
    {
        LayerChecks.Channels(in_channels, out_channels, groups, nameof(ConvTranspose2d));
        LayerChecks.Positive(kernel_size, nameof(kernel_size), nameof(ConvTranspose2d));
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        this.kernel_size = kernel_size;
        this.stride = LayerChecks.Positive(stride ?? 1, nameof(stride), nameof(ConvTranspose2d));
        this.padding = LayerChecks.NonNegative(padding ?? 0, nameof(padding), nameof(ConvTranspose2d));
        this.output_padding = LayerChecks.NonNegative(output_padding ?? 0, nameof(output_padding), nameof(ConvTranspose2d));
        this.dilation = LayerChecks.Positive(dilation ?? 1, nameof(dilation), nameof(ConvTranspose2d));
        this.groups = groups;

        weight = Parameter.From(torch.empty(new[] { in_channels, out_channels / groups, kernel_size.Height, kernel_size.Width }, dtype, device));
        this.bias = bias ? Parameter.From(torch.empty(new[] { out_channels }, dtype, device)) : null;
        reset_parameters();
    }

    public long in_channels { get; }
    public long out_channels { get; }
    public Size2 kernel_size { get; }
    public Size2 stride { get; }
    public Size2 padding { get; }
    public Size2 output_padding { get; }
    public Size2 dilation { get; }
    public long groups { get; }

    public void reset_parameters() => LayerInit.KaimingUniformWithBias(weight, bias);

    public override Tensor forward(Tensor input) =>
        F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation);

    public override string extra_repr()
    {
        var s = $"{in_channels}, {out_channels}, kernel_size={PyRepr.Pair(kernel_size)}, stride={PyRepr.Pair(stride)}";
        if (padding != new Size2(0)) s += $", padding={PyRepr.Pair(padding)}";
        if (dilation != new Size2(1)) s += $", dilation={PyRepr.Pair(dilation)}";
        if (output_padding != new Size2(0)) s += $", output_padding={PyRepr.Pair(output_padding)}";
        if (groups != 1) s += $", groups={groups}";
        if (bias is null) s += ", bias=False";
        return s;
    }
}

/// <summary>Argument checks shared by the layers (PyTorch raises ValueError for these).</summary>
internal static class LayerChecks
{
    public static void Channels(long inChannels, long outChannels, long groups, string layer)
    {
        if (inChannels <= 0) throw new ArgumentException($"{layer}: in_channels must be positive, but got {inChannels}", "in_channels");
        if (outChannels <= 0) throw new ArgumentException($"{layer}: out_channels must be positive, but got {outChannels}", "out_channels");
        if (groups <= 0) throw new ArgumentException($"{layer}: groups must be a positive integer, but got {groups}", "groups");
        if (inChannels % groups != 0) throw new ArgumentException($"{layer}: in_channels must be divisible by groups", "in_channels");
        if (outChannels % groups != 0) throw new ArgumentException($"{layer}: out_channels must be divisible by groups", "out_channels");
    }

    public static Size2 Positive(Size2 size, string name, string layer)
    {
        if (size.Height <= 0 || size.Width <= 0) throw new ArgumentException($"{layer}: {name} must be positive, but got {size}", name);
        return size;
    }

    public static Size2 NonNegative(Size2 size, string name, string layer)
    {
        if (size.Height < 0 || size.Width < 0) throw new ArgumentException($"{layer}: {name} must be non-negative, but got {size}", name);
        return size;
    }

    public static long Positive(long value, string name, string layer)
    {
        if (value <= 0) throw new ArgumentException($"{layer}: {name} must be positive, but got {value}", name);
        return value;
    }

    public static long NonNegative(long value, string name, string layer)
    {
        if (value < 0) throw new ArgumentException($"{layer}: {name} must be non-negative, but got {value}", name);
        return value;
    }

    public static double Probability(double p, string layer)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentException($"{layer}: dropout probability has to be between 0 and 1, but got {PyRepr.Float(p)}", "p");
        return p;
    }
}

/// <summary>PyTorch's default initialisation of Linear and convolution layers.</summary>
internal static class LayerInit
{
    /// <summary>kaiming_uniform_(weight, a = √5); bias ~ U(−1/√fan_in, 1/√fan_in).</summary>
    public static void KaimingUniformWithBias(Parameter weight, Parameter? bias)
    {
        torch.nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is null) return;
        var (fanIn, _) = torch.nn.init._calculate_fan_in_and_fan_out(weight);
        double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        torch.nn.init.uniform_(bias, -bound, bound);
    }
}
