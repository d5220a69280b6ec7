using CnnCourse.Torch;
using CnnCourse.Torch.Modules;
using static CnnCourse.Torch.torch;

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

/// <summary>
/// AlexNet: five convolutions and three fully connected layers with dropout. <c>small: true</c>
/// keeps the shape of the network (five 3×3 convolutions with the paper's channel pattern scaled by
/// <c>width</c>, three max-pools, a dropout classifier) for 28–32 px inputs.
/// </summary>
public sealed class AlexNet : Module
{
    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    public AlexNet(long numClasses = 1000, long inChannels = 3, AlexNetForm form = AlexNetForm.TorchVision, bool small = false,
                   double dropout = 0.5, double width = 0.5)
    {
        Form = form;
        if (small)
        {
            long C(long c) => Math.Max(8, (long)Math.Round(c * width));
            features = nn.Sequential(
                nn.Conv2d(inChannels, C(64), 3, padding: 1), nn.ReLU(inplace: true), nn.MaxPool2d(2, stride: 2, ceil_mode: true),  // N × 32 × 14 × 14
                nn.Conv2d(C(64), C(192), 3, padding: 1), nn.ReLU(inplace: true), nn.MaxPool2d(2, stride: 2, ceil_mode: true),     // N × 96 × 7 × 7
                nn.Conv2d(C(192), C(384), 3, padding: 1), nn.ReLU(inplace: true),
                nn.Conv2d(C(384), C(256), 3, padding: 1), nn.ReLU(inplace: true),
                nn.Conv2d(C(256), C(256), 3, padding: 1), nn.ReLU(inplace: true), nn.MaxPool2d(2, stride: 2, ceil_mode: true));  // N × 128 × 4 × 4
            avgpool = nn.AdaptiveAvgPool2d(4);
            classifier = nn.Sequential(
                nn.Dropout(dropout), nn.Linear(C(256) * 16, C(2048)), nn.ReLU(inplace: true),
                nn.Dropout(dropout), nn.Linear(C(2048), C(2048)), nn.ReLU(inplace: true),
                nn.Linear(C(2048), numClasses));
            return;
        }
        features = form switch
        {
            AlexNetForm.TorchVision => nn.Sequential(
                nn.Conv2d(inChannels, 64, 11, stride: 4, padding: 2), nn.ReLU(inplace: true), nn.MaxPool2d(3, stride: 2),  // N × 64 × 27 × 27
                nn.Conv2d(64, 192, 5, padding: 2), nn.ReLU(inplace: true), nn.MaxPool2d(3, stride: 2),                    // N × 192 × 13 × 13
                nn.Conv2d(192, 384, 3, padding: 1), nn.ReLU(inplace: true),
                nn.Conv2d(384, 256, 3, padding: 1), nn.ReLU(inplace: true),
                nn.Conv2d(256, 256, 3, padding: 1), nn.ReLU(inplace: true), nn.MaxPool2d(3, stride: 2)),                   // N × 256 × 6 × 6
            _ => PaperFeatures(inChannels, form == AlexNetForm.BatchNorm),
        };
        avgpool = nn.AdaptiveAvgPool2d(6);
        classifier = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace: true),
            nn.Dropout(dropout), nn.Linear(4096, 4096), nn.ReLU(inplace: true),
            nn.Linear(4096, numClasses));
    }

    public AlexNetForm Form { get; }

    // The paper's layout on 227×227: 96 11×11/4 → 256 5×5 → 384 3×3 → 384 3×3 → 256 3×3, overlapping
    // 3×3/2 pooling, with LRN (k=2, n=5, α=1e-4, β=0.75) after the first two, or BatchNorm after each.
    private static Sequential PaperFeatures(long inChannels, bool batchNorm)
    {
        var layers = new List<Module>();
        void Conv(long cin, long cout, long k, long stride, long padding, bool lrn, bool pool)
        {
            layers.Add(nn.Conv2d(cin, cout, k, stride: stride, padding: padding));
            if (batchNorm) layers.Add(nn.BatchNorm2d(cout));
            layers.Add(nn.ReLU(inplace: true));
            if (lrn && !batchNorm) layers.Add(nn.LocalResponseNorm(5, alpha: 1e-4, beta: 0.75, k: 2));
            if (pool) layers.Add(nn.MaxPool2d(3, stride: 2));
        }
        Conv(inChannels, 96, 11, 4, 0, lrn: true, pool: true);   // N × 96 × 27 × 27
        Conv(96, 256, 5, 1, 2, lrn: true, pool: true);           // N × 256 × 13 × 13
        Conv(256, 384, 3, 1, 1, lrn: false, pool: false);
        Conv(384, 384, 3, 1, 1, lrn: false, pool: false);
        Conv(384, 256, 3, 1, 1, lrn: false, pool: true);         // N × 256 × 6 × 6
        return nn.Sequential(layers.ToArray());
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = avgpool.call(features.call(x)).flatten(1);
        return scope.MoveToOuter(classifier.call(h));
    }
}
