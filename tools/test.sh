#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the whole suite with ctest, then runs
# every libFuzzer target for a bounded time on its seed corpus (FUZZ_SECONDS, 0 skips fuzzing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tools/setup.sh"
"$root/tools/build.sh"
build="${OCTET_BUILD_DIR:-$root/build}"
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$build/pocl-cache}"
mkdir -p "$POCL_CACHE_DIR"
(cd "$build" && ctest --output-on-failure --timeout 900 -j "$(nproc)")
if [ "${FUZZ_SECONDS:-30}" != "0" ]; then
  FUZZ_SECONDS="${FUZZ_SECONDS:-30}" "$root/tools/fuzz.sh"
fi
