"""Single-op zoo cases of the control flow (If-8, Loop-5, TensorIterator-1) (issue 11), registered into
zoo_ops.CASES. Each case is one sub-graph op whose body (or branches) holds a few ordinary ops.

OpenVINO's CPU plugin concatenates per-iteration outputs only when the body value is 1 wide along the axis
(or |stride| wide for TensorIterator), and slices TensorIterator inputs over the whole axis; the cases keep
to that, and host/reference's unit tests cover the rest with hand-computed values."""

import numpy as np
import openvino as ov
import openvino.opset8 as o8

from zoo_common import make_model
from zoo_ops import C, P, case


def _body(results, params, name):
    """A body model whose ops get names from their position (not OpenVINO's global counter), so that the
    saved IR does not depend on what was built before it."""
    m = ov.Model([o8.result(r) for r in results], params, name)
    counts = {}
    for op in m.get_ordered_ops():
        t = op.get_type_name().lower()
        k = counts.get(t, 0)
        counts[t] = k + 1
        if op.get_type_name() != "Parameter":
            op.set_friendly_name(f"{name}_{t}_{k}")
    return m


def BP(shape, name, dtype=np.float32):
    """A body Parameter (no tensor name of the model's)."""
    return o8.parameter(shape, dtype, name=name)


def _loop(trip, cond):
    return o8.loop(trip if isinstance(trip, ov.Node) else C(np.int64(trip)),
                   cond if isinstance(cond, ov.Node) else C(np.bool_(cond)))


def model_of_outputs(outs, params):
    """model_of for a list of outputs: named y0, y1, ..."""
    for k, o in enumerate(outs):
        o.get_tensor().set_names({f"y{k}"})
    return make_model(outs, params, "op")


# ----------------------------------------------------------------------------------------------
# Loop


@case("loop_const_trip_concat_back_edge")
def _(r):
    # acc <- tanh(acc * w + x) four times; outputs: the last acc and every iteration's acc, joined on axis 0.
    x, a0 = P([1, 5], "x"), P([1, 5], "a0")
    bx, ba = BP([1, 5], "bx"), BP([1, 5], "ba")
    acc = o8.tanh(o8.add(o8.multiply(ba, C(r.uniform([1, 5], 0.5, 1.5))), bx))
    body = _body([C(np.bool_(True)), acc], [bx, ba], "body")
    loop = _loop(4, True)
    loop.set_function(body)
    loop.set_special_body_ports([-1, 0])
    loop.set_invariant_input(bx, x.output(0))
    loop.set_merged_input(ba, a0.output(0), acc.output(0))
    outs = [loop.get_iter_value(acc.output(0), -1), loop.get_concatenated_slices(acc.output(0), 0, 1, 1, -1, 0)]
    return model_of_outputs(outs, [x, a0]), None


@case("loop_data_dependent_condition")
def _(r):
    # while (sum(x) < limit) x = x * 1.5 + 0.25, at most 20 times: only last values (static shapes).
    x, limit = P([2, 3], "x"), P([], "limit")
    bx, bl = BP([2, 3], "bx"), BP([], "bl")
    y = o8.add(o8.multiply(bx, C(np.float32(1.5))), C(np.float32(0.25)))
    go_on = o8.less(o8.reduce_sum(y, C(np.int64([0, 1]))), bl)
    steps_in = BP([], "steps", np.int64)
    steps = o8.add(steps_in, C(np.int64(1)))
    body = _body([go_on, y, steps], [bx, bl, steps_in], "body")
    loop = _loop(20, True)
    loop.set_function(body)
    loop.set_special_body_ports([-1, 0])
    loop.set_merged_input(bx, x.output(0), y.output(0))
    loop.set_invariant_input(bl, limit.output(0))
    loop.set_merged_input(steps_in, C(np.int64(0)).output(0), steps.output(0))
    outs = [loop.get_iter_value(y.output(0), -1), loop.get_iter_value(steps.output(0), -1)]
    inputs = {"x": r.uniform([2, 3], 0.5, 1.0), "limit": np.float32(60.0)}
    return model_of_outputs(outs, [x, limit]), inputs


