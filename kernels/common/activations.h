// Activation formulas and post-op codes, written once for C++ and OpenCL C: the reference, the CPU
// kernels' epilogues and the OpenCL kernels all compute an activation from these lines, and the
// codes the host passes to the quantized kernels are the ones the kernels switch on.
//
// C++ ("kernels/common/activations.h"): enum class octet::PostOpCode, and in octet::act each
// formula as a template over the real type R: float, or double (the reference computes
// transcendentals in double and rounds once).
//
//   float y = static_cast<float>(act::activation<double>(code, alpha, beta, x));
//
// OpenCL C ("common/activations.h", expanded by the program cache like every include): the codes
// as enum constants OCTET_POST_<NAME>, each formula as octet_<name>() over OCTET_ACT_REAL (float
// unless the kernel defines it before the include, e.g. double for exact post-ops), and the
// dispatcher octet_activation().
//
// Relu and Clamp are also the expressions OCTET_RELU / OCTET_CLAMP, valid for vector types in both
// languages: the vectorised epilogues use those (a GCC vector passed by value to a function would
// change ABI between the target clones that call it).
//
// Parameters: Clamp (a = min, b = max), Swish (b = beta), Elu (a = alpha); the others take none.
// min/max are spelled as std::min/std::max do (`b < a ? b : a`): a NaN input stays NaN, as in the
// reference.
#ifndef OCTET_KERNELS_COMMON_ACTIVATIONS_H
#define OCTET_KERNELS_COMMON_ACTIVATIONS_H

// X(Name, NAME, code, formula of x, a, b): every activation a post-op can be. The codes are part
// of the kernels' interface (build options and arguments); 0 ends a post-op list and 20 is the
// residual add (OCTET_POST_OP_CODES).
#define OCTET_ACTIVATIONS(X)                         \
  X(Relu, RELU, 1, OCTET_ACT(relu)(x))               \
  X(Clamp, CLAMP, 2, OCTET_ACT(clamp)(x, a, b))      \
  X(Sigmoid, SIGMOID, 3, OCTET_ACT(sigmoid)(x))      \
  X(Tanh, TANH, 4, tanh(x))                          \
  X(Swish, SWISH, 5, OCTET_ACT(swish)(x, b))         \
  X(HSwish, HSWISH, 6, OCTET_ACT(hswish)(x))         \
  X(HSigmoid, HSIGMOID, 7, OCTET_ACT(hsigmoid)(x))   \
  X(GeluErf, GELU_ERF, 8, OCTET_ACT(gelu_erf)(x))    \
  X(GeluTanh, GELU_TANH, 9, OCTET_ACT(gelu_tanh)(x)) \
  X(Elu, ELU, 10, OCTET_ACT(elu)(x, a))              \
  X(Exp, EXP, 11, exp(x))

// The other post-op codes: X(Name, NAME, code).
#define OCTET_POST_OP_CODES(X) X(End, END, 0) X(ResidualAdd, RESIDUAL_ADD, 20)

// Relu (x > 0 ? x : 0, `zero` being 0 of x's type) and Clamp (min(max(x, lo), hi), lo <= hi) on
// any scalar or vector type; the arguments are evaluated more than once.
#define OCTET_RELU(x, zero) ((x) > (zero) ? (x) : (zero))
#define OCTET_CLAMP(x, lo, hi) ((hi) < ((x) < (lo) ? (lo) : (x)) ? (hi) : ((x) < (lo) ? (lo) : (x)))

#define OCTET_ACT_CASE(Name, NAME, code, formula) \
  case code:                                      \
    return formula;

#if defined(__OPENCL_C_VERSION__) || defined(__OPENCL_VERSION__)
#define OCTET_ACT_OPENCL 1
#endif

#ifdef OCTET_ACT_OPENCL

#ifndef OCTET_ACT_REAL
#define OCTET_ACT_REAL float
#endif
#define OCTET_R OCTET_ACT_REAL
#define OCTET_ACT_ZERO ((OCTET_R)0)
#define OCTET_ACT(name) octet_##name
#define OCTET_ACT_FN(name) inline OCTET_R octet_##name

#define OCTET_ACT_CONSTANT(Name, NAME, code, formula) OCTET_POST_##NAME = code,
#define OCTET_POST_CONSTANT(Name, NAME, code) OCTET_POST_##NAME = code,
enum { OCTET_ACTIVATIONS(OCTET_ACT_CONSTANT) OCTET_POST_OP_CODES(OCTET_POST_CONSTANT) };
#undef OCTET_ACT_CONSTANT
#undef OCTET_POST_CONSTANT

#else  // C++

#include <cmath>

