// Swish and Sigmoid rows bit-exact with the reference (see exact_activations.h).
#include "runtime/onednn/exact_activations.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "host/reference/quantized_linear.h"

namespace octet {
namespace cpu {
namespace {

constexpr int kLanes = 8;
using Doubles = double __attribute__((vector_size(kLanes * sizeof(double))));
using Longs = int64_t __attribute__((vector_size(kLanes * sizeof(int64_t))));
using Floats8 = float __attribute__((vector_size(kLanes * sizeof(float))));
using Ints8 = int32_t __attribute__((vector_size(kLanes * sizeof(int32_t))));

// exp(t) for |t| <= 700: t = k ln2 + r (Cody-Waite, |r| <= ln2 / 2), exp(r) by its Taylor series to
// r^13 (truncation below 5e-18), times 2^k. Relative error a few double ulp.
__attribute__((always_inline, target("avx512f"))) inline void vector_exp(const Doubles& t, Doubles& out) {
  constexpr double kInvLn2 = 1.4426950408889634074;
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kShift = 6755399441055744.0;  // 1.5 * 2^52: rounds to an integer
  const Doubles k = (t * kInvLn2 + kShift) - kShift;
  const Doubles r = (t - k * kLn2Hi) - k * kLn2Lo;
  constexpr double c[] = {1.0 / 6227020800.0,
                          1.0 / 479001600.0,
                          1.0 / 39916800.0,
                          1.0 / 3628800.0,
                          1.0 / 362880.0,
                          1.0 / 40320.0,
                          1.0 / 5040.0,
                          1.0 / 720.0,
                          1.0 / 120.0,
                          1.0 / 24.0,
                          1.0 / 6.0,
                          0.5,
                          1.0,
                          1.0};
  Doubles p = Doubles{} + c[0];
  for (int i = 1; i < 14; ++i) p = p * r + c[i];
  const Longs bits = (__builtin_convertvector(k, Longs) + 1023) << 52;
  Doubles scale;
  std::memcpy(&scale, &bits, sizeof scale);
  out = p * scale;
}

// Rows of kBlock vectors at a time (independent vectors overlap their long dependency chains).
// Lanes whose f32 result is not certain are recomputed by apply_activation. Returns the elements
// done (a multiple of kLanes).
__attribute__((target("avx512f"))) int64_t vector_rows(const PostOp& op, float* row, int64_t n) {
  constexpr int kBlock = 4;
  const bool swish = op.activation == PostOpCode::kSwish;
  const double beta = static_cast<double>(op.beta);
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes * kBlock) {
    const int vectors = static_cast<int>(std::min<int64_t>(kBlock, (n - i) / kLanes));
    Doubles x[kBlock], e[kBlock], r[kBlock];
    Longs ok[kBlock];
    for (int v = 0; v < vectors; ++v) {
      Floats8 xf;
      std::memcpy(&xf, row + i + v * kLanes, sizeof xf);
      x[v] = __builtin_convertvector(xf, Doubles);
      // The reference's -x * beta (or -x): one rounding, as in double arithmetic there.
      const Doubles t = swish ? -x[v] * beta : -x[v];
      // Ordinary inputs only: |t| <= 700 (exp stays normal) and finite (NaN fails the comparison).
      ok[v] = (t <= 700.0) & (t >= -700.0);
      vector_exp(ok[v] ? t : Doubles{}, e[v]);
    }
    for (int v = 0; v < vectors; ++v) r[v] = (swish ? x[v] : Doubles{} + 1.0) / (1.0 + e[v]);
    for (int v = 0; v < vectors; ++v) {
      // Both ends of [r (1 - 2^-40), r (1 + 2^-40)] must round to the same float as r; the
      // reference's double lies within 2^-48 of r.
      constexpr double kEps = 9.094947017729282e-13;  // 2^-40
      const Floats8 lo = __builtin_convertvector(r[v] * (1.0 - kEps), Floats8);
      const Floats8 hi = __builtin_convertvector(r[v] * (1.0 + kEps), Floats8);
      const Floats8 f = __builtin_convertvector(r[v], Floats8);
      const Ints8 good = (lo == hi) & (lo == f) & __builtin_convertvector(ok[v], Ints8);
      float* out = row + i + v * kLanes;
      Floats8 x_f, y;
      std::memcpy(&x_f, out, sizeof x_f);
      y = good ? f : x_f;
      std::memcpy(out, &y, sizeof y);
      __m256i g;
      std::memcpy(&g, &good, sizeof g);
      const unsigned redo = ~static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(g))) & 0xFFu;
      if (redo)
        for (int k = 0; k < kLanes; ++k)
          if (redo & (1u << k)) out[k] = apply_activation(op, out[k]);
    }
    if (vectors < kBlock) return i + vectors * kLanes;
  }
  return i;
}

}  // namespace

bool has_exact_activation_row(const PostOp& op) {
  return op.kind == PostOp::Kind::kActivation &&
         (op.activation == PostOpCode::kSwish || op.activation == PostOpCode::kSigmoid);
}

void exact_activation_row(const PostOp& op, float* row, int64_t n) {
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  int64_t i = 0;
  if (avx512 && has_exact_activation_row(op)) i = vector_rows(op, row, n);
  for (; i < n; ++i) row[i] = apply_activation(op, row[i]);
}

}  // namespace cpu
}  // namespace octet
