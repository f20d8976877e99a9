// The quantized epilogue's simple chains in AVX-512 (see simple_epilogue.h).
//
// Error budget of bounded_activation (relative, against the reference's f32 result): t = -x is
// exact; k = round(t log2 e), r = t - k C1 - k C2 (Cody-Waite with C1 of 9 significant bits: k C1
// and t - k C1 are exact for |t| < 80; |r| <= 0.35) is within 2^-25 of t - k ln 2; e^r by its
// Taylor series to r^7 (truncation 2^-26.9) in float multiply-adds (rounding under 2^-22); times
// 2^k, exact while |t| < 80 keeps it normal; 1 + e, the division and the reference's own rounding
// to f32 add 2^-24 each. In all under 2^-20.5, which the interval's 2^-18 covers five times over.
// Results are normal for |x| > 2^-100 (the smallest, x / (1 + e^80) near x = -80, is about 1e-33).
#include "runtime/onednn/simple_epilogue.h"

#include <immintrin.h>

#include <algorithm>

// GCC 12 reports the _mm512_undefined_*() placeholders inside the AVX-512 intrinsics' headers as
// maybe-uninitialized once they inline here (a false positive: every lane is written).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "host/common/error.h"
#include "host/reference/quantized_linear.h"

namespace octet {
namespace cpu {
namespace {

constexpr int kLanes = 16;
constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding and subtracting it rounds to an integer

using Grid = FakeQuantizeConstants;  // the output FakeQuantize's

// The FakeQuantize level of v: the operations of the epilogue's fake_quantize_level, one lane.
__attribute__((optimize("fp-contract=off"))) int32_t level_of(float v, const Grid& g) {
  float level = (v - g.in_low) / g.in_range * g.steps;
  level = v > g.hi ? g.steps : level;
  level = v > g.lo ? level : 0.0f;
  level = (level + kRound) - kRound;
  return static_cast<int32_t>(level);
}

// Every function here, finish_rows_avx512 included (the inlined bodies take its settings), keeps
// multiplies and adds apart as the reference computes them: fused multiply-adds only where written
// (the activation's polynomial and argument reduction, inside the error bound).
#define OCTET_AVX512 __attribute__((target("avx512f"), optimize("fp-contract=off"), always_inline)) inline

OCTET_AVX512 __m512i vector_level(__m512 v, const Grid& g) {
  __m512 level =
      _mm512_mul_ps(_mm512_div_ps(_mm512_sub_ps(v, _mm512_set1_ps(g.in_low)), _mm512_set1_ps(g.in_range)),
                    _mm512_set1_ps(g.steps));
  level = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, _mm512_set1_ps(g.hi), _CMP_GT_OQ), level,
                               _mm512_set1_ps(g.steps));
  level = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v, _mm512_set1_ps(g.lo), _CMP_GT_OQ), level);
  level = _mm512_sub_ps(_mm512_add_ps(level, _mm512_set1_ps(kRound)), _mm512_set1_ps(kRound));
  return _mm512_cvttps_epi32(level);
}

// OCTET_RELU(y, 0) and OCTET_CLAMP(y, lo, hi) as the reference evaluates them (NaN: 0 and NaN).
OCTET_AVX512 __m512 relu(__m512 y) {
  return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(y, _mm512_setzero_ps(), _CMP_GT_OQ), y);
}
OCTET_AVX512 __m512 clamp(__m512 y, float lo, float hi) {
  const __m512 low = _mm512_set1_ps(lo), high = _mm512_set1_ps(hi);
  const __m512 t = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(y, low, _CMP_LT_OQ), y, low);
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(high, t, _CMP_LT_OQ), t, high);
}

