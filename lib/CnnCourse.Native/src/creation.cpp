// Tensor creation: from data, constants, ranges and random numbers.
#include "common.h"

#include <cstring>

using cnt::ints;
using cnt::options;
using cnt::T;

#define CNT_OPTIONS_ARGS dtype, device_type, device_index, requires_grad

namespace {
void check_shape(at::IntArrayRef shape) {
  for (int64_t size : shape)
    if (size < 0) throw std::invalid_argument("negative dimension " + std::to_string(size) + " in shape " + c10::str(shape));
}

// Creates without recording requires_grad first, then sets it: a leaf that requires grad.
template <class F>
at::Tensor make(F&& create, bool requires_grad) {
  at::Tensor t;
  {
    at::NoGradGuard no_grad;
    t = create();
  }
  if (requires_grad) t.requires_grad_(true);
  return t;
}
}  // namespace

extern "C" {

cnt_tensor cnt_from_data(const void* data, const int64_t* shape, int32_t ndim, CNT_OPTIONS) {
  return cnt::tensor_result([&] {
    auto sizes = ints(shape, ndim);
    check_shape(sizes);
    auto opts = options(dtype, device_type, device_index, false);
    return make([&] {
      at::Tensor cpu = at::empty(sizes, opts.device(at::kCPU));
      if (cpu.numel() > 0) std::memcpy(cpu.data_ptr(), data, static_cast<size_t>(cpu.nbytes()));
      return opts.device().is_cpu() ? cpu : cpu.to(opts.device());
    }, requires_grad);
  });
}

#define CNT_SHAPED(name, expr)                                                              \
  cnt_tensor name(const int64_t* shape, int32_t ndim, CNT_OPTIONS) {                         \
    return cnt::tensor_result([&] {                                                         \
      auto sizes = ints(shape, ndim);                                                       \
      check_shape(sizes);                                                                   \
      auto opts = options(dtype, device_type, device_index, false);                         \
      return make([&] { return expr; }, requires_grad);                                     \
    });                                                                                     \
  }

CNT_SHAPED(cnt_empty, at::empty(sizes, opts))
CNT_SHAPED(cnt_zeros, at::zeros(sizes, opts))
CNT_SHAPED(cnt_ones, at::ones(sizes, opts))
CNT_SHAPED(cnt_rand, at::rand(sizes, opts))
CNT_SHAPED(cnt_randn, at::randn(sizes, opts))

cnt_tensor cnt_full(const int64_t* shape, int32_t ndim, cnt_scalar value, CNT_OPTIONS) {
  return cnt::tensor_result([&] {
    auto sizes = ints(shape, ndim);
    check_shape(sizes);
    auto opts = options(dtype, device_type, device_index, false);
    return make([&] { return at::full(sizes, cnt::scalar(value), opts); }, requires_grad);
  });
}

cnt_tensor cnt_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim, CNT_OPTIONS) {
  return cnt::tensor_result([&] {
    auto sizes = ints(shape, ndim);
    check_shape(sizes);
    if (high <= low) throw std::invalid_argument("randint: high (" + std::to_string(high) + ") must exceed low (" + std::to_string(low) + ")");
    auto opts = options(dtype, device_type, device_index, false);
    return make([&] { return at::randint(low, high, sizes, opts); }, requires_grad);
  });
}

cnt_tensor cnt_randperm(int64_t n, CNT_OPTIONS) {
  return cnt::tensor_result([&] {
    if (n < 0) throw std::invalid_argument("randperm: n must be non-negative, got " + std::to_string(n));
    auto opts = options(dtype, device_type, device_index, false);
    return make([&] { return at::randperm(n, opts); }, requires_grad);
  });
}

cnt_tensor cnt_arange(cnt_scalar start, cnt_scalar end, cnt_scalar step, CNT_OPTIONS) {
  return cnt::tensor_result([&] {
    auto opts = options(dtype, device_type, device_index, false);
    return make([&] { return at::arange(cnt::scalar(start), cnt::scalar(end), cnt::scalar(step), opts); }, requires_grad);
  });
}

cnt_tensor cnt_linspace(double start, double end, int64_t steps, CNT_OPTIONS) {
  return cnt::tensor_result([&] {
    if (steps < 0) throw std::invalid_argument("linspace: steps must be non-negative, got " + std::to_string(steps));
    auto opts = options(dtype, device_type, device_index, false);
    return make([&] { return at::linspace(start, end, steps, opts); }, requires_grad);
  });
}

cnt_tensor cnt_eye(int64_t n, int64_t m, CNT_OPTIONS) {
  return cnt::tensor_result([&] {
    if (n < 0 || m < 0) throw std::invalid_argument("eye: sizes must be non-negative");
    auto opts = options(dtype, device_type, device_index, false);
    return make([&] { return at::eye(n, m, opts); }, requires_grad);
  });
}

cnt_tensor cnt_zeros_like(cnt_tensor t) { return cnt::tensor_result([&] { return at::zeros_like(T(t)); }); }
cnt_tensor cnt_ones_like(cnt_tensor t) { return cnt::tensor_result([&] { return at::ones_like(T(t)); }); }
cnt_tensor cnt_empty_like(cnt_tensor t) { return cnt::tensor_result([&] { return at::empty_like(T(t)); }); }
cnt_tensor cnt_full_like(cnt_tensor t, cnt_scalar value) {
  return cnt::tensor_result([&] { return at::full_like(T(t), cnt::scalar(value)); });
}
cnt_tensor cnt_rand_like(cnt_tensor t) { return cnt::tensor_result([&] { return at::rand_like(T(t)); }); }
cnt_tensor cnt_randn_like(cnt_tensor t) { return cnt::tensor_result([&] { return at::randn_like(T(t)); }); }

}  // extern "C"
