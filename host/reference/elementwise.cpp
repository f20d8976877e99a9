// Reference evaluators for binary (numpy-broadcast) and unary elementwise ops (ir-spec.md 5, 6.2, 6.3).
#include <cmath>

#include "host/reference/ref_ops.h"
#include "kernels/common/activations.h"

namespace octet {
namespace ref {
namespace {

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
  if (is_integer(a.type()) && element_bits(a.type()) >= 8) {
    const auto va = read_ints(a), vb = read_ints(b);
    std::vector<int64_t> r(n);
    for (size_t i = 0; i < n; ++i) r[i] = iop(va[ia[i]], vb[ib[i]]);
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

int64_t ipow(int64_t base, int64_t exp) {
  if (exp < 0) return base == 1 ? 1 : base == -1 ? (exp % 2 ? -1 : 1) : 0;
  int64_t r = 1;
  while (exp > 0) {
    if (exp & 1) r = wmul(r, base);
    base = wmul(base, base);
    exp >>= 1;
  }
  return r;
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
      node, in, [](float a, float b) { return a + b; }, wadd);
}
Outputs eval_Subtract(const Node& node, const Inputs& in) {
  return binary(
      node, in, [](float a, float b) { return a - b; }, wsub);
}
Outputs eval_Multiply(const Node& node, const Inputs& in) {
  return binary(
      node, in, [](float a, float b) { return a * b; }, wmul);
}
Outputs eval_Divide(const Node& node, const Inputs& in) {
  const bool python = node.attr<DivideAttrs>().python_division;
  return binary(
      node, in, [](float a, float b) { return a / b; },
      [&](int64_t a, int64_t b) -> int64_t {
        if (b == 0) raise(ErrorCode::kInvalidArgument, "{}: integer division by zero", node.describe());
        if (b == -1) return wsub(0, a);  // INT64_MIN / -1 wraps instead of trapping
        int64_t q = a / b;
        if (python && (a % b != 0) && ((a < 0) != (b < 0))) --q;  // floor, not truncation
        return q;
      });
}
Outputs eval_Maximum(const Node& node, const Inputs& in) {
  return binary(
      node, in, [](float a, float b) { return a > b ? a : b; },
      [](int64_t a, int64_t b) { return a > b ? a : b; });
}
Outputs eval_Minimum(const Node& node, const Inputs& in) {
  return binary(
      node, in, [](float a, float b) { return a < b ? a : b; },
      [](int64_t a, int64_t b) { return a < b ? a : b; });
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
      [](int64_t a, int64_t b) { return wmul(wsub(a, b), wsub(a, b)); });
}

Outputs eval_PRelu(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const Tensor& slope = *in[1];
  if (!is_compute_float(x.type()) || slope.type() != x.type()) unsupported_type(node, slope.type());
  // A 1-D slope matching the channel dim (axis 1, or 0 for 1-D data) applies per channel.
  Dims slope_shape = slope.shape();
  const size_t channel_axis = x.shape().size() > 1 ? 1 : 0;
  if (slope_shape.size() == 1 && !x.shape().empty() && x.shape()[channel_axis] == slope_shape[0]) {
    slope_shape.assign(x.shape().size() - channel_axis, 1);
    slope_shape[0] = x.shape()[channel_axis];
  }
  const auto is = broadcast_index(slope_shape, x.shape());
  const auto vx = read_floats(x), vs = read_floats(slope);
  std::vector<float> r(vx.size());
  for (size_t i = 0; i < r.size(); ++i) r[i] = vx[i] < 0.0f ? vx[i] * vs[is[i]] : vx[i];
  return {make_float_tensor(x.type(), x.shape(), r)};
}

Outputs eval_Relu(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  if (is_integer(in[0]->type()) && element_bits(in[0]->type()) >= 8) {
    auto v = read_ints(*in[0]);
    for (auto& e : v) e = e > 0 ? e : 0;
    return {make_int_tensor(in[0]->type(), in[0]->shape(), v)};
  }
  return unary_float(node, in, [](float x) { return act::relu(x); });
}

Outputs eval_Clamp(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const double lo = node.attr<ClampAttrs>().min, hi = node.attr<ClampAttrs>().max;
  if (is_integer(in[0]->type()) && element_bits(in[0]->type()) >= 8) {
    const auto ilo = static_cast<int64_t>(std::ceil(lo)), ihi = static_cast<int64_t>(std::floor(hi));
    auto v = read_ints(*in[0]);
    for (auto& e : v) e = e < ilo ? ilo : e > ihi ? ihi : e;
    return {make_int_tensor(in[0]->type(), in[0]->shape(), v)};
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
Outputs eval_Sqrt(const Node& node, const Inputs& in) {
  return unary_float(node, in, [](float x) { return std::sqrt(x); });  // correctly rounded in f32
}
Outputs eval_Erf(const Node& node, const Inputs& in) {
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
