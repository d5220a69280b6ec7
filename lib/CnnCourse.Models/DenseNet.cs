using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// Densely Connected Convolutional Networks (Huang, Liu, van der Maaten & Weinberger, 2017).

/// <summary>A DenseNet's architecture, as in the paper's Table 1.</summary>
/// <param name="GrowthRate">k: channels each dense layer adds.</param>
/// <param name="BlockConfig">Dense layers per block.</param>
/// <param name="InitFeatures">Channels of the stem (2k in the paper).</param>
/// <param name="BottleneckSize">The 1×1 bottleneck produces BottleneckSize·k channels (the "B" of DenseNet-BC).</param>
/// <param name="Compression">θ: a transition keeps ⌊θ·m⌋ of m channels (the "C" of DenseNet-BC).</param>
public sealed record DenseNetConfig(int GrowthRate, int[] BlockConfig, int InitFeatures, int BottleneckSize = 4, double Compression = 0.5);

/// <summary>
/// BN → ReLU → 1×1 conv (bottleneck) → BN → ReLU → 3×3 conv producing k new channels from the
/// concatenation of every earlier feature map. Keys: norm1, relu1, conv1, norm2, relu2, conv2.
/// </summary>
public sealed class DenseLayer : nn.Module<Tensor, Tensor>
{
    private readonly BatchNorm2d norm1;
    private readonly ReLU relu1;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d norm2;
    private readonly ReLU relu2;
    private readonly Conv2d conv2;
    private readonly double dropRate;

    public DenseLayer(long inputFeatures, long growthRate, long bottleneckSize, double dropRate = 0) : base(nameof(DenseLayer))
    {
        if (dropRate is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(dropRate), dropRate, "drop rate must be in [0, 1)");
        norm1 = nn.BatchNorm2d(inputFeatures);
        relu1 = nn.ReLU(inplace: true);
        conv1 = nn.Conv2d(inputFeatures, bottleneckSize * growthRate, 1, bias: false);
        norm2 = nn.BatchNorm2d(bottleneckSize * growthRate);
        relu2 = nn.ReLU(inplace: true);
        conv2 = nn.Conv2d(bottleneckSize * growthRate, growthRate, 3, padding: 1, bias: false);
        this.dropRate = dropRate;
        RegisterComponents();
    }

    /// <summary>The k new channels computed from the concatenation of <paramref name="inputs"/>.</summary>
    public Tensor forward(IReadOnlyList<Tensor> inputs) => call(inputs.Count == 1 ? inputs[0] : cat(inputs.ToList(), 1));

    /// <summary>The k new channels from the already concatenated features.</summary>
    public override Tensor forward(Tensor concatenated)
    {
        var bottleneck = conv1.call(relu1.call(norm1.call(concatenated)));
        var @new = conv2.call(relu2.call(norm2.call(bottleneck)));
        return dropRate > 0 ? nn.functional.dropout(@new, dropRate, training) : @new;
    }
}

/// <summary>Dense layers whose inputs are the block input and every earlier layer's output; keys denselayer1…n.</summary>
public sealed class DenseBlock : nn.Module<Tensor, Tensor>
{
    public DenseBlock(int numLayers, long inputFeatures, long growthRate, long bottleneckSize, double dropRate = 0) : base(nameof(DenseBlock))
    {
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, "a dense block has at least one layer");
        // Registered by name, as torchvision's ModuleDict: the keys are denselayer1…n.
        for (int i = 0; i < numLayers; i++)
            register_module($"denselayer{i + 1}", new DenseLayer(inputFeatures + i * growthRate, growthRate, bottleneckSize, dropRate));
        OutFeatures = inputFeatures + numLayers * growthRate;
        RegisterComponents();
    }

    /// <summary>Input channels plus numLayers·k.</summary>
    public long OutFeatures { get; }

    public override Tensor forward(Tensor x)
    {
        var features = new List<Tensor> { x };
        foreach (var layer in children().Cast<DenseLayer>()) features.Add(layer.forward(features));
        return cat(features, 1);
    }
}

