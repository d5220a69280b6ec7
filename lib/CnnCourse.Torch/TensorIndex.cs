using System.Globalization;

namespace CnnCourse.Torch;

/// <summary>
/// One entry of a Python-style index <c>x[...]</c>: an integer, a slice <c>start:stop:step</c>,
/// <c>None</c> (a new axis), <c>...</c> (Ellipsis), a bool, or a tensor of indices or a mask.
/// Integers, C# ranges (<c>1..3</c>, <c>^1</c>) and tensors convert implicitly:
/// <code>
/// x[0, TensorIndex.Slice(1, 3)]      // x[0, 1:3]
/// x[TensorIndex.Ellipsis, 1..]       // x[..., 1:]
/// x[TensorIndex.None]                // x[None]
/// x[TensorIndex.Colon, indices]      // x[:, indices]
/// </code>
/// </summary>
public readonly struct TensorIndex
{
    internal enum Kind
    {
        // The numbers are the shim's CNT_INDEX_* codes.
        None = 0,
        Ellipsis = 1,
        Integer = 2,
        Boolean = 3,
        Slice = 4,
        Tensor = 5,
    }

    private TensorIndex(Kind kind, long start = 0, long? stop = null, long? step = null, Tensor? tensor = null, long? sliceStart = null)
    {
        IndexKind = kind;
        Value = start;
        SliceStart = sliceStart;
        Stop = stop;
        Step = step;
        TensorValue = tensor;
    }

    internal Kind IndexKind { get; }
    internal long Value { get; }
    internal long? SliceStart { get; }
    internal long? Stop { get; }
    internal long? Step { get; }
    internal Tensor? TensorValue { get; }

    /// <summary>A new axis of size 1 (Python's <c>None</c>).</summary>
    public static TensorIndex None => new(Kind.None);

    /// <summary>As many full slices as needed (Python's <c>...</c>).</summary>
    public static TensorIndex Ellipsis => new(Kind.Ellipsis);

    /// <summary>The whole dimension (Python's <c>:</c>).</summary>
    public static TensorIndex Colon => Slice();

    /// <summary>start:stop:step; omitted bounds mean the beginning / the end, negative ones count from the end.</summary>
    /// <exception cref="ArgumentException"><paramref name="step"/> is not positive.</exception>
    public static TensorIndex Slice(long? start = null, long? stop = null, long? step = null)
    {
        if (step is <= 0) throw new ArgumentException($"slice step must be positive, but got {step}", nameof(step));
        return new(Kind.Slice, 0, stop, step, null, start);
    }

    /// <summary>One position (removes the dimension); negative counts from the end.</summary>
    public static TensorIndex Single(long index) => new(Kind.Integer, index);

    /// <summary>x[True] adds a dimension of size 1; x[False] one of size 0.</summary>
    public static TensorIndex Bool(bool value) => new(Kind.Boolean, value ? 1 : 0);

    /// <summary>int64 indices (picking entries of a dimension), or a bool mask selecting elements.</summary>
    public static TensorIndex Tensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new(Kind.Tensor, tensor: tensor);
    }

    public static implicit operator TensorIndex(long index) => Single(index);

    public static implicit operator TensorIndex(Tensor tensor) => Tensor(tensor);

    /// <summary>A C# range as a slice: <c>1..3</c> is 1:3, <c>^2..</c> is -2:.</summary>
    public static implicit operator TensorIndex(Range range)
    {
        long? start = range.Start.IsFromEnd ? -range.Start.Value : range.Start.Value;
        if (start == 0) start = null;
        long? stop = range.End.IsFromEnd ? (range.End.Value == 0 ? null : -range.End.Value) : range.End.Value;
        return Slice(start, stop);
    }

    /// <summary>A C# index: <c>^1</c> is -1.</summary>
    public static implicit operator TensorIndex(Index index) => Single(index.IsFromEnd ? -index.Value : index.Value);

    /// <summary>Python's notation: 0, 1:3, ::2, None, ..., True, tensor(...).</summary>
    public override string ToString() => IndexKind switch
    {
        Kind.None => "None",
        Kind.Ellipsis => "...",
        Kind.Integer => Value.ToString(CultureInfo.InvariantCulture),
        Kind.Boolean => Value != 0 ? "True" : "False",
        Kind.Slice => $"{SliceStart}:{Stop}" + (Step is { } s ? $":{s}" : ""),
        _ => "tensor",
    };
}
