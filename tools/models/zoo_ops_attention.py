"""Single-op zoo cases of the attention, Einsum and signal ops (issue 11), registered into zoo_ops.CASES:
ScaledDotProductAttention-13, ConvolutionBackpropData-1, GroupConvolutionBackpropData-1, Einsum-7, DFT-7,
IDFT-7, RDFT-9 and IRDFT-9."""

import numpy as np
import openvino.opset1 as o1
import openvino.opset7 as o7
import openvino.opset9 as o9
import openvino.opset13 as o13
from openvino.utils.node_factory import NodeFactory

from zoo_ops import C, P, case, model_of

F16 = np.float16

# ----------------------------------------------------------------------------------------------
# ScaledDotProductAttention-13


def _sdpa(name, qs, ks, vs, mask=None, scale=None, causal=False, dtype=np.float32, mask_param=True):
    """mask: None, or (shape, kind) with kind "float", "bool", "neg_inf" (float with -inf entries) or
    "zero" (a scalar 0 constant)."""
    @case(name)
    def _(r):
        q, k, v = P(qs, "q", dtype), P(ks, "k", dtype), P(vs, "v", dtype)
        params, args = [q, k, v], [q, k, v]
        inputs = {n: r.uniform(s, -1.5, 1.5).astype(dtype) for n, s in (("q", qs), ("k", ks), ("v", vs))}
        if mask is not None:
            shape, kind = mask
            if kind == "zero":
                m = C(np.zeros(shape, dtype))
            else:
                if kind == "bool":
                    val = r.uniform(shape) > -0.3
                    val[..., 0] = True  # every row keeps one score: an all -inf row is NaN
                    mt = np.bool_
                else:
                    val = r.uniform(shape, -2.0, 2.0)
                    if kind == "neg_inf":
                        val = np.where(r.uniform(shape) > 0.6, -np.inf, val)
                        val[..., 0] = 0.5
                    if kind == "big_neg":  # BERT's (1 - mask) * float32 min
                        val = np.where(r.uniform(shape) > 0.5, np.finfo(np.float32).min, 0.0)
                        val[..., 0] = 0.0
                    mt = dtype
                val = val.astype(mt)
                if mask_param:
                    m = P(shape, "mask", mt)
                    params.append(m)
                    inputs["mask"] = val
                else:
                    m = C(val)
            args.append(m)
        if scale is not None:
            if len(args) == 3:
                args.append(C(np.zeros([], dtype)))
            args.append(C(np.array(scale, dtype)))
        y = o13.scaled_dot_product_attention(*args, causal=causal)
        return model_of(y, params), inputs


_sdpa("sdpa_rank4_plain", [1, 2, 4, 8], [1, 2, 5, 8], [1, 2, 5, 6])
_sdpa("sdpa_rank3", [2, 3, 8], [2, 7, 8], [2, 7, 5])
_sdpa("sdpa_rank5", [2, 2, 3, 4, 4], [2, 2, 3, 5, 4], [2, 2, 3, 5, 3])
_sdpa("sdpa_single_query", [1, 3, 1, 8], [1, 3, 7, 8], [1, 3, 7, 8])
_sdpa("sdpa_causal_square", [1, 2, 5, 8], [1, 2, 5, 8], [1, 2, 5, 8], causal=True)
_sdpa("sdpa_causal_l_lt_s", [1, 2, 3, 4], [1, 2, 6, 4], [1, 2, 6, 4], causal=True)
_sdpa("sdpa_causal_l_gt_s", [2, 6, 4], [2, 4, 4], [2, 4, 5], causal=True)
_sdpa("sdpa_causal_ignores_mask", [1, 2, 5, 8], [1, 2, 5, 8], [1, 2, 5, 8], mask=([1, 1, 5, 5], "float"),
      causal=True)
