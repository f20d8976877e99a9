"""Single-op zoo cases of the embedding, decoding, signal and other ops (issue 11), registered into zoo_ops.CASES:
Bucketize-3, SearchSorted-15, EmbeddingBagOffsetsSum-3, EmbeddingBagPackedSum-3, EmbeddingSegmentsSum-3,
EmbeddingBagOffsets-15, EmbeddingBagPacked-15, CTCGreedyDecoder-1, CTCGreedyDecoderSeqLen-6, CTCLoss-4, GatherTree-1,
SliceScatter-15, Inverse-14, STFT-15, ISTFT-16, FakeConvert-13, ConvertPromoteTypes-14, ErfInv-17 and
SegmentMax-16 (with num_segments given: without it the output shape depends on the ids' values)."""

import numpy as np
import openvino.opset1 as o1
import openvino.opset3 as o3
import openvino.opset4 as o4
import openvino.opset6 as o6
import openvino.opset13 as o13
import openvino.opset14 as o14
import openvino.opset15 as o15
import openvino.opset16 as o16
import openvino.opset17 as o17
from openvino.utils.node_factory import NodeFactory

from zoo_ops import C, P, case, model_of

F16 = np.float16

# ----------------------------------------------------------------------------------------------
# Bucketize-3 and SearchSorted-15


def _bucketize(name, shape, buckets, out_type="i64", right=True, dtype=np.float32, bdtype=np.float32,
               buckets_param=False):
    @case(name)
    def _(r):
        x = P(shape, "x", dtype)
        bval = np.asarray(buckets, bdtype)
        b = P(list(bval.shape), "b", bdtype) if buckets_param else C(bval)
        if np.issubdtype(dtype, np.integer):
            data = r.g.integers(-6, 12, size=shape).astype(dtype)
        else:
            data = r.uniform(shape, -4.0, 10.0).astype(dtype)
            # Values exactly on the boundaries pick the side with_right_bound says.
            flat = data.reshape(-1)
            flat[:len(bval)] = bval.astype(dtype)[:len(flat)]
        inputs = {"x": data}
        if buckets_param:
            inputs["b"] = bval
        params = [x, b] if buckets_param else [x]
        return model_of(o3.bucketize(x, b, out_type, right), params), inputs


_bucketize("bucketize_right_bound", [2, 3, 5], [-1.0, 0.0, 2.5, 3.0, 7.0])
_bucketize("bucketize_left_bound_i32", [2, 3, 5], [-1.0, 0.0, 2.5, 3.0, 7.0], out_type="i32", right=False)
_bucketize("bucketize_int_data_float_buckets", [3, 7], [-2.5, 0.0, 1.0, 4.5, 9.0], dtype=np.int32)
_bucketize("bucketize_int_data_int_buckets_left", [11], [-3, 0, 2, 5, 8], dtype=np.int64, bdtype=np.int64,
           right=False)
_bucketize("bucketize_float_data_int_buckets", [4, 5], [0, 1, 3, 6], bdtype=np.int32)
_bucketize("bucketize_buckets_param", [2, 7], [-2.0, 1.0, 1.5, 8.0], buckets_param=True, right=False)
_bucketize("bucketize_single_bucket", [13], [0.5])


def _search_sorted(name, sorted_shape, values_shape, right=False, dtype=np.float32, out_type=None,
                   duplicates=True):
    @case(name)
    def _(r):
        s = P(sorted_shape, "sorted", dtype)
        v = P(values_shape, "values", dtype)
        if np.issubdtype(dtype, np.integer):
            seq = np.sort(r.g.integers(-8, 9, size=sorted_shape), axis=-1).astype(dtype)
            vals = r.g.integers(-10, 11, size=values_shape).astype(dtype)
        else:
            seq = np.sort(np.round(r.uniform(sorted_shape, -4.0, 4.0) * 2) / 2, axis=-1).astype(dtype)
            vals = (np.round(r.uniform(values_shape, -5.0, 5.0) * 2) / 2).astype(dtype)
        if duplicates:
            seq[..., 2] = seq[..., 1]  # a repeated value: left and right modes part there
        if out_type:
            y = NodeFactory("opset15").create("SearchSorted", [s.output(0), v.output(0)],
                                              {"right_mode": right, "output_type": out_type})
        else:
            y = o15.search_sorted(s, v, right)
        return model_of(y, [s, v]), {"sorted": seq, "values": vals}


