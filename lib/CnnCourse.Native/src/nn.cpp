// nn.functional: convolution, pooling, normalization, dropout, linear, activations, interpolation.
#include "common.h"

using cnt::opt;
using cnt::T;

namespace {

// A 2-D size argument: exactly two values {height, width}.
at::IntArrayRef pair(const int64_t* values, const char* name) {
  if (values == nullptr) throw std::invalid_argument(std::string(name) + ": a {height, width} pair is required");
  return at::IntArrayRef(values, 2);
}

c10::optional<at::ScalarType> optional_dtype(int32_t code) {
  if (code < 0) return c10::nullopt;
  return cnt::dtype(code);
}

std::string text(const char* value, const char* name) {
  if (value == nullptr) throw std::invalid_argument(std::string(name) + " must not be NULL");
  return value;
}

// torch.nn.functional.local_response_norm, written with the same ATen ops as PyTorch's Python.
at::Tensor local_response_norm(const at::Tensor& input, int64_t size, double alpha, double beta, double k) {
  const int64_t dim = input.dim();
  TORCH_CHECK(dim >= 3, "Expected 3D or higher dimensionality input (got ", dim, " dimensions)");
  TORCH_CHECK(size > 0, "size must be positive, but got ", size);
  if (input.numel() == 0) return input.clone();
  at::Tensor div = input.mul(input).unsqueeze(1);
  if (dim == 3) {
    div = at::constant_pad_nd(div, {0, 0, size / 2, (size - 1) / 2});
    div = at::avg_pool2d(div, {size, 1}, {1, 1}).squeeze(1);
  } else {
    const auto sizes = input.sizes().vec();
    div = div.reshape({sizes[0], 1, sizes[1], sizes[2], -1});
    div = at::constant_pad_nd(div, {0, 0, 0, 0, size / 2, (size - 1) / 2});
    div = at::avg_pool3d(div, {size, 1, 1}, {1, 1, 1}).squeeze(1);
    div = div.reshape(sizes);
  }
  div = div.mul(alpha).add(k).pow(beta);
  return input / div;
}

}  // namespace

