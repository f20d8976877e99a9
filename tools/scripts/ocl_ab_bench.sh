#!/usr/bin/env bash
# A/B latency of two octet builds on the same models and device, rounds alternating the order
# (A B, B A, ...) so machine noise hits both alike. Each run is `octet bench --zoo -t SECONDS`; the
# figure is its median latency from --json_stats in microseconds. Prints per model the median over
# rounds of A and B and B/A (< 1: B is faster), and the load average.
# Usage: tools/scripts/ocl_ab_bench.sh A_OCTET B_OCTET [-d GPU] [-t 0.5] [-rounds 5] MODEL_DIR...
#   (MODEL_DIR relative to tests/zoo, e.g. cnn_int8 real/densenet_int8)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
a="$1" b="$2"
shift 2
device=GPU seconds=0.5 rounds=5
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    -d) device="$2"; shift 2 ;;
    -t) seconds="$2"; shift 2 ;;
    -rounds) rounds="$2"; shift 2 ;;
    *) models+=("$1"); shift ;;
  esac
done

stats=$(mktemp)
trap 'rm -f "$stats"' EXIT
us_per_inference() {  # binary model -> median latency in microseconds
  "$1" bench -m "$root/tests/zoo/$2/model.xml" -d "$device" --zoo -t "$seconds" -q --json_stats "$stats" >/dev/null
  python3 -c 'import json, sys; print("%.1f" % (1000 * json.load(open(sys.argv[1]))["latency_ms"]["median"]))' "$stats"
}
middle() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "| %-28s | %10s | %10s | %6s |\n" model "A us" "B us" "B/A"
for m in "${models[@]}"; do
  us_per_inference "$a" "$m" >/dev/null  # warm-up: program builds
  us_per_inference "$b" "$m" >/dev/null
  ta="" tb=""
  for ((r = 0; r < rounds; r++)); do
    if ((r % 2 == 0)); then
      ta+=" $(us_per_inference "$a" "$m")"
      tb+=" $(us_per_inference "$b" "$m")"
    else
      tb+=" $(us_per_inference "$b" "$m")"
      ta+=" $(us_per_inference "$a" "$m")"
    fi
  done
  ma=$(echo "$ta" | middle) mb=$(echo "$tb" | middle)
  printf "| %-28s | %10s | %10s | %6s |\n" "$m" "$ma" "$mb" "$(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", b / a}')"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
