using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// Reductions beyond sum/mean (Tensor.Math.cs): max/min with their indices, std/var, prod, norm,
// all/any, cumsum; sorting and top-k; mm and bmm. A dimension out of range throws TorchException
// with Kind Index; an empty tensor where a value is needed (max of nothing) throws TorchException.
public partial class Tensor
{
    /// <summary>The largest element, as a 0-D tensor.</summary>
    public Tensor max() => Check.Result(NativeMethods.cnt_max(Handle));

    /// <summary>The largest entries along <paramref name="dim"/> and their positions (int64).</summary>
    public (Tensor values, Tensor indices) max(long dim, bool keepdim = false) =>
        NativeResults.Pair(NativeMethods.cnt_max_dim(Handle, dim, keepdim, out var values, out var indices), values, indices);

    /// <summary>The element-wise maximum with <paramref name="other"/> (torch.maximum).</summary>
    public Tensor max(Tensor other) => maximum(other);

    /// <summary>The smallest element, as a 0-D tensor.</summary>
    public Tensor min() => Check.Result(NativeMethods.cnt_min(Handle));

    /// <summary>The smallest entries along <paramref name="dim"/> and their positions (int64).</summary>
    public (Tensor values, Tensor indices) min(long dim, bool keepdim = false) =>
        NativeResults.Pair(NativeMethods.cnt_min_dim(Handle, dim, keepdim, out var values, out var indices), values, indices);

    /// <summary>The element-wise minimum with <paramref name="other"/> (torch.minimum).</summary>
    public Tensor min(Tensor other) => minimum(other);

    /// <summary>The position of the largest element in the flattened tensor (0-D int64).</summary>
    public Tensor argmax() => Check.Result(NativeMethods.cnt_argmax(Handle, false, 0, false));

    /// <summary>The positions of the largest entries along <paramref name="dim"/> (the first one on ties).</summary>
    public Tensor argmax(long dim, bool keepdim = false) => Check.Result(NativeMethods.cnt_argmax(Handle, true, dim, keepdim));

    public Tensor argmin() => Check.Result(NativeMethods.cnt_argmin(Handle, false, 0, false));

    public Tensor argmin(long dim, bool keepdim = false) => Check.Result(NativeMethods.cnt_argmin(Handle, true, dim, keepdim));

    /// <summary>The standard deviation of all elements; unbiased divides by N − 1 (PyTorch's default), otherwise by N.</summary>
    public Tensor std(bool unbiased = true) => Check.Result(NativeMethods.cnt_std(Handle, null, 0, unbiased ? 1 : 0, false));

    /// <summary>The standard deviation over <paramref name="dim"/>.</summary>
    public Tensor std(long[] dim, bool unbiased = true, bool keepdim = false) => std(dim, unbiased ? 1 : 0, keepdim);

    public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => std(new[] { dim }, unbiased ? 1 : 0, keepdim);

    /// <summary>
    /// The standard deviation over <paramref name="dim"/> (null: all elements), dividing by
    /// N − <paramref name="correction"/>: <c>x.std(dim: null, correction: 0)</c> is the population std.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dim"/> is empty, or correction is negative.</exception>
    public Tensor std(long[]? dim, long correction, bool keepdim = false)
    {
        CheckStatisticArgs(dim, correction);
        return Check.Result(NativeMethods.cnt_std(Handle, dim, dim?.Length ?? 0, correction, keepdim));
    }

    /// <summary>The variance of all elements; unbiased divides by N − 1 (PyTorch's default), otherwise by N.</summary>
    public Tensor var(bool unbiased = true) => Check.Result(NativeMethods.cnt_var(Handle, null, 0, unbiased ? 1 : 0, false));

    public Tensor var(long[] dim, bool unbiased = true, bool keepdim = false) => var(dim, unbiased ? 1 : 0, keepdim);

    public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => var(new[] { dim }, unbiased ? 1 : 0, keepdim);

    /// <summary>The variance over <paramref name="dim"/> (null: all elements), dividing by N − <paramref name="correction"/>.</summary>
    public Tensor var(long[]? dim, long correction, bool keepdim = false)
    {
        CheckStatisticArgs(dim, correction);
        return Check.Result(NativeMethods.cnt_var(Handle, dim, dim?.Length ?? 0, correction, keepdim));
    }

