// A QuantizeActivation after a BatchNorm and its Relu (DenseNet's norm -> relu -> FakeQuantize before
// every convolution) applies those float ops itself: x * scale[c] + shift[c], Relu, then the level,
// one pass over the tensor instead of four. Exact: the same f32 operations in the same order, each
// rounded once (ActivationQuantize::pre_scale, pre_shift, pre_relu).
#pragma once

#include <vector>

#include "host/graph/graph.h"

namespace octet {

// After quantize_linear_ops: every QuantizeActivation whose input is (Multiply ->)? (Add ->)? Relu?
// (at least one of them, in that order), each by an f32 constant that varies along axis 1 only and
// each read by nothing else, reads the Multiply's data input instead and applies them itself.
void fold_quantize_prologues(Graph& graph);

// For a Multiply or Add of f32 `shape` data by a constant that varies along axis 1 only (shapes
// such as [1, C, 1, 1], [C, 1, 1] or a scalar): the data input's port and the constant's value of
// each of the `shape[1]` channels. The op is commutative, so either port may hold the constant.
bool channel_constant(const Node& op, const Dims& shape, int* data_port, std::vector<float>* values);

}  // namespace octet
