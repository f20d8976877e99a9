"""Single-op zoo cases of the comparison, logical, bitwise and further elementwise math ops (issue 11), registered into zoo_ops.CASES.

Inputs stay where OpenVINO's CPU plugin and the op specifications agree: no NaN outputs (make_zoo refuses
them; NaN/inf behaviour is unit-tested against the spec), integer values within i32 (the CPU plugin runs
i64 arithmetic in i32), shift counts inside [0, bits), Round half_away_from_zero only on exact .5 ties
(the CPU's x+0.5 trick rounds 0.49999997 up), Mod/FloorMod quotients away from integers (the CPU divides
in f32)."""

import numpy as np
import openvino.opset1 as o1
import openvino.opset4 as o4
import openvino.opset5 as o5
import openvino.opset9 as o9
import openvino.opset10 as o10
import openvino.opset13 as o13
import openvino.opset15 as o15

from zoo_common import make_model
from zoo_ops import C, P, case, model_of

_NP = {"f32": np.float32, "f16": np.float16, "i32": np.int32, "i64": np.int64, "u8": np.uint8,
       "i8": np.int8, "boolean": np.bool_}


def _grid(r, shape, t, lo=-3, hi=3):
    """Values on a coarse grid (so that equal elements occur): halves for floats, small integers, booleans."""
    if t == "boolean":
        return r.g.integers(0, 2, size=shape).astype(np.bool_)
    if t in ("f32", "f16"):
        return (r.g.integers(2 * lo, 2 * hi + 1, size=shape) * 0.5).astype(_NP[t])
    if t == "u8":
        lo, hi = 0, hi - lo
    return r.g.integers(lo, hi + 1, size=shape).astype(_NP[t])


def _binary(name, make, a_shape, b_shape, t, data=_grid, b_const=False):
    @case(name)
    def _(r):
        a = P(a_shape, "a", _NP[t])
        b_val = data(r, b_shape, t)
        b = C(b_val, _NP[t]) if b_const else P(b_shape, "b", _NP[t])
        inputs = {"a": data(r, a_shape, t)}
        if not b_const:
            inputs["b"] = b_val
        return model_of(make(a, b), [a] if b_const else [a, b]), inputs


def _unary(name, make, shape, t, data):
    @case(name)
    def _(r):
        x = P(shape, "x", _NP[t])
        return model_of(make(x), [x]), {"x": np.asarray(data(r, shape), _NP[t])}


# ----------------------------------------------------------------------------------------------
# Comparison (v1): every op on every element type, numpy broadcasting, plus none/pdpd and scalars.

_CMP = {"equal": o1.equal, "not_equal": o1.not_equal, "less": o1.less, "less_equal": o1.less_equal,
        "greater": o1.greater, "greater_equal": o1.greater_equal}
_CMP_SHAPES = [([2, 3, 4], [3, 1]), ([5, 1], [1, 7]), ([3, 4], []), ([1], [2, 3]), ([2, 1, 3], [4, 1]),
               ([7], [7])]

for _i, _op in enumerate(_CMP):
    for _j, _t in enumerate(("f32", "f16", "i32", "i64", "u8", "boolean")):
        _a, _b = _CMP_SHAPES[(_i + _j) % len(_CMP_SHAPES)]
        _binary(f"{_op}_{_t}", _CMP[_op], _a, _b, _t)
_binary("equal_none", lambda a, b: o1.equal(a, b, "none"), [2, 5], [2, 5], "f32")
_binary("less_none_i64", lambda a, b: o1.less(a, b, "none"), [3, 2, 2], [3, 2, 2], "i64")
# pdpd from Python has axis 0; the CPU plugin compiles it only where that equals the right-aligned
# placement (B of A's rank).
_binary("greater_pdpd", lambda a, b: o1.greater(a, b, "pdpd"), [2, 3, 4], [2, 1, 4], "f32")
_binary("not_equal_pdpd_i32", lambda a, b: o1.not_equal(a, b, "pdpd"), [3, 5], [1, 5], "i32")
_binary("greater_equal_scalar_const", o1.greater_equal, [2, 3, 5], [], "f32", b_const=True)
_binary("equal_i64_shape_like", o1.equal, [4], [4], "i64", b_const=True)


def _multi(nodes, params):
    """A model with several outputs y0, y1, ... (one per node)."""
    outs = []
    for k, n in enumerate(nodes):
        o = n.output(0)
        o.get_tensor().set_names({f"y{k}"})
        outs.append(o)
    return make_model(outs, params, "op")


