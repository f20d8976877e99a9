// Private to runtime/onednn: the arithmetic after the accumulators of a QuantizedConvolution /
// QuantizedMatMul, written exactly as host/reference/quantized_linear.cpp's finish() so fast
// kernels reproduce the integer reference bit for bit, and the weight preparation they share.
//
// The epilogue works on rows of consecutive output channels (one output position), one float
// operation at a time over the row, in the reference's per-element order: the loops vectorise,
// and each element still sees exactly the reference's sequence of float roundings.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "host/common/error.h"
#include "host/graph/quantized_linear.h"
#include "host/reference/quantized_linear.h"
#include "runtime/onednn/cpu_backend.h"
#include "runtime/onednn/exact_activations.h"
#include "runtime/onednn/fast_gelu.h"
#include "runtime/onednn/simple_epilogue.h"

namespace octet {
namespace cpu {

// Weight codes minus their zero points, [output channel][reduction] (4-bit codes unpacked).
std::vector<int32_t> centred_weight_codes(const QuantizedWeights& w);

// True when every value fits int8, so oneDNN's s8 weights can hold the codes.
bool fits_int8(const std::vector<int32_t>& codes);

class Epilogue {
 public:
  // `fast` (Precision::kFast) lets erf Gelu use fast_gelu_erf_row (or, after split_at_gelu, the
  // caller's tensor-wide oneDNN Gelu) instead of the reference's scalar double erf; every other step
  // stays bit-exact in both precisions.
  explicit Epilogue(const QuantizedLinear& q, bool fast = false)
      : q_(q), groups_(q.weights.group_size ? q.weights.reduction / q.weights.group_size : 1), fast_(fast) {
    // The common shapes (one scale per channel, at most one Relu or Clamp, nothing else but bias
    // and an output FakeQuantize) run as one loop over the row instead of one loop per step; in
    // fast precision an erf Gelu (BERT's FFN) runs as that loop, the vector Gelu, and the
    // FakeQuantize loop.
    const bool one_activation = q.post_ops.size() == 1 && q.post_ops[0].kind == PostOp::Kind::kActivation;
    const PostOpCode act = one_activation ? q.post_ops[0].activation : PostOpCode::kRelu;
    const bool fast_gelu = fast && one_activation && act == PostOpCode::kGeluErf;
    const bool simple =
        groups_ == 1 && q.input &&
        (q.post_ops.empty() ||
         (one_activation && (act == PostOpCode::kRelu || act == PostOpCode::kClamp || fast_gelu)));
    if (simple) {
      fused_ = q.post_ops.empty()          ? Fused::kNone
               : act == PostOpCode::kRelu  ? Fused::kRelu
               : act == PostOpCode::kClamp ? Fused::kClamp
                                           : Fused::kGelu;
    }
    // Longer chains of the cheap steps (ResNet's scale, FakeQuantize, residual Add, Relu) run as
    // one pass over 16-channel vectors (chain_row).
    chain_ = groups_ == 1 && q.input.has_value();
    for (const PostOp& op : q.post_ops) {
      ChainStep step;
      switch (op.kind) {
        case PostOp::Kind::kResidualAdd: step.kind = ChainStep::kResidual; break;
        case PostOp::Kind::kScale:
          step.kind = op.values.size() == 1 ? ChainStep::kScaleOne : ChainStep::kScaleChannel;
          step.a = op.values[0];
          step.values = op.values.data();
          break;
        case PostOp::Kind::kFakeQuantize:
          step.kind = ChainStep::kFakeQuantize;
          step.fq = FqConstants(op.quant);
          break;
        case PostOp::Kind::kActivation:
          chain_ = chain_ && (op.activation == PostOpCode::kRelu || op.activation == PostOpCode::kClamp);
          step.kind = op.activation == PostOpCode::kClamp ? ChainStep::kClamp : ChainStep::kRelu;
          step.a = op.alpha;
          step.b = op.beta;
          break;
      }
      steps_.push_back(step);
      if (op.kind == PostOp::Kind::kResidualAdd && op.residual_codes) {
        step.kind = ChainStep::kResidualCodes;
        step.fq = FqConstants(*op.residual_codes);
      }
      codes_steps_.push_back(step);
    }
    pattern_ = chain_pattern(steps_);
    // Codes after bias and at most one Relu, Clamp, SiLU or Sigmoid: simple_epilogue.h's AVX-512
    // rows (see codes_rows).
    simple_ = simple_chain(q);
    codes_pattern_ = chain_pattern(codes_steps_);
    if (q.output) out_fq_ = FqConstants(*q.output);
    fq_fma_ = q.output && divisions_free_fake_quantize(*q.output);
  }

  int64_t groups() const { return groups_; }

  // Index of the erf-form Gelu post-op, when there is exactly one and the precision is fast (the
  // caller may then run it over the whole tensor, see split_at_gelu); -1 otherwise.
  int64_t erf_gelu_index() const {
    int64_t found = -1, count = 0;
    for (size_t k = 0; k < q_.post_ops.size(); ++k) {
      const PostOp& op = q_.post_ops[k];
      if (op.kind == PostOp::Kind::kActivation && op.activation == PostOpCode::kGeluErf)
        found = static_cast<int64_t>(k), ++count;
    }
    return fast_ && count == 1 ? found : -1;
  }

