"""Single-op zoo cases of TopK, GatherElements, GatherND and the scatters (issue 11, family F3b),
registered into zoo_ops.CASES.

Inputs avoid what the specs leave open: TopK data has no equal values except in the stable=true
cases; scatters with reduction "none" never write one element twice. Where they are written twice
(reductions) the order is row-major over the updates. OpenVINO's CPU plugin takes negative indices in
[-s, s) for every op here except ScatterUpdate, also for the versions whose spec asks for [0, s), and
octet does the same; the *_negative_* cases cover that."""

import numpy as np
import openvino.opset1 as o1
import openvino.opset3 as o3
import openvino.opset4 as o4
import openvino.opset5 as o5
import openvino.opset6 as o6
import openvino.opset8 as o8
import openvino.opset11 as o11
import openvino.opset12 as o12
import openvino.opset15 as o15

from zoo_common import make_model
from zoo_ops import C, P, case, model_of

I32, I64, F16, F32 = np.int32, np.int64, np.float16, np.float32


def distinct(r, shape, dtype=F32, scale=0.25, offset=None):
    """Values without ties: a shuffled 0..n-1 scaled (exact in f16 for the sizes used here)."""
    n = int(np.prod(shape))
    v = r.g.permutation(n).reshape(shape).astype(np.float64)
    v = v * scale - (n * scale / 2 if offset is None else offset)
    return v.astype(dtype)


def ints(r, shape, lo, hi, dtype=I64):
    return r.g.integers(lo, hi, size=shape).astype(dtype)


# ----------------------------------------------------------------------------------------------
# TopK-1, -3, -11


def _topk(name, f, shape, k, axis, mode, sort, dtype=F32, index_type=None, stable=None, data=None,
          k_dtype=I64):
    @case(name)
    def _(r):
        x = P(shape, dtype=dtype)
        kw = {}
        if index_type is not None:
            kw["index_element_type"] = index_type
        if stable is not None:
            kw["stable"] = stable
        y = f(x, C(k, k_dtype), axis, mode, sort, **kw)
        values = data(r) if data else distinct(r, shape, dtype)
        return model_of(y, [x], ["values", "indices"]), {"x": values}


_topk("topk_v1_max_value_axis1", o1.topk, [3, 11, 5], 4, 1, "max", "value")
_topk("topk_v1_min_index_axis_neg1", o1.topk, [2, 3, 7], 3, -1, "min", "index")
_topk("topk_v1_max_none_k_i32", o1.topk, [5, 13], 2, 0, "max", "none", k_dtype=I32)
_topk("topk_v3_max_none_i64", o3.topk, [5, 13], 4, 1, "max", "none", index_type="i64")
_topk("topk_v3_min_value_i32_data_k_eq_dim", o3.topk, [4, 9], 9, 1, "min", "value", dtype=I32, index_type="i32",
      data=lambda r: distinct(r, [4, 9], I32, scale=3, offset=50))
_topk("topk_v3_max_index_i64_data_axis0", o3.topk, [7, 3], 3, 0, "max", "index", dtype=I64, index_type="i64",
      data=lambda r: distinct(r, [7, 3], I64, scale=1000003, offset=10**7))
_topk("topk_v11_max_value_f16", o11.topk, [2, 17], 5, 1, "max", "value", dtype=F16, index_type="i64")
_topk("topk_v11_min_none_axis_neg2", o11.topk, [2, 6, 3], 2, -2, "min", "none", index_type="i32")
_topk("topk_v11_k1_rank1", o11.topk, [13], 1, 0, "max", "value", index_type="i64")
_topk("topk_v11_unit_dims", o11.topk, [1, 1, 5], 5, 2, "min", "value", index_type="i32")
_topk("topk_v11_unit_axis", o11.topk, [3, 1, 2], 1, 1, "max", "index", index_type="i64")
# Ties only with stable=true, where the spec fixes their order (ascending index).
_topk("topk_v11_stable_ties_max_value", o11.topk, [3, 10], 6, 1, "max", "value", index_type="i64", stable=True,
      data=lambda r: ints(r, [3, 10], -2, 3).astype(F32))
_topk("topk_v11_stable_ties_min_value_i32", o11.topk, [10, 2], 7, 0, "min", "value", dtype=I32, index_type="i32",
      stable=True, data=lambda r: ints(r, [10, 2], 0, 4, I32))
