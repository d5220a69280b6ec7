using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks (Tan & Le, 2019).

/// <summary>One row of EfficientNet-B0's stage table (the paper's Table 1).</summary>
public sealed record MBConvStage(long ExpandRatio, long Kernel, long Stride, long InChannels, long OutChannels, int Layers);

/// <summary>A variant's scaling: width and depth multipliers, input resolution, dropout.</summary>
public sealed record EfficientNetScaling(string Name, double Width, double Depth, int Resolution, double Dropout, int WeightsResolution)
{
    /// <summary>
    /// The compound-scaling rule of the paper: depth α^φ, width β^φ, resolution 224·γ^φ, with
    /// α·β²·γ² ≈ 2 so that FLOPs grow about 2^φ. (The published B1–B7 were tuned around these values.)
    /// </summary>
    public static (double Depth, double Width, double Resolution) Compound(double phi, double alpha = 1.2, double beta = 1.1, double gamma = 1.15) =>
        (Math.Pow(alpha, phi), Math.Pow(beta, phi), 224 * Math.Pow(gamma, phi));
}

/// <summary>
/// MBConv: 1×1 expansion (SiLU) → k×k depthwise (SiLU) → squeeze-and-excitation → 1×1 projection,
/// with stochastic depth on the residual branch when the shortcut applies. Keys: block.0…, stochastic_depth.
/// </summary>
public sealed class MBConv : InvertedBottleneck
{
    private readonly StochasticDepth stochastic_depth;

    public MBConv(long inChannels, long outChannels, long expandRatio, long kernel, long stride, double stochasticDepth, NormLayer norm)
        : base(nameof(MBConv), Block(inChannels, outChannels, expandRatio, kernel, stride, norm), stride == 1 && inChannels == outChannels)
    {
        stochastic_depth = new StochasticDepth(stochasticDepth, "row");
        RegisterComponents();
    }

    private static Sequential Block(long inChannels, long outChannels, long expandRatio, long kernel, long stride, NormLayer norm)
    {
        if (stride is not (1 or 2)) throw new ArgumentException($"stride must be 1 or 2, got {stride}", nameof(stride));
        if (expandRatio < 1) throw new ArgumentOutOfRangeException(nameof(expandRatio), expandRatio, "expansion must be at least 1");
        long expanded = Channels.MakeDivisible(inChannels * expandRatio);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (expanded != inChannels) layers.Add(Blocks.ConvNormActivation(inChannels, expanded, 1, norm: norm, activation: Blocks.SiLU));
        layers.Add(Blocks.ConvNormActivation(expanded, expanded, kernel, stride, groups: expanded, norm: norm, activation: Blocks.SiLU));
        layers.Add(new SqueezeExcitation(expanded, Math.Max(1, inChannels / 4), Blocks.SiLU));
        layers.Add(Blocks.ConvNormActivation(expanded, outChannels, 1, norm: norm, useActivation: false));
        return nn.Sequential(layers);
    }

    protected override Tensor Branch(Tensor h) => stochastic_depth.call(h);
}

/// <summary>
/// EfficientNet-B0…B7: a 3×3/2 stem, seven MBConv stages from the B0 table scaled in width (channels
/// rounded to multiples of 8) and depth (layers rounded up), a 1×1 head to 4× the last stage's
/// channels, global pool, dropout, fc. Small form: stride 1 in the stem and in the first two
/// stride-2 stages, for 28–32 px inputs. <c>stemStride: 1</c> alone (the table's strides kept)
/// down-samples 16× instead of 32×: a 28-px image meets the maps a 56-px image meets in the ImageNet
/// network (28 → 14 → 7 → 4 → 2): B0 29.2 M MACs (one channel, 10 classes), against the small form's 312 M.
/// </summary>
public sealed class EfficientNet : nn.Module<Tensor, Tensor>
{
    /// <summary>EfficientNet-B0's stages: expansion, kernel, stride, input and output channels, layers.</summary>
    public static readonly IReadOnlyList<MBConvStage> B0 =
    [
        new(1, 3, 1, 32, 16, 1),        // N × 16 × 112 × 112
        new(6, 3, 2, 16, 24, 2),        // N × 24 × 56 × 56
        new(6, 5, 2, 24, 40, 2),        // N × 40 × 28 × 28
        new(6, 3, 2, 40, 80, 3),        // N × 80 × 14 × 14
        new(6, 5, 1, 80, 112, 3),       // N × 112 × 14 × 14
        new(6, 5, 2, 112, 192, 4),      // N × 192 × 7 × 7
        new(6, 3, 1, 192, 320, 1),      // N × 320 × 7 × 7
    ];