@case("loop_data_dependent_condition_no_iteration")
def _(r):
    # The execution condition (a model input) is false: no iteration runs, the loop-carried value
    # comes out as it went in.
    x, run = P([2, 3], "x"), P([], "run", np.bool_)
    bx = BP([2, 3], "bx")
    y = o8.multiply(bx, C(np.float32(2.0)))
    go_on = o8.less(o8.reduce_sum(y, C(np.int64([0, 1]))), C(np.float32(100.0)))
    body = _body([go_on, y], [bx], "body")
    loop = _loop(-1, run)
    loop.set_function(body)
    loop.set_special_body_ports([-1, 0])
    loop.set_merged_input(bx, x.output(0), y.output(0))
    outs = [loop.get_iter_value(y.output(0), -1)]
    return model_of_outputs(outs, [x, run]), {"x": r.uniform([2, 3], 0.5, 1.0), "run": np.bool_(False)}


@case("loop_trip_count_input")
def _(r):
    # The trip count is a model input (i32, [1]) and the body condition always true: the number of
    # iterations is known only at run time, so only last values leave the loop.
    x, n = P([3], "x"), P([1], "n", np.int32)
    bx, it = BP([3], "bx"), BP([1], "it", np.int32)
    y = o8.add(o8.multiply(bx, C(np.float32(0.5))), o8.convert(it, "f32"))
    body = _body([C(np.bool_(True)), y], [bx, it], "body")
    loop = _loop(n, True)
    loop.set_function(body)
    loop.set_special_body_ports([1, 0])
    loop.set_merged_input(bx, x.output(0), y.output(0))
    outs = [loop.get_iter_value(y.output(0), -1)]
    return model_of_outputs(outs, [x, n]), {"x": r.uniform([3], -1.0, 1.0), "n": np.array([6], np.int32)}


def _loop_iteration(name, it_type, it_shape, trip):
    @case(name)
    def _(r):
        # y_i = x * i + i^2 (i the current iteration), joined over the iterations on axis 1.
        x = P([2, 1, 3], "x")
        bx, it = BP([2, 1, 3], "bx"), BP(it_shape, "it", it_type)
        itf = o8.convert(it, "f32")
        y = o8.add(o8.multiply(bx, itf), o8.multiply(itf, itf))
        body = _body([C(np.bool_(True)), y], [bx, it], "body")
        loop = _loop(trip, True)
        loop.set_function(body)
        loop.set_special_body_ports([1, 0])
        loop.set_invariant_input(bx, x.output(0))
        outs = [loop.get_concatenated_slices(y.output(0), 0, 1, 1, -1, 1), loop.get_iter_value(y.output(0), -1)]
        return model_of_outputs(outs, [x]), None


_loop_iteration("loop_current_iteration_i64", np.int64, [], 5)
_loop_iteration("loop_current_iteration_i32_1d", np.int32, [1], 3)


@case("loop_sliced_input")
def _(r):
    # A running sum over the rows of x, sliced on axis 0 (Loop's slicing: every row, in order).
    x, s0 = P([6, 4], "x"), P([1, 4], "s0")
    row, bs = BP([1, 4], "row"), BP([1, 4], "bs")
    s = o8.add(bs, o8.multiply(row, row))
    body = _body([C(np.bool_(True)), s], [row, bs], "body")
    loop = _loop(6, True)
    loop.set_function(body)
    loop.set_special_body_ports([-1, 0])
    loop.set_sliced_input(row, x.output(0), 0, 1, 1, -1, 0)
    loop.set_merged_input(bs, s0.output(0), s.output(0))
    outs = [loop.get_iter_value(s.output(0), -1), loop.get_concatenated_slices(s.output(0), 0, 1, 1, -1, 0)]
    return model_of_outputs(outs, [x, s0]), None


