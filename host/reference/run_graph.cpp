// run_reference: evaluates every node of a graph in topological order with evaluate_reference.
#include "host/reference/run_graph.h"

#include <unordered_map>

#include "host/common/error.h"
#include "host/reference/evaluate.h"

namespace octet {
namespace {

const Tensor& find_input(const Node& p, const std::map<std::string, Tensor>& inputs) {
  auto it = inputs.end();
  if (!p.outputs.empty())
    for (const std::string& name : p.outputs[0].names)
      if ((it = inputs.find(name)) != inputs.end()) break;
  if (it == inputs.end()) it = inputs.find(p.name);
  if (it == inputs.end()) raise(ErrorCode::kNotFound, "no input given for parameter '{}'", p.name);
  const Value& v = p.outputs.at(0);
  if (it->second.type() != v.type || it->second.shape() != v.shape)
    raise(ErrorCode::kParameterMismatch, "input '{}' is {} {}, the model expects {} {}", it->first,
          element_type_name(it->second.type()), to_string(it->second.shape()), element_type_name(v.type),
          to_string(v.shape));
  return it->second;
}

}  // namespace

std::map<std::string, Tensor> run_reference(const Graph& g, const std::map<std::string, Tensor>& inputs,
                                            bool keep_all, const NodeCallback& on_node) {
  std::unordered_map<const Node*, std::vector<Tensor>> values;
  // Free each tensor after its last consumer unless every intermediate is kept.
  std::unordered_map<const Node*, size_t> remaining;
  for (const auto& node : g.nodes())
    for (const Output& in : node->inputs) ++remaining[in.node];
  std::map<std::string, Tensor> out;
  for (Node* node : g.topological_order()) {
    std::vector<Tensor> result;
    if (node->op == OpKind::kParameter) {
      result = {find_input(*node, inputs)};
    } else {
      std::vector<const Tensor*> args;
      for (const Output& in : node->inputs)
        args.push_back(&values.at(in.node).at(static_cast<size_t>(in.index)));
      try {
        result = evaluate_reference(*node, args);
      } catch (const Error& e) {
        rethrow_with_context(e, "reference run");
      }
      if (node->op == OpKind::kResult) {
        const Output& src = node->inputs.at(0);
        const Value& v = src.node->outputs.at(static_cast<size_t>(src.index));
        if (!v.names.empty()) out[v.names[0]] = *args[0];
        // Also under the Result's own name, which stays the same when a transform gives the value
        // a tensor name (a fused layer's value takes its last fused op's name).
        out.emplace(node->name, *args[0]);
      }
      for (const Output& in : node->inputs)
        if (--remaining[in.node] == 0 && !keep_all) values.erase(in.node);
    }
    if (on_node && node->op != OpKind::kResult) on_node(*node, result);
    if (keep_all && node->op != OpKind::kResult)
      for (size_t i = 0; i < result.size(); ++i) {
        const std::string key = i == 0 ? node->name : node->name + ":" + std::to_string(i);
        out.emplace(key, result[i]);  // emplace: a Result's tensor-name key already there wins
      }
    values[node] = std::move(result);
  }
  return out;
}

}  // namespace octet
