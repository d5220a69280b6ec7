using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// Element-wise arithmetic with operators and broadcasting, reductions, matrix products.
public partial class Tensor
{
    public Tensor add(Tensor other, Scalar? alpha = null) => Check.Result(NativeMethods.cnt_add(Handle, other.Handle, (alpha ?? 1).ToNative()));
    public Tensor add(Scalar other, Scalar? alpha = null) => Check.Result(NativeMethods.cnt_add_scalar(Handle, other.ToNative(), (alpha ?? 1).ToNative()));
    public Tensor add_(Tensor other, Scalar? alpha = null) { Check.Status(NativeMethods.cnt_add_(Handle, other.Handle, (alpha ?? 1).ToNative())); return this; }
    public Tensor add_(Scalar other, Scalar? alpha = null) { Check.Status(NativeMethods.cnt_add_scalar_(Handle, other.ToNative(), (alpha ?? 1).ToNative())); return this; }
    public Tensor sub(Tensor other, Scalar? alpha = null) => Check.Result(NativeMethods.cnt_sub(Handle, other.Handle, (alpha ?? 1).ToNative()));
    public Tensor sub(Scalar other, Scalar? alpha = null) => Check.Result(NativeMethods.cnt_sub_scalar(Handle, other.ToNative(), (alpha ?? 1).ToNative()));
    public Tensor sub_(Tensor other, Scalar? alpha = null) { Check.Status(NativeMethods.cnt_sub_(Handle, other.Handle, (alpha ?? 1).ToNative())); return this; }
    public Tensor mul(Tensor other) => Check.Result(NativeMethods.cnt_mul(Handle, other.Handle));
    public Tensor mul(Scalar other) => Check.Result(NativeMethods.cnt_mul_scalar(Handle, other.ToNative()));
    public Tensor mul_(Tensor other) { Check.Status(NativeMethods.cnt_mul_(Handle, other.Handle)); return this; }
    public Tensor mul_(Scalar other) { Check.Status(NativeMethods.cnt_mul_scalar_(Handle, other.ToNative())); return this; }
    public Tensor div(Tensor other) => Check.Result(NativeMethods.cnt_div(Handle, other.Handle));
    public Tensor div(Scalar other) => Check.Result(NativeMethods.cnt_div_scalar(Handle, other.ToNative()));
    public Tensor div_(Tensor other) { Check.Status(NativeMethods.cnt_div_(Handle, other.Handle)); return this; }
    public Tensor div_(Scalar other) { Check.Status(NativeMethods.cnt_div_scalar_(Handle, other.ToNative())); return this; }
    public Tensor neg() => Check.Result(NativeMethods.cnt_neg(Handle));
    public Tensor matmul(Tensor other) => Check.Result(NativeMethods.cnt_matmul(Handle, other.Handle));

    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator +(Tensor a, Scalar b) => a.add(b);
    public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator -(Tensor a, Scalar b) => a.sub(b);
    public static Tensor operator -(Scalar a, Tensor b) => Check.Result(NativeMethods.cnt_rsub_scalar(b.Handle, a.ToNative()), "sub");
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator *(Tensor a, Scalar b) => a.mul(b);
    public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator /(Tensor a, Scalar b) => a.div(b);
    public static Tensor operator /(Scalar a, Tensor b) => Check.Result(NativeMethods.cnt_rdiv_scalar(b.Handle, a.ToNative()), "div");
    public static Tensor operator -(Tensor a) => a.neg();

    // The whole-tensor reductions take no dtype: an overload sum(ScalarType?) would capture sum(0),
    // since the literal 0 converts to any enum. Convert first (x.to(float64).sum()) instead.

    /// <summary>Sum over all elements.</summary>
    public Tensor sum() => Check.Result(NativeMethods.cnt_sum(Handle, null, 0, false, -1));

    public Tensor sum(long[] dims, bool keepdim = false, ScalarType? dtype = null)
    {
        RequireDims(dims);
        return Check.Result(NativeMethods.cnt_sum(Handle, dims, dims.Length, keepdim, dtype is null ? -1 : (int)dtype));
    }

    public Tensor sum(long dim, bool keepdim = false, ScalarType? dtype = null) => sum(new[] { dim }, keepdim, dtype);

    /// <summary>Mean over all elements.</summary>
    public Tensor mean() => Check.Result(NativeMethods.cnt_mean(Handle, null, 0, false, -1));

    public Tensor mean(long[] dims, bool keepdim = false, ScalarType? dtype = null)
    {
        RequireDims(dims);
        return Check.Result(NativeMethods.cnt_mean(Handle, dims, dims.Length, keepdim, dtype is null ? -1 : (int)dtype));
    }

    public Tensor mean(long dim, bool keepdim = false, ScalarType? dtype = null) => mean(new[] { dim }, keepdim, dtype);

    private static void RequireDims(long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0) throw new ArgumentException("at least one dimension is required; call the overload without dims to reduce over all", nameof(dims));
    }
}
