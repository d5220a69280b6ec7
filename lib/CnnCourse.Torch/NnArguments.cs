using System.Globalization;

namespace CnnCourse.Torch;

/// <summary>
/// A size argument of a 2-D operation (kernel_size, stride, padding, dilation, output_size), written
/// as in PyTorch: one number for both dimensions (<c>stride: 2</c>), a tuple <c>(3, 5)</c>, or an
/// array of one or two values.
/// </summary>
public readonly struct Size2 : IEquatable<Size2>
{
    public Size2(long height, long width)
    {
        Height = height;
        Width = width;
    }

    public Size2(long both) : this(both, both) { }

    public long Height { get; }
    public long Width { get; }

    public static implicit operator Size2(int value) => new(value);
    public static implicit operator Size2(long value) => new(value);
    public static implicit operator Size2((int, int) value) => new(value.Item1, value.Item2);
    public static implicit operator Size2((long, long) value) => new(value.Item1, value.Item2);
    public static implicit operator Size2(long[] values) => FromArray(values);
    public static implicit operator Size2(int[] values) => FromArray(Array.ConvertAll(values ?? throw new ArgumentNullException(nameof(values)), v => (long)v));

    private static Size2 FromArray(long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Length switch
        {
            1 => new Size2(values[0]),
            2 => new Size2(values[0], values[1]),
            _ => throw new ArgumentException($"a 2-D size takes one or two values, got {values.Length}: [{string.Join(", ", values)}]"),
        };
    }

    public void Deconstruct(out long height, out long width)
    {
        height = Height;
        width = Width;
    }

    internal long[] ToArray() => new[] { Height, Width };

    public bool Equals(Size2 other) => Height == other.Height && Width == other.Width;
    public override bool Equals(object? obj) => obj is Size2 other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Height, Width);
    public static bool operator ==(Size2 a, Size2 b) => a.Equals(b);
    public static bool operator !=(Size2 a, Size2 b) => !a.Equals(b);

    /// <summary>PyTorch's tuple notation, e.g. "(3, 3)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Height}, {Width})");
}

/// <summary>
/// The padding of a convolution: a size (<c>padding: 1</c>, <c>(1, 2)</c>) or one of PyTorch's
/// strings <c>"same"</c> (output as large as the input, stride 1 only) and <c>"valid"</c> (no padding).
/// </summary>
public readonly struct Padding : IEquatable<Padding>
{
    private readonly Size2 size;

    private Padding(Size2 size, string? mode)
    {
        this.size = size;
        Mode = mode;
    }

    /// <summary>Pads so that the output has the input's size (stride 1).</summary>
    public static Padding Same => new(default, "same");

    /// <summary>No padding.</summary>
    public static Padding Valid => new(default, "valid");

    /// <summary>"same" or "valid", or null for explicit sizes.</summary>
    public string? Mode { get; }

    /// <summary>The explicit sizes (zero for "valid"; meaningless for "same").</summary>
    public Size2 Size => size;

    public static implicit operator Padding(Size2 size) => new(size, null);
    public static implicit operator Padding(int value) => new(value, null);
    public static implicit operator Padding(long value) => new(value, null);
    public static implicit operator Padding((int, int) value) => new(value, null);
    public static implicit operator Padding((long, long) value) => new(value, null);
    public static implicit operator Padding(long[] values) => new(values, null);
    public static implicit operator Padding(int[] values) => new(values, null);

    public static implicit operator Padding(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        return mode switch
        {
            "same" => Same,
            "valid" => Valid,
            _ => throw new ArgumentException($"Invalid padding string '{mode}', should be one of {{'valid', 'same'}}", nameof(mode)),
        };
    }

    public bool Equals(Padding other) => Mode == other.Mode && (Mode is not null || size == other.size);
    public override bool Equals(object? obj) => obj is Padding other && Equals(other);
    public override int GetHashCode() => Mode is null ? size.GetHashCode() : Mode.GetHashCode(StringComparison.Ordinal);
    public static bool operator ==(Padding a, Padding b) => a.Equals(b);
    public static bool operator !=(Padding a, Padding b) => !a.Equals(b);

    public override string ToString() => Mode is null ? size.ToString() : $"'{Mode}'";
}

/// <summary>A scale factor of a 2-D resize: one number for both dimensions, or (height, width).</summary>
public readonly struct Scale2
{
    public Scale2(double height, double width)
    {
        Height = height;
        Width = width;
    }

    public double Height { get; }
    public double Width { get; }

    public static implicit operator Scale2(double value) => new(value, value);
    public static implicit operator Scale2((double, double) value) => new(value.Item1, value.Item2);

    public static implicit operator Scale2(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Length switch
        {
            1 => new Scale2(values[0], values[0]),
            2 => new Scale2(values[0], values[1]),
            _ => throw new ArgumentException($"a 2-D scale factor takes one or two values, got {values.Length}"),
        };
    }

    internal double[] ToArray() => new[] { Height, Width };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Height}, {Width})");
}

/// <summary>The resampling of <c>torch.nn.functional.interpolate</c> (PyTorch's <c>mode</c> string).</summary>
public enum InterpolationMode
{
    /// <summary>"nearest": the nearest input pixel (floor of the scaled coordinate).</summary>
    Nearest = 0,

    /// <summary>"bilinear": linear in both dimensions.</summary>
    Bilinear = 1,
}

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How a loss reduces its per-element values (PyTorch's <c>reduction</c> string).</summary>
        public enum Reduction
        {
            /// <summary>"none": one loss per element (per sample for classification losses).</summary>
            None = 0,

            /// <summary>"mean": the (weighted) mean.</summary>
            Mean = 1,

            /// <summary>"sum": the sum.</summary>
            Sum = 2,
        }
    }
}
