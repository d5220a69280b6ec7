// Autocast for TorchSharp: libtorch 2.10 exports at::autocast's thread-local switches, but TorchSharp
// binds none of them (dotnet/TorchSharp#1235). Their arguments are one-byte enums, so declaring them
// here is enough; once enabled, TorchSharp's operators autocast because they go through the same
// dispatcher. Each export catches C++ exceptions: one must never unwind into managed frames.
#include <cstdint>
#include <exception>
#include <string>

namespace c10 {
enum class DeviceType : int8_t {};
enum class ScalarType : int8_t {};
}  // namespace c10

namespace at::autocast {
bool is_autocast_enabled(c10::DeviceType device_type);
void set_autocast_enabled(c10::DeviceType device_type, bool enabled);
c10::ScalarType get_autocast_dtype(c10::DeviceType device_type);
void set_autocast_dtype(c10::DeviceType device_type, c10::ScalarType dtype);
int increment_nesting();
int decrement_nesting();
void clear_cache();
}  // namespace at::autocast

namespace {
thread_local std::string last_error;

template <typename F>
int32_t guarded(F&& body) {
    try {
        body();
        return 0;
    } catch (const std::exception& e) {
        last_error = e.what();
    } catch (...) {
        last_error = "unknown C++ exception";
    }
    return -1;
}

c10::DeviceType device(int8_t type) { return static_cast<c10::DeviceType>(type); }
}  // namespace

#define CNC_EXPORT extern "C" __attribute__((visibility("default")))

CNC_EXPORT const char* cnc_last_error() { return last_error.c_str(); }

CNC_EXPORT int32_t cnc_autocast_is_enabled(int8_t device_type, bool* enabled) {
    return guarded([&] { *enabled = at::autocast::is_autocast_enabled(device(device_type)); });
}

CNC_EXPORT int32_t cnc_autocast_set_enabled(int8_t device_type, bool enabled) {
    return guarded([&] { at::autocast::set_autocast_enabled(device(device_type), enabled); });
}

CNC_EXPORT int32_t cnc_autocast_get_dtype(int8_t device_type, int8_t* dtype) {
    return guarded([&] { *dtype = static_cast<int8_t>(at::autocast::get_autocast_dtype(device(device_type))); });
}

CNC_EXPORT int32_t cnc_autocast_set_dtype(int8_t device_type, int8_t dtype) {
    return guarded([&] { at::autocast::set_autocast_dtype(device(device_type), static_cast<c10::ScalarType>(dtype)); });
}

CNC_EXPORT int32_t cnc_autocast_increment_nesting(int32_t* depth) {
    return guarded([&] { *depth = at::autocast::increment_nesting(); });
}

CNC_EXPORT int32_t cnc_autocast_decrement_nesting(int32_t* depth) {
    return guarded([&] { *depth = at::autocast::decrement_nesting(); });
}

CNC_EXPORT int32_t cnc_autocast_clear_cache() {
    return guarded([] { at::autocast::clear_cache(); });
}
