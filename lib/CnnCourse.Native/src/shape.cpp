// Views and reshaping, joining and splitting, padding, memory format.
#include "common.h"

using cnt::ints;
using cnt::T;

extern "C" {

cnt_tensor cnt_view(cnt_tensor t, const int64_t* shape, int32_t ndim) {
  return cnt::tensor_result([&] { return T(t).view(ints(shape, ndim)); });
}
cnt_tensor cnt_reshape(cnt_tensor t, const int64_t* shape, int32_t ndim) {
  return cnt::tensor_result([&] { return T(t).reshape(ints(shape, ndim)); });
}
cnt_tensor cnt_permute(cnt_tensor t, const int64_t* dims, int32_t ndim) {
  return cnt::tensor_result([&] { return T(t).permute(ints(dims, ndim)); });
}
cnt_tensor cnt_flip(cnt_tensor t, const int64_t* dims, int32_t ndim) {
  return cnt::tensor_result([&] { return T(t).flip(ints(dims, ndim)); });
}
cnt_tensor cnt_transpose(cnt_tensor t, int64_t dim0, int64_t dim1) {
  return cnt::tensor_result([&] { return T(t).transpose(dim0, dim1); });
}
cnt_tensor cnt_t(cnt_tensor t) { return cnt::tensor_result([&] { return T(t).t(); }); }
cnt_tensor cnt_flatten(cnt_tensor t, int64_t start_dim, int64_t end_dim) {
  return cnt::tensor_result([&] { return T(t).flatten(start_dim, end_dim); });
}
cnt_tensor cnt_unflatten(cnt_tensor t, int64_t dim, const int64_t* sizes, int32_t nsizes) {
  return cnt::tensor_result([&] { return at::unflatten(T(t), dim, ints(sizes, nsizes)); });
}
cnt_tensor cnt_squeeze(cnt_tensor t) { return cnt::tensor_result([&] { return T(t).squeeze(); }); }
cnt_tensor cnt_squeeze_dim(cnt_tensor t, int64_t dim) { return cnt::tensor_result([&] { return T(t).squeeze(dim); }); }
cnt_tensor cnt_unsqueeze(cnt_tensor t, int64_t dim) { return cnt::tensor_result([&] { return T(t).unsqueeze(dim); }); }
cnt_tensor cnt_expand(cnt_tensor t, const int64_t* sizes, int32_t ndim) {
  return cnt::tensor_result([&] { return T(t).expand(ints(sizes, ndim)); });
}
cnt_tensor cnt_repeat(cnt_tensor t, const int64_t* repeats, int32_t ndim) {
  return cnt::tensor_result([&] { return T(t).repeat(ints(repeats, ndim)); });
}

cnt_tensor cnt_cat(const cnt_tensor* tensors, int32_t count, int64_t dim) {
  return cnt::tensor_result([&] { return at::cat(cnt::tensors(tensors, count), dim); });
}
cnt_tensor cnt_stack(const cnt_tensor* tensors, int32_t count, int64_t dim) {
  return cnt::tensor_result([&] { return at::stack(cnt::tensors(tensors, count), dim); });
}

int32_t cnt_split(cnt_tensor t, int64_t split_size, int64_t dim, cnt_tensor* out, int32_t capacity, int32_t* count) {
  return cnt::tensors_result([&] { return T(t).split(split_size, dim); }, out, capacity, count);
}
int32_t cnt_split_with_sizes(cnt_tensor t, const int64_t* sizes, int32_t nsizes, int64_t dim, cnt_tensor* out,
                             int32_t capacity, int32_t* count) {
  return cnt::tensors_result([&] { return T(t).split_with_sizes(ints(sizes, nsizes), dim); }, out, capacity, count);
}
int32_t cnt_chunk(cnt_tensor t, int64_t chunks, int64_t dim, cnt_tensor* out, int32_t capacity, int32_t* count) {
  return cnt::tensors_result([&] { return T(t).chunk(chunks, dim); }, out, capacity, count);
}
int32_t cnt_unbind(cnt_tensor t, int64_t dim, cnt_tensor* out, int32_t capacity, int32_t* count) {
  return cnt::tensors_result([&] { return T(t).unbind(dim); }, out, capacity, count);
}

cnt_tensor cnt_pad(cnt_tensor t, const int64_t* pad, int32_t npad, const char* mode, double value) {
  return cnt::tensor_result([&] {
    if (mode == nullptr) throw std::invalid_argument("pad: mode is NULL");
    std::string m(mode);
    // Only "constant" takes a fill value; libtorch rejects one given with the other modes.
    c10::optional<double> fill = m == "constant" ? c10::optional<double>(value) : c10::nullopt;
    return at::pad(T(t), ints(pad, npad), m, fill);
  });
}

cnt_tensor cnt_to_memory_format(cnt_tensor t, int32_t memory_format) {
  return cnt::tensor_result([&] {
    const at::Tensor& x = T(t);
    return x.to(x.options(), /*non_blocking=*/false, /*copy=*/false, cnt::to_memory_format(memory_format));
  });
}

}  // extern "C"