@case("loop_nested_if")
def _(r):
    # Inside a Loop, an If on the parity of the iteration: even iterations add 1, odd ones double.
    a0 = P([1, 3], "a0")
    ba, it = BP([1, 3], "ba"), BP([], "it", np.int64)
    even = o8.equal(o8.floor_mod(it, C(np.int64(2))), C(np.int64(0)))
    ta, ea = BP([1, 3], "ta"), BP([1, 3], "ea")
    then_b = _body([o8.add(ta, C(np.float32(1.0)))], [ta], "then")
    else_b = _body([o8.multiply(ea, C(np.float32(2.0)))], [ea], "else")
    branch = o8.if_op(even.output(0))
    branch.set_then_body(then_b)
    branch.set_else_body(else_b)
    branch.set_input(ba.output(0), ta, ea)
    acc = branch.set_output(then_b.get_results()[0], else_b.get_results()[0])
    body = _body([C(np.bool_(True)), acc], [ba, it], "body")
    loop = _loop(5, True)
    loop.set_function(body)
    loop.set_special_body_ports([1, 0])
    loop.set_merged_input(ba, a0.output(0), acc)
    outs = [loop.get_iter_value(acc, -1), loop.get_concatenated_slices(acc, 0, 1, 1, -1, 0)]
    return model_of_outputs(outs, [a0]), None


# ----------------------------------------------------------------------------------------------
# TensorIterator: an unrolled RNN cell h_t = tanh(x_t W + h_{t-1} R + b) over axis 1 of x [N, T, I]


def _rnn(name, n, t, i, h, reverse=False, part=1):
    @case(name)
    def _(r):
        x, h0 = P([n, t, i], "x"), P([n, h], "h0")
        xt, ht = BP([n, part, i], "xt"), BP([n, h], "ht")
        w, rw, b = C(r.weight([part * i, h])), C(r.weight([h, h])), C(r.uniform([h], -0.1, 0.1))
        x2 = o8.reshape(xt, C(np.int64([n, part * i])), False)
        hn = o8.tanh(o8.add(o8.add(o8.matmul(x2, w, False, False), o8.matmul(ht, rw, False, False)), b))
        hu = o8.unsqueeze(hn, C(np.int64([1])))
        body = _body([hn, hu], [xt, ht], "body")
        ti = o8.tensor_iterator()
        ti.set_body(body)
        if reverse:
            ti.set_sliced_input(xt, x.output(0), -1, -part, part, 0, 1)
        else:
            ti.set_sliced_input(xt, x.output(0), 0, part, part, -1, 1)
        ti.set_merged_input(ht, h0.output(0), hn.output(0))
        last = ti.get_iter_value(hn.output(0), -1)
        seq = ti.get_concatenated_slices(hu.output(0), -1 if reverse else 0, -1 if reverse else 1, 1,
                                         0 if reverse else -1, 1)
        return model_of_outputs([last, seq], [x, h0]), None


_rnn("ti_rnn_forward", 2, 5, 4, 3)
_rnn("ti_rnn_reverse", 2, 5, 4, 3, reverse=True)
_rnn("ti_rnn_forward_batch1_t7", 1, 7, 3, 5)
_rnn("ti_rnn_part2", 2, 6, 4, 3, part=2)


