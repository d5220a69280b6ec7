#!/usr/bin/env bash
# Makes the copy of TorchSharp's native library that the course loads (never touching the NuGet cache):
#   - its run path points at the libtorch package's natives, so they are resolved where NuGet put them
#     and not copied into every build output;
#   - only where the system's libstdc++ predates GCC 13 (no GLIBCXX_3.4.32, e.g. Debian 12): the one
#     symbol of that version, std::ios_base_library_init(), loses its version, the version requirement
#     becomes weak, and libglibcxx_compat.so (which defines the symbol) becomes a needed library.
# Idempotent: always starts again from the package's file and renames the result into place.
# usage: prepare-torchsharp-native.sh SOURCE_LIB OUT_DIR LIBTORCH_NATIVE_DIR WEAKEN_TOOL
set -euo pipefail
src=$1 out_dir=$2 libtorch_dir=$3 weaken=$4
for f in "$src" "$libtorch_dir/libtorch_cpu.so" "$weaken"; do
  [ -e "$f" ] || { echo "prepare-torchsharp-native: missing $f" >&2; exit 1; }
done
command -v patchelf >/dev/null || { echo "prepare-torchsharp-native: patchelf is missing: run ./course setup (apt-get install patchelf)" >&2; exit 1; }

libstdcxx=$(/sbin/ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')
[ -n "$libstdcxx" ] || { echo "prepare-torchsharp-native: no x86-64 libstdc++.so.6 in the loader cache" >&2; exit 1; }

mkdir -p "$out_dir"
tmp="$out_dir/.libLibTorchSharp.so.$$"
trap 'rm -f "$tmp"' EXIT
cp "$src" "$tmp"
chmod u+w "$tmp"
patchelf --set-rpath "$libtorch_dir:\$ORIGIN" "$tmp"
if grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
  mode=relocated
else
  patchelf --clear-symbol-version _ZSt21ios_base_library_initv "$tmp"
  patchelf --add-needed libglibcxx_compat.so "$tmp"
  "$weaken" "$tmp" GLIBCXX_3.4.32
  mode="glibcxx-compat ($libstdcxx lacks GLIBCXX_3.4.32)"
fi
mv -f "$tmp" "$out_dir/libLibTorchSharp.so"
trap - EXIT
echo "prepare-torchsharp-native: $out_dir/libLibTorchSharp.so: $mode"
