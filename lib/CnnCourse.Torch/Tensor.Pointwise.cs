using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// Element-wise math, comparisons (bool results), logical ops, clamp, where, and the fused in-place
// updates optimizers use. Binary ops broadcast as in PyTorch; shapes that do not broadcast throw
// TorchException (Kind Runtime) naming the op and both sizes.
//
// == and != are deliberately not overloaded: C# programs compare tensor references with them (in
// collections, null checks), so element-wise equality is x.eq(y) / x.ne(y). The ordering operators
// < <= > >= return bool tensors, as in PyTorch and TorchSharp.
public partial class Tensor
{
    /// <summary>eˣ, element-wise.</summary>
    public Tensor exp() => Check.Result(NativeMethods.cnt_exp(Handle));
    public Tensor exp_() { Check.Status(NativeMethods.cnt_exp_(Handle)); return this; }
    /// <summary>eˣ − 1, accurate near 0, element-wise.</summary>
    public Tensor expm1() => Check.Result(NativeMethods.cnt_expm1(Handle));
    public Tensor expm1_() { Check.Status(NativeMethods.cnt_expm1_(Handle)); return this; }
    /// <summary>The natural logarithm, element-wise.</summary>
    public Tensor log() => Check.Result(NativeMethods.cnt_log(Handle));
    public Tensor log_() { Check.Status(NativeMethods.cnt_log_(Handle)); return this; }
    /// <summary>The base-2 logarithm, element-wise.</summary>
    public Tensor log2() => Check.Result(NativeMethods.cnt_log2(Handle));
    public Tensor log2_() { Check.Status(NativeMethods.cnt_log2_(Handle)); return this; }
    /// <summary>The base-10 logarithm, element-wise.</summary>
    public Tensor log10() => Check.Result(NativeMethods.cnt_log10(Handle));
    public Tensor log10_() { Check.Status(NativeMethods.cnt_log10_(Handle)); return this; }
    /// <summary>ln(1 + x), accurate near 0, element-wise.</summary>
    public Tensor log1p() => Check.Result(NativeMethods.cnt_log1p(Handle));
    public Tensor log1p_() { Check.Status(NativeMethods.cnt_log1p_(Handle)); return this; }
    /// <summary>The square root, element-wise.</summary>
    public Tensor sqrt() => Check.Result(NativeMethods.cnt_sqrt(Handle));
    public Tensor sqrt_() { Check.Status(NativeMethods.cnt_sqrt_(Handle)); return this; }
    /// <summary>1 / √x, element-wise.</summary>
    public Tensor rsqrt() => Check.Result(NativeMethods.cnt_rsqrt(Handle));
    public Tensor rsqrt_() { Check.Status(NativeMethods.cnt_rsqrt_(Handle)); return this; }
    /// <summary>|x|, element-wise.</summary>
    public Tensor abs() => Check.Result(NativeMethods.cnt_abs(Handle));
    public Tensor abs_() { Check.Status(NativeMethods.cnt_abs_(Handle)); return this; }
    /// <summary>−1, 0 or 1 by the sign of x, element-wise.</summary>
    public Tensor sign() => Check.Result(NativeMethods.cnt_sign(Handle));
    public Tensor sign_() { Check.Status(NativeMethods.cnt_sign_(Handle)); return this; }
    /// <summary>x², element-wise.</summary>
    public Tensor square() => Check.Result(NativeMethods.cnt_square(Handle));
    public Tensor square_() { Check.Status(NativeMethods.cnt_square_(Handle)); return this; }
    /// <summary>1 / x, element-wise.</summary>
    public Tensor reciprocal() => Check.Result(NativeMethods.cnt_reciprocal(Handle));
    public Tensor reciprocal_() { Check.Status(NativeMethods.cnt_reciprocal_(Handle)); return this; }
    /// <summary>sin x, element-wise.</summary>
    public Tensor sin() => Check.Result(NativeMethods.cnt_sin(Handle));
    public Tensor sin_() { Check.Status(NativeMethods.cnt_sin_(Handle)); return this; }
    /// <summary>cos x, element-wise.</summary>
    public Tensor cos() => Check.Result(NativeMethods.cnt_cos(Handle));
    public Tensor cos_() { Check.Status(NativeMethods.cnt_cos_(Handle)); return this; }
    /// <summary>tan x, element-wise.</summary>
    public Tensor tan() => Check.Result(NativeMethods.cnt_tan(Handle));
    public Tensor tan_() { Check.Status(NativeMethods.cnt_tan_(Handle)); return this; }
    /// <summary>tanh x, element-wise.</summary>
    public Tensor tanh() => Check.Result(NativeMethods.cnt_tanh(Handle));
    public Tensor tanh_() { Check.Status(NativeMethods.cnt_tanh_(Handle)); return this; }
    /// <summary>1 / (1 + e⁻ˣ), element-wise.</summary>
    public Tensor sigmoid() => Check.Result(NativeMethods.cnt_sigmoid(Handle));
    public Tensor sigmoid_() { Check.Status(NativeMethods.cnt_sigmoid_(Handle)); return this; }
    /// <summary>The largest integer ≤ x, element-wise.</summary>
    public Tensor floor() => Check.Result(NativeMethods.cnt_floor(Handle));
    public Tensor floor_() { Check.Status(NativeMethods.cnt_floor_(Handle)); return this; }
    /// <summary>The smallest integer ≥ x, element-wise.</summary>
    public Tensor ceil() => Check.Result(NativeMethods.cnt_ceil(Handle));
    public Tensor ceil_() { Check.Status(NativeMethods.cnt_ceil_(Handle)); return this; }
    /// <summary>x rounded to the nearest integer, halves to even (as PyTorch), element-wise.</summary>
    public Tensor round() => Check.Result(NativeMethods.cnt_round(Handle));
    public Tensor round_() { Check.Status(NativeMethods.cnt_round_(Handle)); return this; }
    /// <summary>x rounded towards zero, element-wise.</summary>
    public Tensor trunc() => Check.Result(NativeMethods.cnt_trunc(Handle));
    public Tensor trunc_() { Check.Status(NativeMethods.cnt_trunc_(Handle)); return this; }

