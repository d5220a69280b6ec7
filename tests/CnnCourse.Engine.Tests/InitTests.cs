using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Engine.Tests;

public class InitTests
{
    private static (double Mean, double Std, double Min, double Max) Stats(Tensor t) =>
        (t.mean().item<float>(), t.std().item<float>(), t.min().item<float>(), t.max().item<float>());

    // Python: torch.manual_seed(0); w = torch.empty(5); nn.init.trunc_normal_(w, std=0.02); w.tolist()
    // (the old binding's reference, libtorch 1.13). libtorch 2.10's erfinv gives the third value one float32
    // step away (-0.0270038098), hence the tolerance of a few steps.
    [Fact]
    public void Seeded_TruncNormal_gives_PyTorchs_values()
    {
        torch.manual_seed(0);
        using var t = torch.empty(5);
        Assert.Same(t, Init.TruncNormal(t, std: 0.02));
        double[] expected = [-0.00018766950233839452, 0.014660065993666649, -0.027003811672329903, -0.02233688160777092, -0.010063374415040016];
        float[] actual = t.data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 1e-8);
    }

    [Fact]
    public void TruncNormal_has_the_truncated_distributions_spread_and_bounds()
    {
        torch.manual_seed(7);
        using var t = torch.empty(100_000);
        // GoogLeNet's setting: N(0, 0.01²), cut at ±2 (200 standard deviations: no visible truncation).
        Init.TruncNormal(t, mean: 0, std: 0.01, a: -2, b: 2);
        var (mean, std, _, _) = Stats(t);
        Assert.InRange(std, 0.0099, 0.0101);
        Assert.InRange(mean, -1e-4, 1e-4);
        // N(0, 1) truncated to [-2, 2] has standard deviation 0.8796.
        Init.TruncNormal(t);
        (_, std, var min, var max) = Stats(t);
        Assert.InRange(std, 0.87, 0.89);
        Assert.InRange(min, -2.0, -1.99);
        Assert.InRange(max, 1.99, 2.0);
        Init.TruncNormal(t, mean: 1, std: 0.5, a: 0.5, b: 1.2);
        (_, _, min, max) = Stats(t);
        Assert.InRange(min, 0.5, 0.51);
        Assert.InRange(max, 1.19, 1.2);
    }

    [Fact]
    public void TruncNormal_works_on_parameters_without_recording_gradients_and_checks_its_arguments()
    {
        using var p = nn.Parameter(torch.empty(3, 4));
        Init.TruncNormal(p, std: 0.02);
        Assert.True(p.is_leaf);
        Assert.True(p.requires_grad);
        Assert.True(torch.is_grad_enabled());
        Assert.Throws<ArgumentOutOfRangeException>(() => { Init.TruncNormal(p, std: -1); });
        Assert.Throws<ArgumentException>(() => { Init.TruncNormal(p, a: 1, b: -1); });
    }

    [Fact]
    public void TruncNormal_draws_from_the_generator_it_is_given()
    {
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        using var x = Init.TruncNormal(torch.empty(8), generator: g1);
        using var y = Init.TruncNormal(torch.empty(8), generator: g2);
        Assert.Equal(x.data<float>().ToArray(), y.data<float>().ToArray());
    }

    // The reason for Init.TruncNormal. When this test fails, TorchSharp has fixed its trunc_normal_: check that
    // it gives Seeded_TruncNormal_gives_PyTorchs_values's numbers, and let the models call it again.
    [Fact]
    public void TorchSharps_trunc_normal_still_swaps_mean_and_std()
    {
        torch.manual_seed(0);
        using var t = torch.empty(1000);
        nn.init.trunc_normal_(t, mean: 0, std: 0.01);
        // x·mean + std instead of x·std·√2 + mean: a constant 0.01 where PyTorch draws N(0, 0.01²).
        Assert.All(t.data<float>().ToArray(), v => Assert.Equal(0.01f, v));
    }
}
