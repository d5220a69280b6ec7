using CnnCourse.Analysis;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Analysis;

public class FeatureExtractorTests
{
    [Fact]
    public void Captures_the_outputs_of_named_layers_as_detached_copies()
    {
        using var scope = torch.NewDisposeScope();
        using var net = TestModels.LeNet();
        var x = torch.randn(2, 1, 28, 28);
        using var features = new FeatureExtractor(net, "features.0", "features");
        var y = net.call(x); // grad mode on, training mode: the captures still carry no graph

        var conv = features["features.0"];
        Assert.Equal(new long[] { 2, 6, 28, 28 }, conv.shape);
        Assert.False(conv.requires_grad);
        Assert.True(Same(conv, ((Conv2d)TestModels.At(net, "features.0")).forward(x))); // forward: no hooks, so the capture stays
        Assert.Equal(new long[] { 2, 16, 5, 5 }, features["features"].shape);
        Assert.Equal(new[] { "features.0", "features" }, features.Features.Keys);
        Assert.True(y.requires_grad);
    }

    [Fact]
    public void A_later_in_place_layer_does_not_change_a_capture()
    {
        using var scope = torch.NewDisposeScope();
        using var net = nn.Sequential(nn.Identity(), nn.ReLU(inplace: true));
        var x = torch.tensor(new float[] { -1, 2, -3, 4 });
        var maps = FeatureExtractor.Capture(net, x, "0");
        Assert.Equal(new float[] { -1, 2, -3, 4 }, maps["0"].data<float>().ToArray());
    }

    [Fact]
    public void The_next_pass_replaces_the_captures_and_dispose_removes_the_hooks()
    {
        using var scope = torch.NewDisposeScope();
        using var net = TestModels.LeNet();
        var features = new FeatureExtractor(net, "classifier.1");
        Assert.Equal(1, TestModels.HookCount(TestModels.At(net, "classifier.1")));
        Assert.False(features.TryGet("classifier.1", out _));
        Assert.Throws<InvalidOperationException>(() => features["classifier.1"]);
        Assert.Throws<KeyNotFoundException>(() => features["classifier.3"]);

        var first = features.Run(torch.zeros(1, 1, 28, 28))["classifier.1"];
        var second = features.Run(torch.ones(1, 1, 28, 28))["classifier.1"];
        Assert.True(first.IsInvalid); // disposed
        Assert.False(second.IsInvalid);
        Assert.True(net.training); // Run restores the mode

        features.Dispose();
        Assert.True(second.IsInvalid);
        Assert.Equal(0, TestModels.HookCountInTree(net));
        Assert.Throws<ObjectDisposedException>(() => features["classifier.1"]);
        features.Dispose(); // twice is harmless
    }

    [Fact]
    public void Capture_hands_the_maps_to_the_callers_scope()
    {
        using var net = TestModels.LeNet();
        Dictionary<string, Tensor> maps;
        using (var scope = torch.NewDisposeScope())
        {
            maps = FeatureExtractor.Capture(net, torch.zeros(1, 1, 28, 28), "features.2", "classifier.0");
            Assert.Equal(new long[] { 1, 6, 14, 14 }, maps["features.2"].shape);
            Assert.Equal(new long[] { 1, 400 }, maps["classifier.0"].shape);
            Assert.Equal(0, TestModels.HookCountInTree(net));
        }
        Assert.All(maps.Values, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void Unknown_or_unused_layers_are_clear_errors()
    {
        using var scope = torch.NewDisposeScope();
        using var net = TestModels.LeNet();
        var e = Assert.Throws<ArgumentException>(() => new FeatureExtractor(net, "features.9"));
        Assert.Contains("'features.9'", e.Message);
        Assert.Contains("The modules in 'features': 'features.0', 'features.1'", e.Message);
        e = Assert.Throws<ArgumentException>(() => new FeatureExtractor(net, "conv1"));
        Assert.Contains("'features', 'classifier'", e.Message); // top-level modules
        Assert.Throws<ArgumentException>(() => new FeatureExtractor(net));
        Assert.Equal(0, TestModels.HookCountInTree(net));

        using var block = new TestModels.ResidualBlock();
        block.register_module("spare", nn.ReLU()); // registered, but forward() never calls it
        var unused = Assert.Throws<InvalidOperationException>(() => FeatureExtractor.Capture(block, torch.zeros(1, 4, 3, 3), "conv", "spare"));
        Assert.Contains("'spare'", unused.Message);
        Assert.Equal(0, TestModels.HookCountInTree(block));
    }

    [Fact]
    public void Filters_are_detached_copies_of_a_convolutions_weight()
    {
        using var scope = torch.NewDisposeScope();
        using var net = TestModels.LeNet();
        var filters = Filters.Of(net, "features.3");
        Assert.Equal(new long[] { 16, 6, 5, 5 }, filters.shape);
        Assert.False(filters.requires_grad);
        var conv = (Conv2d)TestModels.At(net, "features.3");
        Assert.True(Same(filters, conv.weight!));
        filters.zero_();
        Assert.False(Same(filters, conv.weight!)); // a copy, not a view
        Assert.Throws<ArgumentException>(() => Filters.Of(net, "features.1"));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
