"""Single-op zoo cases (tests/zoo/ops/<case>/): one op plus Parameters/Consts per model, with attribute
corners, each with OpenVINO CPU outputs as reference. This file holds the registry, the generator and the
linear, quantization and elementwise cases; zoo_ops_data.py holds pooling, reductions and data movement."""

import json
import shutil
import traceback
import zlib

import numpy as np
import openvino as ov
import openvino.opset1 as o1
import openvino.opset2 as o2
import openvino.opset4 as o4
import openvino.opset5 as o5
import openvino.opset7 as o7

from zoo_common import Rng, make_model, name_output, save_case

CASES = {}


def case(name):
    def deco(f):
        assert name not in CASES, name
        CASES[name] = f
        return f
    return deco


def P(shape, name="x", dtype=np.float32):
    p = o1.parameter(shape, dtype, name=name)
    name_output(p, name)
    return p


def C(arr, dtype=None):
    return o1.constant(np.asarray(arr, dtype=dtype))


def model_of(node, params, names=None):
    outs = node.outputs() if isinstance(node, ov.Node) else [node]
    names = names or (["y"] if len(outs) == 1 else [f"y{i}" for i in range(len(outs))])
    for o, n in zip(outs, names):
        o.get_tensor().set_names({n})
    return make_model(outs, params, "op")


# ----------------------------------------------------------------------------------------------
# Convolution / GroupConvolution


def _conv(name, xs, ws, strides, pb, pe, dil, pad="explicit", group=False):
    @case(name)
    def _(r):
        x = P(xs)
        w = C(r.weight(ws))
        f = o1.group_convolution if group else o1.convolution
        y = f(x, w, strides, pb, pe, dil, pad)
        return model_of(y, [x]), None


_conv("conv_3x3_s1_p1", [1, 4, 8, 8], [6, 4, 3, 3], [1, 1], [1, 1], [1, 1], [1, 1])
_conv("conv_3x3_s2_p1", [1, 4, 9, 9], [6, 4, 3, 3], [2, 2], [1, 1], [1, 1], [1, 1])
_conv("conv_3x3_s2_asym_pads", [1, 3, 8, 8], [5, 3, 3, 3], [2, 2], [0, 1], [1, 0], [1, 1])
_conv("conv_3x3_big_pads", [2, 3, 5, 5], [4, 3, 3, 3], [1, 1], [2, 3], [3, 2], [1, 1])
_conv("conv_same_upper_s2", [1, 4, 8, 8], [4, 4, 4, 4], [2, 2], [0, 0], [0, 0], [1, 1], "same_upper")
_conv("conv_same_lower_s2", [1, 4, 8, 8], [4, 4, 4, 4], [2, 2], [0, 0], [0, 0], [1, 1], "same_lower")
_conv("conv_same_upper_s1_k2", [1, 2, 7, 7], [3, 2, 2, 2], [1, 1], [0, 0], [0, 0], [1, 1], "same_upper")
_conv("conv_valid", [1, 4, 9, 7], [6, 4, 3, 3], [2, 1], [0, 0], [0, 0], [1, 1], "valid")
_conv("conv_dilation2", [1, 3, 10, 10], [4, 3, 3, 3], [1, 1], [2, 2], [2, 2], [2, 2])
_conv("conv_dilation_2x1_k5", [1, 3, 12, 9], [4, 3, 5, 5], [1, 1], [4, 2], [4, 2], [2, 1])
_conv("conv_1x1", [1, 16, 6, 6], [8, 16, 1, 1], [1, 1], [0, 0], [0, 0], [1, 1])
_conv("conv_1x1_s2", [2, 8, 7, 7], [12, 8, 1, 1], [2, 2], [0, 0], [0, 0], [1, 1])
_conv("conv_nonsquare_3x5_s1x2", [1, 3, 8, 11], [4, 3, 3, 5], [1, 2], [1, 2], [1, 2], [1, 1])
_conv("conv_rank3", [1, 4, 16], [5, 4, 3], [2], [1], [1], [1])
_conv("conv_rank3_same_upper_dil", [2, 3, 11], [4, 3, 3], [1], [0], [0], [2], "same_upper")
_conv("gconv_g2", [1, 8, 6, 6], [2, 3, 4, 3, 3], [1, 1], [1, 1], [1, 1], [1, 1], group=True)
_conv("gconv_depthwise_3x3", [1, 8, 7, 7], [8, 1, 1, 3, 3], [1, 1], [1, 1], [1, 1], [1, 1], group=True)
_conv("gconv_depthwise_s2_same_upper", [1, 6, 8, 8], [6, 1, 1, 3, 3], [2, 2], [0, 0], [0, 0], [1, 1],
      "same_upper", group=True)
