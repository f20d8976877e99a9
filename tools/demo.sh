#!/usr/bin/env bash
# The main job: installs what is missing, builds, and compares the OpenCL device (GPU, else
# PoCL) against the CPU reference on the bundled INT8 CNN from the zoo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tools/setup.sh"
"$root/tools/build.sh"
build="${OCTET_BUILD_DIR:-$root/build}"
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$build/pocl-cache}"
mkdir -p "$POCL_CACHE_DIR"
model="$root/tests/zoo/cnn_int8/model.xml"
"$build/bin/octet" compare -m "$model" -d GPU -ref_d CPU -i "$root/tests/zoo/cnn_int8/inputs" "$@"
