"""Runs an OpenVINO IR on the GPU (the first OpenCL device; the CPU when there is none) and prints
its outputs and where its nodes ran.

    python examples/python/run_on_gpu.py [model.xml]      # default: tests/zoo/cnn_int8
"""

import sys
from pathlib import Path

import numpy as np

import octet

root = Path(__file__).resolve().parents[2]
path = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "tests/zoo/cnn_int8/model.xml"

for device in octet.devices():
    print(f"{device.name:6} {device.full_name} ({device.vendor})")
model = octet.compile_model(path, device="AUTO")  # the first GPU, else the CPU
print(f"compiled for {model.device} {model.device_note}")

rng = np.random.default_rng(0)
inputs = {p.name: rng.uniform(-1, 1, p.shape).astype(p.dtype) for p in model.inputs}
for name, array in model(inputs).items():
    print(f"{name}: {array.dtype} {list(array.shape)} min {array.min():.4g} max {array.max():.4g}")

fallbacks = [p for p in model.placement if p.backend != model.device]
print(f"{len(model.placement)} nodes, {len(fallbacks)} fell back to the CPU")
for p in fallbacks:
    print(f"  {p.node} ({p.op}): {p.note}")
