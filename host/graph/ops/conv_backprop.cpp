// Shape inference for ConvolutionBackpropData-1 and GroupConvolutionBackpropData-1 (transposed
// convolution; geometry in conv_backprop_geometry.h).
#include "host/common/error.h"
#include "host/graph/ops/conv_backprop_geometry.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

// data [N, C_in, spatial...]; filters [C_in, C_out, k...] or grouped [G, C_in/G, C_out/G, k...];
// optional output_shape (constant integers, the spatial output dims).
void infer_backprop(Node& node, bool grouped) {
  expect_inputs(node, 2, 3);
  expect_rank(node, 0, 3, 5);
  expect_same_type(node, 0, 1);
  const ElementType t = node.input_type(0);
  if (t == ElementType::kBoolean || t == ElementType::kUndefined)
    raise(ErrorCode::kModel, "{}: data must be numeric, is {}", node.describe(), element_type_name(t));
  const Dims& data = node.input_shape(0);
  const Dims& filters = node.input_shape(1);
  const size_t lead = grouped ? 3 : 2;
  if (filters.size() != data.size() - 2 + lead)
    raise(ErrorCode::kModel, "{}: filters of shape {} must have rank {} for data of shape {}",
          node.describe(), to_string(filters), data.size() - 2 + lead, to_string(data));
  const int64_t groups = grouped ? filters[0] : 1;
  const int64_t in_per_group = filters[lead - 2], out_per_group = filters[lead - 1];
  if (groups == 0 || groups < kDynamicDim)
    raise(ErrorCode::kModel, "{}: filters {} have {} groups", node.describe(), to_string(filters), groups);
  if (groups > 0 && in_per_group >= 0 && data[1] >= 0 && data[1] != groups * in_per_group)
    raise(ErrorCode::kModel, "{}: data has {} channels (shape {}) but filters {} expect {}", node.describe(),
          data[1], to_string(data), to_string(filters), groups * in_per_group);
  std::vector<int64_t> output_shape;
  if (node.inputs.size() == 3) {
    expect_integer(node, 2, "output_shape");
    expect_rank(node, 2, 1, 1);
    output_shape = constant_ints(node, 2, "output_shape");
  }
  const Dims spatial(data.begin() + 2, data.end());
  const Dims kernel(filters.begin() + static_cast<std::ptrdiff_t>(lead), filters.end());
  const BackpropGeometry g =
      conv_backprop_geometry(node, spatial, kernel, node.inputs.size() == 3 ? &output_shape : nullptr);
  const int64_t channels = groups > 0 && out_per_group >= 0 ? groups * out_per_group : kDynamicDim;
  Dims out = {data[0], channels};
  out.insert(out.end(), g.output.begin(), g.output.end());
  set_single_output(node, t, out);
}

}  // namespace

void infer_ConvolutionBackpropData(Node& node) {
  infer_backprop(node, false);
}

void infer_GroupConvolutionBackpropData(Node& node) {
  infer_backprop(node, true);
}

}  // namespace octet
