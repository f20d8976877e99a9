// prepare_graph: inference in topological order with constant folding, then dead-node removal.
#include "host/transforms/prepare.h"

#include "host/common/error.h"
#include "host/transforms/constant_folding.h"

namespace octet {

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