_conv("gconv_depthwise_mult2", [1, 4, 6, 6], [4, 2, 1, 3, 3], [1, 1], [1, 1], [1, 1], [1, 1], group=True)
_conv("gconv_depthwise_dil2_valid", [1, 4, 9, 9], [4, 1, 1, 3, 3], [1, 1], [0, 0], [0, 0], [2, 2], "valid",
      group=True)
_conv("gconv_rank3_g3", [1, 6, 10], [3, 2, 2, 3], [1], [1], [1], [1], group=True)


# ----------------------------------------------------------------------------------------------
# MatMul


def _matmul(name, a_shape, b_shape, ta=False, tb=False, b_param=False):
    @case(name)
    def _(r):
        a = P(a_shape, "a")
        b = P(b_shape, "b") if b_param else C(r.normal(b_shape, 0.5))
        y = o1.matmul(a, b, ta, tb)
        return model_of(y, [a, b] if b_param else [a]), None


_matmul("matmul_2d", [4, 8], [8, 6])
_matmul("matmul_transpose_a", [8, 4], [8, 6], ta=True)
_matmul("matmul_transpose_b", [4, 8], [6, 8], tb=True)
_matmul("matmul_transpose_ab", [8, 4], [6, 8], ta=True, tb=True)
_matmul("matmul_batched_const_b", [2, 3, 4, 8], [8, 5])
_matmul("matmul_batched_broadcast", [2, 1, 4, 8], [1, 3, 8, 5], b_param=True)
_matmul("matmul_batched_rank_mismatch_tb", [3, 4, 8], [2, 1, 5, 8], tb=True, b_param=True)
_matmul("matmul_rank1_a", [8], [2, 8, 5])
_matmul("matmul_rank1_b", [2, 4, 8], [8], b_param=True)
_matmul("matmul_rank1_both", [8], [8], b_param=True)
_matmul("matmul_rank1_a_transpose_b", [8], [5, 8], tb=True)
_matmul("matmul_two_params_tb", [1, 2, 6, 16], [1, 2, 6, 16], tb=True, b_param=True)


# ----------------------------------------------------------------------------------------------
# FakeQuantize


def _fq(name, shape, il, ih, ol, oh, levels, x=None):
    @case(name)
    def _(r):
        p = P(shape)
        y = o1.fake_quantize(p, C(il, np.float32), C(ih, np.float32), C(ol, np.float32), C(oh, np.float32),
                             levels)
        data = x(r) if x else r.uniform(shape, -1.5, 1.5)
        return model_of(y, [p]), {"x": data}


_fq("fq_256_per_tensor", [1, 3, 4, 4], -1.0, 1.0, -1.0, 1.0, 256)
_fq("fq_256_asym_u8_range", [1, 3, 4, 4], -0.4, 1.1, -0.4, 1.1, 256)
_fq("fq_255_narrow_sym", [1, 3, 4, 4], -1.0, 1.0, -1.0, 1.0, 255)
_fq("fq_16_levels", [2, 3, 5], -0.8, 0.9, -0.8, 0.9, 16)
_fq("fq_2_levels", [2, 3, 5], -0.5, 0.5, -1.0, 1.0, 2)
_fq("fq_out_range_differs", [1, 4, 3, 3], -1.0, 1.0, 0.0, 255.0, 256)
_fq("fq_per_channel_ranges", [1, 4, 3, 3], [[[[-1.0]], [[-0.5]], [[0.0]], [[-2.0]]]],
    [[[[1.0]], [[0.5]], [[1.0]], [[0.25]]]], [[[[-1.0]], [[-0.5]], [[0.0]], [[-2.0]]]],
    [[[[1.0]], [[0.5]], [[1.0]], [[0.25]]]], 256)
_fq("fq_per_out_channel_weights", [4, 3, 2, 2], np.array([-1.0, -0.3, -0.7, -1.2]).reshape(4, 1, 1, 1),
    np.array([1.0, 0.3, 0.7, 1.2]).reshape(4, 1, 1, 1), np.array([-1.0, -0.3, -0.7, -1.2]).reshape(4, 1, 1, 1),
    np.array([1.0, 0.3, 0.7, 1.2]).reshape(4, 1, 1, 1), 255)
_fq("fq_per_last_axis_ranges", [2, 3, 4], np.array([-1.0, -0.5, -0.25, -2.0]), np.array([1.0, 0.5, 0.75, 0.1]),
    np.array([-1.0, -0.5, -0.25, -2.0]), np.array([1.0, 0.5, 0.75, 0.1]), 256)
