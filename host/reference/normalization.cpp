// Reference SoftMax-1/8 and MVN-6 (ir-spec.md 6.2, 6.7); sums accumulate in double (see evaluate.h).
#include <cmath>
#include <set>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {

Outputs eval_Softmax(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  const Dims& xs = x.shape();
  const int64_t rank = static_cast<int64_t>(xs.size());
  const int64_t axis = normalize_axis(node.attr<SoftmaxAttrs>().axis, rank, "axis");
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= xs[static_cast<size_t>(d)];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= xs[static_cast<size_t>(d)];
  const int64_t len = xs[static_cast<size_t>(axis)];
  const auto v = read_floats(x);
  std::vector<float> y(v.size());
  std::vector<double> e(static_cast<size_t>(len));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * len * inner + i;
      float mx = -INFINITY;
      for (int64_t k = 0; k < len; ++k) mx = std::max(mx, v[static_cast<size_t>(base + k * inner)]);
      double sum = 0.0;
      for (int64_t k = 0; k < len; ++k) {
        // The subtraction is done in f32 as the reference does; exp and the sum in double.
        e[static_cast<size_t>(k)] =
            std::exp(static_cast<double>(v[static_cast<size_t>(base + k * inner)] - mx));
        sum += e[static_cast<size_t>(k)];
      }
      for (int64_t k = 0; k < len; ++k)
        y[static_cast<size_t>(base + k * inner)] = static_cast<float>(e[static_cast<size_t>(k)] / sum);
    }
  return {make_float_tensor(x.type(), xs, y)};
}

Outputs eval_MVN(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  const Dims& xs = x.shape();
  const int64_t rank = static_cast<int64_t>(xs.size());
  std::set<int64_t> axes;
  for (int64_t a : int_input(node, in, 1)) axes.insert(normalize_axis(a, rank, "axes"));
  const MvnAttrs& mvn = node.attr<MvnAttrs>();
  const bool normalize_variance = mvn.normalize_variance;
  const double eps = mvn.eps;
  const MvnEpsMode eps_mode = mvn.eps_mode;
  // Group elements by their coordinate with the reduced axes dropped.
  Dims kept(static_cast<size_t>(rank));
  for (int64_t d = 0; d < rank; ++d)
    kept[static_cast<size_t>(d)] = axes.count(d) ? 1 : xs[static_cast<size_t>(d)];
  const Dims ks = row_major_strides(kept);
  const int64_t n = x.element_count(), m = element_count(kept);
  std::vector<int64_t> slot(static_cast<size_t>(n));
  Dims coord(static_cast<size_t>(rank), 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t s = 0;
    for (int64_t d = 0; d < rank; ++d)
      if (!axes.count(d)) s += coord[static_cast<size_t>(d)] * ks[static_cast<size_t>(d)];
    slot[static_cast<size_t>(i)] = s;
    for (int64_t d = rank; d-- > 0;) {
      if (++coord[static_cast<size_t>(d)] < xs[static_cast<size_t>(d)]) break;
      coord[static_cast<size_t>(d)] = 0;
    }
  }
  const double group = m ? static_cast<double>(n / m) : 1.0;
  const auto v = read_floats(x);
  std::vector<double> mean(static_cast<size_t>(m), 0.0), var(static_cast<size_t>(m), 0.0);
  for (int64_t i = 0; i < n; ++i)
    mean[static_cast<size_t>(slot[static_cast<size_t>(i)])] += v[static_cast<size_t>(i)];
  for (double& e : mean) e /= group;
  for (int64_t i = 0; i < n; ++i) {
    const double d = v[static_cast<size_t>(i)] - mean[static_cast<size_t>(slot[static_cast<size_t>(i)])];
    var[static_cast<size_t>(slot[static_cast<size_t>(i)])] += d * d;
  }
  for (double& e : var) e /= group;  // population variance: the mean of squares, as the reference
  std::vector<float> y(v.size());
  for (int64_t i = 0; i < n; ++i) {
    const size_t s = static_cast<size_t>(slot[static_cast<size_t>(i)]);
    double d = v[static_cast<size_t>(i)] - mean[s];
    if (normalize_variance)
      d /= eps_mode == MvnEpsMode::kInsideSqrt ? std::sqrt(var[s] + eps) : std::sqrt(var[s]) + eps;
    y[static_cast<size_t>(i)] = static_cast<float>(d);
  }
  return {make_float_tensor(x.type(), xs, y)};
}

}  // namespace ref
}  // namespace octet
