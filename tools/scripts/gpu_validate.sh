#!/usr/bin/env bash
# Runs octet's OpenCL checks on a machine with an NVIDIA GPU (the device tool's H100), from
# binaries built on a Debian bookworm machine and carried in .gpu/ with Debian's runtime
# libraries in .deb/ (see docs/gpu-results.md for how they are made). Writes logs to $OUT.
# One device call, under 8 minutes. Arguments: extra models to `octet bench`.
# GPU_VALIDATE_DRY=1: a short run on whatever OpenCL device this machine has (PoCL), from
# build/bin (or $BIN), with small sizes and budgets: checks the script end to end without a GPU.
set -uo pipefail
out="${OUT:-/tmp/octet-gpu}"
dry="${GPU_VALIDATE_DRY:-0}"
mkdir -p "$out"
if [ "$dry" = 1 ]; then
  bin="${BIN:-build/bin}"
  # CPU devices prefer the lanes kernels: force the tiled core so the tuner and PTX steps have work.
  export OCTET_CACHE_DIR="$out/octet-cache" OCTET_QIMPL=tiled
  echo "dry run on the local OpenCL device (OCTET_QIMPL=tiled)" | tee "$out/summary.txt"
  clinfo >"$out/clinfo.txt" 2>&1
else
  mkdir -p /tmp/deps
  for f in .deb/*.deb; do dpkg -x "$f" /tmp/deps; done
  export LD_LIBRARY_PATH="/tmp/deps/usr/lib/x86_64-linux-gnu:$PWD/.gpu/lib"
  # Debian's ocl-icd loader accepts the vendor library itself in OCL_ICD_VENDORS.
  nv="$(ldconfig -p | awk '/libnvidia-opencl.so.1/ {print $NF; exit}')"
  [ -n "$nv" ] || nv="$(find / -name libnvidia-opencl.so.1 2>/dev/null | head -n 1)"
  export OCL_ICD_VENDORS="$nv"
  export OCTET_CACHE_DIR=/tmp/octet-cache POCL_CACHE_DIR=/tmp/pocl-cache
  echo "vendor library: $nv" | tee "$out/summary.txt"
  /tmp/deps/usr/bin/clinfo >"$out/clinfo.txt" 2>&1
  bin=.gpu/bin
fi
# Sizes and budgets: full on the GPU, small in a dry run.
if [ "$dry" = 1 ]; then
  gemm_sizes=256,128 copy_mib=16 tune_budget=5 bench_niter=5 unit_tests=()
  int8_models=(tests/zoo/cnn_int8)
else
  gemm_sizes=4096,1024 copy_mib=1024 tune_budget=15 bench_niter=200 unit_tests=("$bin"/unit_opencl "$bin"/unit_executor)
  int8_models=(tests/zoo/cnn_int8 tests/zoo/transformer_int8 tests/zoo/real/*_int8)
fi
"$bin/octet" devices -v >"$out/devices.txt" 2>&1; echo "octet devices: rc=$?" | tee -a "$out/summary.txt"
grep -E "DOT4 path" "$out/devices.txt" | tee -a "$out/summary.txt"  # with the tensor-core verdict

# int8 GEMM TOP/s against the dp4a peak, and device-to-device copy bandwidth, in the same run.
"$bin/gemm_int8_bench" --copy --copy_mib "$copy_mib" --iters 10 >"$out/copy_bandwidth.txt" 2>&1
echo "copy bandwidth: rc=$? $(grep -h 'device copy' "$out/copy_bandwidth.txt")" | tee -a "$out/summary.txt"
# The tensor-core path (NVIDIA sm_80+, when its probe passes) next to the dp4a core, same sizes; in
# a dry run its warp instruction is emulated (OCTET_MMA_EMULATE: the script's path, not a speed).
mma_emulate=""
[ "$dry" = 1 ] && mma_emulate=1
env ${mma_emulate:+OCTET_MMA_EMULATE=1} "$bin/gemm_int8_bench" --peak --sizes "$gemm_sizes" --iters 10 \
  >"$out/gemm_peak.txt" 2>&1
echo "int8 GEMM peak: rc=$?" | tee -a "$out/summary.txt"
grep -hE "dp4a peak|tensor-core peak|int8 GEMM" "$out/gemm_peak.txt" | tee -a "$out/summary.txt"
# The tensor-core path bit-exact against the integer reference with the real instruction (each
# case also runs emulated; the real runs only where the device verdict allows the path).
"$bin/unit_opencl" --gtest_filter='OpenClQuantizedMma.*' >"$out/mma_tests.txt" 2>&1
echo "mma tests: rc=$? $(grep -E '^\[  (PASSED|FAILED|SKIPPED)' "$out/mma_tests.txt" | tr '\n' ' ')" | tee -a "$out/summary.txt"

# The tuner on the int8 zoo models (results in $OCTET_CACHE_DIR/tuning.tsv, copied to $OUT).
for d in "${int8_models[@]}"; do
  "$bin/octet" tune -m "$d/model.xml" -d GPU --budget "$tune_budget" >>"$out/tune.txt" 2>&1
  echo "tune $(basename "$d"): rc=$? $(grep -hE '^[0-9]+ shapes in' "$out/tune.txt" | tail -n 1)" | tee -a "$out/summary.txt"
done
cp "$OCTET_CACHE_DIR/tuning.tsv" "$out/" 2>/dev/null

# int8 against fp32 twins, side by side (octet bench, after tuning).
printf '%-24s %14s %14s %8s\n' model "int8 FPS" "fp32 FPS" ratio | tee -a "$out/summary.txt"
for d in "${int8_models[@]}"; do
  twin="${d%_int8}_fp32"
  [ -f "$twin/model.xml" ] || continue
  fps() { grep -h "Throughput" "$1" | tail -n 1 | grep -oE '[0-9]+(\.[0-9]+)?' | head -n 1; }
  "$bin/octet" bench -m "$d/model.xml" -d GPU -niter "$bench_niter" >"$out/bench_int8_$(basename "$d").txt" 2>&1
  "$bin/octet" bench -m "$twin/model.xml" -d GPU -niter "$bench_niter" >"$out/bench_fp32_$(basename "$d").txt" 2>&1
  i8="$(fps "$out/bench_int8_$(basename "$d").txt")"
  f32="$(fps "$out/bench_fp32_$(basename "$d").txt")"
  printf '%-24s %14s %14s %8s\n' "$(basename "$d")" "${i8:--}" "${f32:--}" \
    "$(awk -v a="${i8:-0}" -v b="${f32:-0}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')" |
    tee -a "$out/summary.txt"
done

# The core kernel's device code from the program cache (on NVIDIA a program binary is PTX text):
# byte loads (ld.global.u8 / .s8) in the main loop would mean the 16-byte loads were split.
mkdir -p "$out/ptx"
n=0
for e in "$OCTET_CACHE_DIR"/*.clbin; do
  [ -f "$e" ] && grep -q "qgemm_tiled.cl" "$e" || continue
  n=$((n + 1))
  cp "$e" "$out/ptx/qgemm_tiled_$n.clbin"
  echo "qgemm_tiled program $n: $(grep -ac 'ld.global.u8\|ld.global.s8' "$e") byte loads, $(grep -ac 'ld.global.v4' "$e") 16-byte loads, $(grep -ac 'dp4a' "$e") dp4a" |
    tee -a "$out/summary.txt"
done
[ "$n" -gt 0 ] || echo "qgemm_tiled: no cached program found in $OCTET_CACHE_DIR" | tee -a "$out/summary.txt"
# The tensor-core kernel's PTX (from the int8 models' compiles and the benchmark's cache): mma.sync
# count, and byte loads that would mean split 16-byte loads.
n=0
for e in "$OCTET_CACHE_DIR"/*.clbin; do
  [ -f "$e" ] && grep -q "qgemm_mma.cl" "$e" || continue
  grep -q "OCTET_MMA_EMULATE" "$e" && continue  # the tests' emulated builds: no instruction to see
  n=$((n + 1))
  cp "$e" "$out/ptx/qgemm_mma_$n.clbin"
  echo "qgemm_mma program $n: $(grep -ac 'mma.sync' "$e") mma.sync, $(grep -ac 'ld.global.u8\|ld.global.s8' "$e") byte loads, $(grep -ac 'ld.global.v4' "$e") 16-byte loads" |
    tee -a "$out/summary.txt"
done
[ "$n" -gt 0 ] || echo "qgemm_mma: no cached program with the real instruction (path declined on this device)" |
  tee -a "$out/summary.txt"

for t in "${unit_tests[@]}"; do
  [ -x "$t" ] || continue
  name="$(basename "$t")"
  start=$(date +%s.%N)
  "$t" --gtest_brief=1 >"$out/$name.txt" 2>&1
  rc=$?
  end=$(date +%s.%N)
  echo "$name: rc=$rc $(grep -E '^\[  (PASSED|FAILED)' "$out/$name.txt" | tr '\n' ' ') ($(awk "BEGIN{print $end - $start}") s)" | tee -a "$out/summary.txt"
done
[ "$dry" = 1 ] && exit 0
for m in tests/zoo/*/model.xml; do
  d="$(dirname "$m")"
  name="$(basename "$d")"
  # --zoo reads <model dir>/inputs/<name>.npy; --ref compares with OpenVINO's <model dir>/ref/<output>.npy.
  "$bin/octet" compare -m "$m" -d GPU --zoo --ref "$d/ref" >>"$out/compare.txt" 2>&1
  echo "compare $name vs OpenVINO: rc=$?" | tee -a "$out/summary.txt"
  "$bin/octet" compare -m "$m" -d GPU --ref_d CPU --zoo >>"$out/compare_cpu.txt" 2>&1
  echo "compare $name GPU vs CPU: rc=$?" | tee -a "$out/summary.txt"
done
for m in "$@"; do
  "$bin/octet" bench -m "$m" -d GPU -niter 200 -pc >>"$out/bench.txt" 2>&1
  echo "bench $m: rc=$?" | tee -a "$out/summary.txt"
done

# ---- GEMV bandwidth (issue 15 section 3; branch gemv) ----
# GB/s of weights read by the GEMV family for M <= 16 (int4 g32 / g128, int8 per channel, f32
# weights; N = K = 4096; M = 1, 4, 16), old kernels vs new, next to a device copy kernel's GB/s from
# the same run. Needs build/bin/gemv_bench copied into .gpu/bin with the other binaries.
if [ -x "$bin/gemv_bench" ]; then
  "$bin/gemv_bench" --device GPU --iters 50 >"$out/gemv_bench.txt" 2>&1
  echo "gemv_bench: rc=$?" | tee -a "$out/summary.txt"
fi
