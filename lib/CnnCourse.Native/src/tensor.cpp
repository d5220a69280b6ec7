// Handles, properties and raw data of tensors.
#include "common.h"

#include <cstring>

using cnt::T;

namespace {
int32_t write_dims(at::IntArrayRef values, int64_t* out, int32_t capacity) {
  int32_t n = static_cast<int32_t>(values.size());
  for (int32_t i = 0; i < n && i < capacity; ++i) out[i] = values[i];
  return n;
}

at::MemoryFormat memory_format(int32_t code) {
  switch (code) {
    case 0: return at::MemoryFormat::Contiguous;
    case 1: return at::MemoryFormat::ChannelsLast;
    case 2: return at::MemoryFormat::Preserve;
    default: throw std::invalid_argument("unknown memory format code " + std::to_string(code));
  }
}

void check_nbytes(const at::Tensor& t, int64_t nbytes) {
  int64_t expected = t.numel() * static_cast<int64_t>(t.element_size());
  if (nbytes != expected)
    throw std::invalid_argument("buffer has " + std::to_string(nbytes) + " bytes, the tensor " + std::to_string(expected));
}
}  // namespace

namespace cnt {
at::MemoryFormat to_memory_format(int32_t code) { return memory_format(code); }
}  // namespace cnt

extern "C" {

void cnt_tensor_free(cnt_tensor t) { delete t; }

cnt_tensor cnt_tensor_alias(cnt_tensor t) {
  return cnt::tensor_result([&] { return T(t); });
}

int32_t cnt_tensor_dim(cnt_tensor t) {
  try { return static_cast<int32_t>(T(t).dim()); }
  CNT_CATCH_ALL(return CNT_FAILED)
}

int32_t cnt_tensor_sizes(cnt_tensor t, int64_t* out, int32_t capacity) {
  try { return write_dims(T(t).sizes(), out, capacity); }
  CNT_CATCH_ALL(return CNT_FAILED)
}

int32_t cnt_tensor_strides(cnt_tensor t, int64_t* out, int32_t capacity) {
  try { return write_dims(T(t).strides(), out, capacity); }
  CNT_CATCH_ALL(return CNT_FAILED)
}

int64_t cnt_tensor_numel(cnt_tensor t) {
  try { return T(t).numel(); }
  CNT_CATCH_ALL(return CNT_FAILED)
}

int64_t cnt_tensor_nbytes(cnt_tensor t) {
  try { return T(t).numel() * static_cast<int64_t>(T(t).element_size()); }
  CNT_CATCH_ALL(return CNT_FAILED)
}

int64_t cnt_tensor_storage_offset(cnt_tensor t) {
  try { return T(t).storage_offset(); }
  CNT_CATCH_ALL(return CNT_FAILED)
}

int32_t cnt_tensor_dtype(cnt_tensor t) {
  try { return static_cast<int32_t>(T(t).scalar_type()); }
  CNT_CATCH_ALL(return CNT_FAILED)
}

int32_t cnt_tensor_device_type(cnt_tensor t) {
  try { return static_cast<int32_t>(T(t).device().type()); }
  CNT_CATCH_ALL(return CNT_FAILED)
}

int32_t cnt_tensor_device_index(cnt_tensor t) {
  try { return static_cast<int32_t>(T(t).device().index()); }
  CNT_CATCH_ALL(return CNT_FAILED)
}

bool cnt_tensor_is_contiguous(cnt_tensor t, int32_t format) {
  try { return T(t).is_contiguous(memory_format(format)); }
  CNT_CATCH_ALL(return false)
}

bool cnt_tensor_is_leaf(cnt_tensor t) {
  try { return T(t).is_leaf(); }
  CNT_CATCH_ALL(return false)
}

bool cnt_tensor_requires_grad(cnt_tensor t) {
  try { return T(t).requires_grad(); }
  CNT_CATCH_ALL(return false)
}

int32_t cnt_tensor_set_requires_grad(cnt_tensor t, bool requires_grad) {
  return cnt::status_result([&] { T(t).requires_grad_(requires_grad); });
}

int32_t cnt_tensor_copy_to(cnt_tensor t, void* dst, int64_t nbytes) {
  return cnt::status_result([&] {
    check_nbytes(T(t), nbytes);
    at::Tensor cpu = T(t).detach().to(at::kCPU).contiguous();
    if (nbytes > 0) std::memcpy(dst, cpu.data_ptr(), static_cast<size_t>(nbytes));
  });
}

int32_t cnt_tensor_copy_from(cnt_tensor t, const void* src, int64_t nbytes) {
  return cnt::status_result([&] {
    at::Tensor& target = T(t);
    check_nbytes(target, nbytes);
    auto source = at::from_blob(const_cast<void*>(src), target.sizes(), at::TensorOptions().dtype(target.scalar_type()));
    at::NoGradGuard no_grad;
    target.copy_(source);
  });
}

int32_t cnt_tensor_item(cnt_tensor t, cnt_scalar* out) {
  return cnt::status_result([&] {
    at::Scalar value = T(t).item();
    if (value.isBoolean()) *out = cnt_scalar{0.0, value.toBool() ? 1 : 0, CNT_SCALAR_BOOL};
    else if (value.isIntegral(false)) *out = cnt_scalar{static_cast<double>(value.toLong()), value.toLong(), CNT_SCALAR_INT};
    else *out = cnt_scalar{value.toDouble(), 0, CNT_SCALAR_DOUBLE};
  });
}

}  // extern "C"
