"""Shared helpers for the model zoo generator: seeded weights, deterministic naming, saving a model
together with its inputs, OpenVINO CPU reference outputs and a model_info.json description."""

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import openvino as ov

# The CPU plugin would silently run f32 models in bf16 on CPUs that support it; references must be f32.
# f32 inference and no dynamic activation quantization: references must be OpenVINO's exact path.
CPU_CONFIG = {"INFERENCE_PRECISION_HINT": "f32", "DYNAMIC_QUANTIZATION_GROUP_SIZE": 0}


def cpu_has_vnni():
    """Without VNNI, oneDNN's u8*s8 int8 path (vpmaddubsw) saturates pair sums to int16, so OpenVINO's
    int8 references differ from the exact integer result (seen on transformer_int8)."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return True
    return "avx512_vnni" in flags or "avx_vnni" in flags

_core = None


def core():
    global _core
    if _core is None:
        _core = ov.Core()
    return _core


def versions():
    import nncf

    return {"openvino": ov.get_version(), "nncf": nncf.__version__, "numpy": np.__version__}


class Rng:
    """Seeded numpy generator with shorthands for weights and inputs (always float32 unless asked)."""

    def __init__(self, seed):
        self.seed = seed
        self.g = np.random.default_rng(seed)

    def normal(self, shape, scale=1.0):
        return (self.g.standard_normal(shape) * scale).astype(np.float32)

    def uniform(self, shape, lo=-1.0, hi=1.0):
        return self.g.uniform(lo, hi, size=shape).astype(np.float32)

    def weight(self, shape, fan_in=None):
        if fan_in is None:
            fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
        return self.normal(shape, (2.0 / max(fan_in, 1)) ** 0.5)


def safe_name(name):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "_"


def name_output(node, name, index=0):
    """Gives output `index` of `node` a tensor name (used for the ref/<name>.npy file)."""
    node.output(index).get_tensor().set_names({name})
    return node


def make_model(outputs, params, name):
    """Builds an ov.Model; `outputs` are Outputs or Nodes (all outputs of a node are taken)."""
    outs = []
    for o in outputs:
        if isinstance(o, ov.Node):
            outs.extend(o.outputs())
        else:
            outs.append(o)
    return ov.Model(outs, params, name)


def canonicalize_names(model):
    """Replaces auto-generated friendly names (Type_<global counter>) with names based on the node's
    position in the model, so the saved IR does not depend on what was built before it in the process."""
    counts = {}
    model.canonical_names_changed = False
    for op in model.get_ordered_ops():
        t = op.get_type_name()
        k = counts.get(t, 0)
        counts[t] = k + 1
        name = op.get_friendly_name()
        if re.fullmatch(f"({re.escape(t)}|{re.escape(t.lower())})_\\d+", name) and name != f"{t.lower()}_{k}":
            op.set_friendly_name(f"{t.lower()}_{k}")
            model.canonical_names_changed = True
    return model


def op_histogram(model, xml_path=None):
    """Ops of the model OpenVINO read back; with xml_path, only those the IR file holds as layers (by
    name): OpenVINO's LSTMCell-1 constructor adds a zero peepholes Constant that the IR does not hold."""
    names = None
    if xml_path is not None:
        names = {layer.get("name") for layer in ET.parse(xml_path).getroot().iter("layer")}
    by_type, by_version = {}, {}
    for op in model.get_ordered_ops():
        if names is not None and op.get_type_name() == "Constant" and op.get_friendly_name() not in names:
            continue
        info = op.get_type_info()
        by_type[info.name] = by_type.get(info.name, 0) + 1
        key = f"{info.name}/{info.version_id}"
        by_version[key] = by_version.get(key, 0) + 1
    return dict(sorted(by_type.items())), dict(sorted(by_version.items()))


def xml_type_versions(xml_path):
    """(type, version) pairs exactly as written in the IR file."""
    pairs = {}
    for layer in ET.parse(xml_path).getroot().iter("layer"):
        key = f"{layer.get('type')}/{layer.get('version')}"
        pairs[key] = pairs.get(key, 0) + 1
    return dict(sorted(pairs.items()))


def _port_desc(port):
    names = sorted(port.get_names())
    return {
        "name": port.get_any_name() if names else "",
        "names": names,
        "shape": [int(d) for d in port.get_shape()],
        "element_type": port.get_element_type().get_type_name(),
    }


