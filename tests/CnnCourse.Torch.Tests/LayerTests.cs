using CnnCourse.Torch;
using CnnCourse.Torch.Modules;
using F = CnnCourse.Torch.torch.nn.functional;
using nn = CnnCourse.Torch.torch.nn;

namespace CnnCourse.Torch.Tests;

// The layer modules: parameter names and shapes, PyTorch's default initialisation, BatchNorm's
// running statistics, train/eval behaviour, printing. Values marked "PyTorch 1.13" were computed
// with torch.nn in Python (Debian python3-torch 1.13.1).
public class LayerTests
{
    private static (string name, long[] shape)[] Parameters(Module m) =>
        m.named_parameters().Select(p => (p.name, p.parameter.shape)).ToArray();

    private static void AssertShapes(Module m, params (string name, long[] shape)[] expected)
    {
        var actual = Parameters(m);
        Assert.Equal(expected.Select(e => e.name), actual.Select(a => a.name));
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i].shape, actual[i].shape);
    }

    [Fact]
    public void Parameter_names_and_shapes_are_pytorchs()
    {
        using var conv = nn.Conv2d(4, 8, 3, groups: 2);
        AssertShapes(conv, ("weight", new long[] { 8, 2, 3, 3 }), ("bias", new long[] { 8 }));
        using var stem = nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        AssertShapes(stem, ("weight", new long[] { 64, 3, 7, 7 }));
        using var rect = nn.Conv2d(1, 2, (1, 5));
        AssertShapes(rect, ("weight", new long[] { 2, 1, 1, 5 }), ("bias", new long[] { 2 }));
        using var up = nn.ConvTranspose2d(6, 4, 3, stride: 2, groups: 2);
        AssertShapes(up, ("weight", new long[] { 6, 2, 3, 3 }), ("bias", new long[] { 4 }));
        using var fc = nn.Linear(120, 84);
        AssertShapes(fc, ("weight", new long[] { 84, 120 }), ("bias", new long[] { 84 }));
        using var ln = nn.LayerNorm(new long[] { 2, 3 });
        AssertShapes(ln, ("weight", new long[] { 2, 3 }), ("bias", new long[] { 2, 3 }));
        using var plain = nn.LayerNorm(5, elementwise_affine: false);
        Assert.Empty(Parameters(plain));

        using var bn = nn.BatchNorm2d(16);
        AssertShapes(bn, ("weight", new long[] { 16 }), ("bias", new long[] { 16 }));
        Assert.Equal(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }, bn.state_dict().Keys);
        Assert.Equal(ScalarType.Int64, bn.num_batches_tracked!.dtype);
        Assert.Equal(Array.Empty<long>(), bn.num_batches_tracked.shape);
        using var bnPlain = nn.BatchNorm2d(4, affine: false, track_running_stats: false);
        Assert.Empty(bnPlain.state_dict());

        foreach (var m in new Module[]
                 {
                     nn.ReLU(), nn.ReLU6(), nn.LeakyReLU(), nn.GELU(), nn.SiLU(), nn.Hardswish(), nn.Hardsigmoid(), nn.Sigmoid(),
                     nn.Tanh(), nn.Softmax(1), nn.LogSoftmax(1), nn.MaxPool2d(2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(1),
                     nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Identity(), nn.Dropout(), nn.Dropout2d(), nn.LocalResponseNorm(5),
                     nn.CrossEntropyLoss(), nn.NLLLoss(), nn.MSELoss(),
                 })
            using (m) Assert.Empty(m.state_dict());
    }

    [Fact]
    public void A_lenet_has_pytorchs_keys_and_parameter_count()
    {
        using var net = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding: 2), nn.Sigmoid(), nn.AvgPool2d(2, stride: 2),
            nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.AvgPool2d(2, stride: 2), nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10));
        Assert.Equal(new[] { "0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias", "11.weight", "11.bias" },
            net.state_dict().Keys);
        // 6·1·25 + 6, 16·6·25 + 16, 400·120 + 120, 120·84 + 84, 84·10 + 10
        long expected = 156 + 2416 + 48120 + 10164 + 850;
        Assert.Equal(61706, expected);
        Assert.Equal(expected, net.parameters().Sum(p => p.numel()));

        using var scope = torch.NewDisposeScope();
        var y = net.call(torch.randn(2, 1, 28, 28));
        Assert.Equal(new long[] { 2, 10 }, y.shape);
    }

    [Fact]
    public void Default_initialisation_stays_within_pytorchs_bounds()
    {
        torch.manual_seed(7);
        // kaiming_uniform_(a = √5) gives U(−1/√fan_in, 1/√fan_in), as does the bias
        foreach (var (layer, fanIn) in new (Module, long)[]
                 {
                     (nn.Conv2d(16, 32, 3), 16 * 9), (nn.Conv2d(8, 8, 3, groups: 4), 2 * 9), (nn.Linear(200, 100), 200),
                     (nn.ConvTranspose2d(8, 12, 2), 12 * 4),
                 })
        {
            using (layer)
            {
                double bound = 1 / Math.Sqrt(fanIn);
                foreach (var (name, p) in layer.named_parameters())
                {
                    var v = p.ToDoubleArray();
                    Assert.All(v, x => Assert.InRange(x, -bound, bound));
                    if (v.Length < 500) continue;
                    // the bound is used: the sample spans most of it, with a uniform's mean and variance
                    Assert.True(v.Max() > 0.95 * bound && v.Min() < -0.95 * bound, $"{layer} {name} does not span ±{bound}");
                    double mean = v.Average(), variance = v.Select(x => (x - mean) * (x - mean)).Average();
                    Assert.InRange(mean, -0.05 * bound, 0.05 * bound);
                    Assert.InRange(variance, 0.9 * bound * bound / 3, 1.1 * bound * bound / 3);
                }
            }
        }
        using var bn = nn.BatchNorm2d(3);
        Assert.Equal(new float[] { 1, 1, 1 }, bn.weight!.ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 0 }, bn.bias!.ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 0 }, bn.running_mean!.ToArray<float>());
        Assert.Equal(new float[] { 1, 1, 1 }, bn.running_var!.ToArray<float>());
        Assert.Equal(0L, bn.num_batches_tracked!.item<long>());
    }

    internal static void AssertClose(double[] expected, Tensor actual, double tolerance = 1e-7)
    {
        var values = actual.ToDoubleArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {values[i]}");
    }

    [Fact]
    public void BatchNorm2d_running_statistics_follow_pytorchs_formula()
    {
        using var scope = torch.NewDisposeScope();
        using var bn = nn.BatchNorm2d(2, momentum: 0.3).to(torch.float64);
        double[] mean = { 0, 0 }, variance = { 1, 1 };
        torch.manual_seed(3);
        for (int step = 1; step <= 4; step++)
        {
            var x = torch.randn(new long[] { 3, 2, 2, 2 }, torch.float64) * (step + 1) + step;
            bn.call(x);
            var (batchMean, batchVar) = ChannelStatistics(x);
            for (int c = 0; c < 2; c++)
            {
                mean[c] = 0.7 * mean[c] + 0.3 * batchMean[c];
                variance[c] = 0.7 * variance[c] + 0.3 * batchVar[c];
            }
            AssertClose(mean, bn.running_mean!, 1e-12);
            AssertClose(variance, bn.running_var!, 1e-12);
            Assert.Equal(step, bn.num_batches_tracked!.item<long>());
        }

        // eval: the running statistics normalize, and stay as they are
        bn.eval();
        var probe = torch.tensor(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, new long[] { 1, 2, 2, 2 });
        var y = bn.call(probe).ToDoubleArray();
        for (int i = 0; i < 8; i++)
        {
            int c = i / 4;
            Assert.Equal((i + 1 - mean[c]) / Math.Sqrt(variance[c] + 1e-5), y[i], 10);
        }
        AssertClose(mean, bn.running_mean!, 1e-12);
        Assert.Equal(4L, bn.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void BatchNorm2d_without_momentum_keeps_the_cumulative_average()
    {
        using var scope = torch.NewDisposeScope();
        using var bn = nn.BatchNorm2d(1, momentum: null).to(torch.float64);
        var batches = new[] { new double[] { 1, 3 }, new double[] { 10, 20 }, new double[] { -4, 0 } };
        foreach (var b in batches) bn.call(torch.tensor(b, new long[] { 2, 1, 1, 1 }));
        // the running mean is the plain average of the batch means, the variance of the unbiased variances
        AssertClose(new[] { (2 + 15 - 2) / 3.0 }, bn.running_mean!, 1e-12);
        AssertClose(new[] { (2 + 50 + 8) / 3.0 }, bn.running_var!, 1e-12);
        Assert.Equal("BatchNorm2d(1, eps=1e-05, momentum=None, affine=True, track_running_stats=True)", bn.ToString());
    }

    [Fact]
    public void BatchNorm2d_without_running_statistics_always_uses_the_batch()
    {
        using var scope = torch.NewDisposeScope();
        using var bn = nn.BatchNorm2d(1, track_running_stats: false);
        var x = torch.tensor(new float[] { 1, 3 }, new long[] { 2, 1, 1, 1 });
        var train = bn.call(x).ToArray<float>();
        bn.eval();
        Assert.Equal(train, bn.call(x).ToArray<float>());
        Assert.Equal(-1, train[0], 3);
        Assert.Throws<ArgumentException>(() => bn.call(torch.ones(2, 1)));
    }

    private static (double[] mean, double[] unbiasedVariance) ChannelStatistics(Tensor x)
    {
        var v = x.ToDoubleArray();
        var shape = x.shape;
        long n = shape[0], c = shape[1], hw = shape[2] * shape[3];
        var mean = new double[c];
        var variance = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            var values = new List<double>();
            for (int i = 0; i < n; i++)
                for (int j = 0; j < hw; j++) values.Add(v[(i * c + ch) * hw + j]);
            mean[ch] = values.Average();
            variance[ch] = values.Sum(t => (t - mean[ch]) * (t - mean[ch])) / (values.Count - 1);
        }
        return (mean, variance);
    }

    [Fact]
    public void Dropout_acts_in_training_only_and_follows_train_and_eval()
    {
        using var scope = torch.NewDisposeScope();
        using var net = nn.Sequential(nn.Linear(10, 10), nn.Dropout(0.5), nn.Dropout2d(0.5));
        var x = torch.ones(1000, 10);
        var drop = (Dropout)net[1];
        Assert.True(drop.training);
        var trained = drop.call(x).ToArray<float>();
        Assert.All(trained, v => Assert.True(v == 0 || v == 2));
        Assert.InRange(trained.Count(v => v == 0), 4500, 5500);

        net.eval();
        Assert.False(drop.training);
        Assert.Equal(x.ToArray<float>(), drop.call(x).ToArray<float>());
        Assert.Equal(x.ToArray<float>(), net[2].call(x).ToArray<float>());
        // eval makes the whole network deterministic
        Assert.Equal(net.call(x).ToArray<float>(), net.call(x).ToArray<float>());
        net.train();
        Assert.True(drop.training);
        Assert.Contains(0f, net[2].call(torch.ones(8, 16, 2, 2)).ToArray<float>());
    }

    [Fact]
    public void Layers_compute_what_their_functional_counterparts_compute()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);
        var x = torch.randn(2, 4, 9, 9);
        using var conv = nn.Conv2d(4, 6, 3, stride: 2, padding: 1, groups: 2);
        Assert.Equal(F.conv2d(x, conv.weight, conv.bias, 2, 1, 1, 2).ToArray<float>(), conv.call(x).ToArray<float>());
        using var same = nn.Conv2d(4, 4, (3, 5), padding: "same", bias: false);
        Assert.Equal(new long[] { 2, 4, 9, 9 }, same.call(x).shape);
        using var up = nn.ConvTranspose2d(4, 2, 3, stride: 2, padding: 1, output_padding: 1);
        Assert.Equal(new long[] { 2, 2, 18, 18 }, up.call(x).shape);
        Assert.Equal(F.max_pool2d(x, 3, 2, 1).ToArray<float>(), nn.MaxPool2d(3, stride: 2, padding: 1).call(x).ToArray<float>());
        var (pooled, indices) = nn.MaxPool2d(3, stride: 2).forward_with_indices(x);
        Assert.Equal(F.max_pool2d(x, 3, 2).ToArray<float>(), pooled.ToArray<float>());
        Assert.Equal(pooled.shape, indices.shape);
        Assert.Equal(F.avg_pool2d(x, 2, ceil_mode: true).ToArray<float>(), nn.AvgPool2d(2, ceil_mode: true).call(x).ToArray<float>());
        Assert.Equal(new long[] { 2, 4, 1, 1 }, nn.AdaptiveAvgPool2d(1).call(x).shape);
        Assert.Equal(F.adaptive_max_pool2d(x, 2).ToArray<float>(), nn.AdaptiveMaxPool2d(2).call(x).ToArray<float>());
        Assert.Equal(F.local_response_norm(x, 5).ToArray<float>(), nn.LocalResponseNorm(5).call(x).ToArray<float>());
        Assert.Equal(F.layer_norm(x, new long[] { 9 }).ToArray<float>(), nn.LayerNorm(9).call(x).ToArray<float>());
        Assert.Equal(F.leaky_relu(x, 0.2).ToArray<float>(), nn.LeakyReLU(0.2).call(x).ToArray<float>());
        Assert.Equal(F.gelu(x, "tanh").ToArray<float>(), nn.GELU("tanh").call(x).ToArray<float>());
        Assert.Equal(F.softmax(x, 1).ToArray<float>(), nn.Softmax(1).call(x).ToArray<float>());
        Assert.Equal(F.log_softmax(x, 1).ToArray<float>(), nn.LogSoftmax(1).call(x).ToArray<float>());
        foreach (var (module, function) in new (Module, Func<Tensor, Tensor>)[]
                 {
                     (nn.ReLU(), t => F.relu(t)), (nn.ReLU6(), t => F.relu6(t)), (nn.SiLU(), t => F.silu(t)), (nn.Hardswish(), t => F.hardswish(t)),
                     (nn.Hardsigmoid(), t => F.hardsigmoid(t)), (nn.Sigmoid(), t => F.sigmoid(t)), (nn.Tanh(), t => F.tanh(t)),
                 })
            Assert.Equal(function(x).ToArray<float>(), module.call(x).ToArray<float>());

        var inplace = x.clone();
        Assert.Same(inplace, nn.ReLU(inplace: true).call(inplace));

        var flat = nn.Flatten().call(x);
        Assert.Equal(new long[] { 2, 4 * 81 }, flat.shape);
        Assert.Equal(x.ToArray<float>(), flat.ToArray<float>());
        Assert.Equal(new long[] { 2, 4, 81 }, nn.Flatten(2).call(x).shape);
        Assert.Equal(new long[] { 8, 9, 9 }, nn.Flatten(0, 1).call(x).shape);

        // Identity hands back a second handle to the same tensor
        var same2 = nn.Identity().call(x);
        Assert.NotSame(x, same2);
        same2.Dispose();
        Assert.Equal(2 * 4 * 81, x.ToArray<float>().Length);
    }

    [Fact]
    public void Loss_modules_compute_the_functional_losses()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.tensor(new double[] { 2.0, 1.0, 0.1, 0.5, 2.5, -1.0, 0.0, 0.0, 3.0 }, new long[] { 3, 3 });
        var target = torch.tensor(new long[] { 0, 1, 1 });
        // PyTorch 1.13 values (see FunctionalTests)
        Assert.Equal(1.2217103932736944, nn.CrossEntropyLoss().call(logits, target).item<double>(), 12);
        Assert.Equal(1.2817103932736944, nn.CrossEntropyLoss(label_smoothing: 0.1).call(logits, target).item<double>(), 12);
        Assert.Equal(3.665131179821083, nn.CrossEntropyLoss(reduction: nn.Reduction.Sum).forward(logits, target).item<double>(), 12);
        using var weighted = nn.CrossEntropyLoss(torch.tensor(new double[] { 1, 2, 0.5 }));
        Assert.Equal(1.3826464686728666, weighted.call(logits, target).item<double>(), 12);
        Assert.Equal(new[] { "weight" }, weighted.state_dict().Keys);
        Assert.Equal(1.2217103932736944, nn.NLLLoss().call(F.log_softmax(logits, 1), target).item<double>(), 12);
        Assert.Equal(4.25, nn.MSELoss(nn.Reduction.Sum).call(torch.tensor(new float[] { 1, 2, 3 }), torch.tensor(new float[] { 1.5f, 2, 5 })).item<float>(), 6);
        Assert.Throws<InvalidOperationException>(() => nn.MSELoss().call(logits));
        Assert.Throws<ArgumentException>(() => nn.CrossEntropyLoss(label_smoothing: -0.1));
    }

    [Fact]
    public void A_module_network_passes_a_float64_gradient_check()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        using var net = nn.Sequential(nn.Conv2d(2, 3, 3, padding: 1), nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Flatten(), nn.Linear(12, 4)).to(torch.float64);
        var x = GradCheck.Random(new long[] { 3, 2, 4, 4 }, 40);
        GradCheck.Assert(t => net.call(t[0]), new[] { x });
        // and with respect to a parameter: the weight of the first convolution
        var conv = (Conv2d)net[0];
        var w0 = conv.weight.ToArray<double>();
        GradCheck.Assert(t =>
        {
            var y = F.conv2d(t[0], t[1], conv.bias, padding: 1);
            for (int i = 1; i < net.Count; i++) y = net[i].call(y);
            return y;
        }, new[] { x, torch.tensor(w0, conv.weight.shape) }, check: new[] { false, true });
    }

    [Fact]
    public void Layers_print_like_pytorch()
    {
        // PyTorch 1.13's repr of the same layers
        var cases = new (Module module, string expected)[]
        {
            (nn.Conv2d(2, 3, 2), "Conv2d(2, 3, kernel_size=(2, 2), stride=(1, 1))"),
            (nn.Conv2d(3, 64, 7, 2, 3, bias: false), "Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)"),
            (nn.Conv2d(4, 8, (1, 3), padding: "same", groups: 2, dilation: 2), "Conv2d(4, 8, kernel_size=(1, 3), stride=(1, 1), padding=same, dilation=(2, 2), groups=2)"),
            (nn.ConvTranspose2d(4, 2, 3, 2, 1, 1), "ConvTranspose2d(4, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))"),
            (nn.BatchNorm2d(64), "BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"),
            (nn.BatchNorm2d(8, momentum: null, eps: 1e-3, affine: false), "BatchNorm2d(8, eps=0.001, momentum=None, affine=False, track_running_stats=True)"),
            (nn.Linear(4, 3, bias: false), "Linear(in_features=4, out_features=3, bias=False)"),
            (nn.MaxPool2d(3, 2, 1), "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)"),
            (nn.MaxPool2d((2, 3)), "MaxPool2d(kernel_size=(2, 3), stride=(2, 3), padding=0, dilation=1, ceil_mode=False)"),
            (nn.AvgPool2d(2), "AvgPool2d(kernel_size=2, stride=2, padding=0)"),
            (nn.AdaptiveAvgPool2d(7), "AdaptiveAvgPool2d(output_size=7)"),
            (nn.Flatten(), "Flatten(start_dim=1, end_dim=-1)"),
            (nn.Dropout(), "Dropout(p=0.5, inplace=False)"),
            (nn.Dropout2d(0.2), "Dropout2d(p=0.2, inplace=False)"),
            (nn.LocalResponseNorm(5, alpha: 1e-4, beta: 0.75, k: 2.0), "LocalResponseNorm(5, alpha=0.0001, beta=0.75, k=2.0)"),
            (nn.LayerNorm(64), "LayerNorm((64,), eps=1e-05, elementwise_affine=True)"),
            (nn.LayerNorm(new long[] { 2, 3 }, elementwise_affine: false), "LayerNorm((2, 3), eps=1e-05, elementwise_affine=False)"),
            (nn.ReLU(), "ReLU()"), (nn.ReLU(inplace: true), "ReLU(inplace=True)"), (nn.ReLU6(inplace: true), "ReLU6(inplace=True)"),
            (nn.LeakyReLU(0.2), "LeakyReLU(negative_slope=0.2)"), (nn.GELU(), "GELU(approximate='none')"), (nn.SiLU(), "SiLU()"),
            (nn.Hardswish(), "Hardswish()"), (nn.Softmax(1), "Softmax(dim=1)"), (nn.CrossEntropyLoss(), "CrossEntropyLoss()"),
            (nn.Identity(), "Identity()"),
        };
        foreach (var (module, expected) in cases)
            using (module) Assert.Equal(expected, module.ToString());
    }

    [Fact]
    public void Nonsense_layer_arguments_are_rejected()
    {
        var cases = new (string parameter, Func<Module> create)[]
        {
            ("in_channels", () => nn.Conv2d(3, 64, 3, groups: 2)),
            ("out_channels", () => nn.Conv2d(4, 6, 3, groups: 4)),
            ("groups", () => nn.Conv2d(4, 4, 3, groups: 0)),
            ("in_channels", () => nn.Conv2d(0, 4, 3)),
            ("kernel_size", () => nn.Conv2d(3, 4, -3)),
            ("stride", () => nn.Conv2d(3, 4, 3, stride: 0)),
            ("padding", () => nn.Conv2d(3, 4, 3, padding: -1)),
            ("padding", () => nn.Conv2d(3, 4, 3, stride: 2, padding: "same")),
            ("dilation", () => nn.ConvTranspose2d(3, 4, 3, dilation: 0)),
            ("out_features", () => nn.Linear(3, -4)),
            ("num_features", () => nn.BatchNorm2d(0)),
            ("kernel_size", () => nn.MaxPool2d(0)),
            ("stride", () => nn.AvgPool2d(2, stride: -1)),
            ("output_size", () => nn.AdaptiveAvgPool2d(-1)),
            ("p", () => nn.Dropout(1.5)),
            ("p", () => nn.Dropout2d(-0.5)),
            ("size", () => nn.LocalResponseNorm(0)),
            ("approximate", () => nn.GELU("exact")),
        };
        foreach (var (parameter, create) in cases)
        {
            var e = Assert.Throws<ArgumentException>(() => create());
            Assert.Equal(parameter, e.ParamName);
        }
        // and a shape error at run time names the functional operation
        using var scope = torch.NewDisposeScope();
        using var conv = nn.Conv2d(3, 16, 3);
        var error = Assert.Throws<TorchException>(() => conv.call(torch.ones(1, 1, 5, 5)));
        Assert.Equal("conv2d: Given groups=1, weight of size [16, 3, 3, 3], expected input[1, 1, 5, 5] to have 3 channels, but got 1 channels instead", error.Message);
    }
}

