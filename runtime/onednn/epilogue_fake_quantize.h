// Private to runtime/onednn, included by quantized_epilogue.h: the division-free output
// FakeQuantize of the fused epilogue forms (Epilogue::fused_fq_fma), bit-exact with the reference.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "runtime/onednn/quantized_epilogue.h"

namespace octet {
namespace cpu {

// True when the output FakeQuantize can skip its two divisions exactly (fused_fq_fma): AVX2 and
// FMA, an ordered input range, and for every level l, l / steps equals the FMA-corrected product
// q + (l - q * steps) * c with q = l * c, c = 1 / steps (checked here for all levels).
inline bool Epilogue::divisions_free_fake_quantize(const ActivationQuant& f) {
  static const bool cpu = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (!cpu || !(f.in_low < f.in_high) || f.levels < 2 || f.levels > 256) return false;
  const float steps = static_cast<float>(f.levels - 1), c = 1.0f / steps;
  for (int l = 0; l < f.levels; ++l) {
    const float level = static_cast<float>(l), q = level * c;
    const float exact = level / steps, fast = std::fma(std::fma(-q, steps, level), c, q);
    if (std::memcmp(&exact, &fast, sizeof exact) != 0) return false;
  }
  const float k = steps / (f.in_high - f.in_low);
  return std::isfinite(k) && k > 0;
}

// fused<kBias, kAct, true, kCorr> on 8 channels at a time without divisions, same bits: the level
// (x - in_low) / in_range * steps is estimated as (x - in_low) * (steps / in_range), within 6.1e-5
// of the reference's value wherever the level is used (each is within two roundings of the exact
// quotient, levels <= 255; the selects replace the level outside the input range); a vector
// with an estimate within 1e-3 of a rounding midpoint takes the reference's divisions. The
// level's value level / steps is the FMA-corrected product divisions_free_fake_quantize verified
// for every level. count is a multiple of 8.
template <bool kBias, int kAct, bool kCorr>
__attribute__((target("avx2,fma"), optimize("fp-contract=off"))) void Epilogue::fused_fq_fma(
    const int32_t* acc, const int32_t* corr, int32_t zero, int64_t o0, int64_t count, float* row,
    int64_t rows) const {
  const ActivationQuant& f = *q_.output;
  const float* s = q_.weights.scale.data() + o0;
  const float* b = kBias ? q_.bias.data() + o0 : nullptr;
  const __m256 in_scale = _mm256_set1_ps(q_.input->scale), zero_f = _mm256_setzero_ps();
  const __m256 alpha = _mm256_set1_ps(kAct == 2 ? q_.post_ops[0].alpha : 0.0f),
               beta = _mm256_set1_ps(kAct == 2 ? q_.post_ops[0].beta : 0.0f);
  const float steps_f = static_cast<float>(f.levels - 1);
  const __m256 il = _mm256_set1_ps(f.in_low), ol = _mm256_set1_ps(f.out_low), oh = _mm256_set1_ps(f.out_high),
               lo = _mm256_set1_ps(std::min(f.in_low, f.in_high)),
               hi = _mm256_set1_ps(std::max(f.in_low, f.in_high)), steps = _mm256_set1_ps(steps_f),
               in_range = _mm256_set1_ps(f.in_high - f.in_low),
               out_range = _mm256_set1_ps(f.out_high - f.out_low),
               k = _mm256_set1_ps(steps_f / (f.in_high - f.in_low)), c = _mm256_set1_ps(1.0f / steps_f),
               round = _mm256_set1_ps(12582912.0f), near_half = _mm256_set1_ps(0.499f),
               abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256i zero_i = _mm256_set1_epi32(zero);
  for (int64_t r = 0; r < rows; ++r, acc += count, row += count) {
    for (int64_t i = 0; i < count; i += 8) {
      __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + i));
      if (kCorr) {  // zero 1: corrections scaled in advance (no vpmulld, 10 cycles on some cores)
        const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(corr + i));
        a = _mm256_sub_epi32(a, zero == 1 ? c : _mm256_mullo_epi32(zero_i, c));
      }
      // 0 + acc * scale, * input scale, + bias, activation: fused()'s operations, one rounding each.
      __m256 y = _mm256_add_ps(zero_f, _mm256_mul_ps(_mm256_cvtepi32_ps(a), _mm256_loadu_ps(s + i)));
      y = _mm256_mul_ps(y, in_scale);
      if (kBias) y = _mm256_add_ps(y, _mm256_loadu_ps(b + i));
      if (kAct == 1) y = _mm256_blendv_ps(zero_f, y, _mm256_cmp_ps(y, zero_f, _CMP_GT_OQ));  // y > 0 ? y : 0
      if (kAct == 2) {
        const __m256 t = _mm256_blendv_ps(y, alpha, _mm256_cmp_ps(y, alpha, _CMP_LT_OQ));  // y < a ? a : y
        y = _mm256_blendv_ps(t, beta, _mm256_cmp_ps(beta, t, _CMP_LT_OQ));                 // b < t ? b : t
      }
      const __m256 d = _mm256_sub_ps(y, il);
      const __m256 estimate = _mm256_mul_ps(d, k);
      __m256 level = _mm256_sub_ps(_mm256_add_ps(estimate, round), round);
      const __m256 distance = _mm256_and_ps(_mm256_sub_ps(estimate, level), abs_mask);
      const __m256 inside = _mm256_and_ps(_mm256_cmp_ps(y, lo, _CMP_GT_OQ), _mm256_cmp_ps(y, hi, _CMP_LE_OQ));
      if (_mm256_movemask_ps(_mm256_and_ps(inside, _mm256_cmp_ps(distance, near_half, _CMP_GT_OQ))))
        level = _mm256_sub_ps(_mm256_add_ps(_mm256_mul_ps(_mm256_div_ps(d, in_range), steps), round), round);
      const __m256 q = _mm256_mul_ps(level, c);
      const __m256 value = _mm256_fmadd_ps(_mm256_fnmadd_ps(q, steps, level), c, q);  // level / steps
      __m256 out = _mm256_add_ps(_mm256_mul_ps(value, out_range), ol);
      out = _mm256_blendv_ps(out, oh, _mm256_cmp_ps(y, hi, _CMP_GT_OQ));
      out = _mm256_blendv_ps(out, ol, _mm256_cmp_ps(y, lo, _CMP_LE_OQ));
      _mm256_storeu_ps(row + i, out);
    }
  }
}

}  // namespace cpu
}  // namespace octet