// SiLU (x / (1 + e^-x)) or Sigmoid in float, within 2^-20.5 of the reference for |x| < 80 (the
// file's header).
OCTET_AVX512 __m512 bounded_activation(__m512 x, bool swish) {
  const __m512 t =
      _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(x), _mm512_set1_epi32(INT32_MIN)));
  const __m512 tc = _mm512_min_ps(_mm512_max_ps(t, _mm512_set1_ps(-80.0f)), _mm512_set1_ps(80.0f));
  const __m512 k = _mm512_sub_ps(
      _mm512_add_ps(_mm512_mul_ps(tc, _mm512_set1_ps(1.44269504088896341f)), _mm512_set1_ps(kRound)),
      _mm512_set1_ps(kRound));
  __m512 r = _mm512_fnmadd_ps(k, _mm512_set1_ps(0.693359375f), tc);
  r = _mm512_fnmadd_ps(k, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.0f / 5040);
  for (const float c : {1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f})
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(c));
  const __m512i bits =
      _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvttps_epi32(k), _mm512_set1_epi32(127)), 23);
  const __m512 e = _mm512_mul_ps(p, _mm512_castsi512_ps(bits));
  return _mm512_div_ps(swish ? x : _mm512_set1_ps(1.0f), _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

// One vector of work: 16 (or `lanes`) channels from `channel` of one position.
struct Job {
  const int32_t* acc;
  int8_t* codes;  // at the job's first channel
  int64_t channel;
  __mmask16 lanes;
};

using Act = SimpleChain::Act;

// (acc - zero * corr) * scale * in_scale + bias, in the reference's order (0 + product first).
OCTET_AVX512 __m512 start_value(const SimpleChain& p, const Job& job, const int32_t* corr, int32_t zero) {
  __m512i a = _mm512_maskz_loadu_epi32(job.lanes, job.acc);
  if (corr) {  // zero 1: corrections scaled in advance (no multiply)
    const __m512i c = _mm512_maskz_loadu_epi32(job.lanes, corr + job.channel);
    a = _mm512_sub_epi32(a, zero == 1 ? c : _mm512_mullo_epi32(_mm512_set1_epi32(zero), c));
  }
  const __m512 w = _mm512_maskz_loadu_ps(job.lanes, p.scale + job.channel);
  __m512 y = _mm512_add_ps(_mm512_setzero_ps(), _mm512_mul_ps(_mm512_cvtepi32_ps(a), w));
  y = _mm512_mul_ps(y, _mm512_set1_ps(p.in_scale));
  if (p.bias) y = _mm512_add_ps(y, _mm512_maskz_loadu_ps(job.lanes, p.bias + job.channel));
  return y;
}

// kJobs independent vectors at once (their long dependency chains overlap).
template <int kJobs, Act kAct>
OCTET_AVX512 void block(const SimpleChain& p, const Grid& g, const Job* jobs, const int32_t* corr,
                        int32_t zero) {
  constexpr bool kBounded = kAct == Act::kSilu || kAct == Act::kSigmoid;
  constexpr float kDelta = 3.814697265625e-06f;  // 2^-18
  constexpr float kTiny = 7.88860905e-31f;       // 2^-100
  __m512 y[kJobs];
  __m512i level[kJobs];
  __mmask16 redo[kJobs] = {};
#pragma GCC unroll 4
  for (int j = 0; j < kJobs; ++j) {
    y[j] = start_value(p, jobs[j], corr, zero);
    if constexpr (kBounded) {
      const __m512 s = bounded_activation(y[j], kAct == Act::kSilu);
      const __m512 a_end = _mm512_mul_ps(s, _mm512_set1_ps(1.0f - kDelta));
      const __m512 b_end = _mm512_mul_ps(s, _mm512_set1_ps(1.0f + kDelta));
      level[j] = vector_level(_mm512_min_ps(a_end, b_end), g);
      const __m512i other = vector_level(_mm512_max_ps(a_end, b_end), g);
      const __m512 ax =
          _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(y[j]), _mm512_set1_epi32(INT32_MAX)));
      const __mmask16 domain = _mm512_cmp_ps_mask(ax, _mm512_set1_ps(80.0f), _CMP_LT_OQ) &
                               _mm512_cmp_ps_mask(ax, _mm512_set1_ps(kTiny), _CMP_GT_OQ);
      redo[j] = static_cast<__mmask16>((~domain | _mm512_cmpneq_epi32_mask(level[j], other)) & jobs[j].lanes);
      continue;
    }
    __m512 z = y[j];
    if constexpr (kAct == Act::kRelu) z = relu(z);
    if constexpr (kAct == Act::kClamp) z = clamp(z, p.activation->alpha, p.activation->beta);
    level[j] = vector_level(z, g);
  }
  for (int j = 0; j < kJobs; ++j) {
    if (kBounded && redo[j]) {  // the reference's way, lane by lane (rare: near a level boundary)
      alignas(64) float x[kLanes];
      alignas(64) int32_t l[kLanes];
      _mm512_store_ps(x, y[j]);
      _mm512_store_si512(l, level[j]);
      for (int lane = 0; lane < kLanes; ++lane)
        if (redo[j] >> lane & 1) l[lane] = level_of(apply_activation(*p.activation, x[lane]), g);
      level[j] = _mm512_load_si512(l);
    }
    _mm512_mask_cvtepi32_storeu_epi8(jobs[j].codes, jobs[j].lanes,
                                     _mm512_sub_epi32(level[j], _mm512_set1_epi32(128)));
  }
}

