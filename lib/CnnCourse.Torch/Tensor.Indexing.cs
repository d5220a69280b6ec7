using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// Indexing and slicing (x[0], x[1, 2], x[TensorIndex.Ellipsis, 1..3], x[mask], x[indices] and their
// assignments), select, narrow, index_select, masks, gather/scatter, nonzero.
//
// Errors: an index out of range, a dimension out of range, or indices of the wrong dtype (a float
// tensor) throw TorchException with Kind Index, as PyTorch raises IndexError; a mask whose shape
// does not match throws TorchException (Kind Index or Runtime); a disposed tensor (this one, an index
// or the assigned value) throws ObjectDisposedException.
public partial class Tensor
{
    // Set on a 0-D tensor made by an implicit conversion from a number (x[i] = 0.5), so the indexer
    // can assign the number directly and free the temporary.
    private Scalar? implicitScalar;

    /// <summary>A 0-D float32 tensor, so that numbers can be assigned through indexers: <c>x[0] = 0.5</c>.</summary>
    public static implicit operator Tensor(double value) => Implicit(value, torch.tensor(value));
    public static implicit operator Tensor(float value) => Implicit(value, torch.tensor(value));
    /// <summary>A 0-D int64 tensor (<c>x[mask] = 0</c>).</summary>
    public static implicit operator Tensor(long value) => Implicit(value, torch.tensor(value));
    public static implicit operator Tensor(int value) => Implicit(value, torch.tensor(value));
    public static implicit operator Tensor(bool value) => Implicit(value, torch.tensor(value));

    /// <summary>
    /// A 0-D tensor holding the scalar. Besides making <c>x[...] = scalar</c> work, this conversion
    /// lets C# prefer the Scalar overload wherever an operation has both (<c>x.mul(2)</c>, <c>x + 1</c>).
    /// </summary>
    public static implicit operator Tensor(Scalar? value) => value is { } s
        ? Implicit(s, s.IsFloatingPoint ? torch.tensor(s.ToDouble()) : s.ToNative().Kind == 2 ? torch.tensor(s.ToInt64() != 0) : torch.tensor(s.ToInt64()))
        : null!;

    private static Tensor Implicit(Scalar value, Tensor tensor)
    {
        tensor.implicitScalar = value;
        return tensor;
    }

    // ---- indexers ------------------------------------------------------------------------------

    /// <summary>x[i]: the i-th entry along the first dimension (a view). Negative i counts from the end.</summary>
    /// <exception cref="TorchException">The index is out of range (Kind Index).</exception>
    public Tensor this[long i]
    {
        get => index(TensorIndex.Single(i));
        set => Assign(value, TensorIndex.Single(i));
    }

    /// <summary>x[i, j] (a view).</summary>
    public Tensor this[long i, long j]
    {
        get => index(TensorIndex.Single(i), TensorIndex.Single(j));
        set => Assign(value, TensorIndex.Single(i), TensorIndex.Single(j));
    }

    /// <summary>x[i, j, k] (a view).</summary>
    public Tensor this[long i, long j, long k]
    {
        get => index(TensorIndex.Single(i), TensorIndex.Single(j), TensorIndex.Single(k));
        set => Assign(value, TensorIndex.Single(i), TensorIndex.Single(j), TensorIndex.Single(k));
    }

    /// <summary>x[i0, i1, …] with integers only (a view).</summary>
    public Tensor this[params long[] indices]
    {
        get => index(Singles(indices));
        set => Assign(value, Singles(indices));
    }

    /// <summary>
    /// Python-style indexing: <c>x[TensorIndex.Ellipsis, TensorIndex.Slice(1, 3)]</c>,
    /// <c>x[0, 1..]</c>, <c>x[TensorIndex.None]</c>. Integers, slices, None and ... give views;
    /// tensors of indices or masks give copies. Assigning writes into this tensor (the value is
    /// converted to its dtype and broadcast).
    /// </summary>
    public Tensor this[params TensorIndex[] indices]
    {
        get => index(indices);
        set => Assign(value, indices);
    }

    /// <summary>x[mask] (the elements where a bool mask is true, as 1-D) or x[indices] (rows picked by int64 indices); one tensor per leading dimension.</summary>
    public Tensor this[params Tensor[] indices]
    {
        get => index(Tensors(indices));
        set => Assign(value, Tensors(indices));
    }

