#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each one for
# FUZZ_SECONDS (default 60) on its seed corpus tests/fuzz/corpus/<area>/, or for FUZZ_RUNS inputs when that
# is set (the long run of README.md: FUZZ_RUNS=10000000). Exits non-zero on a crash.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${OCTET_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
# The same instrumented tree as tools/sanitize.sh address (ASan + UBSan, fatal findings).
source "$root/tools/lib/sanitizer_tree.sh"
configure_sanitizer_tree "$build" address,undefined -DOCTET_BUILD_FUZZERS=ON -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link"
targets=()
for src in "$root"/tests/fuzz/*_fuzz.cpp; do
  [ -f "$src" ] || continue
  area="$(basename "$src" _fuzz.cpp)"
  targets+=("fuzz_$area")
done
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no fuzz targets"; exit 0; }
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"
# The targets run side by side (each is one process on one core; CI's fuzz time is then one
# FUZZ_SECONDS, not one per target); each one's log tail is printed when it ends.
pids=()
for t in "${targets[@]}"; do
  area="${t#fuzz_}"
  corpus="$build/corpus-$area"
  mkdir -p "$corpus"
  seeds="$root/tests/fuzz/corpus/$area"
  if [ -n "${FUZZ_RUNS:-}" ]; then
    limit=(-runs="$FUZZ_RUNS")
    echo "fuzz: $t for $FUZZ_RUNS inputs"
  else
    limit=(-max_total_time="$seconds")
    echo "fuzz: $t for ${seconds}s"
  fi
  "$build/bin/$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$corpus" ${seeds:+$( [ -d "$seeds" ] && echo "$seeds")} >"$build/fuzz-$area.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!targets[@]}"; do
  area="${targets[$i]#fuzz_}"
  status=0
  wait "${pids[$i]}" || status=$?
  echo "fuzz: ${targets[$i]} exited with $status"
  tail -n 12 "$build/fuzz-$area.log"
  [ "$status" = 0 ] || failed=1
done
exit "$failed"
