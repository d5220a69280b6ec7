using CnnCourse.Torch;
using F = CnnCourse.Torch.torch.nn.functional;

namespace CnnCourse.Torch.Tests;

// Finite-difference checks of autograd through torch.nn.functional, all in float64.
public class FunctionalGradientTests
{
    [Fact]
    public void Conv2d_with_groups_stride_padding_and_bias()
    {
        using var scope = torch.NewDisposeScope();
        var x = GradCheck.Random(new long[] { 2, 4, 6, 5 }, seed: 1);
        var w = GradCheck.Random(new long[] { 6, 2, 3, 3 }, seed: 2);
        var b = GradCheck.Random(new long[] { 6 }, seed: 3);
        GradCheck.Assert(t => F.conv2d(t[0], t[1], t[2], stride: 2, padding: 1, groups: 2), new[] { x, w, b });
        GradCheck.Assert(t => F.conv2d(t[0], t[1], null, stride: (1, 2), padding: (2, 0), dilation: (2, 1)), new[] { x, GradCheck.Random(new long[] { 3, 4, 2, 2 }, seed: 4) });
    }

    [Fact]
    public void Conv2d_same_padding_and_transposed_convolution()
    {
        using var scope = torch.NewDisposeScope();
        var x = GradCheck.Random(new long[] { 1, 2, 4, 4 }, seed: 5);
        GradCheck.Assert(t => F.conv2d(t[0], t[1], padding: "same"), new[] { x, GradCheck.Random(new long[] { 3, 2, 2, 3 }, seed: 6) });
        GradCheck.Assert(t => F.conv_transpose2d(t[0], t[1], t[2], stride: 2, padding: 1, output_padding: 1),
            new[] { x, GradCheck.Random(new long[] { 2, 3, 3, 3 }, seed: 7), GradCheck.Random(new long[] { 3 }, seed: 8) });
    }