    /// <summary>The indexing behind the indexers (PyTorch's <c>x[...]</c>).</summary>
    public Tensor index(params TensorIndex[] indices)
    {
        using var encoded = new EncodedIndices(indices);
        return Check.Result(NativeMethods.cnt_index(Handle, encoded.Kinds, encoded.Starts, encoded.Stops, encoded.Steps,
            encoded.Tensors.Pointers, encoded.Count));
    }

    /// <summary>Writes <paramref name="value"/> (converted to this dtype, broadcast) at the indexed positions, in place.</summary>
    public Tensor index_put_(Tensor value, params TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var encoded = new EncodedIndices(indices);
        Check.Status(NativeMethods.cnt_index_put_(Handle, encoded.Kinds, encoded.Starts, encoded.Stops, encoded.Steps,
            encoded.Tensors.Pointers, encoded.Count, value.Handle));
        return this;
    }

    /// <summary>Writes <paramref name="value"/> at the indexed positions, in place.</summary>
    public Tensor index_put_(Scalar value, params TensorIndex[] indices)
    {
        using var encoded = new EncodedIndices(indices);
        Check.Status(NativeMethods.cnt_index_put_scalar_(Handle, encoded.Kinds, encoded.Starts, encoded.Stops, encoded.Steps,
            encoded.Tensors.Pointers, encoded.Count, value.ToNative()));
        return this;
    }

