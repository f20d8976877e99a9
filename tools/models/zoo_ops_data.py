"""Single-op zoo cases, part two: pooling, reductions, softmax/MVN, data movement, shape ops, Pad,
Interpolate and Convert (registered into zoo_ops.CASES on import)."""

import numpy as np
import openvino as ov
import openvino.opset1 as o1
import openvino.opset3 as o3
import openvino.opset6 as o6
import openvino.opset7 as o7
import openvino.opset8 as o8
import openvino.opset10 as o10
import openvino.opset11 as o11
import openvino.opset12 as o12
import openvino.opset14 as o14
import openvino.opset15 as o15

from zoo_ops import C, P, case, model_of

I64 = np.int64

# ----------------------------------------------------------------------------------------------
# Pooling


def _pool(name, make, shape=(1, 3, 7, 7), **kw):
    @case(name)
    def _(r):
        x = P(list(shape))
        return model_of(make(x), [x], kw.get("names")), None


_pool("maxpool_v1_2x2_s2", lambda x: o1.max_pool(x, [2, 2], [0, 0], [0, 0], [2, 2]), (1, 3, 8, 8))
_pool("maxpool_v1_3x3_s2_ceil_p1", lambda x: o1.max_pool(x, [2, 2], [1, 1], [1, 1], [3, 3], "ceil"))
_pool("maxpool_v1_same_upper", lambda x: o1.max_pool(x, [2, 2], [0, 0], [0, 0], [3, 3], auto_pad="same_upper"),
      (1, 2, 8, 8))
_pool("maxpool_v1_same_lower", lambda x: o1.max_pool(x, [2, 2], [0, 0], [0, 0], [2, 2], auto_pad="same_lower"),
      (1, 2, 7, 7))
_pool("maxpool_v1_rank3", lambda x: o1.max_pool(x, [2], [1], [0], [3]), (2, 3, 10))
_pool("maxpool_v8_dilation2_indices", lambda x: o8.max_pool(x, [1, 1], [2, 2], [1, 1], [1, 1], [3, 3]),
      (1, 2, 8, 8))
_pool("maxpool_v8_ceil_indices", lambda x: o8.max_pool(x, [2, 2], [1, 1], [0, 0], [0, 0], [3, 3], "ceil"))
_pool("maxpool_v8_i32_indices_axis0",
      lambda x: o8.max_pool(x, [2, 2], [1, 1], [0, 0], [1, 1], [2, 2], index_element_type="i32"), (2, 2, 5, 5))
_pool("maxpool_v14_ceil_torch",
      lambda x: o14.max_pool(x, [2, 2], [1, 1], [1, 1], [1, 1], [3, 3], "ceil_torch"), (1, 2, 6, 6))
_pool("maxpool_v14_ceil", lambda x: o14.max_pool(x, [2, 2], [1, 1], [1, 1], [1, 1], [3, 3], "ceil"),
      (1, 2, 6, 6))
_pool("avgpool_v1_exclude_pad", lambda x: o1.avg_pool(x, [2, 2], [1, 1], [1, 1], [3, 3], True))
_pool("avgpool_v1_include_pad", lambda x: o1.avg_pool(x, [2, 2], [1, 1], [1, 1], [3, 3], False))
_pool("avgpool_v1_ceil_exclude_pad", lambda x: o1.avg_pool(x, [2, 2], [0, 0], [0, 0], [2, 2], True, "ceil"))
_pool("avgpool_v1_ceil_include_pad", lambda x: o1.avg_pool(x, [2, 2], [1, 1], [1, 1], [3, 3], False, "ceil"),
      (1, 2, 6, 6))
_pool("avgpool_v1_same_upper", lambda x: o1.avg_pool(x, [2, 2], [0, 0], [0, 0], [3, 3], True,
                                                     auto_pad="same_upper"), (1, 2, 8, 8))