_search_sorted("searchsorted_1d_left", [9], [3, 5])
_search_sorted("searchsorted_1d_right", [9], [3, 5], right=True)
_search_sorted("searchsorted_nd_left", [2, 3, 7], [2, 3, 4])
_search_sorted("searchsorted_nd_right", [2, 3, 7], [2, 3, 4], right=True)
_search_sorted("searchsorted_i32_right", [4, 6], [4, 5], right=True, dtype=np.int32)
_search_sorted("searchsorted_i64_out_i32", [5], [2, 2, 3], dtype=np.int64, out_type="i32")
_search_sorted("searchsorted_scalar_value", [8], [], right=True)


# ----------------------------------------------------------------------------------------------
# Embedding bags and segments (3 and 15)


def _table(r, shape, dtype=np.float32):
    if np.issubdtype(dtype, np.integer):
        return r.g.integers(-20, 21, size=shape).astype(dtype)
    return r.uniform(shape, -2.0, 2.0).astype(dtype)


def _bag_offsets(name, table, indices, offsets, default=None, weights=False, reduction=None,
                 itype=np.int32, dtype=np.float32):
    """reduction None builds EmbeddingBagOffsetsSum-3, "sum"/"mean" EmbeddingBagOffsets-15."""
    @case(name)
    def _(r):
        t = P(table, "table", dtype)
        idx = P([len(indices)], "indices", itype)
        params = [t, idx]
        inputs = {"table": _table(r, table, dtype), "indices": np.array(indices, itype)}
        off = C(np.array(offsets, itype))
        d = C(np.array(default, itype)) if default is not None else None
        w = None
        if weights:
            w = P([len(indices)], "weights", dtype)
            params.append(w)
            inputs["weights"] = r.uniform([len(indices)], -1.5, 1.5).astype(dtype)
            if d is None:
                d = C(np.array(-1, itype))
        if reduction is None:
            y = o3.embedding_bag_offsets_sum(t, idx, off, d, w)
        else:
            y = o15.embedding_bag_offsets(t, idx, off, d, w, reduction)
        return model_of(y, params), inputs


_bag_offsets("ebos_basic", [10, 3], [0, 2, 3, 9, 4, 4, 1], [0, 2, 5])
_bag_offsets("ebos_empty_bag_default", [6, 4], [5, 1, 3, 0], [0, 2, 2], default=4, weights=True)
_bag_offsets("ebos_empty_bag_minus1", [6, 2], [1, 2, 3, 4, 0], [0, 0, 3], default=-1, weights=True)
_bag_offsets("ebos_i64_3d_table", [7, 2, 3], [6, 0, 0, 2, 5], [0, 1, 3], itype=np.int64)
_bag_offsets("ebos_int_table", [8, 3], [7, 1, 2, 2, 0, 6], [0, 3, 4], dtype=np.int32)
_bag_offsets("ebo15_sum_weights", [9, 3], [8, 1, 2, 3, 1, 0], [0, 1, 4], weights=True, reduction="sum")
_bag_offsets("ebo15_mean", [9, 3], [8, 1, 2, 3, 1, 0, 7], [0, 3, 4], reduction="mean")
_bag_offsets("ebo15_mean_empty_default", [5, 4], [4, 1, 2, 0], [0, 0, 3], default=3, reduction="mean")
_bag_offsets("ebo15_sum_i64_no_weights", [6, 5], [5, 4, 3, 2, 1, 0, 5], [0, 2, 3, 6], reduction="sum",
             itype=np.int64)


