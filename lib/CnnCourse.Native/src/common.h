// Shared by every source of the shim (and precompiled): libtorch headers, the handle type and the
// wrappers that turn every C++ exception into the thread-local last error.
#pragma once

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/variable.h>

#include <string>
#include <vector>

#include "cnt.h"

// A handle owns one reference to a tensor (at::Tensor is itself a reference-counted pointer).
struct cnt_tensor_opaque {
  at::Tensor tensor;
};

namespace cnt {

// Records `message` (first line kept intact, libtorch's C++ backtrace dropped) for this thread.
void set_error(int kind, const char* message);

inline at::Tensor& T(cnt_tensor h) {
  if (h == nullptr) throw std::invalid_argument("null tensor handle");
  return h->tensor;
}

// An optional tensor argument: NULL means "none" (bias, weight, ...).
inline c10::optional<at::Tensor> opt(cnt_tensor h) {
  if (h == nullptr) return c10::nullopt;
  return h->tensor;
}

inline at::IntArrayRef ints(const int64_t* data, int32_t length) {
  if (length < 0) throw std::invalid_argument("negative array length");
  return at::IntArrayRef(data, static_cast<size_t>(length));
}

inline at::Scalar scalar(cnt_scalar s) {
  switch (s.kind) {
    case CNT_SCALAR_INT: return at::Scalar(s.i);
    case CNT_SCALAR_BOOL: return at::Scalar(s.i != 0);
    default: return at::Scalar(s.d);
  }
}

inline at::ScalarType dtype(int32_t code) {
  if (code < 0 || code >= static_cast<int32_t>(at::ScalarType::NumOptions))
    throw std::invalid_argument("unknown dtype code " + std::to_string(code));
  return static_cast<at::ScalarType>(code);
}

inline at::Device device(int32_t type, int32_t index) {
  return at::Device(static_cast<c10::DeviceType>(type), static_cast<c10::DeviceIndex>(index));
}

inline at::TensorOptions options(int32_t dtype_code, int32_t device_type, int32_t device_index, bool requires_grad) {
  return at::TensorOptions().dtype(dtype(dtype_code)).device(device(device_type, device_index)).requires_grad(requires_grad);
}

inline cnt_tensor wrap(at::Tensor t) { return new cnt_tensor_opaque{std::move(t)}; }

// 0 contiguous, 1 channels_last, 2 preserve (defined in tensor.cpp).
at::MemoryFormat to_memory_format(int32_t code);

// Collects handles (an array of tensors crossing the boundary) into a vector of tensors.
inline std::vector<at::Tensor> tensors(const cnt_tensor* handles, int32_t count) {
  if (count < 0) throw std::invalid_argument("negative tensor count");
  std::vector<at::Tensor> result;
  result.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) result.push_back(T(handles[i]));
  return result;
}

#define CNT_CATCH_ALL(on_error)                                                              \
  catch (const c10::IndexError& e) { cnt::set_error(CNT_ERROR_INDEX, e.what_without_backtrace()); on_error; } \
  catch (const c10::ValueError& e) { cnt::set_error(CNT_ERROR_VALUE, e.what_without_backtrace()); on_error; } \
  catch (const c10::TypeError& e) { cnt::set_error(CNT_ERROR_TYPE, e.what_without_backtrace()); on_error; }   \
  catch (const c10::NotImplementedError& e) { cnt::set_error(CNT_ERROR_NOT_IMPLEMENTED, e.what_without_backtrace()); on_error; } \
  catch (const c10::OutOfMemoryError& e) { cnt::set_error(CNT_ERROR_OUT_OF_MEMORY, e.what_without_backtrace()); on_error; } \
  catch (const c10::Error& e) { cnt::set_error(CNT_ERROR_RUNTIME, e.what_without_backtrace()); on_error; }  \
  catch (const std::invalid_argument& e) { cnt::set_error(CNT_ERROR_VALUE, e.what()); on_error; }        \
  catch (const std::out_of_range& e) { cnt::set_error(CNT_ERROR_INDEX, e.what()); on_error; }            \
  catch (const std::bad_alloc&) { cnt::set_error(CNT_ERROR_OUT_OF_MEMORY, "out of memory"); on_error; }  \
  catch (const std::exception& e) { cnt::set_error(CNT_ERROR_RUNTIME, e.what()); on_error; }             \
  catch (...) { cnt::set_error(CNT_ERROR_RUNTIME, "unknown native exception"); on_error; }

// Runs `body` (returning at::Tensor) and hands out a new owned handle; NULL exactly on error.
template <class F>
cnt_tensor tensor_result(F&& body) {
  try {
    return wrap(body());
  }
  CNT_CATCH_ALL(return nullptr)
}

// Runs `body` (returning void) and reports CNT_OK or CNT_FAILED.
template <class F>
int32_t status_result(F&& body) {
  try {
    body();
    return CNT_OK;
  }
  CNT_CATCH_ALL(return CNT_FAILED)
}

// Runs `body` (returning std::vector<at::Tensor>) and writes up to `capacity` new handles to `out`;
// the count is written to `count`. A result larger than `capacity` is an error, nothing leaks.
template <class F>
int32_t tensors_result(F&& body, cnt_tensor* out, int32_t capacity, int32_t* count) {
  return status_result([&] {
    std::vector<at::Tensor> results = body();
    if (static_cast<int64_t>(results.size()) > capacity)
      throw std::out_of_range("result has " + std::to_string(results.size()) + " tensors, room for " + std::to_string(capacity));
    for (size_t i = 0; i < results.size(); ++i) out[i] = wrap(std::move(results[i]));
    *count = static_cast<int32_t>(results.size());
  });
}

}  // namespace cnt
