using CnnCourse.Analysis;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Registry = CnnCourse.Models.Models;

namespace CnnCourse.Models.Tests;

/// <summary>Every registered model builds in both configurations with a non-default class count, and bad requests fail clearly.</summary>
public class RegistryTests
{
    public static TheoryData<string> AllModels() => new(Registry.All.Select(m => m.Name));
    public static TheoryData<string> ImageNetModels() => new(Registry.All.Where(m => !m.SmallOnly).Select(m => m.Name));

    private static long Count(nn.Module net) => net.parameters().Sum(p => p.numel());

    [Theory]
    [MemberData(nameof(AllModels))]
    public void Small_form_gives_7_logits_for_a_one_channel_batch(string name)
    {
        manual_seed(1);
        var info = Registry.Info(name);
        int size = info.Name == "lenet5_classic" ? 32 : 28;   // Fashion-MNIST's size; the classic LeNet-5 wants 32
        using var net = Registry.Create(name, numClasses: 7, inChannels: 1, small: true);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // Training mode, so that stochastic depth, dropout, batch statistics and GoogLeNet's auxiliary
        // heads take part; the ImageNet test below runs the same layers in evaluation mode.
        net.train();
        var logits = net.call(randn(2, 1, size, size));
        Assert.Equal([2, 7], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>(), $"{name}: non-finite logits");
    }

    [Theory]
    [MemberData(nameof(ImageNetModels))]
    public void ImageNet_form_honours_the_class_count(string name)
    {
        // A non-default class count changes exactly the classifier (no hard-coded 1000). 64 px keeps the
        // test short; the paper's AlexNet (227 px, unpadded 11×11/4 stem) needs 96 for its last pool.
        var info = Registry.Info(name);
        int size = info.Family == "LeNet" ? info.InputSize : info.InputSize == 227 ? 96 : 64;
        using var net = Registry.Create(name, numClasses: 7);
        Assert.DoesNotContain(net.named_parameters(), p => p.parameter.shape.Length > 0 && p.parameter.shape[0] == 1000);
        net.eval();
        using var scope = NewDisposeScope();
        using (no_grad())
            Assert.Equal([1, 7], net.call(randn(1, 3, size, size)).shape);
    }

