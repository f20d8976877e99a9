// Internal ops made by host/transforms. A quantized linear node takes its output shape from the
// node it replaced (the transform sets it); inference checks that the payload and inputs agree.
#include "host/common/error.h"
#include "host/graph/ops/op_infer.h"
#include "host/graph/quantized_linear.h"

namespace octet {
namespace {

void check_quantized_linear(Node& node) {
  const QuantizedLinear& q = quantized_params(node);  // raises kInternal when the payload is missing
  if (node.inputs.empty() || node.inputs.size() > 2)
    raise(ErrorCode::kInternal, "{}: expected 1 or 2 inputs, got {}", node.describe(), node.inputs.size());
  if (node.outputs.size() != 1 || node.outputs[0].type == ElementType::kUndefined)
    raise(ErrorCode::kInternal, "{}: output shape was not set by the quantization transform",
          node.describe());
  Dims result = quantized_result_shape(node);
  for (const PostOp& op : q.post_ops)
    if (op.residual_codes) result = channels_last_shape(result);
  if (node.inputs.size() == 2 && node.input_shape(1) != result)
    raise(ErrorCode::kInternal, "{}: residual input shape {} differs from output shape {}", node.describe(),
          to_string(node.input_shape(1)), to_string(result));
  const ElementType type = q.output_codes ? ElementType::kI8 : ElementType::kF32;
  if (node.outputs[0].type != type)
    raise(ErrorCode::kInternal, "{}: output type {}, expected {}", node.describe(),
          element_type_name(node.outputs[0].type), element_type_name(type));
}

}  // namespace

void infer_QuantizedConvolution(Node& node) {
  check_quantized_linear(node);
}
void infer_QuantizedMatMul(Node& node) {
  check_quantized_linear(node);
}

}  // namespace octet
