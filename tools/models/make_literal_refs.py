"""Writes a second, "literal" OpenVINO reference for every int8 zoo model: ref_literal/<output>.npy.

OpenVINO's CPU plugin fuses an int8 model's FakeQuantize ops into its int8 kernels, and some of
those fusions change the arithmetic the model writes down (e.g. a requantization after a residual
Add computed on the fused int32/float path). octet follows the model as written, so its outputs can
sit closer to a run in which OpenVINO keeps every FakeQuantize as written. This script makes that
run: it reads the committed model.xml, makes every FakeQuantize output a model output as well (an
observed FakeQuantize output must be produced as written, which keeps the fusions from rewriting
it), runs OpenVINO's CPU plugin at f32 inference precision on the committed inputs and stores the
original outputs under ref_literal/. model_info.json gains "literal_reference" describing it.

`octet compare -m M --zoo --ref M/ref --ref M/ref_literal` then reports which one octet follows.
Usage: .venv/bin/python tools/models/make_literal_refs.py [model_dir ...]
(default: every model under tests/zoo and tests/zoo/real with FakeQuantize ops; make_zoo.py
calls it after generating the whole models).
"""
import json
import sys
from pathlib import Path

import numpy as np
import openvino as ov

sys.path.insert(0, str(Path(__file__).resolve().parent))
from zoo_common import CPU_CONFIG, core  # noqa: E402

ZOO = Path(__file__).resolve().parents[2] / "tests" / "zoo"


def int8_models(zoo=ZOO):
    for info_path in sorted(list(zoo.glob("*/model_info.json")) + list(zoo.glob("real/*/model_info.json"))):
        quantization = json.loads(info_path.read_text()).get("quantization") or {}
        if quantization.get("fake_quantize_count", 0) > 0:
            yield info_path.parent


def write_literal_reference(model_dir):
    info_path = model_dir / "model_info.json"
    info = json.loads(info_path.read_text())
    model = core().read_model(str(model_dir / "model.xml"))
    originals = list(model.outputs)
    fqs = [op for op in model.get_ordered_ops() if op.get_type_name() == "FakeQuantize"]
    model.add_outputs([fq.output(0) for fq in fqs])
    compiled = core().compile_model(model, "CPU", CPU_CONFIG)
    feed = {}
    for i, port in enumerate(compiled.inputs):
        arr = np.load(model_dir / info["inputs"][i]["file"])
        feed[i] = ov.Tensor(arr) if arr.ndim == 0 else arr
    result = compiled.infer_new_request(feed)
    out_dir = model_dir / "ref_literal"
    out_dir.mkdir(exist_ok=True)
    files = []
    for i, desc in enumerate(info["outputs"]):
        name = Path(desc["file"]).name
        assert compiled.outputs[i].get_any_name() in originals[i].get_names(), (model_dir, i)
        np.save(out_dir / name, np.asarray(result[compiled.outputs[i]]))
        files.append(f"ref_literal/{name}")
    info["literal_reference"] = {
        "files": files,
        "how": "OpenVINO CPU at f32 inference precision with every FakeQuantize output also a model "
               "output, so each FakeQuantize is computed as written (tools/models/make_literal_refs.py)",
        "fake_quantize_outputs_added": len(fqs),
    }
    info_path.write_text(json.dumps(info, indent=1, sort_keys=False) + "\n")
    ref = [np.load(model_dir / d["file"]) for d in info["outputs"]]
    lit = [np.load(model_dir / f) for f in files]
    diffs = [float(np.max(np.abs(a.astype(np.float64) - b))) if a.size else 0.0 for a, b in zip(ref, lit)]
    print(f"{model_dir.name}: {len(fqs)} FakeQuantize outputs observed; max|ref - ref_literal| per output: "
          + ", ".join(f"{d:.3g}" for d in diffs))


def main():
    dirs = [Path(a) for a in sys.argv[1:]] or list(int8_models())
    for d in dirs:
        write_literal_reference(d.resolve())


if __name__ == "__main__":
    main()
