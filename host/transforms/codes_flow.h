// Part of QuantizeOptions::emit_codes (quantize_linear.h): int8 codes flow through the value-moving
// ops between quantized layers instead of floats. A QuantizeActivation of a MaxPool's output moves
// before the MaxPool, which then runs on the codes (CodesMaxPool, host/graph/codes_ops.h); one of
// a Concat's output becomes one per input and the Concat joins the codes; Split, VariadicSplit and
// ShuffleChannels move the codes as they moved the floats (along the channels-last axis); Reshape,
// Squeeze and Unsqueeze move plain codes (a classifier's flatten before its MatMul). Channel
// shuffles written as Reshape -> Transpose -> Reshape become ShuffleChannels first
// (channel_shuffle.h), and a QuantizeActivation left reading a FakeQuantize of its own grid
// quantizes the FakeQuantize's input instead (one pass, the same levels). A MaxPool also read by
// float ops moves too: those read the codes' floats back through a CodesDequantize
// (host/graph/codes_ops.h), whose floats equal the FakeQuantize's except that one FakeQuantize
// clamped to out_high may come back 1 ulp away. Every other
// rewrite is exact for any per-tensor quantization (quantize_level is monotonic and element-wise,
// and these ops only select and move elements); they are made
// only where the values already lie on that quantization's grid (host/transforms/quantize_grid.h),
// so each input's codes are the ones its producer can write itself.
#pragma once

#include <string>
#include <vector>

#include "host/graph/graph.h"
#include "host/graph/quantized_linear.h"

namespace octet {

// Moves QuantizeActivation nodes before MaxPool (output 1 unused), Concat, Split, VariadicSplit,
// ShuffleChannels and (plain codes) Reshape, Squeeze, Unsqueeze wherever all of the op's consumers are
// QuantizeActivations of its grid; repeats until nothing moves (a Concat of MaxPools, a ShuffleNet unit's
// Split -> Concat -> shuffle). Returns one line per op that stays float with QuantizeActivations after it,
// "name (Op): why".
std::vector<std::string> move_codes_before_value_ops(Graph& graph);

// AvgPool of a quantized convolution's FakeQuantize'd output (a DenseNet transition), or of codes'
// floats read back by a CodesDequantize (an AvgPool after a MaxPool on codes) -> CodesAvgPool of the
// channels-last codes (host/graph/codes_ops.h): the convolution writes 1-byte codes (or the
// CodesDequantize pass goes) and the pool averages their floats, the float AvgPool's values with
// CodesDequantize's caveat. Not made where the convolution's output is a model output (it then
// keeps writing floats).
void average_pools_on_codes(Graph& graph);

// The QuantizeActivation{quant, layout} of `value`: an existing consumer, or a new node.
Output codes_of(Graph& graph, Output value, const ActivationQuant& quant, bool channels_last);

// QuantizeActivation{grid of FQ}(FakeQuantize(x)) -> QuantizeActivation{FQ's ranges}(x): the same
// codes in one pass, the FakeQuantize gone where nothing else reads it.
void quantize_fake_quantize_inputs(Graph& graph);

}  // namespace octet