    /// <summary>
    /// PyTorch's <c>x.index_put_((i0, i1, …), values, accumulate)</c>: one index tensor per leading
    /// dimension; with <paramref name="accumulate"/>, repeated positions add up instead of overwriting.
    /// </summary>
    public Tensor index_put_(Tensor[] indices, Tensor values, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var t in indices) ArgumentNullException.ThrowIfNull(t, nameof(indices));
        using var handles = new HandleArray(indices);
        Check.Status(NativeMethods.cnt_index_put_tensors_(Handle, handles.Pointers, handles.Length, values.Handle, accumulate));
        return this;
    }

    private void Assign(Tensor value, params TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.implicitScalar is { } number)
        {
            // A number converted implicitly for this assignment: write the number, free the temporary.
            try { index_put_(number, indices); }
            finally { value.Dispose(); }
        }
        else index_put_(value, indices);
    }

    private static TensorIndex[] Singles(long[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return Array.ConvertAll(indices, TensorIndex.Single);
    }

    private static TensorIndex[] Tensors(Tensor[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return Array.ConvertAll(indices, TensorIndex.Tensor);
    }

    // The shim's encoding of an index list (cnt.h, index.cpp): parallel arrays, plus borrowed handles.
    private readonly struct EncodedIndices : IDisposable
    {
        public readonly int[] Kinds;
        public readonly long[] Starts, Stops, Steps;
        public readonly HandleArray Tensors;
        public int Count => Kinds.Length;

        public EncodedIndices(TensorIndex[] indices)
        {
            ArgumentNullException.ThrowIfNull(indices);
            int n = indices.Length;
            Kinds = new int[n];
            Starts = new long[n];
            Stops = new long[n];
            Steps = new long[n];
            var tensors = new Tensor?[n];
            for (int i = 0; i < n; i++)
            {
                var index = indices[i];
                Kinds[i] = (int)index.IndexKind;
                if (index.IndexKind == TensorIndex.Kind.Slice)
                {
                    Starts[i] = index.SliceStart ?? NativeMethods.IndexAbsent;
                    Stops[i] = index.Stop ?? NativeMethods.IndexAbsent;
                    Steps[i] = index.Step ?? NativeMethods.IndexAbsent;
                }
                else Starts[i] = index.Value;
                if (index.IndexKind == TensorIndex.Kind.Tensor) tensors[i] = index.TensorValue;
            }
            Tensors = new HandleArray(tensors);
        }

        public void Dispose() => Tensors.Dispose();
    }

    // ---- selection -----------------------------------------------------------------------------

    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/>, without that dimension (a view).</summary>
    /// <exception cref="TorchException">dim or index out of range (Kind Index).</exception>
    public Tensor select(long dim, long index) => Check.Result(NativeMethods.cnt_select(Handle, dim, index));

    /// <summary>Positions start … start+length-1 along <paramref name="dim"/> (a view).</summary>
    /// <exception cref="ArgumentException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="TorchException">The range does not fit in the dimension.</exception>
    public Tensor narrow(long dim, long start, long length)
    {
        if (length < 0) throw new ArgumentException($"narrow: length must be non-negative, but got {length}", nameof(length));
        return Check.Result(NativeMethods.cnt_narrow(Handle, dim, start, length));
    }

    /// <summary>x[start:end:step] along <paramref name="dim"/> (a view); null bounds mean the beginning / the end.</summary>
    /// <exception cref="ArgumentException"><paramref name="step"/> is not positive.</exception>
    public Tensor slice(long dim, long? start, long? end, long step = 1)
    {
        if (step <= 0) throw new ArgumentException($"slice: step must be positive, but got {step}", nameof(step));
        return Check.Result(NativeMethods.cnt_slice(Handle, dim, start ?? NativeMethods.IndexAbsent, end ?? NativeMethods.IndexAbsent, step));
    }

    /// <summary>The entries at the int64 <paramref name="index"/> positions along <paramref name="dim"/> (a copy).</summary>
    public Tensor index_select(long dim, Tensor index) => Check.Result(NativeMethods.cnt_index_select(Handle, dim, index.Handle));

    /// <summary>The elements where the bool <paramref name="mask"/> (broadcast) is true, as a 1-D tensor.</summary>
    public Tensor masked_select(Tensor mask) => Check.Result(NativeMethods.cnt_masked_select(Handle, mask.Handle));

    /// <summary>A copy with <paramref name="value"/> where the bool <paramref name="mask"/> is true.</summary>
    public Tensor masked_fill(Tensor mask, Scalar value) => Check.Result(NativeMethods.cnt_masked_fill(Handle, mask.Handle, value.ToNative()));

    /// <summary>A copy with the 0-D <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public Tensor masked_fill(Tensor mask, Tensor value) => Check.Result(NativeMethods.cnt_masked_fill_tensor(Handle, mask.Handle, value.Handle));

    /// <summary>Writes <paramref name="value"/> where <paramref name="mask"/> is true, in place.</summary>
    public Tensor masked_fill_(Tensor mask, Scalar value)
    {
        Check.Status(NativeMethods.cnt_masked_fill_(Handle, mask.Handle, value.ToNative()));
        return this;
    }

    public Tensor masked_fill_(Tensor mask, Tensor value)
    {
        Check.Status(NativeMethods.cnt_masked_fill_tensor_(Handle, mask.Handle, value.Handle));
        return this;
    }

    /// <summary>out[i][j] = x[i][index[i][j]] for dim 1 (and likewise for other dims); index is int64.</summary>
    public Tensor gather(long dim, Tensor index) => Check.Result(NativeMethods.cnt_gather(Handle, dim, index.Handle));

    /// <summary>A copy with out[i][index[i][j]] = src[i][j] for dim 1 (the inverse of gather).</summary>
    public Tensor scatter(long dim, Tensor index, Tensor src) => Check.Result(NativeMethods.cnt_scatter(Handle, dim, index.Handle, src.Handle));

    public Tensor scatter(long dim, Tensor index, Scalar value) => Check.Result(NativeMethods.cnt_scatter_scalar(Handle, dim, index.Handle, value.ToNative()));

    /// <summary>scatter, in place.</summary>
    public Tensor scatter_(long dim, Tensor index, Tensor src)
    {
        Check.Status(NativeMethods.cnt_scatter_(Handle, dim, index.Handle, src.Handle));
        return this;
    }

    public Tensor scatter_(long dim, Tensor index, Scalar value)
    {
        Check.Status(NativeMethods.cnt_scatter_scalar_(Handle, dim, index.Handle, value.ToNative()));
        return this;
    }

    /// <summary>Like scatter, but adds src into the positions (repeated positions accumulate).</summary>
    public Tensor scatter_add(long dim, Tensor index, Tensor src) => Check.Result(NativeMethods.cnt_scatter_add(Handle, dim, index.Handle, src.Handle));

    public Tensor scatter_add_(long dim, Tensor index, Tensor src)
    {
        Check.Status(NativeMethods.cnt_scatter_add_(Handle, dim, index.Handle, src.Handle));
        return this;
    }

    /// <summary>The coordinates of the non-zero elements: an int64 tensor of shape (count, ndim).</summary>
    public Tensor nonzero() => Check.Result(NativeMethods.cnt_nonzero(Handle));
}
