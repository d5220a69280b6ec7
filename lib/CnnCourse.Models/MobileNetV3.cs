using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// Searching for MobileNetV3 (Howard et al., 2019).

/// <summary>One row of MobileNet v3's Table 1 or 2 ("bneck" rows): kernel, expansion and output channels,
/// squeeze-and-excitation, hard-swish (HS) or ReLU (RE), stride.</summary>
public sealed record InvertedResidualConfig(long InputChannels, long Kernel, long ExpandedChannels, long OutChannels,
                                            bool UseSE, bool UseHardswish, long Stride, long Dilation = 1)
{
    /// <summary>The row with every channel count scaled by the width multiplier, rounded to multiples of 8.</summary>
    public InvertedResidualConfig Scaled(double widthMultiplier) => this with
    {
        InputChannels = Channels.MakeDivisible(InputChannels * widthMultiplier),
        ExpandedChannels = Channels.MakeDivisible(ExpandedChannels * widthMultiplier),
        OutChannels = Channels.MakeDivisible(OutChannels * widthMultiplier),
    };
}

/// <summary>
/// MobileNet v3's inverted residual: [1×1 expansion] → k×k depthwise → [squeeze-and-excitation with a
/// hard-sigmoid gate] → 1×1 linear projection; hard-swish or ReLU by row. Keys: block.0…
/// </summary>
public sealed class InvertedResidualV3 : InvertedBottleneck
{
    public InvertedResidualV3(InvertedResidualConfig row, NormLayer norm) : base(nameof(InvertedResidualV3), Block(row, norm), UsesResidual(row))
    {
        RegisterComponents();
    }

    private static bool UsesResidual(InvertedResidualConfig row) => row.Stride == 1 && row.InputChannels == row.OutChannels;

    private static Sequential Block(InvertedResidualConfig row, NormLayer norm)
    {
        if (row.Stride is not (1 or 2)) throw new ArgumentException($"stride must be 1 or 2, got {row.Stride}", nameof(row));
        var activation = row.UseHardswish ? Blocks.Hardswish : Blocks.ReLU;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (row.ExpandedChannels != row.InputChannels)
            layers.Add(Blocks.ConvNormActivation(row.InputChannels, row.ExpandedChannels, 1, norm: norm, activation: activation));
        long stride = row.Dilation > 1 ? 1 : row.Stride;   // a dilated row keeps the resolution
        layers.Add(Blocks.ConvNormActivation(row.ExpandedChannels, row.ExpandedChannels, row.Kernel, stride, groups: row.ExpandedChannels,
                                             norm: norm, activation: activation, dilation: row.Dilation));
        if (row.UseSE)
        {
            long squeeze = Channels.MakeDivisible(row.ExpandedChannels / 4);
            layers.Add(new SqueezeExcitation(row.ExpandedChannels, squeeze, Blocks.ReLU, () => nn.Hardsigmoid()));
        }
        layers.Add(Blocks.ConvNormActivation(row.ExpandedChannels, row.OutChannels, 1, norm: norm, useActivation: false));
        return nn.Sequential(layers);
    }
}

/// <summary>
/// MobileNet v3 (Large and Small): a 3×3/2 hard-swish stem, the searched "bneck" rows, a 1×1
/// convolution to 6× the last row's channels, global pool, then a 2-layer classifier (Linear →
/// hard-swish → dropout → Linear), as torchvision's. Batch norms use eps 0.001 and momentum 0.01.
/// Small form: stride 1 in the stem and in the first two stride-2 rows, for 28–32 px inputs.
/// </summary>
public sealed class MobileNetV3 : nn.Module<Tensor, Tensor>
{
    private const bool RE = false, HS = true;

