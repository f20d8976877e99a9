#!/usr/bin/env bash
# Installs the build into a scratch prefix, then builds examples/c_api_example against it twice (CMake
# package and pkg-config) and runs both on a zoo model. Usage: install_example.sh BUILD SOURCE SCRATCH [CMAKE]
set -euo pipefail
build="$1" source="$2" scratch="$3" cmake="${4:-cmake}"
rm -rf "$scratch"
mkdir -p "$scratch"
prefix="$scratch/prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$scratch/install.log"
libdir="$(dirname "$(find "$prefix" -name 'liboctet.so*' -print -quit)")"
[ -d "$libdir" ] || { echo "install_example: liboctet was not installed"; exit 1; }
for f in "$prefix/include/octet/octet.h" "$libdir/cmake/Octet/OctetConfig.cmake" "$libdir/pkgconfig/octet.pc" \
  "$prefix/bin/octet"; do
  [ -e "$f" ] || { echo "install_example: $f was not installed"; exit 1; }
done

# CMake package: find_package(Octet) -> Octet::runtime.
"$cmake" -S "$source/examples/c_api_example" -B "$scratch/example" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$scratch/configure.log"
"$cmake" --build "$scratch/example" >"$scratch/build.log"
model="$source/tests/zoo/cnn_fp32/model.xml"
input="$source/tests/zoo/cnn_fp32/inputs/input.npy"
"$scratch/example/c_api_example" "$model" CPU "$input" | tee "$scratch/run_cmake.txt"
grep -q "top class" "$scratch/run_cmake.txt"

# pkg-config: the .pc file finds the prefix from its own location.
flags="$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs octet)"
cc -std=c99 -Wall -Wextra -pedantic "$source/examples/c_api_example/main.c" $flags \
  -Wl,-rpath,"$libdir" -o "$scratch/c_api_example_pc"
"$scratch/c_api_example_pc" "$model" CPU "$input" >"$scratch/run_pc.txt"
cmp "$scratch/run_cmake.txt" "$scratch/run_pc.txt"

# The installed CLI finds the installed library through its RPATH.
"$prefix/bin/octet" info -m "$model" >/dev/null
echo "install_example: ok"
