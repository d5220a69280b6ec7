using System.Runtime.InteropServices;

namespace CnnCourse.Torch.Native;

internal static partial class NativeMethods
{
    [DllImport(Lib)] internal static extern TensorHandle cnt_exp(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_exp_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_expm1(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_expm1_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_log(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_log_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_log2(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_log2_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_log10(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_log10_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_log1p(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_log1p_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_sqrt(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_sqrt_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_rsqrt(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_rsqrt_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_abs(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_abs_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_sign(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_sign_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_square(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_square_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_reciprocal(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_reciprocal_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_sin(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_sin_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_cos(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_cos_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_tan(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_tan_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_tanh(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_tanh_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_sigmoid(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_sigmoid_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_floor(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_floor_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_ceil(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_ceil_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_round(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_round_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_trunc(TensorHandle t);
    [DllImport(Lib)] internal static extern int cnt_trunc_(TensorHandle t);
    [DllImport(Lib)] internal static extern TensorHandle cnt_round_decimals(TensorHandle t, long decimals);

    [DllImport(Lib)] internal static extern TensorHandle cnt_pow(TensorHandle a, TensorHandle exponent);
    [DllImport(Lib)] internal static extern TensorHandle cnt_pow_scalar(TensorHandle a, NativeScalar exponent);
    [DllImport(Lib)] internal static extern TensorHandle cnt_pow_scalar_base(NativeScalar self, TensorHandle exponent);
    [DllImport(Lib)] internal static extern int cnt_pow_(TensorHandle a, TensorHandle exponent);
    [DllImport(Lib)] internal static extern int cnt_pow_scalar_(TensorHandle a, NativeScalar exponent);

    [DllImport(Lib)] internal static extern TensorHandle cnt_eq(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_eq_scalar(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_ne(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_ne_scalar(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_lt(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_lt_scalar(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_le(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_le_scalar(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_gt(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_gt_scalar(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_ge(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_ge_scalar(TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_logical_and(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_logical_or(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_logical_xor(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_logical_not(TensorHandle a);
    [DllImport(Lib)] internal static extern TensorHandle cnt_isnan(TensorHandle a);
    [DllImport(Lib)] internal static extern TensorHandle cnt_isfinite(TensorHandle a);
    [DllImport(Lib)] internal static extern TensorHandle cnt_isinf(TensorHandle a);
    [DllImport(Lib)] internal static extern TensorHandle cnt_maximum(TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_minimum(TensorHandle a, TensorHandle b);

    [DllImport(Lib)] internal static extern TensorHandle cnt_clamp(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool hasMin, NativeScalar min, [MarshalAs(UnmanagedType.U1)] bool hasMax, NativeScalar max);
    [DllImport(Lib)] internal static extern int cnt_clamp_(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool hasMin, NativeScalar min, [MarshalAs(UnmanagedType.U1)] bool hasMax, NativeScalar max);
    [DllImport(Lib)] internal static extern TensorHandle cnt_clamp_tensor(TensorHandle t, TensorHandle min, TensorHandle max);
    [DllImport(Lib)] internal static extern int cnt_clamp_tensor_(TensorHandle t, TensorHandle min, TensorHandle max);

    [DllImport(Lib)] internal static extern TensorHandle cnt_where(TensorHandle condition, TensorHandle a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_where_scalar_other(TensorHandle condition, TensorHandle a, NativeScalar b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_where_scalar_self(TensorHandle condition, NativeScalar a, TensorHandle b);
    [DllImport(Lib)] internal static extern TensorHandle cnt_where_scalars(TensorHandle condition, NativeScalar a, NativeScalar b);

    [DllImport(Lib)] internal static extern TensorHandle cnt_addcmul(TensorHandle t, TensorHandle t1, TensorHandle t2, NativeScalar value);
    [DllImport(Lib)] internal static extern int cnt_addcmul_(TensorHandle t, TensorHandle t1, TensorHandle t2, NativeScalar value);
    [DllImport(Lib)] internal static extern TensorHandle cnt_addcdiv(TensorHandle t, TensorHandle t1, TensorHandle t2, NativeScalar value);
    [DllImport(Lib)] internal static extern int cnt_addcdiv_(TensorHandle t, TensorHandle t1, TensorHandle t2, NativeScalar value);
    [DllImport(Lib)] internal static extern TensorHandle cnt_lerp(TensorHandle t, TensorHandle end, NativeScalar weight);
    [DllImport(Lib)] internal static extern TensorHandle cnt_lerp_tensor(TensorHandle t, TensorHandle end, TensorHandle weight);
    [DllImport(Lib)] internal static extern int cnt_lerp_(TensorHandle t, TensorHandle end, NativeScalar weight);
    [DllImport(Lib)] internal static extern int cnt_lerp_tensor_(TensorHandle t, TensorHandle end, TensorHandle weight);

    [DllImport(Lib)] internal static extern int cnt_allclose(TensorHandle a, TensorHandle b, double rtol, double atol, [MarshalAs(UnmanagedType.U1)] bool equalNan, [MarshalAs(UnmanagedType.U1)] out bool result);
    [DllImport(Lib)] internal static extern TensorHandle cnt_isclose(TensorHandle a, TensorHandle b, double rtol, double atol, [MarshalAs(UnmanagedType.U1)] bool equalNan);
    [DllImport(Lib)] internal static extern int cnt_equal(TensorHandle a, TensorHandle b, [MarshalAs(UnmanagedType.U1)] out bool result);
}
