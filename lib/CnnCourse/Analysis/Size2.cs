using System.Globalization;

namespace CnnCourse.Analysis;

/// <summary>
/// A height and a width (a kernel, stride, padding or receptive field). A number stands for both
/// (<c>RfLayer.Conv(3)</c>), a pair or a two-element array for each (<c>(1, 7)</c>, TorchSharp's
/// <c>kernel_size</c> arrays).
/// </summary>
public readonly record struct Size2(long Height, long Width)
{
    public Size2(long both) : this(both, both) { }

    public static implicit operator Size2(int value) => new(value);
    public static implicit operator Size2(long value) => new(value);
    public static implicit operator Size2((int, int) value) => new(value.Item1, value.Item2);
    public static implicit operator Size2((long, long) value) => new(value.Item1, value.Item2);

    /// <summary>One value (both axes) or two (height, width), as TorchSharp's 2-D layers store them.</summary>
    public static Size2 FromArray(IReadOnlyList<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Count switch
        {
            1 => new Size2(values[0]),
            2 => new Size2(values[0], values[1]),
            _ => throw new ArgumentException($"a 2-D size takes one or two values, but got {values.Count}: [{string.Join(", ", values)}]", nameof(values)),
        };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Height}, {Width})");
}
