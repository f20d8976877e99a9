// Fast-precision rewrite of weight-decompression chains from f16/bf16 arithmetic to f32.
//
// NNCF writes compressed weights as Constant(i8/u8/i4/u4) -> Convert(f16) [-> Subtract(f16 zero
// point)] -> Multiply(f16 scale) [-> Reshape/Squeeze/Unsqueeze/Transpose] -> Convert(f32). Read
// literally (ir-spec: every op computes in its element type) the subtraction and the product round
// to f16; OpenVINO's CPU and GPU plugins evaluate the same chain in f32. In fast precision octet
// does what OpenVINO does: the chain's intermediate values become f32, so the decompressed weight is
// (code - zero_point) * scale rounded once to f32 (exact for 8-bit codes and f16 scales). Reference
// precision keeps the literal f16 chain.
#pragma once

#include "host/graph/graph.h"

namespace octet {

// Rewrites every decompression chain of the graph (shapes and types already inferred) to compute in
// f32: the code Convert then converts to f32, zero points and scales become f32 Constants holding
// the same values, the ops in between are re-inferred, and the final Convert(f32) is left in place
// (now f32 -> f32). Only chains whose every intermediate value feeds the next op alone are
// rewritten. Returns the number of chains rewritten.
int decompress_weights_in_f32(Graph& graph);

}  // namespace octet
