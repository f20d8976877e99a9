// Reference evaluators for the unary elementwise math ops of issue 11 (Abs ... Atanh, Mish, SoftPlus,
// SoftSign, Selu, HardSigmoid) and ConvertLike, per the OpenVINO op specifications.
//
// Floats: evaluated in double from the element's value and rounded once to the type (evaluate.h).
// Integers (the spec allows any numeric type for Abs ... Atanh): exact integer results for Abs,
// Negative, Sign, Floor, Ceiling and Round, wrapped to the type (Abs/Negative of the most negative
// value wrap to itself); the transcendental ones take the double result rounded half away from zero
// (OpenVINO's reference, std::round), saturated to the type's range, NaN -> 0 (the spec does not say;
// OpenVINO's CPU plugin computes in f32 and converts, so it agrees wherever the result is in range).
#include <cmath>
#include <limits>

#include "host/graph/op_attrs.h"
#include "host/reference/logic_values.h"

namespace octet {
namespace ref {
namespace {

double int_value(int64_t v, ElementType t) {
  return t == ElementType::kU64 ? static_cast<double>(static_cast<uint64_t>(v)) : static_cast<double>(v);
}

// A double (already integral) saturated to an integer type's range; NaN -> 0. u64 comes back as its
// bit pattern in int64 (make_int_tensor stores the low 64 bits).
int64_t saturate_to(ElementType t, double r) {
  if (std::isnan(r)) return 0;
  if (t == ElementType::kU64) {
    if (r <= 0) return 0;
    if (r >= 18446744073709551615.0) return static_cast<int64_t>(std::numeric_limits<uint64_t>::max());
    return static_cast<int64_t>(static_cast<uint64_t>(r));
  }
  const int bits = element_bits(t);
  const double lo = is_signed(t) ? -std::ldexp(1.0, bits - 1) : 0.0;
  const double hi = is_signed(t) ? std::ldexp(1.0, bits - 1) - 1 : std::ldexp(1.0, bits) - 1;
  if (r <= lo)
    return is_signed(t) && bits == 64 ? std::numeric_limits<int64_t>::min() : static_cast<int64_t>(lo);
  if (r >= hi)
    return is_signed(t) && bits == 64 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(hi);
  return static_cast<int64_t>(r);
}

// y = ffn(x) for floats, ifn(x, type) for integers (int64 in, int64 out, wrapped to the type).
template <class FloatFn, class IntFn>
Outputs unary(const Node& node, const Inputs& in, FloatFn ffn, IntFn ifn) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  const ElementType t = x.type();
  if (is_float(t)) {
    auto v = read_doubles(x);
    for (double& e : v) e = ffn(e);
    return {make_from_doubles(t, x.shape(), v)};
  }
  if (is_integer(t)) {
    auto v = read_ints(x);
    for (int64_t& e : v) e = ifn(e, t);
    return {make_int_tensor(t, x.shape(), v)};
  }
  unsupported_type(node, t);
}

// A transcendental function: floats round once; integers per the file comment.
template <class Fn>
Outputs transcendental(const Node& node, const Inputs& in, Fn fn) {
  return unary(node, in, fn,
               [&](int64_t v, ElementType t) { return saturate_to(t, std::round(fn(int_value(v, t)))); });
}

template <class Fn>
Outputs float_only(const Node& node, const Inputs& in, Fn fn) {
  need_inputs(node, in, 1, 1);
  if (!is_float(in[0]->type())) unsupported_type(node, in[0]->type());
  return unary(node, in, fn, [](int64_t v, ElementType) { return v; });
}

int64_t identity(int64_t v, ElementType) {
  return v;
}

// -v in two's complement (no UB for INT64_MIN); make_int_tensor wraps it to the type.
int64_t negate(int64_t v) {
  return static_cast<int64_t>(0 - static_cast<uint64_t>(v));
}

double softplus(double x) {
  // The spec's linear region (x >= threshold, 20 for f32) agrees with log1p(e^x) once rounded to
  // f32/f16; it also keeps e^x from overflowing.
  return x >= 20.0 ? x : std::log1p(std::exp(x));
}

// Round half to even without depending on the floating-point environment.
double round_half_even(double x) {
  const double f = std::floor(x);
  const double d = x - f;  // exact: x and f are within one unit
  const double r = d < 0.5 ? f : d > 0.5 ? f + 1.0 : std::fmod(f, 2.0) == 0.0 ? f : f + 1.0;
  return r == 0.0 ? std::copysign(0.0, x) : r;  // -0.5 rounds to -0, as IEEE rounding does
}

// The single value of input i (Selu's alpha/lambda, HardSigmoid's alpha/beta).
double scalar_input(const Node& node, const Inputs& in, size_t i, const char* what) {
  if (in[i]->element_count() != 1 || in[i]->type() != in[0]->type())
    raise(ErrorCode::kModel, "{}: input {} ({}) must hold one {} value, has {} {}", node.describe(), i, what,
          element_type_name(in[0]->type()), element_type_name(in[i]->type()), to_string(in[i]->shape()));
  return in[i]->get_as_double(0);
}

}  // namespace

Outputs eval_Abs(const Node& node, const Inputs& in) {
  return unary(
      node, in, [](double x) { return std::fabs(x); },
      [](int64_t v, ElementType t) { return is_signed(t) && v < 0 ? negate(v) : v; });
}

Outputs eval_Negative(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  if (!is_signed(in[0]->type())) unsupported_type(node, in[0]->type());  // spec: signed types only
  return unary(
      node, in, [](double x) { return -x; }, [](int64_t v, ElementType) { return negate(v); });
}

// -1, 0 or 1 (NaN stays NaN, per the spec; both zeros give +0).
Outputs eval_Sign(const Node& node, const Inputs& in) {
  return unary(
      node, in, [](double x) { return std::isnan(x) ? x
                                      : x > 0       ? 1.0
                                      : x < 0       ? -1.0
                                                    : 0.0; },
      [](int64_t v, ElementType t) -> int64_t {
        if (!is_signed(t)) return v != 0;
        return v > 0 ? 1 : v < 0 ? -1 : 0;
      });
}

Outputs eval_Floor(const Node& node, const Inputs& in) {
  return unary(
      node, in, [](double x) { return std::floor(x); }, identity);
}
Outputs eval_Ceiling(const Node& node, const Inputs& in) {
  return unary(
      node, in, [](double x) { return std::ceil(x); }, identity);
}

Outputs eval_Round(const Node& node, const Inputs& in) {
  if (node.attr<RoundAttrs>().mode == RoundMode::kHalfAwayFromZero)
    return unary(
        node, in, [](double x) { return std::round(x); }, identity);
  return unary(node, in, round_half_even, identity);
}

Outputs eval_Log(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::log(x); });
}
Outputs eval_Sin(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::sin(x); });
}
Outputs eval_Cos(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::cos(x); });
}
Outputs eval_Tan(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::tan(x); });
}
Outputs eval_Asin(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::asin(x); });
}
Outputs eval_Acos(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::acos(x); });
}
Outputs eval_Atan(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::atan(x); });
}
Outputs eval_Sinh(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::sinh(x); });
}
Outputs eval_Cosh(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::cosh(x); });
}
Outputs eval_Asinh(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::asinh(x); });
}
Outputs eval_Acosh(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::acosh(x); });
}
Outputs eval_Atanh(const Node& node, const Inputs& in) {
  return transcendental(node, in, [](double x) { return std::atanh(x); });
}