def _bag_packed(name, table, indices, weights=False, reduction=None, itype=np.int32, dtype=np.float32):
    @case(name)
    def _(r):
        t = P(table, "table", dtype)
        ishape = list(np.array(indices).shape)
        idx = P(ishape, "indices", itype)
        params = [t, idx]
        inputs = {"table": _table(r, table, dtype), "indices": np.array(indices, itype)}
        w = None
        if weights:
            w = P(ishape, "weights", dtype)
            params.append(w)
            inputs["weights"] = r.uniform(ishape, -1.5, 1.5).astype(dtype)
        if reduction is None:
            y = o3.embedding_bag_packed_sum(t, idx, w)
        else:
            y = o15.embedding_bag_packed(t, idx, w, reduction)
        return model_of(y, params), inputs


_bag_packed("ebps_basic", [10, 3], [[0, 2, 9], [1, 1, 4], [7, 3, 5], [8, 6, 0]])
_bag_packed("ebps_weights_i64", [7, 2, 2], [[6, 0], [3, 3]], weights=True, itype=np.int64)
_bag_packed("ebps_single_index", [5, 4], [[4], [0], [2]], weights=True)
_bag_packed("ebp15_sum_weights", [8, 3], [[7, 1, 2], [0, 0, 5]], weights=True, reduction="sum")
_bag_packed("ebp15_mean", [8, 5], [[7, 1, 2, 3], [0, 0, 5, 6], [4, 4, 4, 4]], reduction="mean")
_bag_packed("ebp15_mean_i64", [6, 3], [[5, 1], [0, 2], [3, 3]], reduction="mean", itype=np.int64)


def _segments(name, table, indices, segment_ids, num_segments, default=None, weights=False, itype=np.int32,
              dtype=np.float32):
    @case(name)
    def _(r):
        t = P(table, "table", dtype)
        idx = P([len(indices)], "indices", itype)
        params = [t, idx]
        inputs = {"table": _table(r, table, dtype), "indices": np.array(indices, itype)}
        seg = C(np.array(segment_ids, itype))
        num = C(np.array(num_segments, itype))
        d = C(np.array(default, itype)) if default is not None else None
        w = None
        if weights:
            w = P([len(indices)], "weights", dtype)
            params.append(w)
            inputs["weights"] = r.uniform([len(indices)], -1.5, 1.5).astype(dtype)
            if d is None:
                d = C(np.array(0, itype))
        y = o3.embedding_segments_sum(t, idx, seg, num, d, w)
        return model_of(y, params), inputs


_segments("ess_basic", [10, 3], [0, 2, 3, 9, 4, 4, 1], [0, 0, 1, 1, 1, 2, 3], 4)
_segments("ess_empty_segments_zero", [6, 4], [5, 1, 3, 0], [0, 0, 2, 4], 6)
_segments("ess_default_weights", [6, 2], [1, 2, 3, 4, 0], [1, 1, 1, 3, 3], 5, default=5, weights=True)
_segments("ess_i64_3d_table", [7, 2, 3], [6, 0, 0, 2, 5], [0, 1, 1, 2, 2], 3, itype=np.int64)


# ----------------------------------------------------------------------------------------------
# CTCGreedyDecoder-1, CTCGreedyDecoderSeqLen-6, CTCLoss-4 and GatherTree-1


def _logits(r, shape, classes_hint=None, dtype=np.float32):
    """Logits whose argmax repeats and hits the blank often (each row's largest value unique)."""
    x = r.uniform(shape, -1.0, 1.0)
    c = shape[-1]
    winners = r.g.integers(0, c, size=shape[:-1])
    # Runs of equal winners so that merge_repeated matters.
    flat = winners.reshape(-1)
    for i in range(1, flat.size, 3):
        flat[i] = flat[i - 1]
    np.put_along_axis(x, winners[..., None], 2.0, axis=-1)
    return x.astype(dtype)


def _ctc(name, t, n, c, lengths, merge=True, dtype=np.float32):
    @case(name)
    def _(r):
        data = P([t, n, c], "data", dtype)
        mask = P([t, n], "mask", dtype)
        m = np.zeros([t, n], dtype)
        for b, length in enumerate(lengths):
            m[:length, b] = 1
        y = o1.ctc_greedy_decoder(data, mask, merge)
        return model_of(y, [data, mask]), {"data": _logits(r, [t, n, c], dtype=dtype), "mask": m}


