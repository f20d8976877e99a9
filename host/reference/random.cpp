// RandomUniform-8 per the OpenVINO op specification and OpenVINO's reference generators: TensorFlow's
// Philox4x32-10 or PyTorch's MT19937, their 32-bit words turned into values of the output type. The
// result is what OpenVINO returns on a compiled model's first inference (OpenVINO advances the Philox
// counter between inferences; octet's graphs hold no state, so every inference gives these values).
#include <cmath>
#include <cstring>
#include <random>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// Philox4x32-10 (Salmon et al., "Parallel Random Numbers: As Easy as 1, 2, 3"): one block of four
// words for key = global_seed and the 128-bit counter (n, op_seed), low words first, as OpenVINO's
// TENSORFLOW alignment lays them out.
class Philox {
 public:
  Philox(uint64_t key, uint64_t counter) : key_(key), counter_(counter) {}

  // The next block; n counts blocks and carries into the op_seed half of the counter.
  void next(uint32_t out[4]) {
    uint32_t x0 = static_cast<uint32_t>(n_), x1 = static_cast<uint32_t>(n_ >> 32);
    uint32_t x2 = static_cast<uint32_t>(counter_), x3 = static_cast<uint32_t>(counter_ >> 32);
    uint32_t k0 = static_cast<uint32_t>(key_), k1 = static_cast<uint32_t>(key_ >> 32);
    for (int round = 0; round < 10; ++round) {
      const uint64_t p0 = uint64_t{0xD2511F53u} * x0;
      const uint64_t p1 = uint64_t{0xCD9E8D57u} * x2;
      const uint32_t y0 = static_cast<uint32_t>(p1 >> 32) ^ x1 ^ k0;
      const uint32_t y2 = static_cast<uint32_t>(p0 >> 32) ^ x3 ^ k1;
      x1 = static_cast<uint32_t>(p1);
      x3 = static_cast<uint32_t>(p0);
      x0 = y0;
      x2 = y2;
      k0 += 0x9E3779B9u;  // the key schedule (its last increment is unused)
      k1 += 0xBB67AE85u;
    }
    out[0] = x0;
    out[1] = x1;
    out[2] = x2;
    out[3] = x3;
    if (++n_ == 0) ++counter_;
  }

 private:
  uint64_t key_, counter_, n_ = 0;
};