_topk("topk_v11_stable_ties_max_index", o11.topk, [2, 9], 4, 1, "max", "index", index_type="i64", stable=True,
      data=lambda r: ints(r, [2, 9], 0, 3).astype(F32))
_topk("topk_v11_stable_ties_min_index_f16", o11.topk, [9], 5, 0, "min", "index", dtype=F16, index_type="i32",
      stable=True, data=lambda r: np.array([5, 3, 1, 2, 5, 5, 1, 0.5, 3], F16))


@case("topk_v11_k_from_shape_subgraph")
def _(r):
    # k = min(shape(x)[1], 3): a shape subgraph that folds to a constant before TopK is inferred.
    x = P([2, 5, 3])
    k = o1.minimum(o8.gather(o3.shape_of(x, "i64"), C(1, I64), C(0, I64)), C(3, I64))
    y = o11.topk(x, k, 1, "max", "value", "i64")
    return model_of(y, [x], ["values", "indices"]), {"x": distinct(r, [2, 5, 3])}


# ----------------------------------------------------------------------------------------------
# GatherElements-6


def _gather_elements(name, data_shape, idx, axis, dtype=F32, idx_dtype=I64, idx_param=False):
    @case(name)
    def _(r):
        x = P(data_shape, dtype=dtype)
        index = np.asarray(idx(r) if callable(idx) else idx, idx_dtype)
        i = P(list(index.shape), "indices", idx_dtype) if idx_param else C(index, idx_dtype)
        y = o6.gather_elements(x, i, axis)
        inputs = {"x": distinct(r, data_shape, dtype)}
        if idx_param:
            inputs["indices"] = index
        return model_of(y, [x, i] if idx_param else [x]), inputs


_gather_elements("gather_elements_axis0", [3, 4], [[2, 0, 1, 1], [0, 2, 2, 0]], 0)
_gather_elements("gather_elements_axis_neg1_wider_i32", [2, 3, 5], lambda r: ints(r, [2, 3, 7], 0, 5), -1,
                 idx_dtype=I32)
_gather_elements("gather_elements_negative_indices", [4, 5], [[0, -1, 4, -5, 2, -3], [1, 1, -2, 0, 3, -4],
                                                              [-1, -1, 0, 2, -5, 4], [3, 0, -2, 1, 2, -3]], 1)
_gather_elements("gather_elements_i64_data_indices_param", [3, 1, 4], lambda r: ints(r, [3, 1, 2], -4, 4, I32), 2,
                 dtype=I64, idx_dtype=I32, idx_param=True)
_gather_elements("gather_elements_f16_axis1", [1, 7], [[6, 0, 3]], 1, dtype=F16)
_gather_elements("gather_elements_rank1", [11], [10, 0, 5, 5, 7], 0, dtype=I32)
_gather_elements("gather_elements_axis1_narrower", [2, 5, 3], lambda r: ints(r, [2, 2, 3], 0, 5), 1)


# ----------------------------------------------------------------------------------------------
# GatherND-5 and -8 (the output shape differs when batch_dims > 1: v5 flattens the batch dims)


def _gather_nd(name, f, data_shape, idx, batch_dims=0, dtype=F32, idx_dtype=I64, idx_param=False):
    @case(name)
    def _(r):
        x = P(data_shape, dtype=dtype)
        index = np.asarray(idx(r) if callable(idx) else idx, idx_dtype)
        i = P(list(index.shape), "indices", idx_dtype) if idx_param else C(index, idx_dtype)
        y = f(x, i, batch_dims)
        inputs = {"x": distinct(r, data_shape, dtype)}
        if idx_param:
            inputs["indices"] = index
        return model_of(y, [x, i] if idx_param else [x]), inputs


def _tuples(r, lead, dims, negative=False):
    """Index tuples of shape lead + [len(dims)], each entry within its dim (or [-d, d) when negative)."""
    cols = [r.g.integers(-d if negative else 0, d, size=lead) for d in dims]
    return np.stack(cols, axis=-1)