    /// <summary>Rounded to <paramref name="decimals"/> decimal places.</summary>
    public Tensor round(long decimals) => Check.Result(NativeMethods.cnt_round_decimals(Handle, decimals));

    /// <summary>xʸ element-wise, with a tensor of exponents (broadcast).</summary>
    public Tensor pow(Tensor exponent) => Check.Result(NativeMethods.cnt_pow(Handle, exponent.Handle));
    /// <summary>xᵖ element-wise.</summary>
    public Tensor pow(Scalar exponent) => Check.Result(NativeMethods.cnt_pow_scalar(Handle, exponent.ToNative()));
    public Tensor pow_(Tensor exponent) { Check.Status(NativeMethods.cnt_pow_(Handle, exponent.Handle)); return this; }
    public Tensor pow_(Scalar exponent) { Check.Status(NativeMethods.cnt_pow_scalar_(Handle, exponent.ToNative())); return this; }

    // ---- comparisons -----------------------------------------------------------------------------

    /// <summary>A bool tensor: where this is equal to <paramref name="other"/> (broadcast).</summary>
    public Tensor eq(Tensor other) => Check.Result(NativeMethods.cnt_eq(Handle, other.Handle));
    public Tensor eq(Scalar other) => Check.Result(NativeMethods.cnt_eq_scalar(Handle, other.ToNative()));
    /// <summary>A bool tensor: where this is not equal to <paramref name="other"/> (broadcast).</summary>
    public Tensor ne(Tensor other) => Check.Result(NativeMethods.cnt_ne(Handle, other.Handle));
    public Tensor ne(Scalar other) => Check.Result(NativeMethods.cnt_ne_scalar(Handle, other.ToNative()));
    /// <summary>A bool tensor: where this is less than <paramref name="other"/> (broadcast).</summary>
    public Tensor lt(Tensor other) => Check.Result(NativeMethods.cnt_lt(Handle, other.Handle));
    public Tensor lt(Scalar other) => Check.Result(NativeMethods.cnt_lt_scalar(Handle, other.ToNative()));
    /// <summary>A bool tensor: where this is less than or equal to <paramref name="other"/> (broadcast).</summary>
    public Tensor le(Tensor other) => Check.Result(NativeMethods.cnt_le(Handle, other.Handle));
    public Tensor le(Scalar other) => Check.Result(NativeMethods.cnt_le_scalar(Handle, other.ToNative()));
    /// <summary>A bool tensor: where this is greater than <paramref name="other"/> (broadcast).</summary>
    public Tensor gt(Tensor other) => Check.Result(NativeMethods.cnt_gt(Handle, other.Handle));
    public Tensor gt(Scalar other) => Check.Result(NativeMethods.cnt_gt_scalar(Handle, other.ToNative()));
    /// <summary>A bool tensor: where this is greater than or equal to <paramref name="other"/> (broadcast).</summary>
    public Tensor ge(Tensor other) => Check.Result(NativeMethods.cnt_ge(Handle, other.Handle));
    public Tensor ge(Scalar other) => Check.Result(NativeMethods.cnt_ge_scalar(Handle, other.ToNative()));

