// Reductions (max/min and their indices, std/var, prod, norm, all/any, cumsum), sorting and top-k, mm/bmm.
#include "common.h"

using cnt::T;

namespace {

c10::optional<at::ScalarType> optional_dtype(int32_t code) {
  if (code < 0) return c10::nullopt;
  return cnt::dtype(code);
}

// Hands a (values, indices) pair out through two out-parameters.
void write_pair(std::tuple<at::Tensor, at::Tensor> result, cnt_tensor* first, cnt_tensor* second) {
  cnt_tensor a = cnt::wrap(std::move(std::get<0>(result)));
  try {
    *second = cnt::wrap(std::move(std::get<1>(result)));
  } catch (...) {
    delete a;
    throw;
  }
  *first = a;
}

// std/var's `correction` is c10::optional<int64_t> in libtorch 1.x and c10::optional<at::Scalar> in 2.x.
// This argument converts to either (but not to the `bool unbiased` overloads), so one call compiles on both.
struct Correction {
  int64_t value;
  operator c10::optional<int64_t>() const { return value; }
  operator c10::optional<at::Scalar>() const { return at::Scalar(value); }
};

at::OptionalIntArrayRef optional_dims(const int64_t* dims, int32_t ndims) {
  if (ndims == 0) return c10::nullopt;
  return cnt::ints(dims, ndims);
}

}  // namespace

extern "C" {

cnt_tensor cnt_max(cnt_tensor t) { return cnt::tensor_result([&] { return at::max(T(t)); }); }
cnt_tensor cnt_min(cnt_tensor t) { return cnt::tensor_result([&] { return at::min(T(t)); }); }
int32_t cnt_max_dim(cnt_tensor t, int64_t dim, bool keepdim, cnt_tensor* values, cnt_tensor* indices) {
  return cnt::status_result([&] { write_pair(at::max(T(t), dim, keepdim), values, indices); });
}
int32_t cnt_min_dim(cnt_tensor t, int64_t dim, bool keepdim, cnt_tensor* values, cnt_tensor* indices) {
  return cnt::status_result([&] { write_pair(at::min(T(t), dim, keepdim), values, indices); });
}
cnt_tensor cnt_argmax(cnt_tensor t, bool has_dim, int64_t dim, bool keepdim) {
  return cnt::tensor_result([&] { return at::argmax(T(t), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim); });
}
cnt_tensor cnt_argmin(cnt_tensor t, bool has_dim, int64_t dim, bool keepdim) {
  return cnt::tensor_result([&] { return at::argmin(T(t), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim); });
}

cnt_tensor cnt_std(cnt_tensor t, const int64_t* dims, int32_t ndims, int64_t correction, bool keepdim) {
  return cnt::tensor_result([&] { return at::std(T(t), optional_dims(dims, ndims), Correction{correction}, keepdim); });
}
cnt_tensor cnt_var(cnt_tensor t, const int64_t* dims, int32_t ndims, int64_t correction, bool keepdim) {
  return cnt::tensor_result([&] { return at::var(T(t), optional_dims(dims, ndims), Correction{correction}, keepdim); });
}

cnt_tensor cnt_prod(cnt_tensor t, int32_t dtype) {
  return cnt::tensor_result([&] { return at::prod(T(t), optional_dtype(dtype)); });
}
cnt_tensor cnt_prod_dim(cnt_tensor t, int64_t dim, bool keepdim, int32_t dtype) {
  return cnt::tensor_result([&] { return at::prod(T(t), dim, keepdim, optional_dtype(dtype)); });
}
cnt_tensor cnt_cumsum(cnt_tensor t, int64_t dim, int32_t dtype) {
  return cnt::tensor_result([&] { return at::cumsum(T(t), dim, optional_dtype(dtype)); });
}
cnt_tensor cnt_norm(cnt_tensor t, double p, const int64_t* dims, int32_t ndims, bool keepdim) {
  return cnt::tensor_result([&] {
    if (ndims == 0) return at::norm(T(t), at::Scalar(p));
    return at::norm(T(t), c10::optional<at::Scalar>(p), cnt::ints(dims, ndims), keepdim);
  });
}

cnt_tensor cnt_all(cnt_tensor t) { return cnt::tensor_result([&] { return at::all(T(t)); }); }
cnt_tensor cnt_all_dim(cnt_tensor t, int64_t dim, bool keepdim) {
  return cnt::tensor_result([&] { return at::all(T(t), dim, keepdim); });
}
cnt_tensor cnt_any(cnt_tensor t) { return cnt::tensor_result([&] { return at::any(T(t)); }); }
cnt_tensor cnt_any_dim(cnt_tensor t, int64_t dim, bool keepdim) {
  return cnt::tensor_result([&] { return at::any(T(t), dim, keepdim); });
}

int32_t cnt_topk(cnt_tensor t, int64_t k, int64_t dim, bool largest, bool sorted, cnt_tensor* values, cnt_tensor* indices) {
  return cnt::status_result([&] { write_pair(at::topk(T(t), k, dim, largest, sorted), values, indices); });
}
int32_t cnt_sort(cnt_tensor t, int64_t dim, bool descending, bool stable, cnt_tensor* values, cnt_tensor* indices) {
  return cnt::status_result([&] { write_pair(at::sort(T(t), c10::optional<bool>(stable), dim, descending), values, indices); });
}
cnt_tensor cnt_argsort(cnt_tensor t, int64_t dim, bool descending, bool stable) {
  return cnt::tensor_result([&] { return std::get<1>(at::sort(T(t), c10::optional<bool>(stable), dim, descending)); });
}

cnt_tensor cnt_mm(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::mm(T(a), T(b)); }); }
cnt_tensor cnt_bmm(cnt_tensor a, cnt_tensor b) { return cnt::tensor_result([&] { return at::bmm(T(a), T(b)); }); }

}  // extern "C"