@case("compare_f32_signed_zeros_and_inf")
def _(r):
    a, b = P([8], "a"), P([8], "b")
    av = np.array([0.0, -0.0, -np.inf, np.inf, 1e-38, -1e-45, 3.0, -np.inf], np.float32)
    bv = np.array([-0.0, 0.0, -np.inf, 3.4e38, 0.0, 0.0, 3.0000002, 0.0], np.float32)
    return _multi([o1.less(a, b), o1.equal(a, b), o1.greater_equal(a, b)], [a, b]), {"a": av, "b": bv}


# ----------------------------------------------------------------------------------------------
# Logical (boolean in/out). LogicalXor-1 is written version="opset2".

_LOGIC = {"logical_and": o1.logical_and, "logical_or": o1.logical_or, "logical_xor": o1.logical_xor}
for _op, _f in _LOGIC.items():
    _binary(f"{_op}_broadcast", _f, [2, 3, 4], [3, 1], "boolean")
    _binary(f"{_op}_same_shape", _f, [5, 7], [5, 7], "boolean")
_binary("logical_and_none", lambda a, b: o1.logical_and(a, b, "none"), [3, 4], [3, 4], "boolean")
_binary("logical_or_scalar", o1.logical_or, [2, 5], [], "boolean")
_binary("logical_xor_pdpd", lambda a, b: o1.logical_xor(a, b, "pdpd"), [2, 3, 4], [2, 3, 1], "boolean")
_unary("logical_not", o1.logical_not, [3, 7], "boolean", lambda r, s: _grid(r, s, "boolean"))
_unary("logical_not_scalar", o1.logical_not, [], "boolean", lambda r, s: np.array(True))


@case("logical_compare_chain")
def _(r):
    # (a < b) and not (a == c): the shape-subgraph pattern of converted models.
    a, b, c = P([2, 6], "a", np.int64), P([6], "b", np.int64), P([2, 1], "c", np.int64)
    y = o1.logical_and(o1.less(a, b), o1.logical_not(o1.equal(a, c)))
    return model_of(y, [a, b, c]), {"a": _grid(r, [2, 6], "i64"), "b": _grid(r, [6], "i64"),
                                     "c": _grid(r, [2, 1], "i64")}


# ----------------------------------------------------------------------------------------------
# Select (v1). pdpd is unit-tested only: the CPU plugin refuses Python's pdpd (axis 0) Select.


def _select(name, cond_shape, then_shape, else_shape, t, mode="numpy"):
    @case(name)
    def _(r):
        c = P(cond_shape, "cond", np.bool_)
        a, b = P(then_shape, "then", _NP[t]), P(else_shape, "else", _NP[t])
        return model_of(o1.select(c, a, b, mode), [c, a, b]), {
            "cond": _grid(r, cond_shape, "boolean"), "then": _grid(r, then_shape, t, 1, 5),
            "else": _grid(r, else_shape, t, -5, -1) if t not in ("u8", "boolean") else _grid(r, else_shape, t)}


_select("select_f32_same_shape", [3, 5], [3, 5], [3, 5], "f32")
_select("select_f32_broadcast", [2, 1, 4], [3, 1], [1], "f32")
_select("select_cond_widest", [4, 2, 3], [2, 3], [3], "f32")
_select("select_scalar_cond", [], [2, 7], [2, 7], "f32")
_select("select_i64", [5], [2, 5], [5], "i64")
_select("select_i32_none", [2, 3], [2, 3], [2, 3], "i32", "none")
_select("select_u8", [3, 1], [3, 4], [1, 4], "u8")
_select("select_f16", [6], [6], [6], "f16")
_select("select_boolean", [2, 4], [2, 4], [4], "boolean")


# ----------------------------------------------------------------------------------------------
# Unary math


def _uniform(lo, hi, specials=()):
    def data(r, shape):
        v = r.uniform(shape, lo, hi)
        flat = v.reshape(-1)
        flat[:len(specials)] = specials[:flat.size]
        return v
    return data


def _ints(lo, hi, specials=()):
    def data(r, shape):
        v = r.g.integers(lo, hi + 1, size=shape)
        v.reshape(-1)[:len(specials)] = specials[:v.size]
        return v
    return data