_ctc("ctc_greedy_merge", 8, 3, 5, [8, 5, 1])
_ctc("ctc_greedy_no_merge", 8, 3, 5, [6, 8, 3], merge=False)
_ctc("ctc_greedy_two_classes", 11, 2, 2, [11, 7])
_ctc("ctc_greedy_f16", 6, 2, 4, [6, 4], dtype=F16)


def _ctc_seq_len(name, n, t, c, lengths, merge=True, blank=None, itype=np.int32, classes_type="i32",
                 seq_type="i32", blank_rank=0):
    @case(name)
    def _(r):
        data = P([n, t, c], "data", np.float32)
        seq = P([n], "seq_len", itype)
        b = None
        if blank is not None:
            b = C(np.array(blank if blank_rank == 0 else [blank], itype))
        y = o6.ctc_greedy_decoder_seq_len(data, seq, b, merge, classes_type, seq_type)
        return model_of(y, [data, seq], ["classes", "lengths"]), {
            "data": _logits(r, [n, t, c]), "seq_len": np.array(lengths, itype)}


_ctc_seq_len("ctcsl_default_blank", 3, 8, 5, [8, 5, 2])
_ctc_seq_len("ctcsl_no_merge_i64", 2, 9, 4, [9, 6], merge=False, itype=np.int64, classes_type="i64",
             seq_type="i64")
_ctc_seq_len("ctcsl_blank_zero", 3, 7, 4, [7, 7, 3], blank=0)
_ctc_seq_len("ctcsl_blank_middle_1d", 2, 10, 6, [10, 4], blank=2, blank_rank=1, seq_type="i64")
_ctc_seq_len("ctcsl_zero_length", 2, 5, 3, [0, 5], blank=1)


def _ctc_loss(name, t, c, targets, logit_lengths, blank=None, collapse=False, merge=True, unique=False,
              itype=np.int32, dtype=np.float32, blank_param=False):
    """CTCLoss-4 of len(targets) sequences; every target fits its logit length (no infinite loss) and none is
    empty (OpenVINO's CPU plugin reads out of bounds for label_length 0; misc_ops_test.cpp checks it)."""
    @case(name)
    def _(r):
        n = len(targets)
        logits = P([n, t, c], "logits", dtype)
        names = ["logit_length", "labels", "label_length"]
        ints = [P([n], names[0], itype), P([n, t], names[1], itype), P([n], names[2], itype)]
        params = [logits] + ints
        b = None
        if blank is not None:
            b = P([], "blank_index", itype) if blank_param else C(np.array(blank, itype))
            if blank_param:
                params.append(b)
        y = o4.ctc_loss(logits, *ints, b, collapse, merge, unique)
        labels = np.zeros([n, t], itype)
        # Padding after label_length is never read: a valid class that is not the blank.
        blank_value = c - 1 if blank is None else blank
        labels[:] = 1 if blank_value != 1 else 0
        for i, g in enumerate(targets):
            labels[i, :len(g)] = g
        inputs = {"logits": (r.uniform([n, t, c], -2.0, 2.0)).astype(dtype),
                  "logit_length": np.array(logit_lengths, itype), "labels": labels,
                  "label_length": np.array([len(g) for g in targets], itype)}
        if blank_param:
            inputs["blank_index"] = np.array(blank, itype)
        return model_of(y, params), inputs


