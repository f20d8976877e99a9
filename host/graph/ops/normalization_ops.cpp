// Shape inference for the normalisations, reductions, softmax variants and scans of issue 11 (F2):
// ReduceProd/Min-1, ReduceL1/L2-4, ReduceLogicalAnd/Or-1, CumSum-3, LogSoftmax-5, NormalizeL2-1,
// GRN-1, LRN-1, BatchNormInference-1/5, GroupNormalization-12 and MVN-1 (ir-spec.md 6.6, 6.7 and the
// OpenVINO op specifications).
#include <algorithm>

#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

int64_t rank_of(const Node& node, size_t i) {
  return static_cast<int64_t>(node.input_shape(i).size());
}

// The constant axes input i (scalar or 1-D integer), normalised to [0, rank). `unique` refuses a
// repeated axis (the reductions' spec); otherwise repeats merge (OpenVINO keeps an AxisSet).
std::vector<int64_t> axes_input(const Node& node, size_t i, int64_t rank, bool unique) {
  expect_integer(node, i, "axes");
  if (node.input_shape(i).size() > 1)
    raise(ErrorCode::kModel, "{}: input {} (axes) must be a scalar or 1-D, has shape {}", node.describe(), i,
          to_string(node.input_shape(i)));
  std::vector<int64_t> axes = node_axes(node, constant_ints(node, i, "axes"), rank, "axes", unique);
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  return axes;
}

enum class DataKind { kNumeric, kBoolean };

// Reduce*-1/4: data, axes -> data with the axes removed (or kept as 1 with keep_dims).
void infer_reduction(Node& node, DataKind kind) {
  expect_inputs(node, 2, 2);
  const ElementType t = node.input_type(0);
  if (kind == DataKind::kBoolean && t != ElementType::kBoolean)
    raise(ErrorCode::kModel, "{}: input 0 must be boolean, has {}", node.describe(), element_type_name(t));
  if (kind == DataKind::kNumeric && !is_float(t) && !is_integer(t))
    raise(ErrorCode::kModel, "{}: input 0 must have a numeric type, has {}", node.describe(),
          element_type_name(t));
  const bool keep_dims = node.attr<ReduceAttrs>().keep_dims;
  const Dims& data = node.input_shape(0);
  const std::vector<int64_t> axes = axes_input(node, 1, rank_of(node, 0), true);
  Dims out;
  for (size_t d = 0; d < data.size(); ++d) {
    if (!std::binary_search(axes.begin(), axes.end(), static_cast<int64_t>(d)))
      out.push_back(data[d]);
    else if (keep_dims)
      out.push_back(1);
  }
  check_output_shape(node, out);
  set_single_output(node, t, out);
}

// Inputs `params` must be 1-D of the data's channel count `channels` and of the data's type.
void expect_per_channel(const Node& node, std::initializer_list<std::pair<size_t, const char*>> params,
                        ElementType type, int64_t channels) {
  for (const auto& [i, what] : params) {
    const Dims& s = node.input_shape(i);
    if (s.size() != 1 || (channels >= 0 && s[0] >= 0 && s[0] != channels))
      raise(ErrorCode::kModel, "{}: input {} ({}) must have shape [{}] (the data's channels), has {}",
            node.describe(), i, what, channels < 0 ? "C" : std::to_string(channels), to_string(s));
    if (node.input_type(i) != type)
      raise(ErrorCode::kModel, "{}: input {} ({}) must have the data's type {}, has {}", node.describe(), i,
            what, element_type_name(type), element_type_name(node.input_type(i)));
  }
}

}  // namespace

void infer_ReduceProd(Node& node) {
  infer_reduction(node, DataKind::kNumeric);
}
void infer_ReduceMin(Node& node) {
  infer_reduction(node, DataKind::kNumeric);
}
void infer_ReduceL1(Node& node) {
  infer_reduction(node, DataKind::kNumeric);
}
void infer_ReduceL2(Node& node) {
  infer_reduction(node, DataKind::kNumeric);
}
void infer_ReduceLogicalAnd(Node& node) {
  infer_reduction(node, DataKind::kBoolean);
}
void infer_ReduceLogicalOr(Node& node) {
  infer_reduction(node, DataKind::kBoolean);
}

