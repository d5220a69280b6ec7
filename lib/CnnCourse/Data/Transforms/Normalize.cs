using System.Globalization;
using CnnCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnCourse.Data.Transforms;

/// <summary>
/// (x − mean) / std per channel, like torchvision's <c>Normalize</c>. Take the statistics from the
/// training set (<see cref="ImageDataset{T}.ComputeChannelStats"/>) rather than typing them in.
/// </summary>
public sealed class Normalize : ITransform
{
    private readonly double[] mean, std;

    public Normalize(ChannelStats stats) : this((stats ?? throw new ArgumentNullException(nameof(stats))).Mean, stats.Std) { }

    public Normalize(double[] mean, double[] std)
    {
        Check.NotNull(mean, nameof(mean), nameof(Normalize));
        Check.NotNull(std, nameof(std), nameof(Normalize));
        Check.That(mean.Length > 0 && mean.Length == std.Length, nameof(std), nameof(Normalize),
            $"one mean and one std per channel are needed; got {mean.Length} means and {std.Length} stds.");
        for (int c = 0; c < std.Length; c++)
            Check.That(std[c] > 0 && double.IsFinite(std[c]) && double.IsFinite(mean[c]), nameof(std), nameof(Normalize),
                $"channel {c} has mean {mean[c]} and std {std[c]}; the std must be positive and both finite.");
        this.mean = (double[])mean.Clone();
        this.std = (double[])std.Clone();
    }

    public IReadOnlyList<double> Mean => mean;
    public IReadOnlyList<double> Std => std;

    public Tensor Apply(Tensor images, Random random)
    {
        var layout = ImageLayout.Of(images, nameof(Normalize));
        if (layout.C != mean.Length)
            throw new ArgumentException($"Normalize has statistics for {mean.Length} channel(s), but the images have {layout.C}.", nameof(images));
        if (!images.is_floating_point())
            throw new ArgumentException($"Normalize expects floating-point images (pixels scaled to [0, 1]), but got {images.dtype}.", nameof(images));
        using var m = torch.tensor(mean, new long[] { mean.Length, 1, 1 }, images.dtype, images.device);
        using var s = torch.tensor(std, new long[] { std.Length, 1, 1 }, images.dtype, images.device);
        using var centred = images - m;
        return centred / s;
    }

    public override string ToString()
    {
        static string List(double[] v) => string.Join(", ", v.Select(x => x.ToString("0.####", CultureInfo.InvariantCulture)));
        return $"Normalize(mean=({List(mean)}), std=({List(std)}))";
    }
}
