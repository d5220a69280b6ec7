// Element-wise math (unary and binary), comparisons, logical ops, clamp, where, fused in-place updates.
#include "common.h"

using cnt::scalar;
using cnt::T;

// An element-wise function and its in-place form: cnt_<op>(t) and cnt_<op>_(t).
#define CNT_UNARY(op)                                                                            \
  cnt_tensor cnt_##op(cnt_tensor t) { return cnt::tensor_result([&] { return at::op(T(t)); }); } \
  int32_t cnt_##op##_(cnt_tensor t) { return cnt::status_result([&] { T(t).op##_(); }); }

// A binary function of (tensor, tensor) and (tensor, scalar): cnt_<op>(a, b) and cnt_<op>_scalar(a, b).
#define CNT_BINARY(op)                                                                                        \
  cnt_tensor cnt_##op(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::op(T(a), T(b)); }); } \
  cnt_tensor cnt_##op##_scalar(cnt_tensor a, cnt_scalar b) {                                                  \
    return cnt::tensor_result([&] { return at::op(T(a), scalar(b)); });                                       \
  }

namespace {
c10::optional<at::Scalar> optional_scalar(bool present, cnt_scalar value) {
  if (!present) return c10::nullopt;
  return scalar(value);
}
}  // namespace

extern "C" {

CNT_UNARY(exp)
CNT_UNARY(expm1)
CNT_UNARY(log)
CNT_UNARY(log2)
CNT_UNARY(log10)
CNT_UNARY(log1p)
CNT_UNARY(sqrt)
CNT_UNARY(rsqrt)
CNT_UNARY(abs)
CNT_UNARY(sign)
CNT_UNARY(square)
CNT_UNARY(reciprocal)
CNT_UNARY(sin)
CNT_UNARY(cos)
CNT_UNARY(tan)
CNT_UNARY(tanh)
CNT_UNARY(sigmoid)
CNT_UNARY(floor)
CNT_UNARY(ceil)
CNT_UNARY(round)
CNT_UNARY(trunc)

cnt_tensor cnt_round_decimals(cnt_tensor t, int64_t decimals) {
  return cnt::tensor_result([&] { return at::round(T(t), decimals); });
}

cnt_tensor cnt_pow(cnt_tensor a, cnt_tensor exponent) {
  return cnt::tensor_result([&] { return at::pow(T(a), T(exponent)); });
}
cnt_tensor cnt_pow_scalar(cnt_tensor a, cnt_scalar exponent) {
  return cnt::tensor_result([&] { return at::pow(T(a), scalar(exponent)); });
}
cnt_tensor cnt_pow_scalar_base(cnt_scalar base, cnt_tensor exponent) {
  return cnt::tensor_result([&] { return at::pow(scalar(base), T(exponent)); });
}
int32_t cnt_pow_(cnt_tensor a, cnt_tensor exponent) { return cnt::status_result([&] { T(a).pow_(T(exponent)); }); }
int32_t cnt_pow_scalar_(cnt_tensor a, cnt_scalar exponent) { return cnt::status_result([&] { T(a).pow_(scalar(exponent)); }); }

CNT_BINARY(eq)
CNT_BINARY(ne)
CNT_BINARY(lt)
CNT_BINARY(le)
CNT_BINARY(gt)
CNT_BINARY(ge)

cnt_tensor cnt_logical_and(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::logical_and(T(a), T(b)); }); }
cnt_tensor cnt_logical_or(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::logical_or(T(a), T(b)); }); }
cnt_tensor cnt_logical_xor(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::logical_xor(T(a), T(b)); }); }
cnt_tensor cnt_logical_not(cnt_tensor a) { return cnt::tensor_result([&] { return at::logical_not(T(a)); }); }
cnt_tensor cnt_isnan(cnt_tensor a) { return cnt::tensor_result([&] { return at::isnan(T(a)); }); }
cnt_tensor cnt_isfinite(cnt_tensor a) { return cnt::tensor_result([&] { return at::isfinite(T(a)); }); }
cnt_tensor cnt_isinf(cnt_tensor a) { return cnt::tensor_result([&] { return at::isinf(T(a)); }); }
cnt_tensor cnt_maximum(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::maximum(T(a), T(b)); }); }
cnt_tensor cnt_minimum(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::minimum(T(a), T(b)); }); }

