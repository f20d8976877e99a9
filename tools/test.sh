#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the whole suite with ctest, then runs
# every libFuzzer target for a bounded time on its seed corpus (FUZZ_SECONDS, 0 skips fuzzing), then
# with SANITIZERS=1 the sanitizer runs: ASan + UBSan + LSan over every test but the single-op zoo
# cases, of which every tenth runs (the fuzzers' instrumented tree, so one build serves both), and TSan
# over the concurrency tests. Off by default: their two extra full builds do not fit CI's 30 minutes on
# 2 cores yet (README.md, "Tests and CI"). tools/sanitize.sh address runs the full ASan suite.
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
if [ "${FUZZ_SECONDS:-30}" != "0" ]; then
  stage "fuzzers"
  FUZZ_SECONDS="${FUZZ_SECONDS:-30}" "$root/tools/fuzz.sh"
fi
if [ "${SANITIZERS:-0}" != "0" ]; then
  stage "address sanitizer"
  "$root/tools/sanitize.sh" address --ci
  stage "thread sanitizer"
  "$root/tools/sanitize.sh" thread
fi
stage "done"
