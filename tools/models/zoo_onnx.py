"""A small ONNX graph builder for the real-architecture zoo models (zoo_real.py): nodes named the way
PyTorch's exporter names them (`/<scope>/<Op>`, outputs `<node>_output_<i>`), seeded weights as
initializers, and the usual layer shorthands (Conv, BatchNormalization, Gemm, ...)."""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from zoo_common import Rng

OPSET = 17  # LayerNormalization needs 17; Resize/Split/Squeeze take their sizes/axes as inputs (>= 13)
IR_VERSION = 8  # what opset 17 exporters write

_ELEM = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.int64): TensorProto.INT64,
         np.dtype(np.int32): TensorProto.INT32, np.dtype(np.bool_): TensorProto.BOOL}


class Graph:
    """Collects nodes, initializers and graph inputs/outputs; `op` returns the output tensor name(s)."""

    def __init__(self, name, seed):
        self.name = name
        self.rng = Rng(seed)
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self._names = set()

    def _unique(self, name):
        base, k = name, 1
        while name in self._names:
            name = f"{base}_{k}"
            k += 1
        self._names.add(name)
        return name

    def input(self, name, shape, dtype=np.float32):
        self.inputs.append(helper.make_tensor_value_info(name, _ELEM[np.dtype(dtype)], shape))
        return name

    def output(self, tensor, dtype=np.float32):
        """Declares `tensor` a graph output (shape left to ONNX shape inference)."""
        self.outputs.append(helper.make_tensor_value_info(tensor, _ELEM[np.dtype(dtype)], None))
        return tensor

    def rename(self, tensor, new):
        """Renames a node output (e.g. to give a graph output its exported name, as PyTorch does)."""
        for n in self.nodes:
            for seq in (n.output, n.input):
                for i, t in enumerate(seq):
                    if t == tensor:
                        seq[i] = new
        return new

    def init(self, name, arr):
        name = self._unique(name)
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def ints(self, name, values):
        return self.init(name, np.array(values, np.int64))

    def scalar(self, name, value, dtype=np.float32):
        return self.init(name, np.array(value, dtype))

    def op(self, op_type, inputs, scope, outputs=1, **attrs):
        """Adds node `/<scope>/<op_type>`; `outputs` is a count (auto names) or a list of tensor names."""
        name = self._unique(f"/{scope}/{op_type}" if scope else f"/{op_type}")
        if isinstance(outputs, int):
            outputs = [f"{name}_output_{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op_type, list(inputs), list(outputs), name=name, **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    # Layers -------------------------------------------------------------------------------------

    def conv(self, x, cin, cout, k, scope, stride=1, pad=None, groups=1, bias=True, dilation=1):
        pad = (k // 2) * dilation if pad is None else pad
        w = self.init(f"{scope}.weight", self.rng.weight([cout, cin // groups, k, k]))
        ins = [x, w]
        if bias:
            ins.append(self.init(f"{scope}.bias", self.rng.normal([cout], 0.05)))
        return self.op("Conv", ins, scope, kernel_shape=[k, k], strides=[stride, stride],
                       pads=[pad] * 4, group=groups, dilations=[dilation, dilation])

    def bn(self, x, c, scope):
        r = self.rng
        ins = [x, self.init(f"{scope}.weight", 1.0 + r.normal([c], 0.1)),
               self.init(f"{scope}.bias", r.normal([c], 0.1)),
               self.init(f"{scope}.running_mean", r.normal([c], 0.1)),
               self.init(f"{scope}.running_var", r.uniform([c], 0.5, 1.5))]
        return self.op("BatchNormalization", ins, scope, epsilon=1e-5, momentum=0.9)

    def relu(self, x, scope):
        return self.op("Relu", [x], scope)

    def conv_bn_relu(self, x, cin, cout, k, scope, relu=True, **kw):
        y = self.bn(self.conv(x, cin, cout, k, f"{scope}/conv", bias=False, **kw), cout, f"{scope}/bn")
        return self.relu(y, f"{scope}/relu") if relu else y

    def gemm(self, x, k, n, scope, scale=None):
        w = self.init(f"{scope}.weight", self.rng.normal([n, k], scale if scale else (1.0 / k) ** 0.5))
        b = self.init(f"{scope}.bias", self.rng.normal([n], 0.05))
        return self.op("Gemm", [x, w, b], scope, alpha=1.0, beta=1.0, transB=1)

    def linear(self, x, k, n, scope):
        """PyTorch's nn.Linear on a 3-D input: MatMul with the transposed weight, then Add."""
        w = self.init(f"{scope}.weight_t", self.rng.normal([k, n], (1.0 / k) ** 0.5))
        b = self.init(f"{scope}.bias", self.rng.normal([n], 0.05))
        return self.op("Add", [b, self.op("MatMul", [x, w], scope)], scope)

    def classifier(self, x, c, n, scope="fc"):
        """GlobalAveragePool -> Flatten -> Gemm, as torchvision heads export."""
        g = self.op("GlobalAveragePool", [x], "avgpool")
        return self.gemm(self.op("Flatten", [g], "flatten", axis=1), c, n, scope)

    def model(self):
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, initializer=self.inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="octet-zoo", producer_version="1", ir_version=IR_VERSION)
        m = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
        onnx.checker.check_model(m, full_check=True)
        return m