_gather_nd("gather_nd_v5_elements", o5.gather_nd, [3, 4], [[0, 0], [2, 3], [1, 2], [2, 0], [0, 3]])
_gather_nd("gather_nd_v5_slices", o5.gather_nd, [4, 3, 2], [[3], [1]], idx_dtype=I32)
_gather_nd("gather_nd_v5_batch_dims1", o5.gather_nd, [2, 3, 4], [[1], [2]], 1)
_gather_nd("gather_nd_v5_batch_dims2", o5.gather_nd, [2, 3, 5, 2], lambda r: _tuples(r, [2, 3, 4], [5]), 2)
_gather_nd("gather_nd_v5_negative_indices", o5.gather_nd, [5, 3], lambda r: _tuples(r, [4], [5], True))
_gather_nd("gather_nd_v8_batch_dims2", o8.gather_nd, [2, 3, 5, 2], lambda r: _tuples(r, [2, 3, 4], [5]), 2)
_gather_nd("gather_nd_v8_batch_dims3", o8.gather_nd, [1, 2, 2, 4], [[[[1], [0]], [[3], [2]]]], 3)
_gather_nd("gather_nd_v8_batch_dims1_tuple2", o8.gather_nd, [3, 4, 5, 2], lambda r: _tuples(r, [3, 2], [4, 5]), 1,
           dtype=I64)
_gather_nd("gather_nd_v8_negative_i32", o8.gather_nd, [5, 7], lambda r: _tuples(r, [3, 2], [5, 7], True),
           dtype=I32, idx_dtype=I32)
_gather_nd("gather_nd_v8_full_tuples_f16", o8.gather_nd, [2, 3, 5], lambda r: _tuples(r, [4], [2, 3, 5]),
           dtype=F16)
_gather_nd("gather_nd_v8_scalar_result", o8.gather_nd, [3, 4], [2, 1])
_gather_nd("gather_nd_v8_indices_param", o8.gather_nd, [6, 2, 3], lambda r: _tuples(r, [2, 2], [6, 2], True),
           dtype=I64, idx_param=True)


# ----------------------------------------------------------------------------------------------
# ScatterUpdate-3


def _scatter_update(name, data_shape, idx, upd_shape, axis, dtype=F32, idx_dtype=I64):
    @case(name)
    def _(r):
        x, u = P(data_shape, dtype=dtype), P(upd_shape, "updates", dtype)
        y = o3.scatter_update(x, C(idx, idx_dtype), u, C(axis, I64))
        return model_of(y, [x, u]), {"x": distinct(r, data_shape, dtype),
                                     "updates": distinct(r, upd_shape, dtype, 0.5, -50)}


_scatter_update("scatter_update_axis0", [5, 3], [3, 0], [2, 3], 0)
_scatter_update("scatter_update_axis1_2d_indices_i32", [2, 7, 3], [[6, 1], [0, 4]], [2, 2, 2, 3], 1,
                idx_dtype=I32)
_scatter_update("scatter_update_neg_axis_i32", [3, 4], [1, 3, 0], [3, 3], -1, dtype=I32)
# A 0-D index (the spec's first example) is refused by OpenVINO's CPU plugin ("do not support scalar
# input"); the unit tests cover it against hand-computed values.
_scatter_update("scatter_update_one_index_f16", [4, 2], [2], [1, 2], 0, dtype=F16)
_scatter_update("scatter_update_i64_rank1", [7], [6, 2, 5], [3], 0, dtype=I64)


# ----------------------------------------------------------------------------------------------
# ScatterElementsUpdate-3 and -12


def _seu(name, f, data_shape, idx, axis, dtype=F32, idx_dtype=I64, updates=None, data=None, **kw):
    @case(name)
    def _(r):
        index = np.asarray(idx(r) if callable(idx) else idx, idx_dtype)
        x, u = P(data_shape, dtype=dtype), P(list(index.shape), "updates", dtype)
        y = f(x, C(index, idx_dtype), u, C(axis, I64), **kw)
        upd = updates(r, index.shape) if updates else distinct(r, list(index.shape), dtype, 0.5, -50)
        return model_of(y, [x, u]), {"x": data(r) if data else distinct(r, data_shape, dtype), "updates": upd}


def _unique_along(r, shape, axis, dim, negative=False):
    """Indices with no two equal along `axis` (a prefix of a permutation of range(dim) per line)."""
    shape = list(shape)
    axis = axis % len(shape)
    lines = np.moveaxis(np.zeros(shape, I64), axis, -1)
    out = np.empty_like(lines)
    for pos in np.ndindex(lines.shape[:-1]):
        p = r.g.permutation(dim)[:shape[axis]]
        out[pos] = np.where(r.g.integers(0, 2, size=p.shape) == 1, p - dim, p) if negative else p
    return np.moveaxis(out, -1, axis)