def _lstm(name, n, t, i, h):
    @case(name)
    def _(r):
        # An LSTM cell decomposed into ordinary ops, unrolled by a TensorIterator over axis 1 of x [N, T, I]
        # (the shape of OpenVINO's LSTMSequence-to-TensorIterator lowering): two carried states h and c,
        # gates i, f, g, o from one MatMul split in four; outputs the last h, the last c and every h.
        x, h0, c0 = P([n, t, i], "x"), P([n, h], "h0"), P([n, h], "c0")
        xt, ht, ct = BP([n, 1, i], "xt"), BP([n, h], "ht"), BP([n, h], "ct")
        w, rw, b = C(r.weight([i, 4 * h])), C(r.weight([h, 4 * h])), C(r.uniform([4 * h], -0.1, 0.1))
        x2 = o8.squeeze(xt, C(np.int64([1])))
        gates = o8.add(o8.add(o8.matmul(x2, w, False, False), o8.matmul(ht, rw, False, False)), b)
        gi, gf, gg, go = o8.split(gates, C(np.int64(1)), 4).outputs()
        cn = o8.add(o8.multiply(o8.sigmoid(gf), ct), o8.multiply(o8.sigmoid(gi), o8.tanh(gg)))
        hn = o8.multiply(o8.sigmoid(go), o8.tanh(cn))
        hu = o8.unsqueeze(hn, C(np.int64([1])))
        body = _body([hn, cn, hu], [xt, ht, ct], "body")
        ti = o8.tensor_iterator()
        ti.set_body(body)
        ti.set_sliced_input(xt, x.output(0), 0, 1, 1, -1, 1)
        ti.set_merged_input(ht, h0.output(0), hn.output(0))
        ti.set_merged_input(ct, c0.output(0), cn.output(0))
        outs = [ti.get_iter_value(hn.output(0), -1), ti.get_iter_value(cn.output(0), -1),
                ti.get_concatenated_slices(hu.output(0), 0, 1, 1, -1, 1)]
        return model_of_outputs(outs, [x, h0, c0]), None


_lstm("ti_lstm_decomposed", 2, 4, 3, 5)
_lstm("ti_lstm_decomposed_t1", 1, 1, 2, 3)


@case("ti_int_running_max")
def _(r):
    # Integer data: the running maximum of the columns of an i32 matrix, sliced on axis 1 (reverse).
    x, m0 = P([3, 5], "x", np.int32), P([3, 1], "m0", np.int32)
    col, bm = BP([3, 1], "col", np.int32), BP([3, 1], "bm", np.int32)
    m = o8.maximum(bm, col)
    body = _body([m], [col, bm], "body")
    ti = o8.tensor_iterator()
    ti.set_body(body)
    ti.set_sliced_input(col, x.output(0), -1, -1, 1, 0, 1)
    ti.set_merged_input(bm, m0.output(0), m.output(0))
    outs = [ti.get_iter_value(m.output(0), -1), ti.get_concatenated_slices(m.output(0), 0, 1, 1, -1, 1)]
    inputs = {"x": r.g.integers(-50, 50, size=[3, 5]).astype(np.int32), "m0": np.full([3, 1], -100, np.int32)}
    return model_of_outputs(outs, [x, m0]), inputs


# ----------------------------------------------------------------------------------------------
# If


def _if_model(cond, params, a, b):
    ta, tb, ea = BP([2, 3], "ta"), BP([2, 3], "tb"), BP([2, 3], "ea")
    then_b = _body([o8.add(o8.multiply(ta, tb), C(np.float32(0.5))), o8.reduce_sum(tb, C(np.int64([1])))],
                   [ta, tb], "then")
    else_b = _body([o8.subtract(C(np.float32(1.0)), o8.sigmoid(ea)), o8.reduce_max(ea, C(np.int64([1])))], [ea],
                   "else")
    branch = o8.if_op(cond.output(0))
    branch.set_then_body(then_b)
    branch.set_else_body(else_b)
    branch.set_input(a.output(0), ta, ea)
    branch.set_input(b.output(0), tb, None)
    o0 = branch.set_output(then_b.get_results()[0], else_b.get_results()[0])
    o1 = branch.set_output(then_b.get_results()[1], else_b.get_results()[1])
    return model_of_outputs([o0, o1], params)


def _if_param(name, value):
    @case(name)
    def _(r):
        c, a, b = P([], "c", np.bool_), P([2, 3], "a"), P([2, 3], "b")
        return _if_model(c, [c, a, b], a, b), {"c": np.bool_(value)}


_if_param("if_param_cond_true", True)
_if_param("if_param_cond_false", False)