_TIES = (-4.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5, -0.0, 0.0, 2.3, -2.7)
_UNARY_F = [
    ("abs", o1.absolute, -4, 4, (0.0, -0.0, -3.5)),
    ("negative", o1.negative, -4, 4, (0.0, -0.0)),
    ("sign", o1.sign, -4, 4, (0.0, -0.0, 1e-30, -1e-30)),
    ("floor", o1.floor, -4, 4, _TIES),
    ("ceiling", o1.ceiling, -4, 4, _TIES),
    ("round_half_to_even", lambda x: o5.round(x, "half_to_even"), -5, 5, _TIES),
    ("round_half_away_from_zero", lambda x: o5.round(x, "half_away_from_zero"), -5, 5, _TIES),
    ("log", o1.log, 0.01, 20, (1.0, 2.718281828, 1e-3)),
    ("sin", o1.sin, -7, 7, (0.0, 3.14159265)),
    ("cos", o1.cos, -7, 7, (0.0, 1.5707964)),
    ("tan", o1.tan, -1.4, 1.4, (0.0,)),
    ("asin", o1.asin, -1, 1, (-1.0, 1.0, 0.0)),
    ("acos", o1.acos, -1, 1, (-1.0, 1.0, 0.0)),
    ("atan", o1.atan, -10, 10, (0.0, 1e6, -1e6)),
    ("sinh", o1.sinh, -5, 5, (0.0,)),
    ("cosh", o1.cosh, -5, 5, (0.0,)),
    ("asinh", o4.asinh, -10, 10, (0.0,)),
    ("acosh", o4.acosh, 1, 10, (1.0,)),
    ("atanh", o4.atanh, -0.99, 0.99, (0.0,)),
    ("mish", o4.mish, -10, 10, (0.0, -30.0, 30.0)),
    ("softplus", o4.softplus, -15, 25, (0.0, 19.9, 20.0, 20.1)),
    ("softsign", o9.softsign, -10, 10, (0.0, -1e4)),
]
for _n, _f, _lo, _hi, _sp in _UNARY_F:
    _unary(f"{_n}_f32", _f, [2, 3, 7], "f32", _uniform(_lo, _hi, _sp))
for _n, _f, _lo, _hi, _sp in _UNARY_F[:7] + [_UNARY_F[i] for i in (7, 8, 16, 19, 20)]:
    _unary(f"{_n}_f16", _f, [3, 5], "f16", _uniform(_lo, _hi, _sp))
_unary("abs_scalar", o1.absolute, [], "f32", lambda r, s: np.array(-2.25))
_unary("sin_rank5", o1.sin, [2, 1, 3, 2, 2], "f32", _uniform(-3, 3))

# Integer inputs: exact for Abs/Negative/Sign/Floor/Ceiling/Round; the transcendental ones round
# their result (OpenVINO's CPU and reference agree in range).
for _t in ("i32", "i64"):
    _unary(f"abs_{_t}", o1.absolute, [3, 4], _t, _ints(-100, 100, (0, -1, 1)))
    _unary(f"negative_{_t}", o1.negative, [3, 4], _t, _ints(-100, 100, (0,)))
    _unary(f"sign_{_t}", o1.sign, [3, 4], _t, _ints(-5, 5, (0, -1, 1)))
_unary("abs_i8", o1.absolute, [9], "i8", _ints(-127, 127, (0, -127, 127)))
_unary("sign_u8", o1.sign, [6], "u8", _ints(0, 255, (0, 1, 255)))
_unary("floor_i32", o1.floor, [7], "i32", _ints(-50, 50))
_unary("ceiling_i64", o1.ceiling, [7], "i64", _ints(-50, 50))
_unary("round_i32", lambda x: o5.round(x, "half_away_from_zero"), [7], "i32", _ints(-50, 50))
_unary("sin_i32", o1.sin, [11], "i32", _ints(-10, 10, tuple(range(-5, 6))))
_unary("cos_i64", o1.cos, [11], "i64", _ints(-10, 10, tuple(range(-5, 6))))
_unary("atan_i32", o1.atan, [9], "i32", _ints(-20, 20, (0, 1, -1, 2, -2)))
_unary("sinh_i32", o1.sinh, [9], "i32", _ints(-6, 6, (0, 1, -1, 6, -6)))
_unary("cosh_u8", o1.cosh, [6], "u8", _ints(0, 5, (0, 1, 2, 3, 4, 5)))
_unary("log_i32", o1.log, [8], "i32", _ints(1, 1000, (1, 2, 3, 7, 8, 1000)))
_unary("asinh_i64", o4.asinh, [7], "i64", _ints(-100, 100, (0, 1, -1)))
_unary("acosh_i32", o4.acosh, [7], "i32", _ints(1, 100, (1, 2, 3)))
_unary("asin_i32", o1.asin, [3], "i32", lambda r, s: np.array([-1, 0, 1]))
_unary("tan_i32", o1.tan, [5], "i32", lambda r, s: np.array([-1, 0, 1, 4, -4]))


