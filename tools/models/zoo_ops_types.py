"""Single-op zoo cases of integer and boolean element types through the elementwise ops (issue 11, section
3): Add, Subtract, Multiply, Divide (m_pythondiv true and false), Maximum, Minimum, Power, SquaredDifference,
PRelu, Relu, Clamp, Sqrt, Erf on i8/u8/i16/u16/i32/u32/i64/u64, and Convert between every pair of integer,
boolean and float types. Registered into zoo_ops.CASES.

OpenVINO 2026.4's CPU plugin is an oracle for these ops only where its arithmetic is exact (probed with
every op and type, see NOTES): it computes integer eltwise ops in f32 and saturates u8/i8 results, runs
i64/u64 in i32 and converts float -> integer by truncating to i32 and keeping the low bits. So inputs stay
where every result fits its type and |values| < 2^24; overflow, wrapping, division by zero and out-of-range
conversions are unit-tested against the specification instead (tests/unit/reference/int_types_test.cpp)."""

import numpy as np
import openvino as ov
import openvino.opset1 as o1

from zoo_ops import C, P, case, model_of

_NP = {"i8": np.int8, "u8": np.uint8, "i16": np.int16, "u16": np.uint16, "i32": np.int32, "u32": np.uint32,
       "i64": np.int64, "u64": np.uint64, "boolean": np.bool_, "f32": np.float32, "f16": np.float16}
_SIGNED = ("i8", "i16", "i32", "i64")


def _ints(r, shape, t, lo, hi):
    """Uniform integers in [lo, hi], clipped to the type's range."""
    info = np.iinfo(_NP[t])
    return r.g.integers(max(lo, int(info.min)), min(hi, int(info.max)) + 1, size=shape).astype(_NP[t])


def _divide(python):
    def make(a, b):
        d = o1.divide(a, b)
        d.set_attribute("m_pythondiv", python)
        return d
    return make


# Per op: the builder and the operand ranges (a, b) per signedness that keep every result inside the
# type and exact in f32 (u8/i8 Multiply and SquaredDifference stay tiny).
_OPS = {
    "add": (o1.add, {"s": ((-60, 60), (-60, 60)), "u": ((0, 120), (0, 120))}),
    "subtract": (o1.subtract, {"s": ((-60, 60), (-60, 60)), "u": ((100, 200), (0, 100))}),
    "multiply": (o1.multiply, {"s": ((-11, 11), (-11, 11)), "u": ((0, 15), (0, 15))}),
    "maximum": (o1.maximum, {"s": ((-100, 100), (-100, 100)), "u": ((0, 200), (0, 200))}),
    "minimum": (o1.minimum, {"s": ((-100, 100), (-100, 100)), "u": ((0, 200), (0, 200))}),
    "squared_difference": (o1.squared_difference, {"s": ((-5, 5), (-5, 5)), "u": ((0, 10), (0, 10))}),
    "divide_floor": (_divide(True), {"s": ((-100, 100), (-9, 9)), "u": ((0, 200), (1, 9))}),
    "divide_trunc": (_divide(False), {"s": ((-100, 100), (-9, 9)), "u": ((0, 200), (1, 9))}),
}


def _binary(op, t, a_shape, b_shape, suffix=""):
    make, ranges = _OPS[op]
    (alo, ahi), (blo, bhi) = ranges["s" if t in _SIGNED else "u"]

    @case(f"{op}_{t}{suffix}")
    def _(r):
        a, b = P(a_shape, "a", _NP[t]), P(b_shape, "b", _NP[t])
        bv = _ints(r, b_shape, t, blo, bhi)
        if op.startswith("divide"):
            bv[bv == 0] = 7  # division by zero is undefined (octet raises; unit-tested)
        av = _ints(r, a_shape, t, alo, ahi)
        if op.startswith("divide") and t in _SIGNED:
            # Exact quotients and every sign combination with a remainder, where floor and truncation part.
            av.flat[:6] = [-7, 7, -7, 7, -8, 6]
            bv.flat[:6] = [2, -2, -2, 2, 4, -3]
        return model_of(make(a, b), [a, b]), {"a": av, "b": bv}


