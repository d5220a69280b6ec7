using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CnnCourse.Models.Tests;

/// <summary>The source documents' own models: seed 002's SimpleCNN, counted and shaped.</summary>
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
}