def _param_unary(name, make, shape, t, lo, hi, p1, p2):
    @case(name)
    def _(r):
        x = P(shape, "x", _NP[t])
        return model_of(make(x, C(p1, _NP[t]), C(p2, _NP[t])), [x]), {
            "x": r.uniform(shape, lo, hi).astype(_NP[t])}


_param_unary("selu_default", o1.selu, [2, 3, 5], "f32", -4, 4, [1.6732632], [1.0507010])
_param_unary("selu_custom", o1.selu, [4, 7], "f32", -3, 3, [0.5], [2.0])
_param_unary("selu_f16", o1.selu, [4, 5], "f16", -3, 3, [1.6732632], [1.0507010])
_param_unary("hard_sigmoid_onnx", o1.hard_sigmoid, [2, 3, 5], "f32", -6, 6, np.float32(0.2), np.float32(0.5))
_param_unary("hard_sigmoid_sixth", o1.hard_sigmoid, [4, 9], "f32", -5, 5, np.float32(1 / 6), np.float32(0.5))
_param_unary("hard_sigmoid_f16", o1.hard_sigmoid, [3, 4], "f16", -5, 5, np.float16(0.2), np.float16(0.5))


# ----------------------------------------------------------------------------------------------
# Mod / FloorMod (v1)


def _mod_data(r, shape, t):
    """Integer dividends and divisors of both signs (u8: non-negative)."""
    if t == "u8":
        return r.g.integers(0, 250, size=shape).astype(np.uint8)
    return r.g.integers(-40, 41, size=shape).astype(_NP[t])


def _mod(name, make, a_shape, b_shape, t, mode="numpy"):
    @case(name)
    def _(r):
        a, b = P(a_shape, "a", _NP[t]), P(b_shape, "b", _NP[t])
        if t in ("f32", "f16"):
            # a = b * (k + u), u in [0.1, 0.9]: the quotient stays clear of integers.
            assert tuple(np.broadcast_shapes(tuple(a_shape), tuple(b_shape))) == tuple(a_shape)
            bv = r.uniform(b_shape, 0.5, 4.0) * np.where(r.uniform(b_shape) < 0, -1, 1)
            k = r.g.integers(-6, 7, size=a_shape) + r.uniform(a_shape, 0.1, 0.9)
            av = (k * np.broadcast_to(bv, a_shape)).astype(_NP[t])
            bv = bv.astype(_NP[t])
        else:
            av = _mod_data(r, a_shape, t)
            bv = _mod_data(r, b_shape, t)
            bv[bv == 0] = 3
        return model_of(make(a, b, mode), [a, b]), {"a": av, "b": bv}


for _n, _f in (("mod", o1.mod), ("floor_mod", o1.floor_mod)):
    _mod(f"{_n}_f32", _f, [3, 8], [3, 8], "f32")
    _mod(f"{_n}_f32_broadcast", _f, [2, 3, 4], [3, 1], "f32")
    _mod(f"{_n}_f16", _f, [12], [12], "f16")
    _mod(f"{_n}_i32", _f, [4, 6], [4, 6], "i32")
    _mod(f"{_n}_i64_broadcast", _f, [3, 5], [5], "i64")
    _mod(f"{_n}_u8", _f, [9], [9], "u8")
    _mod(f"{_n}_i32_none", _f, [2, 5], [2, 5], "i32", "none")


@case("floor_mod_sign_table")
def _(r):
    a, b = P([8], "a", np.int32), P([8], "b", np.int32)
    y = [o1.mod(a, b), o1.floor_mod(a, b)]
    return _multi(y, [a, b]), {"a": np.array([7, -7, 7, -7, 0, 6, -6, 5], np.int32),
                               "b": np.array([3, 3, -3, -3, 4, 3, -3, 7], np.int32)}


# ----------------------------------------------------------------------------------------------
# ConvertLike (v1)


def _convert_like(name, src, dst, data, shape=None):
    @case(name)
    def _(r):
        d = np.asarray(data, _NP[src])
        x = P(list(d.shape), "x", _NP[src])
        like = P([2], "like", _NP[dst])
        return model_of(o1.convert_like(x, like), [x, like]), {"x": d, "like": _grid(r, [2], dst)}


_convert_like("convert_like_f32_to_i32", "f32", "i32", [[-2.7, -0.5, 0.0, 0.9, 3.99], [100.5, -100.5, 7.0, 1e6, -3.2]])
_convert_like("convert_like_f32_to_f16", "f32", "f16", [1.0, 1.0009766, 1.00048828, 65504.0, -2.5, 1e-3])
_convert_like("convert_like_i32_to_f32", "i32", "f32", [[-7, 0, 16777217], [3, 100000, -1]])
_convert_like("convert_like_f32_to_boolean", "f32", "boolean", [0.0, -0.0, 1.0, -2.5, 0.5, 1e-30])
_convert_like("convert_like_u8_to_i64", "u8", "i64", [0, 1, 127, 128, 255])
_convert_like("convert_like_i64_to_u8", "i64", "u8", [0, 1, 127, 128, 255])
_convert_like("convert_like_boolean_to_f32", "boolean", "f32", [True, False, True])