_pool("avgpool_v1_global", lambda x: o1.avg_pool(x, [1, 1], [0, 0], [0, 0], [7, 7], True))
_pool("avgpool_v14_ceil_torch", lambda x: o14.avg_pool(x, [2, 2], [1, 1], [1, 1], [3, 3], False, "ceil_torch"),
      (1, 2, 6, 6))
_pool("avgpool_v14_ceil_torch_exclude",
      lambda x: o14.avg_pool(x, [2, 2], [1, 1], [1, 1], [3, 3], True, "ceil_torch"), (1, 2, 6, 6))


# ----------------------------------------------------------------------------------------------
# Reductions, softmax, MVN

_REDUCE = {"mean": o1.reduce_mean, "sum": o1.reduce_sum, "max": o1.reduce_max}


def _reduce(kind, name, shape, axes, keep):
    @case(name)
    def _(r):
        x = P(shape)
        return model_of(_REDUCE[kind](x, C(axes, I64), keep), [x]), None


_reduce("mean", "reduce_mean_hw_keep", [1, 4, 5, 6], [2, 3], True)
_reduce("mean", "reduce_mean_last_nokeep", [2, 3, 8], [-1], False)
_reduce("mean", "reduce_mean_all_nokeep", [2, 3, 4], [0, 1, 2], False)
_reduce("sum", "reduce_sum_axis1_keep", [2, 5, 3, 3], [1], True)
_reduce("sum", "reduce_sum_neg_axes_nokeep", [2, 3, 4, 5], [0, -1], False)
_reduce("sum", "reduce_sum_scalar_axis", [4, 6], 1, False)
_reduce("max", "reduce_max_neg2_keep", [2, 3, 4, 5], [-2], True)
_reduce("max", "reduce_max_axes13_nokeep", [2, 3, 4, 5], [1, 3], False)
_reduce("max", "reduce_max_all_keep", [3, 4], [0, 1], True)


def _softmax(name, f, shape, axis):
    @case(name)
    def _(r):
        x = P(shape)
        return model_of(f(x, axis), [x]), {"x": r.uniform(shape, -6.0, 6.0)}


_softmax("softmax_v1_axis1", o1.softmax, [2, 5, 3, 3], 1)
_softmax("softmax_v1_axis3", o1.softmax, [1, 2, 3, 7], 3)
_softmax("softmax_v8_axis_neg1", o8.softmax, [2, 4, 16], -1)
_softmax("softmax_v8_axis_neg3", o8.softmax, [2, 4, 3, 5], -3)
_softmax("softmax_v8_2d_axis0", o8.softmax, [6, 4], 0)


def _mvn(name, shape, axes, norm_var, eps, mode):
    @case(name)
    def _(r):
        x = P(shape)
        return model_of(o6.mvn(x, C(axes, I64), norm_var, eps, mode), [x]), {"x": r.uniform(shape, -3.0, 5.0)}


_mvn("mvn_last_inside_sqrt", [2, 4, 16], [-1], True, 1e-5, "inside_sqrt")
_mvn("mvn_hw_outside_sqrt", [1, 3, 4, 5], [2, 3], True, 1e-3, "outside_sqrt")
_mvn("mvn_chw_inside_sqrt", [2, 3, 4, 4], [1, 2, 3], True, 1e-9, "inside_sqrt")
_mvn("mvn_no_variance", [2, 3, 8], [2], False, 1e-5, "inside_sqrt")
_mvn("mvn_large_eps_outside", [2, 6, 3], [1], True, 0.5, "outside_sqrt")


# ----------------------------------------------------------------------------------------------
# Data movement and shapes


def _simple(name, shape, make, dtype=np.float32, inputs=None):
    @case(name)
    def _(r):
        x = P(shape, dtype=dtype)
        return model_of(make(x, r), [x]), inputs


@case("concat_axis1_three")
def _(r):
    a, b = P([1, 2, 3, 3], "a"), P([1, 4, 3, 3], "b")
    return model_of(o1.concat([a, b, C(r.normal([1, 1, 3, 3]))], 1), [a, b]), None


