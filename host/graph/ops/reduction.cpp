// Shape inference for reductions (ReduceMean/Sum/Max), SoftMax and MVN-6 (ir-spec.md 6.2, 6.6, 6.7).
#include <algorithm>

#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

// Axes from a constant scalar or 1-D input, normalised, duplicates rejected.
std::vector<int64_t> axes_input(const Node& node, size_t i, int64_t rank) {
  if (node.input_shape(i).size() > 1)
    raise(ErrorCode::kModel, "{}: input {} (axes) must be a scalar or 1-D, has shape {}", node.describe(), i,
          to_string(node.input_shape(i)));
  return node_axes(node, constant_ints(node, i, "axes"), rank, "axes", true);
}

void infer_reduce(Node& node) {
  expect_inputs(node, 2, 2);
  const bool keep_dims = node.attr<ReduceAttrs>().keep_dims;
  const Dims& data = node.input_shape(0);
  const std::vector<int64_t> axes = axes_input(node, 1, static_cast<int64_t>(data.size()));
  Dims out;
  for (size_t d = 0; d < data.size(); ++d) {
    const bool reduced = std::find(axes.begin(), axes.end(), static_cast<int64_t>(d)) != axes.end();
    if (!reduced) {
      out.push_back(data[d]);
    } else if (keep_dims) {
      out.push_back(1);
    }
  }
  set_single_output(node, node.input_type(0), out);
}

}  // namespace

void infer_ReduceMean(Node& node) {
  infer_reduce(node);
}
void infer_ReduceSum(Node& node) {
  infer_reduce(node);
}
void infer_ReduceMax(Node& node) {
  infer_reduce(node);
}

void infer_Softmax(Node& node) {
  expect_inputs(node, 1, 1);
  expect_float(node, 0);
  const int64_t rank = static_cast<int64_t>(node.input_shape(0).size());
  const int64_t axis = node.attr<SoftmaxAttrs>().axis;
  // SoftMax-1 takes only non-negative axes (SoftmaxAttrs::parse); SoftMax-8 also counts from the end.
  const int64_t lo = node.version >= 8 ? -rank : 0;
  if (axis < lo || axis >= std::max<int64_t>(rank, 1))
    fail_attribute(node, "axis",
                   fmt::format("is out of range [{}, {}) for data of shape {}", lo, rank,
                               to_string(node.input_shape(0))));
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

void infer_MVN(Node& node) {
  expect_inputs(node, 2, 2);
  expect_float(node, 0);
  expect_integer(node, 1, "axes");
  if (node.input_shape(1).size() != 1)
    raise(ErrorCode::kModel, "{}: input 1 (axes) must be 1-D, has shape {}", node.describe(),
          to_string(node.input_shape(1)));
  axes_input(node, 1, static_cast<int64_t>(node.input_shape(0).size()));
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

}  // namespace octet