def _random_input(rng, port):
    shape = [int(d) for d in port.get_shape()]
    et = port.get_element_type()
    if et == ov.Type.f32:
        return rng.uniform(shape, -2.0, 2.0)
    if et in (ov.Type.i64, ov.Type.i32):
        return rng.g.integers(-5, 6, size=shape).astype(et.to_dtype())
    if et in (ov.Type.u8, ov.Type.i8):
        return rng.g.integers(0 if et == ov.Type.u8 else -128, 128, size=shape).astype(et.to_dtype())
    raise ValueError(f"no random input for {et}")


def save_case(model, out_dir, inputs=None, seed=0, settings=None, quantization=None,
              compress_to_fp16=False):
    """Saves `model` to out_dir/model.xml, reads it back, runs it on CPU in f32 and stores inputs/refs.

    `inputs` maps input tensor name -> array; missing inputs get seeded uniform random data.
    Returns the model_info dict (also written to out_dir/model_info.json)."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "inputs").mkdir(parents=True)
    (out_dir / "ref").mkdir()
    canonicalize_names(model)
    xml = out_dir / "model.xml"
    ov.save_model(model, str(xml), compress_to_fp16=compress_to_fp16)
    # The writer can add nodes of its own (e.g. Pad-1's implicit pad value) with counter-based names:
    # name those too and write again.
    loaded = canonicalize_names(core().read_model(str(xml)))
    if loaded.canonical_names_changed:
        tmp = out_dir / "model.tmp.xml"  # the loaded model still maps model.bin
        ov.save_model(loaded, str(tmp), compress_to_fp16=False)
        del loaded
        tmp.replace(xml)
        tmp.with_suffix(".bin").replace(xml.with_suffix(".bin"))
        loaded = core().read_model(str(xml))
    compiled = core().compile_model(loaded, "CPU", CPU_CONFIG)
    rng = Rng(seed + 1000003)
    inputs = dict(inputs or {})
    feed, in_desc = {}, []
    for i, port in enumerate(loaded.inputs):
        d = _port_desc(port)
        key = d["name"] or f"input{i}"
        arr = inputs.pop(key, None)
        if arr is None:
            arr = _random_input(rng, port)
        arr = np.array(arr, dtype=port.get_element_type().to_dtype(), order="C")  # keeps 0-d
        fname = f"inputs/{safe_name(key)}.npy"
        np.save(out_dir / fname, arr)
        d["file"] = fname
        in_desc.append(d)
        feed[i] = ov.Tensor(arr) if arr.ndim == 0 else arr  # numpy 0-d would become [1]
    if inputs:
        raise ValueError(f"unknown inputs {sorted(inputs)} for {out_dir}")
    result = compiled.infer_new_request(feed)
    out_desc = []
    used = set()
    for i, port in enumerate(loaded.outputs):
        d = _port_desc(port)
        key = safe_name(d["name"] or f"output{i}")
        while key in used:
            key += "_"
        used.add(key)
        arr = np.asarray(result[compiled.outputs[i]])
        fname = f"ref/{key}.npy"
        np.save(out_dir / fname, arr)
        d["file"] = fname
        out_desc.append(d)

    by_type, by_version = op_histogram(loaded, xml)
    info = {
        "name": out_dir.name,
        "inputs": in_desc,
        "outputs": out_desc,
        "ops": by_type,
        "ops_by_version": by_version,
        "ir_type_versions": xml_type_versions(xml),
        "reference": {"device": "CPU", "config": CPU_CONFIG},
        "generator": {"script": "tools/models/make_zoo.py", "seed": seed, "settings": settings or {},
                      "compress_to_fp16": compress_to_fp16, **versions()},
        "quantization": quantization,
    }
    (out_dir / "model_info.json").write_text(json.dumps(info, indent=1, sort_keys=False) + "\n")
    return info


def describe_quantization(model, how):
    """Summarises what NNCF inserted: FakeQuantize nodes (levels, consumers) and low-bit constants."""
    fqs = []
    for op in model.get_ordered_ops():
        if op.get_type_name() == "FakeQuantize":
            consumers = sorted({f"{t.get_node().get_type_name()}"
                                for t in op.output(0).get_target_inputs()})
            fqs.append({"name": op.get_friendly_name(), "levels": int(op.get_attributes()["levels"]),
                        "shape": [int(d) for d in op.get_output_shape(0)], "feeds": consumers})
    low_bit = {}
    for op in model.get_ordered_ops():
        if op.get_type_name() == "Constant":
            t = op.get_output_element_type(0).get_type_name()
            if t in ("u8", "i8", "u4", "i4"):
                low_bit[t] = low_bit.get(t, 0) + 1
    return {**how, "fake_quantize_count": len(fqs), "fake_quantize": fqs, "low_bit_constants": low_bit}
