#!/usr/bin/env bash
# Installs everything octet's build, tests and demo need on a fresh Debian bookworm machine.
# Idempotent and quiet when all is present. Usage: tools/setup.sh [--python]
#   --python   also create the pinned virtual environment for the model tools (.venv)
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  ocl-icd-opencl-dev ocl-icd-libopencl1 opencl-c-headers opencl-clhpp-headers pocl-opencl-icd clinfo
  libdnnl-dev libpugixml-dev libgtest-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  clang libclang-rt-14-dev python3 python3-venv oclgrind
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--python" ]; then
  root="$(cd "$(dirname "$0")/.." && pwd)"
  venv="$root/.venv"
  req="$root/tools/models/requirements.txt"
  stamp="$venv/.requirements.sha"
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: creating Python environment $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q -r "$req"
    echo "$want" >"$stamp"
  fi
fi