    private static void CheckStatisticArgs(long[]? dim, long correction, [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        if (dim is { Length: 0 })
            throw new ArgumentException($"{operation}: dim is empty; pass null to reduce over all elements", nameof(dim));
        if (correction < 0)
            throw new ArgumentException($"{operation}: correction must be non-negative, but got {correction}", nameof(correction));
    }

    /// <summary>The product of all elements (integer inputs give int64, as in PyTorch).</summary>
    public Tensor prod(ScalarType? dtype = null) => Check.Result(NativeMethods.cnt_prod(Handle, dtype is null ? -1 : (int)dtype));

    public Tensor prod(long dim, bool keepdim = false, ScalarType? dtype = null) =>
        Check.Result(NativeMethods.cnt_prod_dim(Handle, dim, keepdim, dtype is null ? -1 : (int)dtype));

    /// <summary>Running sums along <paramref name="dim"/>.</summary>
    public Tensor cumsum(long dim, ScalarType? dtype = null) => Check.Result(NativeMethods.cnt_cumsum(Handle, dim, dtype is null ? -1 : (int)dtype));

    /// <summary>The p-norm of all elements (the Euclidean length for p = 2).</summary>
    public Tensor norm(double p = 2) => Check.Result(NativeMethods.cnt_norm(Handle, p, null, 0, false));

    /// <summary>The p-norm over <paramref name="dim"/>. (There is no single-long overload: x.norm(2) means p = 2, as in PyTorch.)</summary>
    public Tensor norm(long[] dim, bool keepdim = false, double p = 2)
    {
        ArgumentNullException.ThrowIfNull(dim);
        if (dim.Length == 0) throw new ArgumentException("norm: dim is empty; call norm(p) to reduce over all elements", nameof(dim));
        return Check.Result(NativeMethods.cnt_norm(Handle, p, dim, dim.Length, keepdim));
    }

    /// <summary>True (a 0-D bool tensor) when every element is non-zero.</summary>
    public Tensor all() => Check.Result(NativeMethods.cnt_all(Handle));
    public Tensor all(long dim, bool keepdim = false) => Check.Result(NativeMethods.cnt_all_dim(Handle, dim, keepdim));

    /// <summary>True (a 0-D bool tensor) when some element is non-zero.</summary>
    public Tensor any() => Check.Result(NativeMethods.cnt_any(Handle));
    public Tensor any(long dim, bool keepdim = false) => Check.Result(NativeMethods.cnt_any_dim(Handle, dim, keepdim));

    /// <summary>
    /// The <paramref name="k"/> largest (or smallest) entries along <paramref name="dim"/> and their
    /// positions, sorted from the largest (smallest) unless <paramref name="sorted"/> is false.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="k"/> is negative.</exception>
    /// <exception cref="TorchException">k is larger than the dimension (Kind Runtime), or dim is out of range (Kind Index).</exception>
    public (Tensor values, Tensor indices) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        if (k < 0) throw new ArgumentException($"topk: k must be non-negative, but got {k}", nameof(k));
        return NativeResults.Pair(NativeMethods.cnt_topk(Handle, k, dim, largest, sorted, out var values, out var indices), values, indices);
    }

    /// <summary>The entries sorted along <paramref name="dim"/>, and the positions they came from; stable keeps ties in order.</summary>
    public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false, bool stable = false) =>
        NativeResults.Pair(NativeMethods.cnt_sort(Handle, dim, descending, stable, out var values, out var indices), values, indices);

    /// <summary>The positions that would sort the entries along <paramref name="dim"/>.</summary>
    public Tensor argsort(long dim = -1, bool descending = false, bool stable = false) =>
        Check.Result(NativeMethods.cnt_argsort(Handle, dim, descending, stable));

    /// <summary>The matrix product of two 2-D tensors (no broadcasting; see matmul).</summary>
    /// <exception cref="TorchException">The inner sizes differ, or an input is not 2-D.</exception>
    public Tensor mm(Tensor other) => Check.Result(NativeMethods.cnt_mm(Handle, other.Handle));

    /// <summary>Batched matrix products of two 3-D tensors: (b, n, m) · (b, m, p) → (b, n, p).</summary>
    public Tensor bmm(Tensor other) => Check.Result(NativeMethods.cnt_bmm(Handle, other.Handle));
}
