// Private to runtime/onednn: output codes of the quantized epilogue's simple chains in AVX-512
// intrinsics, over whole rows of positions with masked partial vectors (any channel count): the
// value (acc - zero * corr) * scale * in_scale + bias, at most one activation (Relu, Clamp, SiLU =
// Swish with beta 1, Sigmoid), then the output FakeQuantize's level. Each element sees the integer
// reference's float operations (host/reference/quantized_linear.cpp) in order, so the codes are
// its codes; GCC's generic vectors in the epilogue's multi-ISA clones fell back to lane-by-lane
// code for several of these operations (masks, selects, conversions).
//
// SiLU and Sigmoid, codes only: the level a QuantizeActivation recovers from the output is a
// non-decreasing function of the activation's f32 result (subtraction, division and
// multiplication by positive constants, rounding, clamping). The activation is computed in float
// with a proven relative error below 2^-20.5 against the reference's (its double result rounded to
// f32); when the levels of both ends of [s (1 - 2^-18), s (1 + 2^-18)] agree, the reference's
// level is that one. Where they differ (an activation within a few ulp of a level boundary) or the
// input lies outside the bound's domain (|x| >= 80, NaN, |x| <= 2^-100), that lane is computed as
// the reference does it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "host/graph/quantized_linear.h"

namespace octet {
namespace cpu {

// A FakeQuantize's constants as the float expressions of host/reference's fake_quantize() use them
// (shared with quantized_epilogue.h's chains).
struct FakeQuantizeConstants {
  float in_low = 0, lo = 0, hi = 0, steps = 1, in_range = 1, out_low = 0, out_high = 0, out_range = 0;
  explicit FakeQuantizeConstants(const ActivationQuant& q = {})
      : in_low(q.in_low),
        lo(std::min(q.in_low, q.in_high)),
        hi(std::max(q.in_low, q.in_high)),
        steps(static_cast<float>(q.levels - 1)),
        in_range(q.in_high - q.in_low),
        out_low(q.out_low),
        out_high(q.out_high),
        out_range(q.out_high - q.out_low) {}
};

struct SimpleChain {
  enum class Act { kNone, kRelu, kClamp, kSilu, kSigmoid } act = Act::kNone;
  const PostOp* activation = nullptr;     // the activation post-op (not kNone)
  const float* scale = nullptr;           // per output channel
  const float* bias = nullptr;            // per output channel, or null
  float in_scale = 1;                     // the input's quantization scale
  std::optional<ActivationQuant> output;  // the output FakeQuantize
};

// The simple chain of `q` when there is one and this CPU has AVX-512F: one weight group, a
// quantized input, no post-ops but at most one Relu, Clamp, Swish (beta 1) or Sigmoid.
std::optional<SimpleChain> simple_chain(const QuantizedLinear& q);

// `rows` positions of `count` channels, acc and codes one position after the other, corr (one
// correction row for all positions) or null: the output FakeQuantize's level - 128 (needs
// chain.output with in_low < in_high and at most 256 levels).
void simple_chain_codes(const SimpleChain& chain, const int32_t* acc, const int32_t* corr, int32_t zero,
                        int64_t count, int64_t rows, int8_t* codes);

}  // namespace cpu
}  // namespace octet
