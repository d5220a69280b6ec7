#!/usr/bin/env bash
# Makes the copy of TorchSharp's native library that the course loads (never touching the NuGet cache):
#   - its run path points at the libtorch package's natives, so they are resolved where NuGet put them
#     and not copied into every build output;
#   - only where the system's libstdc++ predates GCC 13 (no GLIBCXX_3.4.32, e.g. Debian 12): the one
#     symbol of that version, std::ios_base_library_init(), loses its version, the version requirement
#     becomes weak, and libglibcxx_compat.so (which defines the symbol) becomes a needed library.
# It also makes libtorch_cpu.so, a forwarder of a few KB whose only content is a needed-library entry
# with the full path of the package's libtorch_cpu.so. TorchSharp's loader first asks for torch_cpu
# beside TorchSharp.dll and then anywhere on the system; without the forwarder a system libtorch (Debian's
# libtorch-dev, for one) would be taken, and TorchSharp's library then fails against the wrong version.
# Idempotent: always starts again from the package's files and renames the results into place.
# usage: prepare-torchsharp-native.sh SOURCE_LIB OUT_DIR LIBTORCH_NATIVE_DIR WEAKEN_TOOL EMPTY_LIB
set -euo pipefail
src=$1 out_dir=$2 libtorch_dir=$3 weaken=$4 empty=$5
for f in "$src" "$libtorch_dir/libtorch_cpu.so" "$weaken" "$empty"; do
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

cp "$empty" "$tmp"
chmod u+w "$tmp"
patchelf --set-soname libtorch_cpu_forwarder.so "$tmp"
patchelf --add-needed "$libtorch_dir/libtorch_cpu.so" "$tmp"
mv -f "$tmp" "$out_dir/libtorch_cpu.so"
trap - EXIT
echo "prepare-torchsharp-native: $out_dir/libLibTorchSharp.so: $mode"