    /// <summary>The paper's Table 1 (MobileNetV3-Large): input, kernel, expansion, output, SE, HS, stride.</summary>
    public static readonly IReadOnlyList<InvertedResidualConfig> Large =
    [
        new(16, 3, 16, 16, false, RE, 1),
        new(16, 3, 64, 24, false, RE, 2),       // N × 24 × 56 × 56
        new(24, 3, 72, 24, false, RE, 1),
        new(24, 5, 72, 40, true, RE, 2),        // N × 40 × 28 × 28
        new(40, 5, 120, 40, true, RE, 1),
        new(40, 5, 120, 40, true, RE, 1),
        new(40, 3, 240, 80, false, HS, 2),      // N × 80 × 14 × 14
        new(80, 3, 200, 80, false, HS, 1),
        new(80, 3, 184, 80, false, HS, 1),
        new(80, 3, 184, 80, false, HS, 1),
        new(80, 3, 480, 112, true, HS, 1),
        new(112, 3, 672, 112, true, HS, 1),
        new(112, 5, 672, 160, true, HS, 2),     // N × 160 × 7 × 7
        new(160, 5, 960, 160, true, HS, 1),
        new(160, 5, 960, 160, true, HS, 1),
    ];

    /// <summary>The paper's Table 2 (MobileNetV3-Small).</summary>
    public static readonly IReadOnlyList<InvertedResidualConfig> Small =
    [
        new(16, 3, 16, 16, true, RE, 2),        // N × 16 × 56 × 56
        new(16, 3, 72, 24, false, RE, 2),       // N × 24 × 28 × 28
        new(24, 3, 88, 24, false, RE, 1),
        new(24, 5, 96, 40, true, HS, 2),        // N × 40 × 14 × 14
        new(40, 5, 240, 40, true, HS, 1),
        new(40, 5, 240, 40, true, HS, 1),
        new(40, 5, 120, 48, true, HS, 1),
        new(48, 5, 144, 48, true, HS, 1),
        new(48, 5, 288, 96, true, HS, 2),       // N × 96 × 7 × 7
        new(96, 5, 576, 96, true, HS, 1),
        new(96, 5, 576, 96, true, HS, 1),
    ];

    /// <summary>The classifier's hidden width: 1280 for Large, 1024 for Small.</summary>
    public const long LargeLastChannel = 1280, SmallLastChannel = 1024;

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    public MobileNetV3(IReadOnlyList<InvertedResidualConfig> rows, long lastChannel, long numClasses = 1000, long inChannels = 3,
                       bool small = false, double widthMultiplier = 1.0, double dropout = 0.2) : base(nameof(MobileNetV3))
    {
        if (rows is not { Count: > 0 }) throw new ArgumentException("MobileNet v3 needs at least one bneck row", nameof(rows));
        if (widthMultiplier <= 0) throw new ArgumentOutOfRangeException(nameof(widthMultiplier), widthMultiplier, "width multiplier must be positive");
        var norm = Blocks.BatchNormWith(eps: 0.001, momentum: 0.01);
        var scaled = rows.Select(r => r.Scaled(widthMultiplier)).ToList();
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            Blocks.ConvNormActivation(inChannels, scaled[0].InputChannels, 3, stride: small ? 1 : 2, norm: norm, activation: Blocks.Hardswish),
        };
        int strided = 0;
        foreach (var row in scaled)
        {
            bool keepResolution = row.Stride == 2 && small && strided++ < 2;
            layers.Add(new InvertedResidualV3(keepResolution ? row with { Stride = 1 } : row, norm));
        }
        long lastInput = scaled[^1].OutChannels;
        long lastOutput = 6 * lastInput;
        layers.Add(Blocks.ConvNormActivation(lastInput, lastOutput, 1, norm: norm, activation: Blocks.Hardswish));   // N × 960 × 7 × 7 (Large)
        features = nn.Sequential(layers);
        avgpool = nn.AdaptiveAvgPool2d(1);
        long hidden = Channels.MakeDivisible(lastChannel * widthMultiplier);
        classifier = nn.Sequential(
            nn.Linear(lastOutput, hidden), nn.Hardswish(inplace: true), nn.Dropout(dropout, inplace: true),
            nn.Linear(hidden, numClasses));
        RegisterComponents();
        Blocks.InitializeWeights(this, Blocks.SmallNormalLinear);
    }

    public override Tensor forward(Tensor x)
    {
        var h = features.call(x);
        h = avgpool.call(h).flatten(1);
        return classifier.call(h);
    }
}
