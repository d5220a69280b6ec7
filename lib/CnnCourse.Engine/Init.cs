using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Engine;

/// <summary>
/// Weight initialisers that TorchSharp 0.107 gets wrong. Its <c>nn.init.trunc_normal_</c> (native
/// <c>THSInit_trunc_normal_</c>) multiplies the erfinv samples by the mean and adds the standard
/// deviation, the two swapped: with mean 0 it fills the tensor with the constant <c>std</c>, so every
/// filter of a layer starts equal and training cannot tell them apart. It also ignores its generator.
/// </summary>
public static class Init
{
    /// <summary>
    /// PyTorch's <c>torch.nn.init.trunc_normal_</c>, op for op (uniform in the CDF range, erfinv, scale,
    /// shift, clamp to [a, b]), so a seeded draw gives PyTorch's values. In place, without recording
    /// gradients; returns <paramref name="tensor"/>.
    /// </summary>
    public static Tensor TruncNormal(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!(std >= 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "the standard deviation must be non-negative");
        if (!(a < b)) throw new ArgumentException($"the lower cutoff a ({a}) must be below the upper cutoff b ({b})", nameof(a));
        var (lower, upper) = (NormalCdf((a - mean) / std), NormalCdf((b - mean) / std));
        using var noGrad = torch.no_grad();
        tensor.uniform_(2 * lower - 1, 2 * upper - 1, generator);
        tensor.erfinv_();
        tensor.mul_(std * Math.Sqrt(2.0));
        tensor.add_(mean);
        tensor.clamp_(a, b);
        return tensor;
    }

    // Φ(x) = (1 + erf(x / √2)) / 2, with libtorch's double-precision erf (.NET has none).
    private static double NormalCdf(double x)
    {
        using var erf = torch.tensor(x / Math.Sqrt(2.0), ScalarType.Float64).erf();
        return (1.0 + erf.item<double>()) / 2.0;
    }
}
