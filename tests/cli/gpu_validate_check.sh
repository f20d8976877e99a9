#!/usr/bin/env bash
# Checks tools/scripts/gpu_validate.sh without a GPU: it is valid bash, and every flag it passes to
# an octet subcommand is one that subcommand's --help lists (single-dash long flags such as -niter
# count as --niter, as the CLI rewrites them).
# Usage: gpu_validate_check.sh <gpu_validate.sh> <octet binary>
set -euo pipefail
script="$1"
cli="$2"
bash -n "$script"
failed=0
while read -r cmd rest; do
  help="$("$cli" "$cmd" --help 2>&1)"
  for flag in $(grep -oE -- '(^| )-{1,2}[A-Za-z_][A-Za-z_-]*' <<<"$rest" || true); do
    name="${flag#*-}"
    name="${name#-}"
    if [ "${#name}" -eq 1 ]; then want="-$name"; else want="--$name"; fi
    if ! grep -qE -- "(^|[ ,])$want([ ,=]|$)" <<<"$help"; then
      echo "gpu_validate.sh: 'octet $cmd' has no flag $flag" >&2
      failed=1
    fi
  done
done < <(grep -oE '"\$bin/octet" [a-z]+[^>]*' "$script" | sed 's/^"\$bin\/octet" //')
exit "$failed"
