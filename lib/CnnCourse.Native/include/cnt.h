/*
 * cnt.h — the whole C API of the CnnCourse native shim over libtorch.
 *
 * Conventions (see lib/README.md):
 *  - cnt_tensor is an opaque handle owning one reference to a tensor. A function that returns a
 *    tensor returns a new handle the caller owns (free it with cnt_tensor_free); tensor arguments
 *    are borrowed. An optional tensor argument may be NULL.
 *  - A function returning cnt_tensor returns NULL exactly when it failed. Results that may
 *    legitimately be absent (a tensor's grad) come through an out-parameter instead, so "error"
 *    and "no tensor" never share NULL.
 *  - Other functions return int32_t status: CNT_OK (0) or CNT_FAILED (-1).
 *  - After a failure, cnt_last_error() gives this thread's message and cnt_last_error_kind() its
 *    category. No C++ exception ever crosses this boundary.
 *  - dtypes are c10::ScalarType codes, devices are (c10::DeviceType, index) pairs.
 *  - Names: cnt_<area>_<op>; a trailing underscore marks an in-place op, as in PyTorch.
 */
#ifndef CNT_H
#define CNT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CNT_BUILDING)
#define CNT_API __attribute__((visibility("default")))
#else
#define CNT_API
#endif

typedef struct cnt_tensor_opaque* cnt_tensor;

enum { CNT_OK = 0, CNT_FAILED = -1 };

enum cnt_error_kind {
  CNT_ERROR_NONE = 0,
  CNT_ERROR_RUNTIME = 1,
  CNT_ERROR_INDEX = 2,
  CNT_ERROR_VALUE = 3,
  CNT_ERROR_TYPE = 4,
  CNT_ERROR_NOT_IMPLEMENTED = 5,
  CNT_ERROR_OUT_OF_MEMORY = 6,
};

/* A scalar argument: PyTorch keeps integer and floating scalars apart for type promotion. */
enum cnt_scalar_kind { CNT_SCALAR_DOUBLE = 0, CNT_SCALAR_INT = 1, CNT_SCALAR_BOOL = 2 };
typedef struct cnt_scalar {
  double d;
  int64_t i;
  int32_t kind;
} cnt_scalar;

/* ---- runtime.cpp: errors, threads, seeds, grad mode, autocast, build information ---------- */
CNT_API const char* cnt_last_error(void);
CNT_API int32_t cnt_last_error_kind(void);
CNT_API void cnt_clear_error(void);

CNT_API int32_t cnt_get_num_threads(void);
CNT_API int32_t cnt_set_num_threads(int32_t count);
CNT_API int32_t cnt_get_num_interop_threads(void);
/* glibc only: serve allocations below mmap_threshold from the heap and keep up to trim_threshold
   bytes of freed memory in the process (mallopt). False where not applied (another C library, or
   a value glibc refuses). */
CNT_API bool cnt_malloc_retain_freed_memory(int64_t mmap_threshold, int64_t trim_threshold);
CNT_API int32_t cnt_manual_seed(int64_t seed);
/* The CPU generator's full state as a uint8 tensor, and back (for checkpoints). */
CNT_API cnt_tensor cnt_get_rng_state(void);
CNT_API int32_t cnt_set_rng_state(cnt_tensor state);

CNT_API bool cnt_is_grad_enabled(void);
CNT_API void cnt_set_grad_enabled(bool enabled);

/* Autocast per device type (CPU: bfloat16; CUDA: float16 or bfloat16). */
CNT_API bool cnt_autocast_is_enabled(int32_t device_type);
CNT_API int32_t cnt_autocast_set_enabled(int32_t device_type, bool enabled);
CNT_API int32_t cnt_autocast_get_dtype(int32_t device_type);
CNT_API int32_t cnt_autocast_set_dtype(int32_t device_type, int32_t dtype);
CNT_API int32_t cnt_autocast_increment_nesting(void);
CNT_API int32_t cnt_autocast_decrement_nesting(void);
CNT_API void cnt_autocast_clear_cache(void);

CNT_API bool cnt_cuda_is_available(void);
CNT_API int32_t cnt_cuda_device_count(void);
CNT_API bool cnt_cudnn_is_available(void);
CNT_API int32_t cnt_cuda_synchronize(int32_t device_index);

/* Writes a NUL-terminated text into buf (truncated to capacity); returns the full length. */
CNT_API int32_t cnt_version(char* buf, int32_t capacity);       /* libtorch version, e.g. "1.13.1" */
CNT_API int32_t cnt_build_config(char* buf, int32_t capacity);  /* at::show_config() */
CNT_API int32_t cnt_parallel_info(char* buf, int32_t capacity); /* at::get_parallel_info() */
CNT_API int32_t cnt_shim_build_info(char* buf, int32_t capacity);
CNT_API bool cnt_has_mkldnn(void);
CNT_API bool cnt_has_cuda_build(void);

