"""Models with dynamic input dims whose shape, axes, pads, scales and k inputs are computed from input
shapes the way converted models compute them (ShapeOf -> Gather -> Concat -> Reshape and friends), for
octet's compile-time folding of shape subgraphs once the input shapes are given (octet_model_reshape, the
CLI's -shape). Written to tests/zoo/dynamic/<case>/ (one level down, so the static zoo tests do not pick
them up): model.xml/.bin keep the `?` dims; inputs/*.npy are the concrete inputs OpenVINO ran the dynamic
model on; ref/*.npy its CPU outputs; model_info.json gives each input's declared shape (-1 = dynamic) and
the run shape. `value_dependent_reshape` has a Reshape target computed from an input's values, which octet
must refuse naming the layer, the input and the path."""

import json
import shutil
import zlib
from pathlib import Path

import numpy as np
import onnx
import openvino as ov
import openvino.opset1 as o1
import openvino.opset3 as o3
import openvino.opset4 as o4
from openvino.opset4.ops import range as range4
import openvino.opset8 as o8
import openvino.opset10 as o10
import openvino.opset11 as o11
import openvino.opset12 as o12
from onnx import TensorProto, helper, numpy_helper

from zoo_common import CPU_CONFIG, Rng, canonicalize_names, core, op_histogram, safe_name, versions, \
    xml_type_versions

CASES = {}


def case(name):
    def deco(f):
        assert name not in CASES, name
        CASES[name] = f
        return f
    return deco


def P(shape, name, dtype=np.float32):
    p = o1.parameter(ov.PartialShape(shape), dtype, name=name)
    p.output(0).get_tensor().set_names({name})
    return p


def C(values, dtype=np.int64):
    return o1.constant(np.asarray(values, dtype))


def model_of(outputs, params, names=None):
    names = names or (["y"] if len(outputs) == 1 else [f"y{i}" for i in range(len(outputs))])
    for o, n in zip(outputs, names):
        o.get_tensor().set_names({n})
    return ov.Model(outputs, params, "dynamic")


def dims_of(shape, axes, name):
    """Gather(ShapeOf(x), axes): the i64 shape pieces converters cut out of a dynamic shape."""
    return o8.gather(o3.shape_of(shape, "i64"), C(axes), C(0), name=name)


# ----------------------------------------------------------------------------------------------


@case("dyn_flatten_batch")
def _(r):
    """x.view(x.size(0), -1) @ W: Reshape to Concat(Gather(ShapeOf(x), [0]), [-1])."""
    x = P([-1, 4, 3, 5], "x")
    target = o1.concat([dims_of(x, [0], "batch"), C([-1])], 0, name="flat_shape")
    flat = o1.reshape(x, target, False, name="flatten")
    y = o1.matmul(flat, o1.constant(r.weight([60, 6])), False, False, name="fc")
    return model_of([y.output(0)], [x]), {"x": r.uniform([3, 4, 3, 5])}


@case("dyn_reshape_heads")
def _(r):
    """Multi-head split and merge of a [B, S, 16] activation with dynamic B and S (BERT/LLM IRs)."""
    x = P([-1, -1, 16], "x")
    bs = dims_of(x, [0, 1], "batch_seq")
    heads = o1.reshape(x, o1.concat([bs, C([4, 4])], 0), False, name="split_heads")
    t = o1.transpose(heads, C([0, 2, 1, 3]), name="to_heads")
    scores = o1.softmax(o1.matmul(t, t, False, True), 3)
    ctx = o1.transpose(o1.matmul(scores, t, False, False), C([0, 2, 1, 3]))
    merged = o1.reshape(ctx, o1.concat([bs, C([16])], 0), False, name="merge_heads")
    return model_of([merged.output(0)], [x]), {"x": r.uniform([2, 5, 16])}


@case("dyn_reshape_special_zero")
def _(r):
    """Reshape with special_zero (0 copies the input dim) and -1: static target, dynamic input."""
    x = P([-1, 6, -1], "x")
    y = o1.reshape(x, C([0, 3, -1]), True, name="reshape")
    return model_of([y.output(0)], [x]), {"x": r.uniform([2, 6, 5])}


