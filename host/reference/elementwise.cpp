// Reference evaluators for binary (numpy-broadcast) and unary elementwise ops (ir-spec.md 5, 6.2, 6.3).
#include <cmath>
#include <limits>
#include <string>

#include "host/reference/ref_ops.h"
#include "kernels/common/activations.h"

namespace octet {
namespace ref {
namespace {

// Integer element types the evaluators compute on: every byte-addressable integer type. Values are
// held in int64 (read_ints); u64 keeps its bit pattern there, so the ops that order or divide
// (Maximum, Minimum, Divide, Power's exponent, Clamp, Relu, PRelu) treat it as unsigned.
bool is_int_compute(ElementType type) {
  return is_integer(type) && element_bits(type) >= 8;
}

// `iop(a, b, u64)` gets the int64 values of one output element and whether they are u64 bit patterns;
// its result is wrapped to the element type (C++ arithmetic modulo 2^N, as OpenVINO's reference does).
template <typename FloatOp, typename IntOp>
Outputs binary(const Node& node, const Inputs& in, FloatOp fop, IntOp iop) {
  need_inputs(node, in, 2, 2);
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  if (a.type() != b.type())
    raise(ErrorCode::kModel, "{}: input types differ ({} and {})", node.describe(),
          element_type_name(a.type()), element_type_name(b.type()));
  const BinaryBroadcast shapes = binary_broadcast(node, a.shape(), b.shape());
  const Dims& shape = shapes.out;
  const auto ia = broadcast_index(shapes.a, shape);
  const auto ib = broadcast_index(shapes.b, shape);
  const size_t n = ia.size();
  if (is_compute_float(a.type())) {
    const auto va = read_floats(a), vb = read_floats(b);
    std::vector<float> r(n);
    for (size_t i = 0; i < n; ++i) r[i] = fop(va[ia[i]], vb[ib[i]]);
    return {make_float_tensor(a.type(), shape, r)};
  }
  if (is_int_compute(a.type())) {
    const bool u64 = a.type() == ElementType::kU64;
    const auto va = read_ints(a), vb = read_ints(b);
    std::vector<int64_t> r(n);
    for (size_t i = 0; i < n; ++i) r[i] = iop(va[ia[i]], vb[ib[i]], u64);
    return {make_int_tensor(a.type(), shape, r)};
  }
  unsupported_type(node, a.type());
}

// Wrapping int64 arithmetic (no UB on overflow); results are wrapped again to the output type.
int64_t wadd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
int64_t wsub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
int64_t wmul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}

// a^b by repeated squaring, wrapping like the other integer ops. A negative signed exponent gives
// 1/a^|b| truncated toward zero, as static_cast<T>(std::pow(a, b)) does in OpenVINO's reference: 0
// unless a is 1 or -1. 0 to a negative power (a division by zero) is undefined; octet gives 0.
int64_t ipow(int64_t base, int64_t exp, bool u64) {
  if (exp < 0 && !u64) return base == 1 ? 1 : base == -1 ? (exp % 2 ? -1 : 1) : 0;
  uint64_t e = static_cast<uint64_t>(exp);
  int64_t r = 1;
  while (e > 0) {
    if (e & 1) r = wmul(r, base);
    base = wmul(base, base);
    e >>= 1;
  }
  return r;
}

bool less(int64_t a, int64_t b, bool u64) {
  return u64 ? static_cast<uint64_t>(a) < static_cast<uint64_t>(b) : a < b;
}

template <typename FloatOp>
Outputs unary_float(const Node& node, const Inputs& in, FloatOp fop) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  auto v = read_floats(x);
  for (float& e : v) e = fop(e);
  return {make_float_tensor(x.type(), x.shape(), v)};
}

}  // namespace

Outputs eval_Add(const Node& node, const Inputs& in) {
  return binary(
      node, in, [](float a, float b) { return a + b; },
      [](int64_t a, int64_t b, bool) { return wadd(a, b); });
}
Outputs eval_Subtract(const Node& node, const Inputs& in) {
  return binary(
      node, in, [](float a, float b) { return a - b; },
      [](int64_t a, int64_t b, bool) { return wsub(a, b); });
}
Outputs eval_Multiply(const Node& node, const Inputs& in) {
  return binary(
      node, in, [](float a, float b) { return a * b; },
      [](int64_t a, int64_t b, bool) { return wmul(a, b); });
}

