// dtype, device and memory-layout conversions; detaching and copying.
#include "common.h"

using cnt::T;

extern "C" {

cnt_tensor cnt_to(cnt_tensor t, int32_t dtype, int32_t device_type, int32_t device_index, bool non_blocking, bool copy) {
  return cnt::tensor_result([&] {
    return T(t).to(cnt::device(device_type, device_index), cnt::dtype(dtype), non_blocking, copy);
  });
}

cnt_tensor cnt_contiguous(cnt_tensor t, int32_t memory_format) {
  return cnt::tensor_result([&] { return T(t).contiguous(cnt::to_memory_format(memory_format)); });
}

cnt_tensor cnt_clone(cnt_tensor t) { return cnt::tensor_result([&] { return T(t).clone(); }); }
cnt_tensor cnt_detach(cnt_tensor t) { return cnt::tensor_result([&] { return T(t).detach(); }); }
int32_t cnt_detach_(cnt_tensor t) { return cnt::status_result([&] { T(t).detach_(); }); }
int32_t cnt_copy_(cnt_tensor dst, cnt_tensor src) { return cnt::status_result([&] { T(dst).copy_(T(src)); }); }

}  // extern "C"
