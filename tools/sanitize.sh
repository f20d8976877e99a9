#!/usr/bin/env bash
# Sanitizer runs of the test suite.
#   tools/sanitize.sh address        ASan + UBSan + LSan build (clang) in build-fuzz/ (the fuzzers' tree, so one
#                                    instrumented build serves both): every test (unit tests, the whole zoo on
#                                    CPU and OpenCL, the bad-inputs corpus, the C API and CLI tests) and every
#                                    fuzzer's seed corpus. About an hour on 2 cores: not in CI.
#   tools/sanitize.sh address --ci   The same build; every test except the single-op zoo cases, of which every
#                                    OCTET_SANITIZE_STRIDE-th (default 10) runs, and the seed corpora. Part of
#                                    tools/test.sh, so of CI.
#   tools/sanitize.sh thread         TSan build in build-tsan/: the concurrency tests (8 threads sharing one
#                                    compiled model, CPU and OpenCL) and the request-busy tests. Part of CI.
# Known leaks and races inside the OpenCL driver are suppressed by tests/sanitizers/*.supp, which name
# only driver libraries. Any other finding fails the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:-address}"
subset="${2:-}"
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$root/build/pocl-cache}"
mkdir -p "$POCL_CACHE_DIR"
jobs="$(nproc)"

case "$mode" in
  address)
    build="${OCTET_FUZZ_BUILD_DIR:-$root/build-fuzz}"
    if [ ! -f "$build/CMakeCache.txt" ] || ! grep -q "OCTET_SANITIZE:STRING=address,undefined" "$build/CMakeCache.txt"; then
      CC=clang CXX=clang++ cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DOCTET_BUILD_FUZZERS=ON -DOCTET_SANITIZE=address,undefined \
        -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" >/dev/null
    fi
    cmake --build "$build" --parallel "$jobs"
    # PoCL's LLVM switches signal stacks, which ASan's own alternate stack breaks.
    export ASAN_OPTIONS="use_sigaltstack=0:detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0:allocator_may_return_null=1"
    export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    # Everything but the install check (it builds an example with the system compiler) and the GPU
    # script check (a shell test); the portable-conv rerun is kept.
    skip="install_example|gpu_validate_script"
    if [ "$subset" = "--ci" ]; then
      # The single-op zoo cases are three quarters of the suite and exercise the same code paths
      # case after case: a fixed stride of them (by test number, so each op family is sampled).
      stride="${OCTET_SANITIZE_STRIDE:-10}"
      (cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 1800 -E "$skip|^Ops/")
      (cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 1800 -R "^Ops/" -I "1,,$stride")
    else
      (cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 1800 -E "$skip")
    fi
    for target in "$build"/bin/fuzz_*; do
      area="$(basename "$target")"
      area="${area#fuzz_}"
      seeds="$root/tests/fuzz/corpus/$area"
      [ -d "$seeds" ] || continue
      echo "sanitize: $(basename "$target") over its seed corpus"
      "$target" -runs=0 "$seeds" 2>&1 | tail -n 2
    done
    ;;
  thread)
    build="${OCTET_TSAN_BUILD_DIR:-$root/build-tsan}"
    if [ ! -f "$build/CMakeCache.txt" ]; then
      CC=clang CXX=clang++ cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DOCTET_SANITIZE=thread >/dev/null
    fi
    cmake --build "$build" --parallel "$jobs" --target unit_opencl unit_executor
    # oneDNN's OpenMP runtime is not instrumented: one OpenMP thread per request keeps its barriers,
    # which TSan cannot see, out of the picture (requests still run on 8 threads of their own).
    export OMP_NUM_THREADS=1
    export TSAN_OPTIONS="suppressions=$root/tests/sanitizers/tsan.supp:halt_on_error=1:second_deadlock_stack=1"
    "$build/bin/unit_opencl" --gtest_filter='Concurrency.*'
    "$build/bin/unit_executor" --gtest_filter='InferRequestBusy.*'
    ;;
  *)
    echo "usage: tools/sanitize.sh address|thread" >&2
    exit 2
    ;;
esac