_simple("concat_axis_neg1", [2, 3, 4], lambda x, r: o1.concat([x, C(r.normal([2, 3, 2])), x], -1))
_simple("concat_axis0", [2, 5], lambda x, r: o1.concat([C(r.normal([1, 5])), x], 0))
_simple("reshape_special_zero", [2, 3, 4, 5], lambda x, r: o1.reshape(x, C([0, -1, 5], I64), True))
_simple("reshape_minus1_no_special_zero", [2, 3, 4, 5], lambda x, r: o1.reshape(x, C([6, -1], I64), False))
_simple("reshape_to_1d", [2, 3, 4], lambda x, r: o1.reshape(x, C([-1], I64), False))
_simple("reshape_zero_copies_two", [2, 3, 4], lambda x, r: o1.reshape(x, C([0, 0, 2, 2], I64), True))
_simple("transpose_nchw_to_nhwc", [1, 3, 4, 5], lambda x, r: o1.transpose(x, C([0, 2, 3, 1], I64)))
_simple("transpose_3d", [2, 3, 4], lambda x, r: o1.transpose(x, C([2, 0, 1], I64)))
_simple("transpose_empty_perm_reverses", [2, 3, 4], lambda x, r: o1.transpose(x, ov.op.Constant(ov.Type.i64, ov.Shape([0]), [])))
_simple("transpose_2d_i32_perm", [5, 7], lambda x, r: o1.transpose(x, C([1, 0], np.int32)))
_simple("squeeze_v1_axis1", [2, 1, 3, 1], lambda x, r: o1.squeeze(x, C([1], I64)))
_simple("squeeze_v1_neg_axis", [2, 1, 3, 1], lambda x, r: o1.squeeze(x, C([-1], I64)))
_simple("squeeze_v15_no_axes", [1, 3, 1, 4], lambda x, r: o15.squeeze(x))
_simple("squeeze_v15_allow_axis_skip", [2, 1, 3], lambda x, r: o15.squeeze(x, C([0, 1], I64), True))
_simple("unsqueeze_axes_0_3", [3, 4], lambda x, r: o1.unsqueeze(x, C([0, 3], I64)))
_simple("unsqueeze_neg_axis", [3, 4], lambda x, r: o1.unsqueeze(x, C([-1], I64)))
_simple("shapeof_v1", [2, 3, 4], lambda x, r: o1.shape_of(x))
_simple("shapeof_v3_i32", [1, 5, 7, 2], lambda x, r: o3.shape_of(x, "i32"))
_simple("shapeof_v3_i64", [3], lambda x, r: o3.shape_of(x, "i64"))


def _gather(name, f, shape, idx, axis, batch_dims=None, idx_dtype=I64):
    @case(name)
    def _(r):
        x = P(shape)
        args = [x, C(idx, idx_dtype), C(axis, I64)]
        y = f(*args) if batch_dims is None else f(*args, batch_dims)
        return model_of(y, [x]), None


_gather("gather_v1_axis1", o1.gather, [3, 5, 2], [[0, 4], [2, 2]], 1)
_gather("gather_v7_batch_dims1", o7.gather, [2, 5, 3], [[0, 4, 1], [3, 3, 2]], 1, 1)
_gather("gather_v8_negative_indices", o8.gather, [4, 6], [-1, 0, -6, 2], 1)
_gather("gather_v8_batch_dims1_axis2", o8.gather, [2, 3, 5], [[1, -1], [0, 4]], 2, 1, np.int32)
_gather("gather_v8_scalar_index", o8.gather, [4, 3, 2], 2, 0)
_gather("gather_v8_negative_axis", o8.gather, [2, 3, 4], [[3, 0, -2]], -1)
_gather("gather_v8_embedding", o8.gather, [16, 8], [[1, 5, 15, 0, 5]], 0, 0, np.int32)


@case("gather_v8_indices_param")
def _(r):
    x, i = P([10, 4]), P([2, 3], "indices", np.int64)
    data = {"indices": np.array([[0, 9, -1], [-10, 4, 4]], I64)}
    return model_of(o8.gather(x, i, C(0, I64)), [x, i]), data


