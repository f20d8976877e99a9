"""Single-op zoo cases of the normalisations, reductions, softmax variants and scans (issue 11), registered into zoo_ops.CASES.

Shapes include 1-sized and prime dims; f16 cases feed f16 Parameters (OpenVINO's CPU computes them in
f32 and rounds the output to f16, as octet's reference does). Where OpenVINO's CPU plugin departs from
the op specification the case stays within the part where they agree, and the departure is covered by
hand-computed unit tests instead (tests/unit/reference/normalization_ops_test.cpp):
- LRN: the CPU plugin ignores `bias` (it computes with bias 1) and runs any axes other than [1] as the
  spatial window over [2, 3]; the LRN cases therefore use bias 1 and axes [1] or [2, 3].
- Reduce* with an empty axes list (the spec: identity) is refused by the CPU plugin.
The Python factory of NormalizeL2-1 drops eps_mode (it passes "mode"), so the cases set it afterwards."""

import numpy as np
import openvino as ov  # noqa: F401
import openvino.opset1 as o1
import openvino.opset2 as o2
import openvino.opset3 as o3
import openvino.opset4 as o4
import openvino.opset5 as o5
import openvino.opset8 as o8
import openvino.opset12 as o12

from zoo_ops import C, P, case, model_of

I64 = np.int64
F16 = np.float16


def _data(r, shape, dtype, lo=-2.0, hi=2.0):
    """Seeded input of the given numpy dtype: uniform floats, small integers, or booleans."""
    if dtype == np.bool_:
        return r.g.integers(0, 2, size=shape).astype(np.bool_)
    if np.issubdtype(dtype, np.integer):
        lo_i = 0 if np.issubdtype(dtype, np.unsignedinteger) else int(lo)
        return r.g.integers(lo_i, int(hi) + 1, size=shape).astype(dtype)
    return r.uniform(shape, lo, hi).astype(dtype)


# ----------------------------------------------------------------------------------------------
# Reductions: ReduceProd/Min-1, ReduceL1/L2-4, ReduceLogicalAnd/Or-1

_REDUCE = {"prod": o1.reduce_prod, "min": o1.reduce_min, "l1": o4.reduce_l1, "l2": o4.reduce_l2,
           "logical_and": o1.reduce_logical_and, "logical_or": o1.reduce_logical_or}


def _reduce(kind, name, shape, axes, keep, dtype=np.float32, lo=-2.0, hi=2.0, data=None):
    @case(name)
    def _(r):
        x = P(shape, dtype=dtype)
        y = _REDUCE[kind](x, C(axes, I64), keep)
        return model_of(y, [x]), {"x": data(r) if data else _data(r, shape, dtype, lo, hi)}


def _prod_data(shape, dtype=np.float32):
    # Magnitudes near 1 with both signs, so long products neither vanish nor overflow.
    def make(r):
        v = r.uniform(shape, 0.6, 1.5) * np.where(r.uniform(shape) < 0, -1.0, 1.0)
        return v.astype(dtype)
    return make


_reduce("prod", "reduce_prod_axis1_keep", [2, 5, 3], [1], True, data=_prod_data([2, 5, 3]))
_reduce("prod", "reduce_prod_neg_axes_nokeep", [2, 3, 4, 5], [0, -1], False, data=_prod_data([2, 3, 4, 5]))
_reduce("prod", "reduce_prod_all_nokeep", [3, 1, 7], [0, 1, 2], False, data=_prod_data([3, 1, 7]))
_reduce("prod", "reduce_prod_f16", [1, 7, 5], [2], False, F16, data=_prod_data([1, 7, 5], F16))
_reduce("prod", "reduce_prod_i32_wraps", [3, 13], [1], False, np.int32,
        data=lambda r: (r.g.integers(6, 10, size=[3, 13]) * r.g.choice([-1, 1], size=[3, 13])).astype(np.int32))
_reduce("prod", "reduce_prod_i64_scalar_axis", [7, 3], 0, True, np.int64, -4, 4)
_reduce("min", "reduce_min_hw_keep", [1, 4, 5, 6], [2, 3], True)
_reduce("min", "reduce_min_last_nokeep", [2, 3, 7], [-1], False)
_reduce("min", "reduce_min_unit_dims", [1, 1, 5], [0, 1], False)
_reduce("min", "reduce_min_f16", [2, 13], [1], True, F16)
_reduce("min", "reduce_min_i32_all_keep", [3, 5], [0, 1], True, np.int32, -50, 50)
_reduce("min", "reduce_min_u8", [4, 6], [0], False, np.uint8, 0, 255)
_reduce("l1", "reduce_l1_last_keep", [2, 3, 11], [-1], True)
_reduce("l1", "reduce_l1_axes02_nokeep", [3, 4, 5], [0, 2], False)
_reduce("l1", "reduce_l1_f16", [3, 7], [0], False, F16)
_reduce("l1", "reduce_l1_i32", [2, 5], [1], False, np.int32, -20, 20)
_reduce("l2", "reduce_l2_hw_keep", [1, 3, 5, 7], [2, 3], True)
_reduce("l2", "reduce_l2_all_nokeep", [2, 3, 4], [0, 1, 2], False)
_reduce("l2", "reduce_l2_scalar_axis", [5, 2], 1, False)
_reduce("l2", "reduce_l2_f16", [2, 17], [-1], False, F16)
_reduce("l2", "reduce_l2_i32_truncates", [4, 6], [1], False, np.int32, -5, 5)


