// In-place initialisation (the ATen calls behind torch.nn.init) and replacing a tensor's data.
#include "common.h"

#include <cmath>

using cnt::T;

extern "C" {

int32_t cnt_uniform_(cnt_tensor t, double from, double to) {
  return cnt::status_result([&] { T(t).uniform_(from, to); });
}

int32_t cnt_normal_(cnt_tensor t, double mean, double std) {
  return cnt::status_result([&] { T(t).normal_(mean, std); });
}

int32_t cnt_trunc_normal_(cnt_tensor t, double mean, double std, double a, double b) {
  return cnt::status_result([&] {
    if (!(std >= 0)) throw std::invalid_argument("trunc_normal_: std must be non-negative, got " + std::to_string(std));
    if (!(a < b)) throw std::invalid_argument("trunc_normal_: a must be less than b");
    // Inverse-CDF sampling as torch.nn.init.trunc_normal_ does it, op for op, so the random stream
    // (one uniform_ draw per element) and the rounding match Python's.
    auto norm_cdf = [](double x) { return (1.0 + std::erf(x / std::sqrt(2.0))) / 2.0; };
    double l = norm_cdf((a - mean) / std);
    double u = norm_cdf((b - mean) / std);
    at::Tensor& x = T(t);
    x.uniform_(2 * l - 1, 2 * u - 1);
    x.erfinv_();
    x.mul_(std * std::sqrt(2.0));
    x.add_(mean);
    x.clamp_(a, b);
  });
}

int32_t cnt_fill_(cnt_tensor t, cnt_scalar value) {
  return cnt::status_result([&] { T(t).fill_(cnt::scalar(value)); });
}

int32_t cnt_zero_(cnt_tensor t) {
  return cnt::status_result([&] { T(t).zero_(); });
}

int32_t cnt_tensor_set_data(cnt_tensor t, cnt_tensor data) {
  return cnt::status_result([&] {
    if (!T(t).is_same(T(data))) T(t).set_data(T(data));
  });
}

}  // extern "C"
