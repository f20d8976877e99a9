// Spec-exact reference evaluation of one node on host tensors (the ground truth for every kernel).
//
// Numerics, chosen to follow OpenVINO's reference implementation (ir-spec.md sections 2-6):
// - f32 ops compute in f32; f16/bf16 inputs are widened to f32, computed there, rounded back once.
// - Convolution and MatMul accumulate in f32 in the natural loop order (input channel, then kernel
//   position; k ascending), like OV's reference loops.
// - Reductions, Softmax and MVN sum in double (OV's reference uses Kahan summation, which double
//   approximates far better than a plain f32 sum); transcendental activations are evaluated in
//   double and rounded once to f32.
// - FakeQuantize evaluates the spec formula literally in f32 with std::nearbyint (half to even).
// - Integer arithmetic (shape subgraphs) computes in int64 and wraps to the output type.
// Output shapes are computed from the inputs and attributes, independently of shape inference;
// when the node's outputs are already typed, a disagreement raises kInternal.
#pragma once

#include <vector>

#include "host/graph/graph.h"

namespace octet {

// Evaluates `node` on `inputs` (one host tensor per node input, of the input's type and shape) and
// returns freshly allocated outputs. Throws Error(kUnsupported) naming the op and types for
// combinations the reference does not implement.
std::vector<Tensor> evaluate_reference(const Node& node, const std::vector<const Tensor*>& inputs);

}  // namespace octet