  // From now on the row functions stop before the erf Gelu (erf_gelu_index); the caller applies the
  // Gelu to the whole output, then finish_after_split to each row.
  void split_at_gelu() { split_at(erf_gelu_index()); }

  // Index of the post-op exact_activation_row computes (Swish, Sigmoid: a vector exp, the
  // reference's bits) when it is the only activation; -1 otherwise.
  int64_t exact_activation_index() const {
    int64_t found = -1, count = 0;
    for (size_t k = 0; k < q_.post_ops.size(); ++k) {
      const PostOp& op = q_.post_ops[k];
      if (op.kind != PostOp::Kind::kActivation) continue;
      ++count;
      if (has_exact_activation_row(op)) found = static_cast<int64_t>(k);
    }
    return count == 1 ? found : -1;
  }

  // The row functions stop before post-op `index` (when >= 0): the caller applies it to many rows
  // at once, then finish_after_split to each row.
  void split_at(int64_t index) {
    split_ = index;
    if (split_ >= 0) fused_ = Fused::kNo, chain_ = false;
  }

  // The post-ops after the Gelu and the output FakeQuantize, on a row that holds the Gelu's output.
  void finish_after_split(int64_t o0, int64_t count, const float* residual, int64_t residual_stride,
                          float* row) const {
    apply_post_ops(split_ + 1, static_cast<int64_t>(q_.post_ops.size()), o0, count, residual, residual_stride,
                   row);
    if (q_.output) fake_quantize_row(row, count, *q_.output);
  }

  // True when codes_row can write the channels-last codes a QuantizeActivation with `codes` would
  // make of this epilogue's output: the output FakeQuantize's levels on its own grid.
  bool can_write_codes(const ActivationQuant& codes) const {
    if (!(chain_ || simple_) || !q_.output) return false;
    const ActivationQuant& o = *q_.output;
    return o.levels <= 256 && o.in_low < o.in_high && o.out_low < o.out_high && codes.levels == o.levels &&
           codes.in_low == o.out_low && codes.in_high == o.out_high;
  }

  // True when codes_rows takes any channel count (simple_chain_codes masks partial vectors).
  bool codes_of_any_width() const { return simple_.has_value(); }

  // True when codes_rows of `count` channels take simple_chain_codes rather than chain_row: SiLU
  // and Sigmoid (no double exp), rows that are not whole vectors (masked, not a float tile and a
  // quantization pass). Whole vectors of the others stay on chain_row (measured faster on 32 and
  // 48 channels).
  bool simple_codes(int64_t count) const {
    return simple_ && (simple_->act == SimpleChain::Act::kSilu ||
                       simple_->act == SimpleChain::Act::kSigmoid || count % kLanes != 0);
  }

  // One position's codes (count a multiple of 16, or any with codes_of_any_width; see
  // can_write_codes), accumulators corrected by
  // -zero * correction when `correction` is given; the residual addend, if any, at stride 1.
  void codes_row(const int32_t* acc, const int32_t* correction, int32_t zero, int64_t count,
                 const float* residual, int8_t* codes, const int8_t* residual_codes = nullptr) const {
    codes_rows(acc, correction, zero, count, 1, residual, codes, residual_codes);
  }

  // codes_row for `rows` consecutive positions that share one correction row: acc, residual,
  // codes and residual_codes hold the positions one after the other, `count` apart. One call for
  // many positions: on layers of 16-64 channels the per-call set-up (step constants copied into
  // registers, the pattern dispatch) cost more than the arithmetic when paid per position.
  void codes_rows(const int32_t* acc, const int32_t* correction, int32_t zero, int64_t count, int64_t rows,
                  const float* residual, int8_t* codes, const int8_t* residual_codes = nullptr) const {
    if (simple_codes(count)) {
      simple_chain_codes(*simple_, acc, correction, zero, count, rows, codes);
      return;
    }
    chain_row(acc, correction, zero, 0, count, residual, nullptr, codes, residual_codes, rows);
  }

  // Output channels [o0, o0 + count) of one output position from exact integer accumulators,
  // acc[g * group_stride + i] for channel o0 + i, into row[0, count). The residual addend (if
  // any) of channel o0 + i is residual[i * residual_stride].
  void integer_row(const int32_t* acc, int64_t group_stride, int64_t o0, int64_t count, const float* residual,
                   int64_t residual_stride, float* row) const {
    if (fused_ != Fused::kNo) {
      fused_row<false>(acc, nullptr, 0, o0, count, row);
      return;
    }
    if (chain_ && (!residual || residual_stride == 1)) {
      const int64_t vectors = count / kLanes * kLanes;
      chain_row(acc, nullptr, 0, o0, vectors, residual, row);
      if (vectors == count) return;
      acc += vectors, o0 += vectors, row += vectors, residual = residual ? residual + vectors : nullptr;
      count -= vectors;
    }
    general_row(acc, group_stride, o0, count, residual, residual_stride, row);
  }

