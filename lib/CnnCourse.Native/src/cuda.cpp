// CUDA memory statistics, the allocator's cache and device properties; gradient scaling for
// float16 mixed precision (torch.amp.GradScaler's two kernels, with a CPU form).
//
// The c10/cuda headers exist only with a CUDA build of libtorch: CMakeLists.txt defines
// CNT_WITH_CUDA when the libtorch it found has CUDA. Without it the CUDA-only exports fail with a
// message saying so, and the same source builds against Debian's CPU libtorch.
#include "common.h"

#ifdef CNT_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAFunctions.h>
#include <cuda_runtime_api.h>
#endif

#include <cmath>
#include <cstring>

using cnt::T;

namespace {
#ifdef CNT_WITH_CUDA
// -1 means the current device; anything else must name an existing device.
c10::DeviceIndex cuda_device(int32_t device) {
  auto count = static_cast<int32_t>(c10::cuda::device_count());
  if (count == 0) throw std::runtime_error("no CUDA device is available (torch.cuda.is_available() is false)");
  if (device < 0) return c10::cuda::current_device();
  if (device >= count)
    throw std::out_of_range("CUDA device " + std::to_string(device) + " does not exist: this machine has " +
                            std::to_string(count) + " device(s)");
  return static_cast<c10::DeviceIndex>(device);
}
#else
[[noreturn]] void no_cuda() {
  throw std::runtime_error(
      "this libtorch was built without CUDA: CUDA memory statistics and devices need a CUDA build of libtorch "
      "(build the shim against one with Torch_DIR, as .devcontainer/gpu does)");
}
#endif
}  // namespace

extern "C" {

bool cnt_shim_has_cuda(void) {
#ifdef CNT_WITH_CUDA
  return true;
#else
  return false;
#endif
}

int32_t cnt_cuda_memory_stats(int32_t device, int64_t* out, int32_t capacity) {
  return cnt::status_result([&] {
    if (capacity < 4) throw std::invalid_argument("cnt_cuda_memory_stats needs room for 4 values");
#ifdef CNT_WITH_CUDA
    auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(cuda_device(device));
    // Index 0 of each StatArray is StatType::AGGREGATE (all pools), as torch.cuda.memory_stats' "all".
    out[0] = stats.allocated_bytes[0].current;
    out[1] = stats.reserved_bytes[0].current;
    out[2] = stats.allocated_bytes[0].peak;
    out[3] = stats.reserved_bytes[0].peak;
#else
    (void)device;
    (void)out;
    no_cuda();
#endif
  });
}

int32_t cnt_cuda_reset_peak_memory_stats(int32_t device) {
  return cnt::status_result([&] {
#ifdef CNT_WITH_CUDA
    c10::cuda::CUDACachingAllocator::resetPeakStats(cuda_device(device));
#else
    (void)device;
    no_cuda();
#endif
  });
}

int32_t cnt_cuda_empty_cache(void) {
  return cnt::status_result([&] {
#ifdef CNT_WITH_CUDA
    if (c10::cuda::device_count() > 0) c10::cuda::CUDACachingAllocator::emptyCache();
#else
    no_cuda();
#endif
  });
}

int32_t cnt_cuda_current_device(void) {
  try {
#ifdef CNT_WITH_CUDA
    return static_cast<int32_t>(cuda_device(-1));
#else
    no_cuda();
#endif
  }
  CNT_CATCH_ALL(return CNT_FAILED)
}

int32_t cnt_cuda_device_properties(int32_t device, char* name, int32_t capacity, int64_t* total_memory, int32_t* major,
                                   int32_t* minor, int32_t* multiprocessors) {
  return cnt::status_result([&] {
#ifdef CNT_WITH_CUDA
    cudaDeviceProp props{};
    C10_CUDA_CHECK(cudaGetDeviceProperties(&props, cuda_device(device)));
    if (name != nullptr && capacity > 0) {
      size_t n = std::min(std::strlen(props.name), static_cast<size_t>(capacity - 1));
      std::memcpy(name, props.name, n);
      name[n] = '\0';
    }
    *total_memory = static_cast<int64_t>(props.totalGlobalMem);
    *major = props.major;
    *minor = props.minor;
    *multiprocessors = props.multiProcessorCount;
#else
    (void)device, (void)name, (void)capacity, (void)total_memory, (void)major, (void)minor, (void)multiprocessors;
    no_cuda();
#endif
  });
}

int32_t cnt_amp_unscale_(const cnt_tensor* grads, int32_t n, cnt_tensor found_inf, cnt_tensor inv_scale) {
  return cnt::status_result([&] {
    auto list = cnt::tensors(grads, n);
    at::Tensor& found = T(found_inf);
    const at::Tensor& inv = T(inv_scale);
    if (found.numel() != 1 || found.scalar_type() != at::kFloat)
      throw std::invalid_argument("found_inf must be a 1-element float32 tensor");
    if (inv.numel() != 1 || inv.scalar_type() != at::kFloat)
      throw std::invalid_argument("inv_scale must be a 1-element float32 tensor");
    if (list.empty()) return;
    at::NoGradGuard no_grad;
    if (found.is_cuda()) {
      // One fused kernel over the whole list, as torch.amp.GradScaler on CUDA.
      at::_amp_foreach_non_finite_check_and_unscale_(list, found, inv);
      return;
    }
    // The same result from public ops (libtorch 1.13 has no CPU kernel for the fused one).
    for (auto& g : list) {
      if (!g.device().is_cpu() || !found.device().is_cpu())
        throw std::invalid_argument("gradients and found_inf must be on the same device");
      if (!at::isfinite(g).all().item<bool>()) found.fill_(1.0);
      g.mul_(inv);
    }
  });
}

int32_t cnt_amp_update_scale_(cnt_tensor scale, cnt_tensor growth_tracker, cnt_tensor found_inf, double growth_factor,
                              double backoff_factor, int64_t growth_interval) {
  return cnt::status_result([&] {
    at::Tensor& s = T(scale);
    at::Tensor& tracker = T(growth_tracker);
    const at::Tensor& found = T(found_inf);
    if (s.numel() != 1 || s.scalar_type() != at::kFloat) throw std::invalid_argument("scale must be a 1-element float32 tensor");
    if (tracker.numel() != 1 || tracker.scalar_type() != at::kInt)
      throw std::invalid_argument("growth_tracker must be a 1-element int32 tensor");
    if (found.numel() != 1 || found.scalar_type() != at::kFloat)
      throw std::invalid_argument("found_inf must be a 1-element float32 tensor");
    if (growth_interval < 1) throw std::invalid_argument("growth_interval must be at least 1");
    at::NoGradGuard no_grad;
    if (s.is_cuda()) {
      at::_amp_update_scale_(s, tracker, found, growth_factor, backoff_factor, growth_interval);
      return;
    }
    // The CUDA kernel's rule: back off on inf/nan, grow after growth_interval clean steps.
    if (found.item<float>() != 0.0f) {
      s.mul_(backoff_factor);
      tracker.fill_(0);
      return;
    }
    int64_t successful = tracker.item<int32_t>() + 1;
    if (successful == growth_interval) {
      float grown = static_cast<float>(s.item<float>() * growth_factor);
      if (std::isfinite(grown)) s.fill_(grown);
      tracker.fill_(0);
    } else {
      tracker.fill_(successful);
    }
  });
}

}  // extern "C"
