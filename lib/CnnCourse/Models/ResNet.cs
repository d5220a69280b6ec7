using CnnCourse.Torch;
using CnnCourse.Torch.Modules;
using static CnnCourse.Torch.torch;

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
    public int Expansion => Bottleneck ? 4 : 1;

    /// <summary>The paper's depth: 2 (basic) or 3 (bottleneck) layers per block, plus stem and classifier.</summary>
    public int Depth => Layers.Sum() * (Bottleneck ? 3 : 2) + 2;
}

/// <summary>Basic residual block: two 3×3 convolutions (ResNet-18/34). Keys: conv1, bn1, conv2, bn2, downsample, se.</summary>
public sealed class BasicBlock : Module
{
    public const int expansion = 1;

    private readonly Conv2d conv1;
    private readonly Module bn1;
    private readonly Module relu;
    private readonly Conv2d conv2;
    private readonly Module bn2;
    private readonly SqueezeExcitation? se;
    private readonly Module? downsample;
    private readonly bool residual;

    public BasicBlock(long inplanes, long planes, long stride = 1, Module? downsample = null, NormLayer? norm = null,
                      bool residual = true, int seReduction = 0)
    {
        norm ??= Blocks.BatchNorm;
        conv1 = nn.Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = norm(planes);
        relu = nn.ReLU(inplace: true);
        conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = norm(planes);
        se = seReduction > 0 ? new SqueezeExcitation(planes, Math.Max(1, planes / seReduction)) : null;
        this.downsample = downsample;
        this.residual = residual;
    }

    /// <summary>The batch norm closing the residual branch (zero-initialised on request).</summary>
    internal Module LastNorm => bn2;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var @out = relu.call(bn1.call(conv1.call(x)));
        @out = bn2.call(conv2.call(@out));
        if (se is not null) @out = se.call(@out);
        if (residual) @out = @out + (downsample is null ? x : downsample.call(x));
        return scope.MoveToOuter(relu.call(@out));
    }
}

/// <summary>
/// Bottleneck block: 1×1 reduce, 3×3 (grouped for ResNeXt), 1×1 expand ×4 (ResNet-50 and deeper).
/// The stride sits on the 3×3 convolution, as torchvision's "ResNet v1.5". Keys: conv1…3, bn1…3, downsample, se.
/// </summary>
public sealed class Bottleneck : Module
{
    public const int expansion = 4;

    private readonly Conv2d conv1;
    private readonly Module bn1;
    private readonly Conv2d conv2;
    private readonly Module bn2;
    private readonly Conv2d conv3;
    private readonly Module bn3;
    private readonly Module relu;
    private readonly SqueezeExcitation? se;
    private readonly Module? downsample;
    private readonly bool residual;

    public Bottleneck(long inplanes, long planes, long stride = 1, Module? downsample = null, int groups = 1, int baseWidth = 64,
                      NormLayer? norm = null, bool residual = true, int seReduction = 0)
    {
        norm ??= Blocks.BatchNorm;
        long width = (long)(planes * (baseWidth / 64.0)) * groups;
        conv1 = nn.Conv2d(inplanes, width, 1, bias: false);
        bn1 = norm(width);
        conv2 = nn.Conv2d(width, width, 3, stride: stride, padding: 1, groups: groups, bias: false);
        bn2 = norm(width);
        conv3 = nn.Conv2d(width, planes * expansion, 1, bias: false);
        bn3 = norm(planes * expansion);
        relu = nn.ReLU(inplace: true);
        se = seReduction > 0 ? new SqueezeExcitation(planes * expansion, Math.Max(1, planes * expansion / seReduction)) : null;
        this.downsample = downsample;
        this.residual = residual;
    }

    internal Module LastNorm => bn3;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var @out = relu.call(bn1.call(conv1.call(x)));
        @out = relu.call(bn2.call(conv2.call(@out)));
        @out = bn3.call(conv3.call(@out));
        if (se is not null) @out = se.call(@out);
        if (residual) @out = @out + (downsample is null ? x : downsample.call(x));
        return scope.MoveToOuter(relu.call(@out));
    }
}

