using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Registry = CnnCourse.Models.Models;
using TV = TorchSharp.torchvision.models;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // models are large and the machine has 2 cores

namespace CnnCourse.Models.Tests;

/// <summary>torchvision 0.14's keys, shapes, parameter counts and MACs at 64 px for every ImageNet model it has, from one run of the script.</summary>
public sealed class TorchVisionInventory : IDisposable
{
    public sealed record Entry(long Parameters, Dictionary<string, long[]> Keys, long Macs64);

    private readonly TorchVisionReference run;

    public TorchVisionInventory()
    {
        run = TorchVisionReference.Run("inventory", ReferenceTests.TorchVisionNames);
        var json = File.ReadAllText(run.File("inventory.json"));
        Models = JsonSerializer.Deserialize<Dictionary<string, Entry>>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    public IReadOnlyDictionary<string, Entry> Models { get; }

    public void Dispose() => run.Dispose();
}

/// <summary>The ported models against torchvision 0.14 (Python) and TorchSharp's TorchVision 0.107 (C#).</summary>
public class ReferenceTests(TorchVisionInventory inventory, ITestOutputHelper output) : IClassFixture<TorchVisionInventory>
{
    /// <summary>Every registered model torchvision has, by the registry's own record of it.</summary>
    public static string[] TorchVisionNames => Registry.All.Where(m => m.ReferenceParameters is not null).Select(m => m.Name).ToArray();

    public static TheoryData<string> TorchVisionModels() => new(TorchVisionNames);

    private static long Count(nn.Module net) => net.parameters().Sum(p => p.numel());

    [Fact]
    public void The_registry_lists_torchvisions_30_ImageNet_variants_and_MobileNet_v3()
    {
        // 30 variants of the old zoo, plus mobilenet_v3_large and mobilenet_v3_small.
        Assert.Equal(32, TorchVisionNames.Length);
        Assert.Contains("mobilenet_v3_large", TorchVisionNames);
        Assert.Contains("mobilenet_v3_small", TorchVisionNames);
    }

    /// <summary>
    /// Multiply-accumulates of one 1×3×size×size forward pass, by the reference script's convention:
    /// a convolution costs output elements × C_in/groups × kH × kW (the weight's last three dimensions),
    /// a linear layer output elements × in_features.
    /// </summary>
    internal static long Macs(nn.Module<Tensor, Tensor> net, int size)
    {
        long total = 0;
        var hooks = net.modules().OfType<nn.Module<Tensor, Tensor>>().Select(m => m switch
        {
            Conv2d or Linear => m.register_forward_hook((module, input, output) =>
            {
                var weight = module is Conv2d conv ? conv.weight : ((Linear)module).weight;
                total += output.numel() * weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
                return output;
            }),
            _ => null,
        }).Where(h => h is not null).ToList();
        net.eval();
        using (var scope = NewDisposeScope())
        using (no_grad())
            net.call(zeros(1, 3, size, size));
        foreach (var h in hooks) h!.remove();
        return total;
    }

    [Theory]
    [MemberData(nameof(TorchVisionModels))]
    public void State_dict_keys_shapes_parameter_count_and_MACs_equal_torchvisions(string name)
    {
        var theirs = inventory.Models[name];
        using var net = Registry.Create(name);
        var ours = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        var missing = theirs.Keys.Keys.Except(ours.Keys).ToList();
        var unexpected = ours.Keys.Except(theirs.Keys.Keys).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            $"{name}: missing {missing.Count} ({string.Join(", ", missing.Take(5))}); unexpected {unexpected.Count} ({string.Join(", ", unexpected.Take(5))})");
        var wrong = theirs.Keys.Where(kv => !kv.Value.SequenceEqual(ours[kv.Key]))
                               .Select(kv => $"{kv.Key}: torchvision [{string.Join(",", kv.Value)}], ours [{string.Join(",", ours[kv.Key])}]").ToList();
        Assert.True(wrong.Count == 0, $"{name}: {wrong.Count} shapes differ: {string.Join("; ", wrong.Take(5))}");
        Assert.Equal(theirs.Parameters, Count(net));
        Assert.Equal(theirs.Parameters, Registry.Info(name).ReferenceParameters);
        // Equal MACs mean equal strides, paddings and dilations, which keys and counts cannot see.
        Assert.Equal(theirs.Macs64, Macs(net, 64));
    }

