// Reference ReduceProd/Min-1, ReduceL1/L2-4, ReduceLogicalAnd/Or-1, CumSum-3 and LogSoftmax-5
// (ir-spec.md 6.6 and the OpenVINO op specifications). Float sums and products accumulate in double
// and are rounded once (see evaluate.h); integers compute in int64 and wrap to the type.
#include <algorithm>
#include <cmath>
#include <limits>

#include "host/graph/op_attrs.h"
#include "host/reference/axis_groups.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

enum class Reduction { kProd, kMin, kL1, kL2, kAnd, kOr };

int64_t wmul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}
int64_t wadd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

// The largest value of an integer type, as the int64 that wraps to it (ReduceMin's identity).
int64_t int_type_max(ElementType type) {
  const int bits = element_bits(type);
  if (is_signed(type))
    return bits >= 64 ? std::numeric_limits<int64_t>::max() : (int64_t{1} << (bits - 1)) - 1;
  return bits >= 64 ? -1 : (int64_t{1} << bits) - 1;
}

Outputs reduce(const Node& node, const Inputs& in, Reduction kind) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const int64_t rank = static_cast<int64_t>(xs.size());
  std::vector<bool> reduced(xs.size(), false);
  for (int64_t a : int_input(node, in, 1))
    reduced[static_cast<size_t>(normalize_axis(a, rank, "axes"))] = true;
  const bool keep = node.attr<ReduceAttrs>().keep_dims;
  Dims out_shape;
  for (size_t d = 0; d < xs.size(); ++d)
    if (!reduced[d] || keep) out_shape.push_back(reduced[d] ? 1 : xs[d]);
  // An empty axes list reduces nothing: every group holds one element (the identity).
  const AxisGroups g = group_by_axes(xs, reduced);
  const int64_t n = x.element_count();
  const auto slot = [&](int64_t i) { return static_cast<size_t>(g.slot[static_cast<size_t>(i)]); };

  if (kind == Reduction::kAnd || kind == Reduction::kOr) {
    if (x.type() != ElementType::kBoolean) unsupported_type(node, x.type());
    const auto v = read_ints(x);
    std::vector<int64_t> acc(static_cast<size_t>(g.groups), kind == Reduction::kAnd ? 1 : 0);
    for (int64_t i = 0; i < n; ++i) {
      const bool e = v[static_cast<size_t>(i)] != 0;
      int64_t& a = acc[slot(i)];
      a = kind == Reduction::kAnd ? (a && e) : (a || e);
    }
    return {make_int_tensor(x.type(), out_shape, acc)};
  }
  if (is_compute_float(x.type())) {
    const auto v = read_floats(x);
    const double init = kind == Reduction::kProd  ? 1.0
                        : kind == Reduction::kMin ? std::numeric_limits<double>::infinity()
                                                  : 0.0;
    std::vector<double> acc(static_cast<size_t>(g.groups), init);
    for (int64_t i = 0; i < n; ++i) {
      const double e = v[static_cast<size_t>(i)];
      double& a = acc[slot(i)];
      switch (kind) {
        case Reduction::kProd: a *= e; break;
        case Reduction::kMin: a = e < a ? e : a; break;
        case Reduction::kL1: a += std::fabs(e); break;
        default: a += e * e; break;  // kL2
      }
    }
    std::vector<float> r(acc.size());
    for (size_t j = 0; j < acc.size(); ++j)
      r[j] = static_cast<float>(kind == Reduction::kL2 ? std::sqrt(acc[j]) : acc[j]);
    return {make_float_tensor(x.type(), out_shape, r)};
  }
  if (is_integer(x.type()) && element_bits(x.type()) >= 8) {
    const auto v = read_ints(x);
    const int64_t init = kind == Reduction::kProd ? 1 : kind == Reduction::kMin ? int_type_max(x.type()) : 0;
    std::vector<int64_t> acc(static_cast<size_t>(g.groups), init);
    const bool unsigned_min = kind == Reduction::kMin && !is_signed(x.type()) && element_bits(x.type()) >= 64;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t e = v[static_cast<size_t>(i)];
      int64_t& a = acc[slot(i)];
      switch (kind) {
        case Reduction::kProd: a = wmul(a, e); break;
        case Reduction::kMin:
          if (unsigned_min ? static_cast<uint64_t>(e) < static_cast<uint64_t>(a) : e < a) a = e;
          break;
        case Reduction::kL1: a = wadd(a, is_signed(x.type()) && e < 0 ? wmul(e, -1) : e); break;
        default: a = wadd(a, wmul(e, e)); break;  // kL2
      }
    }
    if (kind == Reduction::kL2) {
      // As OpenVINO's reference: the sum of squares in the type, its square root truncated back to it
      // (a signed sum that overflowed to a negative value gives 0).
      const bool is_unsigned = !is_signed(x.type());
      for (int64_t& a : acc) {
        const int64_t s = wrap_to(x.type(), a);
        const double d = is_unsigned ? static_cast<double>(static_cast<uint64_t>(s)) : static_cast<double>(s);
        a = d <= 0 ? 0 : static_cast<int64_t>(static_cast<uint64_t>(std::sqrt(d)));
      }
    }
    return {make_int_tensor(x.type(), out_shape, acc)};
  }
  unsupported_type(node, x.type());
}