/// <summary>Pre-activation basic block (He et al., 2016): bn-relu-conv, bn-relu-conv, plus the shortcut.</summary>
public sealed class PreActBasicBlock : Module
{
    public const int expansion = 1;

    private readonly Module bn1;
    private readonly Conv2d conv1;
    private readonly Module bn2;
    private readonly Conv2d conv2;
    private readonly Module relu;
    private readonly Module? downsample;

    public PreActBasicBlock(long inplanes, long planes, long stride = 1, Module? downsample = null, NormLayer? norm = null)
    {
        norm ??= Blocks.BatchNorm;
        bn1 = norm(inplanes);
        conv1 = nn.Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = norm(planes);
        conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        relu = nn.ReLU(inplace: false);
        this.downsample = downsample;
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pre = relu.call(bn1.call(x));
        // The projection shortcut sees the pre-activated input, as in the paper's full pre-activation unit.
        var shortcut = downsample is null ? x : downsample.call(pre);
        var @out = conv1.call(pre);
        @out = conv2.call(relu.call(bn2.call(@out)));
        return scope.MoveToOuter(@out + shortcut);
    }
}

/// <summary>Pre-activation bottleneck block (He et al., 2016).</summary>
public sealed class PreActBottleneck : Module
{
    public const int expansion = 4;

    private readonly Module bn1;
    private readonly Conv2d conv1;
    private readonly Module bn2;
    private readonly Conv2d conv2;
    private readonly Module bn3;
    private readonly Conv2d conv3;
    private readonly Module relu;
    private readonly Module? downsample;

    public PreActBottleneck(long inplanes, long planes, long stride = 1, Module? downsample = null, int groups = 1, int baseWidth = 64, NormLayer? norm = null)
    {
        norm ??= Blocks.BatchNorm;
        long width = (long)(planes * (baseWidth / 64.0)) * groups;
        bn1 = norm(inplanes);
        conv1 = nn.Conv2d(inplanes, width, 1, bias: false);
        bn2 = norm(width);
        conv2 = nn.Conv2d(width, width, 3, stride: stride, padding: 1, groups: groups, bias: false);
        bn3 = norm(width);
        conv3 = nn.Conv2d(width, planes * expansion, 1, bias: false);
        relu = nn.ReLU(inplace: false);
        this.downsample = downsample;
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var pre = relu.call(bn1.call(x));
        var shortcut = downsample is null ? x : downsample.call(pre);
        var @out = conv1.call(pre);
        @out = conv2.call(relu.call(bn2.call(@out)));
        @out = conv3.call(relu.call(bn3.call(@out)));
        return scope.MoveToOuter(@out + shortcut);
    }
}

/// <summary>
/// ResNet and its variants. ImageNet form: conv1 7×7/2 → maxpool 3×3/2 → layer1…layer4 → global
/// average pool → fc, with torchvision's state-dict keys. Small form (<c>small: true</c>): a 3×3
/// stride-1 stem and no max-pool, for 28–32 px inputs.
/// </summary>
public sealed class ResNet : Module
{
    private readonly Conv2d conv1;
    private readonly Module? bn1;
    private readonly Module relu;
    private readonly Module maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly Module? final_bn; // pre-activation networks normalise once more before pooling
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    private readonly ResNetConfig config;
    private readonly NormLayer norm;
    private long inplanes = 64;