// The jobs of `rows` positions of `count` channels, four at a time (a 16-channel layer has one
// vector per position).
template <Act kAct>
__attribute__((target("avx512f"), optimize("fp-contract=off"))) void finish_rows_avx512(
    const SimpleChain& p, const int32_t* acc, const int32_t* corr, int32_t zero, int64_t count, int64_t rows,
    int8_t* codes) {
  const Grid g(p.output ? *p.output : ActivationQuant{});
  Job jobs[4];
  int pending = 0;
  if (count < kLanes && kLanes % count == 0 && rows > 1) {
    // Narrow layers (DenseNet's 8-channel 3x3 convolutions): 16 / count positions per vector, the
    // per-channel constants repeated across the lanes, instead of one mostly masked vector each.
    // count divides 16, so it is a power of two: lane l takes channel l & (count - 1).
    const __m512i channel =
        _mm512_and_si512(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                         _mm512_set1_epi32(static_cast<int>(count - 1)));
    const __mmask16 first = static_cast<__mmask16>((1u << count) - 1u);
    alignas(64) float scale[kLanes], bias[kLanes];
    alignas(64) int32_t correction[kLanes];
    _mm512_store_ps(scale, _mm512_permutexvar_ps(channel, _mm512_maskz_loadu_ps(first, p.scale)));
    if (p.bias) _mm512_store_ps(bias, _mm512_permutexvar_ps(channel, _mm512_maskz_loadu_ps(first, p.bias)));
    if (corr)
      _mm512_store_si512(correction,
                         _mm512_permutexvar_epi32(channel, _mm512_maskz_loadu_epi32(first, corr)));
    SimpleChain tiled = p;
    tiled.scale = scale;
    tiled.bias = p.bias ? bias : nullptr;
    const int32_t* tiled_corr = corr ? correction : nullptr;
    const int64_t total = rows * count;
    for (int64_t e = 0; e < total; e += kLanes) {
      const int64_t n = std::min<int64_t>(kLanes, total - e);
      jobs[pending++] = Job{acc + e, codes + e, 0, static_cast<__mmask16>((1u << n) - 1u)};
      if (pending == 4) {
        block<4, kAct>(tiled, g, jobs, tiled_corr, zero);
        pending = 0;
      }
    }
    for (int j = 0; j < pending; ++j) block<1, kAct>(tiled, g, jobs + j, tiled_corr, zero);
    return;
  }
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < count; c += kLanes) {
      const int64_t n = std::min<int64_t>(kLanes, count - c);
      jobs[pending++] =
          Job{acc + r * count + c, codes + r * count + c, c, static_cast<__mmask16>((1u << n) - 1u)};
      if (pending == 4) {
        block<4, kAct>(p, g, jobs, corr, zero);
        pending = 0;
      }
    }
  for (int j = 0; j < pending; ++j) block<1, kAct>(p, g, jobs + j, corr, zero);
}

}  // namespace

std::optional<SimpleChain> simple_chain(const QuantizedLinear& q) {
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  const int64_t groups = q.weights.group_size ? q.weights.reduction / q.weights.group_size : 1;
  if (!avx512 || groups != 1 || !q.input || q.post_ops.size() > 1) return std::nullopt;
  SimpleChain chain;
  if (!q.post_ops.empty()) {
    const PostOp& op = q.post_ops[0];
    if (op.kind != PostOp::Kind::kActivation) return std::nullopt;
    chain.activation = &op;
    switch (op.activation) {
      case PostOpCode::kRelu: chain.act = Act::kRelu; break;
      case PostOpCode::kClamp: chain.act = Act::kClamp; break;
      case PostOpCode::kSigmoid: chain.act = Act::kSigmoid; break;
      case PostOpCode::kSwish:
        if (op.beta != 1.0f) return std::nullopt;
        chain.act = Act::kSilu;
        break;
      default: return std::nullopt;
    }
  }
  chain.scale = q.weights.scale.data();
  chain.bias = q.bias.empty() ? nullptr : q.bias.data();
  chain.in_scale = q.input->scale;
  chain.output = q.output;
  return chain;
}

void simple_chain_codes(const SimpleChain& chain, const int32_t* acc, const int32_t* corr, int32_t zero,
                        int64_t count, int64_t rows, int8_t* codes) {
  if (!chain.output) raise(ErrorCode::kInternal, "simple_chain_codes without an output FakeQuantize");
  switch (chain.act) {
    case Act::kNone: return finish_rows_avx512<Act::kNone>(chain, acc, corr, zero, count, rows, codes);
    case Act::kRelu: return finish_rows_avx512<Act::kRelu>(chain, acc, corr, zero, count, rows, codes);
    case Act::kClamp: return finish_rows_avx512<Act::kClamp>(chain, acc, corr, zero, count, rows, codes);
    case Act::kSilu: return finish_rows_avx512<Act::kSilu>(chain, acc, corr, zero, count, rows, codes);
    case Act::kSigmoid: return finish_rows_avx512<Act::kSigmoid>(chain, acc, corr, zero, count, rows, codes);
  }
}

}  // namespace cpu
}  // namespace octet