    public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
    public static Tensor operator <(Tensor a, Scalar b) => a.lt(b);
    public static Tensor operator <(Scalar a, Tensor b) => b.gt(a);
    public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
    public static Tensor operator <=(Tensor a, Scalar b) => a.le(b);
    public static Tensor operator <=(Scalar a, Tensor b) => b.ge(a);
    public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
    public static Tensor operator >(Tensor a, Scalar b) => a.gt(b);
    public static Tensor operator >(Scalar a, Tensor b) => b.lt(a);
    public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
    public static Tensor operator >=(Tensor a, Scalar b) => a.ge(b);
    public static Tensor operator >=(Scalar a, Tensor b) => b.le(a);

    /// <summary>True when both tensors have the same shape and the same values (PyTorch's torch.equal).</summary>
    public bool equal(Tensor other)
    {
        Check.Status(NativeMethods.cnt_equal(Handle, other.Handle, out bool result));
        return result;
    }

    /// <summary>True when |x − other| ≤ atol + rtol·|other| everywhere (broadcast).</summary>
    public bool allclose(Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false)
    {
        Check.Status(NativeMethods.cnt_allclose(Handle, other.Handle, rtol, atol, equal_nan, out bool result));
        return result;
    }

    /// <summary>A bool tensor: where |x − other| ≤ atol + rtol·|other|.</summary>
    public Tensor isclose(Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false) =>
        Check.Result(NativeMethods.cnt_isclose(Handle, other.Handle, rtol, atol, equal_nan));

    // ---- logical ---------------------------------------------------------------------------------

    /// <summary>Element-wise AND of the truth values (non-zero is true); a bool tensor.</summary>
    public Tensor logical_and(Tensor other) => Check.Result(NativeMethods.cnt_logical_and(Handle, other.Handle));
    public Tensor logical_or(Tensor other) => Check.Result(NativeMethods.cnt_logical_or(Handle, other.Handle));
    public Tensor logical_xor(Tensor other) => Check.Result(NativeMethods.cnt_logical_xor(Handle, other.Handle));
    public Tensor logical_not() => Check.Result(NativeMethods.cnt_logical_not(Handle));

    /// <summary>A bool tensor: where x is NaN.</summary>
    public Tensor isnan() => Check.Result(NativeMethods.cnt_isnan(Handle));
    /// <summary>A bool tensor: where x is neither infinite nor NaN.</summary>
    public Tensor isfinite() => Check.Result(NativeMethods.cnt_isfinite(Handle));
    /// <summary>A bool tensor: where x is +∞ or −∞.</summary>
    public Tensor isinf() => Check.Result(NativeMethods.cnt_isinf(Handle));

    /// <summary>The element-wise maximum of two tensors (broadcast); NaN wins.</summary>
    public Tensor maximum(Tensor other) => Check.Result(NativeMethods.cnt_maximum(Handle, other.Handle));
    /// <summary>The element-wise minimum of two tensors (broadcast); NaN wins.</summary>
    public Tensor minimum(Tensor other) => Check.Result(NativeMethods.cnt_minimum(Handle, other.Handle));

    // ---- clamp -----------------------------------------------------------------------------------

    /// <summary>Limits values to [min, max]; either bound may be omitted.</summary>
    /// <exception cref="ArgumentException">Both bounds are omitted.</exception>
    public Tensor clamp(Scalar? min = null, Scalar? max = null)
    {
        RequireBound(min.HasValue || max.HasValue);
        return Check.Result(NativeMethods.cnt_clamp(Handle, min.HasValue, (min ?? 0).ToNative(), max.HasValue, (max ?? 0).ToNative()));
    }

