"""Single-op zoo cases for op versions octet evaluates at compile time (issue 11 close-out), registered into
zoo_ops.CASES: Range-1/4 and Eye-9 whose inputs come from a Parameter's shape (ShapeOf -> Gather), as
converted models compute them; OpenVINO keeps the op in the IR and octet folds it to a constant. Eye-9 also
with a diagonal_index given at run time (the op then runs as a kernel). BinaryConvolution-1 with a Parameter
input holding binarized activations (0 and 1, as the op specification's reference compares them).
(PriorBox-1/8 and PriorBoxClustered-1 have such cases in zoo_ops_vision.py.)"""

import numpy as np
import openvino as ov
import openvino.opset1 as o1
import openvino.opset8 as o8
import openvino.opset9 as o9
from openvino.utils.node_factory import NodeFactory

from zoo_ops import C, P, case, model_of

I64 = np.int64


def _range4(start, stop, step, output_type):
    """Range-4 (openvino.opset4.range is opset1's in this OpenVINO release)."""
    return NodeFactory("opset4").create("Range", [start, stop, step], {"output_type": output_type})


def _dim(x, axis):
    """A scalar i64 dim of x as converted models read it: ShapeOf -> Gather."""
    return o8.gather(o1.shape_of(x), C(np.array(axis, I64)), C(np.array(0, I64)))


@case("range_v1_stop_from_shape")
def _(r):
    x = P([2, 9], "x")
    y = o1.range(C(np.array(1, I64)), _dim(x, 1), C(np.array(2, I64)))
    return model_of(y, [x]), None


@case("range_v4_f32_stop_from_shape")
def _(r):
    x = P([7, 3], "x")
    stop = o1.convert(_dim(x, 0), "f32")
    y = _range4(C(np.array(0.5, np.float32)), stop, C(np.array(0.75, np.float32)), "f32")
    return model_of(y, [x]), None


@case("range_v4_i32_negative_step_from_shape")
def _(r):
    x = P([1, 11], "x")
    y = _range4(_dim(x, 1), C(np.array(-4, I64)), C(np.array(-3, I64)), "i32")
    return model_of(y, [x]), None


@case("eye_v9_from_shape_times_x")
def _(r):
    x = P([2, 5, 6], "x")
    e = o9.eye(_dim(x, 1), _dim(x, 2), C(np.array(1, I64)), "f32")
    return model_of(o1.multiply(x, e), [x]), None


def _eye_runtime_diagonal(name, rows, cols, diagonal, batch, out_type):
    @case(name)
    def _(r):
        k = P([], "k", I64)
        batch_node = C(np.array(batch, I64)) if batch is not None else None
        y = o9.eye(C(np.array(rows, I64)), C(np.array(cols, I64)), k, out_type, batch_node)
        return model_of(y, [k]), {"k": np.array(diagonal, I64)}


_eye_runtime_diagonal("eye_v9_runtime_diagonal_f32", 4, 6, -1, [2], "f32")
_eye_runtime_diagonal("eye_v9_runtime_diagonal_i32_wide", 5, 3, 2, None, "i32")


def _binary_conv(name, xs, ws, strides, pb, pe, dil, pad_value, auto_pad="explicit"):
    @case(name)
    def _(r):
        x = P(xs, "x")
        bits = r.g.integers(0, 2, size=ws).astype(bool)
        # Each byte of packed filter bits reads the same from either end: OpenVINO's CPU plugin takes a
        # byte's bits from the least significant one, the op specification (its u1 layout and core
        # reference) from the most significant one; such bytes give one result for both readings.
        flat = bits.reshape(-1)
        assert flat.size % 8 == 0 and (ws[1] * ws[2] * ws[3]) % 8 == 0, name
        flat.reshape(-1, 8)[:, 4:] = flat.reshape(-1, 8)[:, 3::-1]
        w = ov.op.Constant(ov.Type.u1, ov.Shape(ws), bits.reshape(-1).tolist())
        y = o1.binary_convolution(x, w, strides, pb, pe, dil, "xnor-popcount", pad_value, auto_pad)
        data = r.g.integers(0, 2, size=xs).astype(np.float32)
        return model_of(y, [x]), {"x": data}


_binary_conv("binary_conv_3x3_pad_value1", [1, 8, 5, 5], [4, 8, 3, 3], [1, 1], [1, 1], [1, 1], [1, 1], 1.0)
_binary_conv("binary_conv_3x3_pad_value1_s2_asym", [2, 8, 7, 6], [3, 8, 3, 3], [2, 2], [1, 0], [0, 1], [1, 1], 1.0)
_binary_conv("binary_conv_2x2_dilated_valid", [1, 8, 6, 6], [5, 8, 2, 2], [1, 1], [0, 0], [0, 0], [2, 2], 0.0,
             "valid")

# OpenVINO's CPU plugin agrees with the op specification (and octet) only for filters of whole bytes per
# output channel whose bytes read the same from either end, and for pad_value 1 (or no padding): the cases
# above. Measured with OpenVINO 2026.4.1 (not kept as zoo cases: their references would be OpenVINO's
# departure, and tests/unit/reference/vision_ops_test.cpp checks octet's spec values by hand):
# - it reads the packed u1 filter bits of each byte from the least significant bit, where the spec's u1
#   layout (OpenVINO's Constant packing and core reference) puts element 8k in the most significant bit
#   of one continuous bit stream; filters with a bit count per output channel that is not a multiple of 8
#   differ as well;
# - it takes pad_value -1 as a 0 bit (matching a 0 weight) and pad_value 0 as no contribution, where the
#   spec compares the pad value itself with the 0/1 weight bits.
NOTES = {}
