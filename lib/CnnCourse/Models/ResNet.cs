using TorchSharp.Modules;
using static CnnCourse.Models.Blocks;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// Deep Residual Learning (He et al., 2015), Identity Mappings in Deep Residual Networks (He et al.,
// 2016), Aggregated Residual Transformations (Xie et al., 2017), Squeeze-and-Excitation Networks
// (Hu et al., 2018), Wide Residual Networks (Zagoruyko & Komodakis, 2016).

/// <summary>How a residual block is wired.</summary>
public enum ResidualVariant
{
    /// <summary>conv-bn-relu-conv-bn, add the shortcut, relu (the 2015 paper).</summary>
    Standard,
    /// <summary>bn-relu-conv twice, add the shortcut, no relu after the addition (the 2016 paper).</summary>
    PreActivation,
    /// <summary>Standard, with a Squeeze-and-Excitation block re-weighting the residual's channels.</summary>
    SqueezeExcitation,
    /// <summary>Standard without the shortcut: the "plain" network of the degradation experiment.</summary>
    Plain,
}

/// <summary>A ResNet's architecture, written like the paper's table.</summary>
/// <param name="Bottleneck">Bottleneck blocks (1×1, 3×3, 1×1; expansion 4) or basic blocks (3×3, 3×3).</param>
/// <param name="Layers">Blocks per stage (conv2_x … conv5_x).</param>
/// <param name="Groups">Grouped convolution's cardinality (ResNeXt).</param>
/// <param name="WidthPerGroup">Channels per group at the first stage (64 = ResNet; 128 = Wide ResNet-2).</param>
public sealed record ResNetConfig(bool Bottleneck, int[] Layers, int Groups = 1, int WidthPerGroup = 64,
                                  ResidualVariant Variant = ResidualVariant.Standard, int SeReduction = 16)
{
    public int Expansion => Bottleneck ? CnnCourse.Models.Bottleneck.expansion : BasicBlock.expansion;

    /// <summary>The paper's depth: 2 (basic) or 3 (bottleneck) layers per block, plus stem and classifier.</summary>
    public int Depth => Layers.Sum() * (Bottleneck ? 3 : 2) + 2;
}

/// <summary>
/// What BasicBlock and Bottleneck share after their convolutions: the optional squeeze-and-excitation,
/// the shortcut (identity or <c>downsample</c>), and the ReLU after the addition.
/// </summary>
public abstract class ResidualBlock : nn.Module<Tensor, Tensor>
{
    protected readonly nn.Module<Tensor, Tensor> relu;
    private readonly SqueezeExcitation? se;
    private readonly nn.Module<Tensor, Tensor>? downsample;
    private readonly bool residual;

    protected ResidualBlock(string name, long outChannels, nn.Module<Tensor, Tensor>? downsample, bool residual, int seReduction) : base(name)
    {
        if (seReduction < 0) throw new ArgumentOutOfRangeException(nameof(seReduction), seReduction, "0 (no SE) or a positive reduction");
        relu = nn.ReLU(inplace: true);
        se = seReduction > 0 ? new SqueezeExcitation(outChannels, Math.Max(1, outChannels / seReduction)) : null;
        this.downsample = downsample;
        this.residual = residual;
    }

    /// <summary>The batch norm closing the residual branch (zero-initialised on request).</summary>
    internal abstract nn.Module<Tensor, Tensor> LastNorm { get; }

    protected Tensor AddShortcut(Tensor @out, Tensor x)
    {
        if (se is not null) @out = se.call(@out);
        if (residual) @out = @out + (downsample is null ? x : downsample.call(x));
        return relu.call(@out);
    }
}

/// <summary>Basic residual block: two 3×3 convolutions (ResNet-18/34). Keys: conv1, bn1, conv2, bn2, downsample, se.</summary>
public sealed class BasicBlock : ResidualBlock
{
    public const int expansion = 1;

    private readonly Conv2d conv1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly Conv2d conv2;
    private readonly nn.Module<Tensor, Tensor> bn2;

