using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications (Howard et al., 2017);
// MobileNetV2: Inverted Residuals and Linear Bottlenecks (Sandler et al., 2018).

public static class Channels
{
    /// <summary>
    /// Rounds a channel count to a multiple of <paramref name="divisor"/> (at least the divisor) without
    /// going more than 10% below it — the rounding of every MobileNet and EfficientNet.
    /// </summary>
    public static long MakeDivisible(double value, long divisor = 8, long? minValue = null)
    {
        long min = minValue ?? divisor;
        long rounded = Math.Max(min, (long)(value + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * value) rounded += divisor;
        return rounded;
    }
}

/// <summary>
/// A depthwise separable convolution (MobileNet v1): a 3×3 depthwise convolution (one filter per
/// channel, groups = channels) then a 1×1 pointwise convolution mixing channels, each followed by
/// BN and ReLU. Costs 1/N + 1/k² of a standard convolution.
/// </summary>
public sealed class DepthwiseSeparableConv : nn.Module<Tensor, Tensor>
{
    private readonly Sequential depthwise;
    private readonly Sequential pointwise;

    public DepthwiseSeparableConv(long inChannels, long outChannels, long stride = 1) : base(nameof(DepthwiseSeparableConv))
    {
        depthwise = Blocks.ConvNormActivation(inChannels, inChannels, 3, stride, groups: inChannels);
        pointwise = Blocks.ConvNormActivation(inChannels, outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = depthwise.call(x);
        return pointwise.call(h);
    }
}

/// <summary>
/// MobileNet v1: a 3×3/2 convolution, thirteen depthwise separable convolutions (the paper's Table 1),
/// global average pool, fc. The width multiplier α thins every layer.
/// </summary>
public sealed class MobileNetV1 : nn.Module<Tensor, Tensor>
{
    /// <summary>The paper's Table 1 after the stem: (output channels, stride) of each depthwise separable block.</summary>
    public static readonly IReadOnlyList<(long Channels, long Stride)> Table =
    [
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
        (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
    ];

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Dropout dropout;
    private readonly Linear fc;

    public MobileNetV1(long numClasses = 1000, long inChannels = 3, double widthMultiplier = 1.0, bool small = false, double dropout = 0.0)
        : base(nameof(MobileNetV1))
    {
        if (widthMultiplier <= 0) throw new ArgumentOutOfRangeException(nameof(widthMultiplier), widthMultiplier, "width multiplier must be positive");
        long C(long c) => Math.Max(8, (long)(c * widthMultiplier));
        var layers = new List<nn.Module<Tensor, Tensor>> { Blocks.ConvNormActivation(inChannels, C(32), 3, stride: small ? 1 : 2) };
        long channels = C(32);
        int strided = 0;
        foreach (var (c, s) in Table)
        {
            // Small inputs keep only the last two of the table's four stride-2 blocks.
            long stride = s == 2 && small && strided++ < 2 ? 1 : s;
            layers.Add(new DepthwiseSeparableConv(channels, C(c), stride));
            channels = C(c);
        }
        features = nn.Sequential(layers);                                                   // N × 1024 × 7 × 7
        avgpool = nn.AdaptiveAvgPool2d(1);
        this.dropout = nn.Dropout(dropout);
        fc = nn.Linear(channels, numClasses);
        RegisterComponents();
        foreach (var m in modules())
        {
            switch (m)
            {
                case Conv2d conv: nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut); break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight);
                    nn.init.zeros_(bn.bias);
                    break;
            }
        }
    }

    public override Tensor forward(Tensor x)
    {
        var h = features.call(x);
        h = avgpool.call(h).flatten(1);
        return fc.call(dropout.call(h));
    }
}

/// <summary>
/// MobileNet v2's inverted residual: 1×1 expansion by t (ReLU6) → 3×3 depthwise (ReLU6) → 1×1 linear
/// projection (no activation), with a shortcut when the stride is 1 and the channels match. Keys: conv.0…
/// </summary>
public sealed class InvertedResidual : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv;
    private readonly bool useResidual;

    public InvertedResidual(long inChannels, long outChannels, long stride, long expandRatio, NormLayer? norm = null) : base(nameof(InvertedResidual))
    {
        if (stride is not (1 or 2)) throw new ArgumentException($"stride must be 1 or 2, got {stride}", nameof(stride));
        if (expandRatio < 1) throw new ArgumentOutOfRangeException(nameof(expandRatio), expandRatio, "expansion must be at least 1");
        norm ??= Blocks.BatchNorm;
        long hidden = (long)Math.Round((double)(inChannels * expandRatio), MidpointRounding.ToEven);
        useResidual = stride == 1 && inChannels == outChannels;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (expandRatio != 1) layers.Add(Blocks.ConvNormActivation(inChannels, hidden, 1, norm: norm, activation: Blocks.ReLU6));
        layers.Add(Blocks.ConvNormActivation(hidden, hidden, 3, stride, groups: hidden, norm: norm, activation: Blocks.ReLU6));
        layers.Add(Blocks.conv1x1(hidden, outChannels));
        layers.Add(norm(outChannels));
        conv = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = conv.call(x);
        return useResidual ? h + x : h;
    }
}