    /// <summary>TorchSharp's TorchVision builders, for every model both have (its googlenet() has no auxiliary heads, unlike Python's default).</summary>
    public static TheoryData<string> TorchSharpTorchVisionModels() => new(TorchSharpBuilders.Keys);

    private static readonly Dictionary<string, Func<nn.Module>> TorchSharpBuilders = new()
    {
        ["alexnet"] = () => TV.alexnet(),
        ["vgg11"] = () => TV.vgg11(),
        ["vgg11_bn"] = () => TV.vgg11_bn(),
        ["vgg13"] = () => TV.vgg13(),
        ["vgg13_bn"] = () => TV.vgg13_bn(),
        ["vgg16"] = () => TV.vgg16(),
        ["vgg16_bn"] = () => TV.vgg16_bn(),
        ["vgg19"] = () => TV.vgg19(),
        ["vgg19_bn"] = () => TV.vgg19_bn(),
        ["googlenet"] = () => TV.googlenet(),
        ["resnet18"] = () => TV.resnet18(),
        ["resnet34"] = () => TV.resnet34(),
        ["resnet50"] = () => TV.resnet50(),
        ["resnet101"] = () => TV.resnet101(),
        ["resnet152"] = () => TV.resnet152(),
        ["wide_resnet50_2"] = () => TV.wide_resnet50_2(),
        ["resnext50_32x4d"] = () => TV.resnext50_32x4d(),
        ["mobilenet_v2"] = () => TV.mobilenet_v2(),
        ["mobilenet_v3_large"] = () => TV.mobilenet_v3_large(),
        ["mobilenet_v3_small"] = () => TV.mobilenet_v3_small(),
    };

    [Theory]
    [MemberData(nameof(TorchSharpTorchVisionModels))]
    public void Parameter_count_equals_TorchSharps_TorchVision(string name)
    {
        long theirs;
        using (var reference = TorchSharpBuilders[name]()) theirs = Count(reference);
        using var net = Registry.Create(name);
        output.WriteLine($"{name}: {Count(net):N0} parameters, TorchVision 0.107 {theirs:N0}");
        Assert.Equal(theirs, Count(net));
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("vgg11_bn")]
    [InlineData("mobilenet_v2")]
    [InlineData("mobilenet_v3_small")]
    [InlineData("efficientnet_b0")]
    [InlineData("densenet121")]
    [InlineData("googlenet")]
    public void Torchvision_weights_load_through_PyBridge_and_give_torchvisions_logits(string name)
    {
        // Seeded weights and batch-norm statistics saved by Debian's torch 1.13, an input and its logits.
        using var files = TorchVisionReference.Run("logits", [name]);
        using var net = Registry.Create(name);
        var loaded = new Dictionary<string, bool>();
        net.load_py(files.File(name + ".pth"), strict: true, loadedParameters: loaded);
        Assert.Equal(net.state_dict().Count, loaded.Count(kv => kv.Value));
        net.eval();
        using var scope = NewDisposeScope();
        var io = PyTorchUnpickler.UnpickleStateDict(files.File(name + ".io.pth"));
        var input = (Tensor)io["input"]!;
        var expected = (Tensor)io["logits"]!;
        using (no_grad())
        {
            var logits = net.call(input);
            Assert.Equal(expected.shape, logits.shape);
            double largest = (logits - expected).abs().max().item<float>();
            double scale = expected.abs().max().item<float>();
            output.WriteLine($"{name}: largest |Δlogit| = {largest:E2} (logits up to {scale:F3})");
            Assert.True(largest < 1e-4, $"{name}: largest |Δlogit| = {largest:E2}");
            // torchvision's initialisation gives small logits (MobileNet v3 below 0.01), where 1e-4 alone would be a loose bound.
            Assert.True(largest <= 1e-4 * scale, $"{name}: largest |Δlogit| = {largest:E2} against logits up to {scale:E2}");
        }
    }
}