    public BasicBlock(long inplanes, long planes, long stride = 1, nn.Module<Tensor, Tensor>? downsample = null, NormLayer? norm = null,
                      bool residual = true, int seReduction = 0, int groups = 1, int baseWidth = 64)
        : base(nameof(BasicBlock), planes * expansion, downsample, residual, seReduction)
    {
        if (groups != 1 || baseWidth != 64)
            throw new ArgumentException($"BasicBlock supports only groups=1 and baseWidth=64 (got " +
                $"{groups} and {baseWidth}); ResNeXt and Wide ResNet use Bottleneck", nameof(groups));
        norm ??= Blocks.BatchNorm;
        conv1 = conv3x3(inplanes, planes, stride);
        bn1 = norm(planes);
        conv2 = conv3x3(planes, planes);
        bn2 = norm(planes);
        RegisterComponents();
    }

    internal override nn.Module<Tensor, Tensor> LastNorm => bn2;

    public override Tensor forward(Tensor x)
    {
        var @out = relu.call(bn1.call(conv1.call(x)));
        @out = bn2.call(conv2.call(@out));
        return AddShortcut(@out, x);
    }
}

/// <summary>
/// Bottleneck block: 1×1 reduce, 3×3 (grouped for ResNeXt), 1×1 expand ×4 (ResNet-50 and deeper).
/// The stride sits on the 3×3 convolution, as torchvision's "ResNet v1.5". Keys: conv1…3, bn1…3, downsample, se.
/// </summary>
public sealed class Bottleneck : ResidualBlock
{
    public const int expansion = 4;

    private readonly Conv2d conv1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly Conv2d conv2;
    private readonly nn.Module<Tensor, Tensor> bn2;
    private readonly Conv2d conv3;
    private readonly nn.Module<Tensor, Tensor> bn3;

    public Bottleneck(long inplanes, long planes, long stride = 1, nn.Module<Tensor, Tensor>? downsample = null, int groups = 1, int baseWidth = 64,
                      NormLayer? norm = null, bool residual = true, int seReduction = 0)
        : base(nameof(Bottleneck), planes * expansion, downsample, residual, seReduction)
    {
        norm ??= Blocks.BatchNorm;
        long width = Width(planes, groups, baseWidth);
        conv1 = conv1x1(inplanes, width);
        bn1 = norm(width);
        conv2 = conv3x3(width, width, stride, groups);
        bn2 = norm(width);
        conv3 = conv1x1(width, planes * expansion);
        bn3 = norm(planes * expansion);
        RegisterComponents();
    }

    internal override nn.Module<Tensor, Tensor> LastNorm => bn3;

    /// <summary>The 3×3 convolution's channels: planes scaled by baseWidth/64, times the groups (ResNeXt, Wide ResNet).</summary>
    internal static long Width(long planes, int groups, int baseWidth) => (long)(planes * (baseWidth / 64.0)) * groups;

    public override Tensor forward(Tensor x)
    {
        var @out = relu.call(bn1.call(conv1.call(x)));
        @out = relu.call(bn2.call(conv2.call(@out)));
        @out = bn3.call(conv3.call(@out));
        return AddShortcut(@out, x);
    }
}

/// <summary>
/// What the two pre-activation blocks share: the first bn-relu on the block's input, which both the
/// residual branch and a projection shortcut see (the paper's full pre-activation unit).
/// </summary>
public abstract class PreActivationBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> bn1;
    protected readonly nn.Module<Tensor, Tensor> relu;
    private readonly nn.Module<Tensor, Tensor>? downsample;

    protected PreActivationBlock(string name, long inplanes, nn.Module<Tensor, Tensor>? downsample, NormLayer norm) : base(name)
    {
        bn1 = norm(inplanes);
        relu = nn.ReLU(inplace: false);   // the block's input is the next block's shortcut: never overwrite it
        this.downsample = downsample;
    }

    /// <summary>The pre-activated input and the shortcut.</summary>
    protected (Tensor Pre, Tensor Shortcut) PreActivate(Tensor x)
    {
        var pre = relu.call(bn1.call(x));
        var shortcut = downsample is null ? x : downsample.call(pre);
        return (pre, shortcut);
    }
}

/// <summary>Pre-activation basic block (He et al., 2016): bn-relu-conv, bn-relu-conv, plus the shortcut.</summary>
public sealed class PreActBasicBlock : PreActivationBlock
{
    public const int expansion = 1;

