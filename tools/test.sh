#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the whole suite with ctest and the Python
# package's pytest suite (tools/test_python.sh) and the int8 kernels under Oclgrind
# (tools/oclgrind_check.sh; OCLGRIND=0 skips), then runs
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
# PoCL then builds one work-group function per kernel instead of one per local size and offset
# (a compile-time optimisation of its own; kernel semantics do not depend on it). Most of the
# OpenCL tests' time is PoCL compiling programs on a cold cache: this cuts it by about 35-40%
# (Ops/OpenClZoo in one process, cold: 102 -> 62 CPU-s; the tiled-core rerun 197 -> 129).
export POCL_WORK_GROUP_SPECIALIZATION="${POCL_WORK_GROUP_SPECIALIZATION:-0}"
stage() { echo "test.sh: $1 ($(date -u +%H:%M:%S))"; }
stage "ctest"
(cd "$build" && ctest --output-on-failure --timeout 900 -j "$(nproc)")
# After ctest: it reuses the OpenCL program caches ctest filled.
stage "python"
"$root/tools/test_python.sh"
if [ "${OCLGRIND:-1}" != "0" ]; then
  stage "oclgrind"
  "$root/tools/oclgrind_check.sh" "$build"
fi
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