extern "C" {

// ---- convolution -------------------------------------------------------------------------------

cnt_tensor cnt_nn_conv2d(cnt_tensor input, cnt_tensor weight, cnt_tensor bias, const int64_t* stride,
                         const int64_t* padding, const int64_t* dilation, int64_t groups) {
  return cnt::tensor_result([&] {
    return at::conv2d(T(input), T(weight), opt(bias), pair(stride, "stride"), pair(padding, "padding"),
                      pair(dilation, "dilation"), groups);
  });
}

cnt_tensor cnt_nn_conv2d_padding_mode(cnt_tensor input, cnt_tensor weight, cnt_tensor bias, const int64_t* stride,
                                      const char* padding, const int64_t* dilation, int64_t groups) {
  return cnt::tensor_result([&] {
    const std::string mode = text(padding, "padding");
    return at::conv2d(T(input), T(weight), opt(bias), pair(stride, "stride"), mode, pair(dilation, "dilation"), groups);
  });
}

cnt_tensor cnt_nn_conv_transpose2d(cnt_tensor input, cnt_tensor weight, cnt_tensor bias, const int64_t* stride,
                                   const int64_t* padding, const int64_t* output_padding, int64_t groups,
                                   const int64_t* dilation) {
  return cnt::tensor_result([&] {
    return at::conv_transpose2d(T(input), T(weight), opt(bias), pair(stride, "stride"), pair(padding, "padding"),
                                pair(output_padding, "output_padding"), groups, pair(dilation, "dilation"));
  });
}

// ---- pooling -----------------------------------------------------------------------------------

cnt_tensor cnt_nn_max_pool2d(cnt_tensor input, const int64_t* kernel_size, const int64_t* stride,
                             const int64_t* padding, const int64_t* dilation, bool ceil_mode) {
  return cnt::tensor_result([&] {
    return at::max_pool2d(T(input), pair(kernel_size, "kernel_size"), pair(stride, "stride"), pair(padding, "padding"),
                          pair(dilation, "dilation"), ceil_mode);
  });
}

int32_t cnt_nn_max_pool2d_with_indices(cnt_tensor input, const int64_t* kernel_size, const int64_t* stride,
                                       const int64_t* padding, const int64_t* dilation, bool ceil_mode,
                                       cnt_tensor* output, cnt_tensor* indices) {
  return cnt::status_result([&] {
    auto result = at::max_pool2d_with_indices(T(input), pair(kernel_size, "kernel_size"), pair(stride, "stride"),
                                              pair(padding, "padding"), pair(dilation, "dilation"), ceil_mode);
    *output = cnt::wrap(std::get<0>(result));
    *indices = cnt::wrap(std::get<1>(result));
  });
}

cnt_tensor cnt_nn_avg_pool2d(cnt_tensor input, const int64_t* kernel_size, const int64_t* stride,
                             const int64_t* padding, bool ceil_mode, bool count_include_pad,
                             int64_t divisor_override) {
  return cnt::tensor_result([&] {
    c10::optional<int64_t> divisor = divisor_override > 0 ? c10::optional<int64_t>(divisor_override) : c10::nullopt;
    return at::avg_pool2d(T(input), pair(kernel_size, "kernel_size"), pair(stride, "stride"), pair(padding, "padding"),
                          ceil_mode, count_include_pad, divisor);
  });
}

cnt_tensor cnt_nn_adaptive_avg_pool2d(cnt_tensor input, const int64_t* output_size) {
  return cnt::tensor_result([&] { return at::adaptive_avg_pool2d(T(input), pair(output_size, "output_size")); });
}

int32_t cnt_nn_adaptive_max_pool2d(cnt_tensor input, const int64_t* output_size, cnt_tensor* output,
                                   cnt_tensor* indices) {
  return cnt::status_result([&] {
    auto result = at::adaptive_max_pool2d(T(input), pair(output_size, "output_size"));
    *output = cnt::wrap(std::get<0>(result));
    *indices = cnt::wrap(std::get<1>(result));
  });
}

// ---- normalization -----------------------------------------------------------------------------

cnt_tensor cnt_nn_batch_norm(cnt_tensor input, cnt_tensor running_mean, cnt_tensor running_var, cnt_tensor weight,
                             cnt_tensor bias, bool training, double momentum, double eps) {
  return cnt::tensor_result([&] {
    return at::batch_norm(T(input), opt(weight), opt(bias), opt(running_mean), opt(running_var), training, momentum,
                          eps, /*cudnn_enabled=*/true);
  });
}

cnt_tensor cnt_nn_layer_norm(cnt_tensor input, const int64_t* normalized_shape, int32_t ndim, cnt_tensor weight,
                             cnt_tensor bias, double eps) {
  return cnt::tensor_result([&] {
    return at::layer_norm(T(input), cnt::ints(normalized_shape, ndim), opt(weight), opt(bias), eps,
                          /*cudnn_enable=*/true);
  });
}

cnt_tensor cnt_nn_local_response_norm(cnt_tensor input, int64_t size, double alpha, double beta, double k) {
  return cnt::tensor_result([&] { return local_response_norm(T(input), size, alpha, beta, k); });
}

// ---- dropout -----------------------------------------------------------------------------------

cnt_tensor cnt_nn_dropout(cnt_tensor input, double p, bool training) {
  return cnt::tensor_result([&] { return at::dropout(T(input), p, training); });
}
int32_t cnt_nn_dropout_(cnt_tensor input, double p, bool training) {
  return cnt::status_result([&] { at::dropout_(T(input), p, training); });
}
cnt_tensor cnt_nn_feature_dropout(cnt_tensor input, double p, bool training) {
  return cnt::tensor_result([&] { return at::feature_dropout(T(input), p, training); });
}
int32_t cnt_nn_feature_dropout_(cnt_tensor input, double p, bool training) {
  return cnt::status_result([&] { at::feature_dropout_(T(input), p, training); });
}

// ---- linear and activations --------------------------------------------------------------------

cnt_tensor cnt_nn_linear(cnt_tensor input, cnt_tensor weight, cnt_tensor bias) {
  return cnt::tensor_result([&] { return at::linear(T(input), T(weight), opt(bias)); });
}

cnt_tensor cnt_nn_relu(cnt_tensor input) { return cnt::tensor_result([&] { return at::relu(T(input)); }); }
int32_t cnt_nn_relu_(cnt_tensor input) { return cnt::status_result([&] { at::relu_(T(input)); }); }
// relu6 is hardtanh(0, 6), as in PyTorch.
cnt_tensor cnt_nn_relu6(cnt_tensor input) { return cnt::tensor_result([&] { return at::hardtanh(T(input), 0, 6); }); }
int32_t cnt_nn_relu6_(cnt_tensor input) { return cnt::status_result([&] { at::hardtanh_(T(input), 0, 6); }); }
cnt_tensor cnt_nn_leaky_relu(cnt_tensor input, double negative_slope) {
  return cnt::tensor_result([&] { return at::leaky_relu(T(input), negative_slope); });
}
int32_t cnt_nn_leaky_relu_(cnt_tensor input, double negative_slope) {
  return cnt::status_result([&] { at::leaky_relu_(T(input), negative_slope); });
}
cnt_tensor cnt_nn_gelu(cnt_tensor input, const char* approximate) {
  return cnt::tensor_result([&] { return at::gelu(T(input), text(approximate, "approximate")); });
}
cnt_tensor cnt_nn_silu(cnt_tensor input) { return cnt::tensor_result([&] { return at::silu(T(input)); }); }
int32_t cnt_nn_silu_(cnt_tensor input) { return cnt::status_result([&] { at::silu_(T(input)); }); }
cnt_tensor cnt_nn_hardswish(cnt_tensor input) { return cnt::tensor_result([&] { return at::hardswish(T(input)); }); }
int32_t cnt_nn_hardswish_(cnt_tensor input) { return cnt::status_result([&] { at::hardswish_(T(input)); }); }
cnt_tensor cnt_nn_hardsigmoid(cnt_tensor input) { return cnt::tensor_result([&] { return at::hardsigmoid(T(input)); }); }
int32_t cnt_nn_hardsigmoid_(cnt_tensor input) { return cnt::status_result([&] { at::hardsigmoid_(T(input)); }); }
cnt_tensor cnt_nn_sigmoid(cnt_tensor input) { return cnt::tensor_result([&] { return at::sigmoid(T(input)); }); }
cnt_tensor cnt_nn_tanh(cnt_tensor input) { return cnt::tensor_result([&] { return at::tanh(T(input)); }); }

cnt_tensor cnt_nn_softmax(cnt_tensor input, int64_t dim, int32_t dtype) {
  return cnt::tensor_result([&] { return at::softmax(T(input), dim, optional_dtype(dtype)); });
}
cnt_tensor cnt_nn_log_softmax(cnt_tensor input, int64_t dim, int32_t dtype) {
  return cnt::tensor_result([&] { return at::log_softmax(T(input), dim, optional_dtype(dtype)); });
}

// ---- interpolation -----------------------------------------------------------------------------

cnt_tensor cnt_nn_interpolate(cnt_tensor input, const int64_t* size, const double* scale_factor, int32_t mode,
                              int32_t align_corners) {
  return cnt::tensor_result([&] {
    if ((size == nullptr) == (scale_factor == nullptr))
      throw std::invalid_argument("exactly one of size and scale_factor must be given");
    at::OptionalIntArrayRef output_size = size != nullptr ? at::OptionalIntArrayRef(at::IntArrayRef(size, 2)) : c10::nullopt;
    c10::optional<at::ArrayRef<double>> scales =
        scale_factor != nullptr ? c10::optional<at::ArrayRef<double>>(at::ArrayRef<double>(scale_factor, 2)) : c10::nullopt;
    switch (mode) {
      case 0:
        if (align_corners >= 0)
          throw std::invalid_argument("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
        return at::upsample_nearest2d(T(input), output_size, scales);
      case 1:
        return at::upsample_bilinear2d(T(input), output_size, align_corners > 0, scales);
      default:
        throw std::invalid_argument("unknown interpolation mode " + std::to_string(mode));
    }
  });
}

// ---- layers' helpers -----------------------------------------------------------------------------

cnt_tensor cnt_nn_flatten(cnt_tensor input, int64_t start_dim, int64_t end_dim) {
  return cnt::tensor_result([&] { return at::flatten(T(input), start_dim, end_dim); });
}

}  // extern "C"