_simple("broadcast_v1_numpy", [3, 1], lambda x, r: o1.broadcast(x, C([2, 3, 4], I64)))
_simple("broadcast_v1_explicit", [3], lambda x, r: o1.broadcast(x, C([2, 3, 4], I64), C([1], I64), "explicit"))
_simple("broadcast_v3_numpy", [1, 4], lambda x, r: o3.broadcast(x, C([3, 2, 4], I64)))
_simple("broadcast_v3_bidirectional", [2, 1, 4], lambda x, r: o3.broadcast(x, C([3, 1], I64),
                                                                               broadcast_spec="bidirectional"))
_simple("broadcast_v3_explicit", [2, 4], lambda x, r: o3.broadcast(x, C([2, 3, 4, 1], I64), C([0, 2], I64),
                                                                   "explicit"))


def _ss(name, shape, b, e, s, bm, em, nm=None, sm=None, elm=None):
    _simple(name, shape, lambda x, r: o1.strided_slice(x, C(b, I64), C(e, I64), C(s, I64), bm, em, nm or [],
                                                       sm or [], elm or []))


_ss("strided_slice_basic", [4, 6, 5], [1, 0, 2], [3, 6, 5], [1, 2, 1], [0, 0, 0], [0, 0, 0])
_ss("strided_slice_masks", [4, 6, 5], [1, 2, 3], [3, 5, 4], [1, 1, 1], [1, 0, 1], [0, 1, 1])
_ss("strided_slice_negative_strides", [4, 6, 5], [-1, 5, 0], [0, -7, 5], [-1, -2, 2], [0, 0, 0], [1, 0, 0])
_ss("strided_slice_new_axis", [4, 6], [0, 0, 1], [2, 0, 5], [1, 1, 2], [0, 0, 0], [0, 0, 0], [0, 1, 0])
_ss("strided_slice_shrink_axis", [4, 6, 5], [2, 0, -1], [3, 6, 0], [1, 1, 1], [0, 1, 0], [0, 1, 0],
    [0, 0, 0], [1, 0, 1])
_ss("strided_slice_ellipsis", [2, 3, 4, 5], [0, 1], [0, 4], [1, 2], [0, 0], [0, 0], [0, 0], [0, 0], [1, 0])
_ss("strided_slice_out_of_bounds", [5, 4], [-100, 1], [100, 100], [2, 1], [0, 0], [0, 0])


def _slice(name, shape, start, stop, step, axes=None):
    _simple(name, shape, lambda x, r: o8.slice(x, C(start, I64), C(stop, I64), C(step, I64),
                                               None if axes is None else C(axes, I64)))


_slice("slice_basic", [6, 8], [1, 0], [5, 8], [1, 3])
_slice("slice_negative_steps", [6, 8], [-1, 6], [-7, 0], [-2, -1])
_slice("slice_with_axes", [3, 4, 8], [6, 1], [0, 3], [-3, 1], [2, 0])
_slice("slice_clamped_bounds", [5, 7], [-100, 2], [100, 1000], [1, 2])
_simple("split_axis1_two", [2, 6, 3], lambda x, r: o1.split(x, C(1, I64), 2))
_simple("split_neg_axis_four", [2, 3, 8], lambda x, r: o1.split(x, C(-1, I64), 4))
_simple("variadic_split_minus1", [2, 7, 3], lambda x, r: o1.variadic_split(x, C(1, I64), C([2, -1, 1], I64)))
_simple("variadic_split_neg_axis", [3, 2, 6], lambda x, r: o1.variadic_split(x, C(-1, I64), C([1, 0, 5], I64)))


def _pad(name, f, shape, pb, pe, mode, value=None):
    _simple(name, shape, lambda x, r: f(x, C(pb, I64), C(pe, I64), mode,
                                        None if value is None else C(np.float32(value))))


