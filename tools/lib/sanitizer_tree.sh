# Sourced by tools/fuzz.sh and tools/sanitize.sh: configures an instrumented clang build tree.
#   configure_sanitizer_tree DIR SANITIZERS [extra cmake arguments...]
# -O1 with line tables only: the reports keep file:line, and the build costs about a third of a
# RelWithDebInfo one (-O2 -g), which is what lets the sanitizer runs fit in CI.
configure_sanitizer_tree() {
  local dir="$1" sanitizers="$2"
  shift 2
  local flags="-O1 -gline-tables-only"
  local generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  if [ -f "$dir/CMakeCache.txt" ] && grep -q "OCTET_SANITIZE:STRING=$sanitizers\$" "$dir/CMakeCache.txt" &&
     grep -q "CMAKE_CXX_FLAGS_RELWITHDEBINFO:STRING=$flags\$" "$dir/CMakeCache.txt"; then
    return 0
  fi
  rm -rf "$dir"
  CC=clang CXX=clang++ cmake -S "$root" -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" \
    -DOCTET_SANITIZE="$sanitizers" "$@" >/dev/null
}
