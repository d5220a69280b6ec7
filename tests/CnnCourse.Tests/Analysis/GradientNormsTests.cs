using CnnCourse.Analysis;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnCourse.Tests.Analysis;

public class GradientNormsTests
{
    [Fact]
    public void Norms_of_a_linear_layer_are_the_hand_computed_ones()
    {
        using var scope = torch.NewDisposeScope();
        using var fc = nn.Linear(2, 1);
        using (torch.no_grad())
        {
            fc.weight!.copy_(torch.tensor(new float[] { 1, 2 }, new long[] { 1, 2 }));
            fc.bias!.copy_(torch.tensor(new float[] { 0.5f }));
        }
        // loss = w·x + b with x = (3, 4): d/dw = x, ‖x‖ = 5; d/db = 1.
        var loss = fc.call(torch.tensor(new float[] { 3, 4 }, new long[] { 1, 2 })).sum();
        loss.backward();

        var parameters = GradientNorms.PerParameter(fc);
        Assert.Equal(new[] { "weight", "bias" }, parameters.Select(p => p.Name));
        Assert.Equal(5.0, parameters[0].GradNorm!.Value, 6);
        Assert.Equal(Math.Sqrt(5), parameters[0].WeightNorm, 6);
        Assert.Equal(1.0, parameters[1].GradNorm!.Value, 6);
        Assert.Equal(5 / Math.Sqrt(5), parameters[0].Ratio!.Value, 6);

        var layer = Assert.Single(GradientNorms.PerLayer(fc));
        Assert.Equal(Math.Sqrt(26), layer.GradNorm!.Value, 6);
        Assert.Equal(Math.Sqrt(5.25), layer.WeightNorm, 6);
        Assert.Equal(3, layer.Parameters);
        Assert.Equal("Linear", layer.Name); // the model itself is named by its type
    }

    [Fact]
    public void Layers_without_gradients_report_none_and_the_order_follows_the_network()
    {
        using var scope = torch.NewDisposeScope();
        using var net = TestModels.LeNet();
        var layers = GradientNorms.PerLayer(net);
        Assert.Equal(new[] { "features.0", "features.3", "classifier.1", "classifier.3", "classifier.5" }, layers.Select(l => l.Name));
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, layers.Select(l => l.Depth));
        Assert.All(layers, l => Assert.Null(l.GradNorm)); // no backward yet
        Assert.Equal(156, layers[0].Parameters);
    }

    [Fact]
    public void Gradients_vanish_towards_the_input_of_a_deep_sigmoid_network()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var net = nn.Sequential();
        for (int i = 0; i < 10; i++)
        {
            net.append(nn.Linear(32, 32));
            net.append(nn.Sigmoid());
        }
        using var _ = net;
        net.call(torch.randn(16, 32)).sum().backward();
        var norms = GradientNorms.PerLayer(net).Select(l => l.GradNorm!.Value).ToList();
        // Each sigmoid scales gradients by at most 1/4: the first layer's is far below the last's.
        Assert.True(norms[0] < norms[^1] / 100, $"first {norms[0]:G3}, last {norms[^1]:G3}");
    }
}
