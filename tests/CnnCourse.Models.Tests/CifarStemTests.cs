using System.Text.Json;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Registry = CnnCourse.Models.Models;

namespace CnnCourse.Models.Tests;

/// <summary>
/// The registry's ResNets in their small configuration (<c>small: true</c>) are the CIFAR-stem ResNets of the
/// CIFAR-10 training recipes (seed 002's, notebook 15's): torchvision's network with a 3×3 stride-1 stem
/// convolution and no max-pool. Compared with torchvision 0.14's model changed that way.
/// </summary>
public class CifarStemTests(ITestOutputHelper output)
{
    private sealed record Entry(long Parameters, Dictionary<string, long[]> Keys, long Macs32);

    private static readonly string[] Names = ["resnet18", "resnet34", "resnet50"];

    private static long Count(nn.Module net) => net.parameters().Sum(p => p.numel());

    [Fact]
    public void ResNet18_with_the_CIFAR_stem_has_11173962_parameters_for_10_classes()
    {
        using var net = Registry.Create("resnet18", numClasses: 10, inChannels: 3, small: true);
        output.WriteLine($"resnet18, CIFAR stem, 10 classes: {Count(net):N0} parameters");
        Assert.Equal(11_173_962, Count(net));
        // One input channel (Fashion-MNIST) changes only the stem: 64 filters of 3×3 over 1 channel instead of 3.
        using var gray = Registry.Create("resnet18", numClasses: 10, inChannels: 1, small: true);
        Assert.Equal(11_173_962 - 64 * 3 * 3 * 2, Count(gray));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        net.eval();
        Assert.Equal([2, 10], net.call(randn(2, 3, 32, 32)).shape);
        gray.eval();
        Assert.Equal([2, 10], gray.call(randn(2, 1, 28, 28)).shape);
    }

    [Fact]
    public void Small_ResNets_have_the_keys_shapes_parameters_and_MACs_of_torchvisions_with_the_CIFAR_stem()
    {
        using var run = TorchVisionReference.Run("cifar_stem", Names);
        var theirs = JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(run.File("cifar_stem.json")),
            new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        Assert.Equal(11_173_962, theirs["resnet18"].Parameters);
        foreach (string name in Names)
        {
            using var net = Registry.Create(name, numClasses: 10, inChannels: 3, small: true);
            var ours = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
            var reference = theirs[name];
            Assert.Equal(reference.Keys.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
            Assert.All(reference.Keys, kv => Assert.True(kv.Value.SequenceEqual(ours[kv.Key]), $"{name}: {kv.Key}"));
            Assert.Equal(reference.Parameters, Count(net));
            // Equal MACs at 32 px mean the same strides: the stem keeps the full 32×32 resolution for layer1.
            Assert.Equal(reference.Macs32, ReferenceTests.Macs(net, 32));
            output.WriteLine($"{name}: {reference.Parameters:N0} parameters, {reference.Macs32:N0} MACs at 32 px, as torchvision's");
        }
    }
}
