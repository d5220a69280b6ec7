using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// Very Deep Convolutional Networks for Large-Scale Image Recognition (Simonyan & Zisserman, 2014).

/// <summary>One entry of a VGG configuration: a 3×3 convolution with this many filters, or a 2×2 max-pool.</summary>
public readonly record struct VggLayer(int Filters)
{
    public static readonly VggLayer MaxPool = new(0);
    public bool IsPool => Filters == 0;
    public static implicit operator VggLayer(int filters) => new(filters);
    public override string ToString() => IsPool ? "M" : Filters.ToString();
}

/// <summary>
/// VGG: stacks of 3×3 convolutions (padding 1) separated by 2×2 max-pools, then three fully
/// connected layers. Configurations A, B, D, E of the paper's Table 1 are VGG-11, 13, 16, 19.
/// Small form: the same table with channels divided by <c>widthDivisor</c>, ceil-mode pools (so five
/// pools take 28 px to 1), global average pooling and a 512-unit classifier.
/// </summary>
public sealed class Vgg : nn.Module<Tensor, Tensor>
{
    private static readonly VggLayer M = VggLayer.MaxPool;

    /// <summary>The paper's Table 1 (the conv3 layers of configuration C are not included).</summary>
    public static readonly IReadOnlyDictionary<char, VggLayer[]> Configurations = new Dictionary<char, VggLayer[]>
    {
        ['A'] = [64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M],                                    // VGG-11
        ['B'] = [64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M],                           // VGG-13
        ['D'] = [64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M],            // VGG-16
        ['E'] = [64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M], // VGG-19
    };

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    public Vgg(char configuration, bool batchNorm = false, long numClasses = 1000, long inChannels = 3, bool small = false,
               double dropout = 0.5, int widthDivisor = 4) : base(nameof(Vgg))
    {
        if (!Configurations.TryGetValue(configuration, out var table))
            throw new ArgumentException($"VGG configuration must be one of {string.Join(", ", Configurations.Keys)}, got '{configuration}'",
                nameof(configuration));
        if (widthDivisor < 1) throw new ArgumentOutOfRangeException(nameof(widthDivisor), widthDivisor, "at least 1");
        Configuration = configuration;
        int divisor = small ? widthDivisor : 1;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        long channels = inChannels;
        foreach (var layer in table)
        {
            if (layer.IsPool)
            {
                layers.Add(nn.MaxPool2d(2, stride: 2, ceil_mode: small));
                continue;
            }
            long filters = layer.Filters / divisor;
            layers.Add(nn.Conv2d(channels, filters, 3, padding: 1));
            if (batchNorm) layers.Add(nn.BatchNorm2d(filters));
            layers.Add(nn.ReLU(inplace: true));
            channels = filters;
        }
        features = nn.Sequential(layers);                                   // N × 512 × 7 × 7
        if (small)
        {
            avgpool = nn.AdaptiveAvgPool2d(1);
            classifier = nn.Sequential(
                nn.Linear(channels, 512), nn.ReLU(inplace: true), nn.Dropout(dropout),
                nn.Linear(512, numClasses));
        }
        else
        {
            avgpool = nn.AdaptiveAvgPool2d(7);
            classifier = nn.Sequential(
                nn.Linear(512 * 7 * 7, 4096), nn.ReLU(inplace: true), nn.Dropout(dropout),
                nn.Linear(4096, 4096), nn.ReLU(inplace: true), nn.Dropout(dropout),
                nn.Linear(4096, numClasses));
        }
        RegisterComponents();
        Blocks.InitializeWeights(this, Blocks.SmallNormalLinear);
    }

    public char Configuration { get; }

    /// <summary>The paper's name for a configuration letter: A → 11, B → 13, D → 16, E → 19 weight layers.</summary>
    public static int Depth(char configuration) => Configurations[configuration].Count(l => !l.IsPool) + 3;

    public override Tensor forward(Tensor x)
    {
        var h = features.call(x);
        h = avgpool.call(h).flatten(1);
        return classifier.call(h);
    }
}