_ctc_loss("ctc_loss_default", 7, 5, [[0, 2, 1], [3, 3], [1]], [7, 5, 6])
_ctc_loss("ctc_loss_blank0_i64", 8, 4, [[1, 1, 2], [3, 2, 3, 3], [2]], [8, 8, 3], blank=0, itype=np.int64)
_ctc_loss("ctc_loss_blank_param", 6, 6, [[0, 5, 5], [1, 4]], [6, 4], blank=2, blank_param=True)
_ctc_loss("ctc_loss_no_merge", 7, 4, [[0, 0, 1], [2, 2, 2], [1, 0]], [7, 3, 5], merge=False)
_ctc_loss("ctc_loss_collapse", 9, 5, [[1, 1, 2, 2, 2], [0, 3, 3, 0], [2, 2]], [9, 6, 2], collapse=True)
_ctc_loss("ctc_loss_unique", 8, 5, [[1, 2, 1, 3, 2], [0, 0, 3, 0]], [8, 5], unique=True)
_ctc_loss("ctc_loss_collapse_no_merge", 5, 3, [[0, 0, 1, 1], [1, 1]], [5, 2], collapse=True, merge=False)
_ctc_loss("ctc_loss_single_step", 1, 3, [[0], [1]], [1, 1])
_ctc_loss("ctc_loss_f16", 6, 4, [[2, 0], [1, 1, 2]], [6, 5], dtype=F16)


def _gather_tree(name, t, b, w, lengths, end_token, dtype=np.int32):
    @case(name)
    def _(r):
        steps = P([t, b, w], "step_ids", dtype)
        parents = P([t, b, w], "parent_ids", dtype)
        lens = P([b], "max_seq_len", dtype)
        end = C(np.array(end_token, dtype))
        step_vals = r.g.integers(0, 6, size=[t, b, w]).astype(dtype)
        parent_vals = r.g.integers(0, w, size=[t, b, w]).astype(dtype)
        y = o1.gather_tree(steps, parents, lens, end)
        return model_of(y, [steps, parents, lens]), {
            "step_ids": step_vals, "parent_ids": parent_vals, "max_seq_len": np.array(lengths, dtype)}


_gather_tree("gather_tree_i32", 7, 2, 3, [7, 4], 2)
_gather_tree("gather_tree_f32", 6, 3, 4, [6, 1, 9], 5, dtype=np.float32)
_gather_tree("gather_tree_single_beam", 5, 1, 1, [5], 0)


# ----------------------------------------------------------------------------------------------
# SliceScatter-15


def _slice_scatter(name, shape, start, stop, step, axes=None, dtype=np.float32, itype=np.int64):
    @case(name)
    def _(r):
        data = P(shape, "data", dtype)
        sl = [slice(None)] * len(shape)
        for i, a in enumerate(axes if axes is not None else range(len(start))):
            sl[a] = slice(start[i], stop[i], step[i])
        ushape = list(np.zeros(shape)[tuple(sl)].shape)
        upd = P(ushape, "updates", dtype)
        args = [C(np.array(v, itype)) for v in (start, stop, step)]
        if axes is not None:
            args.append(C(np.array(axes, itype)))
        y = o15.slice_scatter(data, upd, *args)
        if np.issubdtype(dtype, np.integer):
            inputs = {"data": r.g.integers(-50, 50, size=shape).astype(dtype),
                      "updates": r.g.integers(100, 200, size=ushape).astype(dtype)}
        else:
            inputs = {"data": r.uniform(shape).astype(dtype), "updates": r.uniform(ushape, 5.0, 6.0).astype(dtype)}
        return model_of(y, [data, upd]), inputs


_slice_scatter("slice_scatter_axis0", [4, 5], [1], [3], [1], [0])
_slice_scatter("slice_scatter_step2_clamped", [2, 7], [-25], [25], [2], [1])
_slice_scatter("slice_scatter_negative_step", [3, 8], [-2], [0], [-3], [1])
_slice_scatter("slice_scatter_two_axes_default", [5, 6, 2], [0, 1], [5, 6], [2, 2])
_slice_scatter("slice_scatter_negative_axis_i32", [3, 4, 5], [1, 4], [-1, 0], [1, -2], [2, -2], dtype=np.int32,
               itype=np.int32)
_slice_scatter("slice_scatter_empty_slice", [3, 4], [2], [2], [1], [1])


# ----------------------------------------------------------------------------------------------
# Inverse-14


