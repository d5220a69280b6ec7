// Intentionally empty: the build turns this library into a forwarder (see prepare-torchsharp-native.sh).
