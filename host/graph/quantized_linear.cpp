// Accessors for the payload of quantized linear nodes.
#include "host/graph/quantized_linear.h"

#include "host/common/error.h"
#include "host/graph/ops/op_infer.h"

namespace octet {

const QuantizedLinear& quantized_params(const Node& node) {
  if ((node.op != OpKind::kQuantizedConvolution && node.op != OpKind::kQuantizedMatMul) || !node.payload)
    raise(ErrorCode::kInternal, "{} is not a quantized linear node", node.describe());
  return *static_cast<const QuantizedLinear*>(node.payload.get());
}

Dims quantized_result_shape(const Node& node) {
  const QuantizedLinear& q = quantized_params(node);
  Dims shape = node.outputs.at(0).shape;
  if (q.output_codes && q.base_op != OpKind::kMatMul && shape.size() >= 3) {
    shape.insert(shape.begin() + 1, shape.back());
    shape.pop_back();
  }
  return shape;
}

Dims channels_last_shape(Dims shape) {
  if (shape.size() >= 3) {
    shape.push_back(shape[1]);
    shape.erase(shape.begin() + 1);
  }
  return shape;
}

ConvGeometry quantized_conv_geometry(const Node& node) {
  const QuantizedLinear& q = quantized_params(node);
  const Dims& in = node.input_shape(0);
  const Dims& codes = q.weights.codes.shape();
  const bool grouped = q.base_op == OpKind::kGroupConvolution;
  const Dims kernel(codes.begin() + (grouped ? 3 : 2), codes.end());
  // i8 codes from QuantizeActivation are channels-last [N, spatial..., C]; f32 input is NCHW.
  const bool codes_input = node.input_type(0) == ElementType::kI8;
  const Dims spatial(in.begin() + (codes_input ? 1 : 2), in.end() - (codes_input ? 1 : 0));
  return conv_window(node, q.conv, spatial, kernel);
}

const ActivationQuantize& quantize_params(const Node& node) {
  if (node.op != OpKind::kQuantizeActivation || !node.payload)
    raise(ErrorCode::kInternal, "{} is not a QuantizeActivation node", node.describe());
  return *static_cast<const ActivationQuantize*>(node.payload.get());
}

void infer_QuantizeActivation(Node& node) {
  expect_inputs(node, 1, 1);
  const ActivationQuantize& p = quantize_params(node);
  Dims shape = node.input_shape(0);
  if (p.channels_last && shape.size() >= 3) {
    const int64_t channels = shape[1];
    shape.erase(shape.begin() + 1);
    shape.push_back(channels);
  }
  set_outputs(node, 1);
  node.outputs[0].type = ElementType::kI8;
  node.outputs[0].shape = shape;
}

}  // namespace octet