def _inverse(name, shape, adjoint=False, dtype=np.float32):
    @case(name)
    def _(r):
        x = P(shape, "x", dtype)
        n = shape[-1]
        # Well-conditioned matrices: random plus a dominant diagonal of either sign.
        m = r.uniform(shape, -1.0, 1.0) + np.eye(n, dtype=np.float32) * np.where(r.uniform(shape[:-1]) > 0, 2.5, -2.5)[
            ..., None]
        return model_of(o14.inverse(x, adjoint), [x]), {"x": m.astype(dtype)}


_inverse("inverse_3x3", [3, 3])
_inverse("inverse_batched_4x4", [2, 3, 4, 4])
_inverse("inverse_adjoint_5x5", [2, 5, 5], adjoint=True)
_inverse("inverse_1x1", [4, 1, 1])
_inverse("inverse_7x7_f16", [7, 7], dtype=F16)


@case("inverse_pivoting")
def _(r):
    # A zero leading entry: LU without row swaps would divide by zero.
    x = P([3, 3], "x")
    m = np.array([[0.0, 2.0, 1.0], [1.0, 1.0, 0.0], [3.0, 0.0, 1.0]], np.float32)
    return model_of(o14.inverse(x, False), [x]), {"x": m}


# ----------------------------------------------------------------------------------------------
# STFT-15 and ISTFT-16


def _window(r, n, kind):
    if kind == "hann":
        return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)).astype(np.float32)
    return r.uniform([n], 0.5, 1.0)


def _stft(name, shape, window_len, frame_size, frame_step, transpose, kind="hann", itype=np.int64, dtype=np.float32):
    @case(name)
    def _(r):
        x = P(shape, "signal", dtype)
        w = P([window_len], "window", dtype)
        y = o15.stft(x, w, C(np.array(frame_size, itype)), C(np.array(frame_step, itype)), transpose)
        return model_of(y, [x, w]), {"signal": r.uniform(shape, -1.0, 1.0).astype(dtype),
                                     "window": _window(r, window_len, kind).astype(dtype)}


_stft("stft_1d", [48], 16, 16, 4, False)
_stft("stft_2d_transpose", [2, 40], 8, 8, 3, True)
_stft("stft_window_shorter_odd_frame", [3, 37], 7, 11, 3, False, kind="random")
_stft("stft_step_larger_than_frame", [2, 30], 5, 5, 7, True, kind="random", itype=np.int32)
_stft("stft_frame_equals_signal", [17], 17, 17, 2, False)


def _istft(name, shape, window_len, frame_size, frame_step, center, normalized, length=None, kind="random",
           itype=np.int64):
    @case(name)
    def _(r):
        x = P(shape, "data")
        w = P([window_len], "window")
        args = [x, w, C(np.array(frame_size, itype)), C(np.array(frame_step, itype)), center, normalized]
        if length is not None:
            args.append(C(np.array(length, itype)))
        y = o16.istft(*args)
        return model_of(y, [x, w]), {"data": r.uniform(shape, -1.0, 1.0), "window": _window(r, window_len, kind)}


_istft("istft_no_center", [9, 6, 2], 16, 16, 4, False, False)
_istft("istft_center_hann", [9, 13, 2], 16, 16, 4, True, False, kind="hann")
_istft("istft_normalized_batched", [2, 5, 7, 2], 8, 8, 3, False, True)
_istft("istft_window_shorter", [6, 8, 2], 7, 10, 3, False, False)
_istft("istft_signal_length_longer", [5, 6, 2], 8, 8, 2, False, False, length=25)
_istft("istft_signal_length_shorter_center", [2, 5, 9, 2], 8, 8, 2, True, True, length=11, kind="hann")
_istft("istft_odd_frame_center", [6, 9, 2], 11, 11, 3, True, False, itype=np.int32)


# ----------------------------------------------------------------------------------------------
# FakeConvert-13


