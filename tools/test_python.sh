#!/usr/bin/env bash
# Runs the Python package's pytest suite (tests/python) against the already-built tree: the
# package from python/, liboctet from build/lib (OCTET_LIBRARY) and the CLI from build/bin
# (OCTET_CLI), so no second CMake build is needed. numpy and pytest come from a pinned virtual
# environment (.venv-pytest, made on first use; PYTHON picks the interpreter, default python3).
# Extra arguments go to pytest (e.g. -k compare, -x).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${OCTET_BUILD_DIR:-$root/build}"
venv="${OCTET_PYTEST_VENV:-$root/.venv-pytest}"
pins=(numpy==2.2.6 pytest==8.3.5)
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import numpy, pytest" 2>/dev/null; then
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}"
fi
for f in "$build/lib/liboctet.so" "$build/bin/octet"; do
  [ -e "$f" ] || { echo "test_python.sh: $f is missing: build first (tools/build.sh)" >&2; exit 2; }
done
export OCTET_LIBRARY="$build/lib/liboctet.so" OCTET_CLI="$build/bin/octet"
# The caches ctest fills (tests/CMakeLists.txt), so the OpenCL programs built there are reused.
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$build/pocl-cache}" OCTET_CACHE_DIR="${OCTET_CACHE_DIR:-$build/octet-cache}"
mkdir -p "$POCL_CACHE_DIR" "$OCTET_CACHE_DIR"
cd "$root"
PYTHONPATH="$root/python${PYTHONPATH:+:$PYTHONPATH}" exec "$venv/bin/python" -m pytest -p no:cacheprovider \
  --durations=5 -q "$@" tests/python