    public ResNet(ResNetConfig config, long numClasses = 1000, long inChannels = 3, bool small = false,
                  bool zeroInitResidual = false, NormLayer? norm = null)
    {
        this.config = config;
        this.norm = norm ?? Blocks.BatchNorm;
        conv1 = small ? nn.Conv2d(inChannels, 64, 3, stride: 1, padding: 1, bias: false)
                      : nn.Conv2d(inChannels, 64, 7, stride: 2, padding: 3, bias: false);
        bool preAct = config.Variant == ResidualVariant.PreActivation;
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

        foreach (var m in modules())
        {
            if (m is Conv2d conv) nn.init.kaiming_normal_(conv.weight, mode: "fan_out", nonlinearity: "relu");
            else if (m is BatchNorm2d bn)
            {
                nn.init.ones_(bn.weight!);
                nn.init.zeros_(bn.bias!);
            }
        }
        // Start each residual branch as the identity: its last batch norm scales by zero.
        if (zeroInitResidual)
            foreach (var m in modules())
                if (((m as Bottleneck)?.LastNorm ?? (m as BasicBlock)?.LastNorm) is BatchNorm2d last) nn.init.zeros_(last.weight!);
    }

    public ResNetConfig Config => config;

    private Sequential MakeLayer(long planes, int blocks, long stride = 1)
    {
        long expansion = config.Expansion;
        bool preAct = config.Variant == ResidualVariant.PreActivation;
        Module? downsample = null;
        if (stride != 1 || inplanes != planes * expansion)
        {
            var projection = nn.Conv2d(inplanes, planes * expansion, 1, stride: stride, bias: false);
            // A pre-activation shortcut is the bare projection: the block normalised its input already.
            downsample = preAct ? nn.Sequential(projection) : nn.Sequential(projection, norm(planes * expansion));
        }
        var layers = new List<Module>();
        for (int i = 0; i < blocks; i++)
        {
            long s = i == 0 ? stride : 1;
            var d = i == 0 ? downsample : null;
            layers.Add(MakeBlock(planes, s, d));
            inplanes = planes * expansion;
        }
        return nn.Sequential(layers.ToArray());
    }

    private Module MakeBlock(long planes, long stride, Module? downsample)
    {
        bool residual = config.Variant != ResidualVariant.Plain;
        int se = config.Variant == ResidualVariant.SqueezeExcitation ? config.SeReduction : 0;
        return (config.Bottleneck, config.Variant) switch
        {
            (false, ResidualVariant.PreActivation) => new PreActBasicBlock(inplanes, planes, stride, downsample, norm),
            (true, ResidualVariant.PreActivation) => new PreActBottleneck(inplanes, planes, stride, downsample, config.Groups, config.WidthPerGroup, norm),
            (false, _) => new BasicBlock(inplanes, planes, stride, downsample, norm, residual, se),
            (true, _) => new Bottleneck(inplanes, planes, stride, downsample, config.Groups, config.WidthPerGroup, norm, residual, se),
        };
    }

    /// <summary>The stage outputs C2…C5 (strides 4, 8, 16, 32), as a detection backbone (FPN) uses them.</summary>
    public IReadOnlyList<(string Name, Tensor Features)> forward_features(Tensor x)
    {
        using var scope = NewDisposeScope();
        var stem = maxpool.call(bn1 is null ? conv1.call(x) : relu.call(bn1.call(conv1.call(x))));
        var c2 = layer1.call(stem);
        var c3 = layer2.call(c2);
        var c4 = layer3.call(c3);
        var c5 = layer4.call(c4);
        if (final_bn is not null) c5 = relu.call(final_bn.call(c5));
        return new[] { ("C2", scope.MoveToOuter(c2)), ("C3", scope.MoveToOuter(c3)), ("C4", scope.MoveToOuter(c4)), ("C5", scope.MoveToOuter(c5)) };
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var stem = maxpool.call(bn1 is null ? conv1.call(x) : relu.call(bn1.call(conv1.call(x))));
        var h = layer4.call(layer3.call(layer2.call(layer1.call(stem))));
        if (final_bn is not null) h = relu.call(final_bn.call(h));
        h = avgpool.call(h).flatten(1);
        return scope.MoveToOuter(fc.call(h));
    }

