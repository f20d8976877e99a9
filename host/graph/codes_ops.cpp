// Payload accessors and shape inference of the internal codes ops (see codes_ops.h).
#include "host/graph/codes_ops.h"

#include "host/common/error.h"
#include "host/graph/ops/op_infer.h"

namespace octet {

namespace {

// One i8 input [N, spatial..., C] and a window with one entry per spatial dim in every list the
// kernels read (dilations only for MaxPool); kInternal otherwise.
void check_codes_window(Node& node, const ConvGeometry& w, bool dilated) {
  expect_inputs(node, 1, 1);
  const Dims& in = node.input_shape(0);
  const size_t spatial = w.kernel.size();
  if (node.input_type(0) != ElementType::kI8 || in.size() != spatial + 2 || w.output.size() != spatial ||
      w.strides.size() != spatial || (dilated && w.dilations.size() != spatial) ||
      w.pads_begin.size() != spatial || w.pads_end.size() != spatial)
    raise(ErrorCode::kInternal, "{}: input {} {} does not fit a {}-D window", node.describe(),
          element_type_name(node.input_type(0)), to_string(in), spatial);
}

}  // namespace

const CodesMaxPoolParams& codes_max_pool_params(const Node& node) {
  if (node.op != OpKind::kCodesMaxPool || !node.payload)
    raise(ErrorCode::kInternal, "{} is not a CodesMaxPool node", node.describe());
  return *static_cast<const CodesMaxPoolParams*>(node.payload.get());
}

void infer_CodesMaxPool(Node& node) {
  const ConvGeometry& w = codes_max_pool_params(node).window;
  check_codes_window(node, w, /*dilated=*/true);
  const Dims& in = node.input_shape(0);
  Dims out = {in.front()};
  out.insert(out.end(), w.output.begin(), w.output.end());
  out.push_back(in.back());
  set_outputs(node, 1);
  node.outputs[0].type = ElementType::kI8;
  node.outputs[0].shape = out;
}

const CodesAvgPoolParams& codes_avg_pool_params(const Node& node) {
  if (node.op != OpKind::kCodesAvgPool || !node.payload)
    raise(ErrorCode::kInternal, "{} is not a CodesAvgPool node", node.describe());
  return *static_cast<const CodesAvgPoolParams*>(node.payload.get());
}

int64_t codes_avg_pool_whole_divisor(const CodesAvgPoolParams& p) {
  bool pads_present = false;
  int64_t size = 1;
  for (size_t i = 0; i < p.window.kernel.size(); ++i) {
    pads_present = pads_present || p.window.pads_begin[i] != 0 || p.window.pads_end[i] != 0;
    size *= p.window.kernel[i];
  }
  return !p.exclude_pad && pads_present ? size : 0;
}

void infer_CodesAvgPool(Node& node) {
  const ConvGeometry& w = codes_avg_pool_params(node).window;
  check_codes_window(node, w, /*dilated=*/false);
  const Dims& in = node.input_shape(0);
  Dims out = {in.front(), in.back()};  // [N, C, output spatial...]
  out.insert(out.end(), w.output.begin(), w.output.end());
  set_outputs(node, 1);
  node.outputs[0].type = ElementType::kF32;
  node.outputs[0].shape = out;
}

const CodesDequantizeParams& codes_dequantize_params(const Node& node) {
  if (node.op != OpKind::kCodesDequantize || !node.payload)
    raise(ErrorCode::kInternal, "{} is not a CodesDequantize node", node.describe());
  return *static_cast<const CodesDequantizeParams*>(node.payload.get());
}

void infer_CodesDequantize(Node& node) {
  expect_inputs(node, 1, 1);
  const CodesDequantizeParams& p = codes_dequantize_params(node);
  if (node.input_type(0) != ElementType::kI8)
    raise(ErrorCode::kInternal, "{}: input is {}, not i8 codes", node.describe(),
          element_type_name(node.input_type(0)));
  Dims shape = node.input_shape(0);
  if (p.channels_last && shape.size() >= 3) {  // [N, spatial..., C] -> [N, C, spatial...]
    shape.insert(shape.begin() + 1, shape.back());
    shape.pop_back();
  }
  set_outputs(node, 1);
  node.outputs[0].type = ElementType::kF32;
  node.outputs[0].shape = shape;
}

const CodesRequantizeParams& codes_requantize_params(const Node& node) {
  if (node.op != OpKind::kCodesRequantize || !node.payload)
    raise(ErrorCode::kInternal, "{} is not a CodesRequantize node", node.describe());
  return *static_cast<const CodesRequantizeParams*>(node.payload.get());
}

void infer_CodesRequantize(Node& node) {
  expect_inputs(node, 1, 1);
  const CodesRequantizeParams& p = codes_requantize_params(node);
  Dims shape = node.input_shape(0);  // [N, spatial..., C]
  const int64_t channels = shape.size() >= 3 ? shape.back() : -1;
  const auto fits = [&](const std::vector<float>& v) {
    return v.empty() || static_cast<int64_t>(v.size()) == channels;
  };
  if (node.input_type(0) != ElementType::kI8 || channels < 0 ||
      static_cast<int64_t>(p.channel_grids.size()) != channels || !fits(p.quantize.pre_scale) ||
      !fits(p.quantize.pre_shift))
    raise(ErrorCode::kInternal, "{}: input {} {} with {} channel grids, {} scales, {} shifts",
          node.describe(), element_type_name(node.input_type(0)), to_string(shape), p.channel_grids.size(),
          p.quantize.pre_scale.size(), p.quantize.pre_shift.size());
  set_outputs(node, 1);
  if (p.float_output) {  // [N, spatial..., C] -> [N, C, spatial...]
    shape.insert(shape.begin() + 1, shape.back());
    shape.pop_back();
  }
  node.outputs[0].type = p.float_output ? ElementType::kF32 : ElementType::kI8;
  node.outputs[0].shape = shape;
}

Node* add_codes_dequantize(Graph& graph, Output codes, const std::string& name, const ActivationQuant& quant,
                           bool channels_last) {
  Node* node = graph.add(OpKind::kCodesDequantize, name);
  auto payload = std::make_shared<CodesDequantizeParams>();
  payload->quant = quant;
  payload->channels_last = channels_last;
  node->payload = payload;
  node->inputs = {codes};
  infer_node(*node);
  return node;
}

}  // namespace octet
