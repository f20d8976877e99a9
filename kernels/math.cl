// Unary elementwise math of issue 11 (Abs ... Atanh, Mish, SoftPlus, SoftSign, Selu, HardSigmoid,
// IsNaN/IsInf/IsFinite): f32 kernels computing in float with the formulas of common/activations.h,
// and exact integer kernels (element type IT, e.g. -DIT=int -DIT_SIGNED) for Abs, Negative and Sign.
// One work-item per element, global size = element count.
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#pragma OPENCL FP_CONTRACT OFF
#include "common/activations.h"

// Sign-1: NaN stays NaN, both zeros give +0.
inline float octet_sign(float x) {
  return isnan(x) ? x : x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : 0.0f;
}

#define FLOAT_UNARY(name, expr)                                                   \
  __kernel void math_##name(__global const float* src, __global float* dst) {     \
    int i = get_global_id(0);                                                     \
    float x = src[i];                                                             \
    dst[i] = (expr);                                                              \
  }

// Two scalar parameters read from one-element buffers (Selu's alpha and lambda, HardSigmoid's
// alpha and beta), constant or computed.
#define FLOAT_UNARY2(name, expr)                                                                  \
  __kernel void math_##name(__global const float* src, __global float* dst, __global const float* pa, \
                            __global const float* pb) {                                          \
    int i = get_global_id(0);                                                                     \
    float x = src[i], a = pa[0], b = pb[0];                                                       \
    dst[i] = (expr);                                                                              \
  }

// Classification into boolean (uchar 0/1). IsInf's detect flags: bit 0 negative, bit 1 positive.
#define CLASSIFY(name, expr)                                                                      \
  __kernel void math_##name(__global const float* src, __global uchar* dst, int flags) {          \
    int i = get_global_id(0);                                                                     \
    float x = src[i];                                                                             \
    dst[i] = (expr) ? 1 : 0;                                                                      \
  }

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_abs)
FLOAT_UNARY(abs, fabs(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_negative)
FLOAT_UNARY(negative, -x)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_sign)
FLOAT_UNARY(sign, octet_sign(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_floor)
FLOAT_UNARY(floor, floor(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_ceiling)
FLOAT_UNARY(ceiling, ceil(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_round_half_to_even)
// rint rounds in the default mode, to nearest even.
FLOAT_UNARY(round_half_to_even, rint(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_round_half_away_from_zero)
FLOAT_UNARY(round_half_away_from_zero, round(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_log)
FLOAT_UNARY(log, log(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_sin)
FLOAT_UNARY(sin, sin(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_cos)
FLOAT_UNARY(cos, cos(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_tan)
FLOAT_UNARY(tan, tan(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_asin)
FLOAT_UNARY(asin, asin(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_acos)
FLOAT_UNARY(acos, acos(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_atan)
FLOAT_UNARY(atan, atan(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_sinh)
FLOAT_UNARY(sinh, sinh(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_cosh)
FLOAT_UNARY(cosh, cosh(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_asinh)
FLOAT_UNARY(asinh, asinh(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_acosh)
FLOAT_UNARY(acosh, acosh(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_atanh)
FLOAT_UNARY(atanh, atanh(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_mish)
FLOAT_UNARY(mish, octet_mish(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_softplus)
FLOAT_UNARY(softplus, octet_softplus(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_softsign)
FLOAT_UNARY(softsign, octet_softsign(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_selu)
FLOAT_UNARY2(selu, octet_selu(x, a, b))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_hard_sigmoid)
FLOAT_UNARY2(hard_sigmoid, octet_hard_sigmoid(x, a, b))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_isnan)
CLASSIFY(isnan, isnan(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_isinf)
CLASSIFY(isinf, isinf(x) && (x > 0.0f ? (flags & 2) : (flags & 1)))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_math_isfinite)
CLASSIFY(isfinite, isfinite(x))
#endif

#ifdef IT
// Integers: Abs and Negative wrap (the most negative value maps to itself), Sign gives -1/0/1
// (0/1 for unsigned types). Arithmetic in the unsigned type of the same width, free of overflow.
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_int_abs)
__kernel void int_abs(__global const IT* src, __global IT* dst) {
  int i = get_global_id(0);
  IT v = src[i];
#ifdef IT_SIGNED
  dst[i] = v < 0 ? (IT)((UT)0 - (UT)v) : v;
#else
  dst[i] = v;
#endif
}
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_int_negative)
__kernel void int_negative(__global const IT* src, __global IT* dst) {
  int i = get_global_id(0);
  dst[i] = (IT)((UT)0 - (UT)src[i]);
}
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_int_sign)
__kernel void int_sign(__global const IT* src, __global IT* dst) {
  int i = get_global_id(0);
  IT v = src[i];
#ifdef IT_SIGNED
  dst[i] = v > 0 ? (IT)1 : v < 0 ? (IT)-1 : (IT)0;
#else
  dst[i] = v != 0 ? (IT)1 : (IT)0;
#endif
}
#endif
#endif

#ifdef IFN
// Transcendental ops on integers (-DIFN=sin ... atanh, log; needs cl_khr_fp64), as the reference:
// the double result rounded half away from zero, saturated to the type's range [LO, HI] (doubles)
// as IT_MIN / IT_MAX, NaN -> 0.
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_int_transcendental)
__kernel void int_transcendental(__global const IT* src, __global IT* dst) {
  int i = get_global_id(0);
  double r = round(IFN((double)src[i]));
  dst[i] = isnan(r) ? (IT)0 : r <= LO ? IT_MIN : r >= HI ? IT_MAX : (IT)r;
}
#endif
#endif
