// Private to runtime/onednn: output codes of an int8 convolution or matmul whose chain is one SiLU
// (Swish with beta 1) or Sigmoid before the output FakeQuantize, straight from the accumulators,
// equal to the integer reference's without its double exp on almost every element.
//
// The level a QuantizeActivation recovers from the output is a non-decreasing function of the
// activation's f32 result (subtraction, division and multiplication by positive constants,
// rounding, clamping). The activation is computed in float with a proven relative error below
// 2^-20.5 against the reference's (its double result rounded to f32); when the levels of both ends
// of [s (1 - 2^-18), s (1 + 2^-18)] agree, the reference's level is that one. Where they differ (an
// activation within a few ulp of a level boundary) or the input lies outside the bound's domain
// (|x| >= 80, NaN, 0 < |x| <= 2^-100, x = 0), that lane is computed as the reference does it.
#pragma once

#include <cstdint>

#include "host/graph/quantized_linear.h"

namespace octet {
namespace cpu {

struct SiluCodes {
  const PostOp* activation = nullptr;  // kSwish (beta 1) or kSigmoid
  const float* scale = nullptr;        // per output channel
  const float* bias = nullptr;         // per output channel, or null
  float in_scale = 1;                  // the input's quantization scale
  ActivationQuant output;              // the output FakeQuantize (in_low < in_high, <= 256 levels)
};

// Whether silu_codes_rows can run here (AVX-512F).
bool silu_codes_supported();

// True for the activations silu_codes_rows computes: Sigmoid, Swish with beta 1.
bool is_silu_codes_activation(const PostOp& op);

// `rows` positions of `count` channels, acc and codes one position after the other: the value
// (acc - zero * corr) * scale * in_scale + bias of the reference (corr: one correction row for all
// positions, or null), the activation, then the level of the output FakeQuantize, stored as
// level - 128.
void silu_codes_rows(const SiluCodes& p, const int32_t* acc, const int32_t* corr, int32_t zero, int64_t count,
                     int64_t rows, int8_t* codes);

}  // namespace cpu
}  // namespace octet
