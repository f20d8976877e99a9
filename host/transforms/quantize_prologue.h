// A QuantizeActivation after a BatchNorm and its Relu (DenseNet's norm -> relu -> FakeQuantize before
// every convolution) applies those float ops itself: x * scale[c] + shift[c], Relu, then the level,
// one pass over the tensor instead of four. Exact: the same f32 operations in the same order, each
// rounded once (ActivationQuantize::pre_scale, pre_shift, pre_relu).
#pragma once

#include "host/graph/graph.h"

namespace octet {

// After quantize_linear_ops: every QuantizeActivation whose input is (Multiply ->)? (Add ->)? Relu?
// (at least one of them, in that order), each by an f32 constant that varies along axis 1 only and
// each read by nothing else, reads the Multiply's data input instead and applies them itself.
void fold_quantize_prologues(Graph& graph);

}  // namespace octet
