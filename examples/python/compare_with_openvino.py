"""Runs the same IR with OpenVINO's own Python API (CPU plugin) and with octet on the GPU, and
compares octet's outputs against OpenVINO's with octet.compare(ref_outputs=...).

OpenVINO is needed by this example only, never by the octet package:
    /work/main/.venv/bin/python examples/python/compare_with_openvino.py [model.xml]
(or any environment with `pip install openvino`; default model: tests/zoo/cnn_int8).
"""

import sys
from pathlib import Path

import numpy as np
import openvino as ov

import octet

root = Path(__file__).resolve().parents[2]
path = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "tests/zoo/cnn_int8/model.xml"

core = ov.Core()
# f32 inference: by default OpenVINO's CPU plugin may compute in bf16 or quantize activations
# dynamically, which is not the model as written (the zoo's references use the same settings).
ov_model = core.compile_model(
    core.read_model(path), "CPU", {"INFERENCE_PRECISION_HINT": "f32", "DYNAMIC_QUANTIZATION_GROUP_SIZE": 0}
)
rng = np.random.default_rng(0)
stored = path.parent / "inputs"  # the zoo keeps each model's inputs as inputs/<name>.npy


def make_input(port):
    name = port.get_any_name()
    if (stored / f"{name}.npy").exists():
        return np.load(stored / f"{name}.npy")
    return rng.uniform(-1, 1, tuple(port.get_shape())).astype(port.get_element_type().to_dtype())


inputs = {port.get_any_name(): make_input(port) for port in ov_model.inputs}
ov_result = ov_model(inputs)
ov_outputs = {port.get_any_name(): ov_result[port] for port in ov_model.outputs}

device = "GPU" if any(d.type == "GPU" for d in octet.devices()) else "CPU"
octet_outputs = octet.compile_model(path, device=device)(inputs)
for name, ours in octet_outputs.items():
    theirs = ov_outputs[name]
    print(f"{name}: max |octet - OpenVINO| = {np.max(np.abs(ours.astype(np.float64) - theirs)):.3g}")

# The same comparison with octet's tolerance rules (quantized models' bound, steps, ...):
report = octet.compare(path, device=device, inputs=inputs, ref_outputs=ov_outputs)
print(repr(report))
for row in report.outputs.values():
    print(f"  {row.name}: rule {row.rule}, tol {row.tolerance}, max abs {row.max_abs:.3g} -> {row.result}")
sys.exit(0 if report else 1)