_ALL_INT = ("i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64")
for _op in _OPS:
    for _t in _ALL_INT:
        _binary(_op, _t, [2, 3, 5], [2, 3, 5])
    _binary(_op, "i32", [2, 3, 5], [3, 1], "_broadcast")
    _binary(_op, "u8", [4, 1, 3], [1, 5, 1], "_broadcast")
    _binary(_op, "i64", [7], [], "_scalar")


def _power(t, lo, hi, negative_exponents):
    @case(f"power_{t}")
    def _(r):
        a, b = P([4, 6], "a", _NP[t]), P([4, 6], "b", _NP[t])
        base = _ints(r, [4, 6], t, lo, hi)
        exp = _ints(r, [4, 6], t, 0, 3)
        if negative_exponents:
            # 1 and -1 to any power, 2^-1 = 0.5 and (-2)^-2 = 0.25 truncate to 0; 0^0 = 1.
            base[0] = [1, -1, -1, 2, -2, 0]
            exp[0] = [-3, -3, -2, -1, -2, 0]
        return model_of(o1.power(a, b), [a, b]), {"a": base, "b": exp}


for _t in _ALL_INT:
    _power(_t, -5 if _t in _SIGNED else 0, 5, _t in _SIGNED)


@case("power_i32_broadcast_exponent")
def _(r):
    a = P([3, 5], "a", np.int32)
    return model_of(o1.power(a, C(np.array([0, 1, 2, 3, 2], np.int32))), [a]), \
        {"a": _ints(r, [3, 5], "i32", -9, 9)}


# Unary ops. Relu and Clamp on every type; Sqrt and Erf (integer results rounded, per the specs; Sqrt's
# "half up" never meets a tie for integer inputs) on a few. Exp is floating-point only in its spec and
# octet refuses it on integers (OpenVINO's reference truncates e^x, its CPU plugin rounds).

def _unary(name, make, t, data):
    @case(name)
    def _(r):
        x = P([3, 7], "x", _NP[t])
        return model_of(make(x), [x]), {"x": data(r, t)}


def _small(r, t):
    return _ints(r, [3, 7], t, -100, 100)


for _t in _ALL_INT:
    _unary(f"relu_{_t}", o1.relu, _t, _small)
    _unary(f"clamp_{_t}", lambda x: o1.clamp(x, -2.5, 7.5), _t, _small)
for _t in ("i32", "i64", "u8", "i8"):
    _unary(f"sqrt_{_t}", o1.sqrt, _t, lambda r, t: _ints(r, [3, 7], t, 0, 120))
    _unary(f"erf_{_t}", o1.erf, _t, _small)
# Clamp's bounds become ceil(min) and floor(max) for integers; with min 0.2 and max 0.8 that is [1, 0]
# and the spec formula min(max(x, 1), 0) gives 0 everywhere.
_unary("clamp_i32_empty_after_rounding", lambda x: o1.clamp(x, 0.2, 0.8), "i32", _small)
_unary("clamp_i32_integral_bounds", lambda x: o1.clamp(x, -3.0, 3.0), "i32", _small)
_unary("clamp_u8_negative_min", lambda x: o1.clamp(x, -7.9, 200.1), "u8", lambda r, t: _ints(r, [3, 7], t, 0, 255))
_unary("clamp_i8_bounds_beyond_type", lambda x: o1.clamp(x, -1000.0, 1000.0), "i8",
       lambda r, t: _ints(r, [3, 7], t, -128, 127))


def _prelu(t, slope_shape, x_shape):
    @case(f"prelu_{t}" + ("_per_channel" if len(slope_shape) == 1 and slope_shape[0] > 1 else ""))
    def _(r):
        x = P(x_shape, "x", _NP[t])
        slope = C(_ints(r, slope_shape, t, 0, 3))
        return model_of(o1.prelu(x, slope), [x]), {"x": _ints(r, x_shape, t, -30, 30)}