    /// <summary>Limits values element-wise to [min, max] given as tensors (broadcast); either may be null.</summary>
    /// <exception cref="ArgumentException">Both bounds are null.</exception>
    public Tensor clamp(Tensor? min, Tensor? max)
    {
        RequireBound(min is not null || max is not null);
        return Check.Result(NativeMethods.cnt_clamp_tensor(Handle, min?.Handle ?? TensorHandle.Null, max?.Handle ?? TensorHandle.Null));
    }

    /// <summary>clamp, in place.</summary>
    public Tensor clamp_(Scalar? min = null, Scalar? max = null)
    {
        RequireBound(min.HasValue || max.HasValue);
        Check.Status(NativeMethods.cnt_clamp_(Handle, min.HasValue, (min ?? 0).ToNative(), max.HasValue, (max ?? 0).ToNative()));
        return this;
    }

    public Tensor clamp_(Tensor? min, Tensor? max)
    {
        RequireBound(min is not null || max is not null);
        Check.Status(NativeMethods.cnt_clamp_tensor_(Handle, min?.Handle ?? TensorHandle.Null, max?.Handle ?? TensorHandle.Null));
        return this;
    }

    /// <summary>clamp under its other name.</summary>
    public Tensor clip(Scalar? min = null, Scalar? max = null) => clamp(min, max);
    public Tensor clip(Tensor? min, Tensor? max) => clamp(min, max);
    public Tensor clamp_min(Scalar min) => clamp(min, null);
    public Tensor clamp_max(Scalar max) => clamp(null, max);

    private static void RequireBound(bool any)
    {
        if (!any) throw new ArgumentException("clamp: at least one of min and max must be given");
    }

    // ---- fused updates ---------------------------------------------------------------------------

    /// <summary>x + value · t1 · t2.</summary>
    public Tensor addcmul(Tensor tensor1, Tensor tensor2, Scalar? value = null) =>
        Check.Result(NativeMethods.cnt_addcmul(Handle, tensor1.Handle, tensor2.Handle, (value ?? 1).ToNative()));

    /// <summary>x += value · t1 · t2, in place (Adam's second moment: v.mul_(β₂).addcmul_(g, g, 1 − β₂)).</summary>
    public Tensor addcmul_(Tensor tensor1, Tensor tensor2, Scalar? value = null)
    {
        Check.Status(NativeMethods.cnt_addcmul_(Handle, tensor1.Handle, tensor2.Handle, (value ?? 1).ToNative()));
        return this;
    }

    /// <summary>x + value · t1 / t2.</summary>
    public Tensor addcdiv(Tensor tensor1, Tensor tensor2, Scalar? value = null) =>
        Check.Result(NativeMethods.cnt_addcdiv(Handle, tensor1.Handle, tensor2.Handle, (value ?? 1).ToNative()));

    /// <summary>x += value · t1 / t2, in place (Adam's step: p.addcdiv_(m, denom, −lr)).</summary>
    public Tensor addcdiv_(Tensor tensor1, Tensor tensor2, Scalar? value = null)
    {
        Check.Status(NativeMethods.cnt_addcdiv_(Handle, tensor1.Handle, tensor2.Handle, (value ?? 1).ToNative()));
        return this;
    }

    /// <summary>x + weight · (end − x).</summary>
    public Tensor lerp(Tensor end, Scalar weight) => Check.Result(NativeMethods.cnt_lerp(Handle, end.Handle, weight.ToNative()));
    public Tensor lerp(Tensor end, Tensor weight) => Check.Result(NativeMethods.cnt_lerp_tensor(Handle, end.Handle, weight.Handle));

    /// <summary>x += weight · (end − x), in place (an exponential moving average: m.lerp_(g, 1 − β)).</summary>
    public Tensor lerp_(Tensor end, Scalar weight)
    {
        Check.Status(NativeMethods.cnt_lerp_(Handle, end.Handle, weight.ToNative()));
        return this;
    }

    public Tensor lerp_(Tensor end, Tensor weight)
    {
        Check.Status(NativeMethods.cnt_lerp_tensor_(Handle, end.Handle, weight.Handle));
        return this;
    }

    /// <summary>Where <paramref name="condition"/> is true this tensor's value, elsewhere <paramref name="other"/>'s (TorchSharp's x.where(cond, y)).</summary>
    public Tensor where(Tensor condition, Tensor other) => torch.where(condition, this, other);
    public Tensor where(Tensor condition, Scalar other) => torch.where(condition, this, other);
}