_seu("seu_v3_axis0", o3.scatter_elements_update, [3, 4], lambda r: _unique_along(r, [2, 4], 0, 3), 0)
_seu("seu_v3_axis_neg1_i32", o3.scatter_elements_update, [2, 3, 6], lambda r: _unique_along(r, [2, 2, 4], -1, 6),
     -1, dtype=I32, idx_dtype=I32)
_seu("seu_v3_negative_indices_f16", o3.scatter_elements_update, [5, 4],
     lambda r: _unique_along(r, [3, 4], 0, 5, negative=True), 0, dtype=F16)
_seu("seu_v12_none_negative_i64", o12.scatter_elements_update, [4, 7],
     lambda r: _unique_along(r, [4, 5], 1, 7, negative=True), 1, dtype=I64, reduction="none")

# Reductions: indices with duplicates (several updates land on one element) and untouched elements.
_DUP = lambda r: ints(r, [3, 5], -4, 4)  # noqa: E731  axis 1 of data [3, 4]
_SMALL_I = lambda dt: (lambda r, s: ints(r, s, -3, 4, dt))  # noqa: E731  small: prod stays exact
for _red, _dt in [("sum", F32), ("sum", I64), ("prod", I32), ("prod", F32), ("min", F16), ("min", I32),
                  ("max", I64), ("max", F32), ("mean", F32), ("mean", F16)]:
    for _init in (True, False):
        _tag = f"{_red}_{np.dtype(_dt).name}_{'init' if _init else 'noinit'}"
        _upd = _SMALL_I(_dt) if _red == "prod" or np.dtype(_dt).kind == "i" else None
        _data = (lambda dt: (lambda r: ints(r, [3, 4], -3, 4, dt)))(_dt) if _red == "prod" else None
        _seu(f"seu_v12_{_tag}", o12.scatter_elements_update, [3, 4], _DUP, 1, dtype=_dt, updates=_upd, data=_data,
             reduction=_red, use_init_val=_init)
# Integer mean with non-negative sums, where rounding down and toward zero agree.
_seu("seu_v12_mean_i32_nonneg", o12.scatter_elements_update, [4, 3], lambda r: ints(r, [6, 3], 0, 4, I32), 0,
     dtype=I32, idx_dtype=I32, updates=lambda r, s: ints(r, s, 0, 50, I32),
     data=lambda r: ints(r, [4, 3], 0, 50, I32), reduction="mean", use_init_val=True)
# Negative integer means are left to the unit tests (tests/unit/reference/indexing_ops_test.cpp): the spec
# rounds them down (toward -inf, -3/2 -> -2) but OpenVINO's CPU plugin rounds toward zero (-3/2 -> -1),
# e.g. data [9, -3, 5, 4, 2], indices [1, 1, 3, 3, 3, 4], updates [2, -7, 1, -4, 0, -3], use_init_val
# false gives -2 at index 1 on OpenVINO's CPU where the spec gives -3.
_seu("seu_v12_sum_3d_axis0", o12.scatter_elements_update, [2, 3, 4], lambda r: ints(r, [4, 3, 2], -2, 2), 0,
     reduction="sum")


# ----------------------------------------------------------------------------------------------
# ScatterNDUpdate-3 (written as opset4) and -15


def _snd(name, f, data_shape, idx, dtype=F32, idx_dtype=I64, updates=None, data=None, **kw):
    @case(name)
    def _(r):
        index = np.asarray(idx(r) if callable(idx) else idx, idx_dtype)
        k = index.shape[-1]
        upd_shape = list(index.shape[:-1]) + list(data_shape[k:])
        x, u = P(data_shape, dtype=dtype), P(upd_shape, "updates", dtype)
        y = f(x, C(index, idx_dtype), u, **kw)
        upd = updates(r, upd_shape) if updates else distinct(r, upd_shape, dtype, 0.5, -50)
        return model_of(y, [x, u]), {"x": data(r) if data else distinct(r, data_shape, dtype), "updates": upd}


