"""Rewrites the OpenVINO references of int8 zoo models whose first version was made on a CPU without
VNNI, where OpenVINO's int8 MatMuls add pairs of u8*s8 products in saturating int16 (vpmaddubsw)
and so deviate from exact integer arithmetic (transformer_int8: mean |diff| 0.066 at the output).
It reruns the same model.xml and inputs on a CPU with VNNI (exact int32 accumulation) and writes
tests/zoo/<model>/ref/<output>.npy. It refuses to run without VNNI.

Usage (from the repository root, after `tools/setup.sh --python`):
    .venv/bin/python tools/models/make_vnni_refs.py
"""

import json
from pathlib import Path

import numpy as np
import openvino as ov

ROOT = Path(__file__).resolve().parents[2]
MODELS = {"transformer_int8": "ref/out.npy"}


def has_vnni():
    flags = Path("/proc/cpuinfo").read_text().split()
    return "avx512_vnni" in flags or "avx_vnni" in flags or "amx_int8" in flags


def main():
    if not has_vnni():
        raise SystemExit("this CPU has no VNNI: OpenVINO would use the saturating int16 path")
    core = ov.Core()
    for name, out_file in MODELS.items():
        zoo = ROOT / "tests" / "zoo" / name
        info = json.loads((zoo / "model_info.json").read_text())
        model = core.read_model(str(zoo / "model.xml"))
        # As tools/models/zoo_common.py compiles; no dynamic quantization of activations.
        compiled = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": "f32",
                                                     "DYNAMIC_QUANTIZATION_GROUP_SIZE": 0})
        feed = {i: np.load(zoo / d["file"]) for i, d in enumerate(info["inputs"])}
        (out,) = compiled.outputs
        y = compiled.infer_new_request(feed)[out]
        np.save(zoo / out_file, y)
        print(f"{name}: wrote {out_file} (OpenVINO {ov.__version__})")


if __name__ == "__main__":
    main()