_pad("pad_v1_constant", o1.pad, [1, 2, 3, 4], [0, 0, 1, 2], [0, 1, 2, 0], "constant", 0.5)
_pad("pad_v1_constant_default_zero", o1.pad, [2, 3], [1, 0], [0, 2], "constant")
_pad("pad_v1_edge", o1.pad, [1, 2, 3, 4], [0, 0, 2, 1], [0, 0, 1, 3], "edge")
_pad("pad_v1_reflect", o1.pad, [1, 2, 4, 5], [0, 0, 2, 3], [0, 0, 3, 1], "reflect")
_pad("pad_v1_symmetric", o1.pad, [1, 2, 4, 5], [0, 0, 2, 4], [0, 1, 3, 5], "symmetric")
_pad("pad_v12_negative_crop", o12.pad, [2, 5, 6], [0, -1, 2], [-1, 1, -3], "constant", -1.0)
_pad("pad_v12_negative_reflect", o12.pad, [3, 6], [-1, 2], [1, -2], "reflect")
_pad("pad_v12_edge", o12.pad, [2, 3, 4], [1, 0, 2], [0, 2, 1], "edge")


# ----------------------------------------------------------------------------------------------
# Interpolate v4 (opset10 builder makes v4) and v11


def _interp4(name, shape, sizes, scales, mode, calc, ctm, nm="round_prefer_floor", axes=(2, 3), pads=None):
    _simple(name, shape, lambda x, r: o10.interpolate(
        x, C(sizes, I64), C(scales, np.float32), mode, calc, pads_begin=pads[0] if pads else None,
        pads_end=pads[1] if pads else None, coordinate_transformation_mode=ctm, nearest_mode=nm,
        axes=C(list(axes), I64)))


_interp4("interp4_nearest_asym_floor_x2", [1, 2, 4, 4], [8, 8], [2.0, 2.0], "nearest", "scales", "asymmetric",
         "floor")
_interp4("interp4_nearest_half_pixel_rpf", [1, 2, 4, 5], [7, 8], [1.75, 1.6], "nearest", "sizes", "half_pixel",
         "round_prefer_floor")
_interp4("interp4_nearest_tf_half_pixel_rpc", [1, 2, 5, 5], [8, 3], [1.6, 0.6], "nearest", "sizes",
         "tf_half_pixel_for_nn", "round_prefer_ceil")
_interp4("interp4_nearest_align_corners_ceil", [1, 2, 4, 4], [7, 9], [1.75, 2.25], "nearest", "sizes",
         "align_corners", "ceil")
_interp4("interp4_nearest_pytorch_simple", [1, 1, 6, 6], [4, 9], [0.6667, 1.5], "nearest", "sizes",
         "pytorch_half_pixel", "simple")
_interp4("interp4_linear_half_pixel", [1, 2, 4, 4], [6, 7], [1.5, 1.75], "linear", "sizes", "half_pixel")
_interp4("interp4_linear_onnx_align_corners", [1, 2, 4, 5], [7, 9], [1.75, 1.8], "linear_onnx", "sizes",
         "align_corners")
_interp4("interp4_linear_onnx_asymmetric_scales", [1, 3, 4, 4], [8, 6], [2.0, 1.5], "linear_onnx", "scales",
         "asymmetric")
_interp4("interp4_linear_onnx_downscale_pytorch", [1, 2, 8, 8], [3, 5], [0.375, 0.625], "linear_onnx", "sizes",
         "pytorch_half_pixel")
_interp4("interp4_linear_onnx_pads", [1, 1, 4, 4], [9, 9], [1.5, 1.5], "linear_onnx", "sizes", "half_pixel",
         pads=([0, 0, 1, 1], [0, 0, 1, 1]))
_interp4("interp4_nearest_axis_w_only", [1, 2, 3, 4], [10], [2.5], "nearest", "scales", "half_pixel",
         "round_prefer_floor", axes=(3,))


