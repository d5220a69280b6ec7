using System.Runtime.CompilerServices;
using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// Views and reshaping, splitting, memory format. Errors: a size below its allowed minimum (negative,
// or below -1 where -1 means "infer"/"keep") throws ArgumentException before libtorch is called; a
// dimension out of range throws TorchException with Kind Index; sizes that do not fit the tensor
// (view of a non-viewable or wrongly sized shape) throw TorchException with Kind Runtime.
public partial class Tensor
{
    /// <summary>
    /// A view with the given shape sharing this tensor's storage; one size may be -1 (inferred).
    /// Fails when the strides do not allow a view (use <see cref="reshape"/> then).
    /// </summary>
    /// <exception cref="ArgumentException">A size below -1.</exception>
    /// <exception cref="TorchException">The shape does not fit the number of elements, or no view is possible.</exception>
    public Tensor view(params long[] shape) => Check.Result(NativeMethods.cnt_view(Handle, Sizes(shape, -1), shape.Length));

    /// <summary>A view with <paramref name="other"/>'s shape.</summary>
    public Tensor view_as(Tensor other) => view(other.shape);

    /// <summary>The values with the given shape: a view when possible, otherwise a copy. One size may be -1.</summary>
    /// <exception cref="ArgumentException">A size below -1.</exception>
    public Tensor reshape(params long[] shape) => Check.Result(NativeMethods.cnt_reshape(Handle, Sizes(shape, -1), shape.Length));

    public Tensor reshape_as(Tensor other) => reshape(other.shape);

    /// <summary>A view with the dimensions reordered: <c>x.permute(0, 2, 3, 1)</c> turns NCHW into NHWC.</summary>
    public Tensor permute(params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return Check.Result(NativeMethods.cnt_permute(Handle, dims, dims.Length));
    }

    /// <summary>A copy with the order of elements reversed along <paramref name="dims"/> (negative dims count from the end).</summary>
    public Tensor flip(params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return Check.Result(NativeMethods.cnt_flip(Handle, dims, dims.Length));
    }

    /// <summary>A view with dimensions <paramref name="dim0"/> and <paramref name="dim1"/> swapped.</summary>
    public Tensor transpose(long dim0, long dim1) => Check.Result(NativeMethods.cnt_transpose(Handle, dim0, dim1));

    /// <summary>The transpose of a matrix (a 0-D or 1-D tensor is returned as it is).</summary>
    public Tensor t() => Check.Result(NativeMethods.cnt_t(Handle));

    /// <summary>A view with all dimensions reversed (PyTorch's <c>x.T</c>).</summary>
    public Tensor T
    {
        get
        {
            int n = dim();
            var dims = new long[n];
            for (int i = 0; i < n; i++) dims[i] = n - 1 - i;
            return permute(dims);
        }
    }

    /// <summary>Merges dimensions <paramref name="start_dim"/> … <paramref name="end_dim"/> into one.</summary>
    public Tensor flatten(long start_dim = 0, long end_dim = -1) => Check.Result(NativeMethods.cnt_flatten(Handle, start_dim, end_dim));

    /// <summary>Splits dimension <paramref name="dim"/> into <paramref name="sizes"/> (one may be -1).</summary>
    /// <exception cref="ArgumentException">A size below -1.</exception>
    public Tensor unflatten(long dim, params long[] sizes) =>
        Check.Result(NativeMethods.cnt_unflatten(Handle, dim, Sizes(sizes, -1), sizes.Length));

    /// <summary>Removes every dimension of size 1, or only <paramref name="dim"/> if it has size 1.</summary>
    public Tensor squeeze(long? dim = null) => dim is { } d
        ? Check.Result(NativeMethods.cnt_squeeze_dim(Handle, d))
        : Check.Result(NativeMethods.cnt_squeeze(Handle));

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (negative counts from the end, as in PyTorch).</summary>
    public Tensor unsqueeze(long dim) => Check.Result(NativeMethods.cnt_unsqueeze(Handle, dim));

    /// <summary>
    /// A broadcast view with size-1 dimensions repeated (without copying) to <paramref name="sizes"/>;
    /// -1 keeps a dimension's size. New leading dimensions may be added.
    /// </summary>
    /// <exception cref="ArgumentException">A size below -1.</exception>
    public Tensor expand(params long[] sizes) => Check.Result(NativeMethods.cnt_expand(Handle, Sizes(sizes, -1), sizes.Length));

