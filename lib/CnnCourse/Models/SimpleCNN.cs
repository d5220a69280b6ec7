using CnnCourse.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// The "basic CNN" of the course's source document on LeCun's CNN (seed 002): three conv-BN-ReLU-pool
// blocks and a two-layer classifier, for CIFAR-10's 3 × 32 × 32 images. No paper of its own.

/// <summary>
/// SimpleCNN: three blocks of 3×3 convolution (padding 1) → BatchNorm → ReLU → 2×2 max-pool, with 32,
/// 64 and 128 filters (32 → 16 → 8 → 4 px), then flatten (128 · 4 · 4 = 2,048 features) → FC 512 → ReLU
/// → dropout 0.5 → FC classes. 1,147,914 parameters for 3 × 32 × 32 inputs and 10 classes. The
/// classifier's width is fixed by the 4 × 4 map, so it takes 32 × 32 images only (pad Fashion-MNIST's 28 px by 2).
/// Keys: conv1…3, bn1…3, fc1, fc2.
/// </summary>
public sealed class SimpleCNN : nn.Module<Tensor, Tensor>
{
    /// <summary>The image side the classifier is built for.</summary>
    public const long ImageSize = 32;

    /// <summary>Features after the third pool: 128 channels × 4 × 4.</summary>
    public const long FlattenFeatures = 128 * 4 * 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly MaxPool2d pool;
    private readonly Dropout dropout;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public SimpleCNN(long numClasses = 10, long inChannels = 3, double dropout = 0.5) : base(nameof(SimpleCNN))
    {
        Check.That(numClasses >= 1, nameof(numClasses), nameof(SimpleCNN), $"at least one class; got {numClasses}.");
        Check.That(inChannels >= 1, nameof(inChannels), nameof(SimpleCNN), $"at least one input channel; got {inChannels}.");
        Check.Probability(dropout, nameof(dropout), nameof(SimpleCNN));
        InChannels = inChannels;
        conv1 = nn.Conv2d(inChannels, 32, 3, padding: 1);
        bn1 = nn.BatchNorm2d(32);
        conv2 = nn.Conv2d(32, 64, 3, padding: 1);
        bn2 = nn.BatchNorm2d(64);
        conv3 = nn.Conv2d(64, 128, 3, padding: 1);
        bn3 = nn.BatchNorm2d(128);
        pool = nn.MaxPool2d(2, stride: 2);
        this.dropout = nn.Dropout(dropout);
        fc1 = nn.Linear(FlattenFeatures, 512);
        fc2 = nn.Linear(512, numClasses);
        RegisterComponents();
    }

    public long InChannels { get; }

    public override Tensor forward(Tensor x)
    {
        Blocks.ExpectImages(x, InChannels, ImageSize, nameof(SimpleCNN), FlattenFeatures);
        var h = pool.call(nn.functional.relu(bn1.call(conv1.call(x))));   // N × 32 × 16 × 16
        h = pool.call(nn.functional.relu(bn2.call(conv2.call(h))));       // N × 64 × 8 × 8
        h = pool.call(nn.functional.relu(bn3.call(conv3.call(h))));       // N × 128 × 4 × 4
        h = h.flatten(1);                                                  // N × 2048
        h = dropout.call(nn.functional.relu(fc1.call(h)));
        return fc2.call(h);
    }
}
