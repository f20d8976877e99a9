#!/usr/bin/env bash
# Soak test (not in CI): compile/infer/destroy cycles through the C API on bundled models, on the
# CPU and the OpenCL device, each for SOAK_SECONDS (default 120); fails on growth of resident
# memory (> SOAK_MAX_RSS_MB, default 16), file descriptors or threads after warm-up.
#   tools/soak.sh [model.xml ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${OCTET_BUILD_DIR:-$root/build}"
seconds="${SOAK_SECONDS:-120}"
max_rss="${SOAK_MAX_RSS_MB:-16}"
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$build/pocl-cache}"
mkdir -p "$POCL_CACHE_DIR"
cmake --build "$build" --target octet_soak >/dev/null
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  models=("$root/tests/zoo/cnn_int8/model.xml" "$root/tests/zoo/transformer_int8/model.xml")
fi
status=0
for model in "${models[@]}"; do
  for device in CPU GPU; do
    "$build/bin/octet_soak" "$model" "$device" "$seconds" "$max_rss" || status=1
  done
done
exit $status
