// infer_shapes: dispatches to the per-op functions generated from ops.def.
#include "host/common/error.h"
#include "host/graph/graph.h"
#include "host/graph/ops/op_infer.h"

namespace octet {
namespace {

using InferFn = void (*)(Node&);

constexpr InferFn kInfer[] = {
#define OCTET_OP(name, ir_type, versions, attrs) &infer_##name,
#include "host/graph/ops.def"
#undef OCTET_OP
};

// The IR's declared port dims must agree with what octet infers: trusting either side silently
// would hide a malformed model or a bug in inference.
void check_declared_shapes(const Node& node) {
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    const Value& v = node.outputs[i];
    if (!v.has_declared_shape) continue;
    bool same = v.declared_shape.size() == v.shape.size();
    for (size_t d = 0; same && d < v.shape.size(); ++d)
      same = v.declared_shape[d] < 0 || v.shape[d] < 0 || v.declared_shape[d] == v.shape[d];
    if (!same)
      raise(ErrorCode::kModel, "{}: output port {} declares shape {} but octet infers {}", node.describe(), i,
            to_string(v.declared_shape), to_string(v.shape));
  }
}

}  // namespace

void expect_inputs(const Node& node, size_t min, size_t max) {
  const size_t n = node.inputs.size();
  if (n < min || n > max) {
    if (min == max) raise(ErrorCode::kModel, "{}: expects {} inputs, has {}", node.describe(), min, n);
    raise(ErrorCode::kModel, "{}: expects {} to {} inputs, has {}", node.describe(), min, max, n);
  }
}

void set_outputs(Node& node, size_t count) {
  // Keep tensor names from the IR; only types and shapes are (re)computed.
  node.outputs.resize(count);
}

void infer_node(Node& node) {
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Output& in = node.inputs[i];
    if (!in.node || in.index < 0 || static_cast<size_t>(in.index) >= in.node->outputs.size())
      raise(ErrorCode::kModel, "{}: input {} is not connected to an existing output", node.describe(), i);
  }
  if (!node.attributes_parsed()) node.parse_attributes();  // once, or again after a transform's edit
  kInfer[static_cast<size_t>(node.op)](node);
  check_declared_shapes(node);
}

void infer_shapes(Graph& graph) {
  for (Node* node : graph.topological_order()) infer_node(*node);
}

}  // namespace octet
