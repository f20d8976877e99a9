// Reference NormalizeL2-1, GRN-1, LRN-1, BatchNormInference-1/5, GroupNormalization-12 and MVN-1
// (ir-spec.md 6.7 and the OpenVINO op specifications). Sums, means and variances accumulate in
// double; each output is computed in double from them and rounded once (see evaluate.h).
#include <algorithm>
#include <cmath>
#include <set>

#include "host/graph/op_attrs.h"
#include "host/reference/axis_groups.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

const Tensor& float_input(const Node& node, const Inputs& in, size_t i) {
  if (!is_compute_float(in[i]->type())) unsupported_type(node, in[i]->type());
  return *in[i];
}

// y = x / sqrt(sum of x^2 over the axes, combined with eps by `mode`). NormalizeL2 and GRN.
Tensor l2_normalize(const Tensor& x, const std::vector<bool>& reduced, double eps, L2EpsMode mode) {
  const AxisGroups g = group_by_axes(x.shape(), reduced);
  const auto v = read_floats(x);
  std::vector<double> sum(static_cast<size_t>(g.groups), 0.0);
  for (size_t i = 0; i < v.size(); ++i)
    sum[static_cast<size_t>(g.slot[i])] += static_cast<double>(v[i]) * v[i];
  std::vector<float> y(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const double s = sum[static_cast<size_t>(g.slot[i])];
    y[i] = static_cast<float>(v[i] / std::sqrt(mode == L2EpsMode::kAdd ? s + eps : std::max(s, eps)));
  }
  return make_float_tensor(x.type(), x.shape(), y);
}

// (x - mean) / sqrt(variance + eps) over the axes, the variance the mean of squared deviations
// (population variance); without `normalize_variance` only the mean is subtracted.
std::vector<double> standardize(const std::vector<float>& v, const AxisGroups& g, double eps,
                                bool normalize_variance) {
  std::vector<double> mean(static_cast<size_t>(g.groups), 0.0), var(static_cast<size_t>(g.groups), 0.0);
  const double size = g.group_size > 0 ? static_cast<double>(g.group_size) : 1.0;
  for (size_t i = 0; i < v.size(); ++i) mean[static_cast<size_t>(g.slot[i])] += v[i];
  for (double& m : mean) m /= size;
  for (size_t i = 0; i < v.size(); ++i) {
    const double d = v[i] - mean[static_cast<size_t>(g.slot[i])];
    var[static_cast<size_t>(g.slot[i])] += d * d;
  }
  std::vector<double> y(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const size_t s = static_cast<size_t>(g.slot[i]);
    const double d = v[i] - mean[s];
    y[i] = normalize_variance ? d / std::sqrt(var[s] / size + eps) : d;
  }
  return y;
}

std::vector<float> to_floats(const std::vector<double>& v) {
  return std::vector<float>(v.begin(), v.end());
}

}  // namespace

Outputs eval_NormalizeL2(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = float_input(node, in, 0);
  const NormalizeL2Attrs& a = node.attr<NormalizeL2Attrs>();
  const int64_t rank = static_cast<int64_t>(x.shape().size());
  std::vector<bool> reduced(x.shape().size(), false);
  bool any = false;
  for (int64_t axis : int_input(node, in, 1)) {
    reduced[static_cast<size_t>(normalize_axis(axis, rank, "axes"))] = true;
    any = true;
  }
  if (!any) {
    // The spec: with no axes each element is divided by itself, giving 1 (and 0 for 0), whatever eps.
    auto v = read_floats(x);
    for (float& e : v) e = e == 0.0f ? 0.0f : 1.0f;
    return {make_float_tensor(x.type(), x.shape(), v)};
  }
  return {l2_normalize(x, reduced, a.eps, a.eps_mode)};
}

Outputs eval_GRN(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = float_input(node, in, 0);
  if (x.shape().size() < 2) raise(ErrorCode::kModel, "{}: data must have rank >= 2", node.describe());
  std::vector<bool> reduced(x.shape().size(), false);
  reduced[1] = true;
  return {l2_normalize(x, reduced, node.attr<GrnAttrs>().bias, L2EpsMode::kAdd)};
}

Outputs eval_LRN(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = float_input(node, in, 0);
  const LrnAttrs& a = node.attr<LrnAttrs>();
  const Dims& xs = x.shape();
  const size_t rank = xs.size();
  std::set<size_t> axes;
  for (int64_t axis : int_input(node, in, 1)) {
    if (axis < 0 || axis >= static_cast<int64_t>(rank))
      raise(ErrorCode::kModel, "{}: axes holds {}, out of range [0, {})", node.describe(), axis, rank);
    axes.insert(static_cast<size_t>(axis));
  }
  // OpenVINO's formula: the window along each axis is [i - (size-1)/2, i + (size-1)/2] clipped to the
  // tensor (an even size gives size-1 elements), and alpha is divided by size^(number of axes).
  const int64_t half = (a.size - 1) / 2;
  const double scale = a.alpha / std::pow(static_cast<double>(a.size), static_cast<double>(axes.size()));
  const Dims strides = row_major_strides(xs);
  const auto v = read_floats(x);
  std::vector<float> y(v.size());
  Dims coord(rank, 0), lo(rank), hi(rank), w(rank);
  for (size_t i = 0; i < v.size(); ++i) {
    for (size_t d = 0; d < rank; ++d) {
      const bool windowed = axes.count(d) != 0;
      lo[d] = windowed ? std::max<int64_t>(0, coord[d] - half) : coord[d];
      hi[d] = windowed ? std::min<int64_t>(xs[d] - 1, coord[d] + half) : coord[d];
      w[d] = lo[d];
    }
    double sum = 0;
    while (true) {  // every coordinate of the window, row-major
      int64_t flat = 0;
      for (size_t d = 0; d < rank; ++d) flat += w[d] * strides[d];
      const double e = v[static_cast<size_t>(flat)];
      sum += e * e;
      size_t d = rank;
      while (d-- > 0) {
        if (++w[d] <= hi[d]) break;
        w[d] = lo[d];
      }
      if (d == static_cast<size_t>(-1)) break;
    }
    y[i] = static_cast<float>(v[i] / std::pow(a.bias + scale * sum, a.beta));
    for (size_t d = rank; d-- > 0;) {
      if (++coord[d] < xs[d]) break;
      coord[d] = 0;
    }
  }
  return {make_float_tensor(x.type(), xs, y)};
}

