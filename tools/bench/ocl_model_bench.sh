#!/usr/bin/env bash
# int8 against float on the OpenCL device, whole models, side by side in one run: each quantized zoo
# model runs with its int8 kernels (--precision fast) and as the same graph in float with
# FakeQuantize executed literally (--precision reference), plus the fp32 twin where the zoo has one.
# Rounds alternate the variants so machine noise hits them alike; the table gives median latencies
# and the float/int8 ratio (> 1 means int8 is faster).
# Usage: tools/bench/ocl_model_bench.sh [-d GPU] [-niter 200] [-rounds 3]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
octet="${OCTET:-$root/build/bin/octet}"
device=GPU niter=200 rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    -d) device="$2"; shift 2 ;;
    -niter) niter="$2"; shift 2 ;;
    -rounds) rounds="$2"; shift 2 ;;
    *) echo "usage: $0 [-d GPU] [-niter N] [-rounds R]" >&2; exit 2 ;;
  esac
done

median_ms() {  # model precision -> median latency in ms
  "$octet" bench -m "$root/tests/zoo/$1/model.xml" -d "$device" --zoo --precision "$2" -niter "$niter" -q \
    | awk '/Median:/ {print $(NF-1)}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
middle() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

printf "%-22s %12s %14s %12s %16s %12s\n" model "int8 ms" "float-FQ ms" "FQ/int8" "fp32 twin ms" "fp32/int8"
for m in cnn_int8 transformer_int8 matmul_int8_sym matmul_int8_asym matmul_int4_sym_g32 matmul_int4_asym_g128; do
  twin=""
  case "$m" in cnn_int8) twin=cnn_fp32 ;; transformer_int8) twin=transformer_fp32 ;; esac
  q="" f="" t=""
  for ((r = 0; r < rounds; r++)); do
    q+=" $(median_ms "$m" fast)"
    f+=" $(median_ms "$m" reference)"
    [ -n "$twin" ] && t+=" $(median_ms "$twin" fast)"
  done
  q=$(echo "$q" | middle) f=$(echo "$f" | middle)
  if [ -n "$twin" ]; then
    t=$(echo "$t" | middle)
    printf "%-22s %12s %14s %12s %16s %12s\n" "$m" "$q" "$f" "$(ratio "$f" "$q")" "$t" "$(ratio "$t" "$q")"
  else
    printf "%-22s %12s %14s %12s %16s %12s\n" "$m" "$q" "$f" "$(ratio "$f" "$q")" "-" "-"
  fi
done
