// Element-wise arithmetic, reductions, linear algebra and comparisons.
#include "common.h"

using cnt::scalar;
using cnt::T;

namespace {
c10::optional<at::ScalarType> optional_dtype(int32_t code) {
  if (code < 0) return c10::nullopt;
  return cnt::dtype(code);
}
}  // namespace

extern "C" {

cnt_tensor cnt_add(cnt_tensor a, cnt_tensor b, cnt_scalar alpha) {
  return cnt::tensor_result([&] { return at::add(T(a), T(b), scalar(alpha)); });
}
cnt_tensor cnt_add_scalar(cnt_tensor a, cnt_scalar b, cnt_scalar alpha) {
  return cnt::tensor_result([&] { return at::add(T(a), scalar(b), scalar(alpha)); });
}
int32_t cnt_add_(cnt_tensor a, cnt_tensor b, cnt_scalar alpha) {
  return cnt::status_result([&] { T(a).add_(T(b), scalar(alpha)); });
}
int32_t cnt_add_scalar_(cnt_tensor a, cnt_scalar b, cnt_scalar alpha) {
  return cnt::status_result([&] { T(a).add_(scalar(b), scalar(alpha)); });
}
cnt_tensor cnt_sub(cnt_tensor a, cnt_tensor b, cnt_scalar alpha) {
  return cnt::tensor_result([&] { return at::sub(T(a), T(b), scalar(alpha)); });
}
cnt_tensor cnt_sub_scalar(cnt_tensor a, cnt_scalar b, cnt_scalar alpha) {
  return cnt::tensor_result([&] { return at::sub(T(a), scalar(b), scalar(alpha)); });
}
cnt_tensor cnt_rsub_scalar(cnt_tensor a, cnt_scalar b) {
  return cnt::tensor_result([&] { return at::rsub(T(a), scalar(b)); });
}
int32_t cnt_sub_(cnt_tensor a, cnt_tensor b, cnt_scalar alpha) {
  return cnt::status_result([&] { T(a).sub_(T(b), scalar(alpha)); });
}
cnt_tensor cnt_mul(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::mul(T(a), T(b)); }); }
cnt_tensor cnt_mul_scalar(cnt_tensor a, cnt_scalar b) { return cnt::tensor_result([&] { return at::mul(T(a), scalar(b)); }); }
int32_t cnt_mul_(cnt_tensor a, cnt_tensor b) { return cnt::status_result([&] { T(a).mul_(T(b)); }); }
int32_t cnt_mul_scalar_(cnt_tensor a, cnt_scalar b) { return cnt::status_result([&] { T(a).mul_(scalar(b)); }); }
cnt_tensor cnt_div(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::div(T(a), T(b)); }); }
cnt_tensor cnt_div_scalar(cnt_tensor a, cnt_scalar b) { return cnt::tensor_result([&] { return at::div(T(a), scalar(b)); }); }
cnt_tensor cnt_rdiv_scalar(cnt_tensor a, cnt_scalar b) {
  return cnt::tensor_result([&] { return at::reciprocal(T(a)).mul_(scalar(b)); });
}
int32_t cnt_div_(cnt_tensor a, cnt_tensor b) { return cnt::status_result([&] { T(a).div_(T(b)); }); }
int32_t cnt_div_scalar_(cnt_tensor a, cnt_scalar b) { return cnt::status_result([&] { T(a).div_(scalar(b)); }); }
cnt_tensor cnt_neg(cnt_tensor a) { return cnt::tensor_result([&] { return at::neg(T(a)); }); }
cnt_tensor cnt_matmul(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::matmul(T(a), T(b)); }); }

cnt_tensor cnt_sum(cnt_tensor t, const int64_t* dims, int32_t ndims, bool keepdim, int32_t dtype) {
  return cnt::tensor_result([&] {
    if (ndims == 0) return at::sum(T(t), optional_dtype(dtype));
    return at::sum(T(t), cnt::ints(dims, ndims), keepdim, optional_dtype(dtype));
  });
}

cnt_tensor cnt_mean(cnt_tensor t, const int64_t* dims, int32_t ndims, bool keepdim, int32_t dtype) {
  return cnt::tensor_result([&] {
    if (ndims == 0) return at::mean(T(t), optional_dtype(dtype));
    return at::mean(T(t), cnt::ints(dims, ndims), keepdim, optional_dtype(dtype));
  });
}

}  // extern "C"
