using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Data.Transforms;

/// <summary>
/// Random Erasing (Zhong et al., 2020), as torchvision implements it: with probability
/// <paramref name="p"/> a rectangle covering a random share of the image (<paramref name="scale"/>)
/// with a random aspect ratio (<paramref name="ratio"/>, drawn log-uniformly) is set to
/// <paramref name="value"/>; up to ten tries to find a rectangle that fits, else the image is kept.
/// Apply it after Normalize, so that the erased value 0 is the dataset mean.
/// </summary>
public sealed class RandomErasing : ITransform
{
    public RandomErasing(double p = 0.5, (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null, double value = 0)
    {
        Check.Probability(p, nameof(p), nameof(RandomErasing));
        Scale = scale ?? (0.02, 0.33);
        Ratio = ratio ?? (0.3, 3.3);
        if (!(Scale.Min > 0 && Scale.Min <= Scale.Max && Scale.Max <= 1))
            throw new ArgumentOutOfRangeException(nameof(scale),
                $"The erased share of the image must satisfy 0 < min ≤ max ≤ 1; got ({Scale.Min}, {Scale.Max}).");
        if (!(Ratio.Min > 0 && Ratio.Min <= Ratio.Max))
            throw new ArgumentOutOfRangeException(nameof(ratio), $"The aspect ratio range must satisfy 0 < min ≤ max; got ({Ratio.Min}, {Ratio.Max}).");
        (P, Value) = (p, value);
    }

    public double P { get; }
    public (double Min, double Max) Scale { get; }
    public (double Min, double Max) Ratio { get; }
    public double Value { get; }

    public Tensor Apply(Tensor images, Random random)
    {
        Check.NotNull(random, nameof(random), nameof(RandomErasing));
        var layout = ImageLayout.Of(images, nameof(RandomErasing));
        var result = images.clone();
        for (long i = 0; i < layout.N; i++)
        {
            if (random.NextDouble() >= P) continue;
            if (Rectangle(layout.H, layout.W, random) is not { } r) continue;
            using var image = layout.Batched ? result[i] : result.alias();
            using var rows = image.narrow(1, r.Top, r.Height);
            using var patch = rows.narrow(2, r.Left, r.Width);
            patch.fill_(Value);
        }
        return result;
    }

    /// <summary>torchvision's draw: area share, log-uniform aspect ratio, up to ten tries.</summary>
    private (long Top, long Left, long Height, long Width)? Rectangle(long h, long w, Random random)
    {
        double area = h * w, logMin = Math.Log(Ratio.Min), logMax = Math.Log(Ratio.Max);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double eraseArea = area * (Scale.Min + random.NextDouble() * (Scale.Max - Scale.Min));
            double aspect = Math.Exp(logMin + random.NextDouble() * (logMax - logMin));
            long eh = (long)Math.Round(Math.Sqrt(eraseArea * aspect), MidpointRounding.ToEven);
            long ew = (long)Math.Round(Math.Sqrt(eraseArea / aspect), MidpointRounding.ToEven);
            if (eh < 1 || ew < 1 || eh >= h || ew >= w) continue;
            return (random.Next((int)(h - eh + 1)), random.Next((int)(w - ew + 1)), eh, ew);
        }
        return null;
    }

    public override string ToString() => $"RandomErasing(p={P}, scale=({Scale.Min}, {Scale.Max}), ratio=({Ratio.Min}, {Ratio.Max}), value={Value})";
}