    /// <summary>
    /// The published variants (the official implementation's table, also torchvision's): width and
    /// depth multipliers, the paper's resolution, dropout, and the resolution torchvision's weights use.
    /// </summary>
    public static readonly IReadOnlyList<EfficientNetScaling> Variants =
    [
        new("b0", 1.0, 1.0, 224, 0.2, 224),
        new("b1", 1.0, 1.1, 240, 0.2, 240),
        new("b2", 1.1, 1.2, 260, 0.3, 288),
        new("b3", 1.2, 1.4, 300, 0.3, 300),
        new("b4", 1.4, 1.8, 380, 0.4, 380),
        new("b5", 1.6, 2.2, 456, 0.4, 456),
        new("b6", 1.8, 2.6, 528, 0.5, 528),
        new("b7", 2.0, 3.1, 600, 0.5, 600),
    ];

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    /// <param name="stemStride">The stem's stride: by default 2, and 1 in the small form.</param>
    public EfficientNet(EfficientNetScaling scaling, long numClasses = 1000, long inChannels = 3, bool small = false,
                        double stochasticDepth = 0.2, NormLayer? norm = null, long? stemStride = null) : base(nameof(EfficientNet))
    {
        if (scaling.Width <= 0 || scaling.Depth <= 0)
            throw new ArgumentException($"width and depth multipliers must be positive, got {scaling.Width} and {scaling.Depth}", nameof(scaling));
        long stem = stemStride ?? (small ? 1 : 2);
        if (stem is not (1 or 2)) throw new ArgumentException($"EfficientNet: the stem's stride must be 1 or 2, got {stem}", nameof(stemStride));
        Scaling = scaling;
        // torchvision's B5–B7 keep the TensorFlow weights' batch-norm settings.
        norm ??= scaling.Width >= 1.6 ? Blocks.BatchNormWith(eps: 1e-3, momentum: 0.01) : Blocks.BatchNorm;
        long Width(long c) => Channels.MakeDivisible(c * scaling.Width);
        int Depth(int layers) => (int)Math.Ceiling(layers * scaling.Depth);

        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            Blocks.ConvNormActivation(inChannels, Width(B0[0].InChannels), 3, stride: stem, norm: norm, activation: Blocks.SiLU),
        };
        int totalBlocks = B0.Sum(s => Depth(s.Layers));
        int blockId = 0, strided = 0;
        foreach (var stage in B0)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            long stageStride = stage.Stride == 2 && small && strided++ < 2 ? 1 : stage.Stride;
            for (int i = 0; i < Depth(stage.Layers); i++)
            {
                long input = i == 0 ? Width(stage.InChannels) : Width(stage.OutChannels);
                double sd = stochasticDepth * blockId / totalBlocks;   // grows linearly with depth
                blocks.Add(new MBConv(input, Width(stage.OutChannels), stage.ExpandRatio, stage.Kernel, i == 0 ? stageStride : 1, sd, norm));
                blockId++;
            }
            layers.Add(nn.Sequential(blocks));
        }
        long lastInput = Width(B0[^1].OutChannels);
        long lastOutput = 4 * lastInput;
        layers.Add(Blocks.ConvNormActivation(lastInput, lastOutput, 1, norm: norm, activation: Blocks.SiLU));   // N × 1280 × 7 × 7 (B0)
        features = nn.Sequential(layers);
        avgpool = nn.AdaptiveAvgPool2d(1);
        classifier = nn.Sequential(nn.Dropout(scaling.Dropout, inplace: true), nn.Linear(lastOutput, numClasses));
        RegisterComponents();

        Blocks.InitializeWeights(this, linear =>
        {
            double range = 1.0 / Math.Sqrt(linear.out_features);
            nn.init.uniform_(linear.weight, -range, range);
            nn.init.zeros_(linear.bias);
        });
    }

    public EfficientNetScaling Scaling { get; }

    public override Tensor forward(Tensor x)
    {
        var h = features.call(x);
        h = avgpool.call(h).flatten(1);
        return classifier.call(h);
    }
}
