using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Models;

// Gradient-Based Learning Applied to Document Recognition (LeCun, Bottou, Bengio & Haffner, 1998).

/// <summary>
/// LeNet-5: conv 5×5 (6) → pool → conv 5×5 (16) → pool → FC 120 → FC 84 → FC classes.
/// The classic form takes 32×32 inputs; the padded form (<c>padded: true</c>, the default for
/// 28×28 Fashion-MNIST) pads the first convolution by 2, which gives the same 28×28 → 5×5 geometry
/// and the same 61,706 parameters for 10 classes. <c>classic: true</c> uses the paper's sigmoid-like
/// squashing (tanh) and average-pooling subsampling; the default is the modern ReLU + max-pool form.
/// </summary>
public sealed class LeNet5 : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Sequential classifier;

    public LeNet5(long numClasses = 10, long inChannels = 1, bool padded = true, bool classic = false) : base(nameof(LeNet5))
    {
        nn.Module<Tensor, Tensor> Act() => classic ? nn.Tanh() : nn.ReLU();
        nn.Module<Tensor, Tensor> Pool() => classic ? nn.AvgPool2d(2, stride: 2) : nn.MaxPool2d(2, stride: 2);
        features = nn.Sequential(
            nn.Conv2d(inChannels, 6, 5, padding: padded ? 2 : 0), Act(), Pool(),   // N × 6 × 14 × 14
            nn.Conv2d(6, 16, 5), Act(), Pool());                                   // N × 16 × 5 × 5
        classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), Act(),
            nn.Linear(120, 84), Act(),
            nn.Linear(84, numClasses));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = features.call(x);
        return classifier.call(h);
    }
}
