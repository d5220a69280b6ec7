// Indexing and slicing (Python's x[...] through at::indexing), selection, masking, gathering and scattering.
#include "common.h"

#include <ATen/TensorIndexing.h>

using cnt::scalar;
using cnt::T;

namespace {

// Decodes the index list of cnt_index / cnt_index_put_ (see cnt.h) into ATen's TensorIndex values.
std::vector<at::indexing::TensorIndex> decode(const int32_t* kinds, const int64_t* starts, const int64_t* stops,
                                              const int64_t* steps, const cnt_tensor* tensors, int32_t count) {
  using namespace at::indexing;
  if (count < 0) throw std::invalid_argument("negative index count");
  auto optional = [](int64_t v) { return v == CNT_INDEX_ABSENT ? c10::optional<int64_t>() : c10::optional<int64_t>(v); };
  std::vector<TensorIndex> result;
  result.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) {
    switch (kinds[i]) {
      case CNT_INDEX_NONE: result.emplace_back(None); break;
      case CNT_INDEX_ELLIPSIS: result.emplace_back(Ellipsis); break;
      case CNT_INDEX_INTEGER: result.emplace_back(starts[i]); break;
      case CNT_INDEX_BOOLEAN: result.emplace_back(starts[i] != 0); break;
      case CNT_INDEX_SLICE: {
        if (steps[i] != CNT_INDEX_ABSENT && steps[i] <= 0)
          throw std::invalid_argument("slice step must be positive, but got " + std::to_string(steps[i]));
        result.emplace_back(Slice(optional(starts[i]), optional(stops[i]), optional(steps[i])));
        break;
      }
      case CNT_INDEX_TENSOR: result.emplace_back(T(tensors[i])); break;
      default: throw std::invalid_argument("unknown index kind " + std::to_string(kinds[i]));
    }
  }
  return result;
}

}  // namespace

extern "C" {

cnt_tensor cnt_index(cnt_tensor t, const int32_t* kinds, const int64_t* starts, const int64_t* stops, const int64_t* steps,
                     const cnt_tensor* tensors, int32_t count) {
  return cnt::tensor_result([&] { return T(t).index(decode(kinds, starts, stops, steps, tensors, count)); });
}

int32_t cnt_index_put_(cnt_tensor t, const int32_t* kinds, const int64_t* starts, const int64_t* stops, const int64_t* steps,
                       const cnt_tensor* tensors, int32_t count, cnt_tensor value) {
  return cnt::status_result([&] {
    at::Tensor& self = T(t);
    const at::Tensor& v = T(value);
    // Python converts the assigned value to the target's dtype for basic indexing; do so always.
    self.index_put_(decode(kinds, starts, stops, steps, tensors, count), v.scalar_type() == self.scalar_type() ? v : v.to(self.scalar_type()));
  });
}

int32_t cnt_index_put_scalar_(cnt_tensor t, const int32_t* kinds, const int64_t* starts, const int64_t* stops,
                              const int64_t* steps, const cnt_tensor* tensors, int32_t count, cnt_scalar value) {
  return cnt::status_result([&] { T(t).index_put_(decode(kinds, starts, stops, steps, tensors, count), scalar(value)); });
}

cnt_tensor cnt_select(cnt_tensor t, int64_t dim, int64_t index) {
  return cnt::tensor_result([&] { return T(t).select(dim, index); });
}
cnt_tensor cnt_narrow(cnt_tensor t, int64_t dim, int64_t start, int64_t length) {
  return cnt::tensor_result([&] { return T(t).narrow(dim, start, length); });
}
cnt_tensor cnt_slice(cnt_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  return cnt::tensor_result([&] {
    auto bound = [](int64_t v) { return v == CNT_INDEX_ABSENT ? c10::optional<int64_t>() : c10::optional<int64_t>(v); };
    return at::slice(T(t), dim, bound(start), bound(end), step);
  });
}
cnt_tensor cnt_index_select(cnt_tensor t, int64_t dim, cnt_tensor index) {
  return cnt::tensor_result([&] { return at::index_select(T(t), dim, T(index)); });
}
cnt_tensor cnt_masked_select(cnt_tensor t, cnt_tensor mask) {
  return cnt::tensor_result([&] { return at::masked_select(T(t), T(mask)); });
}
cnt_tensor cnt_masked_fill(cnt_tensor t, cnt_tensor mask, cnt_scalar value) {
  return cnt::tensor_result([&] { return at::masked_fill(T(t), T(mask), scalar(value)); });
}
cnt_tensor cnt_masked_fill_tensor(cnt_tensor t, cnt_tensor mask, cnt_tensor value) {
  return cnt::tensor_result([&] { return at::masked_fill(T(t), T(mask), T(value)); });
}
int32_t cnt_masked_fill_(cnt_tensor t, cnt_tensor mask, cnt_scalar value) {
  return cnt::status_result([&] { T(t).masked_fill_(T(mask), scalar(value)); });
}
int32_t cnt_masked_fill_tensor_(cnt_tensor t, cnt_tensor mask, cnt_tensor value) {
  return cnt::status_result([&] { T(t).masked_fill_(T(mask), T(value)); });
}
cnt_tensor cnt_gather(cnt_tensor t, int64_t dim, cnt_tensor index) {
  return cnt::tensor_result([&] { return at::gather(T(t), dim, T(index)); });
}
cnt_tensor cnt_scatter(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_tensor src) {
  return cnt::tensor_result([&] { return at::scatter(T(t), dim, T(index), T(src)); });
}
cnt_tensor cnt_scatter_scalar(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_scalar value) {
  return cnt::tensor_result([&] { return at::scatter(T(t), dim, T(index), scalar(value)); });
}
int32_t cnt_scatter_(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_tensor src) {
  return cnt::status_result([&] { T(t).scatter_(dim, T(index), T(src)); });
}
int32_t cnt_scatter_scalar_(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_scalar value) {
  return cnt::status_result([&] { T(t).scatter_(dim, T(index), scalar(value)); });
}
cnt_tensor cnt_scatter_add(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_tensor src) {
  return cnt::tensor_result([&] { return at::scatter_add(T(t), dim, T(index), T(src)); });
}
int32_t cnt_scatter_add_(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_tensor src) {
  return cnt::status_result([&] { T(t).scatter_add_(dim, T(index), T(src)); });
}
int32_t cnt_index_put_tensors_(cnt_tensor t, const cnt_tensor* indices, int32_t count, cnt_tensor value, bool accumulate) {
  return cnt::status_result([&] {
    c10::List<c10::optional<at::Tensor>> list;
    for (const auto& index : cnt::tensors(indices, count)) list.push_back(index);
    at::Tensor& self = T(t);
    const at::Tensor& v = T(value);
    self.index_put_(list, v.scalar_type() == self.scalar_type() ? v : v.to(self.scalar_type()), accumulate);
  });
}
cnt_tensor cnt_nonzero(cnt_tensor t) { return cnt::tensor_result([&] { return at::nonzero(T(t)); }); }
int32_t cnt_where_cond(cnt_tensor condition, cnt_tensor* out, int32_t capacity, int32_t* count) {
  return cnt::tensors_result([&] { return at::where(T(condition)); }, out, capacity, count);
}

}  // extern "C"
