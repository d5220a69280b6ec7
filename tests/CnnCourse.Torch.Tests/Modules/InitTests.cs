using CnnCourse.Torch.Modules;
using static CnnCourse.Torch.torch.nn.init;

namespace CnnCourse.Torch.Tests.Modules;

[Collection(ProcessWideState.Name)]
public class InitTests
{
    [Fact]
    public void Gains_follow_pytorchs_table()
    {
        Assert.Equal(1.0, calculate_gain(NonlinearityType.Linear));
        Assert.Equal(1.0, calculate_gain("conv2d"));
        Assert.Equal(1.0, calculate_gain("sigmoid"));
        Assert.Equal(5.0 / 3, calculate_gain("tanh"));
        Assert.Equal(Math.Sqrt(2), calculate_gain(NonlinearityType.ReLU));
        Assert.Equal(Math.Sqrt(2 / (1 + 0.01 * 0.01)), calculate_gain("leaky_relu"));
        Assert.Equal(Math.Sqrt(2 / (1 + 0.2 * 0.2)), calculate_gain("leaky_relu", 0.2));
        Assert.Equal(0.75, calculate_gain("selu"));
        Assert.Throws<ArgumentException>(() => calculate_gain("softplus"));
    }

    [Fact]
    public void Fans_count_the_receptive_field()
    {
        using var conv = torch.empty(16, 3, 5, 5);
        Assert.Equal((75L, 400L), _calculate_fan_in_and_fan_out(conv));
        using var linear = torch.empty(10, 20);
        Assert.Equal((20L, 10L), _calculate_fan_in_and_fan_out(linear));
        using var vector = torch.empty(5);
        Assert.Throws<ArgumentException>(() => _calculate_fan_in_and_fan_out(vector));
        Assert.Throws<ArgumentException>(() => kaiming_uniform_(vector));
        Assert.Throws<ArgumentException>(() => kaiming_normal_(conv, mode: "fan_avg"));
    }

    // Reference values: /usr/bin/python3 with torch 1.13 (the same libtorch):
    //   torch.manual_seed(0); w = torch.empty(3, 4); nn.init.kaiming_uniform_(w, a=math.sqrt(5)); w.tolist()
    [Fact]
    public void Seeded_kaiming_uniform_matches_pytorch_exactly()
    {
        torch.manual_seed(0);
        using var w = torch.empty(3, 4);
        Assert.Same(w, kaiming_uniform_(w, a: Math.Sqrt(5)));
        Assert.Equal(new[]
        {
            -0.003743410110473633f, 0.26822179555892944f, -0.4115225672721863f, -0.3679695129394531f,
            -0.19257718324661255f, 0.13407868146896362f, -0.009906589984893799f, 0.39644473791122437f,
            -0.04437202215194702f, 0.1323062777519226f, -0.15110653638839722f, -0.09828269481658936f,
        }, w.ToArray<float>());

        // float64: torch.manual_seed(0); w = torch.empty(2, 3, dtype=torch.float64); kaiming_uniform_(w, a=math.sqrt(5))
        torch.manual_seed(0);
        using var d = torch.empty(new long[] { 2, 3 }, dtype: torch.float64);
        kaiming_uniform_(d, a: Math.Sqrt(5));
        Assert.Equal(new[] { 0.5427704542528101, 0.23996970930833816, -0.046900537438113156, 0.48583757737745076, 0.16745942958373372, 0.3361886278485809 },
            d.ToArray<double>());
    }

    // Python: torch.manual_seed(0); w = torch.empty(2, 3, 3, 3);
    //         nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu'); w.flatten()[:6].tolist()
    [Fact]
    public void Seeded_kaiming_normal_and_xavier_and_trunc_normal_match_pytorch()
    {
        torch.manual_seed(0);
        using var conv = torch.empty(2, 3, 3, 3);
        kaiming_normal_(conv, mode: "fan_out", nonlinearity: "relu");
        Assert.Equal(new[] { -0.37527996301651f, -0.38412007689476013f, -0.08352619409561157f, -0.14462627470493317f, 0.2829034626483917f, 0.23066972196102142f },
            conv.ToArray<float>().Take(6));
        torch.manual_seed(0);
        using var same = torch.empty(2, 3, 3, 3);
        kaiming_normal_(same, mode: FanInOut.FanOut, nonlinearity: NonlinearityType.ReLU);
        Assert.Equal(conv.ToArray<float>(), same.ToArray<float>());

        // torch.manual_seed(0); w = torch.empty(3, 4); nn.init.xavier_uniform_(w)
        torch.manual_seed(0);
        using var x = torch.empty(3, 4);
        xavier_uniform_(x);
        Assert.Equal(new[]
        {
            -0.006931448820978403f, 0.4966502785682678f, -0.7619917392730713f, -0.681347131729126f,
            -0.3565836548805237f, 0.24826547503471375f, -0.01834344118833542f, 0.7340730428695679f,
            -0.08216102421283722f, 0.24498362839221954f, -0.27979493141174316f, -0.18198418617248535f,
        }, x.ToArray<float>());

        // torch.manual_seed(0); w = torch.empty(5); nn.init.trunc_normal_(w, std=0.02)
        torch.manual_seed(0);
        using var t = torch.empty(5);
        trunc_normal_(t, std: 0.02);
        Assert.Equal(new[] { -0.00018766950233839452f, 0.014660065993666649f, -0.027003811672329903f, -0.02233688160777092f, -0.010063374415040016f },
            t.ToArray<float>());
    }