  // integer_row for all channels of one position (one group), the accumulators first corrected to
  // acc - zero * correction[i] (the activation zero point's share), in the same pass when the row is
  // fused, else in place.
  void corrected_row(int32_t* acc, const int32_t* correction, int32_t zero, int64_t count,
                     const float* residual, int64_t residual_stride, float* row) const {
    if (fused_ != Fused::kNo) {
      fused_row<true>(acc, correction, zero, 0, count, row);
      return;
    }
    int64_t done = 0;
    if (chain_ && (!residual || residual_stride == 1)) {
      done = count / kLanes * kLanes;
      chain_row(acc, correction, zero, 0, done, residual, row);
      if (done == count) return;
    }
    correct(acc + done, correction + done, zero, count - done);
    general_row(acc + done, 0, done, count - done, residual ? residual + done * residual_stride : nullptr,
                residual_stride, row + done);
  }

  // True when finish_rows can finish whole rows of positions in one call (the fused forms: bias, at
  // most one Relu or Clamp, output FakeQuantize; no residual).
  bool can_finish_rows() const { return fused_ != Fused::kNo && fused_ != Fused::kGelu; }

  // corrected_row (with `correction`, the same for every position) or integer_row (without) for
  // `rows` consecutive positions of `count` channels: acc and row hold the positions one after the
  // other. See can_finish_rows.
  void finish_rows(const int32_t* acc, const int32_t* correction, int32_t zero, int64_t count, int64_t rows,
                   float* row) const {
    if (correction) {
      fused_row<true>(acc, correction, zero, 0, count, row, rows);
    } else {
      fused_row<false>(acc, nullptr, 0, 0, count, row, rows);
    }
  }

  // The same from float values that already hold the dequantised sums (float activations); `row`
  // may be `values` itself.
  void float_row(const float* values, int64_t o0, int64_t count, const float* residual,
                 int64_t residual_stride, float* row) const {
    if (row != values)
      for (int64_t i = 0; i < count; ++i) row[i] = values[i];
    finish_row(o0, count, residual, residual_stride, row);
  }

 private:
  OCTET_AVX2_CLONES static void correct(int32_t* __restrict acc, const int32_t* __restrict correction,
                                        int32_t zero, int64_t count) {
    for (int64_t i = 0; i < count; ++i) acc[i] -= zero * correction[i];
  }

  static constexpr int64_t kLanes = 16;
  using Floats = float __attribute__((vector_size(kLanes * sizeof(float))));
  using Ints = int32_t __attribute__((vector_size(kLanes * sizeof(int32_t))));

  // A FakeQuantize's constants as the float expressions of host/reference's fake_quantize() use them.
  using FqConstants = FakeQuantizeConstants;

  // One chain step with everything it needs precomputed (chain_block reads nothing else per step).
  struct ChainStep {
    enum Kind {
      kResidual,
      kResidualCodes,
      kScaleOne,
      kScaleChannel,
      kFakeQuantize,
      kRelu,
      kClamp
    } kind = kRelu;
    float a = 0, b = 0;             // kScaleOne: a; kClamp: [a, b]
    const float* values = nullptr;  // kScaleChannel: per output channel
    FqConstants fq;                 // kFakeQuantize; kResidualCodes: the addend's grid
  };

  // host/reference's fake_quantize() on a vector in place, as fake_quantize_row does it. By
  // reference and always inlined: a 64-byte vector passed by value has a different ABI in the
  // AVX-512 clone of the caller than in this function built for the baseline.
  __attribute__((always_inline)) static void fake_quantize_vector(Floats& v, const FqConstants& f) {
    constexpr float kRound = 12582912.0f;
    const Floats level = ((v - f.in_low) / f.in_range * f.steps + kRound) - kRound;
    Floats out = level / f.steps * f.out_range + f.out_low;
    out = v > f.hi ? Floats{} + f.out_high : out;
    v = v <= f.lo ? Floats{} + f.out_low : out;
  }

  // FakeQuantize's level of each lane of v (ranges in_low < in_high), rounded half to even, NaN
  // -> level 0: the level a QuantizeActivation on the grid recovers from FakeQuantize's output.
  __attribute__((always_inline)) static void fake_quantize_level(const Floats& v, const FqConstants& f,
                                                                 Ints& out) {
    constexpr float kRound = 12582912.0f;
    Floats level = (v - f.in_low) / f.in_range * f.steps;
    level = v > f.hi ? Floats{} + f.steps : level;
    level = v > f.lo ? level : Floats{};
    level = (level + kRound) - kRound;
    out = __builtin_convertvector(level, Ints);
  }

  // The float value of kVectors vectors of accumulators from channel i on, before the chain's
  // steps: (acc - zero * corr) * scale * in_scale + bias, in that order (as the reference).
  template <int kVectors>
  __attribute__((always_inline)) static void block_start(const int32_t* acc, const int32_t* corr,
                                                         int32_t zero, const float* scale, const float* bias,
                                                         float in_scale, int64_t i, Floats* y) {
#pragma GCC unroll 4
    for (int k = 0; k < kVectors; ++k) {
      const int64_t e = i + k * kLanes;
      Ints a;
      std::memcpy(&a, acc + e, sizeof a);
      if (corr) {
        Ints c;
        std::memcpy(&c, corr + e, sizeof c);
        a -= zero == 1 ? c : zero * c;  // zero 1: corrections scaled in advance (no multiply)
      }
      Floats w;
      std::memcpy(&w, scale + e, sizeof w);
      y[k] = Floats{};
      y[k] += __builtin_convertvector(a, Floats) * w;
      y[k] *= in_scale;
      if (bias) {
        Floats b;
        std::memcpy(&b, bias + e, sizeof b);
        y[k] += b;
      }
    }
  }

