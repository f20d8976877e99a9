// Private to runtime/onednn: Swish and Sigmoid over a row of floats, bit-exact with the reference's
// apply_activation (host/reference/quantized_linear.h: the formula in double, rounded once to f32),
// eight lanes at a time with a vector double exp.
#pragma once

#include <cstdint>
#include <cstring>

#include "host/graph/quantized_linear.h"
#include "kernels/common/activations.h"

namespace octet {
namespace cpu {

// True for the post-ops exact_activation_row computes.
bool has_exact_activation_row(const PostOp& op);

// row[i] = apply_activation(op, row[i]) for i < n, every result bit-identical to it: each lane's
// double result is computed with a vector exp (relative error below 2^-50, so within 2^-48 of the
// reference's double) and rounded to f32; a lane whose double lies within 2^-40 (relative) of an
// f32 rounding boundary, or whose input is not an ordinary finite value, is recomputed by
// apply_activation itself.
void exact_activation_row(const PostOp& op, float* row, int64_t n);

namespace exact {

constexpr int kLanes = 8;
using Doubles = double __attribute__((vector_size(kLanes * sizeof(double))));
using Longs = int64_t __attribute__((vector_size(kLanes * sizeof(int64_t))));
using Floats8 = float __attribute__((vector_size(kLanes * sizeof(float))));
using Ints8 = int32_t __attribute__((vector_size(kLanes * sizeof(int32_t))));

// exp(t) for |t| <= 700: t = k ln2 + r (Cody-Waite, |r| <= ln2 / 2), exp(r) by its Taylor series to
// r^13 (truncation below 5e-18), times 2^k. Relative error a few double ulp. Generic vectors, no
// target attribute: it inlines into callers built for any ISA (AVX-512 ones keep it in zmm).
__attribute__((always_inline)) inline void vector_exp(const Doubles& t, Doubles& out) {
  constexpr double kInvLn2 = 1.4426950408889634074;
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kShift = 6755399441055744.0;  // 1.5 * 2^52: rounds to an integer
  const Doubles shifted = t * kInvLn2 + kShift;  // 1.5 * 2^52 + k: k in the low mantissa bits
  const Doubles k = shifted - kShift;
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
  // k as an integer from the bits (a double -> int64 conversion needs AVX-512DQ; without it GCC
  // converts lane by lane): bits(1.5 * 2^52 + k) - bits(1.5 * 2^52) = k for |k| < 2^51.
  Longs k_bits, shift_bits;
  std::memcpy(&k_bits, &shifted, sizeof k_bits);
  const Doubles shift = Doubles{} + kShift;
  std::memcpy(&shift_bits, &shift, sizeof shift_bits);
  const Longs bits = (k_bits - shift_bits + 1023) << 52;
  Doubles scale;
  std::memcpy(&scale, &bits, sizeof scale);
  out = p * scale;
}

// The argument of the exp in Swish (-x * beta: one rounding, as in the reference's double
// arithmetic) or Sigmoid (-x), clamped to [-700, 700] (exp stays normal), with `ok` set where it
// is ordinary: within that range and finite (NaN fails the comparison). The range is checked on the
// argument's f32 rounding (GCC 12 builds a mask of eight doubles lane by lane without AVX-512DQ),
// so an ok lane may be clamped by up to half an f32 ulp (3e-5) past +-700. Its result is the same
// f32 either way: at t = +700 the Swish or Sigmoid value is ~1e-302 times x, which rounds to a
// signed zero; at t = -700, e^t ~ 1e-304 vanishes beside 1, so the value is x or 1 exactly.
__attribute__((always_inline)) inline void exponent_argument(bool swish, double beta, const Doubles& x,
                                                             Ints8& ok, Doubles& t) {
  const Doubles arg = swish ? -x * beta : -x;
  const Floats8 rounded = __builtin_convertvector(arg, Floats8);
  ok = (rounded <= 700.0f) & (rounded >= -700.0f);
  const Doubles lo = Doubles{} - 700.0, hi = Doubles{} + 700.0;
  t = OCTET_CLAMP(arg, lo, hi);
}

// The f32 rounding of r, with `certain` -1 where it equals the f32 rounding of the reference's
// double (within 2^-48 of r) for sure: both ends of [r (1 - 2^-40), r (1 + 2^-40)] round to it,
// and the lane was ok.
__attribute__((always_inline)) inline void round_if_certain(const Doubles& r, const Ints8& ok, Floats8& f,
                                                            Ints8& certain) {
  constexpr double kEps = 9.094947017729282e-13;  // 2^-40
  const Floats8 lo = __builtin_convertvector(r * (1.0 - kEps), Floats8);
  const Floats8 hi = __builtin_convertvector(r * (1.0 + kEps), Floats8);
  f = __builtin_convertvector(r, Floats8);
  certain = (lo == hi) & (lo == f) & ok;
}

}  // namespace exact
}  // namespace cpu
}  // namespace octet