    // ---- the table of the paper (Table 1), and the variants ---------------------------------
    public static readonly ResNetConfig ResNet18 = new(Bottleneck: false, Layers: new[] { 2, 2, 2, 2 });
    public static readonly ResNetConfig ResNet34 = new(Bottleneck: false, Layers: new[] { 3, 4, 6, 3 });
    public static readonly ResNetConfig ResNet50 = new(Bottleneck: true, Layers: new[] { 3, 4, 6, 3 });
    public static readonly ResNetConfig ResNet101 = new(Bottleneck: true, Layers: new[] { 3, 4, 23, 3 });
    public static readonly ResNetConfig ResNet152 = new(Bottleneck: true, Layers: new[] { 3, 8, 36, 3 });
    public static readonly ResNetConfig WideResNet50_2 = ResNet50 with { WidthPerGroup = 128 };
    public static readonly ResNetConfig ResNeXt50_32x4d = ResNet50 with { Groups = 32, WidthPerGroup = 4 };
}

/// <summary>
/// The CIFAR ResNets of the 2015 paper (§4.2): a 3×3 conv with 16 filters, three stages of n basic
/// blocks with 16, 32, 64 filters on 32×32, 16×16, 8×8 maps, global average pool, fc: depth 6n+2
/// (ResNet-20, 32, 44, 56, 110). Shortcuts are parameter-free (option A): strided subsampling and
/// zero-padded channels. <c>plain: true</c> drops the shortcuts (the degradation experiment).
/// </summary>
public sealed class CifarResNet : Module
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Module relu;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    public CifarResNet(int depth, long numClasses = 10, long inChannels = 3, bool plain = false)
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
            throw new ArgumentException($"a CIFAR ResNet's depth is 6n+2 (20, 32, 44, 56, 110, …), got {depth}", nameof(depth));
        int n = (depth - 2) / 6;
        Depth = depth;
        conv1 = nn.Conv2d(inChannels, 16, 3, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(16);
        relu = nn.ReLU(inplace: true);
        layer1 = Stage(16, 16, n, 1, plain);   // N × 16 × 32 × 32
        layer2 = Stage(16, 32, n, 2, plain);   // N × 32 × 16 × 16
        layer3 = Stage(32, 64, n, 2, plain);   // N × 64 × 8 × 8
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc = nn.Linear(64, numClasses);
        foreach (var m in modules())
            if (m is Conv2d conv) nn.init.kaiming_normal_(conv.weight, mode: "fan_out", nonlinearity: "relu");
    }

    public int Depth { get; }

    private static Sequential Stage(long inPlanes, long planes, int blocks, long stride, bool plain)
    {
        var layers = new List<Module>();
        for (int i = 0; i < blocks; i++)
            layers.Add(new CifarBasicBlock(i == 0 ? inPlanes : planes, planes, i == 0 ? stride : 1, !plain));
        return nn.Sequential(layers.ToArray());
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = relu.call(bn1.call(conv1.call(x)));
        h = layer3.call(layer2.call(layer1.call(h)));
        return scope.MoveToOuter(fc.call(avgpool.call(h).flatten(1)));
    }
}

/// <summary>A CIFAR basic block with the parameter-free "option A" shortcut.</summary>
public sealed class CifarBasicBlock : Module
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Module relu;
    private readonly long stride;
    private readonly long extraChannels;
    private readonly bool residual;

    public CifarBasicBlock(long inPlanes, long planes, long stride, bool residual)
    {
        conv1 = nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(planes);
        relu = nn.ReLU(inplace: true);
        this.stride = stride;
        extraChannels = planes - inPlanes;
        this.residual = residual;
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var @out = bn2.call(conv2.call(relu.call(bn1.call(conv1.call(x)))));
        if (residual)
        {
            // Option A: subsample by the stride, then pad the new channels with zeros.
            var shortcut = stride == 1 ? x : nn.functional.avg_pool2d(x, 1, stride: stride);
            if (extraChannels > 0)
                shortcut = nn.functional.pad(shortcut, new long[] { 0, 0, 0, 0, extraChannels / 2, extraChannels - extraChannels / 2 });
            @out = @out + shortcut;
        }
        return scope.MoveToOuter(relu.call(@out));
    }
}