// Integer Divide (ir-spec.md 5): m_pythondiv true floors the quotient, false truncates it (the two
// differ only for signed operands of opposite signs with a remainder). The spec leaves division by
// zero undefined and OpenVINO's reference throws; octet raises naming the layer and the element.
Outputs eval_Divide(const Node& node, const Inputs& in) {
  const bool python = node.attr<DivideAttrs>().python_division;
  int64_t element = 0;
  return binary(
      node, in, [](float a, float b) { return a / b; },
      [&](int64_t a, int64_t b, bool u64) -> int64_t {
        if (b == 0)
          raise(ErrorCode::kInvalidArgument,
                "{}: integer division by zero at output element {} ({} / 0); Divide-1 leaves it undefined",
                node.describe(), element, u64 ? std::to_string(static_cast<uint64_t>(a)) : std::to_string(a));
        ++element;
        if (u64) return static_cast<int64_t>(static_cast<uint64_t>(a) / static_cast<uint64_t>(b));
        if (b == -1) return wsub(0, a);  // INT64_MIN / -1 wraps instead of trapping
        int64_t q = a / b;
        if (python && (a % b != 0) && ((a < 0) != (b < 0))) --q;  // floor, not truncation
        return q;
      });
}
Outputs eval_Maximum(const Node& node, const Inputs& in) {
  return binary(
      node, in, [](float a, float b) { return a > b ? a : b; },
      [](int64_t a, int64_t b, bool u64) { return less(b, a, u64) ? a : b; });
}
Outputs eval_Minimum(const Node& node, const Inputs& in) {
  return binary(
      node, in, [](float a, float b) { return a < b ? a : b; },
      [](int64_t a, int64_t b, bool u64) { return less(a, b, u64) ? a : b; });
}
Outputs eval_Power(const Node& node, const Inputs& in) {
  return binary(
      node, in, [](float a, float b) { return std::pow(a, b); }, ipow);
}
Outputs eval_SquaredDifference(const Node& node, const Inputs& in) {
  return binary(
      node, in,
      [](float a, float b) {
        const float d = a - b;
        return d * d;
      },
      // (a - b)^2 modulo 2^64 is the same for signed and unsigned readings of u64.
      [](int64_t a, int64_t b, bool) { return wmul(wsub(a, b), wsub(a, b)); });
}

// x for x >= 0, else slope * x; integer types (OpenVINO accepts them, the spec lists floats) multiply
// with wrapping, and unsigned data is never negative.
Outputs eval_PRelu(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const Tensor& slope = *in[1];
  const ElementType type = x.type();
  if (slope.type() != type || !(is_compute_float(type) || is_int_compute(type)))
    unsupported_type(node, slope.type());
  // A 1-D slope matching the channel dim (axis 1, or 0 for 1-D data) applies per channel.
  Dims slope_shape = slope.shape();
  const size_t channel_axis = x.shape().size() > 1 ? 1 : 0;
  if (slope_shape.size() == 1 && !x.shape().empty() && x.shape()[channel_axis] == slope_shape[0]) {
    slope_shape.assign(x.shape().size() - channel_axis, 1);
    slope_shape[0] = x.shape()[channel_axis];
  }
  const auto is = broadcast_index(slope_shape, x.shape());
  if (is_int_compute(type)) {
    const auto vx = read_ints(x), vs = read_ints(slope);
    std::vector<int64_t> r(vx.size());
    for (size_t i = 0; i < r.size(); ++i)
      r[i] = is_signed(type) && vx[i] < 0 ? wmul(vx[i], vs[is[i]]) : vx[i];
    return {make_int_tensor(type, x.shape(), r)};
  }
  const auto vx = read_floats(x), vs = read_floats(slope);
  std::vector<float> r(vx.size());
  for (size_t i = 0; i < r.size(); ++i) r[i] = vx[i] < 0.0f ? vx[i] * vs[is[i]] : vx[i];
  return {make_float_tensor(type, x.shape(), r)};
}

Outputs eval_Relu(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const ElementType type = in[0]->type();
  if (is_int_compute(type)) {
    auto v = read_ints(*in[0]);
    if (is_signed(type))
      for (auto& e : v) e = e > 0 ? e : 0;
    return {make_int_tensor(type, in[0]->shape(), v)};
  }
  return unary_float(node, in, [](float x) { return act::relu(x); });
}

namespace {

// A Clamp bound for an integer type (Clamp-1 spec: ceil for min, floor for max), saturated to the
// type's range as OpenVINO's double_to_int does; u64 bounds are returned as bit patterns.
int64_t integer_bound(double bound, ElementType type) {
  if (type == ElementType::kU64) {
    if (!(bound > 0)) return 0;
    if (bound >= 18446744073709551616.0) return -1;  // UINT64_MAX
    return static_cast<int64_t>(static_cast<uint64_t>(bound));
  }
  const int bits = element_bits(type);
  const double lo = is_signed(type) ? -std::ldexp(1.0, bits - 1) : 0.0;
  const double hi = is_signed(type) ? std::ldexp(1.0, bits - 1) - 1 : std::ldexp(1.0, bits) - 1;
  if (std::isnan(bound)) return 0;
  if (bound <= lo)
    return is_signed(type) && bits == 64 ? std::numeric_limits<int64_t>::min() : static_cast<int64_t>(lo);
  if (bound >= hi) return bits == 64 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(hi);
  return static_cast<int64_t>(bound);
}

}  // namespace

