#!/usr/bin/env bash
# Runs octet's int8 OpenCL kernels under Oclgrind (an OpenCL device simulator that checks every
# access: out of bounds, data races, barrier divergence, uninitialised reads, API misuse) and fails
# on any diagnostic. With OCTET_SEPARATE_BUFFERS=1 every tensor is its own cl_mem, so an access
# past a tensor is out of bounds instead of landing in its neighbour in the request arena.
#   1. every int8 implementation of the plain DOT4 path (Oclgrind has no dp4a, khr dot or
#      subgroups), forced in turn with OCTET_QIMPL, on small int8 zoo models, each compared with
#      the CPU backend;
#   2. every parameter set the tuner may choose (tiled_candidates), bit-exact on small GEMM and
#      convolution shapes (unit_opencl OpenClTuner.EveryParameterSetOnSmallShapes);
#   3. `octet tune` end to end on one model;
#   4. the tensor-core GEMM with its warp instruction emulated through local memory
#      (OCTET_MMA_EMULATE: the probe kernel, 4-bit weight groups and convolutions, bit-exact);
#   5. MaxPool and last-axis ShuffleChannels over int8 codes on their edge cases.
# Usage: tools/oclgrind_check.sh [build dir]   (CI budget: about 3 minutes on 2 cores)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-${OCTET_BUILD_DIR:-$root/build}}"
icd_lib=/usr/lib/oclgrind/liboclgrind-rt-icd.so
[ -f "$icd_lib" ] || "$root/tools/setup.sh"
[ -f "$icd_lib" ] || { echo "oclgrind_check: $icd_lib missing (Debian package oclgrind)" >&2; exit 2; }
for bin in octet unit_opencl; do
  [ -x "$build/bin/$bin" ] || { echo "oclgrind_check: $build/bin/$bin not built" >&2; exit 2; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/icd" "$work/logs"
# Oclgrind installs no .icd file: one naming its library makes it the only OpenCL device here.
echo "$icd_lib" >"$work/icd/oclgrind.icd"
export OCL_ICD_VENDORS="$work/icd" OCLGRIND_DATA_RACES=1 OCLGRIND_CHECK_API=1 OCTET_SEPARATE_BUFFERS=1
export OCTET_CACHE_DIR="$work/cache"
unset OCTET_OPENCL_DEVICE OCTET_QTILE
start=$(date +%s)
failed=0
checks=0

# check NAME COMMAND...: runs COMMAND with its own Oclgrind log; fails on a non-zero exit or any
# diagnostic in the log.
check() {
  local name="$1"
  shift
  local log="$work/logs/$name.oclgrind" out="$work/logs/$name.out"
  checks=$((checks + 1))
  local t0=$(date +%s)
  OCLGRIND_LOG="$log" "$@" >"$out" 2>&1
  local rc=$?
  if [ $rc -ne 0 ] || [ -s "$log" ]; then
    failed=1
    echo "FAIL $name (rc=$rc, $(($(date +%s) - t0)) s)"
    [ -s "$log" ] && head -n 40 "$log"
    [ $rc -ne 0 ] && tail -n 20 "$out"
  else
    echo "ok   $name ($(($(date +%s) - t0)) s)"
  fi
}

if ! "$build/bin/octet" devices 2>&1 | grep -qi oclgrind; then
  echo "oclgrind_check: octet does not see the Oclgrind device:" >&2
  "$build/bin/octet" devices >&2
  exit 2
fi

models=(cnn_int8 matmul_int8_asym matmul_int4_sym_g32)
for impl in tiled gemv gemm,direct lanes; do
  for m in "${models[@]}"; do
    check "$m.$impl" env OCTET_QIMPL="$impl" "$build/bin/octet" compare -m "$root/tests/zoo/$m/model.xml" \
      -d GPU -ref_d CPU --zoo
  done
done
check tile_parameter_sets env OCTET_TEST_ALL_TILE_SETS=1 "$build/bin/unit_opencl" \
  --gtest_filter=OpenClTuner.EveryParameterSetOnSmallShapes
# run_on_device reads outputs back through their arena: no separate buffers for the unit tests.
check mma_emulated env -u OCTET_SEPARATE_BUFFERS "$build/bin/unit_opencl" \
  --gtest_filter='OpenClQuantizedMma.Emulated*:OpenClQuantizedMma.MatMulWeightGroups:OpenClQuantizedMma.ConvolutionsBitExact'
# MaxPool over int8 codes (kernels/codes_pool.cl; cnn_int8 above runs it too) and AvgPool of
# codes' floats (kernels/quantized_activation.cl): padding-only windows, ceil rounding, 1-D and 3-D,
# counted padding, channel counts 1..32.
check codes_kernels env -u OCTET_SEPARATE_BUFFERS "$build/bin/unit_opencl" --gtest_filter='OpenClCodes*'
check tune.cnn_int8 "$build/bin/octet" tune -m "$root/tests/zoo/cnn_int8/model.xml" -d GPU \
  --budget 10 --max_candidates 2

echo "oclgrind_check: $checks checks, $([ $failed -eq 0 ] && echo "no diagnostics" || echo FAILED) in $(($(date +%s) - start)) s"
exit $failed