@case("dyn_interpolate_scales_from_shape")
def _(r):
    """Interpolate-11 scales = target size / input size, both f32 from ShapeOf -> Convert (a resize to a
    fixed size written as scales, as converted models do)."""
    x = P([1, 2, -1, -1], "x")
    hw = o1.convert(dims_of(x, [2, 3], "hw"), "f32", name="hw_f32")
    scales = o1.divide(o1.constant(np.array([12.0, 10.0], np.float32)), hw, name="scales")
    y = o11.interpolate(x, scales, "nearest", "scales", axes=C([2, 3]), coordinate_transformation_mode="asymmetric",
                        nearest_mode="floor", name="resize")
    return model_of([y.output(0)], [x]), {"x": r.uniform([1, 2, 6, 5])}


@case("dyn_interpolate_sizes_from_shape")
def _(r):
    """Interpolate-4 sizes = floor(shape[2:] * 2.0) through f32 and back to i64 (F.interpolate(scale_factor=2)
    as the PyTorch frontend writes it), scales input unused (mode sizes)."""
    x = P([1, 2, -1, -1], "x")
    hw = o1.convert(dims_of(x, [2, 3], "hw"), "f32", name="hw_f32")
    doubled = o1.floor(o1.multiply(hw, o1.constant(np.float32(2.0)), name="times_two"))
    sizes = o1.convert(doubled, "i64", name="sizes")
    y = o10.interpolate(x, sizes, o1.constant(np.array([2.0, 2.0], np.float32)), "linear_onnx", "sizes",
                        axes=C([2, 3]), coordinate_transformation_mode="half_pixel", name="upsample")
    return model_of([y.output(0)], [x]), {"x": r.uniform([1, 2, 5, 3])}


@case("dyn_pad_to_multiple")
def _(r):
    """Pad H and W up to a multiple of 8: pads_end = Concat([0, 0], (8 - shape[2:] % 8) % 8)."""
    x = P([1, 2, -1, -1], "x")
    rem = o1.floor_mod(dims_of(x, [2, 3], "hw"), C(8))
    pad = o1.floor_mod(o1.subtract(C(8), rem), C(8), name="pad_hw")
    pads_end = o1.concat([C([0, 0]), pad], 0, name="pads_end")
    y = o12.pad(x, C([0, 0, 0, 0]), pads_end, "constant", o1.constant(np.float32(0.0)), name="pad")
    return model_of([y.output(0)], [x]), {"x": r.uniform([1, 2, 5, 11])}


@case("dyn_broadcast_from_shape")
def _(r):
    """A learned bias expanded to Concat(shape[:2], [8]) (Broadcast-3 numpy) and ones_like(x)
    (Broadcast of a scalar to ShapeOf(x)), added to x."""
    x = P([-1, -1, 8], "x")
    target = o1.concat([dims_of(x, [0, 1], "batch_seq"), C([8])], 0, name="bias_shape")
    bias = o3.broadcast(o1.constant(r.uniform([1, 1, 8])), target, name="bias_expand")
    ones = o3.broadcast(o1.constant(np.float32(1.0)), o3.shape_of(x, "i64"), name="ones_like")
    y = o1.add(o1.add(x, bias), ones, name="y_add")
    return model_of([y.output(0)], [x]), {"x": r.uniform([3, 2, 8])}


@case("dyn_topk_k_from_shape")
def _(r):
    """TopK with k = shape[1] // 2 (a scalar Gather of ShapeOf and an integer Divide)."""
    x = P([2, -1], "x")
    k = o1.divide(o8.gather(o3.shape_of(x, "i64"), C(1), C(0)), C(2), name="k")
    t = o11.topk(x, k, 1, "max", "value", "i32", name="topk")
    return model_of([t.output(0), t.output(1)], [x], ["values", "indices"]), \
        {"x": np.random.default_rng(5).permutation(14).reshape(2, 7).astype(np.float32)}


@case("dyn_slice_stop_from_shape")
def _(r):
    """x[:, :-1] and x[:, 1:] as StridedSlice / Slice-8 with ends computed from ShapeOf(x) - 1."""
    x = P([-1, -1], "x")
    shape = o3.shape_of(x, "i64")
    end = o1.subtract(shape, C([0, 1]), name="end")
    head = o1.strided_slice(x, C([0, 0]), end, C([1, 1]), [0, 0], [0, 0], name="drop_last")
    tail = o8.slice(x, C([1]), o8.gather(shape, C([1]), C(0)), C([1]), C([1]), name="drop_first")
    return model_of([o1.subtract(head, tail, name="diff").output(0)], [x]), {"x": r.uniform([3, 6])}