/* ---- tensor.cpp: handles, properties and raw data ------------------------------------------ */
CNT_API void cnt_tensor_free(cnt_tensor t);
CNT_API cnt_tensor cnt_tensor_alias(cnt_tensor t); /* a second handle to the same tensor */
CNT_API int32_t cnt_tensor_dim(cnt_tensor t);
/* Writes up to `capacity` sizes / strides; returns the dimension count, or -1 on error. */
CNT_API int32_t cnt_tensor_sizes(cnt_tensor t, int64_t* out, int32_t capacity);
CNT_API int32_t cnt_tensor_strides(cnt_tensor t, int64_t* out, int32_t capacity);
CNT_API int64_t cnt_tensor_numel(cnt_tensor t);
CNT_API int64_t cnt_tensor_nbytes(cnt_tensor t); /* numel * element size */
CNT_API int64_t cnt_tensor_storage_offset(cnt_tensor t);
CNT_API int32_t cnt_tensor_dtype(cnt_tensor t);
CNT_API int32_t cnt_tensor_device_type(cnt_tensor t);
CNT_API int32_t cnt_tensor_device_index(cnt_tensor t);
/* memory_format: 0 contiguous, 1 channels_last (NHWC), 2 preserve */
CNT_API bool cnt_tensor_is_contiguous(cnt_tensor t, int32_t memory_format);
CNT_API bool cnt_tensor_is_leaf(cnt_tensor t);
CNT_API bool cnt_tensor_requires_grad(cnt_tensor t);
CNT_API int32_t cnt_tensor_set_requires_grad(cnt_tensor t, bool requires_grad);
/* Copies the tensor's values, in row-major order, to `dst` (nbytes must equal cnt_tensor_nbytes). */
CNT_API int32_t cnt_tensor_copy_to(cnt_tensor t, void* dst, int64_t nbytes);
/* Overwrites the tensor's values from `src` (row-major, the tensor's dtype). */
CNT_API int32_t cnt_tensor_copy_from(cnt_tensor t, const void* src, int64_t nbytes);
CNT_API int32_t cnt_tensor_item(cnt_tensor t, cnt_scalar* out);

/* ---- creation.cpp ---------------------------------------------------------------------------- */
/* Common trailing arguments: dtype, device_type, device_index, requires_grad. */
#define CNT_OPTIONS int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad
CNT_API cnt_tensor cnt_from_data(const void* data, const int64_t* shape, int32_t ndim, CNT_OPTIONS);
CNT_API cnt_tensor cnt_empty(const int64_t* shape, int32_t ndim, CNT_OPTIONS);
CNT_API cnt_tensor cnt_zeros(const int64_t* shape, int32_t ndim, CNT_OPTIONS);
CNT_API cnt_tensor cnt_ones(const int64_t* shape, int32_t ndim, CNT_OPTIONS);
CNT_API cnt_tensor cnt_full(const int64_t* shape, int32_t ndim, cnt_scalar value, CNT_OPTIONS);
CNT_API cnt_tensor cnt_rand(const int64_t* shape, int32_t ndim, CNT_OPTIONS);
CNT_API cnt_tensor cnt_randn(const int64_t* shape, int32_t ndim, CNT_OPTIONS);
CNT_API cnt_tensor cnt_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim, CNT_OPTIONS);
CNT_API cnt_tensor cnt_randperm(int64_t n, CNT_OPTIONS);
CNT_API cnt_tensor cnt_arange(cnt_scalar start, cnt_scalar end, cnt_scalar step, CNT_OPTIONS);
CNT_API cnt_tensor cnt_linspace(double start, double end, int64_t steps, CNT_OPTIONS);
CNT_API cnt_tensor cnt_eye(int64_t n, int64_t m, CNT_OPTIONS);
CNT_API cnt_tensor cnt_zeros_like(cnt_tensor t);
CNT_API cnt_tensor cnt_ones_like(cnt_tensor t);
CNT_API cnt_tensor cnt_empty_like(cnt_tensor t);
CNT_API cnt_tensor cnt_full_like(cnt_tensor t, cnt_scalar value);
CNT_API cnt_tensor cnt_rand_like(cnt_tensor t);
CNT_API cnt_tensor cnt_randn_like(cnt_tensor t);

/* ---- conversion.cpp: dtype, device, layout ---------------------------------------------------- */
CNT_API cnt_tensor cnt_to(cnt_tensor t, int32_t dtype, int32_t device_type, int32_t device_index, bool non_blocking, bool copy);
CNT_API cnt_tensor cnt_contiguous(cnt_tensor t, int32_t memory_format);
CNT_API cnt_tensor cnt_clone(cnt_tensor t);
CNT_API cnt_tensor cnt_detach(cnt_tensor t);
CNT_API int32_t cnt_detach_(cnt_tensor t);
CNT_API int32_t cnt_copy_(cnt_tensor dst, cnt_tensor src);

/* ---- autograd.cpp ---------------------------------------------------------------------------- */
/* grad may be NULL (scalar outputs). retain_graph < 0 means "default" (= create_graph). */
CNT_API int32_t cnt_backward(cnt_tensor t, cnt_tensor grad, int32_t retain_graph, bool create_graph);
/* *out receives the gradient, or NULL when there is none. */
CNT_API int32_t cnt_tensor_grad(cnt_tensor t, cnt_tensor* out);
CNT_API int32_t cnt_tensor_set_grad(cnt_tensor t, cnt_tensor grad); /* grad may be NULL */
/* torch.autograd.grad: writes one new handle (or NULL for unused inputs with allow_unused) per input. */
CNT_API int32_t cnt_autograd_grad(const cnt_tensor* outputs, int32_t n_outputs, const cnt_tensor* inputs,
                                  int32_t n_inputs, const cnt_tensor* grad_outputs, int32_t retain_graph,
                                  bool create_graph, bool allow_unused, cnt_tensor* out);

