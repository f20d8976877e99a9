// Internal ops that move int8 activation codes between quantized layers (issue 15 section 2):
// CodesMaxPool, a MaxPool over the channels-last codes a QuantizeActivation would write of its
// input. quantize_level is monotonic, so the codes of a max are the max of the codes; padded
// positions are skipped as MaxPool skips them (a window wholly in the padding gives level 0, the
// level of MaxPool's lowest float). NaN: a float MaxPool keeps a NaN only when it comes first in
// its window (later ones fail `e > best`), and its code is level 0; the codes path sees level 0
// wherever the NaN is, so it returns the window's largest other code instead. Both backends and
// the reference follow the codes path, so they agree with each other.
//
// CodesDequantize, the float values of codes of a grid for the float readers of a value that
// otherwise flows as codes (a MaxPool read by convolutions and by an AvgPool, a convolution read by
// another convolution and by a Resize): level / (levels - 1) * (out_high - out_low) + out_low, the
// FakeQuantize's output formula, in the plain layout. It equals the float the grid's FakeQuantize
// produced, except that a value FakeQuantize clamped to out_high may come back 1 ulp away (its
// formula at the top level need not round to out_high); residual addends read as codes carry the
// same caveat.
//
// CodesAvgPool, an AvgPool of the float values of channels-last codes (a convolution's FakeQuantize'd
// output pooled by a DenseNet transition): each tap is the CodesDequantize value of its code, summed
// in the float AvgPool reference's window order (depth, row, column) and divided by the same count
// (ir-spec.md 6.4), written as plain [N, C, spatial...] floats. It is the float AvgPool of the
// FakeQuantize's values, with CodesDequantize's caveat; the convolution writes 1-byte codes instead
// of floats and no CodesDequantize pass runs.
#pragma once

#include "host/graph/graph.h"
#include "host/graph/ops/conv_geometry.h"
#include "host/graph/quantized_linear.h"

namespace octet {

// Payload of CodesMaxPool: the window of the MaxPool it replaces (pads resolved, output spatial
// dims), input [N, spatial..., C] i8, output [N, window.output..., C] i8.
struct CodesMaxPoolParams {
  ConvGeometry window;
};

// The payload of a CodesMaxPool node; throws kInternal for other nodes.
const CodesMaxPoolParams& codes_max_pool_params(const Node& node);

// Payload of CodesAvgPool: the window of the AvgPool it replaces (pads resolved, output spatial
// dims), its exclude-pad rule and the codes' grid; input [N, spatial..., C] i8, output
// [N, C, window.output...] f32.
struct CodesAvgPoolParams {
  ConvGeometry window;
  bool exclude_pad = false;
  ActivationQuant quant;
};

// The payload of a CodesAvgPool node; throws kInternal for other nodes.
const CodesAvgPoolParams& codes_avg_pool_params(const Node& node);
// AvgPool's divisor where it counts padded taps (exclude_pad false and some padding): the whole
// kernel's size; otherwise 0, and each window divides by its in-bounds taps (ir-spec.md 6.4).
int64_t codes_avg_pool_whole_divisor(const CodesAvgPoolParams& p);

// Payload of CodesDequantize: the grid, and whether the i8 input is channels last ([N, spatial...,
// C] with rank >= 3, dequantized to [N, C, spatial...] f32) or plain (same shape).
struct CodesDequantizeParams {
  ActivationQuant quant;
  bool channels_last = false;
};

// The payload of a CodesDequantize node; throws kInternal for other nodes.
const CodesDequantizeParams& codes_dequantize_params(const Node& node);

// Payload of CodesRequantize: channels-last i8 codes [N, spatial..., C] whose channel c lies on
// channel_grids[c] (a Concat of branches quantized apart, as DenseNet's), each element's float value
// level / (levels - 1) * (out_high - out_low) + out_low put through `quantize`'s prologue (BatchNorm
// scale and shift per channel, Relu; ActivationQuantize) and then:
//   float_output false: quantize.quant's codes, channels last like the input (what the
//     QuantizeActivation it replaces wrote of the Concat's floats);
//   float_output true: FakeQuantize with quantize.quant's ranges, written as plain [N, C, spatial...]
//     f32 (a float chain BatchNorm -> Relu -> FakeQuantize after the Concat).
// host/transforms/codes_requantize.h makes it only where that is the unfolded graph's result bit for
// bit: every input value is a grid's FakeQuantize output (never NaN), and the one level whose value
// is ambiguous (out_high clamped, or the formula's value at the top level) gives the same result
// either way.
struct CodesRequantizeParams {
  std::vector<ActivationQuant> channel_grids;
  ActivationQuantize quantize;
  bool float_output = false;
};

// The payload of a CodesRequantize node; throws kInternal for other nodes.
const CodesRequantizeParams& codes_requantize_params(const Node& node);

// A new CodesDequantize of `codes`, named `name`, its shape inferred.
Node* add_codes_dequantize(Graph& graph, Output codes, const std::string& name, const ActivationQuant& quant,
                           bool channels_last);

}  // namespace octet