@case("dyn_unsqueeze_concat_shape")
def _(r):
    """Reshape to [B, S*H] where S*H is a ReduceProd... written with Multiply of two scalar Gathers and
    Unsqueeze + Concat (the PyTorch frontend's x.reshape(b, s * h))."""
    x = P([-1, -1, 4], "x")
    shape = o3.shape_of(x, "i64")
    b = o1.unsqueeze(o8.gather(shape, C(0), C(0)), C(0))
    sh = o1.multiply(o8.gather(shape, C(1), C(0)), o8.gather(shape, C(2), C(0)), name="s_times_h")
    target = o1.concat([b, o1.unsqueeze(sh, C(0))], 0, name="target")
    return model_of([o1.reshape(x, target, False, name="reshape").output(0)], [x]), {"x": r.uniform([2, 3, 4])}


@case("dyn_range_positions")
def _(r):
    """Learned positions for a dynamic sequence: Gather(table, Range(0, shape[1], 1)) added to x."""
    x = P([1, -1, 8], "x")
    seq = o8.gather(o3.shape_of(x, "i64"), C(1), C(0), name="seq_len")
    positions = range4(C(0), seq, C(1), "i64", name="positions")
    emb = o8.gather(o1.constant(r.uniform([16, 8])), positions, C(0), name="pos_embedding")
    y = o1.add(x, o1.unsqueeze(emb, C(0)), name="y_add")
    return model_of([y.output(0)], [x]), {"x": r.uniform([1, 5, 8])}


@case("dyn_expand_select_minus_one")
def _(r):
    """bias.expand(-1, h.size(1), -1) + h as the PyTorch frontend writes it: sizes = Concat([-1],
    Unsqueeze(Squeeze(Gather(ShapeOf(h), [1]))), [-1]) and -1 replaced by the input's own dim through
    Select(Equal(sizes, -1), ShapeOf(bias), sizes)."""
    bias = P([-1, 1, 8], "bias")
    h = P([-1, -1, 8], "h")
    seq = o1.squeeze(o8.gather(o3.shape_of(h, "i64"), C([1]), C(0)), C([0]), name="seq_scalar")
    sizes = o1.concat([C([-1]), o1.unsqueeze(seq, C(0)), C([-1])], 0, name="sizes")
    keep = o1.equal(sizes, C(-1), name="is_minus_one")
    target = o1.select(keep, o3.shape_of(bias, "i64"), sizes, name="expand_shape")
    expanded = o3.broadcast(bias, target, name="expand")
    out = o1.add(expanded, h, name="y_add")
    return model_of([out.output(0)], [bias, h]), {"bias": r.uniform([2, 1, 8]), "h": r.uniform([2, 5, 8])}


@case("dyn_flatten_reduce_prod_i32")
def _(r):
    """x.flatten(1) with the flattened size ReduceProd(Gather(ShapeOf(x), [1, 2])) (keep_dims), clamped to
    at least 1 with Maximum and converted to i32 (a Reshape target of i32, as the TF frontend writes it)."""
    x = P([-1, -1, 3], "x")
    shape = o3.shape_of(x, "i64")
    rest = o1.reduce_prod(o8.gather(shape, C([1, 2]), C(0)), C([0]), True, name="rest")
    rest = o1.maximum(rest, C([1]), name="rest_at_least_one")
    target = o1.convert(o1.concat([o8.gather(shape, C([0]), C(0)), rest], 0), "i32", name="target_i32")
    y = o1.reshape(x, target, False, name="flatten")
    y = o1.relu(y, name="relu")
    return model_of([y.output(0)], [x]), {"x": r.uniform([2, 5, 3]) - 0.5}


def _onnx_model(tmp_dir):
    """An ONNX graph with a symbolic batch dim converted by ov.convert_model: Flatten written as
    Shape -> Gather -> Unsqueeze -> Concat -> Reshape (what torch.onnx exports for x.view(x.size(0), -1)),
    and Expand(bias, Shape(x))."""
    f32 = TensorProto.FLOAT
    nodes = [
        helper.make_node("Shape", ["x"], ["shape"], name="/Shape"),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], name="/Gather", axis=0),
        helper.make_node("Unsqueeze", ["batch", "axes0"], ["batch1"], name="/Unsqueeze"),
        helper.make_node("Concat", ["batch1", "minus_one"], ["target"], name="/Concat", axis=0),
        helper.make_node("Expand", ["bias", "shape"], ["bias_full"], name="/Expand"),
        helper.make_node("Add", ["x", "bias_full"], ["biased"], name="/Add"),
        helper.make_node("Reshape", ["biased", "target"], ["flat"], name="/Reshape"),
        helper.make_node("MatMul", ["flat", "w"], ["logits"], name="/fc/MatMul"),
    ]
    rng = Rng(77)
    inits = [numpy_helper.from_array(np.array(0, np.int64), "zero"),
             numpy_helper.from_array(np.array([0], np.int64), "axes0"),
             numpy_helper.from_array(np.array([-1], np.int64), "minus_one"),
             numpy_helper.from_array(rng.uniform([1, 3, 1, 1]), "bias"),
             numpy_helper.from_array(rng.weight([3 * 4 * 4, 5]), "w")]
    graph = helper.make_graph(nodes, "onnx_flatten", [helper.make_tensor_value_info("x", f32, ["N", 3, 4, 4])],
                              [helper.make_tensor_value_info("logits", f32, None)], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="octet-zoo")
    m.ir_version = 8
    path = Path(tmp_dir) / "onnx_flatten.onnx"
    onnx.save(m, str(path))
    return ov.convert_model(str(path))


