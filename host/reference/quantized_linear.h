// The executable spec of octet's quantized arithmetic: QuantizedConvolution / QuantizedMatMul
// evaluated with exact integer accumulators, exactly as host/graph/quantized_linear.h defines.
// Every int8/int4 kernel is tested bit-exactly against the accumulators this produces.
#pragma once

#include <cstdint>
#include <vector>

#include "host/graph/codes_ops.h"
#include "host/graph/graph.h"
#include "host/graph/quantized_linear.h"

namespace octet {

// FakeQuantize's level index of x (ir-spec.md section 2), half-to-even rounding; NaN -> level 0.
int32_t quantize_level(float x, const ActivationQuant& q);
// FakeQuantize applied to x with the ranges of `q` (the fused output quantization).
float fake_quantize(float x, const ActivationQuant& q);
// One fused activation post-op.
float apply_activation(const PostOp& op, float x);
// What QuantizeActivation writes: the i8 codes level - 128 of every element of the f32 `x`; with
// channels_last (and rank >= 3) [N, C, spatial...] becomes [N, spatial..., C].
Tensor activation_codes(const Tensor& x, const ActivationQuant& quant, bool channels_last);
// The inverse on a grid: each code's level mapped to FakeQuantize's output value
// level / (levels - 1) * (out_high - out_low) + out_low (channels-last codes back to [N, C, ...]).
// Equal to the float a grid's FakeQuantize produced, except that a value clamped to out_high may
// come back 1 ulp away (the formula at the top level need not round to out_high).
Tensor activation_values(const Tensor& codes, const ActivationQuant& quant, bool channels_last);

// The float value of `level` on grid `g`: FakeQuantize's in-range output formula
// level / (levels - 1) * (out_high - out_low) + out_low (activation_values' element).
float grid_value(int32_t level, const ActivationQuant& g);
// A QuantizeActivation's folded float ops on a value of channel c, as the graph's nodes computed
// them: Multiply, Add, Relu, one f32 rounding each (ActivationQuantize::pre_scale and so on).
float apply_prologue(const ActivationQuantize& p, int64_t c, float v);
// CodesRequantize (host/graph/codes_ops.h) of the float value v of channel c: quantize.quant's level
// after the prologue (float_output false), or FakeQuantize's float of it (true).
float codes_requantize(const CodesRequantizeParams& p, int64_t c, float v);

// Evaluates a quantized linear node on host tensors (inputs[0] = f32 activation, inputs[1] =
// residual addend if any). With integer activations and `accumulators` given, it also returns the
// exact integer accumulators, laid out [output element][weight group].
std::vector<Tensor> evaluate_quantized_linear(const Node& node, const std::vector<const Tensor*>& inputs,
                                              std::vector<int64_t>* accumulators = nullptr);

}  // namespace octet
