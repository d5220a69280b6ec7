using CnnCourse.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// Feature Pyramid Networks for Object Detection (Lin, Dollár, Girshick, He, Hariharan & Belongie, 2017).

/// <summary>
/// A feature pyramid network over maps C2…C5 (finest first): a lateral 1×1 convolution brings each map to
/// <c>outChannels</c>; the top-down pathway starts at the coarsest, upsamples it (nearest neighbour) to the
/// next map's size and adds that map's lateral; a 3×3 convolution smooths each sum into P2…P5.
/// Keys and initialisation as torchvision's <c>ops.FeaturePyramidNetwork</c> without norm layer or extra
/// blocks: <c>inner_blocks.i.0</c> (the laterals) and <c>layer_blocks.i.0</c> (the 3×3 convolutions), with bias.
/// </summary>
public sealed class FeaturePyramidNetwork : nn.Module<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>>
{
    private readonly ModuleList<Sequential> inner_blocks;
    private readonly ModuleList<Sequential> layer_blocks;

    public FeaturePyramidNetwork(IReadOnlyList<long> inChannelsList, long outChannels = 256) : base(nameof(FeaturePyramidNetwork))
    {
        Check.NotNull(inChannelsList, nameof(inChannelsList), nameof(FeaturePyramidNetwork));
        Check.That(inChannelsList.Count >= 1 && inChannelsList.All(c => c >= 1), nameof(inChannelsList), nameof(FeaturePyramidNetwork),
            $"one positive channel count per input map; got [{string.Join(", ", inChannelsList)}].");
        Check.That(outChannels >= 1, nameof(outChannels), nameof(FeaturePyramidNetwork), $"at least one output channel; got {outChannels}.");
        InChannels = inChannelsList.ToArray();
        OutChannels = outChannels;
        inner_blocks = nn.ModuleList(inChannelsList.Select(c => nn.Sequential(nn.Conv2d(c, outChannels, 1))).ToArray());
        layer_blocks = nn.ModuleList(inChannelsList.Select(_ => nn.Sequential(nn.Conv2d(outChannels, outChannels, 3, padding: 1))).ToArray());
        RegisterComponents();

        foreach (var m in modules())
        {
            if (m is not Conv2d conv) continue;
            nn.init.kaiming_uniform_(conv.weight, a: 1);
            nn.init.zeros_(conv.bias!);
        }
    }

    /// <summary>The channels of the input maps, finest first.</summary>
    public IReadOnlyList<long> InChannels { get; }

    public long OutChannels { get; }

    /// <summary>Maps finest first (C2…C5), each with the channels given to the constructor; returns P2…P5 in the same order.</summary>
    public override IReadOnlyList<Tensor> forward(IReadOnlyList<Tensor> features)
    {
        Check.NoNulls(features, nameof(features), nameof(FeaturePyramidNetwork));
        int n = InChannels.Count;
        Check.That(features.Count == n && features.Select((f, i) => f.dim() == 4 && f.shape[1] == InChannels[i]).All(ok => ok),
            nameof(features), nameof(FeaturePyramidNetwork),
            $"{n} maps N × C × H × W with C = [{string.Join(", ", InChannels)}]; got " +
            $"[{string.Join("; ", features.Select(f => string.Join(" × ", f.shape)))}].");

        var results = new Tensor[n];
        var lastInner = inner_blocks[n - 1].call(features[n - 1]);
        results[n - 1] = layer_blocks[n - 1].call(lastInner);
        for (int i = n - 2; i >= 0; i--)
        {
            var lateral = inner_blocks[i].call(features[i]);
            var topDown = nn.functional.interpolate(lastInner, [lateral.shape[2], lateral.shape[3]], mode: InterpolationMode.Nearest);
            lastInner = lateral + topDown;
            results[i] = layer_blocks[i].call(lastInner);
        }
        return results;
    }
}

/// <summary>
/// A ResNet backbone with an FPN on its stage outputs: <see cref="ResNet.forward_features"/> gives C2…C5,
/// the <see cref="FeaturePyramidNetwork"/> turns them into P2…P5 with <c>outChannels</c> (256) channels each,
/// at the strides of C2…C5 (4, 8, 16, 32 for the ImageNet stem; 1, 2, 4, 8 for the small one).
/// Keys: <c>body.*</c> (the whole ResNet, so its ImageNet weights load into <see cref="Body"/>, including the
/// classifier <c>fc</c> that the pyramid does not use) and <c>fpn.*</c>. torchvision's detection backbones
/// add a fifth, max-pooled level ("pool") for their detectors; this one stops at P5.
/// </summary>
public sealed class ResNetFpn : nn.Module<Tensor, IReadOnlyList<(string Name, Tensor Features)>>
{
    private readonly ResNet body;
    private readonly FeaturePyramidNetwork fpn;

    public ResNetFpn(ResNet backbone, long outChannels = 256) : base(nameof(ResNetFpn))
    {
        body = Check.NotNull(backbone, nameof(backbone), nameof(ResNetFpn));
        long e = backbone.Config.Expansion;
        fpn = new FeaturePyramidNetwork([64 * e, 128 * e, 256 * e, 512 * e], outChannels);
        RegisterComponents();
    }

    /// <summary>An FPN on a new ResNet of <paramref name="config"/> (ImageNet stem unless <paramref name="small"/>).</summary>
    public ResNetFpn(ResNetConfig config, long outChannels = 256, bool small = false) : this(new ResNet(config, small: small), outChannels)
    {
    }

    public ResNet Body => body;

    public FeaturePyramidNetwork Fpn => fpn;

    /// <summary>P2…P5, finest first.</summary>
    public override IReadOnlyList<(string Name, Tensor Features)> forward(Tensor x)
    {
        var c = body.forward_features(x);                        // C2 … C5
        var p = fpn.call(c.Select(f => f.Features).ToList());    // P2 … P5, N × 256 × H/4 … H/32
        return p.Select((f, i) => ($"P{i + 2}", f)).ToList();
    }
}
