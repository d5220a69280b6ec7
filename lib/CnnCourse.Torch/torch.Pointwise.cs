using CnnCourse.Torch.Native;

namespace CnnCourse.Torch;

// The function forms of the element-wise ops (torch.exp(x), torch.where(c, x, y), …).
public static partial class torch
{
    public static Tensor exp(Tensor input) => input.exp();
    public static Tensor expm1(Tensor input) => input.expm1();
    public static Tensor log(Tensor input) => input.log();
    public static Tensor log2(Tensor input) => input.log2();
    public static Tensor log10(Tensor input) => input.log10();
    public static Tensor log1p(Tensor input) => input.log1p();
    public static Tensor sqrt(Tensor input) => input.sqrt();
    public static Tensor rsqrt(Tensor input) => input.rsqrt();
    public static Tensor abs(Tensor input) => input.abs();
    public static Tensor sign(Tensor input) => input.sign();
    public static Tensor square(Tensor input) => input.square();
    public static Tensor reciprocal(Tensor input) => input.reciprocal();
    public static Tensor sin(Tensor input) => input.sin();
    public static Tensor cos(Tensor input) => input.cos();
    public static Tensor tan(Tensor input) => input.tan();
    public static Tensor tanh(Tensor input) => input.tanh();
    public static Tensor sigmoid(Tensor input) => input.sigmoid();
    public static Tensor floor(Tensor input) => input.floor();
    public static Tensor ceil(Tensor input) => input.ceil();
    public static Tensor round(Tensor input) => input.round();
    public static Tensor trunc(Tensor input) => input.trunc();
    public static Tensor round(Tensor input, long decimals) => input.round(decimals);

    public static Tensor pow(Tensor input, Tensor exponent) => input.pow(exponent);
    public static Tensor pow(Tensor input, Scalar exponent) => input.pow(exponent);
    /// <summary>baseˣ element-wise.</summary>
    public static Tensor pow(Scalar self, Tensor exponent) => Check.Result(NativeMethods.cnt_pow_scalar_base(self.ToNative(), exponent.Handle));

    public static Tensor eq(Tensor input, Tensor other) => input.eq(other);
    public static Tensor eq(Tensor input, Scalar other) => input.eq(other);
    public static Tensor ne(Tensor input, Tensor other) => input.ne(other);
    public static Tensor ne(Tensor input, Scalar other) => input.ne(other);
    public static Tensor lt(Tensor input, Tensor other) => input.lt(other);
    public static Tensor lt(Tensor input, Scalar other) => input.lt(other);
    public static Tensor le(Tensor input, Tensor other) => input.le(other);
    public static Tensor le(Tensor input, Scalar other) => input.le(other);
    public static Tensor gt(Tensor input, Tensor other) => input.gt(other);
    public static Tensor gt(Tensor input, Scalar other) => input.gt(other);
    public static Tensor ge(Tensor input, Tensor other) => input.ge(other);
    public static Tensor ge(Tensor input, Scalar other) => input.ge(other);
    public static bool equal(Tensor input, Tensor other) => input.equal(other);
    public static bool allclose(Tensor input, Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false) =>
        input.allclose(other, rtol, atol, equal_nan);
    public static Tensor isclose(Tensor input, Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false) =>
        input.isclose(other, rtol, atol, equal_nan);

    public static Tensor logical_and(Tensor input, Tensor other) => input.logical_and(other);
    public static Tensor logical_or(Tensor input, Tensor other) => input.logical_or(other);
    public static Tensor logical_xor(Tensor input, Tensor other) => input.logical_xor(other);
    public static Tensor logical_not(Tensor input) => input.logical_not();
    public static Tensor isnan(Tensor input) => input.isnan();
    public static Tensor isfinite(Tensor input) => input.isfinite();
    public static Tensor isinf(Tensor input) => input.isinf();
    public static Tensor maximum(Tensor input, Tensor other) => input.maximum(other);
    public static Tensor minimum(Tensor input, Tensor other) => input.minimum(other);

    public static Tensor clamp(Tensor input, Scalar? min = null, Scalar? max = null) => input.clamp(min, max);
    public static Tensor clamp(Tensor input, Tensor? min, Tensor? max) => input.clamp(min, max);
    public static Tensor clip(Tensor input, Scalar? min = null, Scalar? max = null) => input.clamp(min, max);

    public static Tensor addcmul(Tensor input, Tensor tensor1, Tensor tensor2, Scalar? value = null) => input.addcmul(tensor1, tensor2, value);
    public static Tensor addcdiv(Tensor input, Tensor tensor1, Tensor tensor2, Scalar? value = null) => input.addcdiv(tensor1, tensor2, value);
    public static Tensor lerp(Tensor input, Tensor end, Scalar weight) => input.lerp(end, weight);
    public static Tensor lerp(Tensor input, Tensor end, Tensor weight) => input.lerp(end, weight);

    /// <summary>
    /// Element-wise choice: <paramref name="input"/> where <paramref name="condition"/> is true,
    /// <paramref name="other"/> elsewhere (all three broadcast together).
    /// </summary>
    /// <exception cref="TorchException">The condition is not bool, or the shapes do not broadcast.</exception>
    public static Tensor where(Tensor condition, Tensor input, Tensor other) =>
        Check.Result(NativeMethods.cnt_where(condition.Handle, input.Handle, other.Handle));
    public static Tensor where(Tensor condition, Tensor input, Scalar other) =>
        Check.Result(NativeMethods.cnt_where_scalar_other(condition.Handle, input.Handle, other.ToNative()));
    public static Tensor where(Tensor condition, Scalar input, Tensor other) =>
        Check.Result(NativeMethods.cnt_where_scalar_self(condition.Handle, input.ToNative(), other.Handle));
    public static Tensor where(Tensor condition, Scalar input, Scalar other) =>
        Check.Result(NativeMethods.cnt_where_scalars(condition.Handle, input.ToNative(), other.ToNative()));
}