  // Stores kVectors finished vectors from channel i on: codes of out_fq's grid, or floats (through
  // out_fq's FakeQuantize when there is one).
  template <int kVectors>
  __attribute__((always_inline)) static void block_store(Floats* y, const FqConstants* out_fq, int64_t i,
                                                         float* row, int8_t* codes) {
#pragma GCC unroll 4
    for (int k = 0; k < kVectors; ++k) {
      const int64_t e = i + k * kLanes;
      if (codes) {
        using Bytes = int8_t __attribute__((vector_size(kLanes)));
        Ints level;
        fake_quantize_level(y[k], *out_fq, level);
        const Bytes c = __builtin_convertvector(level - 128, Bytes);
        std::memcpy(codes + e, &c, sizeof c);
        continue;
      }
      if (out_fq) fake_quantize_vector(y[k], *out_fq);
      std::memcpy(row + e, &y[k], sizeof y[k]);
    }
  }

  // The step sequences of the common chains (ResNet's tails, a Relu, a scale), which chain_row runs
  // with the steps known at compile time (chain_fixed): no per-step dispatch, the vectors stay in
  // registers. Index in kChainPatterns + 1; 0: any
  // other sequence (chain_block).
  static constexpr int kMaxPatternSteps = 4;
  struct ChainPattern {
    int size;
    ChainStep::Kind kinds[kMaxPatternSteps];
  };
  static constexpr ChainPattern kChainPatterns[] = {
      {0, {}},
      {1, {ChainStep::kRelu}},
      {1, {ChainStep::kClamp}},
      {1, {ChainStep::kScaleChannel}},
      {1, {ChainStep::kScaleOne}},
      {4, {ChainStep::kScaleChannel, ChainStep::kFakeQuantize, ChainStep::kResidualCodes, ChainStep::kRelu}},
      {4, {ChainStep::kScaleOne, ChainStep::kFakeQuantize, ChainStep::kResidualCodes, ChainStep::kRelu}},
      {3, {ChainStep::kFakeQuantize, ChainStep::kResidualCodes, ChainStep::kRelu}},
      {4, {ChainStep::kScaleChannel, ChainStep::kFakeQuantize, ChainStep::kResidual, ChainStep::kRelu}},
      {4, {ChainStep::kScaleOne, ChainStep::kFakeQuantize, ChainStep::kResidual, ChainStep::kRelu}},
      {3, {ChainStep::kFakeQuantize, ChainStep::kResidual, ChainStep::kRelu}},
  };

  static int chain_pattern(const std::vector<ChainStep>& steps) {
    for (size_t p = 0; p < sizeof kChainPatterns / sizeof kChainPatterns[0]; ++p) {
      const ChainPattern& c = kChainPatterns[p];
      bool same = c.size == static_cast<int>(steps.size());
      for (int s = 0; same && s < c.size; ++s) same = steps[static_cast<size_t>(s)].kind == c.kinds[s];
      if (same) return static_cast<int>(p) + 1;
    }
    return 0;
  }

  // One chain step of kind kKind on one vector (chain_block picks it per step; fixed chains inline it).
  template <int kKind>
  __attribute__((always_inline)) static void fixed_step(Floats& y, const ChainStep& step,
                                                        [[maybe_unused]] int64_t o0, int64_t e,
                                                        [[maybe_unused]] const float* residual,
                                                        [[maybe_unused]] const int8_t* residual_codes) {
    if constexpr (kKind == ChainStep::kResidual) {
      Floats r;
      std::memcpy(&r, residual + e, sizeof r);
      y += r;
    } else if constexpr (kKind == ChainStep::kResidualCodes) {
      using Bytes = int8_t __attribute__((vector_size(kLanes)));
      Bytes c;
      std::memcpy(&c, residual_codes + e, sizeof c);
      // Bytes -> int16 -> int32: GCC 12 turns a direct Bytes -> Ints conversion into scalar byte
      // extracts (cnn_int8's pw2 spent most of its epilogue there), the two steps into vpmovsx.
      using Shorts = int16_t __attribute__((vector_size(kLanes * sizeof(int16_t))));
      const Floats level = __builtin_convertvector(
          __builtin_convertvector(__builtin_convertvector(c, Shorts), Ints) + 128, Floats);
      y += level / step.fq.steps * step.fq.out_range + step.fq.out_low;
    } else if constexpr (kKind == ChainStep::kScaleOne) {
      y *= step.a;
    } else if constexpr (kKind == ChainStep::kScaleChannel) {
      Floats v;
      std::memcpy(&v, step.values + o0 + e, sizeof v);
      y *= v;
    } else if constexpr (kKind == ChainStep::kFakeQuantize) {
      fake_quantize_vector(y, step.fq);
    } else if constexpr (kKind == ChainStep::kRelu) {
      y = OCTET_RELU(y, Floats{});
    } else {
      const Floats lo = Floats{} + step.a, hi = Floats{} + step.b;
      y = OCTET_CLAMP(y, lo, hi);
    }
  }