/* ---- math.cpp: element-wise, reductions, linear algebra, comparisons ------------------------- */
/* Binary ops take (a, b); *_scalar variants take a scalar second operand. */
CNT_API cnt_tensor cnt_add(cnt_tensor a, cnt_tensor b, cnt_scalar alpha);
CNT_API cnt_tensor cnt_add_scalar(cnt_tensor a, cnt_scalar b, cnt_scalar alpha);
CNT_API int32_t cnt_add_(cnt_tensor a, cnt_tensor b, cnt_scalar alpha);
CNT_API int32_t cnt_add_scalar_(cnt_tensor a, cnt_scalar b, cnt_scalar alpha);
CNT_API cnt_tensor cnt_sub(cnt_tensor a, cnt_tensor b, cnt_scalar alpha);
CNT_API cnt_tensor cnt_sub_scalar(cnt_tensor a, cnt_scalar b, cnt_scalar alpha);
CNT_API cnt_tensor cnt_rsub_scalar(cnt_tensor a, cnt_scalar b); /* b - a */
CNT_API int32_t cnt_sub_(cnt_tensor a, cnt_tensor b, cnt_scalar alpha);
CNT_API cnt_tensor cnt_mul(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_mul_scalar(cnt_tensor a, cnt_scalar b);
CNT_API int32_t cnt_mul_(cnt_tensor a, cnt_tensor b);
CNT_API int32_t cnt_mul_scalar_(cnt_tensor a, cnt_scalar b);
CNT_API cnt_tensor cnt_div(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_div_scalar(cnt_tensor a, cnt_scalar b);
CNT_API cnt_tensor cnt_rdiv_scalar(cnt_tensor a, cnt_scalar b); /* b / a */
CNT_API int32_t cnt_div_(cnt_tensor a, cnt_tensor b);
CNT_API int32_t cnt_div_scalar_(cnt_tensor a, cnt_scalar b);
CNT_API cnt_tensor cnt_neg(cnt_tensor a);
CNT_API cnt_tensor cnt_matmul(cnt_tensor a, cnt_tensor b);

/* Reductions over `dims` (ndims == 0: all dims). dtype < 0: keep the input's. */
CNT_API cnt_tensor cnt_sum(cnt_tensor t, const int64_t* dims, int32_t ndims, bool keepdim, int32_t dtype);
CNT_API cnt_tensor cnt_mean(cnt_tensor t, const int64_t* dims, int32_t ndims, bool keepdim, int32_t dtype);

/* ---- shape.cpp: views, reshaping, joining and splitting, padding --------------------------- */
/* Views and reshaping; sizes may hold one -1 (inferred) where PyTorch allows it. */
CNT_API cnt_tensor cnt_view(cnt_tensor t, const int64_t* shape, int32_t ndim);
CNT_API cnt_tensor cnt_reshape(cnt_tensor t, const int64_t* shape, int32_t ndim);
CNT_API cnt_tensor cnt_permute(cnt_tensor t, const int64_t* dims, int32_t ndim);
CNT_API cnt_tensor cnt_flip(cnt_tensor t, const int64_t* dims, int32_t ndim);
CNT_API cnt_tensor cnt_transpose(cnt_tensor t, int64_t dim0, int64_t dim1);
CNT_API cnt_tensor cnt_t(cnt_tensor t);
CNT_API cnt_tensor cnt_flatten(cnt_tensor t, int64_t start_dim, int64_t end_dim);
CNT_API cnt_tensor cnt_unflatten(cnt_tensor t, int64_t dim, const int64_t* sizes, int32_t nsizes);
CNT_API cnt_tensor cnt_squeeze(cnt_tensor t);
CNT_API cnt_tensor cnt_squeeze_dim(cnt_tensor t, int64_t dim);
CNT_API cnt_tensor cnt_unsqueeze(cnt_tensor t, int64_t dim);
CNT_API cnt_tensor cnt_expand(cnt_tensor t, const int64_t* sizes, int32_t ndim);
CNT_API cnt_tensor cnt_repeat(cnt_tensor t, const int64_t* repeats, int32_t ndim);
/* Joining: `tensors` is an array of `count` handles. */
CNT_API cnt_tensor cnt_cat(const cnt_tensor* tensors, int32_t count, int64_t dim);
CNT_API cnt_tensor cnt_stack(const cnt_tensor* tensors, int32_t count, int64_t dim);
/* Splitting: writes up to `capacity` new handles to `out` and their number to `count`; a result with
 * more pieces than `capacity` fails (nothing leaks). */
CNT_API int32_t cnt_split(cnt_tensor t, int64_t split_size, int64_t dim, cnt_tensor* out, int32_t capacity, int32_t* count);
CNT_API int32_t cnt_split_with_sizes(cnt_tensor t, const int64_t* sizes, int32_t nsizes, int64_t dim, cnt_tensor* out,
                                     int32_t capacity, int32_t* count);
CNT_API int32_t cnt_chunk(cnt_tensor t, int64_t chunks, int64_t dim, cnt_tensor* out, int32_t capacity, int32_t* count);
CNT_API int32_t cnt_unbind(cnt_tensor t, int64_t dim, cnt_tensor* out, int32_t capacity, int32_t* count);
/* torch.nn.functional.pad. pad: (left, right[, top, bottom[, front, back]]) from the last dim backwards.
 * mode: "constant" (filled with value), "reflect", "replicate" or "circular". */
CNT_API cnt_tensor cnt_pad(cnt_tensor t, const int64_t* pad, int32_t npad, const char* mode, double value);
/* x.to(memory_format=...): same dtype and device, the given layout (0 contiguous, 1 channels_last, 2 preserve). */
CNT_API cnt_tensor cnt_to_memory_format(cnt_tensor t, int32_t memory_format);
/* (end of section) */

/* ---- index.cpp: indexing, slicing, selection, masking, gathering --------------------------- */
/* Python-style indexing x[i0, i1, ...]: entry i is described by kinds[i] and
 *   CNT_INDEX_NONE      a new axis of size 1 (None)
 *   CNT_INDEX_ELLIPSIS  ...
 *   CNT_INDEX_INTEGER   starts[i]
 *   CNT_INDEX_BOOLEAN   starts[i] != 0
 *   CNT_INDEX_SLICE     starts[i]:stops[i]:steps[i], each CNT_INDEX_ABSENT when omitted
 *   CNT_INDEX_TENSOR    tensors[i] (int64 indices, or a bool/uint8 mask)
 * `tensors` may be NULL when no entry is a tensor. */
enum cnt_index_kind {
  CNT_INDEX_NONE = 0,
  CNT_INDEX_ELLIPSIS = 1,
  CNT_INDEX_INTEGER = 2,
  CNT_INDEX_BOOLEAN = 3,
  CNT_INDEX_SLICE = 4,
  CNT_INDEX_TENSOR = 5,
};
#define CNT_INDEX_ABSENT INT64_MIN
CNT_API cnt_tensor cnt_index(cnt_tensor t, const int32_t* kinds, const int64_t* starts, const int64_t* stops,
                             const int64_t* steps, const cnt_tensor* tensors, int32_t count);
/* x[...] = value, in place; value is converted to x's dtype and broadcast. */
CNT_API int32_t cnt_index_put_(cnt_tensor t, const int32_t* kinds, const int64_t* starts, const int64_t* stops,
                               const int64_t* steps, const cnt_tensor* tensors, int32_t count, cnt_tensor value);
CNT_API int32_t cnt_index_put_scalar_(cnt_tensor t, const int32_t* kinds, const int64_t* starts, const int64_t* stops,
                                      const int64_t* steps, const cnt_tensor* tensors, int32_t count, cnt_scalar value);
/* torch.index_put_ with a list of index tensors (accumulate adds instead of overwriting). */
CNT_API int32_t cnt_index_put_tensors_(cnt_tensor t, const cnt_tensor* indices, int32_t count, cnt_tensor value, bool accumulate);
CNT_API cnt_tensor cnt_select(cnt_tensor t, int64_t dim, int64_t index);
CNT_API cnt_tensor cnt_narrow(cnt_tensor t, int64_t dim, int64_t start, int64_t length);
/* start/end may be CNT_INDEX_ABSENT (from the beginning / to the end). */
CNT_API cnt_tensor cnt_slice(cnt_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step);
CNT_API cnt_tensor cnt_index_select(cnt_tensor t, int64_t dim, cnt_tensor index);
CNT_API cnt_tensor cnt_masked_select(cnt_tensor t, cnt_tensor mask);
CNT_API cnt_tensor cnt_masked_fill(cnt_tensor t, cnt_tensor mask, cnt_scalar value);
CNT_API cnt_tensor cnt_masked_fill_tensor(cnt_tensor t, cnt_tensor mask, cnt_tensor value);
CNT_API int32_t cnt_masked_fill_(cnt_tensor t, cnt_tensor mask, cnt_scalar value);
CNT_API int32_t cnt_masked_fill_tensor_(cnt_tensor t, cnt_tensor mask, cnt_tensor value);
CNT_API cnt_tensor cnt_gather(cnt_tensor t, int64_t dim, cnt_tensor index);
CNT_API cnt_tensor cnt_scatter(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_tensor src);
CNT_API cnt_tensor cnt_scatter_scalar(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_scalar value);
CNT_API int32_t cnt_scatter_(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_tensor src);
CNT_API int32_t cnt_scatter_scalar_(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_scalar value);
CNT_API cnt_tensor cnt_scatter_add(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_tensor src);
CNT_API int32_t cnt_scatter_add_(cnt_tensor t, int64_t dim, cnt_tensor index, cnt_tensor src);
/* (ndim x count) int64 coordinates of the non-zero elements. */
CNT_API cnt_tensor cnt_nonzero(cnt_tensor t);
/* torch.where(condition): one index tensor per dimension (written as cnt_split writes its pieces). */
CNT_API int32_t cnt_where_cond(cnt_tensor condition, cnt_tensor* out, int32_t capacity, int32_t* count);
/* (end of section) */

/* ---- pointwise.cpp: unary and binary element-wise math, comparisons, logical ops, clamp, where --- */
/* Unary element-wise functions, each with an in-place form cnt_<op>_ returning a status. */
CNT_API cnt_tensor cnt_exp(cnt_tensor t);        CNT_API int32_t cnt_exp_(cnt_tensor t);
CNT_API cnt_tensor cnt_expm1(cnt_tensor t);      CNT_API int32_t cnt_expm1_(cnt_tensor t);
CNT_API cnt_tensor cnt_log(cnt_tensor t);        CNT_API int32_t cnt_log_(cnt_tensor t);
CNT_API cnt_tensor cnt_log2(cnt_tensor t);       CNT_API int32_t cnt_log2_(cnt_tensor t);
CNT_API cnt_tensor cnt_log10(cnt_tensor t);      CNT_API int32_t cnt_log10_(cnt_tensor t);
CNT_API cnt_tensor cnt_log1p(cnt_tensor t);      CNT_API int32_t cnt_log1p_(cnt_tensor t);
CNT_API cnt_tensor cnt_sqrt(cnt_tensor t);       CNT_API int32_t cnt_sqrt_(cnt_tensor t);
CNT_API cnt_tensor cnt_rsqrt(cnt_tensor t);      CNT_API int32_t cnt_rsqrt_(cnt_tensor t);
CNT_API cnt_tensor cnt_abs(cnt_tensor t);        CNT_API int32_t cnt_abs_(cnt_tensor t);
CNT_API cnt_tensor cnt_sign(cnt_tensor t);       CNT_API int32_t cnt_sign_(cnt_tensor t);
CNT_API cnt_tensor cnt_square(cnt_tensor t);     CNT_API int32_t cnt_square_(cnt_tensor t);
CNT_API cnt_tensor cnt_reciprocal(cnt_tensor t); CNT_API int32_t cnt_reciprocal_(cnt_tensor t);
CNT_API cnt_tensor cnt_sin(cnt_tensor t);        CNT_API int32_t cnt_sin_(cnt_tensor t);
CNT_API cnt_tensor cnt_cos(cnt_tensor t);        CNT_API int32_t cnt_cos_(cnt_tensor t);
CNT_API cnt_tensor cnt_tan(cnt_tensor t);        CNT_API int32_t cnt_tan_(cnt_tensor t);
CNT_API cnt_tensor cnt_tanh(cnt_tensor t);       CNT_API int32_t cnt_tanh_(cnt_tensor t);
CNT_API cnt_tensor cnt_sigmoid(cnt_tensor t);    CNT_API int32_t cnt_sigmoid_(cnt_tensor t);
CNT_API cnt_tensor cnt_floor(cnt_tensor t);      CNT_API int32_t cnt_floor_(cnt_tensor t);
CNT_API cnt_tensor cnt_ceil(cnt_tensor t);       CNT_API int32_t cnt_ceil_(cnt_tensor t);
CNT_API cnt_tensor cnt_round(cnt_tensor t);      CNT_API int32_t cnt_round_(cnt_tensor t);
CNT_API cnt_tensor cnt_trunc(cnt_tensor t);      CNT_API int32_t cnt_trunc_(cnt_tensor t);
CNT_API cnt_tensor cnt_round_decimals(cnt_tensor t, int64_t decimals);
CNT_API cnt_tensor cnt_pow(cnt_tensor a, cnt_tensor exponent);
CNT_API cnt_tensor cnt_pow_scalar(cnt_tensor a, cnt_scalar exponent);
CNT_API cnt_tensor cnt_pow_scalar_base(cnt_scalar base, cnt_tensor exponent);
CNT_API int32_t cnt_pow_(cnt_tensor a, cnt_tensor exponent);
CNT_API int32_t cnt_pow_scalar_(cnt_tensor a, cnt_scalar exponent);
/* Comparisons give bool tensors. */
CNT_API cnt_tensor cnt_eq(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_eq_scalar(cnt_tensor a, cnt_scalar b);
CNT_API cnt_tensor cnt_ne(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_ne_scalar(cnt_tensor a, cnt_scalar b);
CNT_API cnt_tensor cnt_lt(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_lt_scalar(cnt_tensor a, cnt_scalar b);
CNT_API cnt_tensor cnt_le(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_le_scalar(cnt_tensor a, cnt_scalar b);
CNT_API cnt_tensor cnt_gt(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_gt_scalar(cnt_tensor a, cnt_scalar b);
CNT_API cnt_tensor cnt_ge(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_ge_scalar(cnt_tensor a, cnt_scalar b);
CNT_API cnt_tensor cnt_logical_and(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_logical_or(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_logical_xor(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_logical_not(cnt_tensor a);
CNT_API cnt_tensor cnt_isnan(cnt_tensor a);
CNT_API cnt_tensor cnt_isfinite(cnt_tensor a);
CNT_API cnt_tensor cnt_isinf(cnt_tensor a);
CNT_API cnt_tensor cnt_maximum(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_minimum(cnt_tensor a, cnt_tensor b);
/* clamp with optional scalar bounds (has_min/has_max say which are given) or optional tensor bounds (NULL: none). */
CNT_API cnt_tensor cnt_clamp(cnt_tensor t, bool has_min, cnt_scalar min, bool has_max, cnt_scalar max);
CNT_API int32_t cnt_clamp_(cnt_tensor t, bool has_min, cnt_scalar min, bool has_max, cnt_scalar max);
CNT_API cnt_tensor cnt_clamp_tensor(cnt_tensor t, cnt_tensor min, cnt_tensor max);
CNT_API int32_t cnt_clamp_tensor_(cnt_tensor t, cnt_tensor min, cnt_tensor max);
/* torch.where(condition, a, b), with either side a tensor or a scalar. */
CNT_API cnt_tensor cnt_where(cnt_tensor condition, cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_where_scalar_other(cnt_tensor condition, cnt_tensor a, cnt_scalar b);
CNT_API cnt_tensor cnt_where_scalar_self(cnt_tensor condition, cnt_scalar a, cnt_tensor b);
CNT_API cnt_tensor cnt_where_scalars(cnt_tensor condition, cnt_scalar a, cnt_scalar b);
/* t + value * t1 * t2 and t + value * t1 / t2; t + weight * (end - t). */
CNT_API cnt_tensor cnt_addcmul(cnt_tensor t, cnt_tensor t1, cnt_tensor t2, cnt_scalar value);
CNT_API int32_t cnt_addcmul_(cnt_tensor t, cnt_tensor t1, cnt_tensor t2, cnt_scalar value);
CNT_API cnt_tensor cnt_addcdiv(cnt_tensor t, cnt_tensor t1, cnt_tensor t2, cnt_scalar value);
CNT_API int32_t cnt_addcdiv_(cnt_tensor t, cnt_tensor t1, cnt_tensor t2, cnt_scalar value);
CNT_API cnt_tensor cnt_lerp(cnt_tensor t, cnt_tensor end, cnt_scalar weight);
CNT_API cnt_tensor cnt_lerp_tensor(cnt_tensor t, cnt_tensor end, cnt_tensor weight);
CNT_API int32_t cnt_lerp_(cnt_tensor t, cnt_tensor end, cnt_scalar weight);
CNT_API int32_t cnt_lerp_tensor_(cnt_tensor t, cnt_tensor end, cnt_tensor weight);
/* Whole-tensor tests write their answer to *out. */
CNT_API int32_t cnt_allclose(cnt_tensor a, cnt_tensor b, double rtol, double atol, bool equal_nan, bool* out);
CNT_API cnt_tensor cnt_isclose(cnt_tensor a, cnt_tensor b, double rtol, double atol, bool equal_nan);
CNT_API int32_t cnt_equal(cnt_tensor a, cnt_tensor b, bool* out);
/* (end of section) */

/* ---- reduction.cpp: max/min/argmax/argmin, std/var, topk, sort, all/any, prod; linear algebra (mm, bmm) --- */
/* Reductions over all elements, or along dims. dtype < 0: keep the input's. (values, indices) pairs come
 * through two out-parameters. */
CNT_API cnt_tensor cnt_max(cnt_tensor t);
CNT_API cnt_tensor cnt_min(cnt_tensor t);
CNT_API int32_t cnt_max_dim(cnt_tensor t, int64_t dim, bool keepdim, cnt_tensor* values, cnt_tensor* indices);
CNT_API int32_t cnt_min_dim(cnt_tensor t, int64_t dim, bool keepdim, cnt_tensor* values, cnt_tensor* indices);
/* has_dim false: the index into the flattened tensor. */
CNT_API cnt_tensor cnt_argmax(cnt_tensor t, bool has_dim, int64_t dim, bool keepdim);
CNT_API cnt_tensor cnt_argmin(cnt_tensor t, bool has_dim, int64_t dim, bool keepdim);
/* Divides by N - correction (1: unbiased, 0: biased); ndims == 0: over all elements. */
CNT_API cnt_tensor cnt_std(cnt_tensor t, const int64_t* dims, int32_t ndims, int64_t correction, bool keepdim);
CNT_API cnt_tensor cnt_var(cnt_tensor t, const int64_t* dims, int32_t ndims, int64_t correction, bool keepdim);
CNT_API cnt_tensor cnt_prod(cnt_tensor t, int32_t dtype);
CNT_API cnt_tensor cnt_prod_dim(cnt_tensor t, int64_t dim, bool keepdim, int32_t dtype);
CNT_API cnt_tensor cnt_cumsum(cnt_tensor t, int64_t dim, int32_t dtype);
/* The p-norm over all elements (ndims == 0) or over dims. */
CNT_API cnt_tensor cnt_norm(cnt_tensor t, double p, const int64_t* dims, int32_t ndims, bool keepdim);
CNT_API cnt_tensor cnt_all(cnt_tensor t);
CNT_API cnt_tensor cnt_all_dim(cnt_tensor t, int64_t dim, bool keepdim);
CNT_API cnt_tensor cnt_any(cnt_tensor t);
CNT_API cnt_tensor cnt_any_dim(cnt_tensor t, int64_t dim, bool keepdim);
CNT_API int32_t cnt_topk(cnt_tensor t, int64_t k, int64_t dim, bool largest, bool sorted, cnt_tensor* values, cnt_tensor* indices);
CNT_API int32_t cnt_sort(cnt_tensor t, int64_t dim, bool descending, bool stable, cnt_tensor* values, cnt_tensor* indices);
CNT_API cnt_tensor cnt_argsort(cnt_tensor t, int64_t dim, bool descending, bool stable);
CNT_API cnt_tensor cnt_mm(cnt_tensor a, cnt_tensor b);
CNT_API cnt_tensor cnt_bmm(cnt_tensor a, cnt_tensor b);
/* (end of section) */

/* ---- nn.cpp: nn.functional (convolution, pooling, normalization, activations, dropout, linear, interpolate) --- */
/* 2-D sizes (kernel, stride, padding, dilation, output size) are arrays of exactly two: {height, width}.
 * Optional tensors (bias, weight, running statistics) may be NULL. */
CNT_API cnt_tensor cnt_nn_conv2d(cnt_tensor input, cnt_tensor weight, cnt_tensor bias, const int64_t* stride,
                                 const int64_t* padding, const int64_t* dilation, int64_t groups);
/* padding: "same" or "valid" */
CNT_API cnt_tensor cnt_nn_conv2d_padding_mode(cnt_tensor input, cnt_tensor weight, cnt_tensor bias, const int64_t* stride,
                                              const char* padding, const int64_t* dilation, int64_t groups);
CNT_API cnt_tensor cnt_nn_conv_transpose2d(cnt_tensor input, cnt_tensor weight, cnt_tensor bias, const int64_t* stride,
                                           const int64_t* padding, const int64_t* output_padding, int64_t groups,
                                           const int64_t* dilation);
CNT_API cnt_tensor cnt_nn_max_pool2d(cnt_tensor input, const int64_t* kernel_size, const int64_t* stride,
                                     const int64_t* padding, const int64_t* dilation, bool ceil_mode);
/* Writes two new handles: the pooled values and the flat (h * W + w) indices of the maxima. */
CNT_API int32_t cnt_nn_max_pool2d_with_indices(cnt_tensor input, const int64_t* kernel_size, const int64_t* stride,
                                               const int64_t* padding, const int64_t* dilation, bool ceil_mode,
                                               cnt_tensor* output, cnt_tensor* indices);
/* divisor_override <= 0: none */
CNT_API cnt_tensor cnt_nn_avg_pool2d(cnt_tensor input, const int64_t* kernel_size, const int64_t* stride,
                                     const int64_t* padding, bool ceil_mode, bool count_include_pad,
                                     int64_t divisor_override);
CNT_API cnt_tensor cnt_nn_adaptive_avg_pool2d(cnt_tensor input, const int64_t* output_size);
CNT_API int32_t cnt_nn_adaptive_max_pool2d(cnt_tensor input, const int64_t* output_size, cnt_tensor* output,
                                           cnt_tensor* indices);
/* training: batch statistics, and running_mean/running_var (if given) updated in place with momentum. */
CNT_API cnt_tensor cnt_nn_batch_norm(cnt_tensor input, cnt_tensor running_mean, cnt_tensor running_var, cnt_tensor weight,
                                     cnt_tensor bias, bool training, double momentum, double eps);
CNT_API cnt_tensor cnt_nn_layer_norm(cnt_tensor input, const int64_t* normalized_shape, int32_t ndim, cnt_tensor weight,
                                     cnt_tensor bias, double eps);
CNT_API cnt_tensor cnt_nn_local_response_norm(cnt_tensor input, int64_t size, double alpha, double beta, double k);
CNT_API cnt_tensor cnt_nn_dropout(cnt_tensor input, double p, bool training);
CNT_API int32_t cnt_nn_dropout_(cnt_tensor input, double p, bool training);
/* Zeroes whole channels (Dropout2d). */
CNT_API cnt_tensor cnt_nn_feature_dropout(cnt_tensor input, double p, bool training);
CNT_API int32_t cnt_nn_feature_dropout_(cnt_tensor input, double p, bool training);
CNT_API cnt_tensor cnt_nn_linear(cnt_tensor input, cnt_tensor weight, cnt_tensor bias);
CNT_API cnt_tensor cnt_nn_relu(cnt_tensor input);
CNT_API int32_t cnt_nn_relu_(cnt_tensor input);
CNT_API cnt_tensor cnt_nn_relu6(cnt_tensor input);
CNT_API int32_t cnt_nn_relu6_(cnt_tensor input);
CNT_API cnt_tensor cnt_nn_leaky_relu(cnt_tensor input, double negative_slope);
CNT_API int32_t cnt_nn_leaky_relu_(cnt_tensor input, double negative_slope);
/* approximate: "none" or "tanh" */
CNT_API cnt_tensor cnt_nn_gelu(cnt_tensor input, const char* approximate);
CNT_API cnt_tensor cnt_nn_silu(cnt_tensor input);
CNT_API int32_t cnt_nn_silu_(cnt_tensor input);
CNT_API cnt_tensor cnt_nn_hardswish(cnt_tensor input);
CNT_API int32_t cnt_nn_hardswish_(cnt_tensor input);
CNT_API cnt_tensor cnt_nn_hardsigmoid(cnt_tensor input);
CNT_API int32_t cnt_nn_hardsigmoid_(cnt_tensor input);
CNT_API cnt_tensor cnt_nn_sigmoid(cnt_tensor input);
CNT_API cnt_tensor cnt_nn_tanh(cnt_tensor input);
/* dtype < 0: keep the input's */
CNT_API cnt_tensor cnt_nn_softmax(cnt_tensor input, int64_t dim, int32_t dtype);
CNT_API cnt_tensor cnt_nn_log_softmax(cnt_tensor input, int64_t dim, int32_t dtype);
/* mode: 0 nearest, 1 bilinear. Exactly one of size ({h, w}) and scale_factor ({h, w}) is non-NULL.
 * align_corners: -1 unset, 0 false, 1 true (bilinear only). */
CNT_API cnt_tensor cnt_nn_interpolate(cnt_tensor input, const int64_t* size, const double* scale_factor, int32_t mode,
                                      int32_t align_corners);
/* nn.Flatten's reshape: dims start_dim..end_dim merged into one (negative dims count from the end). */
CNT_API cnt_tensor cnt_nn_flatten(cnt_tensor input, int64_t start_dim, int64_t end_dim);
/* (end of section) */

/* ---- loss.cpp: losses (cross_entropy, nll_loss, mse_loss) and one_hot ---------------------- */
/* reduction: 0 none, 1 mean, 2 sum (at::Reduction). weight (per-class) may be NULL. */
CNT_API cnt_tensor cnt_nn_cross_entropy(cnt_tensor input, cnt_tensor target, cnt_tensor weight, int32_t reduction,
                                        int64_t ignore_index, double label_smoothing);
CNT_API cnt_tensor cnt_nn_nll_loss(cnt_tensor input, cnt_tensor target, cnt_tensor weight, int32_t reduction,
                                   int64_t ignore_index);
CNT_API cnt_tensor cnt_nn_mse_loss(cnt_tensor input, cnt_tensor target, int32_t reduction);
/* num_classes < 0: one more than the largest class in the input */
CNT_API cnt_tensor cnt_nn_one_hot(cnt_tensor input, int64_t num_classes);
/* (end of section) */

/* ---- init.cpp: in-place initialisation (uniform_, normal_, trunc_normal_, fill_, zero_) ---- */
/* In-place random fills draw from libtorch's default generator (seeded by cnt_manual_seed), with the
 * same ATen calls as PyTorch's Tensor methods and torch.nn.init, so seeded values match Python's. */
CNT_API int32_t cnt_uniform_(cnt_tensor t, double from, double to);
CNT_API int32_t cnt_normal_(cnt_tensor t, double mean, double std);
/* torch.nn.init.trunc_normal_: uniform_ in the CDF range, erfinv_, scale, shift, clamp to [a, b]. */
CNT_API int32_t cnt_trunc_normal_(cnt_tensor t, double mean, double std, double a, double b);
CNT_API int32_t cnt_fill_(cnt_tensor t, cnt_scalar value);
CNT_API int32_t cnt_zero_(cnt_tensor t);
/* PyTorch's `t.data = data`: t keeps its identity (and autograd leaf-ness) but now holds data's
 * storage, shape, dtype and device. Used by Module.to(...) so optimizers holding t stay valid. */
CNT_API int32_t cnt_tensor_set_data(cnt_tensor t, cnt_tensor data);
/* (end of section) */

/* ---- optim.cpp: fused optimizer steps (SGD, Adam/AdamW, RMSprop) over lists of parameters --- */
/* Each step updates n parameters in place under no_grad, following PyTorch 1.13's
 * `_single_tensor_*` formulas exactly; a parameter without a gradient is skipped. State arrays hold
 * one tensor per parameter (allocated by the caller, zeros of the parameter's shape; `steps` are
 * 0-dim counters); an array that the settings do not use may be NULL. */
/* out[i] = whether params[i] has a gradient. */
CNT_API int32_t cnt_optim_has_grad(const cnt_tensor* params, int32_t n, bool* out);
/* Drops every gradient (set_to_none) or detaches and zeroes it in place. */
CNT_API int32_t cnt_optim_zero_grad(const cnt_tensor* params, int32_t n, bool set_to_none);
/* momentum_buffers: used when momentum != 0; fresh_buffers[i] marks a buffer that starts now (it
 * becomes a copy of the decayed gradient, as PyTorch's clone). */
CNT_API int32_t cnt_optim_sgd_step_(const cnt_tensor* params, const cnt_tensor* momentum_buffers, const bool* fresh_buffers,
                                    int32_t n, double lr, double momentum, double dampening, double weight_decay,
                                    bool nesterov, bool maximize);
/* steps: float32 counters, incremented before use; max_exp_avg_sqs: used when amsgrad. */
CNT_API int32_t cnt_optim_adam_step_(const cnt_tensor* params, const cnt_tensor* exp_avgs, const cnt_tensor* exp_avg_sqs,
                                     const cnt_tensor* max_exp_avg_sqs, const cnt_tensor* steps, int32_t n, double lr,
                                     double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize);
/* AdamW: as Adam, with decoupled weight decay (param *= 1 - lr * weight_decay). */
CNT_API int32_t cnt_optim_adamw_step_(const cnt_tensor* params, const cnt_tensor* exp_avgs, const cnt_tensor* exp_avg_sqs,
                                      const cnt_tensor* max_exp_avg_sqs, const cnt_tensor* steps, int32_t n, double lr,
                                      double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize);
/* grad_avgs: used when centered; momentum_buffers: when momentum > 0; steps (may be NULL): counters. */
CNT_API int32_t cnt_optim_rmsprop_step_(const cnt_tensor* params, const cnt_tensor* square_avgs, const cnt_tensor* grad_avgs,
                                        const cnt_tensor* momentum_buffers, const cnt_tensor* steps, int32_t n, double lr,
                                        double alpha, double eps, double weight_decay, double momentum, bool centered,
                                        bool maximize);
/* (end of section) */

/* ---- cuda.cpp: CUDA memory statistics and cache -------------------------------------------- */
/* The CUDA-only exports below fail with "this libtorch was built without CUDA" when the shim was
 * compiled against a CPU libtorch (cnt_shim_has_cuda() tells which). device < 0: the current device. */
CNT_API bool cnt_shim_has_cuda(void);
/* out[0..3]: allocated, reserved, peak allocated, peak reserved bytes (the caching allocator's totals). */
CNT_API int32_t cnt_cuda_memory_stats(int32_t device, int64_t* out, int32_t capacity);
CNT_API int32_t cnt_cuda_reset_peak_memory_stats(int32_t device);
/* Returns the allocator's unused cached blocks to the driver (a no-op when no device is present). */
CNT_API int32_t cnt_cuda_empty_cache(void);
CNT_API int32_t cnt_cuda_current_device(void); /* CNT_FAILED on error */
/* name: NUL-terminated, truncated to capacity. */
CNT_API int32_t cnt_cuda_device_properties(int32_t device, char* name, int32_t capacity, int64_t* total_memory,
                                           int32_t* major, int32_t* minor, int32_t* multiprocessors);
/* Gradient scaling (torch.amp.GradScaler). found_inf, inv_scale, scale: 1-element float32 tensors on the
 * gradients' device; growth_tracker: 1-element int32. On CUDA the fused ATen kernels run; on the CPU the same
 * rule with public ops. unscale_: every grad *= inv_scale, found_inf = 1 if any grad holds inf or nan.
 * update_scale_: scale *= backoff_factor and tracker = 0 when found_inf; otherwise tracker += 1 and, on
 * reaching growth_interval, scale *= growth_factor (if finite) and tracker = 0. */
CNT_API int32_t cnt_amp_unscale_(const cnt_tensor* grads, int32_t n, cnt_tensor found_inf, cnt_tensor inv_scale);
CNT_API int32_t cnt_amp_update_scale_(cnt_tensor scale, cnt_tensor growth_tracker, cnt_tensor found_inf,
                                      double growth_factor, double backoff_factor, int64_t growth_interval);
/* (end of section) */

#ifdef __cplusplus
}
#endif

#endif /* CNT_H */
