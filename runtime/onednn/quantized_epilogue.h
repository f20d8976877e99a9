// Private to runtime/onednn: the arithmetic after the accumulators of a QuantizedConvolution /
// QuantizedMatMul, written exactly as host/reference/quantized_linear.cpp's finish() so fast
// kernels reproduce the integer reference bit for bit, and the weight preparation they share.
#pragma once

#include <cstdint>
#include <vector>

#include "host/graph/quantized_linear.h"
#include "host/reference/quantized_linear.h"

namespace octet {
namespace cpu {

// Weight codes minus their zero points, [output channel][reduction] (4-bit codes unpacked).
std::vector<int32_t> centred_weight_codes(const QuantizedWeights& w);

// True when every value fits int8, so oneDNN's s8 weights can hold the codes.
bool fits_int8(const std::vector<int32_t>& codes);

// Dequantisation, bias, post-ops and output FakeQuantize of one output element, in the
// reference's order of float operations.
class Epilogue {
 public:
  explicit Epilogue(const QuantizedLinear& q)
      : q_(q), groups_(q.weights.group_size ? q.weights.reduction / q.weights.group_size : 1) {}

  int64_t groups() const { return groups_; }

  // From exact integer accumulators acc[g * stride] of output channel o.
  float from_integers(const int32_t* acc, int64_t stride, int64_t o, const float* residual) const {
    float y = 0;
    const float* s = q_.weights.scale.data() + o * groups_;
    for (int64_t g = 0; g < groups_; ++g) y += static_cast<float>(acc[g * stride]) * s[g];
    y *= q_.input->scale;
    return finish(y, o, residual);
  }
  // From a float value that already holds the dequantised sum (float activations).
  float from_float(float y, int64_t o, const float* residual) const { return finish(y, o, residual); }

 private:
  float finish(float y, int64_t o, const float* residual) const {
    if (!q_.bias.empty()) y += q_.bias[static_cast<size_t>(o)];
    for (const PostOp& op : q_.post_ops) {
      if (op.kind == PostOp::Kind::kResidualAdd) {
        y += *residual;
      } else if (op.activation == OpKind::kRelu) {
        y = y > 0 ? y : 0.0f;  // the reference's Relu, without the call
      } else {
        y = apply_activation(op, y);
      }
    }
    if (q_.output) y = fake_quantize(y, *q_.output);
    return y;
  }

  const QuantizedLinear& q_;
  int64_t groups_;
};

}  // namespace cpu
}  // namespace octet