  // kVectors vectors of the chain (see chain_row) from channel i on: every step is applied to all
  // of them before the next step, so the divisions of independent vectors overlap. Everything is
  // read through the arguments: the i8 code stores may alias any memory, members included.
  template <int kVectors>
  __attribute__((always_inline)) static void chain_block(
      const int32_t* acc, const int32_t* corr, int32_t zero, const float* scale, const float* bias,
      float in_scale, const ChainStep* steps, int64_t step_count, const FqConstants* out_fq, int64_t o0,
      int64_t i, const float* residual, const int8_t* residual_codes, float* row, int8_t* codes) {
    Floats y[kVectors];
    block_start<kVectors>(acc, corr, zero, scale, bias, in_scale, i, y);
    for (int64_t s = 0; s < step_count; ++s) {
      const ChainStep& step = steps[s];
      for (int k = 0; k < kVectors; ++k) {
        const int64_t e = i + k * kLanes;
        switch (step.kind) {
          case ChainStep::kResidual:
            fixed_step<ChainStep::kResidual>(y[k], step, o0, e, residual, residual_codes);
            break;
          case ChainStep::kResidualCodes:
            fixed_step<ChainStep::kResidualCodes>(y[k], step, o0, e, residual, residual_codes);
            break;
          case ChainStep::kScaleOne:
            fixed_step<ChainStep::kScaleOne>(y[k], step, o0, e, residual, residual_codes);
            break;
          case ChainStep::kScaleChannel:
            fixed_step<ChainStep::kScaleChannel>(y[k], step, o0, e, residual, residual_codes);
            break;
          case ChainStep::kFakeQuantize:
            fixed_step<ChainStep::kFakeQuantize>(y[k], step, o0, e, residual, residual_codes);
            break;
          case ChainStep::kRelu:
            fixed_step<ChainStep::kRelu>(y[k], step, o0, e, residual, residual_codes);
            break;
          case ChainStep::kClamp:
            fixed_step<ChainStep::kClamp>(y[k], step, o0, e, residual, residual_codes);
            break;
        }
      }
    }
    block_store<kVectors>(y, out_fq, i, row, codes);
  }

  // chain_block with the steps kKinds... (steps[0..] their constants, a local copy).
  template <int kVectors, int... kKinds, size_t... kIndex>
  __attribute__((always_inline)) static void fixed_block(
      std::index_sequence<kIndex...>, const int32_t* acc, const int32_t* corr, int32_t zero,
      const float* scale, const float* bias, float in_scale, const ChainStep* steps,
      const FqConstants* out_fq, [[maybe_unused]] int64_t o0, int64_t i,
      [[maybe_unused]] const float* residual, [[maybe_unused]] const int8_t* residual_codes, float* row,
      int8_t* codes) {
    Floats y[kVectors];
    block_start<kVectors>(acc, corr, zero, scale, bias, in_scale, i, y);
#pragma GCC unroll 4
    for (int k = 0; k < kVectors; ++k)
      (fixed_step<kKinds>(y[k], steps[kIndex], o0, i + k * kLanes, residual, residual_codes), ...);
    block_store<kVectors>(y, out_fq, i, row, codes);
  }

  // chain_row's loop for pattern kPattern (1-based index in kChainPatterns).
  template <int kPattern, size_t... kIndex>
  __attribute__((always_inline)) static void chain_fixed(
      std::index_sequence<kIndex...> index, const int32_t* acc, const int32_t* corr, int32_t zero,
      const float* scale, const float* bias, float in_scale, const ChainStep* steps,
      const FqConstants* out_fq_ptr, int64_t o0, int64_t count, const float* residual,
      const int8_t* residual_codes, float* row, int8_t* codes, int64_t rows) {
    constexpr ChainPattern p = kChainPatterns[kPattern - 1];
    // Local copies: the i8 code stores may alias any memory, so constants read through pointers
    // would be reloaded after every store.
    ChainStep local[sizeof...(kIndex) + 1];
    ((local[kIndex] = steps[kIndex]), ...);
    FqConstants out_fq = out_fq_ptr ? *out_fq_ptr : FqConstants(ActivationQuant{});
    const FqConstants* fq = out_fq_ptr ? &out_fq : nullptr;
    constexpr int64_t kBlock = 4 * kLanes;
    for (int64_t r = 0; r < rows; ++r) {
      int64_t i = 0;
      for (; i + kBlock <= count; i += kBlock)
        fixed_block<4, p.kinds[kIndex]...>(index, acc, corr, zero, scale, bias, in_scale, local, fq, o0, i,
                                           residual, residual_codes, row, codes);
      for (; i < count; i += kLanes)
        fixed_block<1, p.kinds[kIndex]...>(index, acc, corr, zero, scale, bias, in_scale, local, fq, o0, i,
                                           residual, residual_codes, row, codes);
      next_position(count, acc, residual, residual_codes, row, codes);
    }
  }

  // Advances chain_row's per-position pointers to the next position (`count` elements on).
  __attribute__((always_inline)) static void next_position(int64_t count, const int32_t*& acc,
                                                           const float*& residual,
                                                           const int8_t*& residual_codes, float*& row,
                                                           int8_t*& codes) {
    acc += count;
    if (residual) residual += count;
    if (residual_codes) residual_codes += count;
    if (row) row += count;
    if (codes) codes += count;
  }