Outputs eval_BatchNormInference(const Node& node, const Inputs& in) {
  need_inputs(node, in, 5, 5);
  // BatchNormInference-1 takes (gamma, beta, data, mean, variance), -5 (data, gamma, beta, mean, variance).
  const size_t di = node.version >= 5 ? 0 : 2, gi = node.version >= 5 ? 1 : 0;
  const Tensor& x = float_input(node, in, di);
  const Dims& xs = x.shape();
  if (xs.size() < 2) raise(ErrorCode::kModel, "{}: data must have rank >= 2", node.describe());
  const int64_t channels = xs[1];
  std::vector<std::vector<float>> p;  // gamma, beta, mean, variance
  for (size_t i : {gi, gi + 1, size_t{3}, size_t{4}}) {
    const Tensor& t = float_input(node, in, i);
    if (t.element_count() != channels)
      raise(ErrorCode::kModel, "{}: input {} has {} values for {} channels", node.describe(), i,
            t.element_count(), channels);
    p.push_back(read_floats(t));
  }
  const double eps = node.attr<BatchNormAttrs>().epsilon;
  const auto v = read_floats(x);
  int64_t inner = 1;
  for (size_t d = 2; d < xs.size(); ++d) inner *= xs[d];
  std::vector<float> y(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const size_t c = static_cast<size_t>((static_cast<int64_t>(i) / inner) % channels);
    y[i] = static_cast<float>((v[i] - static_cast<double>(p[2][c])) /
                                  std::sqrt(static_cast<double>(p[3][c]) + eps) * p[0][c] +
                              p[1][c]);
  }
  return {make_float_tensor(x.type(), xs, y)};
}

Outputs eval_GroupNormalization(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const Tensor& x = float_input(node, in, 0);
  const GroupNormAttrs& a = node.attr<GroupNormAttrs>();
  const Dims& xs = x.shape();
  if (xs.size() < 2) raise(ErrorCode::kModel, "{}: data must have rank >= 2", node.describe());
  const int64_t channels = xs[1];
  if (channels % a.num_groups != 0)
    raise(ErrorCode::kModel, "{}: num_groups {} does not divide {} channels", node.describe(), a.num_groups,
          channels);
  const auto scale = read_floats(float_input(node, in, 1)), bias = read_floats(float_input(node, in, 2));
  if (static_cast<int64_t>(scale.size()) != channels || static_cast<int64_t>(bias.size()) != channels)
    raise(ErrorCode::kModel, "{}: scale and bias need {} values", node.describe(), channels);
  int64_t inner = 1;
  for (size_t d = 2; d < xs.size(); ++d) inner *= xs[d];
  // Viewed as [N, num_groups, channels/num_groups * spatial], each group is one row.
  const Dims grouped{xs[0], a.num_groups, channels / a.num_groups * inner};
  const AxisGroups g = group_by_axes(grouped, {false, false, true});
  const std::vector<double> z = standardize(read_floats(x), g, a.epsilon, true);
  std::vector<float> y(z.size());
  for (size_t i = 0; i < z.size(); ++i) {
    const size_t c = static_cast<size_t>((static_cast<int64_t>(i) / inner) % channels);
    y[i] = static_cast<float>(z[i] * scale[c] + bias[c]);
  }
  return {make_float_tensor(x.type(), xs, y)};
}

Outputs eval_MVN1(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = float_input(node, in, 0);
  const Mvn1Attrs& a = node.attr<Mvn1Attrs>();
  const size_t rank = x.shape().size();
  // The spec: reduction_axes when given, else from axis 1 (across_channels) or 2 to the last.
  std::vector<bool> reduced(rank, false);
  if (!a.reduction_axes.empty()) {
    for (int64_t axis : a.reduction_axes) {
      if (axis >= static_cast<int64_t>(rank))
        raise(ErrorCode::kModel, "{}: reduction_axes holds {} for rank {}", node.describe(), axis, rank);
      reduced[static_cast<size_t>(axis)] = true;
    }
  } else {
    for (size_t d = a.across_channels ? 1 : 2; d < rank; ++d) reduced[d] = true;
  }
  const AxisGroups g = group_by_axes(x.shape(), reduced);
  return {make_float_tensor(x.type(), x.shape(),
                            to_floats(standardize(read_floats(x), g, a.eps, a.normalize_variance)))};
}

}  // namespace ref
}  // namespace octet