    [Fact]
    public void Linear()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Assert(t => F.linear(t[0], t[1], t[2]),
            new[] { GradCheck.Random(new long[] { 3, 5 }, 9), GradCheck.Random(new long[] { 4, 5 }, 10), GradCheck.Random(new long[] { 4 }, 11) });
    }

    [Fact]
    public void Batch_norm_in_training_mode()
    {
        using var scope = torch.NewDisposeScope();
        var runningMean = torch.zeros(new long[] { 3 }, torch.float64);
        var runningVar = torch.ones(new long[] { 3 }, torch.float64);
        GradCheck.Assert(t => F.batch_norm(t[0], runningMean, runningVar, t[1], t[2], training: true),
            new[] { GradCheck.Random(new long[] { 4, 3, 2, 2 }, 12), GradCheck.Random(new long[] { 3 }, 13, 0.5, 1.5), GradCheck.Random(new long[] { 3 }, 14) });
        // and through the running statistics in evaluation mode
        GradCheck.Assert(t => F.batch_norm(t[0], runningMean, runningVar, t[1], t[2], training: false),
            new[] { GradCheck.Random(new long[] { 2, 3, 2, 2 }, 15), GradCheck.Random(new long[] { 3 }, 16), GradCheck.Random(new long[] { 3 }, 17) });
    }

    [Fact]
    public void Max_and_average_pooling()
    {
        using var scope = torch.NewDisposeScope();
        // distinct values (a shuffled ramp) keep every maximum away from ties
        var random = new Random(18);
        var values = Enumerable.Range(0, 2 * 2 * 7 * 6).Select(i => i * 0.01).OrderBy(_ => random.Next()).ToArray();
        var x = torch.tensor(values, new long[] { 2, 2, 7, 6 });
        GradCheck.Assert(t => F.max_pool2d(t[0], 3, stride: 2, padding: 1), new[] { x });
        GradCheck.Assert(t => F.max_pool2d(t[0], 2, ceil_mode: true, dilation: (1, 2)), new[] { x });
        GradCheck.Assert(t => F.avg_pool2d(t[0], 3, stride: 2, padding: 1, count_include_pad: false), new[] { x });
        GradCheck.Assert(t => F.avg_pool2d(t[0], (2, 3), ceil_mode: true), new[] { x });
        GradCheck.Assert(t => F.adaptive_avg_pool2d(t[0], (3, 2)), new[] { x });
        GradCheck.Assert(t => F.adaptive_max_pool2d(t[0], 2), new[] { x });
    }

    [Fact]
    public void Cross_entropy_with_indices_probabilities_smoothing_and_weights()
    {
        using var scope = torch.NewDisposeScope();
        var logits = GradCheck.Random(new long[] { 4, 5 }, 19, -2, 2);
        var target = torch.tensor(new long[] { 0, 3, 4, 1 });
        var weight = torch.tensor(new double[] { 1, 2, 0.5, 1, 3 });
        GradCheck.Assert(t => F.cross_entropy(t[0], target), new[] { logits });
        GradCheck.Assert(t => F.cross_entropy(t[0], target, weight, label_smoothing: 0.1), new[] { logits });
        GradCheck.Assert(t => F.cross_entropy(t[0], torch.tensor(new long[] { 0, -100, 4, 1 }), reduction: torch.nn.Reduction.Sum), new[] { logits });
        var probabilities = F.softmax(GradCheck.Random(new long[] { 4, 5 }, 20), 1);
        GradCheck.Assert(t => F.cross_entropy(t[0], t[1], label_smoothing: 0.2), new[] { logits, probabilities });
        // spatial targets: (N, C, H, W) logits with (N, H, W) classes
        GradCheck.Assert(t => F.cross_entropy(t[0], torch.tensor(new long[] { 0, 2, 1, 1 }, new long[] { 1, 2, 2 })),
            new[] { GradCheck.Random(new long[] { 1, 3, 2, 2 }, 21) });
    }

    [Fact]
    public void Activations_and_normalizations()
    {
        using var scope = torch.NewDisposeScope();
        // values away from the kinks (0 for relu, ±3 for the hard functions) so differences are smooth
        var x = torch.tensor(new double[] { -4.2, -2.5, -1.3, -0.4, 0.3, 0.9, 2.2, 3.6, 6.4 }, new long[] { 3, 3 });
        foreach (var f in new Func<Tensor, Tensor>[]
                 {
                     v => F.relu(v), v => F.relu6(v), v => F.leaky_relu(v, 0.2), v => F.gelu(v), v => F.gelu(v, "tanh"),
                     v => F.silu(v), v => F.hardswish(v), v => F.hardsigmoid(v), v => F.sigmoid(v), v => F.tanh(v),
                     v => F.softmax(v, 1), v => F.log_softmax(v, 0),
                 })
            GradCheck.Assert(t => f(t[0]), new[] { x });
        GradCheck.Assert(t => F.layer_norm(t[0], new long[] { 3 }, t[1], t[2]),
            new[] { x, GradCheck.Random(new long[] { 3 }, 22), GradCheck.Random(new long[] { 3 }, 23) });
        GradCheck.Assert(t => F.local_response_norm(t[0], 3, alpha: 0.5), new[] { GradCheck.Random(new long[] { 2, 4, 2, 2 }, 24) });
        GradCheck.Assert(t => F.mse_loss(t[0], t[1]), new[] { x, GradCheck.Random(new long[] { 3, 3 }, 25) });
        GradCheck.Assert(t => F.interpolate(t[0], scale_factor: 2, mode: InterpolationMode.Bilinear), new[] { GradCheck.Random(new long[] { 1, 1, 3, 3 }, 26) });
    }

    [Fact]
    public void Residual_block_of_functional_calls()
    {
        // conv-bn-relu-conv-bn, plus the identity, then relu: ResNet's basic block.
        using var scope = torch.NewDisposeScope();
        var runningMean = torch.zeros(new long[] { 3 }, torch.float64);
        var runningVar = torch.ones(new long[] { 3 }, torch.float64);
        Tensor Block(Tensor[] t)
        {
            var y = F.conv2d(t[0], t[1], padding: 1);
            y = F.relu(F.batch_norm(y, runningMean, runningVar, t[2], t[3], training: true));
            y = F.conv2d(y, t[4], padding: 1);
            y = F.batch_norm(y, runningMean, runningVar, t[5], t[6], training: true);
            return F.relu(y + t[0]);
        }
        GradCheck.Assert(Block, new[]
        {
            GradCheck.Random(new long[] { 2, 3, 4, 4 }, 27),
            GradCheck.Random(new long[] { 3, 3, 3, 3 }, 28), GradCheck.Random(new long[] { 3 }, 29, 0.5, 1.5), GradCheck.Random(new long[] { 3 }, 30),
            GradCheck.Random(new long[] { 3, 3, 3, 3 }, 31), GradCheck.Random(new long[] { 3 }, 32, 0.5, 1.5), GradCheck.Random(new long[] { 3 }, 33),
        });
    }

    [Fact]
    public void The_checker_catches_a_wrong_gradient()
    {
        // x·detach(x): autograd says x, the true derivative is 2x.
        using var scope = torch.NewDisposeScope();
        var x = GradCheck.Random(new long[] { 3 }, 34);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GradCheck.Assert(t => t[0] * t[0].detach(), new[] { x }));
    }
}
