// STFT/ISTFT geometry and ConvertPromoteTypes' type rule (misc_util.h).
#include "host/graph/ops/misc_util.h"

#include <algorithm>

#include "host/common/error.h"
#include "host/graph/op_attrs.h"

namespace octet {
namespace {

void check_frame(const Node& node, int64_t frame_size, int64_t frame_step, const Dims& window) {
  if (frame_size <= 0 || frame_size > kMaxDim)
    raise(ErrorCode::kModel, "{}: input 2 (frame_size) is {}; it must be positive", node.describe(),
          frame_size);
  if (frame_step <= 0 || frame_step > kMaxDim)
    raise(ErrorCode::kModel, "{}: input 3 (frame_step) is {}; it must be positive", node.describe(),
          frame_step);
  if (window.size() != 1)
    raise(ErrorCode::kModel, "{}: input 1 (window) must have rank 1, has shape {}", node.describe(),
          to_string(window));
  if (window[0] > frame_size)
    raise(ErrorCode::kModel, "{}: input 1 (window) has {} values; the spec allows at most frame_size = {}",
          node.describe(), window[0], frame_size);
}

// The signed integer type of a bit width ConvertPromoteTypes can produce.
ElementType signed_of_width(const Node& node, int bits) {
  switch (bits) {
    case 4: return ElementType::kI4;
    case 8: return ElementType::kI8;
    case 16: return ElementType::kI16;
    case 32: return ElementType::kI32;
    case 64: return ElementType::kI64;
    default:
      raise(ErrorCode::kModel, "{}: no signed integer type of {} bits to promote to", node.describe(), bits);
  }
}

[[noreturn]] void refuse_promotion(const Node& node, ElementType a, ElementType b, const char* why) {
  const ConvertPromoteTypesAttrs& at = node.attr<ConvertPromoteTypesAttrs>();
  raise(ErrorCode::kModel,
        "{}: inputs of types {} and {}: {} (promote_unsafe={}, pytorch_scalar_promotion={})", node.describe(),
        element_type_name(a), element_type_name(b), why, at.promote_unsafe, at.pytorch_scalar_promotion);
}

}  // namespace

StftDims stft_dims(const Node& node, const Dims& signal, const Dims& window, int64_t frame_size,
                   int64_t frame_step, bool transpose_frames) {
  if (signal.empty() || signal.size() > 2)
    raise(ErrorCode::kModel, "{}: input 0 (signal) must have rank 1 or 2, has shape {}", node.describe(),
          to_string(signal));
  check_frame(node, frame_size, frame_step, window);
  StftDims d;
  d.batch = signal.size() == 2 ? signal[0] : 1;
  d.signal = signal.back();
  d.bins = frame_size / 2 + 1;
  if (d.signal >= 0) {
    if (frame_size > d.signal)
      raise(ErrorCode::kModel, "{}: input 2 (frame_size) is {}, longer than the signal ({} samples)",
            node.describe(), frame_size, d.signal);
    d.frames = (d.signal - frame_size) / frame_step + 1;
  } else {
    d.frames = -1;
  }
  if (signal.size() == 2) d.output.push_back(d.batch);
  if (transpose_frames)
    d.output.insert(d.output.end(), {d.bins, d.frames, 2});
  else
    d.output.insert(d.output.end(), {d.frames, d.bins, 2});
  return d;
}

IstftDims istft_dims(const Node& node, const Dims& data, const Dims& window, int64_t frame_size,
                     int64_t frame_step, std::optional<int64_t> signal_length, bool center) {
  if (data.size() != 3 && data.size() != 4)
    raise(ErrorCode::kModel, "{}: input 0 (data) must have rank 3 or 4, has shape {}", node.describe(),
          to_string(data));
  if (data.back() >= 0 && data.back() != 2)
    raise(ErrorCode::kModel, "{}: input 0 (data) {} must end in 2 (real, imaginary)", node.describe(),
          to_string(data));
  check_frame(node, frame_size, frame_step, window);
  IstftDims d;
  d.batch = data.size() == 4 ? data[0] : 1;
  d.bins = data[data.size() - 3];
  d.frames = data[data.size() - 2];
  if (d.bins >= 0 && d.bins != frame_size / 2 + 1)
    raise(ErrorCode::kModel, "{}: input 0 (data) {} has {} frequency bins; frame_size {} makes {}",
          node.describe(), to_string(data), d.bins, frame_size, frame_size / 2 + 1);
  if (d.frames == 0)
    raise(ErrorCode::kModel, "{}: input 0 (data) {} has no frames", node.describe(), to_string(data));
  d.full = d.frames >= 0 ? (d.frames - 1) * frame_step + frame_size : -1;
  if (signal_length && *signal_length > kMaxDim)
    raise(ErrorCode::kModel, "{}: input 4 (signal_length) is {}", node.describe(), *signal_length);
  if (signal_length && *signal_length > 0)
    d.length = *signal_length;
  else if (d.full < 0)
    d.length = -1;
  else
    d.length = center ? d.full - (frame_size & ~int64_t{1}) : d.full;
  if (data.size() == 4) d.output.push_back(d.batch);
  d.output.push_back(d.length);
  return d;
}

ElementType promoted_type(const Node& node, ElementType a, ElementType b, size_t a_rank, size_t b_rank) {
  const ConvertPromoteTypesAttrs& at = node.attr<ConvertPromoteTypesAttrs>();
  if (a == b) return a;
  if (a == ElementType::kBoolean) return b;
  if (b == ElementType::kBoolean) return a;
  const bool a_real = is_float(a), b_real = is_float(b);
  const int a_bits = element_bits(a), b_bits = element_bits(b);
  if (a_real != b_real) {
    // Mixed float and integer: the float type, safe only when it has twice the integer's bits.
    const ElementType real = a_real ? a : b, integer = a_real ? b : a;
    if (!at.promote_unsafe && element_bits(real) < 2 * element_bits(integer))
      refuse_promotion(node, a, b, "the integer input cannot be safely promoted to floating-point");
    return real;
  }
  const bool a_scalar = a_rank == 0, b_scalar = b_rank == 0;
  if (at.pytorch_scalar_promotion && a_scalar != b_scalar) {
    // PyTorch: same kind of number, the dimensioned tensor's type wins.
    const ElementType target = a_scalar ? b : a, scalar = a_scalar ? a : b;
    if (at.promote_unsafe) return target;
    const int tb = element_bits(target), sb = element_bits(scalar);
    if ((is_signed(target) == is_signed(scalar) && tb >= sb) ||
        (is_signed(target) && !is_signed(scalar) && tb * 2 >= sb))
      return target;
    refuse_promotion(node, a, b,
                     "the scalar input cannot be PyTorch-like aligned using safe promotion rules");
  }
  if (is_signed(a) != is_signed(b)) {
    // Signed and unsigned integers: a signed type holding every unsigned value; u64 has none.
    const int u_bits = is_signed(a) ? b_bits : a_bits, s_bits = is_signed(a) ? a_bits : b_bits;
    if (u_bits <= 32 && (at.promote_unsafe || u_bits * 2 <= s_bits))
      return signed_of_width(node, std::max(u_bits * 2, s_bits));
    if (!at.promote_unsafe)
      refuse_promotion(node, a, b,
                       "the unsigned integer input cannot be safely promoted into a signed integer");
    return at.u64_integer_promotion_target;
  }
  if (a_bits != b_bits) return a_bits > b_bits ? a : b;
  // Same kind, sign and width but different types: f16 with bf16 (the only such pair octet has).
  if (at.promote_unsafe && (a == ElementType::kF16 || a == ElementType::kBF16) &&
      (b == ElementType::kF16 || b == ElementType::kBF16))
    return ElementType::kF32;
  refuse_promotion(node, a, b, "the promotion rules give no common type");
}

}  // namespace octet