def _interp11(name, shape, vals, mode, calc, ctm, nm="round_prefer_floor", axes=(2, 3)):
    dt = np.float32 if calc == "scales" else I64
    _simple(name, shape, lambda x, r: o11.interpolate(x, C(vals, dt), mode, calc, coordinate_transformation_mode=ctm,
                                                      nearest_mode=nm, axes=C(list(axes), I64)))


_interp11("interp11_nearest_scales_asym", [1, 2, 3, 3], [2.0, 3.0], "nearest", "scales", "asymmetric", "floor")
_interp11("interp11_nearest_sizes_half_pixel", [1, 2, 6, 6], [4, 9], "nearest", "sizes", "half_pixel",
          "round_prefer_ceil")
_interp11("interp11_linear_onnx_sizes", [1, 2, 4, 4], [6, 5], "linear_onnx", "sizes", "half_pixel")
_interp11("interp11_linear_scales_align", [1, 2, 3, 5], [2.0, 0.6], "linear", "scales", "align_corners")
_interp11("interp11_linear_onnx_no_axes_4d", [1, 2, 4, 4], [1, 2, 7, 3], "linear_onnx", "sizes",
          "asymmetric", axes=(0, 1, 2, 3))


# ----------------------------------------------------------------------------------------------
# Convert

_SAT = np.array([-300.0, -129.0, -128.7, -128.0, -127.5, -1.9, -0.9, -0.0, 0.4, 0.99, 1.5, 2.5, 126.9, 127.4,
                 127.9, 128.0, 200.7, 254.9, 255.0, 255.5, 256.0, 1000.0, 3.0e9, -3.0e9], np.float32)


def _convert(name, dst, data):
    _simple(name, [len(data)], lambda x, r: o1.convert(x, dst), inputs={"x": data})


# Out-of-range f32 -> i8/u8: OV 2026.4 CPU truncates to i32 and keeps the low byte (wraps), it does not
# saturate; these refs record that, the *_in_range cases hold only values both rules agree on.
_convert("convert_f32_to_i8_out_of_range", "i8", _SAT)
_convert("convert_f32_to_u8_out_of_range", "u8", _SAT)
_convert("convert_f32_to_i8_in_range", "i8", _SAT[(_SAT > -129.0) & (_SAT < 128.0)])
_convert("convert_f32_to_u8_in_range", "u8", _SAT[(_SAT > -1.0) & (_SAT < 256.0)])
_convert("convert_f32_to_i32_truncate", "i32", _SAT[:-2])
_convert("convert_f32_to_f16", "f16", np.array([1.0, 1.0009766, 1.00048828, 65504.0, 70000.0, 1e-8, -2.5],
                                               np.float32))
_convert("convert_f32_to_boolean", "boolean", np.array([0.0, -0.0, 1.0, -2.5, 1e-30, 0.5], np.float32))


def _convert_param(name, src, dst, data):
    _simple(name, list(np.shape(data)), lambda x, r: o1.convert(x, dst), dtype=src, inputs={"x": data})


_convert_param("convert_i8_to_f32", np.int8, "f32", np.array([-128, -1, 0, 1, 127], np.int8))
_convert_param("convert_u8_to_f32", np.uint8, "f32", np.array([0, 1, 128, 255], np.uint8))
_convert_param("convert_i64_to_i32", np.int64, "i32", np.array([0, -5, 2**31 - 1, 7], np.int64))


def _convert_lowbit(name, et, values, dst="f32"):
    @case(name)
    def _(r):
        c = ov.op.Constant(et, ov.Shape([len(values)]), [int(v) for v in values])
        return model_of(o1.convert(c, dst), []), None


_convert_lowbit("convert_const_i4_to_f32", ov.Type.i4, [-8, -7, -1, 0, 1, 6, 7, 3, -2])
_convert_lowbit("convert_const_u4_to_f32", ov.Type.u4, [0, 1, 7, 8, 14, 15, 3])
_convert_lowbit("convert_const_u8_to_f32", ov.Type.u8, [0, 1, 127, 128, 254, 255])
_convert_lowbit("convert_const_i4_to_f16", ov.Type.i4, [-8, 7, -3, 5], "f16")