_fq("fq_inverted_range", [2, 16], 1.0, -1.0, -1.0, 1.0, 256)
_fq("fq_inverted_output_range", [2, 16], -1.0, 1.0, 1.0, -1.0, 256)
_fq("fq_equal_bounds", [2, 8], 0.25, 0.25, -1.0, 1.0, 256)
_fq("fq_values_on_bounds", [2, 8], -0.75, 1.25, -0.75, 1.25, 256,
    lambda r: np.array([[-0.75, 1.25, -0.7500001, 1.2500001, -2.0, 2.0, -0.75, 1.25],
                        [1.25, -0.75, 0.0, 0.25, -1.0, 1.0, -0.74999994, 1.2499999]], np.float32))
_fq("fq_ties_half_even", [2, 8], 0.0, 255.0, 0.0, 255.0, 256,
    lambda r: np.array([[0.5, 1.5, 2.5, 3.5, 4.5, 125.5, 126.5, 254.5],
                        [-0.5, 0.49999997, 0.50000006, 253.5, 255.0, 256.0, 10.5, 11.5]], np.float32))
_fq("fq_ties_scaled", [1, 16], -1.0, 1.0, -1.0, 1.0, 3,
    lambda r: np.linspace(-1.0, 1.0, 16, dtype=np.float32).reshape(1, 16))


# ----------------------------------------------------------------------------------------------
# Binary elementwise ops (numpy broadcasting)

_BINARY = {"add": o1.add, "subtract": o1.subtract, "multiply": o1.multiply, "divide": o1.divide,
           "maximum": o1.maximum, "minimum": o1.minimum, "power": o1.power,
           "squared_difference": o1.squared_difference}


def _binary(op, name, a_shape, b_shape, b_const=False):
    @case(name)
    def _(r):
        a = P(a_shape, "a")
        lo, hi = (0.2, 2.0) if op in ("power", "divide") else (-2.0, 2.0)
        bval = r.uniform(b_shape, lo, hi)
        if op == "divide":
            bval = np.where(r.uniform(b_shape) < 0, -bval, bval)
        if op == "power":
            bval = r.uniform(b_shape, -2.0, 3.0)
        b = C(bval) if b_const else P(b_shape, "b")
        y = _BINARY[op](a, b)
        inputs = {"a": r.uniform(a_shape, lo, hi)}
        if not b_const:
            inputs["b"] = bval
        return model_of(y, [a] if b_const else [a, b]), inputs


for _op in _BINARY:
    _binary(_op, f"{_op}_same_shape", [2, 3, 4, 5], [2, 3, 4, 5])
    _binary(_op, f"{_op}_broadcast", [2, 3, 4, 5], [3, 1, 5])
_binary("add", "add_bidirectional", [2, 1, 4], [3, 1], b_const=True)
_binary("add", "add_scalar_const", [2, 3, 4], [], b_const=True)
_binary("add", "add_channel_bias", [1, 8, 3, 3], [1, 8, 1, 1], b_const=True)
_binary("multiply", "multiply_lower_rank_first", [4, 1], [2, 3, 1, 5])
_binary("subtract", "subtract_scalar_param", [3, 4], [])
_binary("divide", "divide_bidirectional", [5, 1, 3], [1, 4, 1])
_binary("power", "power_scalar_exponent", [2, 3, 4], [], b_const=True)


@case("prelu_per_channel")
def _(r):
    x = P([1, 4, 3, 3])
    return model_of(o1.prelu(x, C(r.uniform([4], 0.0, 0.5))), [x]), None


@case("prelu_scalar_slope")
def _(r):
    x = P([2, 3, 5])
    return model_of(o1.prelu(x, C(np.array([0.2], np.float32))), [x]), None


@case("prelu_2d_per_channel")
def _(r):
    x = P([4, 6])
    return model_of(o1.prelu(x, C(r.uniform([6], -0.5, 0.5))), [x]), None


# ----------------------------------------------------------------------------------------------
# Unary activations


def _unary(name, make, shape=(2, 3, 4, 5), lo=-4.0, hi=4.0):
    @case(name)
    def _(r):
        x = P(list(shape))
        data = r.uniform(list(shape), lo, hi)
        if lo < 0 < hi:  # exact zeros and ties for clamp-like ops
            data.flat[:4] = [0.0, -0.0, lo / 2, hi / 2]
        return model_of(make(x), [x]), {"x": data}