# ----------------------------------------------------------------------------------------------
# Bitwise (opset13; shifts opset15)


def _bits(r, shape, t):
    if t == "boolean":
        return _grid(r, shape, t)
    lo, hi = {"u8": (0, 255), "i8": (-128, 127), "i32": (-2**31, 2**31 - 1), "i64": (-2**31, 2**31 - 1)}[t]
    return r.g.integers(lo, hi, size=shape, endpoint=True).astype(_NP[t])


_BIT = {"bitwise_and": o13.bitwise_and, "bitwise_or": o13.bitwise_or, "bitwise_xor": o13.bitwise_xor}
for _i, _op in enumerate(_BIT):
    for _j, _t in enumerate(("i32", "u8", "i64", "boolean", "i8")):
        _a, _b = _CMP_SHAPES[(_i + _j) % len(_CMP_SHAPES)]
        _binary(f"{_op}_{_t}", _BIT[_op], _a, _b, _t, data=_bits)
_binary("bitwise_and_none", lambda a, b: o13.bitwise_and(a, b, "none"), [3, 4], [3, 4], "i32", data=_bits)
for _t in ("i32", "u8", "i64", "boolean", "i8"):
    _unary(f"bitwise_not_{_t}", o13.bitwise_not, [3, 5], _t, lambda r, s, t=_t: _bits(r, s, t))


def _shift(name, make, t, values, counts):
    @case(name)
    def _(r):
        a, b = P([len(values)], "a", _NP[t]), P([len(counts)] if len(counts) > 1 else [1], "b", _NP[t])
        return model_of(make(a, b), [a, b]), {"a": np.array(values, _NP[t]), "b": np.array(counts, _NP[t])}


_shift("bitwise_left_shift_i32", o15.bitwise_left_shift, "i32", [1, -3, 5, 1, 7, -1, 123456, 0],
       [3, 2, 0, 31, 4, 30, 8, 5])
_shift("bitwise_right_shift_i32", o15.bitwise_right_shift, "i32", [64, -64, 5, -1, 7, -2147483648, 123456, 0],
       [3, 2, 0, 31, 4, 30, 8, 5])
_shift("bitwise_left_shift_u8", o15.bitwise_left_shift, "u8", [1, 200, 5, 1, 7, 255], [3, 2, 0, 7, 1, 4])
_shift("bitwise_right_shift_u8", o15.bitwise_right_shift, "u8", [64, 200, 5, 255, 7, 128], [3, 2, 0, 7, 1, 4])
_shift("bitwise_left_shift_i64_broadcast", o15.bitwise_left_shift, "i64", [1, -3, 5, 100], [2])
_shift("bitwise_right_shift_i8", o15.bitwise_right_shift, "i8", [-128, 127, -1, 64, -7], [7, 6, 3, 1, 1])


# ----------------------------------------------------------------------------------------------
# IsNaN / IsInf / IsFinite (opset10): NaN and inf inputs, boolean outputs. No denormals: the CPU
# plugin's IsFinite says false for -1e-45 (the spec, and octet, say finite; unit-tested).

_SPECIAL = np.array([[np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0], [3.4e38, -1e-30, np.nan, -np.inf, 65504.0, -7.5]])


def _classify(name, make, t="f32"):
    @case(name)
    def _(r):
        x = P([2, 6], "x", _NP[t])
        return model_of(make(x), [x]), {"x": _SPECIAL.astype(_NP[t])}


_classify("is_nan", o10.is_nan)
_classify("is_nan_f16", o10.is_nan, "f16")
_classify("is_finite", o10.is_finite)
_classify("is_finite_f16", o10.is_finite, "f16")
_classify("is_inf", o10.is_inf)
_classify("is_inf_f16", o10.is_inf, "f16")
_classify("is_inf_negative_only", lambda x: o10.is_inf(x, {"detect_positive": False}))
_classify("is_inf_positive_only", lambda x: o10.is_inf(x, {"detect_negative": False}))
_classify("is_inf_none", lambda x: o10.is_inf(x, {"detect_negative": False, "detect_positive": False}))


# Where OpenVINO's CPU plugin departs from the op specification (filled in as generation shows).
NOTES = {}
