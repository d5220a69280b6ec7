using CnnCourse.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// ImageNet Classification with Deep Convolutional Neural Networks (Krizhevsky, Sutskever & Hinton, 2012);
// One weird trick for parallelizing convolutional neural networks (Krizhevsky, 2014) for torchvision's form.

/// <summary>Which AlexNet.</summary>
public enum AlexNetForm
{
    /// <summary>torchvision's (from "one weird trick"): 64-192-384-256-256 filters, no normalization; 61,100,840 parameters.</summary>
    TorchVision,
    /// <summary>The 2012 paper's: 96-256-384-384-256 filters on 227×227, LocalResponseNorm after conv1 and conv2.</summary>
    Original,
    /// <summary>The paper's layout with BatchNorm after every convolution in place of LRN (227×227).</summary>
    BatchNorm,
}

/// <summary>One row of AlexNet's layer table: a convolution, optionally followed by LRN and a pool.</summary>
public readonly record struct AlexNetLayer(long OutChannels, long Kernel, long Stride, long Padding, bool Lrn = false, bool Pool = false);

/// <summary>
/// AlexNet: five convolutions and three fully connected layers with dropout. <c>small: true</c>
/// keeps the shape of the network (five 3×3 convolutions with the paper's channel pattern scaled by
/// <c>width</c>, three max-pools, a dropout classifier) for 28–32 px inputs, with the form's normalization
/// (LRN after the first two convolutions, or BatchNorm after each).
/// </summary>
public sealed class AlexNet : nn.Module<Tensor, Tensor>
{
    /// <summary>torchvision's one-GPU variant on 224×224.</summary>
    public static readonly IReadOnlyList<AlexNetLayer> TorchVisionTable =
    [
        new(64, 11, 4, 2, Pool: true),       // N × 64 × 27 × 27
        new(192, 5, 1, 2, Pool: true),       // N × 192 × 13 × 13
        new(384, 3, 1, 1),
        new(256, 3, 1, 1),
        new(256, 3, 1, 1, Pool: true),       // N × 256 × 6 × 6
    ];

    /// <summary>The paper's layout on 227×227; LRN after the first two convolutions.</summary>
    public static readonly IReadOnlyList<AlexNetLayer> PaperTable =
    [
        new(96, 11, 4, 0, Lrn: true, Pool: true),   // N × 96 × 27 × 27
        new(256, 5, 1, 2, Lrn: true, Pool: true),   // N × 256 × 13 × 13
        new(384, 3, 1, 1),
        new(384, 3, 1, 1),
        new(256, 3, 1, 1, Pool: true),              // N × 256 × 6 × 6
    ];

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    public AlexNet(long numClasses = 1000, long inChannels = 3, AlexNetForm form = AlexNetForm.TorchVision, bool small = false,
                   double dropout = 0.5, double width = 0.5) : base(nameof(AlexNet))
    {
        if (!Enum.IsDefined(form)) throw new ArgumentException($"unknown AlexNet form {form}", nameof(form));
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be positive");
        Form = form;
        bool batchNorm = form == AlexNetForm.BatchNorm, lrn = form == AlexNetForm.Original;
        if (small)
        {
            long C(long c) => Math.Max(8, (long)Math.Round(c * width));
            // Five 3×3 convolutions with the paper's channel pattern; 2×2 pools take 28 → 14 → 7 → 4.
            AlexNetLayer[] table =
            [
                new(C(64), 3, 1, 1, Lrn: true, Pool: true),
                new(C(192), 3, 1, 1, Lrn: true, Pool: true),
                new(C(384), 3, 1, 1),
                new(C(256), 3, 1, 1),
                new(C(256), 3, 1, 1, Pool: true),
            ];
            features = Features(inChannels, batchNorm, lrn, () => nn.MaxPool2d(2, stride: 2, ceil_mode: true), table);
            avgpool = nn.AdaptiveAvgPool2d(4);
            classifier = Classifier(C(256) * 4 * 4, C(2048), numClasses, dropout);
        }
        else
        {
            var table = form == AlexNetForm.TorchVision ? TorchVisionTable : PaperTable;
            features = Features(inChannels, batchNorm, lrn, () => nn.MaxPool2d(3, stride: 2), table);
            avgpool = nn.AdaptiveAvgPool2d(6);
            classifier = Classifier(256 * 6 * 6, 4096, numClasses, dropout);
        }
        RegisterComponents();
    }

    public AlexNetForm Form { get; }