    /// <summary>expand to <paramref name="other"/>'s shape.</summary>
    public Tensor expand_as(Tensor other) => expand(other.shape);

    /// <summary>Tiles the tensor: <c>repeat(2, 3)</c> repeats rows twice and columns three times (a copy).</summary>
    /// <exception cref="ArgumentException">A negative repeat count.</exception>
    public Tensor repeat(params long[] repeats) => Check.Result(NativeMethods.cnt_repeat(Handle, Sizes(repeats, 0), repeats.Length));

    /// <summary>Views of consecutive pieces of <paramref name="split_size"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    /// <exception cref="ArgumentException">A negative size.</exception>
    public Tensor[] split(long split_size, long dim = 0)
    {
        if (split_size < 0) throw new ArgumentException($"split: split_size must be non-negative, but got {split_size}", nameof(split_size));
        long length = SizeOrZero(dim);
        int capacity = split_size == 0 ? 1 : (int)Math.Min(int.MaxValue, length / split_size + 1);
        var h = Handle;
        return NativeResults.List(capacity, (IntPtr[] o, int c, out int n) => NativeMethods.cnt_split(h, split_size, dim, o, c, out n));
    }

    /// <summary>Views of pieces with the given sizes along <paramref name="dim"/>; the sizes must add up to its length.</summary>
    /// <exception cref="ArgumentException">A negative size.</exception>
    public Tensor[] split(long[] split_sizes, long dim = 0)
    {
        Sizes(split_sizes, 0);
        var h = Handle;
        return NativeResults.List(split_sizes.Length,
            (IntPtr[] o, int c, out int n) => NativeMethods.cnt_split_with_sizes(h, split_sizes, split_sizes.Length, dim, o, c, out n));
    }

    /// <summary>Up to <paramref name="chunks"/> views of (nearly) equal size along <paramref name="dim"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="chunks"/> is not positive.</exception>
    public Tensor[] chunk(long chunks, long dim = 0)
    {
        if (chunks <= 0) throw new ArgumentException($"chunk: chunks must be positive, but got {chunks}", nameof(chunks));
        var h = Handle;
        return NativeResults.List((int)Math.Min(chunks, int.MaxValue),
            (IntPtr[] o, int c, out int n) => NativeMethods.cnt_chunk(h, chunks, dim, o, c, out n));
    }

    /// <summary>The slices along <paramref name="dim"/>, each without that dimension (views).</summary>
    public Tensor[] unbind(long dim = 0)
    {
        var h = Handle;
        return NativeResults.List((int)Math.Min(SizeOrZero(dim), int.MaxValue),
            (IntPtr[] o, int c, out int n) => NativeMethods.cnt_unbind(h, dim, o, c, out n));
    }

    /// <summary>
    /// This tensor in the given memory layout: <c>x.to(MemoryFormat.ChannelsLast)</c> stores a 4-D
    /// NCHW tensor as NHWC (same shape and values, different strides), which oneDNN convolutions
    /// prefer. Returns this tensor's values without copying when already in that layout.
    /// </summary>
    public Tensor to(MemoryFormat memory_format) => Check.Result(NativeMethods.cnt_to_memory_format(Handle, (int)memory_format));

    // Checks sizes against their minimum (-1 where -1 means "infer" or "keep", 0 otherwise).
    internal static long[] Sizes(long[] sizes, long minimum, [CallerMemberName] string operation = "")
    {
        ArgumentNullException.ThrowIfNull(sizes);
        foreach (var s in sizes)
            if (s < minimum)
                throw new ArgumentException($"{operation}: invalid size {s} in [{string.Join(", ", sizes)}]" +
                    (minimum < 0 ? " (sizes are non-negative, or -1)" : " (sizes must be non-negative)"), nameof(sizes));
        return sizes;
    }

    // The length of dimension `dim`, or 0 when `dim` is out of range (libtorch then reports the error).
    private long SizeOrZero(long dim)
    {
        var s = shape;
        long d = dim < 0 ? dim + s.Length : dim;
        return d >= 0 && d < s.Length ? s[d] : 0;
    }
}
