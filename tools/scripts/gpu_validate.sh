#!/usr/bin/env bash
# Runs octet's OpenCL checks on a machine with an NVIDIA GPU (the device tool's H100), from
# binaries built on a Debian bookworm machine and carried in .gpu/ with Debian's runtime
# libraries in .deb/ (see docs/gpu-results.md for how they are made). Writes logs to $OUT.
set -uo pipefail
out="${OUT:-/tmp/octet-gpu}"
mkdir -p "$out" /tmp/deps
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
"$bin/octet" devices >"$out/devices.txt" 2>&1; echo "octet devices: rc=$?" | tee -a "$out/summary.txt"
for t in "$bin"/unit_opencl "$bin"/unit_executor; do
  [ -x "$t" ] || continue
  name="$(basename "$t")"
  start=$(date +%s.%N)
  "$t" --gtest_brief=1 >"$out/$name.txt" 2>&1
  rc=$?
  end=$(date +%s.%N)
  echo "$name: rc=$rc $(grep -E '^\[  (PASSED|FAILED)' "$out/$name.txt" | tr '\n' ' ') ($(awk "BEGIN{print $end - $start}") s)" | tee -a "$out/summary.txt"
done
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
