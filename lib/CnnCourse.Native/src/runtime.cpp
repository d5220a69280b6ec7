// Errors, threads, seeds, grad mode, autocast and build information.
#include "common.h"

#include <torch/cuda.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <cstring>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {
thread_local std::string last_error;
thread_local int32_t last_error_kind = CNT_ERROR_NONE;

int32_t write_text(const std::string& text, char* buf, int32_t capacity) {
  if (buf != nullptr && capacity > 0) {
    size_t n = std::min(text.size(), static_cast<size_t>(capacity - 1));
    std::memcpy(buf, text.data(), n);
    buf[n] = '\0';
  }
  return static_cast<int32_t>(text.size());
}

// libtorch 2.4 replaced the per-device autocast functions by ones taking the device type.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define CNT_AUTOCAST_BY_DEVICE 1
#endif

c10::DeviceType autocast_device(int32_t device_type) {
  auto type = static_cast<c10::DeviceType>(device_type);
  if (type != c10::DeviceType::CPU && type != c10::DeviceType::CUDA)
    throw std::invalid_argument("autocast supports the cpu and cuda device types only");
  return type;
}
}  // namespace

namespace cnt {
void set_error(int kind, const char* message) {
  last_error = message != nullptr ? message : "";
  last_error_kind = kind;
}
}  // namespace cnt

extern "C" {

const char* cnt_last_error(void) { return last_error.c_str(); }
int32_t cnt_last_error_kind(void) { return last_error_kind; }
void cnt_clear_error(void) {
  last_error.clear();
  last_error.shrink_to_fit();
  last_error_kind = CNT_ERROR_NONE;
}

int32_t cnt_get_num_threads(void) { return at::get_num_threads(); }
int32_t cnt_set_num_threads(int32_t count) {
  return cnt::status_result([&] {
    if (count < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(count));
    at::set_num_threads(count);
  });
}
bool cnt_malloc_retain_freed_memory(int64_t mmap_threshold, int64_t trim_threshold) {
#if defined(__GLIBC__)
  if (mmap_threshold <= 0 || trim_threshold <= 0 || mmap_threshold > INT32_MAX || trim_threshold > INT32_MAX) return false;
  return mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_threshold)) == 1 &&
         mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_threshold)) == 1;
#else
  (void)mmap_threshold;
  (void)trim_threshold;
  return false;
#endif
}

int32_t cnt_get_num_interop_threads(void) { return at::get_num_interop_threads(); }

int32_t cnt_manual_seed(int64_t seed) {
  return cnt::status_result([&] { torch::manual_seed(static_cast<uint64_t>(seed)); });
}

cnt_tensor cnt_get_rng_state(void) {
  return cnt::tensor_result([&] {
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return generator.get_state();
  });
}

int32_t cnt_set_rng_state(cnt_tensor state) {
  return cnt::status_result([&] {
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(cnt::T(state));
  });
}

bool cnt_is_grad_enabled(void) { return c10::GradMode::is_enabled(); }
void cnt_set_grad_enabled(bool enabled) { c10::GradMode::set_enabled(enabled); }

bool cnt_autocast_is_enabled(int32_t device_type) {
  try {
#ifdef CNT_AUTOCAST_BY_DEVICE
    return at::autocast::is_autocast_enabled(autocast_device(device_type));
#else
    return autocast_device(device_type) == c10::DeviceType::CPU ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled();
#endif
  }
  CNT_CATCH_ALL(return false)
}

int32_t cnt_autocast_set_enabled(int32_t device_type, bool enabled) {
  return cnt::status_result([&] {
#ifdef CNT_AUTOCAST_BY_DEVICE
    at::autocast::set_autocast_enabled(autocast_device(device_type), enabled);
#else
    if (autocast_device(device_type) == c10::DeviceType::CPU) at::autocast::set_cpu_enabled(enabled);
    else at::autocast::set_enabled(enabled);
#endif
  });
}

int32_t cnt_autocast_get_dtype(int32_t device_type) {
  try {
#ifdef CNT_AUTOCAST_BY_DEVICE
    return static_cast<int32_t>(at::autocast::get_autocast_dtype(autocast_device(device_type)));
#else
    return static_cast<int32_t>(autocast_device(device_type) == c10::DeviceType::CPU ? at::autocast::get_autocast_cpu_dtype()
                                                                                     : at::autocast::get_autocast_gpu_dtype());
#endif
  }
  CNT_CATCH_ALL(return CNT_FAILED)
}

int32_t cnt_autocast_set_dtype(int32_t device_type, int32_t dtype) {
  return cnt::status_result([&] {
    auto type = cnt::dtype(dtype);
#ifdef CNT_AUTOCAST_BY_DEVICE
    at::autocast::set_autocast_dtype(autocast_device(device_type), type);
#else
    if (autocast_device(device_type) == c10::DeviceType::CPU) at::autocast::set_autocast_cpu_dtype(type);
    else at::autocast::set_autocast_gpu_dtype(type);
#endif
  });
}

int32_t cnt_autocast_increment_nesting(void) { return at::autocast::increment_nesting(); }
int32_t cnt_autocast_decrement_nesting(void) { return at::autocast::decrement_nesting(); }
void cnt_autocast_clear_cache(void) { at::autocast::clear_cache(); }

bool cnt_cuda_is_available(void) {
  try { return torch::cuda::is_available(); }
  CNT_CATCH_ALL(return false)
}
int32_t cnt_cuda_device_count(void) {
  try { return static_cast<int32_t>(torch::cuda::device_count()); }
  CNT_CATCH_ALL(return 0)
}
bool cnt_cudnn_is_available(void) {
  try { return torch::cuda::cudnn_is_available(); }
  CNT_CATCH_ALL(return false)
}
int32_t cnt_cuda_synchronize(int32_t device_index) {
  return cnt::status_result([&] { torch::cuda::synchronize(device_index); });
}

int32_t cnt_version(char* buf, int32_t capacity) { return write_text(TORCH_VERSION, buf, capacity); }
int32_t cnt_build_config(char* buf, int32_t capacity) {
  try { return write_text(at::show_config(), buf, capacity); }
  CNT_CATCH_ALL(return CNT_FAILED)
}
int32_t cnt_parallel_info(char* buf, int32_t capacity) {
  try { return write_text(at::get_parallel_info(), buf, capacity); }
  CNT_CATCH_ALL(return CNT_FAILED)
}
int32_t cnt_shim_build_info(char* buf, int32_t capacity) {
  std::string info = std::string("compiled against libtorch ") + TORCH_VERSION + " in " + CNT_TORCH_BUILD_DIR;
  return write_text(info, buf, capacity);
}
bool cnt_has_mkldnn(void) { return at::hasMKLDNN(); }
bool cnt_has_cuda_build(void) { return at::hasCUDA(); }

}  // extern "C"
