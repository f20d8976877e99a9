#!/usr/bin/env bash
# The main job: installs what is missing, builds, lists the devices, and compares the OpenCL device
# (a GPU, else PoCL on the CPU) against the oneDNN CPU backend on the bundled INT8 CNN, output and
# every layer, with the zoo's input. Extra arguments go to `octet compare` (e.g. --placement).
# Exit code: 0 when every tensor is within tolerance, 1 on a mismatch or error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tools/setup.sh"
"$root/tools/build.sh"
build="${OCTET_BUILD_DIR:-$root/build}"
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$build/pocl-cache}"
mkdir -p "$POCL_CACHE_DIR"
octet="$build/bin/octet"
model="$root/tests/zoo/cnn_int8/model.xml"

echo "== octet devices"
"$octet" devices
echo
echo "== octet compare -m tests/zoo/cnn_int8/model.xml -d GPU -ref_d CPU -i tests/zoo/cnn_int8/inputs --layers"
"$octet" compare -m "$model" -d GPU -ref_d CPU -i "$root/tests/zoo/cnn_int8/inputs" --layers "$@"
