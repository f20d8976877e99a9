"""Shared fixtures of the Python package tests: the zoo, the octet CLI to compare against, and the
devices. The package is imported from $OCTET_LIBRARY / $OCTET_CLI when set (tools/test_python.sh
points them at build/), else from the installed package."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import octet
from octet.compare import cli_path

ROOT = Path(__file__).resolve().parents[2]
ZOO = ROOT / "tests" / "zoo"


def zoo_models() -> list[str]:
    """The main zoo models (tests/zoo/index.json), not the single-op cases under ops/."""
    return sorted(json.loads((ZOO / "index.json").read_text())["models"])


def zoo_inputs(model_dir: Path) -> dict[str, np.ndarray]:
    info = json.loads((model_dir / "model_info.json").read_text())
    return {i["name"]: np.load(model_dir / i["file"]) for i in info["inputs"]}


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(cli_path()), *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if check and done.returncode != 0:
        raise AssertionError(f"octet {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done


def cli_outputs(model_dir: Path, device: str, out: Path, *extra: str) -> dict[str, np.ndarray]:
    """`octet run --zoo` outputs, read back from the .npy files it writes (keyed by file stem)."""
    run_cli("run", "-m", str(model_dir / "model.xml"), "-d", device, "--zoo", "-o", str(out), "-q", *extra)
    return {p.stem: np.load(p) for p in out.glob("*.npy")}


def stem(name: str) -> str:
    return "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in name)


@pytest.fixture(scope="session")
def gpu() -> str:
    """The OpenCL device (PoCL in CI); skips the test when there is none."""
    gpus = [d.name for d in octet.devices() if d.type == "GPU"]
    if not gpus:
        if os.environ.get("OCTET_REQUIRE_OPENCL"):
            pytest.fail("OCTET_REQUIRE_OPENCL is set but no OpenCL device: " + octet.device_unavailable_reason())
        pytest.skip("no OpenCL device: " + octet.device_unavailable_reason())
    return gpus[0]


@pytest.fixture(params=["CPU", "GPU"])
def device(request: pytest.FixtureRequest) -> str:
    return request.param if request.param == "CPU" else request.getfixturevalue("gpu")