// Exact draws of the global generator: run alone, so no other test draws numbers in between.
[Collection(ProcessWideState.Name)]
public class SeededLayerTests
{
    private static void AssertClose(double[] expected, Tensor actual) => LayerTests.AssertClose(expected, actual);

    [Fact]
    public void Seeded_initialisation_reproduces_pytorchs_numbers()
    {
        // PyTorch 1.13: torch.manual_seed(0); nn.Linear(4, 3)  and  torch.manual_seed(1); nn.Conv2d(2, 3, 2)
        torch.manual_seed(0);
        using var fc = nn.Linear(4, 3);
        AssertClose(new[] { -0.00374341011, 0.268221796, -0.411522567, -0.367969513, -0.192577183, 0.134078681, -0.00990658998, 0.396444738, -0.0443720222, 0.132306278, -0.151106536, -0.0982826948 }, fc.weight);
        AssertClose(new[] { -0.477674246, -0.331141055, -0.20611155 }, fc.bias!);
        torch.manual_seed(1);
        using var conv = nn.Conv2d(2, 3, 2);
        AssertClose(new[] { 0.182173043, -0.156050771, -0.0685403869, 0.165946975, -0.332848191, 0.212032065, -0.0727348775, 0.179868117, 0.0491499268, -0.0432905443, 0.0980618894, 0.0174414199, 0.129127651, -0.137780115, -0.0257771388, -0.0318294689, 0.0512454249, -0.00141238305, 0.309064597, 0.110022321, -0.131665483, -0.213532582, -0.0592610799, -0.152501956 }, conv.weight);
        AssertClose(new[] { -0.113295659, 0.0169287026, 0.210762978 }, conv.bias!);
    }
}