_sdpa("sdpa_float_mask_full", [1, 2, 4, 8], [1, 2, 5, 8], [1, 2, 5, 8], mask=([1, 2, 4, 5], "float"))
_sdpa("sdpa_float_mask_row", [2, 3, 4, 8], [2, 3, 5, 8], [2, 3, 5, 8], mask=([2, 1, 1, 5], "float"))
_sdpa("sdpa_float_mask_2d", [2, 3, 4, 8], [2, 3, 5, 8], [2, 3, 5, 8], mask=([4, 5], "float"))
_sdpa("sdpa_float_mask_neg_inf", [1, 2, 4, 8], [1, 2, 6, 8], [1, 2, 6, 8], mask=([1, 2, 4, 6], "neg_inf"))
_sdpa("sdpa_mask_bert_min_float", [1, 4, 16, 8], [1, 4, 16, 8], [1, 4, 16, 8], mask=([1, 1, 1, 16], "big_neg"),
      scale=0.35355339)
_sdpa("sdpa_bool_mask", [1, 2, 4, 8], [1, 2, 5, 8], [1, 2, 5, 8], mask=([1, 2, 4, 5], "bool"))
_sdpa("sdpa_bool_mask_row", [2, 2, 3, 4], [2, 2, 6, 4], [2, 2, 6, 4], mask=([2, 1, 1, 6], "bool"))
_sdpa("sdpa_mask_broadcasts_batch", [1, 3, 4, 8], [1, 3, 5, 8], [1, 3, 5, 8], mask=([2, 1, 1, 5], "float"))
_sdpa("sdpa_batch_broadcast", [2, 1, 4, 8], [1, 3, 5, 8], [1, 3, 5, 6])
_sdpa("sdpa_scale_input", [1, 2, 4, 8], [1, 2, 5, 8], [1, 2, 5, 8], mask=([1, 1, 4, 5], "float"), scale=0.7)
_sdpa("sdpa_scale_no_mask", [1, 2, 4, 8], [1, 2, 5, 8], [1, 2, 5, 8], scale=1.9)
_sdpa("sdpa_scalar_zero_mask", [1, 2, 4, 8], [1, 2, 5, 8], [1, 2, 5, 8], mask=([], "zero"))
_sdpa("sdpa_const_mask", [1, 2, 4, 8], [1, 2, 5, 8], [1, 2, 5, 8], mask=([1, 1, 4, 5], "float"), mask_param=False)
_sdpa("sdpa_f16", [1, 2, 4, 8], [1, 2, 5, 8], [1, 2, 5, 8], dtype=F16)
_sdpa("sdpa_f16_mask_scale", [1, 2, 4, 8], [1, 2, 5, 8], [1, 2, 5, 8], mask=([1, 1, 4, 5], "float"), scale=0.5,
      dtype=F16)
_sdpa("sdpa_f16_causal", [1, 2, 5, 8], [1, 2, 5, 8], [1, 2, 5, 8], causal=True, dtype=F16)


def _sdpa_sink(name, qs, ks, vs, ms, sink_shape, causal=False, dtype=np.float32):
    """The sixth input (sink, one extra softmax logit per row) that OpenVINO 2025+ adds to the same op
    version; the Python opset API does not expose it, so the node comes from the factory."""
    @case(name)
    def _(r):
        q, k, v = P(qs, "q", dtype), P(ks, "k", dtype), P(vs, "v", dtype)
        sink = P(sink_shape, "sink", dtype)
        mask = C(r.uniform(ms, -1.0, 1.0).astype(dtype))
        scale = C(np.array(0.4, dtype))
        y = NodeFactory("opset13").create("ScaledDotProductAttention",
                                          [n.output(0) for n in (q, k, v, mask, scale, sink)], {"causal": causal})
        inputs = {n: r.uniform(s, -1.5, 1.5).astype(dtype) for n, s in (("q", qs), ("k", ks), ("v", vs))}
        inputs["sink"] = r.uniform(sink_shape, -1.0, 2.0).astype(dtype)
        return model_of(y, [q, k, v, sink]), inputs


_sdpa_sink("sdpa_sink_per_row", [1, 2, 4, 8], [1, 2, 5, 8], [1, 2, 5, 6], [1, 1, 4, 5], [1, 2, 4, 1])
_sdpa_sink("sdpa_sink_per_head_causal", [2, 3, 4, 4], [2, 3, 4, 4], [2, 3, 4, 4], [], [1, 3, 1, 1], causal=True)