  // Channels [o0, o0 + count) (count a multiple of kLanes) of one position, groups_ == 1, every
  // post-op a scale, FakeQuantize, residual add (stride 1), Relu or Clamp, each element seeing
  // exactly the step-by-step path's float operations (fp-contract off: no fused multiply-adds).
  // With `codes`, the output FakeQuantize's levels - 128 are written there instead of the floats:
  // what a QuantizeActivation on the output grid would recover from them. `rows` > 1: that many
  // positions one after the other (acc, residual, row, codes, residual_codes `count` apart), one
  // correction row for all (codes_rows).
  OCTET_AVX512_CLONES __attribute__((optimize("fp-contract=off", "no-trapping-math"))) void chain_row(
      const int32_t* acc, const int32_t* corr, int32_t zero, int64_t o0, int64_t count, const float* residual,
      float* row, int8_t* codes = nullptr, const int8_t* residual_codes = nullptr, int64_t rows = 1) const {
    const float* scale = q_.weights.scale.data() + o0;
    const float* bias = q_.bias.empty() ? nullptr : q_.bias.data() + o0;
    const float in_scale = q_.input->scale;
    // Residual codes are dequantized in the chain (codes_steps_) when the caller passes them.
    const ChainStep* steps = residual_codes ? codes_steps_.data() : steps_.data();
    const int64_t step_count = static_cast<int64_t>(steps_.size());
    const FqConstants* out_fq = q_.output ? &out_fq_ : nullptr;
    switch (residual_codes ? codes_pattern_ : pattern_) {
#define OCTET_CHAIN_CASE(P, N)                                                                          \
  case P:                                                                                               \
    return chain_fixed<P>(std::make_index_sequence<N>(), acc, corr, zero, scale, bias, in_scale, steps, \
                          out_fq, o0, count, residual, residual_codes, row, codes, rows);
      OCTET_CHAIN_CASE(1, 0)
      OCTET_CHAIN_CASE(2, 1)
      OCTET_CHAIN_CASE(3, 1)
      OCTET_CHAIN_CASE(4, 1)
      OCTET_CHAIN_CASE(5, 1)
      OCTET_CHAIN_CASE(6, 4)
      OCTET_CHAIN_CASE(7, 4)
      OCTET_CHAIN_CASE(8, 3)
      OCTET_CHAIN_CASE(9, 4)
      OCTET_CHAIN_CASE(10, 4)
      OCTET_CHAIN_CASE(11, 3)
#undef OCTET_CHAIN_CASE
      default: break;
    }
    constexpr int64_t kBlock = 4 * kLanes;
    for (int64_t r = 0; r < rows; ++r) {
      int64_t i = 0;
      for (; i + kBlock <= count; i += kBlock)
        chain_block<4>(acc, corr, zero, scale, bias, in_scale, steps, step_count, out_fq, o0, i, residual,
                       residual_codes, row, codes);
      for (; i < count; i += kLanes)
        chain_block<1>(acc, corr, zero, scale, bias, in_scale, steps, step_count, out_fq, o0, i, residual,
                       residual_codes, row, codes);
      next_position(count, acc, residual, residual_codes, row, codes);
    }
  }

  // The step-by-step path for any post-op sequence: one loop per step over the row. Out of line and
  // cloned for AVX2, so the loops vectorise even where the caller is built for the baseline ISA.
  OCTET_AVX2_CLONES void general_row(const int32_t* acc, int64_t group_stride, int64_t o0, int64_t count,
                                     const float* residual, int64_t residual_stride, float* row) const {
    for (int64_t i = 0; i < count; ++i) row[i] = 0;
    const float* s = q_.weights.scale.data();
    for (int64_t g = 0; g < groups_; ++g) {
      const int32_t* a = acc + g * group_stride;
      for (int64_t i = 0; i < count; ++i) row[i] += static_cast<float>(a[i]) * s[(o0 + i) * groups_ + g];
    }
    const float in_scale = q_.input->scale;
    for (int64_t i = 0; i < count; ++i) row[i] *= in_scale;
    finish_row(o0, count, residual, residual_stride, row);
  }

  void finish_row(int64_t o0, int64_t count, const float* residual, int64_t residual_stride,
                  float* row) const {
    if (!q_.bias.empty()) {
      const float* b = q_.bias.data() + o0;
      for (int64_t i = 0; i < count; ++i) row[i] += b[i];
    }
    if (split_ >= 0) {  // the rest runs in finish_after_split, after the tensor-wide Gelu
      apply_post_ops(0, split_, o0, count, residual, residual_stride, row);
      return;
    }
    apply_post_ops(0, static_cast<int64_t>(q_.post_ops.size()), o0, count, residual, residual_stride, row);
    if (q_.output) fake_quantize_row(row, count, *q_.output);
  }

