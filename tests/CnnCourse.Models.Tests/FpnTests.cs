using TorchSharp.PyBridge;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CnnCourse.Models.Tests;

/// <summary>The feature pyramid over ResNet's C2…C5: shapes, keys, and outputs against torchvision 0.14's ops.FeaturePyramidNetwork.</summary>
public class FpnTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    public void P2_to_P5_have_256_channels_at_strides_4_to_32_for_224_px(string name)
    {
        manual_seed(0);
        using var net = new ResNetFpn((ResNet)Models.Create(name));
        net.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var pyramid = net.call(randn(1, 3, 224, 224));
        Assert.Equal(["P2", "P3", "P4", "P5"], pyramid.Select(p => p.Name));
        long[][] expected = [[1, 256, 56, 56], [1, 256, 28, 28], [1, 256, 14, 14], [1, 256, 7, 7]];
        Assert.Equal(expected, pyramid.Select(p => p.Features.shape));
        Assert.Equal([4, 8, 16, 32], pyramid.Select(p => 224 / p.Features.shape[2]));
        output.WriteLine($"{name}: " + string.Join(", ", pyramid.Select(p => $"{p.Name} {string.Join("×", p.Features.shape)}")));
    }

    [Fact]
    public void Keys_are_torchvisions_and_bad_inputs_name_the_expected_channels()
    {
        using var fpn = new FeaturePyramidNetwork([64, 128, 256, 512]);
        string[] keys = [.. Enumerable.Range(0, 4).SelectMany(i => new[] { $"inner_blocks.{i}.0", $"layer_blocks.{i}.0" })
                                      .SelectMany(k => new[] { k + ".weight", k + ".bias" })];
        Assert.Equal(keys.Order(StringComparer.Ordinal), fpn.state_dict().Keys.Order(StringComparer.Ordinal));
        // Laterals 1×1 (C → 256, with bias), then four 3×3 convolutions 256 → 256: 2,607,104.
        Assert.Equal((64 + 128 + 256 + 512) * 256 + 4 * 256 + 4 * (256 * 256 * 9 + 256), fpn.parameters().Sum(p => p.numel()));
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => fpn.call([randn(1, 64, 8, 8), randn(1, 128, 4, 4), randn(1, 256, 2, 2)]));
        Assert.Contains("[64, 128, 256, 512]", error.Message);
        Assert.Throws<ArgumentException>(() => new FeaturePyramidNetwork([]));
        Assert.Throws<ArgumentException>(() => new FeaturePyramidNetwork([64], outChannels: 0));
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    public void Seeded_weights_give_torchvisions_P2_to_P5(string name)
    {
        // Debian's torch 1.13 writes a seeded ResNet, a seeded ops.FeaturePyramidNetwork(C2…C5 channels, 256) with
        // non-zero biases, a 2×3×224×224 image and its P2…P5, and the pyramid's outputs q2…q5 for standard-normal maps c2…c5.
        using var files = TorchVisionReference.Run("fpn", [name]);
        using var net = new ResNetFpn((ResNet)Models.Create(name));
        var loaded = new Dictionary<string, bool>();
        net.Body.load_py(files.File(name + ".pth"), strict: true, loadedParameters: loaded);
        Assert.Equal(net.Body.state_dict().Count, loaded.Count(kv => kv.Value));
        loaded.Clear();
        net.Fpn.load_py(files.File(name + ".fpn.pth"), strict: true, loadedParameters: loaded);
        Assert.Equal(16, loaded.Count(kv => kv.Value));
        net.eval();
        using var scope = NewDisposeScope();
        var io = PyTorchUnpickler.UnpickleStateDict(files.File(name + ".fpn.io.pth"));
        Tensor Io(string key) => (Tensor)io[key]!;
        using var _ = no_grad();
        // The pyramid alone on unit-scale maps (absolute tolerance), then the whole backbone from the image: the untrained
        // ResNet-50's maps reach the hundreds, so that comparison is relative to the largest value.
        var alone = net.Fpn.call([Io("c2"), Io("c3"), Io("c4"), Io("c5")]);
        var whole = net.call(Io("input"));
        for (int level = 2; level <= 5; level++)
        {
            var expectedAlone = Io($"q{level}");
            var expected = Io($"p{level}");
            var fromC = alone[level - 2];
            var fromImage = whole[level - 2].Features;
            Assert.Equal(expectedAlone.shape, fromC.shape);
            Assert.Equal(expected.shape, fromImage.shape);
            double scaleAlone = expectedAlone.abs().max().item<float>();
            double scale = expected.abs().max().item<float>();
            double errC = (fromC - expectedAlone).abs().max().item<float>();
            double errImage = (fromImage - expected).abs().max().item<float>();
            output.WriteLine($"{name} P{level} [{string.Join("×", expected.shape)}]: largest |Δ| {errC:E2} for unit-scale C{level} " +
                             $"(values up to {scaleAlone:F3}); {errImage:E2} from the image (values up to {scale:F3})");
            Assert.True(errC < 1e-4, $"P{level} from unit-scale C{level}: largest |Δ| = {errC:E2}");
            Assert.True(errImage < 1e-4 * Math.Max(1, scale), $"P{level} from the image: largest |Δ| = {errImage:E2} (values up to {scale:E2})");
        }
    }
}