# ----------------------------------------------------------------------------------------------
# ConvolutionBackpropData-1 / GroupConvolutionBackpropData-1


def _deconv(name, xs, ws, strides, pb=None, pe=None, dil=None, pad="explicit", out_pad=None, out_shape=None,
            group=False, dtype=np.float32):
    rank = len(xs) - 2
    pb = pb if pb is not None else [0] * rank
    pe = pe if pe is not None else [0] * rank
    dil = dil if dil is not None else [1] * rank

    @case(name)
    def _(r):
        x = P(xs, "x", dtype)
        w = C(r.weight(ws).astype(dtype))
        f = o1.group_convolution_backprop_data if group else o1.convolution_backprop_data
        shape = C(np.array(out_shape, np.int64)) if out_shape is not None else None
        y = f(x, w, strides, shape, pb, pe, dil, pad, out_pad)
        return model_of(y, [x]), {"x": r.uniform(xs, -2.0, 2.0).astype(dtype)}


_deconv("deconv2d_k3_s2", [1, 4, 5, 5], [4, 3, 3, 3], [2, 2])
_deconv("deconv2d_k3_s2_p1_outpad1", [1, 4, 5, 5], [4, 3, 3, 3], [2, 2], [1, 1], [1, 1], out_pad=[1, 1])
_deconv("deconv2d_k2_s2_unet", [1, 8, 4, 4], [8, 4, 2, 2], [2, 2])
_deconv("deconv2d_k3_s1_p1", [2, 3, 6, 5], [3, 5, 3, 3], [1, 1], [1, 1], [1, 1])
_deconv("deconv2d_asym_pads_nonsquare", [1, 3, 4, 7], [3, 2, 3, 5], [2, 3], [0, 2], [1, 1])
_deconv("deconv2d_dilation2", [1, 3, 5, 5], [3, 4, 3, 3], [1, 1], [1, 1], [0, 0], [2, 2])
_deconv("deconv2d_dilation_stride_outpad", [1, 2, 4, 5], [2, 3, 3, 2], [3, 2], [2, 1], [1, 0], [2, 3],
        out_pad=[2, 1])
_deconv("deconv2d_1x1", [1, 6, 4, 4], [6, 5, 1, 1], [1, 1])
_deconv("deconv2d_same_upper", [1, 3, 5, 5], [3, 2, 3, 3], [2, 2], pad="same_upper")
_deconv("deconv2d_same_lower", [1, 3, 5, 4], [3, 2, 4, 3], [2, 2], pad="same_lower")
_deconv("deconv2d_valid", [1, 3, 5, 5], [3, 2, 3, 3], [2, 2], pad="valid")
_deconv("deconv2d_output_shape_explicit", [1, 3, 5, 5], [3, 2, 3, 3], [2, 2], [1, 1], [1, 1],
        out_shape=[10, 12])
_deconv("deconv2d_output_shape_same_upper", [1, 3, 5, 5], [3, 2, 3, 3], [2, 2], pad="same_upper",
        out_shape=[10, 8])
_deconv("deconv2d_output_shape_same_lower", [1, 3, 5, 5], [3, 2, 3, 3], [2, 2], pad="same_lower",
        out_shape=[10, 7])
_deconv("deconv2d_output_shape_same_upper_outpad", [1, 3, 5, 5], [3, 2, 3, 3], [2, 2], pad="same_upper",
        out_pad=[1, 1], out_shape=[10, 10])
_deconv("deconv2d_output_shape_valid", [1, 3, 5, 5], [3, 2, 3, 3], [2, 2], pad="valid", out_shape=[13, 9])
_deconv("deconv2d_output_shape_larger_same_upper", [1, 2, 4, 4], [2, 2, 3, 3], [2, 2], pad="same_upper",
        out_shape=[11, 10])