def _bools(shape, p_true):
    return lambda r: r.uniform(shape, 0.0, 1.0) < p_true


_reduce("logical_and", "reduce_logical_and_axis1", [2, 5, 3], [1], False, np.bool_, data=_bools([2, 5, 3], 0.85))
_reduce("logical_and", "reduce_logical_and_all_keep", [3, 4], [0, 1], True, np.bool_, data=_bools([3, 4], 0.97))
_reduce("logical_and", "reduce_logical_and_neg", [3, 2, 7], [-2, 0], False, np.bool_,
        data=_bools([3, 2, 7], 0.9))
_reduce("logical_or", "reduce_logical_or_neg_keep", [2, 3, 4], [-1, 0], True, np.bool_,
        data=_bools([2, 3, 4], 0.1))
_reduce("logical_or", "reduce_logical_or_scalar_axis", [5, 2], 0, False, np.bool_, data=_bools([5, 2], 0.15))


@case("reduce_prod_shape_flatten")
def _(r):
    # Flatten as converted models write it: Reshape(x, ReduceProd(ShapeOf(x))), an integer shape
    # subgraph octet folds before inference.
    x = P([2, 3, 5])
    y = o1.reshape(x, o1.reduce_prod(o3.shape_of(x), C([0], I64), True), False)
    return model_of(y, [x]), None


@case("reduce_prod_shape_batch_flatten")
def _(r):
    # [N, C*H*W] = Concat(Gather(shape, 0), ReduceProd(shape[1:])) on an i32 shape.
    x = P([3, 2, 7, 1])
    shape = o3.shape_of(x, "i32")
    batch = o8.gather(shape, C([0], I64), C(0, I64))
    rest = o1.reduce_prod(o1.strided_slice(shape, C([1], I64), C([4], I64), C([1], I64), [0], [0]), C(0, I64),
                          True)
    y = o1.reshape(x, o1.concat([batch, rest], 0), False)
    return model_of(y, [x]), None


# ----------------------------------------------------------------------------------------------
# CumSum-3


def _cumsum(name, shape, axis, exclusive=False, reverse=False, dtype=np.float32, axis_dtype=I64):
    @case(name)
    def _(r):
        x = P(shape, dtype=dtype)
        y = o3.cumsum(x, C(np.array(axis, axis_dtype)), exclusive, reverse)
        return model_of(y, [x]), {"x": _data(r, shape, dtype, -5, 5)}


_cumsum("cumsum_axis1", [2, 5, 3], 1)
_cumsum("cumsum_exclusive", [2, 7], 1, exclusive=True)
_cumsum("cumsum_reverse_axis0", [3, 4, 2], 0, reverse=True)
_cumsum("cumsum_exclusive_reverse_neg_axis", [2, 3, 5], -1, True, True)
_cumsum("cumsum_rank1", [11], 0)
_cumsum("cumsum_f16", [2, 13], 1, dtype=F16)
_cumsum("cumsum_i32_exclusive_axis_i32", [4, 6], 1, exclusive=True, dtype=np.int32, axis_dtype=np.int32)
_cumsum("cumsum_i64_reverse", [3, 5], 0, reverse=True, dtype=np.int64)


# ----------------------------------------------------------------------------------------------
# LogSoftmax-5, and SoftMax on f16 and with negative axes


def _softmax_like(name, f, shape, axis, dtype=np.float32, lo=-3.0, hi=3.0):
    @case(name)
    def _(r):
        x = P(shape, dtype=dtype)
        return model_of(f(x, axis), [x]), {"x": _data(r, shape, dtype, lo, hi)}


