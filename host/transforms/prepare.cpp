// prepare_graph: inference in topological order with constant folding, then dead-node removal.
#include "host/transforms/prepare.h"

#include "host/common/error.h"
#include "host/graph/sub_graphs.h"
#include "host/transforms/constant_folding.h"

namespace octet {
namespace {

// The bodies of If/Loop/TensorIterator are prepared like the graph itself (folding their shape
// subgraphs, which their inference may need), with their Parameters bound to the node's inputs.
void prepare_bodies(const Node& node) {
  for (const Body& body : sub_graphs(node).bodies) {
    bind_body_parameters(node, body);
    try {
      prepare_graph(*body.graph);
    } catch (const Error& e) {
      rethrow_with_context(e, fmt::format("{} {}", node.describe(), body.label));
    }
  }
}

}  // namespace

void prepare_graph(Graph& g) {
  for (Node* p : g.parameters)
    if (p->outputs.empty() || !is_static(p->outputs[0].shape))
      raise(ErrorCode::kUnsupported, "dynamic shapes: give a static shape for parameter '{}' ({})", p->name,
            p->outputs.empty() ? std::string("no shape") : to_string(p->outputs[0].shape));
  // The order is taken once: folding only adds Constants (no inputs, nothing to infer) and rewires
  // consumers that come later in this order.
  for (Node* node : g.topological_order()) {
    if (node->op == OpKind::kParameter && !node->outputs.empty() && !is_static(node->outputs[0].shape))
      raise(ErrorCode::kUnsupported, "dynamic shapes: give a static shape for parameter '{}' ({})",
            node->name, to_string(node->outputs[0].shape));
    if (is_sub_graph_op(node->op)) prepare_bodies(*node);
    infer_node(*node);
    for (const Value& v : node->outputs)
      if (!is_static(v.shape))
        raise(ErrorCode::kUnsupported, "{}: output shape {} is dynamic after inference", node->describe(),
              to_string(v.shape));
    fold_node(g, *node);
  }
  g.remove_dead_nodes();
}

void drop_unused_pool_indices(Graph& g) {
  for (Node* node : g.topological_order())
    if (node->op == OpKind::kMaxPool && node->outputs.size() == 2 && g.consumers({node, 1}).empty())
      node->outputs.pop_back();
}

}  // namespace octet