_deconv("deconv1d_s3_outpad2", [2, 3, 7], [3, 4, 3], [3], [1], [2], out_pad=[2])
_deconv("deconv1d_dil3_same_lower", [1, 2, 6], [2, 3, 4], [2], dil=[3], pad="same_lower")
_deconv("deconv3d_k2_s2", [1, 2, 3, 3, 3], [2, 3, 2, 2, 2], [2, 2, 2])
_deconv("deconv3d_mixed", [1, 2, 3, 4, 3], [2, 3, 2, 3, 2], [2, 1, 2], [1, 0, 0], [0, 1, 1], [1, 2, 1],
        out_pad=[1, 0, 1])
_deconv("deconv2d_f16", [1, 4, 5, 5], [4, 3, 3, 3], [2, 2], [1, 1], [1, 1], out_pad=[1, 1], dtype=F16)
_deconv("gdeconv2d_g2", [1, 4, 5, 5], [2, 2, 3, 3, 3], [2, 2], [1, 1], [1, 1], group=True)
_deconv("gdeconv2d_depthwise", [1, 6, 4, 5], [6, 1, 1, 3, 3], [2, 2], [0, 1], [1, 0], group=True)
_deconv("gdeconv2d_g3_outpad_dil", [2, 6, 4, 4], [3, 2, 2, 3, 3], [2, 2], [1, 1], [1, 1], [2, 1], out_pad=[1, 1],
        group=True)
_deconv("gdeconv2d_same_upper", [1, 4, 5, 5], [2, 2, 1, 3, 3], [2, 2], pad="same_upper", group=True)
_deconv("gdeconv2d_output_shape", [1, 4, 5, 5], [2, 2, 3, 3, 3], [2, 2], pad="same_lower", out_shape=[9, 11],
        group=True)
_deconv("gdeconv1d_g2", [1, 4, 7], [2, 2, 3, 3], [2], [1], [0], group=True)
_deconv("gdeconv3d_g2", [1, 4, 3, 3, 2], [2, 2, 2, 2, 3, 2], [2, 2, 1], [0, 1, 0], [1, 0, 0], group=True)
_deconv("gdeconv2d_f16", [1, 4, 5, 5], [2, 2, 3, 3, 3], [2, 2], [1, 1], [1, 1], group=True, dtype=F16)


# ----------------------------------------------------------------------------------------------
# Einsum-7


def _einsum(name, equation, shapes, dtype=np.float32):
    @case(name)
    def _(r):
        params = [P(s, f"x{i}", dtype) for i, s in enumerate(shapes)]
        if np.issubdtype(dtype, np.integer):
            inputs = {f"x{i}": r.g.integers(-4, 5, size=s).astype(dtype) for i, s in enumerate(shapes)}
        else:
            inputs = {f"x{i}": r.uniform(s, -1.5, 1.5).astype(dtype) for i, s in enumerate(shapes)}
        return model_of(o7.einsum(params, equation), params), inputs


_einsum("einsum_matmul", "ij,jk->ik", [[3, 5], [5, 4]])
_einsum("einsum_batch_matmul", "bij,bjk->bik", [[2, 3, 5], [2, 5, 4]])
_einsum("einsum_attention_scores", "bhqd,bhkd->bhqk", [[1, 2, 4, 8], [1, 2, 5, 8]])
_einsum("einsum_transpose", "ijk->kij", [[2, 3, 4]])
_einsum("einsum_trace", "ii->", [[4, 4]])
_einsum("einsum_batch_trace", "kii->k", [[3, 4, 4]])
_einsum("einsum_batch_diagonal", "kii->ki", [[2, 3, 3]])
_einsum("einsum_diagonal_middle", "ijkj->ij", [[2, 4, 5, 4]])
_einsum("einsum_implicit_matmul", "ij,jk", [[3, 5], [5, 4]])
_einsum("einsum_implicit_capitals", "AbC", [[1, 2, 3]])
_einsum("einsum_implicit_order", "ba,cb", [[2, 3], [4, 2]])
_einsum("einsum_ellipsis_batch_matmul", "...ij,...jk->...ik", [[2, 1, 3, 4], [5, 4, 2]])
_einsum("einsum_ellipsis_middle", "a...b,b...->a...", [[3, 1, 4, 2], [2, 5, 1]])
_einsum("einsum_ellipsis_summed", "a...->a", [[3, 4, 5]])
_einsum("einsum_ellipsis_scalar_broadcast", "a...,...->a...", [[3, 3], [1]])
_einsum("einsum_three_operands", "ab,bcd,bc->ca", [[2, 5], [5, 3, 6], [5, 3]])
_einsum("einsum_outer", "i,j->ij", [[3], [4]])
_einsum("einsum_dot", "i,i->", [[7], [7]])
_einsum("einsum_reduce_middle", "ijk->j", [[2, 3, 4]])
_einsum("einsum_label_broadcast", "ij,jk->ik", [[2, 1], [3, 4]])
_einsum("einsum_scalar_operand", "i,->i", [[3], []])
_einsum("einsum_repeated_across_three", "ij,jk,kl->il", [[2, 3], [3, 4], [4, 2]])
_einsum("einsum_f16", "bij,bjk->bik", [[2, 3, 5], [2, 5, 4]], dtype=F16)
_einsum("einsum_i32", "ij,jk->ik", [[3, 5], [5, 4]], dtype=np.int32)