void infer_CumSum(Node& node) {
  expect_inputs(node, 1, 2);
  node.attr<CumSumAttrs>();
  const ElementType t = node.input_type(0);
  if (!is_float(t) && !is_integer(t))
    raise(ErrorCode::kModel, "{}: input 0 must have a numeric type, has {}", node.describe(),
          element_type_name(t));
  const int64_t rank = rank_of(node, 0);
  if (rank == 0) raise(ErrorCode::kModel, "{}: input 0 must have rank >= 1, is a scalar", node.describe());
  if (node.inputs.size() == 2) {  // without it the axis is 0
    expect_integer(node, 1, "axis");
    node_axis(node, constant_scalar_int(node, 1, "axis"), rank, "axis");
  }
  set_single_output(node, t, node.input_shape(0));
}

void infer_LogSoftmax(Node& node) {
  expect_inputs(node, 1, 1);
  expect_float(node, 0);
  const int64_t rank = rank_of(node, 0);
  const int64_t axis = node.attr<SoftmaxAttrs>().axis;
  if (axis < -rank || axis >= rank)
    node.attrs.fail("axis", fmt::format("is out of range [{}, {}) for data of shape {}", -rank, rank,
                                        to_string(node.input_shape(0))));
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

void infer_NormalizeL2(Node& node) {
  expect_inputs(node, 2, 2);
  node.attr<NormalizeL2Attrs>();
  expect_float(node, 0);
  axes_input(node, 1, rank_of(node, 0), false);
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

void infer_GRN(Node& node) {
  expect_inputs(node, 1, 1);
  node.attr<GrnAttrs>();
  expect_float(node, 0);
  expect_rank(node, 0, 2, 4);  // OpenVINO's GRN takes 2-D to 4-D data (channels on axis 1)
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

void infer_LRN(Node& node) {
  expect_inputs(node, 2, 2);
  node.attr<LrnAttrs>();
  expect_float(node, 0);
  expect_integer(node, 1, "axes");
  const int64_t rank = rank_of(node, 0);
  if (node.input_shape(1).size() != 1)
    raise(ErrorCode::kModel, "{}: input 1 (axes) must be 1-D, has shape {}", node.describe(),
          to_string(node.input_shape(1)));
  // OpenVINO reads the axes as an AxisSet: non-negative, repeats merged.
  for (int64_t a : constant_ints(node, 1, "axes"))
    if (a < 0 || a >= rank)
      raise(ErrorCode::kModel, "{}: axes holds {}, out of range [0, {}) for data of shape {}",
            node.describe(), a, rank, to_string(node.input_shape(0)));
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

void infer_BatchNormInference(Node& node) {
  expect_inputs(node, 5, 5);
  node.attr<BatchNormAttrs>();
  // BatchNormInference-1 takes (gamma, beta, data, mean, variance), -5 (data, gamma, beta, mean, variance).
  const size_t data = node.version >= 5 ? 0 : 2;
  const size_t gamma = node.version >= 5 ? 1 : 0, beta = gamma + 1;
  expect_float(node, data);
  expect_rank(node, data, 2, 64);
  const ElementType t = node.input_type(data);
  expect_per_channel(node, {{gamma, "gamma"}, {beta, "beta"}, {3, "mean"}, {4, "variance"}}, t,
                     node.input_shape(data)[1]);
  set_single_output(node, t, node.input_shape(data));
}

void infer_GroupNormalization(Node& node) {
  expect_inputs(node, 3, 3);
  const GroupNormAttrs& a = node.attr<GroupNormAttrs>();
  expect_float(node, 0);
  expect_rank(node, 0, 2, 64);
  const ElementType t = node.input_type(0);
  const int64_t channels = node.input_shape(0)[1];
  expect_per_channel(node, {{1, "scale"}, {2, "bias"}}, t, channels);
  if (channels >= 0 && channels % a.num_groups != 0)
    node.attrs.fail("num_groups", fmt::format("({}) does not divide the {} channels of data {}", a.num_groups,
                                              channels, to_string(node.input_shape(0))));
  set_single_output(node, t, node.input_shape(0));
}

void infer_MVN1(Node& node) {
  expect_inputs(node, 1, 1);
  const Mvn1Attrs& a = node.attr<Mvn1Attrs>();
  expect_float(node, 0);
  const int64_t rank = rank_of(node, 0);
  for (int64_t axis : a.reduction_axes)
    if (axis >= rank)
      node.attrs.fail("reduction_axes", fmt::format("holds axis {}, out of range for data of shape {}", axis,
                                                    to_string(node.input_shape(0))));
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

}  // namespace octet