Outputs eval_Mish(const Node& node, const Inputs& in) {
  return float_only(node, in, [](double x) { return x * std::tanh(softplus(x)); });
}
Outputs eval_SoftPlus(const Node& node, const Inputs& in) {
  return float_only(node, in, softplus);
}
Outputs eval_SoftSign(const Node& node, const Inputs& in) {
  return float_only(node, in, [](double x) { return x / (1.0 + std::fabs(x)); });
}

// lambda * (x > 0 ? x : alpha * (e^x - 1)).
Outputs eval_Selu(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const double alpha = scalar_input(node, in, 1, "alpha");
  const double lambda = scalar_input(node, in, 2, "lambda");
  return float_only(node, {in[0]}, [=](double x) { return lambda * (x > 0 ? x : alpha * std::expm1(x)); });
}

// max(0, min(1, alpha * x + beta)).
Outputs eval_HardSigmoid(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const double alpha = scalar_input(node, in, 1, "alpha");
  const double beta = scalar_input(node, in, 2, "beta");
  return float_only(node, {in[0]}, [=](double x) { return std::max(0.0, std::min(1.0, alpha * x + beta)); });
}

// Convert to the element type of input 1: exactly Convert-1 with that destination_type, so it runs
// Convert's evaluator on a stand-in Convert node.
Outputs eval_ConvertLike(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  Node convert;
  convert.op = OpKind::kConvert;
  convert.version = 1;
  convert.name = node.name;
  convert.ir_id = node.ir_id;
  convert.attrs.set("destination_type", element_type_name(in[1]->type()));
  convert.parse_attributes();
  return eval_Convert(convert, {in[0]});
}

}  // namespace ref
}  // namespace octet
