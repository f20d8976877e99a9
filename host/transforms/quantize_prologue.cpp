// Folding BatchNorm -> Relu into the QuantizeActivation after it (see quantize_prologue.h).
#include "host/transforms/quantize_prologue.h"

#include <memory>
#include <vector>

#include "host/graph/op_attrs.h"
#include "host/graph/quantized_linear.h"

namespace octet {
namespace {

// True when `value` is read by exactly one node (so folding its producer away loses nothing).
bool single_reader(const Graph& graph, Output value) {
  return graph.consumers(value).size() == 1;
}

}  // namespace

bool channel_constant(const Node& op, const Dims& shape, int* data_port, std::vector<float>* values) {
  if (op.inputs.size() != 2 || op.outputs[0].type != ElementType::kF32 || op.outputs[0].shape != shape)
    return false;
  // Numpy alignment only: pdpd broadcasting places the constant from its own axis.
  if (binary_attrs(op).broadcast != AutoBroadcast::kNumpy) return false;
  for (int port : {1, 0}) {
    const Tensor* c = op.input_constant(static_cast<size_t>(port));
    const int other = 1 - port;
    if (!c || c->type() != ElementType::kF32 || op.input_constant(static_cast<size_t>(other)) ||
        op.input_type(other) != ElementType::kF32 || op.input_shape(other) != shape)
      continue;
    const Dims& cs = c->shape();
    if (cs.size() > shape.size()) continue;
    const size_t lead = shape.size() - cs.size();  // numpy broadcast aligns the last axes
    bool per_channel = true;
    int64_t count = 1;
    for (size_t d = 0; d < cs.size(); ++d) {
      const size_t axis = lead + d;
      if (cs[d] == 1) continue;
      per_channel = per_channel && axis == 1 && cs[d] == shape[1];
      count = cs[d];
    }
    if (!per_channel) continue;
    const std::vector<float> v = c->to_float_vector();
    values->assign(static_cast<size_t>(shape[1]), 0.0f);
    for (int64_t ch = 0; ch < shape[1]; ++ch) (*values)[static_cast<size_t>(ch)] = v[count == 1 ? 0 : ch];
    *data_port = other;
    return true;
  }
  return false;
}

void fold_quantize_prologues(Graph& graph) {
  for (Node* qa : graph.topological_order()) {
    if (qa->op != OpKind::kQuantizeActivation || quantize_params(*qa).has_prologue()) continue;
    const Dims shape = qa->input_shape(0);
    if (shape.size() < 2 || qa->input_type(0) != ElementType::kF32) continue;
    ActivationQuantize p = quantize_params(*qa);
    Output in = qa->inputs[0];
    int port = 0;
    if (in.node->op == OpKind::kRelu && single_reader(graph, in) && in.node->outputs[0].shape == shape) {
      p.pre_relu = true;
      in = in.node->inputs[0];
    }
    if (in.node->op == OpKind::kAdd && single_reader(graph, in) &&
        channel_constant(*in.node, shape, &port, &p.pre_shift))
      in = in.node->inputs[static_cast<size_t>(port)];
    if (in.node->op == OpKind::kMultiply && single_reader(graph, in) &&
        channel_constant(*in.node, shape, &port, &p.pre_scale))
      in = in.node->inputs[static_cast<size_t>(port)];
    if (!p.has_prologue()) continue;
    qa->payload = std::make_shared<ActivationQuantize>(p);
    qa->inputs[0] = in;
  }
  graph.remove_dead_nodes();
}

}  // namespace octet