// Clamp-1: min(max(x, min), max), the spec's formula. For integers the bounds are ceil(min) and
// floor(max); when that empties the range (min 0.2, max 0.8 -> [1, 0]) the formula gives max
// everywhere (OpenVINO's reference, which tests x < min first, would give min for small x; its CPU
// plugin follows the formula).
Outputs eval_Clamp(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const double lo = node.attr<ClampAttrs>().min, hi = node.attr<ClampAttrs>().max;
  const ElementType type = in[0]->type();
  if (is_int_compute(type)) {
    const bool u64 = type == ElementType::kU64;
    const int64_t ilo = integer_bound(std::ceil(lo), type), ihi = integer_bound(std::floor(hi), type);
    auto v = read_ints(*in[0]);
    for (auto& e : v) {
      const int64_t raised = less(e, ilo, u64) ? ilo : e;
      e = less(ihi, raised, u64) ? ihi : raised;
    }
    return {make_int_tensor(type, in[0]->shape(), v)};
  }
  const float flo = static_cast<float>(lo), fhi = static_cast<float>(hi);
  return unary_float(node, in, [=](float x) { return act::clamp(x, flo, fhi); });
}

// The activations of kernels/common/activations.h; transcendentals are evaluated in double and
// rounded once (see evaluate.h), the piecewise-linear ones in float.
Outputs eval_Sigmoid(const Node& node, const Inputs& in) {
  return unary_float(node, in, [](float x) { return static_cast<float>(act::sigmoid<double>(x)); });
}
Outputs eval_Tanh(const Node& node, const Inputs& in) {
  return unary_float(node, in, [](float x) { return static_cast<float>(std::tanh(static_cast<double>(x))); });
}
Outputs eval_Exp(const Node& node, const Inputs& in) {
  return unary_float(node, in, [](float x) { return static_cast<float>(std::exp(static_cast<double>(x))); });
}
// Sqrt-1 on integers: the square root rounded half up (exact: isqrt r, plus 1 when n - r^2 > r, since
// sqrt(n) >= r + 1/2 exactly when n >= r^2 + r + 1/4). A negative input is undefined by the spec;
// octet raises naming the layer rather than return an arbitrary value.
Outputs eval_Sqrt(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const ElementType type = in[0]->type();
  if (is_int_compute(type)) {
    auto v = read_ints(*in[0]);
    for (size_t i = 0; i < v.size(); ++i) {
      if (is_signed(type) && v[i] < 0)
        raise(ErrorCode::kInvalidArgument,
              "{}: integer Sqrt of the negative value {} at element {} is undefined", node.describe(), v[i],
              i);
      const uint64_t n = static_cast<uint64_t>(v[i]);
      uint64_t r = static_cast<uint64_t>(std::sqrt(static_cast<double>(n)));
      while (r > 0 && (r > 0xffffffffu || r * r > n)) --r;  // fix the double estimate both ways
      while (r < 0xffffffffu && (r + 1) * (r + 1) <= n) ++r;
      v[i] = static_cast<int64_t>(n - r * r > r ? r + 1 : r);
    }
    return {make_int_tensor(type, in[0]->shape(), v)};
  }
  return unary_float(node, in, [](float x) { return std::sqrt(x); });  // correctly rounded in f32
}

// Erf-1 on integers: erf(x) rounded to the nearest integer (OpenVINO's reference: std::round), i.e.
// the sign of x.
Outputs eval_Erf(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const ElementType type = in[0]->type();
  if (is_int_compute(type)) {
    auto v = read_ints(*in[0]);
    for (auto& e : v) {
      const double x =
          type == ElementType::kU64 ? static_cast<double>(static_cast<uint64_t>(e)) : static_cast<double>(e);
      e = static_cast<int64_t>(std::round(std::erf(x)));
    }
    return {make_int_tensor(type, in[0]->shape(), v)};
  }
  return unary_float(node, in, [](float x) { return static_cast<float>(std::erf(static_cast<double>(x))); });
}

Outputs eval_Swish(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 2);
  double beta = 1.0;
  if (in.size() == 2) {
    if (in[1]->element_count() != 1) raise(ErrorCode::kModel, "{}: beta must be a scalar", node.describe());
    beta = in[1]->get_as_double(0);
  }
  return unary_float(node, {in[0]}, [=](float x) { return static_cast<float>(act::swish<double>(x, beta)); });
}

Outputs eval_HSwish(const Node& node, const Inputs& in) {
  return unary_float(node, in, [](float x) { return act::hswish(x); });
}
Outputs eval_HSigmoid(const Node& node, const Inputs& in) {
  return unary_float(node, in, [](float x) { return act::hsigmoid(x); });
}

Outputs eval_Gelu(const Node& node, const Inputs& in) {
  if (node.attr<GeluAttrs>().approximation == GeluApproximation::kTanh)
    return unary_float(node, in, [](float x) { return static_cast<float>(act::gelu_tanh<double>(x)); });
  return unary_float(node, in, [](float x) { return static_cast<float>(act::gelu_erf<double>(x)); });
}

Outputs eval_Elu(const Node& node, const Inputs& in) {
  const double alpha = node.attr<EluAttrs>().alpha;
  return unary_float(node, in, [=](float x) { return static_cast<float>(act::elu<double>(x, alpha)); });
}

}  // namespace ref
}  // namespace octet
