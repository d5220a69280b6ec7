using System.Globalization;

namespace CnnCourse.Data;

/// <summary>
/// Per-channel mean and standard deviation of a dataset's pixels, on the scale the model sees them
/// (8-bit pixels divided by 255, as ToTensor does), for Normalize. Always computed from the data
/// (<see cref="ImageDataset{T}.ComputeChannelStats"/>), never typed in. The standard deviation is
/// the population one (divided by N), over every pixel of every image of the channel.
/// </summary>
public sealed record ChannelStats(double[] Mean, double[] Std)
{
    public int Channels => Mean.Length;

    public override string ToString()
    {
        static string List(double[] v) => "(" + string.Join(", ", v.Select(x => x.ToString("0.0000", CultureInfo.InvariantCulture))) + ")";
        return $"mean {List(Mean)}, std {List(Std)}";
    }
}