/// <summary>
/// DenseNet. ImageNet form: 7×7/2 conv → 3×3/2 max-pool → dense blocks joined by transitions
/// (BN-ReLU-1×1 conv with compression θ, 2×2 average pool) → BN → ReLU → global pool → fc, with
/// torchvision's keys (features.denseblock1.denselayer1.norm1.weight, …). Small form (DenseNet-BC for
/// 28–32 px): a 3×3 stride-1 stem without max-pool.
/// </summary>
public sealed class DenseNet : nn.Module<Tensor, Tensor>
{
    // The paper's Table 1 (k = 32, except DenseNet-161 with k = 48), and a small DenseNet-BC.
    public static readonly DenseNetConfig DenseNet121 = new(32, [6, 12, 24, 16], 64);
    public static readonly DenseNetConfig DenseNet161 = new(48, [6, 12, 36, 24], 96);
    public static readonly DenseNetConfig DenseNet169 = new(32, [6, 12, 32, 32], 64);
    public static readonly DenseNetConfig DenseNet201 = new(32, [6, 12, 48, 32], 64);
    /// <summary>DenseNet-BC with k = 12 and three blocks of 6 layers, for 28–32 px inputs.</summary>
    public static readonly DenseNetConfig DenseNetBCSmall = new(12, [6, 6, 6], 24);

    private readonly Sequential features;
    private readonly Linear classifier;

    public DenseNet(DenseNetConfig config, long numClasses = 1000, long inChannels = 3, bool small = false, double dropRate = 0) : base(nameof(DenseNet))
    {
        if (config.BlockConfig is not { Length: > 0 } || config.GrowthRate < 1 || config.InitFeatures < 1 || config.Compression is <= 0 or > 1)
            throw new ArgumentException("a DenseNet needs at least one block, a positive growth rate and stem, and compression in (0, 1]", nameof(config));
        Config = config;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        if (small)
        {
            layers.Add(("conv0", nn.Conv2d(inChannels, config.InitFeatures, 3, padding: 1, bias: false)));
        }
        else
        {
            layers.Add(("conv0", nn.Conv2d(inChannels, config.InitFeatures, 7, stride: 2, padding: 3, bias: false)));
            layers.Add(("norm0", nn.BatchNorm2d(config.InitFeatures)));
            layers.Add(("relu0", nn.ReLU(inplace: true)));
            layers.Add(("pool0", nn.MaxPool2d(3, stride: 2, padding: 1)));                  // N × 64 × 56 × 56
        }
        long channels = config.InitFeatures;
        for (int i = 0; i < config.BlockConfig.Length; i++)
        {
            var block = new DenseBlock(config.BlockConfig[i], channels, config.GrowthRate, config.BottleneckSize, dropRate);
            layers.Add(($"denseblock{i + 1}", block));
            channels = block.OutFeatures;
            if (i == config.BlockConfig.Length - 1) break;
            long reduced = (long)Math.Floor(channels * config.Compression);
            layers.Add(($"transition{i + 1}", Transition(channels, reduced)));                // halves the map
            channels = reduced;
        }
        layers.Add(("norm5", nn.BatchNorm2d(channels)));                                      // N × 1024 × 7 × 7 (121)
        features = nn.Sequential(layers);
        classifier = nn.Linear(channels, numClasses);
        NumFeatures = channels;
        RegisterComponents();

        foreach (var m in modules())
        {
            switch (m)
            {
                case Conv2d conv: nn.init.kaiming_normal_(conv.weight); break;
                case BatchNorm2d bn:
                    nn.init.constant_(bn.weight, 1);
                    nn.init.constant_(bn.bias, 0);
                    break;
                case Linear linear: nn.init.constant_(linear.bias, 0); break;
            }
        }
    }

    public DenseNetConfig Config { get; }

    /// <summary>Channels reaching the classifier.</summary>
    public long NumFeatures { get; }

    /// <summary>BN → ReLU → 1×1 conv (compression) → 2×2 average pool; keys norm, relu, conv, pool.</summary>
    private static Sequential Transition(long inputFeatures, long outputFeatures) => nn.Sequential(
        ("norm", nn.BatchNorm2d(inputFeatures)),
        ("relu", nn.ReLU(inplace: true)),
        ("conv", nn.Conv2d(inputFeatures, outputFeatures, 1, bias: false)),
        ("pool", nn.AvgPool2d(2, stride: 2)));

    public override Tensor forward(Tensor x)
    {
        var h = features.call(x);
        h = nn.functional.relu(h, inplace: true);
        h = nn.functional.adaptive_avg_pool2d(h, 1).flatten(1);
        return classifier.call(h);
    }
}
