// BodyRunner: a sub-graph body evaluated in topological order, freeing each value after its last use.
#include "host/reference/body_runner.h"

#include <unordered_map>

#include "host/common/error.h"
#include "host/reference/evaluate.h"

namespace octet {

BodyRunner::BodyRunner(const Graph& body) : body_(body) {
  std::unordered_map<const Node*, size_t> step_of, parameter_of, result_of;
  for (size_t i = 0; i < body.parameters.size(); ++i) parameter_of.emplace(body.parameters[i], i);
  for (size_t i = 0; i < body.results.size(); ++i) result_of.emplace(body.results[i], i);
  for (const Node* node : body.topological_order()) {
    Step step;
    step.node = node;
    for (const Output& in : node->inputs)
      step.args.emplace_back(step_of.at(in.node), static_cast<size_t>(in.index));
    if (node->op == OpKind::kParameter) {
      const auto it = parameter_of.find(node);
      if (it == parameter_of.end())
        raise(ErrorCode::kInternal, "{}: a body Parameter missing from the body's parameter list",
              node->describe());
      step.parameter = it->second;
    }
    if (node->op == OpKind::kResult) step.result = result_of.at(node);
    step_of.emplace(node, steps_.size());
    steps_.push_back(std::move(step));
  }
  uses_.assign(steps_.size(), 0);
  for (const Step& s : steps_)
    for (const auto& a : s.args) ++uses_[a.first];
}

std::vector<Tensor> BodyRunner::run(const std::vector<Tensor>& parameters) const {
  if (parameters.size() != body_.parameters.size())
    raise(ErrorCode::kInternal, "body run with {} tensors for {} parameters", parameters.size(),
          body_.parameters.size());
  std::vector<std::vector<Tensor>> values(steps_.size());
  std::vector<size_t> remaining = uses_;
  std::vector<Tensor> results(body_.results.size());
  std::vector<const Tensor*> args;
  for (size_t k = 0; k < steps_.size(); ++k) {
    const Step& s = steps_[k];
    const Node& node = *s.node;
    if (node.op == OpKind::kParameter) {
      const Tensor& t = parameters[s.parameter];
      const Value& v = node.outputs.at(0);
      if (t.type() != v.type || t.shape() != v.shape)
        raise(ErrorCode::kInternal, "{}: fed {} {}, the body expects {} {}", node.describe(),
              element_type_name(t.type()), to_string(t.shape()), element_type_name(v.type),
              to_string(v.shape));
      values[k] = {t};
    } else if (node.op == OpKind::kResult) {
      const auto& a = s.args.at(0);
      results[s.result] = values[a.first].at(a.second);
    } else {
      args.clear();
      for (const auto& a : s.args) args.push_back(&values[a.first].at(a.second));
      values[k] = evaluate_reference(node, args);
    }
    for (const auto& a : s.args)
      if (--remaining[a.first] == 0) values[a.first].clear();
  }
  return results;
}

}  // namespace octet