_softmax_like("log_softmax_axis1", o5.log_softmax, [2, 5, 3], 1)
_softmax_like("log_softmax_neg1", o5.log_softmax, [2, 3, 17], -1)
_softmax_like("log_softmax_axis0", o5.log_softmax, [7, 3], 0)
_softmax_like("log_softmax_rank1", o5.log_softmax, [13], 0)
_softmax_like("log_softmax_wide_range", o5.log_softmax, [3, 8], 1, lo=-60.0, hi=60.0)
_softmax_like("log_softmax_f16_neg2", o5.log_softmax, [2, 11, 3], -2, F16)
_softmax_like("softmax_v8_f16_neg1", o8.softmax, [2, 3, 9], -1, F16)
_softmax_like("softmax_v1_f16_axis1", o1.softmax, [1, 7, 2, 3], 1, F16)
_softmax_like("softmax_v8_rank2_neg2", o8.softmax, [5, 7], -2)
_softmax_like("softmax_v8_unit_axis_neg3", o8.softmax, [2, 1, 3, 5], -3)


# ----------------------------------------------------------------------------------------------
# NormalizeL2-1 and GRN-1


def _normalize_l2(name, shape, axes, eps, mode, dtype=np.float32, data=None):
    @case(name)
    def _(r):
        x = P(shape, dtype=dtype)
        axes_node = C(axes, I64) if axes else ov.op.Constant(ov.Type.i64, ov.Shape([0]), [])
        y = o1.normalize_l2(x, axes_node, eps, mode)
        y.set_attribute("eps_mode", mode)  # the factory passes it as "mode", which the op ignores
        return model_of(y, [x]), {"x": data(r) if data else _data(r, shape, dtype)}


def _with_zeros(shape, dtype=np.float32):
    def make(r):
        v = r.uniform(shape, -2.0, 2.0)
        v.flat[::5] = 0.0
        v.flat[1] = -1.5
        return v.astype(dtype)
    return make


_normalize_l2("normalize_l2_axis1_add", [1, 6, 3, 3], [1], 1e-10, "add")
_normalize_l2("normalize_l2_hw_max", [1, 3, 4, 5], [2, 3], 1e-6, "max")
_normalize_l2("normalize_l2_last_add_big_eps", [2, 3, 7], [-1], 0.5, "add")
_normalize_l2("normalize_l2_max_eps_dominates", [2, 3, 4], [1], 2.0, "max",
              data=lambda r: r.uniform([2, 3, 4], -1.2, 1.2))
_normalize_l2("normalize_l2_all_axes", [2, 3, 5], [0, 1, 2], 1e-12, "add")
_normalize_l2("normalize_l2_rank2_max", [5, 13], [1], 1e-12, "max")
_normalize_l2("normalize_l2_empty_axes", [2, 3, 4], [], 0.5, "add", data=_with_zeros([2, 3, 4]))
_normalize_l2("normalize_l2_f16", [2, 8, 3], [1], 1e-6, "add", F16)


def _grn(name, shape, bias, dtype=np.float32):
    @case(name)
    def _(r):
        x = P(shape, dtype=dtype)
        return model_of(o1.grn(x, bias), [x]), {"x": _data(r, shape, dtype)}


_grn("grn_4d", [2, 5, 3, 3], 1e-6)
_grn("grn_2d_bias_half", [4, 7], 0.5)
_grn("grn_3d_big_bias", [2, 3, 11], 2.0)
_grn("grn_f16", [1, 6, 2, 2], 1e-3, F16)


# ----------------------------------------------------------------------------------------------
# LRN-1 (bias 1 and axes [1] or [2, 3], where OpenVINO's CPU plugin follows the spec)


def _lrn(name, shape, axes, size, alpha=0.3, beta=0.75, dtype=np.float32):
    @case(name)
    def _(r):
        x = P(shape, dtype=dtype)
        y = o1.lrn(x, C(axes, I64), alpha, beta, 1.0, size)
        return model_of(y, [x]), {"x": _data(r, shape, dtype, -3.0, 3.0)}


_lrn("lrn_across_size5", [2, 7, 3, 3], [1], 5)
_lrn("lrn_across_even_size4", [1, 7, 2, 3], [1], 4)
_lrn("lrn_across_alexnet", [1, 11, 3, 3], [1], 5, alpha=1e-4, beta=0.75)
_lrn("lrn_across_rank3", [2, 6, 5], [1], 3)
_lrn("lrn_across_rank2", [2, 7], [1], 3)
_lrn("lrn_spatial_size3", [1, 3, 5, 5], [2, 3], 3)
_lrn("lrn_spatial_even_size2", [1, 2, 5, 7], [2, 3], 2, beta=0.5)
_lrn("lrn_across_f16", [1, 5, 3, 3], [1], 3, dtype=F16)


# ----------------------------------------------------------------------------------------------
# BatchNormInference-1 (inputs gamma, beta, data, mean, variance) and -5 (data first)