# ----------------------------------------------------------------------------------------------
# DFT-7, IDFT-7, RDFT-9, IRDFT-9


def _signal(name, op, shape, axes, signal_size=None, dtype=np.float32, axes_type=np.int64):
    @case(name)
    def _(r):
        x = P(shape, "x", dtype)
        args = [x, C(np.array(axes, axes_type))]
        if signal_size is not None:
            args.append(C(np.array(signal_size, axes_type)))
        return model_of(op(*args), [x]), {"x": r.uniform(shape, -2.0, 2.0).astype(dtype)}


for _name, _op in (("dft", o7.dft), ("idft", o7.idft)):
    _signal(f"{_name}_1axis", _op, [4, 6, 2], [1])
    _signal(f"{_name}_2axes", _op, [3, 5, 6, 2], [1, 2])
    _signal(f"{_name}_pad_and_trim", _op, [4, 6, 2], [0, 1], [3, 7])
    _signal(f"{_name}_unsorted_axes_minus1", _op, [4, 6, 2], [1, 0], [-1, 5])
    _signal(f"{_name}_negative_axis_pad", _op, [4, 6, 2], [-2], [9])
    _signal(f"{_name}_3axes_i32", _op, [2, 3, 4, 5, 2], [3, 0, 2], [5, -1, 3], axes_type=np.int32)
    _signal(f"{_name}_prime_length", _op, [2, 7, 2], [1])
_signal("dft_f16", o7.dft, [3, 8, 2], [1], dtype=F16)
_signal("rdft_1axis", o9.rdft, [4, 6], [1])
_signal("rdft_odd_length", o9.rdft, [3, 7], [1])
_signal("rdft_2axes_unsorted", o9.rdft, [3, 4, 5], [2, 0])
_signal("rdft_trim", o9.rdft, [4, 6], [0, 1], [3, 5])
_signal("rdft_negative_axis", o9.rdft, [3, 8], [-1])
_signal("irdft_1axis", o9.irdft, [4, 6, 2], [1])
_signal("irdft_2axes_sizes", o9.irdft, [4, 6, 2], [0, 1], [3, 7])
_signal("irdft_pad_first_axis", o9.irdft, [5, 6, 2], [0], [8])
_signal("irdft_2axes_unsorted", o9.irdft, [3, 4, 5, 2], [2, 0])
_signal("irdft_odd_output", o9.irdft, [4, 6, 2], [1], [9])
_signal("irdft_trim_last", o9.irdft, [4, 6, 2], [1], [4])


# Where OpenVINO's CPU plugin departs from the op specification.
_F16_SDPA = ("OpenVINO's CPU plugin rounds intermediate results: {} elements of its f16 output are 1 f16 ulp away "
             "from the correctly rounded value of the spec's formula (checked in float64); octet's reference "
             "rounds once")
NOTES = {
    "sdpa_f16": _F16_SDPA.format(14),
    "sdpa_f16_causal": _F16_SDPA.format(5),
}