/// <summary>One row of MobileNet v2's Table 2: expansion t, output channels c, repeats n, first stride s.</summary>
public readonly record struct BottleneckRow(long t, long c, long n, long s);

/// <summary>
/// MobileNet v2: a 3×3/2 convolution, inverted residual blocks from the paper's t, c, n, s table,
/// a 1×1 convolution to 1280 channels, global pool, dropout, fc. Small form: stride 1 in the stem and
/// in the first two stride-2 rows, for 28–32 px inputs. <c>stemStride: 1</c> alone (the table's
/// strides kept) down-samples 16× instead of 32×: a 28-px image meets the maps a 56-px image meets in
/// the ImageNet network (28 → 14 → 7 → 4 → 2): 21.8 M MACs (one channel, 10 classes), against the small form's 227 M.
/// </summary>
public sealed class MobileNetV2 : nn.Module<Tensor, Tensor>
{
    /// <summary>The paper's Table 2.</summary>
    public static readonly IReadOnlyList<BottleneckRow> Table =
    [
        new(1, 16, 1, 1), new(6, 24, 2, 2), new(6, 32, 3, 2), new(6, 64, 4, 2), new(6, 96, 3, 1), new(6, 160, 3, 2), new(6, 320, 1, 1),
    ];

    private readonly Sequential features;
    private readonly Sequential classifier;

    /// <param name="stemStride">The stem's stride: by default 2, and 1 in the small form.</param>
    public MobileNetV2(long numClasses = 1000, long inChannels = 3, double widthMultiplier = 1.0, bool small = false, double dropout = 0.2,
                       long? stemStride = null)
        : base(nameof(MobileNetV2))
    {
        if (widthMultiplier <= 0) throw new ArgumentOutOfRangeException(nameof(widthMultiplier), widthMultiplier, "width multiplier must be positive");
        long stem = stemStride ?? (small ? 1 : 2);
        if (stem is not (1 or 2)) throw new ArgumentException($"MobileNetV2: the stem's stride must be 1 or 2, got {stem}", nameof(stemStride));
        long input = Channels.MakeDivisible(32 * widthMultiplier);
        long last = Channels.MakeDivisible(1280 * Math.Max(1.0, widthMultiplier));
        var layers = new List<nn.Module<Tensor, Tensor>> { Blocks.ConvNormActivation(inChannels, input, 3, stride: stem, activation: Blocks.ReLU6) };
        int strided = 0;
        foreach (var (t, c, n, s) in Table)
        {
            long output = Channels.MakeDivisible(c * widthMultiplier);
            long first = s == 2 && small && strided++ < 2 ? 1 : s;
            for (int i = 0; i < n; i++)
            {
                layers.Add(new InvertedResidual(input, output, i == 0 ? first : 1, t));
                input = output;
            }
        }
        layers.Add(Blocks.ConvNormActivation(input, last, 1, activation: Blocks.ReLU6));  // N × 1280 × 7 × 7
        features = nn.Sequential(layers);
        classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(last, numClasses));
        RegisterComponents();
        Blocks.InitializeWeights(this, Blocks.SmallNormalLinear);
    }

    public override Tensor forward(Tensor x)
    {
        var h = features.call(x);
        h = nn.functional.adaptive_avg_pool2d(h, 1).flatten(1);
        return classifier.call(h);
    }
}

/// <summary>
/// What MobileNet v3's inverted residual and EfficientNet's MBConv share: a Sequential <c>block</c>
/// (expand, depthwise, squeeze-and-excitation, project) and a shortcut when the stride is 1 and the
/// channels match.
/// </summary>
public abstract class InvertedBottleneck : nn.Module<Tensor, Tensor>
{
    private readonly Sequential block;
    private readonly bool useResidual;

    protected InvertedBottleneck(string name, Sequential block, bool useResidual) : base(name)
    {
        this.block = block;
        this.useResidual = useResidual;
    }

    /// <summary>What happens to the residual branch before the addition (stochastic depth in MBConv).</summary>
    protected virtual Tensor Branch(Tensor h) => h;

    public override Tensor forward(Tensor x)
    {
        var h = block.call(x);
        return useResidual ? Branch(h) + x : h;
    }
}