for _t in ("i8", "i32", "i64"):
    _prelu(_t, [1], [2, 3, 4])
_prelu("i32", [3], [2, 3, 4])


# ----------------------------------------------------------------------------------------------
# The F1 ops on the integer types zoo_ops_logic.py leaves out (it covers i32/i64/u8): Mod (sign of the
# dividend) and FloorMod (sign of the divisor) with every sign combination, Abs, Negative, the
# comparisons and Select.

_MORE_INT = ("i8", "i16", "u16", "u32", "u64")


def _remainder(name, make, t):
    @case(f"{name}_{t}")
    def _(r):
        a, b = P([3, 8], "a", _NP[t]), P([3, 8], "b", _NP[t])
        if t in _SIGNED:
            av, bv = _ints(r, [3, 8], t, -100, 100), _ints(r, [3, 8], t, -9, 9)
            av[0] = [7, -7, 7, -7, 0, 6, -6, -128 if t == "i8" else -1000]
            bv[0] = [3, 3, -3, -3, 4, -3, 3, 7]
        else:
            av, bv = _ints(r, [3, 8], t, 0, 200), _ints(r, [3, 8], t, 1, 9)
        bv[bv == 0] = 5  # by zero is undefined (octet raises)
        return model_of(make(a, b), [a, b]), {"a": av, "b": bv}


for _t in _MORE_INT:
    _remainder("mod", o1.mod, _t)
    _remainder("floor_mod", o1.floor_mod, _t)
    if _t != "i8":  # abs_i8 is in zoo_ops_logic.py
        _unary(f"abs_{_t}", o1.abs, _t, _small)
    if _t in _SIGNED:
        _unary(f"negative_{_t}", o1.negative, _t, _small)
_unary("abs_u8", o1.abs, "u8", _small)


def _compare(name, make, t):
    @case(f"{name}_{t}")
    def _(r):
        a, b = P([2, 9], "a", _NP[t]), P([9], "b", _NP[t])
        lo = -5 if t in _SIGNED else 0
        return model_of(make(a, b), [a, b]), {"a": _ints(r, [2, 9], t, lo, lo + 6),
                                                "b": _ints(r, [9], t, lo, lo + 6)}


for _t in _MORE_INT:
    for _n, _f in (("equal", o1.equal), ("not_equal", o1.not_equal), ("less", o1.less),
                   ("less_equal", o1.less_equal), ("greater", o1.greater), ("greater_equal", o1.greater_equal)):
        _compare(_n, _f, _t)


def _select(t):
    @case(f"select_{t}")
    def _(r):
        c, a, b = P([2, 1, 5], "c", np.bool_), P([3, 5], "a", _NP[t]), P([2, 3, 1], "b", _NP[t])
        return model_of(o1.select(c, a, b), [c, a, b]), {
            "c": r.g.integers(0, 2, size=[2, 1, 5]).astype(np.bool_), "a": _small_shape(r, t, [3, 5]),
            "b": _small_shape(r, t, [2, 3, 1])}


def _small_shape(r, t, shape):
    return _ints(r, shape, t, -100, 100)


for _t in ("i8", "i16", "u16", "u32", "u64"):
    _select(_t)


# ----------------------------------------------------------------------------------------------
# ReduceSum, ReduceMax and ReduceMean on integers (ReduceMean divides the integer sum; sums stay inside the
# type, as the CPU plugin accumulates in f32/i32).


def _reduce(name, make, t, lo, hi, keep):
    @case(f"{name}_{t}")
    def _(r):
        x = P([3, 4, 5], "x", _NP[t])
        return model_of(make(x, C(np.array([1, -1], np.int64)), keep), [x]), {"x": _ints(r, [3, 4, 5], t, lo, hi)}


for _t in ("i8", "u8", "i16", "i32", "u32", "i64", "u64"):
    _lo = -5 if _t in _SIGNED else 0
    _reduce("reduce_sum", o1.reduce_sum, _t, _lo, 5, True)
    _reduce("reduce_max", o1.reduce_max, _t, -100 if _t in _SIGNED else 0, 100, False)
    _reduce("reduce_mean", o1.reduce_mean, _t, _lo, 5, True)


