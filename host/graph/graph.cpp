// Graph bookkeeping: node creation, topological order, rewiring and dead-node removal.
#include "host/graph/graph.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "host/common/error.h"

namespace octet {

const Tensor* Node::input_constant(size_t i) const {
  const Node* producer = inputs.at(i).node;
  return producer && producer->op == OpKind::kConstant ? producer->constant.get() : nullptr;
}

std::string Node::describe() const {
  if (ir_id >= 0) return fmt::format("layer '{}' (id {}, {}-{})", name, ir_id, op_name(op), version);
  return fmt::format("node '{}' ({})", name, op_name(op));
}

Node* Graph::add(OpKind op, std::string name, int version) {
  auto node = std::make_unique<Node>();
  node->op = op;
  node->name = std::move(name);
  node->version = version;
  node->attrs.set_owner(fmt::format("node '{}'", node->name));
  nodes_.push_back(std::move(node));
  return nodes_.back().get();
}

Node* Graph::add_constant(std::string name, Tensor value) {
  Node* node = add(OpKind::kConstant, std::move(name));
  Value out;
  out.type = value.type();
  out.shape = value.shape();
  node->outputs = {out};
  node->constant = std::make_shared<const Tensor>(std::move(value));
  return node;
}

std::vector<Node*> Graph::topological_order() const {
  std::unordered_map<const Node*, size_t> pending;  // unresolved inputs per node
  std::unordered_map<const Node*, std::vector<Node*>> users;
  pending.reserve(nodes_.size());
  for (const auto& node : nodes_) {
    pending[node.get()] = node->inputs.size();
    for (const Output& in : node->inputs) users[in.node].push_back(node.get());
  }
  std::vector<Node*> order;
  order.reserve(nodes_.size());
  for (const auto& node : nodes_)
    if (node->inputs.empty()) order.push_back(node.get());
  for (size_t head = 0; head < order.size(); ++head) {
    const auto it = users.find(order[head]);
    if (it == users.end()) continue;
    for (Node* user : it->second)
      if (--pending[user] == 0) order.push_back(user);
  }
  if (order.size() != nodes_.size()) {
    for (const auto& node : nodes_) {
      if (pending[node.get()] != 0) raise(ErrorCode::kModel, "cycle involving {}", node->describe());
    }
  }
  return order;
}

std::vector<std::pair<Node*, int>> Graph::consumers(Output output) const {
  std::vector<std::pair<Node*, int>> out;
  for (const auto& node : nodes_) {
    for (size_t i = 0; i < node->inputs.size(); ++i)
      if (node->inputs[i] == output) out.emplace_back(node.get(), static_cast<int>(i));
  }
  return out;
}

void Graph::replace_all_uses(Output from, Output to) {
  for (const auto& node : nodes_) {
    for (Output& in : node->inputs)
      if (in == from && node.get() != to.node) in = to;
  }
}

void Graph::remove_dead_nodes() {
  std::unordered_set<const Node*> live;
  std::vector<const Node*> stack(results.begin(), results.end());
  stack.insert(stack.end(), parameters.begin(), parameters.end());
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (!live.insert(node).second) continue;
    for (const Output& in : node->inputs)
      if (!live.count(in.node)) stack.push_back(in.node);
  }
  nodes_.erase(std::remove_if(nodes_.begin(), nodes_.end(),
                              [&](const std::unique_ptr<Node>& n) { return !live.count(n.get()); }),
               nodes_.end());
}

}  // namespace octet