    // conv → [BatchNorm] → ReLU → [LRN (k=2, n=5, α=1e-4, β=0.75) where the row asks and the form has it] → [pool]
    internal static Sequential Features(long inChannels, bool batchNorm, bool lrn, Func<nn.Module<Tensor, Tensor>> pool, IEnumerable<AlexNetLayer> table)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        long channels = inChannels;
        foreach (var row in table)
        {
            layers.Add(nn.Conv2d(channels, row.OutChannels, row.Kernel, stride: row.Stride, padding: row.Padding));
            if (batchNorm) layers.Add(nn.BatchNorm2d(row.OutChannels));
            layers.Add(nn.ReLU(inplace: true));
            if (lrn && row.Lrn) layers.Add(nn.LocalResponseNorm(5, alpha: 1e-4, beta: 0.75, k: 2));
            if (row.Pool) layers.Add(pool());
            channels = row.OutChannels;
        }
        return nn.Sequential(layers);
    }

    private static Sequential Classifier(long inFeatures, long hidden, long numClasses, double dropout) => nn.Sequential(
        nn.Dropout(dropout), nn.Linear(inFeatures, hidden), nn.ReLU(inplace: true),
        nn.Dropout(dropout), nn.Linear(hidden, hidden), nn.ReLU(inplace: true),
        nn.Linear(hidden, numClasses));

    public override Tensor forward(Tensor x)
    {
        var h = features.call(x);
        h = avgpool.call(h).flatten(1);
        return classifier.call(h);
    }
}

/// <summary>
/// The AlexNet of the source documents' practice (seed 003), not torchvision's <c>alexnet</c>: the paper's
/// 96-256-384-384-256 filters on 227 × 227 images, BatchNorm after every convolution, and no adaptive pool,
/// so the classifier's width comes from the image size: 227 px → 55 → 27 → 13 → 6, a flatten of
/// 256 · 6 · 6 = 9,216 features → FC 4096 → ReLU → dropout → FC 4096 → ReLU → dropout → FC classes.
/// 58,325,066 parameters with 10 classes. Any other image size is an error naming 227 (224 px would give
/// 5 × 5 maps and 6,400 features). Keys: features.0…17 as <see cref="AlexNet"/>'s BatchNorm form,
/// classifier.1, .4, .7 (Flatten sits at classifier.0 and dropout follows each hidden ReLU).
/// </summary>
public sealed class AlexNetPractice : nn.Module<Tensor, Tensor>
{
    /// <summary>The image side the classifier is built for.</summary>
    public const long ImageSize = 227;

    private readonly Sequential features;
    private readonly Sequential classifier;

    public AlexNetPractice(long numClasses = 10, long inChannels = 3, double dropout = 0.5) : base(nameof(AlexNetPractice))
    {
        Check.That(numClasses >= 1, nameof(numClasses), nameof(AlexNetPractice), $"at least one class; got {numClasses}.");
        Check.That(inChannels >= 1, nameof(inChannels), nameof(AlexNetPractice), $"at least one input channel; got {inChannels}.");
        Check.Probability(dropout, nameof(dropout), nameof(AlexNetPractice));
        InChannels = inChannels;
        features = AlexNet.Features(inChannels, batchNorm: true, lrn: false, () => nn.MaxPool2d(3, stride: 2), AlexNet.PaperTable);
        long side = OutputSide(ImageSize);
        FlattenFeatures = AlexNet.PaperTable[^1].OutChannels * side * side;    // 256 × 6 × 6 = 9,216
        classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(FlattenFeatures, 4096), nn.ReLU(inplace: true), nn.Dropout(dropout),
            nn.Linear(4096, 4096), nn.ReLU(inplace: true), nn.Dropout(dropout),
            nn.Linear(4096, numClasses));
        RegisterComponents();
    }

    public long InChannels { get; }

    /// <summary>The flatten's width for 227 × 227 images: 9,216.</summary>
    public long FlattenFeatures { get; }

    /// <summary>The side of the last feature map for an image of side <paramref name="imageSize"/>: 227 → 6, 224 → 5.</summary>
    public static long OutputSide(long imageSize)
    {
        long side = imageSize;
        foreach (var row in AlexNet.PaperTable)
        {
            side = (side + 2 * row.Padding - row.Kernel) / row.Stride + 1;
            if (row.Pool) side = (side - 3) / 2 + 1;   // max-pool 3×3, stride 2
        }
        return side;
    }

    public override Tensor forward(Tensor x)
    {
        Blocks.ExpectImages(x, InChannels, ImageSize, nameof(AlexNetPractice), FlattenFeatures);
        var h = features.call(x);       // N × 256 × 6 × 6
        return classifier.call(h);
    }
}
