// DenseNet's dense blocks on codes (QuantizeOptions::requantize_codes, CPU backend). Each dense
// layer concatenates its FakeQuantize'd output to the block's running Concat, and every later layer
// reads that Concat through its own BatchNorm -> Relu -> FakeQuantize: each channel of the Concat
// lies on the grid of the branch it came from, but the branches' grids differ, so the codes of
// host/transforms/codes_flow.h (one grid per tensor) cannot flow through it, and the Concat and
// every reader's quantization pass move 4-byte floats.
//
// Here the Concat joins the branches' channels-last codes instead (each branch's producer writes
// its own grid's codes), and each reader becomes a CodesRequantize (host/graph/codes_ops.h): per
// channel, a code's float value through the reader's BatchNorm and Relu to the reader's level (or,
// for a float reader such as the classifier's norm5 -> relu5 -> FakeQuantize, that FakeQuantize's
// float). Bit for bit the unfolded graph's result, checked per channel when it is made:
//   - every concatenated value is a FakeQuantize output of its grid and never NaN: a quantized
//     convolution with integer activations whose floats stay finite before its output FakeQuantize
//     (bounded accumulators, finite constants, only Relu / Clamp / scale / FakeQuantize post-ops),
//     or a FakeQuantize of an average pool of codes;
//   - a code's value is FakeQuantize's in-range formula at its level; the values a FakeQuantize
//     clamps (out_low, out_high) share the levels 0 and levels - 1, so the reader's result must be
//     the same for out_high as for the formula's top value (and for out_low and level 0), which
//     is checked for every channel; a channel where they differ keeps the float path.
// Concats whose readers are not all of these stay float, as do the Concats they read or that read
// them, and a Concat joining a value that something else still reads as floats (its producer would
// then hand them back through a CodesDequantize, which may differ by an ulp at a clamped top level).
#pragma once

#include "host/graph/graph.h"

namespace octet {

// After fold_quantize_prologues (quantize_linear.h). Returns the number of QuantizeActivation and
// FakeQuantize readers rewritten.
int requantize_concats_on_codes(Graph& graph);

}  // namespace octet
