#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the whole suite with ctest and the Python
# package's pytest suite (tools/test_python.sh), then runs
# every libFuzzer target for a bounded time on its seed corpus (FUZZ_SECONDS, 0 skips fuzzing), then
# the sanitizer runs (SANITIZERS=0 skips them): ASan + UBSan + LSan over CI's subset of the suite in
# the fuzzers' instrumented tree (tools/sanitize.sh names what it leaves out), and TSan over the
# concurrency, request-busy and C API tests. Each stage prints its start time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tools/setup.sh"
"$root/tools/build.sh"
build="${OCTET_BUILD_DIR:-$root/build}"
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$build/pocl-cache}"
mkdir -p "$POCL_CACHE_DIR"
stage() { echo "test.sh: $1 ($(date -u +%H:%M:%S))"; }
stage "ctest"
(cd "$build" && ctest --output-on-failure --timeout 900 -j "$(nproc)")
# After ctest: it reuses the OpenCL program caches ctest filled.
stage "python"
"$root/tools/test_python.sh"
if [ "${FUZZ_SECONDS:-15}" != "0" ]; then
  stage "fuzzers"
  FUZZ_SECONDS="${FUZZ_SECONDS:-15}" "$root/tools/fuzz.sh"
fi
if [ "${SANITIZERS:-1}" != "0" ]; then
  stage "address sanitizer"
  "$root/tools/sanitize.sh" address --ci
  stage "thread sanitizer"
  "$root/tools/sanitize.sh" thread
fi
stage "done"