def _fp8(v, e4m3):
    """Round to the nearest f8 value (ties to even), saturating: the spec's Convert, octet's rule."""
    mbits, emin, top = (3, -6, 448.0) if e4m3 else (2, -14, 57344.0)
    v = np.asarray(v, np.float64)
    a = np.minimum(np.abs(v), 2 * top)  # infinities saturate like any value beyond the format
    e = np.floor(np.log2(np.where(a > 0, a, 1.0)))
    q = np.exp2(np.maximum(e, emin) - mbits)
    return np.sign(v) * np.minimum(np.round(a / q) * q, top)


def _fake_convert(name, shape, scale, shift=None, dest="f8e4m3", dtype=np.float32, extremes=False):
    @case(name)
    def _(r):
        x = P(shape, "x", dtype)
        s = C(np.asarray(scale, dtype))
        o = C(np.asarray(shift, dtype)) if shift is not None else None
        y = o13.fake_convert(x, s, o, dest)
        e4m3 = dest == "f8e4m3"
        top = 448.0 if e4m3 else 57344.0
        sc = np.broadcast_to(np.asarray(scale, np.float32), shape)
        sh = np.broadcast_to(np.asarray(shift if shift is not None else 0.0, np.float32), shape)
        data = (r.uniform(shape, -1.2, 1.2) * top / np.maximum(sc, 1e-30) * r.uniform(shape, 0.0, 1.0) ** 3)
        if extremes:
            flat = data.reshape(-1)
            flat[:6] = np.array([2.0, -3.0, 1.5, -1.3, 0.0, -0.0]) * top / sc.reshape(-1)[:6]
        data = data.astype(dtype)
        # OpenVINO's CPU plugin rounds x * scale - shift to f16 before rounding to f8 (a double rounding);
        # keep to inputs where that agrees with rounding once (the spec; misc_ops_test.cpp checks the ties).
        t = (data.astype(np.float32) * sc.astype(np.float32) - sh.astype(np.float32)).astype(dtype)
        bad = _fp8(t.astype(np.float32), e4m3) != _fp8(t.astype(np.float16).astype(np.float32), e4m3)
        data[bad] = 0.5
        return model_of(y, [x]), {"x": data}


_fake_convert("fake_convert_e4m3_scalar_scale", [2, 3, 8], [4.0], extremes=True)
_fake_convert("fake_convert_e5m2_shift", [3, 16], [0.25], [0.5], dest="f8e5m2", extremes=True)
_fake_convert("fake_convert_e4m3_per_channel", [2, 4, 3, 3], np.array([0.5, 2.0, 8.0, 64.0]).reshape(1, 4, 1, 1),
              np.array([0.0, 1.0, -2.0, 0.25]).reshape(1, 4, 1, 1))
_fake_convert("fake_convert_e5m2_last_axis", [4, 6], [1.0, 2.0, 0.5, 3.0, 1e-3, 100.0], dest="f8e5m2")
_fake_convert("fake_convert_e4m3_f16", [3, 10], [2.0], dtype=F16)


# ----------------------------------------------------------------------------------------------
# ConvertPromoteTypes-14


def _promote(name, a, b, unsafe=False, pytorch=False, u64_target="f32"):
    """a, b: (shape, dtype)."""
    @case(name)
    def _(r):
        pa = P(a[0], "a", a[1])
        pb = P(b[0], "b", b[1])
        y = o14.convert_promote_types(pa, pb, unsafe, pytorch, u64_target)

        def values(shape, dt):
            if dt == np.bool_:
                return r.uniform(shape) > 0
            if np.issubdtype(dt, np.integer):
                info = np.iinfo(dt)
                return r.g.integers(max(info.min, -300), min(info.max, 300), size=shape, endpoint=True).astype(dt)
            return (r.uniform(shape, -300.0, 300.0)).astype(dt)
        return model_of(y, [pa, pb], ["ya", "yb"]), {"a": values(*a), "b": values(*b)}