float bits_to_float(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// ov::bfloat16's conversion from float as OpenVINO builds it (ROUND_MODE_TO_NEAREST_EVEN): it adds half
// a unit only when the kept last bit is 1, so a value whose kept last bit is 0 is truncated even above the
// half-way point. OpenVINO's RandomUniform computes bf16 through it; octet reproduces it here to match.
float ov_bf16_round(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  bits = (bits + ((bits & 0x10000u) >> 1)) & 0xFFFF0000u;
  float out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

float round_to(ElementType type, float v) {
  if (type == ElementType::kF16) return half_to_float(float_to_half(v));
  if (type == ElementType::kBF16) return ov_bf16_round(v);
  return v;
}

// A word as a value in [0, 1) of the output type, TensorFlow style: the low mantissa bits of 1.x, minus 1.
float tf_unit(ElementType type, uint32_t x) {
  switch (type) {
    case ElementType::kF16: return half_to_float(static_cast<uint16_t>(0x3C00u | (x & 0x3FFu))) - 1.0f;
    case ElementType::kBF16: return bf16_to_float(static_cast<uint16_t>(0x3F80u | (x & 0x7Fu))) - 1.0f;
    default: return bits_to_float(0x3F800000u | (x & 0x7FFFFFu)) - 1.0f;
  }
}

// PyTorch style: the low `digits` bits (the type's significand width) times 2^-digits.
float pt_unit(ElementType type, uint32_t x) {
  const int digits = type == ElementType::kF16 ? 11 : type == ElementType::kBF16 ? 8 : 24;
  return static_cast<float>(x & ((1u << digits) - 1u)) * std::ldexp(1.0f, -digits);
}

// unit * (max - min) + min as OpenVINO computes it for each alignment and type:
// - TensorFlow f32 (OpenVINO's CPU plugin): one fused multiply-add, rounded once. (OpenVINO's core
//   reference rounds the product first; the two differ by at most one unit in the last place.)
// - TensorFlow f16/bf16: every step in the type (ov::float16 / ov::bfloat16 arithmetic rounds each).
// - PyTorch: the product and the sum rounded to f32, then once to the type.
float scale(RandomAlignment alignment, ElementType type, float unit, float lo, float range) {
  if (alignment == RandomAlignment::kTensorflow) {
    if (type == ElementType::kF32) return std::fma(unit, range, lo);
    const float product = round_to(type, unit * range);
    return round_to(type, product + lo);
  }
  volatile float product = unit * range;  // no contraction into an FMA: OpenVINO rounds it
  return round_to(type, product + lo);
}

}  // namespace

Outputs eval_RandomUniform(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const auto& a = node.attr<RandomUniformAttrs>();
  const ElementType type = a.output_type;
  const std::vector<int64_t> dims = int_input(node, in, 0);
  for (int64_t d : dims)
    if (d < 0)
      raise(ErrorCode::kModel, "reference {}: input 0 (shape) has negative value {}", node.describe(), d);
  if (in[1]->type() != type || in[2]->type() != type || in[1]->element_count() != 1 ||
      in[2]->element_count() != 1)
    raise(ErrorCode::kModel, "reference {}: minval and maxval must be single {} values", node.describe(),
          element_type_name(type));
  Tensor out(type, Dims(dims.begin(), dims.end()));
  const auto count = static_cast<size_t>(out.element_count());

  // The 32-bit word stream of the chosen generator, in OpenVINO's order.
  Philox philox(a.global_seed, a.op_seed);
  std::mt19937 twister(static_cast<uint32_t>(a.global_seed));  // MT19937 as PyTorch seeds it
  uint32_t block[4];
  size_t used = 4;
  auto word = [&]() -> uint32_t {
    if (a.alignment == RandomAlignment::kPytorch) return static_cast<uint32_t>(twister());
    if (used == 4) {
      philox.next(block);
      used = 0;
    }
    return block[used++];
  };

  if (is_float(type)) {
    const float lo = in[1]->to_float_vector()[0], hi = in[2]->to_float_vector()[0];
    if (!(lo < hi))
      raise(ErrorCode::kModel, "reference {}: minval {} must be less than maxval {}", node.describe(), lo,
            hi);
    const float range = round_to(type, hi - lo);
    std::vector<float> values(count);
    for (size_t i = 0; i < count; ++i) {
      const uint32_t x = word();
      const float unit = a.alignment == RandomAlignment::kTensorflow ? tf_unit(type, x) : pt_unit(type, x);
      values[i] = scale(a.alignment, type, unit, lo, range);
    }
    return {make_float_tensor(type, out.shape(), values)};  // already representable: no further rounding
  }

  const int64_t lo = in[1]->get_as_int64(0), hi = in[2]->get_as_int64(0);
  if (!(lo < hi))
    raise(ErrorCode::kModel, "reference {}: minval {} must be less than maxval {}", node.describe(), lo, hi);
  // x % (max - min) + min in unsigned arithmetic of the type's width, as OpenVINO's C++ computes it.
  if (type == ElementType::kI32) {
    const uint32_t range = static_cast<uint32_t>(hi) - static_cast<uint32_t>(lo);
    auto* d = out.data_as<int32_t>();
    for (size_t i = 0; i < count; ++i)
      d[i] = static_cast<int32_t>(word() % range + static_cast<uint32_t>(lo));
    return {out};
  }
  const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  // TensorFlow: two words per value, the second the high half. PyTorch: one word while both bounds fit
  // in uint32, else two with the first the high half.
  const bool one_word =
      a.alignment == RandomAlignment::kPytorch && lo <= int64_t{0xFFFFFFFF} && hi <= int64_t{0xFFFFFFFF};
  auto* d = out.data_as<int64_t>();
  for (size_t i = 0; i < count; ++i) {
    uint64_t x;
    if (one_word) {
      x = word();
    } else {
      const uint64_t first = word(), second = word();
      x = a.alignment == RandomAlignment::kTensorflow ? (second << 32) | first : (first << 32) | second;
    }
    d[i] = static_cast<int64_t>(x % range + static_cast<uint64_t>(lo));
  }
  return {out};
}

}  // namespace ref
}  // namespace octet