def _batch_norm(name, f, shape, eps, dtype=np.float32):
    @case(name)
    def _(r):
        ch = shape[1]
        x = P(shape, dtype=dtype)
        gamma = C(r.uniform([ch], 0.5, 2.0).astype(dtype))
        beta = C(r.uniform([ch], -1.0, 1.0).astype(dtype))
        mean = C(r.uniform([ch], -1.0, 1.0).astype(dtype))
        var = C(r.uniform([ch], 0.01, 2.0).astype(dtype))
        y = f(x, gamma, beta, mean, var, eps)
        return model_of(y, [x]), {"x": _data(r, shape, dtype)}


_batch_norm("batch_norm_v1_4d", o1.batch_norm_inference, [2, 3, 4, 5], 1e-5)
_batch_norm("batch_norm_v1_2d", o1.batch_norm_inference, [5, 7], 1e-3)
_batch_norm("batch_norm_v5_4d", o5.batch_norm_inference, [2, 3, 4, 5], 1e-5)
_batch_norm("batch_norm_v5_5d_big_eps", o5.batch_norm_inference, [1, 3, 2, 3, 2], 0.5)
_batch_norm("batch_norm_v5_3d_one_channel", o5.batch_norm_inference, [3, 1, 7], 1e-5)
_batch_norm("batch_norm_v5_f16", o5.batch_norm_inference, [1, 4, 3, 3], 1e-3, F16)


# ----------------------------------------------------------------------------------------------
# GroupNormalization-12


def _group_norm(name, shape, groups, eps, dtype=np.float32):
    @case(name)
    def _(r):
        ch = shape[1]
        x = P(shape, dtype=dtype)
        scale = C(r.uniform([ch], 0.5, 2.0).astype(dtype))
        bias = C(r.uniform([ch], -1.0, 1.0).astype(dtype))
        y = o12.group_normalization(x, scale, bias, groups, eps)
        return model_of(y, [x]), {"x": _data(r, shape, dtype, -3.0, 5.0)}


_group_norm("group_norm_g2", [2, 6, 3, 2], 2, 1e-5)
_group_norm("group_norm_g1_layer", [2, 4, 5], 1, 1e-5)
_group_norm("group_norm_instance", [1, 6, 7], 6, 1e-5)
_group_norm("group_norm_rank2", [3, 6], 3, 1e-3)
_group_norm("group_norm_5d_big_eps", [1, 4, 2, 2, 3], 2, 0.5)
_group_norm("group_norm_f16", [1, 8, 3, 3], 4, 1e-5, F16)


# ----------------------------------------------------------------------------------------------
# MVN-1 (written version="opset2"; axes from across_channels, reduction_axes as the factory sets them)


def _mvn1(name, shape, across, norm_var, eps, dtype=np.float32):
    @case(name)
    def _(r):
        x = P(shape, dtype=dtype)
        return model_of(o2.mvn(x, across, norm_var, eps), [x]), {"x": _data(r, shape, dtype, -3.0, 5.0)}


_mvn1("mvn1_across_channels", [2, 3, 4, 5], True, True, 1e-9)
_mvn1("mvn1_per_channel", [2, 3, 4, 5], False, True, 1e-9)
_mvn1("mvn1_no_variance", [2, 3, 7], False, False, 1e-9)
_mvn1("mvn1_big_eps_inside_sqrt", [1, 3, 5], True, True, 0.5)
_mvn1("mvn1_rank5", [1, 2, 3, 2, 2], False, True, 1e-6)
_mvn1("mvn1_f16", [1, 4, 3, 3], True, True, 1e-6, F16)


# ----------------------------------------------------------------------------------------------
# RMS normalisation as converted models write it (Llama-style RMSNorm from the PyTorch frontend)


def _rms_norm(name, shape, eps, rsqrt=False, dtype=np.float32):
    @case(name)
    def _(r):
        x = P(shape, dtype=dtype)
        sq = o1.power(x, C(np.array(2.0, dtype)))
        ms = o1.reduce_mean(sq, C([-1], I64), True)
        den = o1.add(ms, C(np.array(eps, dtype)))
        if rsqrt:  # x * rsqrt(mean(x^2) + eps), rsqrt as Power(., -0.5)
            norm = o1.multiply(x, o1.power(den, C(np.array(-0.5, dtype))))
        else:  # x / sqrt(mean(x^2) + eps)
            norm = o1.divide(x, o1.sqrt(den))
        y = o1.multiply(norm, C(r.uniform([shape[-1]], 0.5, 1.5).astype(dtype)))
        return model_of(y, [x]), {"x": _data(r, shape, dtype, -3.0, 3.0)}


_rms_norm("rms_norm_divide_sqrt", [2, 5, 16], 1e-6)
_rms_norm("rms_norm_power_rsqrt", [1, 7, 32], 1e-5, rsqrt=True)
_rms_norm("rms_norm_f16", [1, 3, 16], 1e-6, dtype=F16)