@case("dyn_onnx_flatten_expand")
def _(r, tmp_dir=None):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        model = _onnx_model(tmp)
    return model, {"x": r.uniform([2, 3, 4, 4])}


@case("value_dependent_reshape")
def _(r):
    """Reshape(x, Concat(rows, [-1])) where `rows` is an input tensor: the target depends on input values,
    not shapes, so no input shape makes it a compile-time constant."""
    x = P([-1, 12], "x")
    rows = P([1], "rows", np.int64)
    plus = o1.add(rows, C([0]), name="rows_plus_zero")
    target = o1.concat([plus, C([-1])], 0, name="target")
    y = o1.reshape(x, target, False, name="reshape")
    return model_of([y.output(0)], [x, rows]), {"x": r.uniform([2, 12]), "rows": np.array([4], np.int64)}


# ----------------------------------------------------------------------------------------------


def _port(port, array=None):
    names = sorted(port.get_names())
    ps = port.get_partial_shape()
    d = {"name": port.get_any_name() if names else "", "names": names,
         "shape": [d.get_length() if d.is_static else -1 for d in ps],
         "element_type": port.get_element_type().get_type_name()}
    if array is not None:
        d["run_shape"] = list(array.shape)
    return d


def save_dynamic_case(model, out_dir, inputs, seed):
    """Saves the dynamic `model`, runs it on OpenVINO's CPU plugin with `inputs` and stores inputs, outputs
    and model_info.json (as zoo_common.save_case, with declared and run shapes)."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "inputs").mkdir(parents=True)
    (out_dir / "ref").mkdir()
    canonicalize_names(model)
    xml = out_dir / "model.xml"
    ov.save_model(model, str(xml), compress_to_fp16=False)
    loaded = core().read_model(str(xml))
    compiled = core().compile_model(loaded, "CPU", CPU_CONFIG)
    feed, in_desc = {}, []
    for i, port in enumerate(loaded.inputs):
        arr = np.array(inputs[port.get_any_name()], dtype=port.get_element_type().to_dtype(), order="C")
        d = _port(port, arr)
        d["file"] = f"inputs/{safe_name(d['name'])}.npy"
        np.save(out_dir / d["file"], arr)
        in_desc.append(d)
        feed[i] = ov.Tensor(arr)
    result = compiled.infer_new_request(feed)
    out_desc = []
    for i, port in enumerate(loaded.outputs):
        arr = np.asarray(result[compiled.outputs[i]])
        d = _port(port, arr)
        d["file"] = f"ref/{safe_name(d['name'] or f'output{i}')}.npy"
        np.save(out_dir / d["file"], arr)
        out_desc.append(d)
    by_type, by_version = op_histogram(loaded)
    info = {"name": out_dir.name, "inputs": in_desc, "outputs": out_desc, "ops": by_type,
            "ops_by_version": by_version, "ir_type_versions": xml_type_versions(xml),
            "reference": {"device": "CPU", "config": CPU_CONFIG},
            "generator": {"script": "tools/models/make_zoo.py", "module": "zoo_dynamic.py", "seed": seed,
                          **versions()}}
    (out_dir / "model_info.json").write_text(json.dumps(info, indent=1) + "\n")
    return info


def generate_dynamic(out, only=None):
    """Writes tests/zoo/dynamic/<case>/ for every registered case (or those in `only`)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, f in CASES.items():
        if only and name not in only:
            continue
        seed = zlib.crc32(name.encode()) & 0x7FFFFFFF
        model, inputs = f(Rng(seed))
        save_dynamic_case(model, out / name, inputs, seed)