_promote("cpt_f32_i8", ([2, 3], np.float32), ([3], np.int8))
_promote("cpt_i32_u8", ([4], np.int32), ([2, 4], np.uint8))
_promote("cpt_bool_f16", ([5], np.bool_), ([5], F16))
_promote("cpt_unsafe_i16_u32", ([3], np.int16), ([3], np.uint32), unsafe=True)
_promote("cpt_unsafe_f16_i64", ([4], F16), ([4], np.int64), unsafe=True)
_promote("cpt_unsafe_u64_i8_target_i64", ([3], np.uint64), ([3], np.int8), unsafe=True, u64_target="i64")
_promote("cpt_pytorch_scalar_i64_u8", ([], np.int64), ([2, 3], np.uint8), unsafe=True, pytorch=True)
_promote("cpt_pytorch_scalar_f64_f32", ([2, 2], np.float32), ([], np.float64), pytorch=True, unsafe=True)
_promote("cpt_i8_i64", ([3, 1], np.int8), ([3], np.int64))


# ----------------------------------------------------------------------------------------------
# ErfInv-17


@case("erfinv_f32")
def _(r):
    x = P([4, 16], "x")
    data = r.uniform([4, 16], -1.0, 1.0)
    # Away from the points where OpenVINO's CPU plugin loses accuracy (erfinv(1 - 2^-24) is 3.8325,
    # it gives 3.8139; at 0.999 it is 0.005 off); misc_ops_test.cpp checks the tails.
    data = np.clip(data, -0.9999, 0.9999)
    data.flat[:10] = [0.0, -0.0, 0.5, -0.5, 0.99, -0.9999, 1e-7, 0.9, -0.99, 0.125]
    return model_of(o17.erfinv(x), [x]), {"x": data}


@case("erfinv_f16")
def _(r):
    x = P([3, 8], "x", F16)
    data = r.uniform([3, 8], -0.999, 0.999).astype(F16)
    return model_of(o17.erfinv(x), [x]), {"x": data}


# ----------------------------------------------------------------------------------------------
# SegmentMax-16


def _segment_max(name, shape, ids, num_segments, fill="zero", dtype=np.float32, itype=np.int32, ids_const=False):
    @case(name)
    def _(r):
        x = P(shape, "data", dtype)
        params = [x]
        if np.issubdtype(dtype, np.integer):
            inputs = {"data": r.g.integers(-100, 100, size=shape).astype(dtype)}
        else:
            inputs = {"data": r.uniform(shape, -5.0, 5.0).astype(dtype)}
        if ids_const:
            seg = C(np.array(ids, itype))
        else:
            seg = P([len(ids)], "segment_ids", itype)
            params.append(seg)
            inputs["segment_ids"] = np.array(ids, itype)
        num = C(np.array(num_segments, itype)) if num_segments is not None else None
        y = o16.segment_max(x, seg, num, fill)
        return model_of(y, params), inputs


_segment_max("segment_max_zero_fill", [8, 3], [0, 0, 0, 1, 1, 3, 5, 5], 6)
_segment_max("segment_max_lowest_fill", [5, 2, 2], [0, 0, 2, 3, 3], 5, fill="lowest")
_segment_max("segment_max_fewer_segments", [5], [0, 0, 2, 3, 3], 2, itype=np.int64)
_segment_max("segment_max_int_lowest", [6, 4], [1, 1, 1, 2, 4, 4], 6, fill="lowest", dtype=np.int32)
_segment_max("segment_max_const_ids_no_count", [7, 3], [0, 1, 1, 1, 4, 4, 6], None, ids_const=True)
# No empty segment in f16: OpenVINO's CPU plugin fills those with -inf (f32's lowest, converted), the spec
# with f16's lowest, -65504 (misc_ops_test.cpp).
_segment_max("segment_max_f16", [6, 5], [0, 0, 1, 2, 2, 3], 4, fill="lowest", dtype=F16)


# Where OpenVINO's CPU plugin departs from the op specification. None of these cases: the FakeConvert
# inputs avoid the values where the CPU's rounding through f16 differs from the spec's single rounding
# (tests/unit/reference/misc_ops_test.cpp checks the spec there), GatherTree avoids max_seq_len 0 (the CPU
# leaves those beams unwritten) and EmbeddingBagOffsets avoids an empty last bag at offset == len(indices)
# (OpenVINO's reference refuses it; the spec allows it).
NOTES = {}
