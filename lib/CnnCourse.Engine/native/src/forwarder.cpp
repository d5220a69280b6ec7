// Intentionally empty: the build turns this library into a forwarder (see prepare-torchsharp-native.sh),
// and on CUDA builds into the link-time stand-in for libtorch_cpu.so (see CMakeLists.txt).