_unary("relu", o1.relu)
_unary("sigmoid", o1.sigmoid, lo=-10, hi=10)
_unary("tanh", o1.tanh)
_unary("exp", o1.exp, lo=-6, hi=6)
_unary("sqrt", o1.sqrt, lo=0.0, hi=9.0)
_unary("erf", o1.erf, lo=-3, hi=3)
_unary("elu_alpha_0_5", lambda x: o1.elu(x, 0.5))
_unary("elu_alpha_1", lambda x: o1.elu(x, 1.0))
_unary("clamp_0_6", lambda x: o1.clamp(x, 0.0, 6.0), lo=-8, hi=8)
_unary("clamp_fractional", lambda x: o1.clamp(x, -0.5, 0.75))
_unary("hswish", o4.hswish, lo=-5, hi=5)
_unary("hsigmoid", o5.hsigmoid, lo=-5, hi=5)
_unary("swish_no_beta", o4.swish)
_unary("swish_beta_0_5", lambda x: o4.swish(x, C(np.float32(0.5))))
_unary("swish_beta_2", lambda x: o4.swish(x, C(np.float32(2.0))))
_unary("gelu_v2", o2.gelu)
_unary("gelu_v7_erf", lambda x: o7.gelu(x, "erf"))
_unary("gelu_v7_tanh", lambda x: o7.gelu(x, "tanh"))


# Where OpenVINO's CPU plugin (the reference) departs from the op specification; tests should know.
NOTES = {
    "fq_inverted_range": "CPU clamps x as max(min(x, ih), il), so with il > ih every output is ol; the "
                         "FakeQuantize-1 spec formula (min/max compare, then (x-il)/(ih-il)) gives other values",
    "fq_values_on_bounds": "CPU's scale/shift form returns ol/oh only to within ~1 ulp, not exactly",
    "fq_ties_half_even": "exact .5 ties of (x-il)/(ih-il)*(levels-1): round half to even",
    "convert_f32_to_i8_out_of_range": "CPU truncates to i32 and keeps the low byte (wraps; out-of-i32 -> 0); "
                                      "it does not saturate",
    "convert_f32_to_u8_out_of_range": "CPU truncates to i32 and keeps the low byte (wraps; out-of-i32 -> 0); "
                                      "it does not saturate",
    "convert_f32_to_f16": "overflow to inf, RNE",
}


def generate_ops(out, only=None):
    """Writes every registered case under `out` and the cases.json index; returns the index."""
    import zoo_ops_data  # noqa: F401  (registers the remaining cases)
    import zoo_ops_logic
    import zoo_ops_normalization
    import zoo_ops_movement
    import zoo_ops_indexing
    import zoo_ops_attention
    import zoo_ops_control_flow
    import zoo_ops_misc
    import zoo_ops_recurrent
    import zoo_ops_vision
    import zoo_ops_types
    import zoo_ops_random
    import zoo_ops_folded

    notes = dict(NOTES)
    for module in (zoo_ops_logic, zoo_ops_normalization, zoo_ops_movement, zoo_ops_indexing, zoo_ops_attention,
                   zoo_ops_control_flow, zoo_ops_recurrent, zoo_ops_vision, zoo_ops_misc, zoo_ops_types,
                   zoo_ops_random, zoo_ops_folded):
        notes.update(getattr(module, "NOTES", {}))

    out.mkdir(parents=True, exist_ok=True)
    index, refused = {}, {}
    for name, f in CASES.items():
        if only and name not in only:
            continue
        seed = zlib.crc32(name.encode()) & 0x7FFFFFFF
        try:
            model, inputs = f(Rng(seed))
            info = save_case(model, out / name, inputs=inputs, seed=seed)
            for o in info["outputs"]:
                ref = np.load(out / name / o["file"])
                if ref.dtype.kind == "f" and np.isnan(ref).any():
                    raise ValueError(f"OpenVINO CPU output {o['name']} holds NaN")
        except Exception as e:  # OV refused the case: drop it and say why
            refused[name] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
            shutil.rmtree(out / name, ignore_errors=True)
            traceback.print_exc()
            continue
        core_ops = sorted(k for k in info["ir_type_versions"]
                          if k.split("/")[0] not in ("Parameter", "Result", "Const"))
        index[name] = {"ops": core_ops, "inputs": [i["file"] for i in info["inputs"]],
                       "outputs": [o["file"] for o in info["outputs"]]}
        if name in notes:
            index[name]["note"] = notes[name]
    index_file = out / "cases.json"
    if only and index_file.exists():
        # Regenerating some cases keeps the others' entries (in registry order, as a full run writes).
        old = json.loads(index_file.read_text())
        merged, old_refused = {}, old.get("refused", {})
        for name in CASES:
            if name in index:
                merged[name] = index[name]
            elif name in old["cases"] and name not in (only or []):
                merged[name] = old["cases"][name]
        refused = {**{k: v for k, v in old_refused.items() if k not in (only or [])}, **refused}
        index = merged
    index_file.write_text(json.dumps({"cases": index, "refused": refused}, indent=1) + "\n")
    for k, v in refused.items():
        print(f"refused {k}: {v}")
    return index