    private readonly Conv2d conv1;
    private readonly nn.Module<Tensor, Tensor> bn2;
    private readonly Conv2d conv2;

    public PreActBasicBlock(long inplanes, long planes, long stride = 1, nn.Module<Tensor, Tensor>? downsample = null, NormLayer? norm = null)
        : base(nameof(PreActBasicBlock), inplanes, downsample, norm ?? Blocks.BatchNorm)
    {
        conv1 = conv3x3(inplanes, planes, stride);
        bn2 = (norm ?? Blocks.BatchNorm)(planes);
        conv2 = conv3x3(planes, planes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (pre, shortcut) = PreActivate(x);
        var @out = conv1.call(pre);
        @out = conv2.call(relu.call(bn2.call(@out)));
        return @out + shortcut;
    }
}

/// <summary>Pre-activation bottleneck block (He et al., 2016).</summary>
public sealed class PreActBottleneck : PreActivationBlock
{
    public const int expansion = 4;

    private readonly Conv2d conv1;
    private readonly nn.Module<Tensor, Tensor> bn2;
    private readonly Conv2d conv2;
    private readonly nn.Module<Tensor, Tensor> bn3;
    private readonly Conv2d conv3;

    public PreActBottleneck(long inplanes, long planes, long stride = 1, nn.Module<Tensor, Tensor>? downsample = null, int groups = 1,
                            int baseWidth = 64, NormLayer? norm = null)
        : base(nameof(PreActBottleneck), inplanes, downsample, norm ?? Blocks.BatchNorm)
    {
        norm ??= Blocks.BatchNorm;
        long width = Bottleneck.Width(planes, groups, baseWidth);
        conv1 = conv1x1(inplanes, width);
        bn2 = norm(width);
        conv2 = conv3x3(width, width, stride, groups);
        bn3 = norm(width);
        conv3 = conv1x1(width, planes * expansion);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (pre, shortcut) = PreActivate(x);
        var @out = conv1.call(pre);
        @out = conv2.call(relu.call(bn2.call(@out)));
        @out = conv3.call(relu.call(bn3.call(@out)));
        return @out + shortcut;
    }
}

/// <summary>
/// ResNet and its variants. ImageNet form: conv1 7×7/2 → maxpool 3×3/2 → layer1…layer4 → global
/// average pool → fc, with torchvision's state-dict keys. Small form (<c>small: true</c>): a 3×3
/// stride-1 stem and no max-pool, for 28–32 px inputs.
/// </summary>
public sealed class ResNet : nn.Module<Tensor, Tensor>
{
    // ---- the paper's Table 1, and the variants ---------------------------------------------
    public static readonly ResNetConfig ResNet18 = new(Bottleneck: false, Layers: [2, 2, 2, 2]);
    public static readonly ResNetConfig ResNet34 = new(Bottleneck: false, Layers: [3, 4, 6, 3]);
    public static readonly ResNetConfig ResNet50 = new(Bottleneck: true, Layers: [3, 4, 6, 3]);
    public static readonly ResNetConfig ResNet101 = new(Bottleneck: true, Layers: [3, 4, 23, 3]);
    public static readonly ResNetConfig ResNet152 = new(Bottleneck: true, Layers: [3, 8, 36, 3]);
    public static readonly ResNetConfig WideResNet50_2 = ResNet50 with { WidthPerGroup = 128 };
    public static readonly ResNetConfig ResNeXt50_32x4d = ResNet50 with { Groups = 32, WidthPerGroup = 4 };

    private readonly Conv2d conv1;
    private readonly nn.Module<Tensor, Tensor>? bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly nn.Module<Tensor, Tensor> maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly nn.Module<Tensor, Tensor>? final_bn; // pre-activation networks normalise once more before pooling
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    private readonly NormLayer norm;
    private long inplanes = 64;