# ----------------------------------------------------------------------------------------------
# Convert between every pair of integer and boolean types, and integers/booleans <-> floats. Values that
# fit the destination, plus the wrapping that the spec defines (modulo 2^N into narrower or unsigned
# integers) wherever the CPU plugin keeps it: it runs i64/u64 in i32, so 64-bit sources stay in i32.

def _convert_values(src, dst):
    if src == "boolean":
        return np.array([True, False, True, True, False], np.bool_)
    info = np.iinfo(_NP[src])
    lo, hi = int(info.min), int(info.max)
    if src in ("i64", "u64"):
        lo, hi = max(lo, -2**31), min(hi, 2**31 - 1)
    if src == "u32" and dst in ("i64", "u64", "boolean"):
        hi = 2**31 - 1  # the CPU plugin reads u32 as i32 there
    if src in ("i32", "i64") and dst == "boolean":
        lo = max(lo, -2**31 + 1)  # the CPU plugin maps INT32_MIN to false
    cand = [0, 1, -1, 2, -2, 7, -7, 100, -100, 127, -128, 128, -129, 200, 255, 256, 300, -300, 1000, 32767,
            -32768, 32768, 65535, 65536, 70000, -70000, 2**24, 2**24 + 1, 2**31 - 1, -2**31, lo, hi]
    return np.array(sorted({v for v in cand if lo <= v <= hi}), _NP[src])


_INT_AND_BOOL = _ALL_INT + ("boolean",)


def _convert(src, dst, values=None, suffix=""):
    @case(f"convert_{src}_to_{dst}{suffix}")
    def _(r):
        data = values if values is not None else _convert_values(src, dst)
        data = np.asarray(data, _NP[src])
        x = P([len(data)], "x", _NP[src])
        return model_of(o1.convert(x, dst), [x]), {"x": data}


for _s in _INT_AND_BOOL:
    for _d in _INT_AND_BOOL + ("f32", "f16"):
        if _s != _d and f"convert_{_s}_to_{_d}" not in ("convert_i8_to_f32", "convert_u8_to_f32",
                                                          "convert_i64_to_i32"):  # in zoo_ops_data.py
            _convert(_s, _d)

# Float -> integer/boolean: truncation toward zero, values inside the destination (negative fractions
# above -1 truncate to 0 for unsigned types too).
_FRAC = [0.0, -0.0, 0.4, 0.5, 0.6, 0.99, 1.5, 2.5, 3.7, -0.5, -0.99, -1.5, -2.5, -3.7, 99.9, -99.9]
for _d in _ALL_INT:
    info = np.iinfo(_NP[_d])
    lo, hi = max(int(info.min), -2**31), min(int(info.max), 2**31 - 1)
    vals = [v for v in _FRAC + [lo + 0.25 if lo < 0 else 0.25, hi - 0.25, float(hi), float(lo)]
            if lo - 1 < v < hi + 1 and abs(v) < 2**24]
    _convert("f32", _d, np.array(vals, np.float32))
    _convert("f16", _d, np.array([v for v in vals if abs(v) < 2048], np.float16))
_convert("f16", "boolean", np.array([0.0, -0.0, 0.5, -2.0, 6e-8, 65504.0], np.float16))


_FLOOR = ("OpenVINO 2026.4's CPU plugin truncates signed integer quotients although m_pythondiv is true; the "
          "Divide-1 spec asks floor division (so does OpenVINO's reference)")
_SQDIFF = ("OpenVINO 2026.4's CPU plugin returns 0 or an operand for i8/u8 SquaredDifference; the spec's "
           "(a - b)^2 stays inside the type here")
NOTES = {
    **{f"divide_floor_{t}": _FLOOR for t in ("i8", "i16", "i32", "i64", "i32_broadcast", "i64_scalar")},
    **{f"squared_difference_{t}": _SQDIFF for t in ("i8", "u8", "u8_broadcast")},
}
