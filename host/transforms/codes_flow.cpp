// Codes through MaxPool and Concat (see codes_flow.h).
#include "host/transforms/codes_flow.h"

#include <map>
#include <memory>
#include <set>

#include "host/common/error.h"
#include "host/graph/codes_ops.h"
#include "host/graph/ops/conv_geometry.h"
#include "host/graph/quantized_linear.h"
#include "host/transforms/quantize_grid.h"

namespace octet {
namespace {

bool same_quant(const ActivationQuant& a, const ActivationQuant& b) {
  return a.levels == b.levels && a.in_low == b.in_low && a.in_high == b.in_high && a.out_low == b.out_low &&
         a.out_high == b.out_high;
}

bool plain_quantizer(const Node& n) {
  return n.op == OpKind::kQuantizeActivation && quantize_params(n).channel_quant.empty();
}

// The QuantizeActivation{quant, layout} of `value`: an existing consumer, or a new node.
Output codes_of(Graph& graph, Output value, const ActivationQuant& quant, bool channels_last) {
  for (const auto& [user, port] : graph.consumers(value))
    if (port == 0 && plain_quantizer(*user) && quantize_params(*user).channels_last == channels_last &&
        same_quant(quantize_params(*user).quant, quant))
      return {user, 0};
  Node* node =
      graph.add(OpKind::kQuantizeActivation, value.node->name + (channels_last ? "/codes_nhwc" : "/codes"));
  node->inputs = {value};
  auto payload = std::make_shared<ActivationQuantize>();
  payload->quant = quant;
  payload->channels_last = channels_last;
  node->payload = payload;
  infer_node(*node);
  return {node, 0};
}

// Why the QuantizeActivations after `op` (all of its consumers, of `q` in `channels_last` layout)
// cannot move before it; "" when they can.
std::string why_not(const Graph& graph, const Node& op, const ActivationQuant& q, bool channels_last) {
  const size_t rank = op.outputs[0].shape.size();
  if (channels_last && rank < 3) return "codes of rank below 3";
  if (op.op == OpKind::kMaxPool) {
    if (!channels_last) return "MaxPool codes are channels last only";
    if (rank > 5) return "MaxPool of rank above 5";
    if (op.outputs.size() > 1 && !graph.consumers({const_cast<Node*>(&op), 1}).empty())
      return "MaxPool's indices output is used";
  }
  for (const auto& [user, port] : graph.consumers({const_cast<Node*>(&op), 0}))
    if (!plain_quantizer(*user) || quantize_params(*user).channels_last != channels_last ||
        !same_quant(quantize_params(*user).quant, q))
      return fmt::format("its output also feeds {} ({})", user->name, op_name(user->op));
  std::string why;
  const auto grid = value_grid({const_cast<Node*>(&op), 0}, &why);
  if (!grid) return why;
  if (!same_quant(*grid, q)) return "its QuantizeActivation is not of the values' own grid";
  return "";
}

// The Concat axis of [N, C, spatial...] in the channels-last layout [N, spatial..., C].
int64_t channels_last_axis(int64_t axis, int64_t rank) {
  if (axis < 0) axis += rank;
  return axis == 0 ? 0 : axis == 1 ? rank - 1 : axis - 1;
}

}  // namespace

std::vector<std::string> move_codes_before_value_ops(Graph& graph) {
  std::set<const Node*> moved;
  std::map<const Node*, std::string> stays;
  for (bool changed = true; changed;) {
    changed = false;
    for (Node* qa : graph.topological_order()) {
      if (!plain_quantizer(*qa) || graph.consumers({qa, 0}).empty()) continue;
      Node* op = qa->inputs[0].node;
      if ((op->op != OpKind::kMaxPool && op->op != OpKind::kConcat) || qa->inputs[0].index != 0 ||
          moved.count(op))
        continue;
      const ActivationQuantize& p = quantize_params(*qa);
      const std::string why = why_not(graph, *op, p.quant, p.channels_last);
      if (!why.empty()) {
        stays[op] = why;
        continue;
      }
      stays.erase(op);
      moved.insert(op);
      Node* codes = nullptr;
      if (op->op == OpKind::kMaxPool) {
        codes = graph.add(OpKind::kCodesMaxPool, op->name + "/codes");
        auto payload = std::make_shared<CodesMaxPoolParams>();
        payload->window = pool_geometry(*op);
        codes->payload = payload;
        codes->inputs = {codes_of(graph, op->inputs[0], p.quant, true)};
      } else {
        const int64_t rank = static_cast<int64_t>(op->outputs[0].shape.size());
        const int64_t axis = op->attr<AxisAttrs>().axis;
        codes = graph.add(OpKind::kConcat, op->name + "/codes", op->version);
        codes->attrs.set("axis", std::to_string(p.channels_last ? channels_last_axis(axis, rank) : axis));
        for (const Output& in : op->inputs)
          codes->inputs.push_back(codes_of(graph, in, p.quant, p.channels_last));
      }
      infer_node(*codes);
      for (const auto& [user, port] : graph.consumers({op, 0})) graph.replace_all_uses({user, 0}, {codes, 0});
      changed = true;
    }
  }
  std::vector<std::string> lines;
  for (const auto& [op, why] : stays)
    if (!moved.count(op)) lines.push_back(fmt::format("{} ({}): {}", op->name, op_name(op->op), why));
  // Dead nodes are removed only now: until here no node is freed, so the pointers above stay valid.
  graph.remove_dead_nodes();
  return lines;
}

}  // namespace octet