  // Post-ops [first, last) over a row.
  void apply_post_ops(int64_t first, int64_t last, int64_t o0, int64_t count, const float* residual,
                      int64_t residual_stride, float* row) const {
    for (int64_t k = first; k < last; ++k) {
      const PostOp& op = q_.post_ops[static_cast<size_t>(k)];
      if (op.kind == PostOp::Kind::kResidualAdd) {
        for (int64_t i = 0; i < count; ++i) row[i] += residual[i * residual_stride];
      } else if (op.kind == PostOp::Kind::kScale) {
        if (op.values.size() == 1) {
          const float v = op.values[0];
          for (int64_t i = 0; i < count; ++i) row[i] *= v;
        } else {
          const float* v = op.values.data() + o0;
          for (int64_t i = 0; i < count; ++i) row[i] *= v[i];
        }
      } else if (op.kind == PostOp::Kind::kFakeQuantize) {
        fake_quantize_row(row, count, op.quant);
      } else if (op.activation == PostOpCode::kRelu) {
        for (int64_t i = 0; i < count; ++i) row[i] = OCTET_RELU(row[i], 0.0f);
      } else if (op.activation == PostOpCode::kClamp) {
        const float lo = op.alpha, hi = op.beta;
        for (int64_t i = 0; i < count; ++i) row[i] = OCTET_CLAMP(row[i], lo, hi);
      } else if (fast_ && op.activation == PostOpCode::kGeluErf) {
        fast_gelu_erf_row(row, count);
      } else if (has_exact_activation_row(op)) {  // Swish, Sigmoid: vector exp, same bits
        exact_activation_row(op, row, count);
      } else {
        for (int64_t i = 0; i < count; ++i) row[i] = apply_activation(op, row[i]);
      }
    }
  }

  enum class Fused { kNo, kNone, kRelu, kClamp, kGelu };

  template <bool kCorr>
  void fused_row(const int32_t* acc, const int32_t* corr, int32_t zero, int64_t o0, int64_t count, float* row,
                 int64_t rows = 1) const {
    const bool bias = !q_.bias.empty(), fq = q_.output.has_value();
    switch (fused_) {
      case Fused::kNone:
        return bias ? (fq ? fused_fq<true, 0, kCorr>(acc, corr, zero, o0, count, row, rows)
                          : fused<true, 0, false, kCorr>(acc, corr, zero, o0, count, row, rows))
                    : (fq ? fused_fq<false, 0, kCorr>(acc, corr, zero, o0, count, row, rows)
                          : fused<false, 0, false, kCorr>(acc, corr, zero, o0, count, row, rows));
      case Fused::kRelu:
        return bias ? (fq ? fused_fq<true, 1, kCorr>(acc, corr, zero, o0, count, row, rows)
                          : fused<true, 1, false, kCorr>(acc, corr, zero, o0, count, row, rows))
                    : (fq ? fused_fq<false, 1, kCorr>(acc, corr, zero, o0, count, row, rows)
                          : fused<false, 1, false, kCorr>(acc, corr, zero, o0, count, row, rows));
      case Fused::kGelu:
        // The step-by-step path's order: scales and bias, Gelu, then FakeQuantize.
        bias ? fused<true, 0, false, kCorr>(acc, corr, zero, o0, count, row, rows)
             : fused<false, 0, false, kCorr>(acc, corr, zero, o0, count, row, rows);
        fast_gelu_erf_row(row, count);
        if (fq) fake_quantize_row(row, count, *q_.output);
        return;
      default:
        return bias ? (fq ? fused_fq<true, 2, kCorr>(acc, corr, zero, o0, count, row, rows)
                          : fused<true, 2, false, kCorr>(acc, corr, zero, o0, count, row, rows))
                    : (fq ? fused_fq<false, 2, kCorr>(acc, corr, zero, o0, count, row, rows)
                          : fused<false, 2, false, kCorr>(acc, corr, zero, o0, count, row, rows));
    }
  }

  // Each element goes through exactly the float operations of the step-by-step path, in order:
  // 0 + acc * scale, * input scale, + bias, activation (kAct: 0 none, 1 Relu, 2 Clamp), FakeQuantize;
  // with kCorr the accumulator is first acc - zero * corr (exact int32 arithmetic).
  template <bool kBias, int kAct, bool kFq, bool kCorr>
  OCTET_AVX2_CLONES __attribute__((optimize("no-trapping-math"))) void fused(
      const int32_t* __restrict acc, const int32_t* __restrict corr, int32_t zero, int64_t o0, int64_t count,
      float* __restrict row, int64_t rows = 1) const {
    const float* __restrict s = q_.weights.scale.data() + o0;
    const float* __restrict b = kBias ? q_.bias.data() + o0 : nullptr;
    const float in_scale = q_.input->scale;
    const float alpha = kAct == 2 ? q_.post_ops[0].alpha : 0.0f,
                beta = kAct == 2 ? q_.post_ops[0].beta : 0.0f;
    float il = 0, ol = 0, oh = 0, lo = 0, hi = 0, steps = 1, in_range = 1, out_range = 0;
    if (kFq) {
      const ActivationQuant& f = *q_.output;
      il = f.in_low, ol = f.out_low, oh = f.out_high;
      lo = std::min(f.in_low, f.in_high), hi = std::max(f.in_low, f.in_high);
      steps = static_cast<float>(f.levels - 1), in_range = f.in_high - f.in_low,
      out_range = f.out_high - f.out_low;
    }
    constexpr float kRound = 12582912.0f;
    // `rows` positions one after the other (acc and row advance by count, corr stays).
    for (int64_t r = 0; r < rows; ++r, acc += count, row += count)
      for (int64_t i = 0; i < count; ++i) {
        float y = 0;
        const int32_t a = kCorr ? acc[i] - zero * corr[i] : acc[i];
        y += static_cast<float>(a) * s[i];
        y *= in_scale;
        if (kBias) y += b[i];
        // The shared formulas as expressions: function calls would not inline into these clones.
        if (kAct == 1) y = OCTET_RELU(y, 0.0f);
        if (kAct == 2) y = OCTET_CLAMP(y, alpha, beta);
        if (kFq) {
          const float level = ((y - il) / in_range * steps + kRound) - kRound;
          float out = level / steps * out_range + ol;
          out = y > hi ? oh : out;
          out = y <= lo ? ol : out;
          y = out;
        }
        row[i] = y;
      }
  }

