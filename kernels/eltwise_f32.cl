// Elementwise float kernels: unary activations (the formulas of common/activations.h, in float),
// binary ops (flat and numpy-broadcast) and spec-exact FakeQuantize. Arithmetic is float;
// contraction off so results match the reference.
#pragma OPENCL FP_CONTRACT OFF
// Selective build: the host defines OCTET_SELECTIVE and OCTET_SELECT_<kernel>, so a program holds
// only the kernel it serves (PoCL compiles every kernel of a program when its binary is read).
#include "common/types.clh"
#include "common/index.clh"
#include "common/activations.h"

#define UNARY(name, expr)                                                                         \
  __kernel void unary_##name(__global const T* src, __global T* dst, float p0, float p1) {        \
    int i = get_global_id(0);                                                                     \
    float x = src[i];                                                                             \
    dst[i] = (T)(expr);                                                                           \
  }

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_relu)
UNARY(relu, octet_relu(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_clamp)
UNARY(clamp, octet_clamp(x, p0, p1))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_sigmoid)
UNARY(sigmoid, octet_sigmoid(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_tanh)
UNARY(tanh, tanh(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_swish)
UNARY(swish, octet_swish(x, p0))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_hswish)
UNARY(hswish, octet_hswish(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_hsigmoid)
UNARY(hsigmoid, octet_hsigmoid(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_gelu_erf)
UNARY(gelu_erf, octet_gelu_erf(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_gelu_tanh)
UNARY(gelu_tanh, octet_gelu_tanh(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_elu)
UNARY(elu, octet_elu(x, p0))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_exp)
UNARY(exp, exp(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_sqrt)
UNARY(sqrt, sqrt(x))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_unary_erf)
UNARY(erf, erf(x))
#endif

#define BINARY(name, expr)                                                                        \
  __kernel void binary_##name##_flat(__global const T* a_, __global const T* b_, __global T* dst) { \
    int i = get_global_id(0);                                                                     \
    float a = a_[i], b = b_[i];                                                                   \
    dst[i] = (T)(expr);                                                                           \
  }                                                                                               \
  __kernel void binary_##name##_bcast(__global const T* a_, __global const T* b_, __global T* dst, \
                                      int8 dims, int8 sa, int8 sb) {                              \
    int x = get_global_id(0), i = get_global_id(1);                                               \
    OCTET_COORDS8(c, i, x, dims)                                                                  \
    float a = a_[octet_offset8(c, sa)], b = b_[octet_offset8(c, sb)];                             \
    dst[i * dims.s7 + x] = (T)(expr);                                                             \
  }

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_binary_add_flat) || defined(OCTET_SELECT_binary_add_bcast)
BINARY(add, a + b)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_binary_subtract_flat) || defined(OCTET_SELECT_binary_subtract_bcast)
BINARY(subtract, a - b)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_binary_multiply_flat) || defined(OCTET_SELECT_binary_multiply_bcast)
BINARY(multiply, a * b)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_binary_divide_flat) || defined(OCTET_SELECT_binary_divide_bcast)
BINARY(divide, a / b)
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_binary_maximum_flat) || defined(OCTET_SELECT_binary_maximum_bcast)
BINARY(maximum, fmax(a, b))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_binary_minimum_flat) || defined(OCTET_SELECT_binary_minimum_bcast)
BINARY(minimum, fmin(a, b))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_binary_power_flat) || defined(OCTET_SELECT_binary_power_bcast)
BINARY(power, pow(a, b))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_binary_squared_difference_flat) || defined(OCTET_SELECT_binary_squared_difference_bcast)
BINARY(squared_difference, (a - b) * (a - b))
#endif
#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_binary_prelu_flat) || defined(OCTET_SELECT_binary_prelu_bcast)
BINARY(prelu, a >= 0.0f ? a : a * b)
#endif

#if !defined(OCTET_SELECTIVE) || defined(OCTET_SELECT_fake_quantize)
// FakeQuantize-1 exactly as ir-spec.md 2: each range broadcast independently (own strides).
__kernel void fake_quantize(__global const T* x_, __global const T* il_, __global const T* ih_,
                            __global const T* ol_, __global const T* oh_, __global T* dst, int8 dims,
                            int8 s_il, int8 s_ih, int8 s_ol, int8 s_oh, float levels) {
  int xi = get_global_id(0), i = get_global_id(1);
  OCTET_COORDS8(c, i, xi, dims)
  int flat = i * dims.s7 + xi;
  float x = x_[flat];
  float il = il_[octet_offset8(c, s_il)], ih = ih_[octet_offset8(c, s_ih)];
  float ol = ol_[octet_offset8(c, s_ol)], oh = oh_[octet_offset8(c, s_oh)];
  float y;
  if (x <= fmin(il, ih)) {
    y = ol;
  } else if (x > fmax(il, ih)) {
    y = oh;
  } else {
    float q = rint((x - il) / (ih - il) * (levels - 1.0f));
    y = q / (levels - 1.0f) * (oh - ol) + ol;
  }
  dst[flat] = (T)y;
}
#endif