def _unique_tuples(r, count, dims, negative=False):
    """`count` distinct index tuples into dims (no element written twice)."""
    flat = r.g.permutation(int(np.prod(dims)))[:count]
    t = np.stack(np.unravel_index(flat, dims), axis=-1)
    if negative:
        t = np.where(r.g.integers(0, 2, size=t.shape) == 1, t - np.array(dims), t)
    return t


_snd("snd_v3_elements", o4.scatter_nd_update, [8], [[4], [3], [1], [7]])
_snd("snd_v3_slices", o4.scatter_nd_update, [4, 4, 4], [[0], [2]])
_snd("snd_v3_tuples2_i32", o4.scatter_nd_update, [3, 5], lambda r: _unique_tuples(r, 6, [3, 5]), dtype=I32,
     idx_dtype=I32)
_snd("snd_v3_negative_indices", o4.scatter_nd_update, [4, 3, 2], lambda r: _unique_tuples(r, 5, [4, 3], True))
_snd("snd_v3_f16_2d_indices", o4.scatter_nd_update, [5, 2, 3], lambda r: _unique_tuples(r, 4, [5, 2]).reshape(2, 2, 2),
     dtype=F16)
_snd("snd_v3_full_tuple_scalar_updates", o4.scatter_nd_update, [2, 3, 7], [1, 2, 6], dtype=I64)
_snd("snd_v15_none_negative_i64", o15.scatter_nd_update, [6, 2], lambda r: _unique_tuples(r, 4, [6], True),
     dtype=I64, reduction="none")
_SND_DUP = lambda r: ints(r, [7, 2], -3, 3)  # noqa: E731  tuples into data [3, 3, 2], duplicates likely
for _red, _dt in [("sum", F32), ("sum", I32), ("sub", F32), ("sub", I64), ("prod", F32), ("prod", I64),
                  ("min", F16), ("min", I64), ("max", F32), ("max", I32)]:
    _upd = _SMALL_I(_dt) if _red == "prod" or np.dtype(_dt).kind == "i" else None
    _data = (lambda dt: (lambda r: ints(r, [3, 3, 2], -3, 4, dt)))(_dt) if _red == "prod" else None
    _snd(f"snd_v15_{_red}_{np.dtype(_dt).name}", o15.scatter_nd_update, [3, 3, 2], _SND_DUP, dtype=_dt,
         updates=_upd, data=_data, reduction=_red)


# ----------------------------------------------------------------------------------------------
# Shape subgraphs: integer data that octet folds into constants before inferring the Reshape


@case("indexing_shape_subgraph")
def _(r):
    # Integer ops on ShapeOf(x) = [2, 3, 4]: octet folds them into constants (the outputs are the folded
    # values) and two Reshapes consume them.
    x = P([2, 3, 4])
    s = o3.shape_of(x, "i64")
    topk = o11.topk(s, C(3, I64), 0, "max", "value", "i64")  # [4, 3, 2], indices [2, 1, 0]
    gnd = o8.gather_nd(s, C([[2], [0], [1]], I64))  # [4, 2, 3]
    # prod without init: s[1] = 3 * 4, s[2] = 1 -> [2, 12, 1]
    seu = o12.scatter_elements_update(s, C([1, 1, 2], I64), C([3, 4, 1], I64), C(0, I64), "prod", False)
    snd = o15.scatter_nd_update(s, C([[0], [2]], I64), C([1, -4], I64), "sub")  # [1, 3, 8]
    su = o3.scatter_update(s, C([2, 0], I32), C([5, 7], I64), C(-1, I64))  # [7, 3, 5]
    ge = o6.gather_elements(s, C([2, 1, 0, 2], I32), 0)  # [4, 3, 2, 4]
    outs = [topk.output(0), topk.output(1), gnd.output(0), seu.output(0), snd.output(0), su.output(0),
            ge.output(0), o1.reshape(x, topk.output(0), False).output(0), o1.reshape(x, seu, False).output(0)]
    names = ["topk_values", "topk_indices", "gather_nd", "scatter_elements", "scatter_nd", "scatter_update",
             "gather_elements", "reshaped_topk", "reshaped_scatter"]
    for o, name in zip(outs, names):
        o.get_tensor().set_names({name})
    return make_model(outs, [x], "op"), None


# Where OpenVINO's CPU plugin departs from the op specification (none among the cases above; see the
# integer mean note).
NOTES = {}