    public ResNet(ResNetConfig config, long numClasses = 1000, long inChannels = 3, bool small = false,
                  bool zeroInitResidual = false, NormLayer? norm = null) : base(nameof(ResNet))
    {
        if (config.Layers is not { Length: 4 } || config.Layers.Any(n => n < 1))
            throw new ArgumentException($"a ResNet has four stages of at least one block, got [{string.Join(", ", config.Layers ?? [])}]", nameof(config));
        if (config.Groups < 1 || config.WidthPerGroup < 1)
            throw new ArgumentException($"groups and width per group must be positive, got {config.Groups} and {config.WidthPerGroup}", nameof(config));
        if (!config.Bottleneck && (config.Groups != 1 || config.WidthPerGroup != 64))
            throw new ArgumentException($"basic blocks support only Groups=1 and WidthPerGroup=64 (got {config.Groups} " +
                $"and {config.WidthPerGroup}); ResNeXt and Wide ResNet need Bottleneck", nameof(config));
        Config = config;
        this.norm = norm ?? Blocks.BatchNorm;
        bool preAct = config.Variant == ResidualVariant.PreActivation;
        conv1 = small ? nn.Conv2d(inChannels, 64, 3, stride: 1, padding: 1, bias: false)
                      : nn.Conv2d(inChannels, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = preAct ? null : this.norm(64);
        relu = nn.ReLU(inplace: true);
        maxpool = small ? nn.Identity() : nn.MaxPool2d(3, stride: 2, padding: 1);
        layer1 = MakeLayer(64, config.Layers[0]);                  // N × 64·e × 56 × 56
        layer2 = MakeLayer(128, config.Layers[1], stride: 2);      // N × 128·e × 28 × 28
        layer3 = MakeLayer(256, config.Layers[2], stride: 2);      // N × 256·e × 14 × 14
        layer4 = MakeLayer(512, config.Layers[3], stride: 2);      // N × 512·e × 7 × 7
        final_bn = preAct ? this.norm(512 * config.Expansion) : null;
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(512 * config.Expansion, numClasses);
        RegisterComponents();

        foreach (var m in modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight);
                    nn.init.zeros_(bn.bias);
                    break;
            }
        }
        // Start each residual branch as the identity: its last batch norm scales by zero (after the loop above set it to one).
        if (zeroInitResidual)
            foreach (var block in modules().OfType<ResidualBlock>())
                if (block.LastNorm is BatchNorm2d last) nn.init.zeros_(last.weight);
    }

    public ResNetConfig Config { get; }

    private Sequential MakeLayer(long planes, int blocks, long stride = 1)
    {
        long expansion = Config.Expansion;
        bool preAct = Config.Variant == ResidualVariant.PreActivation;
        nn.Module<Tensor, Tensor>? downsample = null;
        if (stride != 1 || inplanes != planes * expansion)
        {
            var projection = conv1x1(inplanes, planes * expansion, stride);
            // A pre-activation shortcut is the bare projection: the block normalised its input already.
            downsample = preAct ? nn.Sequential(projection) : nn.Sequential(projection, norm(planes * expansion));
        }
        var layers = new List<nn.Module<Tensor, Tensor>> { MakeBlock(planes, stride, downsample) };
        inplanes = planes * expansion;
        for (int i = 1; i < blocks; i++) layers.Add(MakeBlock(planes, 1, null));
        return nn.Sequential(layers);
    }

    private nn.Module<Tensor, Tensor> MakeBlock(long planes, long stride, nn.Module<Tensor, Tensor>? downsample)
    {
        var c = Config;
        bool residual = c.Variant != ResidualVariant.Plain;
        int se = c.Variant == ResidualVariant.SqueezeExcitation ? c.SeReduction : 0;
        return (c.Bottleneck, c.Variant) switch
        {
            (false, ResidualVariant.PreActivation) => new PreActBasicBlock(inplanes, planes, stride, downsample, norm),
            (true, ResidualVariant.PreActivation) => new PreActBottleneck(inplanes, planes, stride, downsample, c.Groups, c.WidthPerGroup, norm),
            (false, _) => new BasicBlock(inplanes, planes, stride, downsample, norm, residual, se),
            (true, _) => new Bottleneck(inplanes, planes, stride, downsample, c.Groups, c.WidthPerGroup, norm, residual, se),
        };
    }

    private Tensor Stem(Tensor x)
    {
        var h = conv1.call(x);
        if (bn1 is not null) h = relu.call(bn1.call(h));
        return maxpool.call(h);
    }

    private Tensor Head(Tensor c5) => final_bn is null ? c5 : relu.call(final_bn.call(c5));

