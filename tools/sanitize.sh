#!/usr/bin/env bash
# Sanitizer runs of the test suite (clang, -O1 with line tables; tools/lib/sanitizer_tree.sh).
#   tools/sanitize.sh address        ASan + UBSan + LSan in build-fuzz/ (the fuzzers' tree, so one
#                                    instrumented build serves both): every test (unit tests, the whole zoo on
#                                    CPU and OpenCL, the bad-inputs corpus, the C API and CLI tests) and every
#                                    fuzzer's seed corpus. About an hour on 2 cores.
#   tools/sanitize.sh address --ci   CI's subset, sized to fit CI's 30 minutes: the C API and CLI tests, the
#                                    bad-inputs corpus, the IR/io/transforms/plan/executor tests, the main zoo
#                                    on the CPU and on OpenCL (float), the int8 zoo on OpenCL for cnn_int8,
#                                    matmul_int4_asym_g32 and transformer_int8, the OpenCL fault, memory,
#                                    program-cache and concurrency tests, every OCTET_SANITIZE_STRIDE-th
#                                    (default 20) single-op case on the CPU and every fourth of that on
#                                    OpenCL, and the fuzzers' seed corpora. Left out: shape-inference and
#                                    reference unit tests (unit_graph, unit_reference: the sampled op cases
#                                    run the same code) and the OpenCL kernel-correctness tests (per-kernel
#                                    sweeps whose host code the zoo already runs; the time goes into PoCL's
#                                    LLVM compiling hundreds of kernel variants under ASan's allocator).
#   tools/sanitize.sh thread         TSan in build-tsan/: the concurrency tests (8 threads sharing one
#                                    compiled model, CPU and OpenCL), the request-busy tests and the whole C
#                                    API test (its busy-request check runs two threads). Part of CI.
# Known leaks and races inside the OpenCL driver are suppressed by tests/sanitizers/*.supp, which name
# only driver libraries. Any other finding fails the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:-address}"
subset="${2:-}"
source "$root/tools/lib/sanitizer_tree.sh"
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$root/build/pocl-cache}"
mkdir -p "$POCL_CACHE_DIR"
jobs="$(nproc)"

case "$mode" in
  address)
    build="${OCTET_FUZZ_BUILD_DIR:-$root/build-fuzz}"
    configure_sanitizer_tree "$build" address,undefined -DOCTET_BUILD_FUZZERS=ON \
      -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link"
    # PoCL's LLVM switches signal stacks, which ASan's own alternate stack breaks. clang 14's
    # __tls_get_addr interceptor can mistake a malloc'd dynamic-TLS block (PoCL and its LLVM use them)
    # for an old glibc header and LeakSanitizer's tracer then dies at exit ("Tracer caught signal 11",
    # fixed in LLVM 17): intercept_tls_get_addr=0 turns that interceptor off.
    export ASAN_OPTIONS="use_sigaltstack=0:intercept_tls_get_addr=0:detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0:allocator_may_return_null=1"
    export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    # Never: the install check (it builds an example with the system compiler) and the GPU script
    # check (a shell test).
    skip="install_example|gpu_validate_script"
    if [ "$subset" = "--ci" ]; then
      targets=(octet unit_ir unit_io unit_transforms unit_plan unit_executor unit_onednn unit_opencl
               c_api_test cli_test cli_parts_test)
      for src in "$root"/tests/fuzz/*_fuzz.cpp; do targets+=("fuzz_$(basename "$src" _fuzz.cpp)"); done
      cmake --build "$build" --parallel "$jobs" --target "${targets[@]}"
      kernels="^OpenCl(Quantized|QuantizedTiled|Eltwise|Logic|Movement|Conv|Pool|Interpolate|Reduce|MatMul|Convert)\\."
      int8_zoo="OpenClInt8Zoo\\.[^ ]*/(cnn_int8|matmul_int4_asym_g32|transformer_int8)( |$)"
      (cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 900 \
        -E "$skip|_NOT_BUILT|:ops_|OpenClInt8Zoo|unit_opencl_tiled_core|unit_opencl_portable_qconv|QuantizedLinearCpu\\.LargeCases|$kernels")
      (cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 900 -R "$int8_zoo")
      # The sampled single-op cases: gtest's sharding takes every stride-th case of the suite; a
      # sample with no case (the suite renamed) fails rather than passing empty.
      stride="${OCTET_SANITIZE_STRIDE:-20}"
      sample() {  # sample SHARDS BINARY FILTER
        local out
        out="$(GTEST_TOTAL_SHARDS="$1" GTEST_SHARD_INDEX=0 OCTET_CACHE_DIR="$build/octet-cache" "$2" \
          --gtest_filter="$3" --gtest_brief=1 2>&1)" || { echo "$out"; return 1; }
        echo "$out" | tail -n 2
        if grep -q '\[==========\] 0 tests from' <<<"$out"; then
          echo "sanitize: $3 selected no case" >&2
          return 1
        fi
      }
      sample "$stride" "$build/bin/unit_onednn" 'Ops/CpuZoo.*'
      sample "$((stride * 4))" "$build/bin/unit_opencl" 'Ops/OpenClZoo.*'
    else
      cmake --build "$build" --parallel "$jobs"
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
    configure_sanitizer_tree "$build" thread
    cmake --build "$build" --parallel "$jobs" --target unit_opencl unit_executor c_api_test
    # oneDNN's OpenMP runtime is not instrumented: one OpenMP thread per request keeps its barriers,
    # which TSan cannot see, out of the picture (requests still run on 8 threads of their own), and
    # ignore_noninstrumented_modules drops reports whose racing accesses are inside that runtime.
    export OMP_NUM_THREADS=1
    export TSAN_OPTIONS="suppressions=$root/tests/sanitizers/tsan.supp:halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:allocator_may_return_null=1"
    "$build/bin/unit_opencl" --gtest_filter='Concurrency.*'
    "$build/bin/unit_executor" --gtest_filter='InferRequestBusy.*'
    (cd "$build" && bin/c_api_test "$root/tests/zoo")
    echo "sanitize: thread sanitizer clean"
    ;;
  *)
    echo "usage: tools/sanitize.sh address [--ci] | thread" >&2
    exit 2
    ;;
esac