namespace octet {

#define OCTET_ACT_ENUMERATOR(Name, NAME, code, formula) k##Name = code,
#define OCTET_POST_ENUMERATOR(Name, NAME, code) k##Name = code,
enum class PostOpCode : int {
  OCTET_ACTIVATIONS(OCTET_ACT_ENUMERATOR)  // kRelu = 1, ...
  OCTET_POST_OP_CODES(OCTET_POST_ENUMERATOR)
};
#undef OCTET_ACT_ENUMERATOR
#undef OCTET_POST_ENUMERATOR

// "Relu", "GeluErf", ... for messages; nullptr for a value that is no code.
inline const char* post_op_code_name(PostOpCode code) {
  // (clang-format would take `#Name;` for a directive.)
  // clang-format off
#define OCTET_ACT_NAME(Name, NAME, code, formula) \
  case PostOpCode::k##Name:                       \
    return #Name;
#define OCTET_POST_NAME(Name, NAME, code) \
  case PostOpCode::k##Name:               \
    return #Name;
  // clang-format on
  switch (code) {
    OCTET_ACTIVATIONS(OCTET_ACT_NAME)
    OCTET_POST_OP_CODES(OCTET_POST_NAME)
  }
#undef OCTET_ACT_NAME
#undef OCTET_POST_NAME
  return nullptr;
}

// Whether `code` is one of OCTET_ACTIVATIONS.
inline bool is_activation(PostOpCode code) {
  return code != PostOpCode::kEnd && code != PostOpCode::kResidualAdd && post_op_code_name(code);
}

namespace act {

using std::erf;
using std::exp;
using std::expm1;
using std::fabs;
using std::log1p;
using std::sqrt;
using std::tanh;

#define OCTET_R R
#define OCTET_ACT_ZERO (R{})
#define OCTET_ACT(name) name
#define OCTET_ACT_FN(name) \
  template <class R>       \
  inline R name

#endif

// ---- The formulas (the same text for both languages from here on) ----

#define OCTET_ACT_MIN(p, q) ((q) < (p) ? (q) : (p))
#define OCTET_ACT_MAX(p, q) ((p) < (q) ? (q) : (p))

OCTET_ACT_FN(relu)(OCTET_R x) {
  return OCTET_RELU(x, OCTET_ACT_ZERO);
}

OCTET_ACT_FN(clamp)(OCTET_R x, OCTET_R lo, OCTET_R hi) {
  return OCTET_CLAMP(x, lo, hi);
}

OCTET_ACT_FN(sigmoid)(OCTET_R x) {
  return (OCTET_R)1 / ((OCTET_R)1 + exp(-x));
}

OCTET_ACT_FN(swish)(OCTET_R x, OCTET_R beta) {
  return x / ((OCTET_R)1 + exp(-x * beta));
}

OCTET_ACT_FN(hsigmoid)(OCTET_R x) {
  return OCTET_ACT_MIN(OCTET_ACT_MAX(x + (OCTET_R)3, (OCTET_R)0), (OCTET_R)6) / (OCTET_R)6;
}

OCTET_ACT_FN(hswish)(OCTET_R x) {
  return x * OCTET_ACT_MIN(OCTET_ACT_MAX(x + (OCTET_R)3, (OCTET_R)0), (OCTET_R)6) / (OCTET_R)6;
}

OCTET_ACT_FN(gelu_erf)(OCTET_R x) {
  return (OCTET_R)0.5 * x * ((OCTET_R)1 + erf(x / sqrt((OCTET_R)2)));
}

OCTET_ACT_FN(gelu_tanh)(OCTET_R x) {
  return (OCTET_R)0.5 * x *
         ((OCTET_R)1 +
          tanh(sqrt((OCTET_R)2 / (OCTET_R)3.14159265358979323846) * (x + (OCTET_R)0.044715 * x * x * x)));
}

OCTET_ACT_FN(elu)(OCTET_R x, OCTET_R alpha) {
  return x > OCTET_ACT_ZERO ? x : alpha * (exp(x) - (OCTET_R)1);
}

// ---- Further elementwise formulas (issue 11's unary ops). They are no post-op codes: the OpenCL
// unary kernels call them by name, and the reference can (act::mish<double>(x), ...). ----

// SoftPlus-4: the spec's linear region from 20 on (log1p(e^x) there equals x once rounded to f32
// or f16, and e^x cannot overflow).
OCTET_ACT_FN(softplus)(OCTET_R x) {
  return x >= (OCTET_R)20 ? x : log1p(exp(x));
}

// Mish-4: x * tanh(softplus(x)).
OCTET_ACT_FN(mish)(OCTET_R x) {
  return x * tanh(OCTET_ACT(softplus)(x));
}

// SoftSign-9: x / (1 + |x|).
OCTET_ACT_FN(softsign)(OCTET_R x) {
  return x / ((OCTET_R)1 + fabs(x));
}

// Selu-1: lambda * (x > 0 ? x : alpha * (e^x - 1)).
OCTET_ACT_FN(selu)(OCTET_R x, OCTET_R alpha, OCTET_R lambda) {
  return lambda * (x > OCTET_ACT_ZERO ? x : alpha * expm1(x));
}

// HardSigmoid-1: max(0, min(1, alpha * x + beta)), min/max as std::min/std::max.
OCTET_ACT_FN(hard_sigmoid)(OCTET_R x, OCTET_R alpha, OCTET_R beta) {
  return OCTET_ACT_MAX((OCTET_R)0, OCTET_ACT_MIN((OCTET_R)1, alpha * x + beta));
}

// The activation with code `code` (an OCTET_ACTIVATIONS code) and parameters a, b; any other code
// returns x unchanged.
OCTET_ACT_FN(activation)(int code, OCTET_R a, OCTET_R b, OCTET_R x) {
  switch (code) { OCTET_ACTIVATIONS(OCTET_ACT_CASE) }
  return x;
}

#undef OCTET_ACT_CASE
#undef OCTET_ACT_MIN
#undef OCTET_ACT_MAX
#undef OCTET_ACT_FN
#undef OCTET_ACT
#undef OCTET_ACT_ZERO
#undef OCTET_R

#ifndef OCTET_ACT_OPENCL
}  // namespace act
}  // namespace octet
#endif

#endif  // OCTET_KERNELS_COMMON_ACTIVATIONS_H
