using CnnCourse.Torch;
using F = CnnCourse.Torch.torch.nn.functional;
using Reduction = CnnCourse.Torch.torch.nn.Reduction;

namespace CnnCourse.Torch.Tests;

// Known values of torch.nn.functional. Values marked "PyTorch 1.13" were computed with
// torch.nn.functional in Python (Debian python3-torch 1.13.1) on the same inputs.
public class FunctionalTests
{
    private static void AssertClose(double[] expected, Tensor actual, double tolerance = 1e-6)
    {
        var values = actual.ToDoubleArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance,
                $"element {i}: expected {expected[i]:R}, got {values[i]:R}\nall: [{string.Join(", ", values)}]");
    }

    private static void AssertClose(double expected, Tensor actual, double tolerance = 1e-6) =>
        AssertClose(new[] { expected }, actual, tolerance);

    // ---- convolution ---------------------------------------------------------------------------

    [Fact]
    public void Conv2d_of_the_course_example()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[,]
        {
            { 1, 1, 1, 0, 0 }, { 0, 1, 1, 1, 0 }, { 0, 0, 1, 1, 1 }, { 0, 0, 1, 1, 0 }, { 0, 1, 1, 0, 0 },
        }).reshape4(1, 1, 5, 5);
        var k = torch.tensor(new float[,] { { 1, 0, 1 }, { 0, 1, 0 }, { 1, 0, 1 } }).reshape4(1, 1, 3, 3);
        var y = F.conv2d(x, k);
        Assert.Equal(new long[] { 1, 1, 3, 3 }, y.shape);
        Assert.Equal(new float[] { 4, 3, 4, 2, 4, 3, 2, 3, 4 }, y.ToArray<float>());

        // a bias adds to every output; padding 1 keeps 5×5 and puts the corner sums on the border
        var padded = F.conv2d(x, k, torch.tensor(new float[] { 0.5f }), padding: 1);
        Assert.Equal(new long[] { 1, 1, 5, 5 }, padded.shape);
        Assert.Equal(new float[] { 2.5f, 2.5f, 3.5f, 1.5f, 1.5f }, padded.ToArray<float>()[..5]);
        // stride 2 keeps every other output of the unpadded convolution
        Assert.Equal(new float[] { 4, 4, 2, 4 }, F.conv2d(x, k, stride: 2).ToArray<float>());
    }

    [Fact]
    public void Conv2d_output_sizes_follow_the_formula_over_a_grid()
    {
        using var scope = torch.NewDisposeScope();
        int checkedCount = 0;
        foreach (long h in new long[] { 5, 8, 11 })
        foreach (long k in new long[] { 1, 2, 3, 5 })
        foreach (long s in new long[] { 1, 2, 3 })
        foreach (long p in new long[] { 0, 1, 2 })
        foreach (long d in new long[] { 1, 2 })
        {
            long w = h + 3; // a non-square input catches swapped dimensions
            if (d * (k - 1) + 1 > h + 2 * p) continue;
            using var inner = torch.NewDisposeScope();
            var x = torch.zeros(2, 3, h, w);
            var weight = torch.ones(4, 3, k, k);
            var y = F.conv2d(x, weight, stride: s, padding: p, dilation: d);
            long expectedH = (h + 2 * p - d * (k - 1) - 1) / s + 1;
            long expectedW = (w + 2 * p - d * (k - 1) - 1) / s + 1;
            Assert.Equal(new[] { 2, 4, expectedH, expectedW }, y.shape);
            if (d == 1) Assert.Equal((h + 2 * p - k) / s + 1, expectedH); // the issue's floor((H+2p−k)/s)+1
            checkedCount++;
        }
        Assert.True(checkedCount > 150);
    }

    [Fact]
    public void Conv2d_same_and_valid_padding()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(1, 2, 7, 6);
        foreach (var (kh, kw, d) in new[] { (3L, 3L, 1L), (2L, 4L, 1L), (3L, 2L, 2L) })
        {
            var w = torch.randn(5, 2, kh, kw);
            Assert.Equal(new long[] { 1, 5, 7, 6 }, F.conv2d(x, w, padding: "same", dilation: d).shape);
            Assert.Equal(F.conv2d(x, w, dilation: d).ToArray<float>(), F.conv2d(x, w, padding: Padding.Valid, dilation: d).ToArray<float>());
        }
        // PyTorch refuses "same" with a stride
        Assert.Throws<TorchException>(() => F.conv2d(x, torch.randn(5, 2, 3, 3), stride: 2, padding: "same"));
        Assert.Throws<ArgumentException>(() => F.conv2d(x, torch.randn(5, 2, 3, 3), padding: "full"));
    }

    [Fact]
    public void Conv2d_groups_split_the_channels()
    {
        using var scope = torch.NewDisposeScope();
        // depthwise: each channel is convolved with its own kernel (2 and 3 times the box sum)
        var x = torch.ones(1, 2, 3, 3);
        var w = torch.tensor(new float[] { 2, 2, 2, 2, 3, 3, 3, 3 }, new long[] { 2, 1, 2, 2 });
        var y = F.conv2d(x, w, groups: 2);
        Assert.Equal(new long[] { 1, 2, 2, 2 }, y.shape);
        Assert.Equal(new float[] { 8, 8, 8, 8, 12, 12, 12, 12 }, y.ToArray<float>());
    }

    [Fact]
    public void Conv_transpose2d_scatters_each_input_through_the_kernel()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 1, 1, 2, 2 });
        // stride 2 with a 2×2 kernel of ones: each input becomes a 2×2 block
        Assert.Equal(new float[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 },
            F.conv_transpose2d(x, torch.ones(1, 1, 2, 2), stride: 2).ToArray<float>());
        // stride 1: overlapping blocks add up (PyTorch 1.13: [[1,4,4],[6,20,16],[9,24,16]])
        var k = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 1, 1, 2, 2 });
        Assert.Equal(new float[] { 1, 4, 4, 6, 20, 16, 9, 24, 16 }, F.conv_transpose2d(x, k).ToArray<float>());
        // output size (H−1)·s − 2p + d·(k−1) + output_padding + 1
        var big = torch.zeros(1, 3, 5, 4);
        var y = F.conv_transpose2d(big, torch.zeros(3, 2, 3, 3), stride: 2, padding: 1, output_padding: 1);
        Assert.Equal(new long[] { 1, 2, 10, 8 }, y.shape);
    }

    // ---- pooling -------------------------------------------------------------------------------

    [Fact]
    public void Pooling_known_values()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(0, 16, dtype: torch.float32).reshape4(1, 1, 4, 4);
        Assert.Equal(new float[] { 5, 7, 13, 15 }, F.max_pool2d(x, 2).ToArray<float>());
        Assert.Equal(new float[] { 2.5f, 4.5f, 10.5f, 12.5f }, F.avg_pool2d(x, 2).ToArray<float>());
        Assert.Equal(new float[] { 10, 11, 14, 15 }, F.max_pool2d(x, 3, stride: 1).ToArray<float>());

        // padding 1, kernel 3, stride 2: the zero padding counts in the divisor unless told otherwise
        // (top-left window: (0+1+4+5)/9 vs /4)
        AssertClose(new[] { 10 / 9.0, 24 / 9.0, 51 / 9.0, 90 / 9.0 }, F.avg_pool2d(x, 3, stride: 2, padding: 1));
        AssertClose(new[] { 2.5, 4.0, 8.5, 10.0 }, F.avg_pool2d(x, 3, stride: 2, padding: 1, count_include_pad: false));
        AssertClose(new[] { 10 / 3.0, 8, 17, 30 }, F.avg_pool2d(x, 3, stride: 2, padding: 1, divisor_override: 3));

        var indices = F.max_pool2d_with_indices(x, 2);
        Assert.Equal(new float[] { 5, 7, 13, 15 }, indices.output.ToArray<float>());
        Assert.Equal(new long[] { 5, 7, 13, 15 }, indices.indices.ToArray<long>());

        // ceil_mode keeps the partial windows at the end: 5×5 → 3×3 (PyTorch 1.13)
        var x5 = torch.arange(0, 25, dtype: torch.float32).reshape4(1, 1, 5, 5);
        Assert.Equal(new float[] { 6, 8, 9, 16, 18, 19, 21, 23, 24 }, F.max_pool2d(x5, 2, ceil_mode: true).ToArray<float>());
        Assert.Equal(new float[] { 3, 5, 6.5f, 13, 15, 16.5f, 20.5f, 22.5f, 24 }, F.avg_pool2d(x5, 2, ceil_mode: true).ToArray<float>());
        Assert.Equal(new long[] { 1, 1, 2, 2 }, F.max_pool2d(x5, 2).shape);

        // dilation 2 with kernel 3 samples rows/cols 0, 2, 4: the maximum of those nine is 8
        var d = torch.tensor(new float[] { 5, 1, 0, 2, 3, 0, 1, 9, 1, 0, 1, 2, 3, 4, 5, 7, 0, 0, 0, 1, 0, 1, 2, 3, 8 }, new long[] { 1, 1, 5, 5 });
        Assert.Equal(new float[] { 8 }, F.max_pool2d(d, 3, stride: 1, dilation: 2).ToArray<float>());
    }

    [Fact]
    public void Adaptive_pooling_uses_overlapping_windows()
    {
        using var scope = torch.NewDisposeScope();
        // 5 → 2 uses windows [0, 3) and [2, 5); 5 → 3 uses [0, 2), [1, 4), [3, 5)
        var x = torch.arange(0, 25, dtype: torch.float32).reshape4(1, 1, 5, 5);
        Assert.Equal(new float[] { 6, 8, 16, 18 }, F.adaptive_avg_pool2d(x, 2).ToArray<float>());
        Assert.Equal(new float[] { 3, 4.5f, 6, 10.5f, 12, 13.5f, 18, 19.5f, 21 }, F.adaptive_avg_pool2d(x, 3).ToArray<float>());
        Assert.Equal(new float[] { 12, 14, 22, 24 }, F.adaptive_max_pool2d(x, 2).ToArray<float>());
        var (output, indices) = F.adaptive_max_pool2d_with_indices(x, (1, 5));
        Assert.Equal(new float[] { 20, 21, 22, 23, 24 }, output.ToArray<float>());
        Assert.Equal(new long[] { 20, 21, 22, 23, 24 }, indices.ToArray<long>());
        // global average pooling
        Assert.Equal(new float[] { 12 }, F.adaptive_avg_pool2d(x, 1).ToArray<float>());
    }

    [Fact]
    public void Pooling_output_sizes_follow_the_formula_over_a_grid()
    {
        using var scope = torch.NewDisposeScope();
        foreach (long h in new long[] { 5, 6, 9 })
        foreach (long k in new long[] { 1, 2, 3 })
        foreach (long s in new long[] { 1, 2, 3 })
        foreach (long p in new long[] { 0, 1 })
        foreach (bool ceil in new[] { false, true })
        {
            if (2 * p > k) continue; // PyTorch: pad at most half the kernel
            using var inner = torch.NewDisposeScope();
            var x = torch.zeros(1, 2, h, h + 1);
            long Expected(long size)
            {
                long span = size + 2 * p - k;
                long n = (ceil ? (span + s - 1) / s : span / s) + 1;
                if (ceil && (n - 1) * s >= size + p) n--; // the last window must start inside the input
                return n;
            }
            var expected = new[] { 1, 2, Expected(h), Expected(h + 1) };
            Assert.Equal(expected, F.max_pool2d(x, k, stride: s, padding: p, ceil_mode: ceil).shape);
            Assert.Equal(expected, F.avg_pool2d(x, k, stride: s, padding: p, ceil_mode: ceil).shape);
        }
    }

    // ---- activations, softmax, normalization ---------------------------------------------------

    [Fact]
    public void Softmax_and_log_softmax_known_values()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, 2, 3, 1, 0, -1 }, new long[] { 2, 3 });
        // e^k / (e + e² + e³)
        AssertClose(new[] { 0.0900305733, 0.2447284758, 0.6652409434, 0.6652409434, 0.2447284758, 0.0900305733 }, F.softmax(x, 1));
        AssertClose(new[] { -2.4076058865, -1.4076058865, -0.4076059461, -0.4076059461, -1.4076058865, -2.4076058865 }, F.log_softmax(x, -1), 1e-6);
        // along dim 0 each column sums to one
        AssertClose(new double[] { 1, 1, 1 }, F.softmax(x, 0).sum(new long[] { 0 }));
        var d = F.softmax(x, 1, torch.float64);
        Assert.Equal(ScalarType.Float64, d.dtype);
    }

    [Fact]
    public void Activations_known_values()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new double[] { -3, -1, -0.5, 0, 0.5, 1, 3, 7 });
        AssertClose(new double[] { 0, 0, 0, 0, 0.5, 1, 3, 7 }, F.relu(a));
        AssertClose(new double[] { 0, 0, 0, 0, 0.5, 1, 3, 6 }, F.relu6(a));
        AssertClose(new[] { -0.3, -0.1, -0.05, 0, 0.5, 1, 3, 7 }, F.leaky_relu(a, 0.1));
        // PyTorch 1.13 (float64)
        AssertClose(new[] { -0.00404969409489, -0.158655253931, -0.154268769363, 0.0, 0.345731230637, 0.841344746069, 2.99595030591, 6.99999999999 }, F.gelu(a), 1e-10);
        AssertClose(new[] { -0.00363739208177, -0.158808009392, -0.154285990175, 0.0, 0.345714009825, 0.841191990608, 2.99636260792, 7.0 }, F.gelu(a, "tanh"), 1e-10);
        double[] v = { -3, -1, -0.5, 0, 0.5, 1, 3, 7 };
        AssertClose(v.Select(t => t / (1 + Math.Exp(-t))).ToArray(), F.silu(a), 1e-12);
        AssertClose(new[] { 0, -1 / 3.0, -0.5 * 2.5 / 6, 0, 0.5 * 3.5 / 6, 4 / 6.0, 3, 7 }, F.hardswish(a), 1e-12);
        AssertClose(new[] { 0, 2 / 6.0, 2.5 / 6, 0.5, 3.5 / 6, 4 / 6.0, 1, 1 }, F.hardsigmoid(a), 1e-12);
        AssertClose(v.Select(t => 1 / (1 + Math.Exp(-t))).ToArray(), F.sigmoid(a), 1e-12);
        AssertClose(v.Select(Math.Tanh).ToArray(), F.tanh(a), 1e-12);
        Assert.Throws<ArgumentException>(() => F.gelu(a, "erf"));
    }

    [Fact]
    public void Inplace_activations_overwrite_and_return_their_input()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { -2, -0.5f, 1, 8 });
        Assert.NotSame(x, F.relu(x));
        var c = x.clone();
        Assert.Same(c, F.relu(c, inplace: true));
        Assert.Equal(new float[] { 0, 0, 1, 8 }, c.ToArray<float>());
        c = x.clone();
        Assert.Same(c, F.relu6(c, inplace: true));
        Assert.Equal(new float[] { 0, 0, 1, 6 }, c.ToArray<float>());
        c = x.clone();
        F.leaky_relu(c, 0.5, inplace: true);
        Assert.Equal(new float[] { -1, -0.25f, 1, 8 }, c.ToArray<float>());
        foreach (var f in new Func<Tensor, bool, Tensor>[] { (t, i) => F.silu(t, i), (t, i) => F.hardswish(t, i), (t, i) => F.hardsigmoid(t, i) })
        {
            c = x.clone();
            var expected = f(x, false).ToArray<float>();
            Assert.Same(c, f(c, true));
            Assert.Equal(expected, c.ToArray<float>());
        }
        Assert.Equal(new float[] { -2, -0.5f, 1, 8 }, x.ToArray<float>());
    }

    [Fact]
    public void Batch_norm_normalizes_the_batch_and_updates_running_statistics()
    {
        using var scope = torch.NewDisposeScope();
        // two channels; channel 0 holds 1..4, channel 1 holds 10, 10, 10, 30 (over N=2, H=1, W=2)
        var x = torch.tensor(new double[] { 1, 2, 10, 10, 3, 4, 10, 30 }, new long[] { 2, 2, 1, 2 });
        var runningMean = torch.tensor(new double[] { 0, 1 });
        var runningVar = torch.tensor(new double[] { 1, 2 });
        var y = F.batch_norm(x, runningMean, runningVar, training: true, momentum: 0.1, eps: 0);
        // channel 0: mean 2.5, biased var 1.25; channel 1: mean 15, biased var 75
        double s0 = Math.Sqrt(1.25), s1 = Math.Sqrt(75);
        AssertClose(new[] { -1.5 / s0, -0.5 / s0, -5 / s1, -5 / s1, 0.5 / s0, 1.5 / s0, -5 / s1, 15 / s1 }, y, 1e-12);
        // running = 0.9·running + 0.1·batch, with the unbiased variance (n/(n−1) = 4/3)
        AssertClose(new[] { 0.9 * 0 + 0.1 * 2.5, 0.9 * 1 + 0.1 * 15 }, runningMean, 1e-12);
        AssertClose(new[] { 0.9 * 1 + 0.1 * 1.25 * 4 / 3, 0.9 * 2 + 0.1 * 75 * 4 / 3 }, runningVar, 1e-12);

        // evaluation uses the running statistics and leaves them alone, with weight and bias
        var weight = torch.tensor(new double[] { 2, 3 });
        var bias = torch.tensor(new double[] { 1, -1 });
        var e = F.batch_norm(x, runningMean, runningVar, weight, bias, training: false, eps: 1e-5);
        double m0 = 0.25, v0 = 0.9 + 0.1 * 1.25 * 4 / 3, m1 = 2.4, v1 = 1.8 + 10;
        AssertClose(new[]
        {
            (1 - m0) / Math.Sqrt(v0 + 1e-5) * 2 + 1, (2 - m0) / Math.Sqrt(v0 + 1e-5) * 2 + 1,
            (10 - m1) / Math.Sqrt(v1 + 1e-5) * 3 - 1, (10 - m1) / Math.Sqrt(v1 + 1e-5) * 3 - 1,
            (3 - m0) / Math.Sqrt(v0 + 1e-5) * 2 + 1, (4 - m0) / Math.Sqrt(v0 + 1e-5) * 2 + 1,
            (10 - m1) / Math.Sqrt(v1 + 1e-5) * 3 - 1, (30 - m1) / Math.Sqrt(v1 + 1e-5) * 3 - 1,
        }, e, 1e-12);
        AssertClose(new[] { 0.25, 2.4 }, runningMean, 1e-12);

        // without running statistics, training mode still normalizes
        AssertClose(y.ToDoubleArray(), F.batch_norm(x, null, null, training: true, eps: 0), 1e-12);
        // one value per channel cannot be normalized in training
        Assert.Throws<ArgumentException>(() => F.batch_norm(torch.ones(1, 2, 1, 1), null, null, training: true));
        var wrong = Assert.Throws<TorchException>(() => F.batch_norm(x, torch.zeros(3), torch.ones(3), training: true));
        Assert.Equal("batch_norm: running_mean should contain 2 elements not 3", wrong.Message);
    }

    [Fact]
    public void Layer_norm_and_local_response_norm_known_values()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new double[] { 1, 2, 3, 4, 2, 2, 2, 6 }, new long[] { 2, 4 });
        // row 1: mean 2.5, var 1.25; row 2: mean 3, var 3 (eps 1e-5 inside the root)
        double r1 = Math.Sqrt(1.25 + 1e-5), r2 = Math.Sqrt(3 + 1e-5);
        AssertClose(new[] { -1.5 / r1, -0.5 / r1, 0.5 / r1, 1.5 / r1, -1 / r2, -1 / r2, -1 / r2, 3 / r2 }, F.layer_norm(x, new long[] { 4 }), 1e-12);
        var affine = F.layer_norm(x, new long[] { 4 }, torch.full(new long[] { 4 }, 2.0, torch.float64), torch.ones(new long[] { 4 }, torch.float64));
        Assert.Equal(1 + 2 * (-1.5 / r1), affine.ToDoubleArray()[0], 12);

        // LRN, size 3: x / (k + alpha/3 · Σ of x² over the neighbouring channels)^beta (PyTorch 1.13)
        var l = (torch.arange(0, 32, dtype: torch.float64) / 10 - 0.7).reshape4(2, 4, 2, 2);
        var lrn = F.local_response_norm(l, 3, alpha: 0.5, beta: 0.75, k: 1.0);
        AssertClose(new[] { -0.653193805646, -0.571649341674, -0.484342626136, -0.39218221496 }, lrn, 1e-11, take: 4);
        double c0 = -0.7, c1 = -0.3; // element (0, 0, 0, 0) sees channels 0 and 1 (zero-padded channel −1)
        Assert.Equal(c0 / Math.Pow(1 + 0.5 / 3 * (c0 * c0 + c1 * c1), 0.75), lrn.ToDoubleArray()[0], 12);
        Assert.Equal(1.16320837292, lrn.ToDoubleArray()[31], 10);
    }

    private static void AssertClose(double[] expected, Tensor actual, double tolerance, int take)
    {
        var values = actual.ToDoubleArray()[..take];
        for (int i = 0; i < take; i++) Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance, $"element {i}: {expected[i]} vs {values[i]}");
    }

    // ---- dropout, linear -----------------------------------------------------------------------

    [Fact]
    public void Dropout_zeroes_and_rescales_only_in_training()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var x = torch.ones(100, 100);
        var y = F.dropout(x, 0.3).ToArray<float>();
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.7f) < 1e-6));
        double kept = y.Count(v => v != 0) / 10000.0;
        Assert.InRange(kept, 0.67, 0.73);
        Assert.Equal(x.ToArray<float>(), F.dropout(x, 0.3, training: false).ToArray<float>());
        Assert.All(F.dropout(x, 1.0).ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.Equal(x.ToArray<float>(), F.dropout(x, 0.0).ToArray<float>());
        var c = x.clone();
        Assert.Same(c, F.dropout(c, 0.5, inplace: true));
        Assert.Contains(0f, c.ToArray<float>());
        Assert.Throws<ArgumentException>(() => F.dropout(x, 1.5));
        Assert.Throws<ArgumentException>(() => F.dropout(x, double.NaN));

        // dropout2d zeroes whole channels
        var planes = F.dropout2d(torch.ones(8, 16, 3, 3), 0.5).ToArray<float>();
        for (int plane = 0; plane < 8 * 16; plane++)
        {
            var block = planes.AsSpan(plane * 9, 9).ToArray();
            Assert.True(block.All(v => v == 0) || block.All(v => v == 2), $"plane {plane} is mixed");
        }
    }

    [Fact]
    public void Linear_is_x_times_weight_transposed_plus_bias()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        var w = torch.tensor(new float[] { 1, 0, -1, 2, 1, 0 }, new long[] { 2, 3 });
        var b = torch.tensor(new float[] { 10, 20 });
        Assert.Equal(new float[] { 8, 24, 8, 33 }, F.linear(x, w, b).ToArray<float>());
        Assert.Equal(new float[] { -2, 4, -2, 13 }, F.linear(x, w).ToArray<float>());
    }

    // ---- losses --------------------------------------------------------------------------------

    [Fact]
    public void Cross_entropy_known_values()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.tensor(new double[] { 2.0, 1.0, 0.1, 0.5, 2.5, -1.0, 0.0, 0.0, 3.0 }, new long[] { 3, 3 });
        var target = torch.tensor(new long[] { 0, 1, 1 });
        // by hand: −log softmax(row)[target], e.g. row 0: −2 + log(e² + e + e^0.1)
        double row0 = -2 + Math.Log(Math.Exp(2) + Math.Exp(1) + Math.Exp(0.1));
        Assert.Equal(row0, F.cross_entropy(logits, target, reduction: Reduction.None).ToDoubleArray()[0], 12);
        // PyTorch 1.13
        AssertClose(new[] { 0.41703001627783354, 0.15317820712228827, 3.094922956420961 }, F.cross_entropy(logits, target, reduction: Reduction.None), 1e-12);
        AssertClose(1.2217103932736944, F.cross_entropy(logits, target), 1e-12);
        AssertClose(3.665131179821083, F.cross_entropy(logits, target, reduction: Reduction.Sum), 1e-12);
        AssertClose(1.2817103932736944, F.cross_entropy(logits, target, label_smoothing: 0.1), 1e-12);
        AssertClose(1.3826464686728666, F.cross_entropy(logits, target, torch.tensor(new double[] { 1, 2, 0.5 })), 1e-12);
        // ignore_index drops the sample from the mean's divisor too
        AssertClose(1.7559764863493972, F.cross_entropy(logits, torch.tensor(new long[] { 0, -100, 1 })), 1e-12);
        AssertClose((0.41703001627783354 + 3.094922956420961) / 2, F.cross_entropy(logits, torch.tensor(new long[] { 0, 7, 1 }), ignore_index: 7), 1e-12);

        // probability targets (PyTorch 1.13), with and without smoothing
        var p = torch.tensor(new double[] { 0.7, 0.2, 0.1, 0, 1, 0, 0.25, 0.25, 0.5 }, new long[] { 3, 3 });
        AssertClose(0.8517103932736942, F.cross_entropy(logits, p), 1e-12);
        AssertClose(1.0457103932736942, F.cross_entropy(logits, p, label_smoothing: 0.2), 1e-12);

        // label smoothing by hand: (1 − ε)·CE + ε·mean over classes of −log p
        var logp = F.log_softmax(logits, 1).ToDoubleArray();
        double smooth = 0;
        for (int n = 0; n < 3; n++) smooth -= (logp[3 * n] + logp[3 * n + 1] + logp[3 * n + 2]) / 3;
        AssertClose(0.9 * 1.2217103932736944 + 0.1 * smooth / 3, F.cross_entropy(logits, target, label_smoothing: 0.1), 1e-12);

        Assert.Throws<ArgumentException>(() => F.cross_entropy(logits, target, label_smoothing: 1.5));
        var bad = Assert.Throws<TorchException>(() => F.cross_entropy(logits, torch.tensor(new long[] { 0, 7, 1 })));
        Assert.Equal("cross_entropy: Target 7 is out of bounds.", bad.Message);
        Assert.Equal(TorchErrorKind.Index, bad.Kind);
    }

    [Fact]
    public void Nll_mse_and_one_hot()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.tensor(new double[] { 2.0, 1.0, 0.1, 0.5, 2.5, -1.0, 0.0, 0.0, 3.0 }, new long[] { 3, 3 });
        var target = torch.tensor(new long[] { 0, 1, 1 });
        AssertClose(1.2217103932736944, F.nll_loss(F.log_softmax(logits, 1), target), 1e-12);
        var logp = torch.tensor(new double[] { -1, -2, -3, -4 }, new long[] { 2, 2 });
        AssertClose(new double[] { 1, 4 }, F.nll_loss(logp, torch.tensor(new long[] { 0, 1 }), reduction: Reduction.None));
        AssertClose((1 * 1 + 4 * 3) / 4.0, F.nll_loss(logp, torch.tensor(new long[] { 0, 1 }), torch.tensor(new double[] { 1, 3 })));

        var a = torch.tensor(new float[] { 1, 2, 3 });
        var b = torch.tensor(new float[] { 1.5f, 2, 5 });
        AssertClose((0.25 + 0 + 4) / 3, F.mse_loss(a, b));
        AssertClose(4.25, F.mse_loss(a, b, Reduction.Sum));
        AssertClose(new[] { 0.25, 0, 4 }, F.mse_loss(a, b, Reduction.None));

        var oh = F.one_hot(torch.tensor(new long[] { 0, 2, 1 }), 4);
        Assert.Equal(new long[] { 3, 4 }, oh.shape);
        Assert.Equal(new long[] { 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0 }, oh.ToArray<long>());
        Assert.Equal(new long[] { 3, 3 }, F.one_hot(torch.tensor(new long[] { 0, 2, 1 })).shape);
        Assert.Equal("one_hot: Class values must be smaller than num_classes.",
            Assert.Throws<TorchException>(() => F.one_hot(torch.tensor(new long[] { 5 }), 3)).Message);
    }

    // ---- interpolate ---------------------------------------------------------------------------

    [Fact]
    public void Interpolate_nearest_and_bilinear()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 1, 1, 2, 2 });
        Assert.Equal(new float[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, F.interpolate(x, scale_factor: 2).ToArray<float>());
        // align_corners: the corner pixels map onto each other, the middle is their average
        Assert.Equal(new float[] { 1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4 },
            F.interpolate(x, size: 3, mode: InterpolationMode.Bilinear, align_corners: true).ToArray<float>());
        // half-pixel centres (PyTorch 1.13)
        Assert.Equal(new float[] { 1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3, 3.25f, 3.75f, 4 },
            F.interpolate(x, scale_factor: 2, mode: InterpolationMode.Bilinear).ToArray<float>());
        // nearest takes floor(out · in/out): sizes and fractional scales (PyTorch 1.13)
        var g = torch.arange(0, 9, dtype: torch.float32).reshape4(1, 1, 3, 3);
        Assert.Equal(new float[] { 0, 0, 1, 1, 2, 3, 3, 4, 4, 5 }, F.interpolate(g, size: (2, 5)).ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 1, 2, 0, 0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8 }, F.interpolate(g, scale_factor: 1.5).ToArray<float>());

        Assert.Throws<ArgumentException>(() => F.interpolate(x));
        Assert.Throws<ArgumentException>(() => F.interpolate(x, size: 3, scale_factor: 2));
        Assert.Throws<ArgumentException>(() => F.interpolate(x, size: 3, align_corners: true));
        Assert.Throws<ArgumentException>(() => F.interpolate(x, scale_factor: -1));
        Assert.Throws<ArgumentException>(() => F.interpolate(x, size: (0, 3)));
    }

    [Fact]
    public void Functional_calls_leave_no_tensors_behind()
    {
        // counted on this thread only, so tests running in parallel do not disturb the count
        using var outer = torch.NewDisposeScope();
        var x = torch.randn(2, 3, 8, 8);
        var w = torch.randn(4, 3, 3, 3);
        var target = torch.tensor(new long[] { 1, 3 });
        var counters = DisposeScope.Counters;
        long live = counters.Created - counters.Disposed;
        for (int i = 0; i < 20; i++)
        {
            using var scope = torch.NewDisposeScope();
            var y = F.relu(F.batch_norm(F.conv2d(x, w, padding: 1), null, null, training: true));
            y = F.adaptive_max_pool2d(F.max_pool2d(y, 2), 2);
            var (pooled, _) = F.max_pool2d_with_indices(y, 2);
            var features = torch.tensor(F.adaptive_avg_pool2d(pooled, 1).ToArray<float>(), new long[] { 2, 4 });
            var loss = F.cross_entropy(F.linear(features, torch.randn(4, 4)), target);
            Assert.True(loss.item<float>() > 0);
        }
        Assert.Equal(live, counters.Created - counters.Disposed);
    }

    // ---- errors --------------------------------------------------------------------------------

    [Fact]
    public void Libtorch_errors_name_the_operation()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => F.conv2d(torch.ones(1, 1, 5, 5), torch.ones(16, 3, 3, 3)));
        Assert.Equal("conv2d: Given groups=1, weight of size [16, 3, 3, 3], expected input[1, 1, 5, 5] to have 3 channels, but got 1 channels instead", e.Message);
        Assert.Equal("conv2d", e.Operation);

        var cases = new (string operation, Func<Tensor> call)[]
        {
            ("conv2d", () => F.conv2d(torch.ones(1, 2, 3, 3), torch.ones(4, 2, 5, 5))),
            ("conv2d", () => F.conv2d(torch.ones(1, 2, 3, 3), torch.ones(4, 2, 3, 3), torch.ones(3))),
            ("conv2d", () => F.conv2d(torch.ones(1, 4, 3, 3), torch.ones(4, 2, 1, 1), groups: 3)),
            ("conv2d", () => F.conv2d(torch.ones(1, 2, 3, 3), torch.ones(new long[] { 4, 2, 1, 1 }, torch.float64))),
            ("conv_transpose2d", () => F.conv_transpose2d(torch.ones(1, 2, 3, 3), torch.ones(2, 3, 3, 3), stride: 1, output_padding: 2)),
            ("max_pool2d", () => F.max_pool2d(torch.ones(1, 1, 4, 4), 2, padding: 2)),
            ("max_pool2d", () => F.max_pool2d(torch.ones(4), 2)),
            ("avg_pool2d", () => F.avg_pool2d(torch.ones(1, 1, 2, 2), 3)),
            ("linear", () => F.linear(torch.ones(2, 3), torch.ones(4, 5))),
            ("layer_norm", () => F.layer_norm(torch.ones(2, 3), new long[] { 4 })),
            ("softmax", () => F.softmax(torch.ones(2, 3), 2)),
            ("nll_loss", () => F.nll_loss(torch.ones(2, 3), torch.tensor(new long[] { 0, -3 }))),
            ("mse_loss", () => F.mse_loss(torch.ones(2, 3), torch.ones(4))),
            ("one_hot", () => F.one_hot(torch.tensor(new long[] { -1 }), 3)),
            ("local_response_norm", () => F.local_response_norm(torch.ones(2, 3), 2)),
            ("interpolate", () => F.interpolate(torch.ones(3, 3), size: 4)),
        };
        foreach (var (operation, call) in cases)
        {
            var error = Assert.Throws<TorchException>(() => call());
            Assert.Equal(operation, error.Operation);
            Assert.StartsWith(operation + ": ", error.Message);
        }
    }

    [Fact]
    public void Nonsense_arguments_are_rejected_before_reaching_libtorch()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(1, 2, 6, 6);
        var w = torch.ones(2, 2, 3, 3);
        var cases = new (string operation, string parameter, Func<Tensor> call)[]
        {
            ("conv2d", "stride", () => F.conv2d(x, w, stride: 0)),
            ("conv2d", "stride", () => F.conv2d(x, w, stride: (1, -2))),
            ("conv2d", "padding", () => F.conv2d(x, w, padding: -1)),
            ("conv2d", "dilation", () => F.conv2d(x, w, dilation: 0)),
            ("conv2d", "groups", () => F.conv2d(x, w, groups: 0)),
            ("conv_transpose2d", "output_padding", () => F.conv_transpose2d(x, w, output_padding: -1)),
            ("max_pool2d", "kernel_size", () => F.max_pool2d(x, -2)),
            ("max_pool2d", "kernel_size", () => F.max_pool2d(x, (2, 0))),
            ("max_pool2d", "stride", () => F.max_pool2d(x, 2, stride: 0)),
            ("max_pool2d_with_indices", "dilation", () => F.max_pool2d_with_indices(x, 2, dilation: -1).output),
            ("avg_pool2d", "kernel_size", () => F.avg_pool2d(x, 0)),
            ("avg_pool2d", "padding", () => F.avg_pool2d(x, 2, padding: -1)),
            ("avg_pool2d", "divisor_override", () => F.avg_pool2d(x, 2, divisor_override: 0)),
            ("adaptive_avg_pool2d", "output_size", () => F.adaptive_avg_pool2d(x, -1)),
            ("adaptive_max_pool2d", "output_size", () => F.adaptive_max_pool2d(x, (2, -1))),
            ("local_response_norm", "size", () => F.local_response_norm(x, 0)),
            ("dropout", "p", () => F.dropout(x, -0.1)),
            ("dropout2d", "p", () => F.dropout2d(x, 2)),
            ("one_hot", "num_classes", () => F.one_hot(torch.tensor(new long[] { 1 }), -2)),
        };
        foreach (var (operation, parameter, call) in cases)
        {
            var error = Assert.Throws<ArgumentException>(call);
            Assert.Equal(parameter, error.ParamName);
            Assert.StartsWith(operation + ": ", error.Message);
        }
        Assert.Throws<ArgumentException>(() => F.max_pool2d(x, new long[] { 1, 2, 3 }));
        Assert.Throws<ArgumentNullException>(() => F.relu(null!));
        var disposed = torch.ones(1);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => F.relu(disposed));
    }
}

internal static class ReshapeForTests
{
    /// <summary>A 4-D copy of a tensor's values (the core has no view/reshape on this branch yet).</summary>
    public static Tensor reshape4(this Tensor t, long n, long c, long h, long w) =>
        t.dtype == ScalarType.Float64
            ? torch.tensor(t.ToArray<double>(), new[] { n, c, h, w })
            : torch.tensor(t.to(ScalarType.Float32).ToArray<float>(), new[] { n, c, h, w });
}
