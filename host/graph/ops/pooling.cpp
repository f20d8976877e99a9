// Shape inference for MaxPool (1/8/14) and AvgPool (1/14) (ir-spec.md 6.4).
#include "host/common/error.h"
#include "host/graph/ops/conv_geometry.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

Dims pooled_shape(const Node& node, const ConvGeometry& g) {
  const Dims& data = node.input_shape(0);
  Dims out = {data[0], data[1]};
  out.insert(out.end(), g.output.begin(), g.output.end());
  return out;
}

}  // namespace

void infer_MaxPool(Node& node) {
  expect_inputs(node, 1, 1);
  expect_rank(node, 0, 3, 5);
  const ConvGeometry g = pool_geometry(node);
  const Dims out = pooled_shape(node, g);
  check_output_shape(node, out);
  if (node.version < 8) {
    set_single_output(node, node.input_type(0), out);
    return;
  }
  const PoolAttrs& pa = pool_attrs(node);
  const int64_t rank = static_cast<int64_t>(node.input_shape(0).size());
  if (pa.axis < -rank || pa.axis >= rank)
    fail_attribute(node, "axis", fmt::format("is out of range for rank {}", rank));
  set_outputs(node, 2);
  node.outputs[0].type = node.input_type(0);
  node.outputs[0].shape = out;
  node.outputs[1].type = pa.index_type;
  node.outputs[1].shape = out;
}

void infer_AvgPool(Node& node) {
  expect_inputs(node, 1, 1);
  expect_rank(node, 0, 3, 5);
  const bool exclude_pad = pool_attrs(node).exclude_pad;
  const ConvGeometry g = pool_geometry(node);
  // With exclude-pad a window lying wholly in the padding would divide by zero.
  if (exclude_pad) {
    for (size_t i = 0; i < g.kernel.size(); ++i) {
      if (g.pads_begin[i] >= g.kernel[i] || g.pads_end[i] >= g.kernel[i])
        raise(ErrorCode::kModel,
              "{}: pads {}+{} of spatial dim {} must be smaller than the kernel size {} when exclude-pad is "
              "true",
              node.describe(), g.pads_begin[i], g.pads_end[i], i, g.kernel[i]);
    }
  }
  set_single_output(node, node.input_type(0), pooled_shape(node, g));
}

}  // namespace octet