    [Fact]
    public void Unknown_names_and_bad_arguments_raise_ArgumentException_naming_the_models()
    {
        var unknown = Assert.Throws<ArgumentException>(() => Registry.Create("resnet51"));
        Assert.Equal("name", unknown.ParamName);
        Assert.All(Registry.All, m => Assert.Contains(m.Name, unknown.Message));
        Assert.Throws<ArgumentException>(() => Registry.Info(""));
        var smallOnly = Assert.Throws<ArgumentException>(() => Registry.Create("resnet56"));
        Assert.Contains("small", smallOnly.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Registry.Create("resnet18", numClasses: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Registry.Create("vgg11", inChannels: 0));
    }

    [Fact]
    public void Unsupported_settings_raise_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new Vgg('C'));
        Assert.Throws<ArgumentException>(() => new CifarResNet(21));
        var basic = Assert.Throws<ArgumentException>(() => new ResNet(ResNet.ResNet18 with { Groups = 32, WidthPerGroup = 4 }));
        Assert.Contains("Bottleneck", basic.Message);
        Assert.Throws<ArgumentException>(() => new ResNet(ResNet.ResNet18 with { Layers = [2, 2, 2] }));
        Assert.Throws<ArgumentException>(() => new BasicBlock(64, 64, groups: 2));
        Assert.Throws<ArgumentException>(() => new InvertedResidual(16, 16, stride: 3, expandRatio: 6));
        Assert.Throws<ArgumentException>(() => new InvertedResidualV3(MobileNetV3.Large[0] with { Stride = 3 }, Blocks.BatchNorm));
        Assert.Throws<ArgumentException>(() => new MBConv(16, 16, 6, 3, stride: 4, 0, Blocks.BatchNorm));
        Assert.Throws<ArgumentException>(() => new StochasticDepth(0.2, "column"));
        Assert.Throws<ArgumentException>(() => new Inception(192, 64, 96, 128, 16, 32, 32, fiveByFiveKernel: 7));
        Assert.Throws<ArgumentException>(() => new DenseNet(DenseNet.DenseNet121 with { BlockConfig = [] }));
        Assert.Throws<ArgumentException>(() => new MobileNetV3([], MobileNetV3.LargeLastChannel));
    }

    [Fact]
    public void Paper_tables_give_the_papers_numbers()
    {
        Assert.Equal([11, 13, 16, 19], "ABDE".Select(Vgg.Depth));
        Assert.Equal([18, 34, 50, 101, 152],
            new[] { ResNet.ResNet18, ResNet.ResNet34, ResNet.ResNet50, ResNet.ResNet101, ResNet.ResNet152 }.Select(c => c.Depth));
        using var lenet = Registry.Create("lenet5", numClasses: 10, inChannels: 1);
        Assert.Equal(61_706, Count(lenet));
        using var classic = Registry.Create("lenet5_classic", numClasses: 10, inChannels: 1);
        Assert.Equal(61_706, Count(classic));
        using var cifar20 = Registry.Create("resnet20", numClasses: 10, small: true);
        Assert.Equal(269_722, Count(cifar20)); // "0.27M" in the paper's Table 6
        using var v1 = Registry.Create("mobilenet_v1");
        Assert.Equal(4_231_976, Count(v1));    // "4.2 million" in the paper's Table 8
        var (depth, width, resolution) = EfficientNetScaling.Compound(1);
        Assert.Equal((1.2, 1.1, 257.6), (depth, width, Math.Round(resolution, 1)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AlexNet_forms_differ_by_their_normalization_in_both_configurations(bool small)
    {
        string[] Layers(string name)
        {
            using var net = Registry.Create(name, numClasses: 10, inChannels: small ? 1 : 3, small: small);
            return net.named_modules().Where(m => m.name.StartsWith("features.", StringComparison.Ordinal)).Select(m => m.module.GetType().Name).ToArray();
        }
        var plain = Layers("alexnet");
        var lrn = Layers("alexnet_lrn");
        var bn = Layers("alexnet_bn");
        Assert.Equal(0, plain.Count(t => t is "LocalResponseNorm" or "BatchNorm2d"));
        Assert.Equal(2, lrn.Count(t => t == "LocalResponseNorm"));   // after conv1 and conv2, as in the paper
        Assert.Equal(0, lrn.Count(t => t == "BatchNorm2d"));
        Assert.Equal(5, bn.Count(t => t == "BatchNorm2d"));          // after every convolution
        Assert.Equal(0, bn.Count(t => t == "LocalResponseNorm"));
        Assert.All(new[] { plain, lrn, bn }, layers => Assert.Equal(5, layers.Count(t => t == "Conv2d")));
    }

    [Fact]
    public void ResNet_returns_stage_outputs_C2_to_C5()
    {
        using var net = (ResNet)Registry.Create("resnet18");
        net.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var features = net.forward_features(randn(1, 3, 64, 64));
        Assert.Equal(["C2", "C3", "C4", "C5"], features.Select(f => f.Name));
        Assert.Equal([1, 64, 16, 16], features[0].Features.shape);
        Assert.Equal([1, 512, 2, 2], features[3].Features.shape);
    }

    [Fact]
    public void EfficientNet_B0_with_a_stride_1_stem_does_on_28_px_the_work_of_the_ImageNet_strides_on_56_px()
    {
        // Lesson 11's configuration: B0 with a stride-1 stem and the table's strides after it. One channel, 10 classes,
        // counts by Summary on this library's B0: the same weights as the other forms, maps 28 → 14 → 7 → 4 → 2.
        var b0 = EfficientNet.Variants[0];
        using var stemOne = new EfficientNet(b0, numClasses: 10, inChannels: 1, stemStride: 1);
        using var imageNet = new EfficientNet(b0, numClasses: 10, inChannels: 1);
        using var small = new EfficientNet(b0, numClasses: 10, inChannels: 1, small: true);
        var s = Summary.Of(stemOne, 1, 1, 28, 28);
        Assert.Equal(4_019_782, s.TotalParameters);
        Assert.Equal(29_207_488, s.TotalMacs);
        Assert.Equal(new long[] { 1, 1280, 2, 2 }, s.Row("features").OutputShape!.ToArray());
        Assert.Equal(29_207_488, Summary.Of(imageNet, 1, 1, 56, 56).TotalMacs);
        var strided = Summary.Of(imageNet, 1, 1, 28, 28);
        Assert.Equal((4_019_782L, 7_947_472L), (strided.TotalParameters, strided.TotalMacs));
        Assert.Equal(new long[] { 1, 1280, 1, 1 }, strided.Row("features").OutputShape!.ToArray());
        var smallSummary = Summary.Of(small, 1, 1, 28, 28);
        Assert.Equal((4_019_782L, 311_579_104L), (smallSummary.TotalParameters, smallSummary.TotalMacs));
        Assert.Throws<ArgumentException>(() => new EfficientNet(b0, stemStride: 3));
    }

    [Fact]
    public void GoogLeNet_gives_auxiliary_logits_only_in_training()
    {
        using var net = (GoogLeNet)Registry.Create("googlenet_aux", numClasses: 7, small: true);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = randn(2, 3, 32, 32);
        net.train();
        var outputs = net.forward_with_aux(x);
        Assert.Equal([2, 7], outputs.Aux1!.shape);
        Assert.Equal([2, 7], outputs.Aux2!.shape);
        net.eval();
        Assert.Null(net.forward_with_aux(x).Aux1);
    }

    [Fact]
    public void GoogLeNet_draws_its_convolution_and_linear_weights_from_a_normal_with_std_0_01()
    {
        // torchvision: trunc_normal_(m.weight, mean=0.0, std=0.01, a=-2, b=2). TorchSharp 0.107's own
        // trunc_normal_ filled every weight with 0.01: equal filters, and the small model did not learn.
        manual_seed(0);
        using var net = new GoogLeNet(numClasses: 10, inChannels: 1, auxLogits: true, small: true, widthDivisor: 8);
        var weights = net.modules().OfType<Conv2d>().Select(c => c.weight).Concat(net.modules().OfType<Linear>().Select(l => l.weight)).ToList();
        Assert.Equal(57 + 2 + 4 + 1, weights.Count);   // 3 stem + 9×6 Inception convolutions, 2 auxiliary convolutions, 2×2 auxiliary fc, fc
        foreach (var w in weights)
            Assert.True(w.flatten().unique().Item1.numel() > w.numel() / 2, $"a weight of shape [{string.Join(", ", w.shape)}] repeats its values");
        using var all = cat(weights.Select(w => w.detach().flatten()).ToList());
        Assert.InRange(all.std().item<float>(), 0.0099, 0.0101);
        Assert.InRange(all.mean().item<float>(), -2e-4, 2e-4);
    }

    [Fact]
    public void Zero_init_residual_starts_every_block_as_the_identity_branch()
    {
        using var net = new ResNet(ResNet.ResNet18, zeroInitResidual: true);
        var last = net.named_parameters().Where(p => p.name.EndsWith(".bn2.weight", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, last.Count);
        Assert.All(last, p => Assert.Equal(0, p.parameter.abs().sum().item<float>()));
        Assert.Equal(1, net.named_parameters().First(p => p.name == "layer1.0.bn1.weight").parameter.mean().item<float>());
    }

    [Fact]
    public void DenseBlock_and_SqueezeExcitation_keep_torchvisions_names()
    {
        using var block = new DenseBlock(3, 16, 8, 4);
        Assert.Equal(["denselayer1", "denselayer2", "denselayer3"], block.named_children().Select(c => c.name));
        Assert.Equal(16 + 3 * 8, block.OutFeatures);
        using var se = new SqueezeExcitation(32, 8);
        Assert.Equal(["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], se.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StochasticDepth_drops_whole_rows_and_scales_the_survivors_in_training_only()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = ones(64, 2, 3, 3);
        using var depth = new StochasticDepth(0.5, "row");
        depth.train();
        var y = depth.call(x);
        var perRow = y.flatten(1);
        // Every row is all 0 or all 1/(1-p) = 2, and both occur.
        Assert.True((perRow.eq(0).all(1) | perRow.eq(2).all(1)).all().item<bool>());
        Assert.InRange(perRow.eq(0).all(1).sum().item<long>(), 1, 63);
        depth.eval();
        Assert.True(depth.call(x).allclose(x, rtol: 0, atol: 0));
    }
}
