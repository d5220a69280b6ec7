using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CnnCourse.Models.Tests;

/// <summary>The source documents' own models: seed 002's SimpleCNN and seed 003's practice AlexNet, counted and shaped.</summary>
public class SeedModelTests(ITestOutputHelper output)
{
    private static long Count(nn.Module net) => net.parameters().Sum(p => p.numel());

    [Fact]
    public void SimpleCNN_has_1147914_parameters_and_gives_10_logits_for_CIFAR_images()
    {
        manual_seed(0);
        using var net = new SimpleCNN();
        output.WriteLine($"SimpleCNN: {Count(net):N0} parameters");
        Assert.Equal(1_147_914, Count(net));
        Assert.Equal(["bn1", "bn2", "bn3", "conv1", "conv2", "conv3", "fc1", "fc2"],
            net.named_parameters().Select(p => p.name.Split('.')[0]).Distinct().Order(StringComparer.Ordinal));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        net.eval();
        var logits = net.call(randn(4, 3, 32, 32));
        Assert.Equal([4, 10], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void SimpleCNN_rejects_other_image_sizes_naming_32_px()
    {
        using var net = new SimpleCNN();
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => net.call(randn(1, 3, 28, 28)));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("SimpleCNN", error.Message);
        Assert.Contains("32 × 32", error.Message);
        Assert.Contains("2,048", error.Message);
        Assert.Contains("[1, 3, 28, 28]", error.Message);
        Assert.Throws<ArgumentException>(() => new SimpleCNN(numClasses: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimpleCNN(dropout: 1.5));
    }

    [Fact]
    public void AlexNetPractice_flattens_9216_features_and_has_58325066_parameters_for_10_classes()
    {
        manual_seed(0);
        using var net = new AlexNetPractice(numClasses: 10);
        output.WriteLine($"AlexNetPractice: {Count(net):N0} parameters, flatten {net.FlattenFeatures:N0}");
        Assert.Equal(9_216, net.FlattenFeatures);
        Assert.Equal(6, AlexNetPractice.OutputSide(227));
        Assert.Equal(5, AlexNetPractice.OutputSide(224));
        Assert.Equal(58_325_066, Count(net));
        // The registry's alexnet_bn has the same layers behind an adaptive 6×6 pool (any size ≥ 96 px), so the same count.
        using (var registered = Models.Create("alexnet_bn", numClasses: 10)) Assert.Equal(Count(net), Count(registered));
        Assert.Equal(5, net.modules().Count(m => m is TorchSharp.Modules.BatchNorm2d));
        // Dropout after each hidden ReLU, so the linear layers sit at 1, 4 and 7 (torchvision's alexnet: 1, 4, 6).
        Assert.Equal(["classifier.1", "classifier.4", "classifier.7"],
            net.named_parameters().Where(p => p.name.StartsWith("classifier.", StringComparison.Ordinal))
               .Select(p => p.name[..p.name.LastIndexOf('.')]).Distinct());
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        net.eval();
        var logits = net.call(randn(2, 3, 227, 227));
        Assert.Equal([2, 10], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void AlexNetPractice_rejects_224_px_naming_227_and_the_9216_flatten()
    {
        using var net = new AlexNetPractice();
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => net.call(randn(1, 3, 224, 224)));
        output.WriteLine(error.Message);
        Assert.Equal("x", error.ParamName);
        Assert.Contains("AlexNetPractice", error.Message);
        Assert.Contains("227 × 227", error.Message);
        Assert.Contains("9,216", error.Message);
        Assert.Contains("[1, 3, 224, 224]", error.Message);
        Assert.Throws<ArgumentException>(() => net.call(randn(3, 227, 227)));     // no batch dimension
        Assert.Throws<ArgumentException>(() => net.call(randn(1, 1, 227, 227)));  // wrong channels
    }
}
