// Reference ReduceMean/Sum/Max-1 (ir-spec.md 6.6); float sums accumulate in double (see evaluate.h).
#include <limits>
#include <set>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

enum class Reduction { kMean, kSum, kMax };

Outputs reduce(const Node& node, const Inputs& in, Reduction kind) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const int64_t rank = static_cast<int64_t>(xs.size());
  std::set<int64_t> axes;
  for (int64_t a : int_input(node, in, 1)) axes.insert(normalize_axis(a, std::max<int64_t>(rank, 1), "axes"));
  const bool keep = node.attr<ReduceAttrs>().keep_dims;
  Dims out_shape, kept_shape;  // kept_shape: reduced dims as 1, for index mapping
  for (int64_t d = 0; d < rank; ++d) {
    const bool r = axes.count(d) != 0;
    kept_shape.push_back(r ? 1 : xs[static_cast<size_t>(d)]);
    if (!r || keep) out_shape.push_back(r ? 1 : xs[static_cast<size_t>(d)]);
  }
  // Map each input element to its output slot: the input coordinate with reduced dims zeroed.
  const Dims out_strides = row_major_strides(kept_shape);
  const int64_t n = x.element_count(), m = element_count(kept_shape);
  std::vector<int64_t> slot(static_cast<size_t>(n));
  {
    Dims coord(static_cast<size_t>(rank), 0);
    for (int64_t i = 0; i < n; ++i) {
      int64_t s = 0;
      for (int64_t d = 0; d < rank; ++d)
        if (!axes.count(d)) s += coord[static_cast<size_t>(d)] * out_strides[static_cast<size_t>(d)];
      slot[static_cast<size_t>(i)] = s;
      for (int64_t d = rank; d-- > 0;) {
        if (++coord[static_cast<size_t>(d)] < xs[static_cast<size_t>(d)]) break;
        coord[static_cast<size_t>(d)] = 0;
      }
    }
  }
  const int64_t group = m ? n / m : 0;
  if (is_compute_float(x.type())) {
    const auto v = read_floats(x);
    std::vector<double> acc(static_cast<size_t>(m),
                            kind == Reduction::kMax ? -std::numeric_limits<double>::infinity() : 0.0);
    for (int64_t i = 0; i < n; ++i) {
      double& a = acc[static_cast<size_t>(slot[static_cast<size_t>(i)])];
      const double e = v[static_cast<size_t>(i)];
      if (kind == Reduction::kMax)
        a = e > a ? e : a;
      else
        a += e;
    }
    std::vector<float> r(static_cast<size_t>(m));
    for (int64_t j = 0; j < m; ++j)
      r[static_cast<size_t>(j)] = static_cast<float>(
          kind == Reduction::kMean ? acc[static_cast<size_t>(j)] / group : acc[static_cast<size_t>(j)]);
    return {make_float_tensor(x.type(), out_shape, r)};
  }
  if (is_integer(x.type()) && element_bits(x.type()) >= 8) {
    // Sums wrap modulo 2^64 and then to the type (the same result as accumulating in the type); u64
    // values are bit patterns in int64, so u64 compares and divides unsigned. A mean truncates toward
    // zero, as OpenVINO (reference and CPU plugin) does.
    const bool u64 = x.type() == ElementType::kU64;
    const auto v = read_ints(x);
    std::vector<int64_t> acc(static_cast<size_t>(m), kind != Reduction::kMax ? 0
                                                     : u64                   ? 0
                                                           : std::numeric_limits<int64_t>::min());
    for (int64_t i = 0; i < n; ++i) {
      int64_t& a = acc[static_cast<size_t>(slot[static_cast<size_t>(i)])];
      const int64_t e = v[static_cast<size_t>(i)];
      if (kind == Reduction::kMax)
        a = (u64 ? static_cast<uint64_t>(e) > static_cast<uint64_t>(a) : e > a) ? e : a;
      else
        a = static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(e));
    }
    if (kind == Reduction::kMean && group)
      for (auto& a : acc)
        a = u64 ? static_cast<int64_t>(static_cast<uint64_t>(a) / static_cast<uint64_t>(group)) : a / group;
    return {make_int_tensor(x.type(), out_shape, acc)};
  }
  unsupported_type(node, x.type());
}

}  // namespace

Outputs eval_ReduceMean(const Node& node, const Inputs& in) {
  return reduce(node, in, Reduction::kMean);
}
Outputs eval_ReduceSum(const Node& node, const Inputs& in) {
  return reduce(node, in, Reduction::kSum);
}
Outputs eval_ReduceMax(const Node& node, const Inputs& in) {
  return reduce(node, in, Reduction::kMax);
}

}  // namespace ref
}  // namespace octet