    private static (double mean, double std, double min, double max) Stats(Tensor t)
    {
        var v = t.ToDoubleArray();
        double mean = v.Average();
        double std = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return (mean, std, v.Min(), v.Max());
    }

    [Fact]
    public void Distributions_have_the_documented_moments_and_bounds()
    {
        torch.manual_seed(7);
        // Kaiming uniform for a conv weight [64, 32, 3, 3]: fan_in 288, bound = sqrt(6 / 288) for ReLU.
        using var w = torch.empty(64, 32, 3, 3);
        kaiming_uniform_(w, nonlinearity: NonlinearityType.ReLU);
        double bound = Math.Sqrt(6.0 / 288);
        var (mean, std, min, max) = Stats(w);
        Assert.InRange(min, -bound, -0.99 * bound);
        Assert.InRange(max, 0.99 * bound, bound);
        Assert.InRange(std, 0.98 * bound / Math.Sqrt(3), 1.02 * bound / Math.Sqrt(3));
        Assert.InRange(mean, -0.01 * bound, 0.01 * bound);

        // Kaiming normal, fan_out: std = sqrt(2 / (64 * 9)).
        kaiming_normal_(w, mode: FanInOut.FanOut, nonlinearity: NonlinearityType.ReLU);
        (_, std, _, _) = Stats(w);
        Assert.InRange(std, 0.98 * Math.Sqrt(2.0 / 576), 1.02 * Math.Sqrt(2.0 / 576));

        // Xavier normal: std = gain * sqrt(2 / (fan_in + fan_out)).
        xavier_normal_(w, gain: 2);
        (_, std, _, _) = Stats(w);
        Assert.InRange(std, 0.98 * 2 * Math.Sqrt(2.0 / (288 + 576)), 1.02 * 2 * Math.Sqrt(2.0 / (288 + 576)));

        // Truncated normal: inside [a, b]; N(0,1) truncated to [-2, 2] has std 0.8796.
        using var t = torch.empty(100_000);
        trunc_normal_(t);
        (mean, std, min, max) = Stats(t);
        Assert.InRange(min, -2.0, -1.99);
        Assert.InRange(max, 1.99, 2.0);
        Assert.InRange(std, 0.87, 0.89);
        trunc_normal_(t, mean: 1, std: 0.5, a: 0.5, b: 1.2);
        (_, _, min, max) = Stats(t);
        Assert.InRange(min, 0.5, 0.51);
        Assert.InRange(max, 1.19, 1.2);

        normal_(t, mean: 3, std: 0.5);
        (mean, std, _, _) = Stats(t);
        Assert.InRange(mean, 2.99, 3.01);
        Assert.InRange(std, 0.49, 0.51);
        uniform_(t, -1, 3);
        (mean, _, min, max) = Stats(t);
        Assert.InRange(mean, 0.98, 1.02);
        Assert.InRange(min, -1, -0.99);
        Assert.InRange(max, 2.99, 3);
    }

    [Fact]
    public void Init_works_on_parameters_without_recording_gradients()
    {
        using var p = new Parameter(torch.empty(2, 3));
        Assert.Same(p, constant_(p, 0.5));
        Assert.All(p.ToArray<float>(), v => Assert.Equal(0.5f, v));
        ones_(p);
        Assert.All(p.ToArray<float>(), v => Assert.Equal(1f, v));
        zeros_(p);
        Assert.All(p.ToArray<float>(), v => Assert.Equal(0f, v));
        kaiming_uniform_(p, a: Math.Sqrt(5));
        xavier_uniform_(p);
        trunc_normal_(p, std: 0.02);
        Assert.True(p.is_leaf);
        Assert.True(p.requires_grad);
        Assert.True(torch.is_grad_enabled());
        // The Tensor methods themselves follow PyTorch: in place on a leaf that requires grad is an error.
        Assert.Throws<TorchException>(() => p.uniform_());
        using (torch.no_grad()) p.uniform_();

        using var empty = torch.empty(0, 3);
        Assert.Same(empty, kaiming_normal_(empty)); // zero elements: a no-op, as in PyTorch
    }
}
