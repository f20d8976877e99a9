// Shape inference for Parameter, Result, Const and Convert.
#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/op_infer.h"

namespace octet {

void infer_Parameter(Node& node) {
  expect_inputs(node, 0, 0);
  if (node.outputs.size() != 1)
    raise(ErrorCode::kModel, "{}: Parameter must have one output", node.describe());
}

void infer_Result(Node& node) {
  expect_inputs(node, 1, 1);
  node.outputs.clear();
}

void infer_Constant(Node& node) {
  expect_inputs(node, 0, 0);
  if (!node.constant) raise(ErrorCode::kModel, "{}: constant has no value", node.describe());
  set_outputs(node, 1);
  node.outputs[0].type = node.constant->type();
  node.outputs[0].shape = node.constant->shape();
}

void infer_Convert(Node& node) {
  expect_inputs(node, 1, 1);
  set_outputs(node, 1);
  node.outputs[0].type = node.attr<ConvertAttrs>().destination;
  node.outputs[0].shape = node.input_shape(0);
}

}  // namespace octet
