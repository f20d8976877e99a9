// Elementwise float kernels: unary activations, binary ops (flat and numpy-broadcast) and
// spec-exact FakeQuantize. Arithmetic is float; contraction off so results match the reference.
#pragma OPENCL FP_CONTRACT OFF
#include "common/types.clh"
#include "common/index.clh"

#define UNARY(name, expr)                                                                         \
  __kernel void unary_##name(__global const T* src, __global T* dst, float p0, float p1) {        \
    int i = get_global_id(0);                                                                     \
    float x = src[i];                                                                             \
    dst[i] = (T)(expr);                                                                           \
  }

UNARY(relu, x > 0.0f ? x : 0.0f)
UNARY(clamp, fmin(fmax(x, p0), p1))
UNARY(sigmoid, 1.0f / (1.0f + exp(-x)))
UNARY(tanh, tanh(x))
UNARY(swish, x / (1.0f + exp(-p0 * x)))
UNARY(hswish, x * fmin(fmax(x + 3.0f, 0.0f), 6.0f) / 6.0f)
UNARY(hsigmoid, fmin(fmax(x + 3.0f, 0.0f), 6.0f) / 6.0f)
UNARY(gelu_erf, 0.5f * x * (1.0f + erf(x * 0.70710678118654752f)))
UNARY(gelu_tanh, 0.5f * x * (1.0f + tanh(0.79788456080286536f * (x + 0.044715f * x * x * x))))
UNARY(elu, x > 0.0f ? x : p0 * (exp(x) - 1.0f))
UNARY(exp, exp(x))
UNARY(sqrt, sqrt(x))
UNARY(erf, erf(x))

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

BINARY(add, a + b)
BINARY(subtract, a - b)
BINARY(multiply, a * b)
BINARY(divide, a / b)
BINARY(maximum, fmax(a, b))
BINARY(minimum, fmin(a, b))
BINARY(power, pow(a, b))
BINARY(squared_difference, (a - b) * (a - b))
BINARY(prelu, a >= 0.0f ? a : a * b)

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