cnt_tensor cnt_clamp(cnt_tensor t, bool has_min, cnt_scalar min, bool has_max, cnt_scalar max) {
  return cnt::tensor_result([&] { return at::clamp(T(t), optional_scalar(has_min, min), optional_scalar(has_max, max)); });
}
int32_t cnt_clamp_(cnt_tensor t, bool has_min, cnt_scalar min, bool has_max, cnt_scalar max) {
  return cnt::status_result([&] { T(t).clamp_(optional_scalar(has_min, min), optional_scalar(has_max, max)); });
}
cnt_tensor cnt_clamp_tensor(cnt_tensor t, cnt_tensor min, cnt_tensor max) {
  return cnt::tensor_result([&] { return at::clamp(T(t), cnt::opt(min), cnt::opt(max)); });
}
int32_t cnt_clamp_tensor_(cnt_tensor t, cnt_tensor min, cnt_tensor max) {
  return cnt::status_result([&] { T(t).clamp_(cnt::opt(min), cnt::opt(max)); });
}

cnt_tensor cnt_where(cnt_tensor condition, cnt_tensor a, cnt_tensor b) {
  return cnt::tensor_result([&] { return at::where(T(condition), T(a), T(b)); });
}
cnt_tensor cnt_where_scalar_other(cnt_tensor condition, cnt_tensor a, cnt_scalar b) {
  return cnt::tensor_result([&] { return at::where(T(condition), T(a), scalar(b)); });
}
cnt_tensor cnt_where_scalar_self(cnt_tensor condition, cnt_scalar a, cnt_tensor b) {
  return cnt::tensor_result([&] { return at::where(T(condition), scalar(a), T(b)); });
}
cnt_tensor cnt_where_scalars(cnt_tensor condition, cnt_scalar a, cnt_scalar b) {
  return cnt::tensor_result([&] { return at::where(T(condition), scalar(a), scalar(b)); });
}

cnt_tensor cnt_addcmul(cnt_tensor t, cnt_tensor t1, cnt_tensor t2, cnt_scalar value) {
  return cnt::tensor_result([&] { return at::addcmul(T(t), T(t1), T(t2), scalar(value)); });
}
int32_t cnt_addcmul_(cnt_tensor t, cnt_tensor t1, cnt_tensor t2, cnt_scalar value) {
  return cnt::status_result([&] { T(t).addcmul_(T(t1), T(t2), scalar(value)); });
}
cnt_tensor cnt_addcdiv(cnt_tensor t, cnt_tensor t1, cnt_tensor t2, cnt_scalar value) {
  return cnt::tensor_result([&] { return at::addcdiv(T(t), T(t1), T(t2), scalar(value)); });
}
int32_t cnt_addcdiv_(cnt_tensor t, cnt_tensor t1, cnt_tensor t2, cnt_scalar value) {
  return cnt::status_result([&] { T(t).addcdiv_(T(t1), T(t2), scalar(value)); });
}
cnt_tensor cnt_lerp(cnt_tensor t, cnt_tensor end, cnt_scalar weight) {
  return cnt::tensor_result([&] { return at::lerp(T(t), T(end), scalar(weight)); });
}
cnt_tensor cnt_lerp_tensor(cnt_tensor t, cnt_tensor end, cnt_tensor weight) {
  return cnt::tensor_result([&] { return at::lerp(T(t), T(end), T(weight)); });
}
int32_t cnt_lerp_(cnt_tensor t, cnt_tensor end, cnt_scalar weight) {
  return cnt::status_result([&] { T(t).lerp_(T(end), scalar(weight)); });
}
int32_t cnt_lerp_tensor_(cnt_tensor t, cnt_tensor end, cnt_tensor weight) {
  return cnt::status_result([&] { T(t).lerp_(T(end), T(weight)); });
}

int32_t cnt_allclose(cnt_tensor a, cnt_tensor b, double rtol, double atol, bool equal_nan, bool* out) {
  return cnt::status_result([&] { *out = at::allclose(T(a), T(b), rtol, atol, equal_nan); });
}
cnt_tensor cnt_isclose(cnt_tensor a, cnt_tensor b, double rtol, double atol, bool equal_nan) {
  return cnt::tensor_result([&] { return at::isclose(T(a), T(b), rtol, atol, equal_nan); });
}
int32_t cnt_equal(cnt_tensor a, cnt_tensor b, bool* out) {
  return cnt::status_result([&] { *out = at::equal(T(a), T(b)); });
}

}  // extern "C"