  // fused<kBias, kAct, true, kCorr> through the division-free form below when the output
  // FakeQuantize allows it (rows of at least 8 channels), else as written.
  template <bool kBias, int kAct, bool kCorr>
  void fused_fq(const int32_t* acc, const int32_t* corr, int32_t zero, int64_t o0, int64_t count, float* row,
                int64_t rows) const {
    if (fq_fma_ && count % 8 == 0) {
      fused_fq_fma<kBias, kAct, kCorr>(acc, corr, zero, o0, count, row, rows);
      return;
    }
    fused<kBias, kAct, true, kCorr>(acc, corr, zero, o0, count, row, rows);
  }

  // True when the output FakeQuantize can skip its two divisions exactly (fused_fq_fma; both in
  // epilogue_fake_quantize.h).
  static bool divisions_free_fake_quantize(const ActivationQuant& f);
  template <bool kBias, int kAct, bool kCorr>
  void fused_fq_fma(const int32_t* acc, const int32_t* corr, int32_t zero, int64_t o0, int64_t count,
                    float* row, int64_t rows) const;

  // host/reference's fake_quantize() over a row: the same float operations, with the
  // branches as selects and rounding by the 1.5 * 2^23 trick (the level lies in [0, levels - 1]
  // where it is used). no-trapping-math lets GCC vectorise the selects; it changes no result.
  OCTET_AVX2_CLONES __attribute__((optimize("no-trapping-math"))) static void fake_quantize_row(
      float* __restrict row, int64_t n, const ActivationQuant& q) {
    const float il = q.in_low, ih = q.in_high, ol = q.out_low, oh = q.out_high;
    const float lo = std::min(il, ih), hi = std::max(il, ih), steps = static_cast<float>(q.levels - 1);
    const float in_range = ih - il, out_range = oh - ol;
    constexpr float kRound = 12582912.0f;
    for (int64_t i = 0; i < n; ++i) {
      const float v = row[i];
      const float level = ((v - il) / in_range * steps + kRound) - kRound;
      float out = level / steps * out_range + ol;
      out = v > hi ? oh : out;
      out = v <= lo ? ol : out;
      row[i] = out;
    }
  }

  const QuantizedLinear& q_;
  int64_t groups_;
  bool fast_;
  Fused fused_ = Fused::kNo;
  int64_t split_ = -1;                   // post-ops from here on run in finish_after_split (split_at_gelu)
  bool chain_ = false;                   // chain_row can finish the rows
  std::vector<ChainStep> steps_;         // the post-ops as chain_row runs them
  std::vector<ChainStep> codes_steps_;   // the same, the residual addend read as codes
  FqConstants out_fq_;                   // the output FakeQuantize's
  int pattern_ = 0, codes_pattern_ = 0;  // chain_pattern of steps_ / codes_steps_
  std::optional<SimpleChain> simple_;    // codes_rows may take simple_chain_codes
  bool fq_fma_ = false;                  // fused_fq may take fused_fq_fma (divisions_free_fake_quantize)
};

// One request's memories for a quantized convolution's or matmul's oneDNN primitive: the source
// (bound to the request's input at each run), the destination the epilogue reads (the raw s32
// accumulators or f32 values) and the scratchpad.
struct PrimitiveMemories {
  std::vector<uint8_t> scratch;
  dnnl::memory src, dst, scratchpad;

  void bind(const dnnl::engine& engine, const dnnl::memory::desc& src_md, const dnnl::memory::desc& dst_md,
            void* dst_handle, const dnnl::memory::desc& scratch_md) {
    src = dnnl::memory(src_md, engine, nullptr);
    dst = dnnl::memory(dst_md, engine, dst_handle);
    scratch.resize(scratch_md.get_size());
    scratchpad = dnnl::memory(scratch_md, engine, scratch.data());
  }

  // Runs `primitive` on `src_handle` in `stream`; oneDNN errors become statuses.
  void execute(const dnnl::primitive& primitive, dnnl::stream& stream, void* src_handle,
               const dnnl::memory& weights, const std::string& impl) {
    src.set_data_handle(src_handle);
    try {
      primitive.execute(stream, {{DNNL_ARG_SRC, src},
                                 {DNNL_ARG_WEIGHTS, weights},
                                 {DNNL_ARG_DST, dst},
                                 {DNNL_ARG_SCRATCHPAD, scratchpad}});
      stream.wait();
    } catch (const dnnl::error& e) {
      raise(ErrorCode::kInternal, "oneDNN {} failed: {}", impl, e.what());
    }
  }
};

}  // namespace cpu
}  // namespace octet

#include "runtime/onednn/epilogue_fake_quantize.h"  // IWYU pragma: keep (member definitions)