    /// <summary>The stage outputs C2…C5 (strides 4, 8, 16, 32), as a detection backbone (FPN) uses them.</summary>
    public IReadOnlyList<(string Name, Tensor Features)> forward_features(Tensor x)
    {
        var c2 = layer1.call(Stem(x));
        var c3 = layer2.call(c2);
        var c4 = layer3.call(c3);
        var c5 = Head(layer4.call(c4));
        return [("C2", c2), ("C3", c3), ("C4", c4), ("C5", c5)];
    }

    public override Tensor forward(Tensor x)
    {
        var h = Stem(x);
        h = layer1.call(h);
        h = layer2.call(h);
        h = layer3.call(h);
        h = Head(layer4.call(h));
        h = avgpool.call(h).flatten(1);
        return fc.call(h);
    }
}

/// <summary>
/// The CIFAR ResNets of the 2015 paper (§4.2): a 3×3 conv with 16 filters, three stages of n basic
/// blocks with 16, 32, 64 filters on 32×32, 16×16, 8×8 maps, global average pool, fc: depth 6n+2
/// (ResNet-20, 32, 44, 56, 110). Shortcuts are parameter-free (option A): strided subsampling and
/// zero-padded channels. <c>plain: true</c> drops the shortcuts (the degradation experiment).
/// </summary>
public sealed class CifarResNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    public CifarResNet(int depth, long numClasses = 10, long inChannels = 3, bool plain = false) : base(nameof(CifarResNet))
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
            throw new ArgumentException($"a CIFAR ResNet's depth is 6n+2 (20, 32, 44, 56, 110, …), got {depth}", nameof(depth));
        int n = (depth - 2) / 6;
        Depth = depth;
        conv1 = conv3x3(inChannels, 16);
        bn1 = nn.BatchNorm2d(16);
        relu = nn.ReLU(inplace: true);
        layer1 = Stage(16, 16, n, 1, plain);   // N × 16 × 32 × 32
        layer2 = Stage(16, 32, n, 2, plain);   // N × 32 × 16 × 16
        layer3 = Stage(32, 64, n, 2, plain);   // N × 64 × 8 × 8
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(64, numClasses);
        RegisterComponents();
        foreach (var m in modules())
            if (m is Conv2d conv) nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
    }

    public int Depth { get; }

    private static Sequential Stage(long inPlanes, long planes, int blocks, long stride, bool plain)
    {
        var layers = new List<nn.Module<Tensor, Tensor>> { new CifarBasicBlock(inPlanes, planes, stride, !plain) };
        for (int i = 1; i < blocks; i++) layers.Add(new CifarBasicBlock(planes, planes, 1, !plain));
        return nn.Sequential(layers);
    }

    public override Tensor forward(Tensor x)
    {
        var h = relu.call(bn1.call(conv1.call(x)));
        h = layer3.call(layer2.call(layer1.call(h)));
        h = avgpool.call(h).flatten(1);
        return fc.call(h);
    }
}

/// <summary>A CIFAR basic block with the parameter-free "option A" shortcut.</summary>
public sealed class CifarBasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly long stride;
    private readonly long extraChannels;
    private readonly bool residual;

    public CifarBasicBlock(long inPlanes, long planes, long stride, bool residual) : base(nameof(CifarBasicBlock))
    {
        if (planes < inPlanes) throw new ArgumentException($"option A pads channels and cannot shrink them ({inPlanes} → {planes})", nameof(planes));
        conv1 = conv3x3(inPlanes, planes, stride);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = conv3x3(planes, planes);
        bn2 = nn.BatchNorm2d(planes);
        relu = nn.ReLU(inplace: true);
        this.stride = stride;
        extraChannels = planes - inPlanes;
        this.residual = residual;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var @out = relu.call(bn1.call(conv1.call(x)));
        @out = bn2.call(conv2.call(@out));
        if (!residual) return relu.call(@out);
        // Option A: subsample by the stride, then pad the new channels with zeros.
        var shortcut = stride == 1 ? x : nn.functional.avg_pool2d(x, 1, stride: stride);
        if (extraChannels > 0)
            shortcut = nn.functional.pad(shortcut, [0, 0, 0, 0, extraChannels / 2, extraChannels - extraChannels / 2]);
        return relu.call(@out + shortcut);
    }
}