@case("if_const_cond")
def _(r):
    a, b = P([2, 3], "a"), P([2, 3], "b")
    return _if_model(C(np.array([False])), [a, b], a, b), None


# ----------------------------------------------------------------------------------------------
# ONNX Loop, Scan and If converted by OpenVINO (openvino.convert_model): the port maps, special ports and
# back edges its ONNX frontend writes (a condition carried into the body and back out, scan outputs
# through Unsqueeze, outer-scope values captured by If branches).


def _canonical_bodies(model, prefix=""):
    """Names the ops inside every body from their position (the frontend's own names come from a global
    counter)."""
    for op in model.get_ordered_ops():
        t = op.get_type_name()
        bodies = {"If": lambda: [("then", op.get_then_body()), ("else", op.get_else_body())],
                  "Loop": lambda: [("body", op.get_function())],
                  "TensorIterator": lambda: [("body", op.get_function())]}.get(t, lambda: [])()
        for label, body in bodies:
            inner = f"{prefix}{op.get_friendly_name()}_{label}_"
            counts = {}
            for b_op in body.get_ordered_ops():
                bt = b_op.get_type_name().lower()
                k = counts.get(bt, 0)
                counts[bt] = k + 1
                if bt != "parameter":
                    b_op.set_friendly_name(f"{inner}{bt}_{k}")
            _canonical_bodies(body, inner)
    return model


def _from_onnx(graph):
    import tempfile
    from pathlib import Path

    import onnx
    from onnx import helper

    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "m.onnx"
        onnx.save(m, str(path))
        return _canonical_bodies(ov.convert_model(str(path)))


@case("loop_onnx_while")
def _(r):
    # ONNX Loop (trip count 100) whose body reads its condition input and ends when sum(acc) >= 40:
    # OpenVINO feeds the condition in as a carried value and back out as the execution condition.
    from onnx import TensorProto as T
    from onnx import helper as h

    body = h.make_graph(
        [h.make_node("Cast", ["cond_in"], ["cf"], to=T.FLOAT, name="cast_cond"),
         h.make_node("Cast", ["iter"], ["iterf"], to=T.FLOAT, name="cast_iter"),
         h.make_node("Add", ["acc", "iterf"], ["a1"], name="add_iter"),
         h.make_node("Add", ["a1", "cf"], ["acc_out"], name="add_cond"),
         h.make_node("ReduceSum", ["acc_out"], ["s"], keepdims=0, name="sum"),
         h.make_node("Less", ["s", "lim"], ["cond_out"], name="less")],
        "body",
        [h.make_tensor_value_info("iter", T.INT64, []), h.make_tensor_value_info("cond_in", T.BOOL, []),
         h.make_tensor_value_info("acc", T.FLOAT, [2])],
        [h.make_tensor_value_info("cond_out", T.BOOL, []), h.make_tensor_value_info("acc_out", T.FLOAT, [2])],
        [h.make_tensor("lim", T.FLOAT, [], [40.0])])
    g = h.make_graph(
        [h.make_node("Loop", ["M", "cond", "x"], ["y"], body=body, name="loop")],
        "g", [h.make_tensor_value_info("x", T.FLOAT, [2]), h.make_tensor_value_info("cond", T.BOOL, [])],
        [h.make_tensor_value_info("y", T.FLOAT, [2])],
        [h.make_tensor("M", T.INT64, [], [100])])
    return _from_onnx(g), {"x": r.uniform([2], 0.0, 2.0), "cond": np.bool_(True)}