// Splits `shape` around `axis` into outer x len x inner (row-major).
struct AxisSplit {
  int64_t outer = 1, len = 1, inner = 1;
};
AxisSplit split_at(const Dims& shape, int64_t axis) {
  AxisSplit s;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
    const int64_t v = shape[static_cast<size_t>(d)];
    if (d < axis) s.outer *= v;
    if (d == axis) s.len = v;
    if (d > axis) s.inner *= v;
  }
  return s;
}

}  // namespace

Outputs eval_ReduceProd(const Node& node, const Inputs& in) {
  return reduce(node, in, Reduction::kProd);
}
Outputs eval_ReduceMin(const Node& node, const Inputs& in) {
  return reduce(node, in, Reduction::kMin);
}
Outputs eval_ReduceL1(const Node& node, const Inputs& in) {
  return reduce(node, in, Reduction::kL1);
}
Outputs eval_ReduceL2(const Node& node, const Inputs& in) {
  return reduce(node, in, Reduction::kL2);
}
Outputs eval_ReduceLogicalAnd(const Node& node, const Inputs& in) {
  return reduce(node, in, Reduction::kAnd);
}
Outputs eval_ReduceLogicalOr(const Node& node, const Inputs& in) {
  return reduce(node, in, Reduction::kOr);
}

Outputs eval_CumSum(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 2);
  const Tensor& x = *in[0];
  const CumSumAttrs& a = node.attr<CumSumAttrs>();
  const int64_t rank = static_cast<int64_t>(x.shape().size());
  int64_t axis = 0;
  if (in.size() == 2) {
    const auto v = int_input(node, in, 1);
    if (v.size() != 1) raise(ErrorCode::kModel, "{}: input 1 (axis) must hold one value", node.describe());
    axis = v[0];
  }
  axis = normalize_axis(axis, rank, "axis");
  const AxisSplit s = split_at(x.shape(), axis);
  // Visits one line along the axis in summation order, calling f(flat index).
  auto for_line = [&](int64_t o, int64_t i, auto&& f) {
    for (int64_t k = 0; k < s.len; ++k) {
      const int64_t kk = a.reverse ? s.len - 1 - k : k;
      f((o * s.len + kk) * s.inner + i);
    }
  };
  if (is_compute_float(x.type())) {
    const auto v = read_floats(x);
    std::vector<float> y(v.size());
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t i = 0; i < s.inner; ++i) {
        double sum = 0;
        for_line(o, i, [&](int64_t j) {
          const double e = v[static_cast<size_t>(j)];
          if (!a.exclusive) sum += e;
          y[static_cast<size_t>(j)] = static_cast<float>(sum);
          if (a.exclusive) sum += e;
        });
      }
    return {make_float_tensor(x.type(), x.shape(), y)};
  }
  if (is_integer(x.type()) && element_bits(x.type()) >= 8) {
    const auto v = read_ints(x);
    std::vector<int64_t> y(v.size());
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t i = 0; i < s.inner; ++i) {
        int64_t sum = 0;
        for_line(o, i, [&](int64_t j) {
          const int64_t e = v[static_cast<size_t>(j)];
          if (!a.exclusive) sum = wadd(sum, e);
          y[static_cast<size_t>(j)] = sum;
          if (a.exclusive) sum = wadd(sum, e);
        });
      }
    return {make_int_tensor(x.type(), x.shape(), y)};
  }
  unsupported_type(node, x.type());
}

Outputs eval_LogSoftmax(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  const int64_t rank = static_cast<int64_t>(x.shape().size());
  const int64_t axis = normalize_axis(node.attr<SoftmaxAttrs>().axis, rank, "axis");
  const AxisSplit s = split_at(x.shape(), axis);
  const auto v = read_floats(x);
  std::vector<float> y(v.size());
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i) {
      const int64_t base = o * s.len * s.inner + i;
      auto at = [&](int64_t k) { return static_cast<size_t>(base + k * s.inner); };
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < s.len; ++k) mx = std::max(mx, static_cast<double>(v[at(k)]));
      double sum = 0;
      for (int64_t k = 0; k < s.len; ++k) sum += std::exp(v[at(k)] - mx);
      const double log_sum = std::log(sum);
      for (int64_t k = 0; k < s.len; ++k) y[at(k)] = static_cast<float>(v[at(k)] - mx - log_sum);
    }
  return {make_float_tensor(x.type(), x.shape(), y)};
}

}  // namespace ref
}  // namespace octet