@case("loop_onnx_for_scan_output")
def _(r):
    # ONNX Loop with a constant trip count, a passed-through condition and a scan output per iteration.
    from onnx import TensorProto as T
    from onnx import helper as h

    body = h.make_graph(
        [h.make_node("Identity", ["cond_in"], ["cond_out"], name="keep_cond"),
         h.make_node("Cast", ["iter"], ["iterf"], to=T.FLOAT, name="cast_iter"),
         h.make_node("Mul", ["acc", "w"], ["aw"], name="scale"),
         h.make_node("Add", ["aw", "iterf"], ["acc_out"], name="add_iter"),
         h.make_node("Tanh", ["acc_out"], ["scan"], name="tanh")],
        "body",
        [h.make_tensor_value_info("iter", T.INT64, []), h.make_tensor_value_info("cond_in", T.BOOL, []),
         h.make_tensor_value_info("acc", T.FLOAT, [3])],
        [h.make_tensor_value_info("cond_out", T.BOOL, []), h.make_tensor_value_info("acc_out", T.FLOAT, [3]),
         h.make_tensor_value_info("scan", T.FLOAT, [3])],
        [h.make_tensor("w", T.FLOAT, [3], r.uniform([3], 0.5, 1.0).tolist())])
    g = h.make_graph(
        [h.make_node("Loop", ["M", "cond", "x"], ["acc_final", "scans"], body=body, name="loop")],
        "g", [h.make_tensor_value_info("x", T.FLOAT, [3])],
        [h.make_tensor_value_info("acc_final", T.FLOAT, [3]), h.make_tensor_value_info("scans", T.FLOAT, [5, 3])],
        [h.make_tensor("M", T.INT64, [], [5]), h.make_tensor("cond", T.BOOL, [], [True])])
    return _from_onnx(g), None


@case("scan_onnx_reverse")
def _(r):
    # ONNX Scan (becomes a TensorIterator): a running sum over the rows of x, read last row first; the
    # scan output is twice the running sum.
    from onnx import TensorProto as T
    from onnx import helper as h

    body = h.make_graph(
        [h.make_node("Add", ["s", "row"], ["s_out"], name="add"),
         h.make_node("Mul", ["s_out", "two"], ["y"], name="twice")],
        "body",
        [h.make_tensor_value_info("s", T.FLOAT, [3]), h.make_tensor_value_info("row", T.FLOAT, [3])],
        [h.make_tensor_value_info("s_out", T.FLOAT, [3]), h.make_tensor_value_info("y", T.FLOAT, [3])],
        [h.make_tensor("two", T.FLOAT, [], [2.0])])
    g = h.make_graph(
        [h.make_node("Scan", ["s0", "x"], ["s_final", "ys"], body=body, num_scan_inputs=1,
                     scan_input_directions=[1], name="scan")],
        "g", [h.make_tensor_value_info("s0", T.FLOAT, [3]), h.make_tensor_value_info("x", T.FLOAT, [4, 3])],
        [h.make_tensor_value_info("s_final", T.FLOAT, [3]), h.make_tensor_value_info("ys", T.FLOAT, [4, 3])])
    return _from_onnx(g), None


def _if_onnx(name, value):
    @case(name)
    def _(r):
        # ONNX If whose branches read outer-scope values (OpenVINO makes them If inputs).
        from onnx import TensorProto as T
        from onnx import helper as h

        then_g = h.make_graph([h.make_node("Add", ["a", "b"], ["t"], name="add")], "then", [],
                              [h.make_tensor_value_info("t", T.FLOAT, [2, 3])])
        else_g = h.make_graph([h.make_node("Mul", ["a", "c"], ["e"], name="mul")], "else", [],
                              [h.make_tensor_value_info("e", T.FLOAT, [2, 3])])
        g = h.make_graph(
            [h.make_node("If", ["cond"], ["y"], then_branch=then_g, else_branch=else_g, name="if")],
            "g", [h.make_tensor_value_info("cond", T.BOOL, []), h.make_tensor_value_info("a", T.FLOAT, [2, 3]),
                  h.make_tensor_value_info("b", T.FLOAT, [2, 3]), h.make_tensor_value_info("c", T.FLOAT, [2, 3])],
            [h.make_tensor_value_info("y", T.FLOAT, [2, 3])])
        return _from_onnx(g), {"cond": np.bool_(value)}


_if_onnx("if_onnx_outer_scope_true", True)
_if_onnx("if_onnx_outer_scope_false", False)


NOTES = {}
