// TensorNameIndex: OpenVINO's tensor-name lookup plus octet's layer-name spellings, with ambiguity
// refused rather than resolved by registration order.
#include "host/graph/tensor_names.h"

#include <algorithm>

#include "host/common/error.h"

namespace octet {

std::string display_name(Output value) {
  const Value& v = value.node->outputs.at(value.index);
  if (!v.names.empty()) return v.names.front();
  if (value.node->outputs.size() > 1) return fmt::format("{}.{}", value.node->name, value.index);
  return value.node->name;
}

TensorNameIndex::TensorNameIndex(const Graph& graph, Filter accept, std::string what)
    : what_(std::move(what)) {
  auto admitted = [&](Output v) {
    if (v.node->op == OpKind::kResult) return false;
    return !accept || accept(v);
  };
  for (const auto& owned : graph.nodes()) {
    const Node* node = owned.get();
    if (node->op == OpKind::kResult) {
      const Output read = node->inputs.at(0);
      if (admitted(read)) add(kResultName, node->name, read, fmt::format("Result layer '{}'", node->name));
      continue;
    }
    const size_t count = node->outputs.size();
    bool any_admitted = false;
    for (size_t port = 0; port < count; ++port) {
      const Output v{const_cast<Node*>(node), static_cast<int>(port)};
      if (!admitted(v)) continue;
      any_admitted = true;
      const std::string where = fmt::format("layer '{}' output {}", node->name, port);
      for (const std::string& n : node->outputs[port].names)
        add(kTensorName, n, v, "tensor name of " + where);
      add(kLayerPort, fmt::format("{}.{}", node->name, port), v, where);
      if (count == 1) add(kLayerName, node->name, v, fmt::format("layer '{}'", node->name));
    }
    // A multi-output layer's bare name never picks an output: every output is a candidate, so
    // find() refuses it and lists them.
    if (count > 1 && any_admitted) {
      for (size_t port = 0; port < count; ++port) {
        const Output v{const_cast<Node*>(node), static_cast<int>(port)};
        const auto& names = node->outputs[port].names;
        add(kLayerName, node->name, v,
            fmt::format("'{}.{}'{}", node->name, port,
                        names.empty() ? std::string() : fmt::format(" (tensor '{}')", names.front())));
      }
    }
  }
}

void TensorNameIndex::add(Tier tier, const std::string& name, Output value, std::string why) {
  auto& list = tiers_[tier][name];
  for (const Candidate& c : list)
    if (c.value == value) return;
  list.push_back({value, std::move(why)});
}

std::optional<Output> TensorNameIndex::find(std::string_view name) const {
  const std::string key(name);
  for (const auto& tier : tiers_) {
    const auto it = tier.find(key);
    if (it == tier.end()) continue;
    const auto& list = it->second;
    if (list.size() == 1) return list.front().value;
    std::string candidates;
    for (const Candidate& c : list) candidates += (candidates.empty() ? "" : "; ") + c.why;
    raise(ErrorCode::kInvalidArgument,
          "{} name '{}' is ambiguous: it could mean {}; use a tensor name or '<layer>.<n>'", what_, key,
          candidates);
  }
  return std::nullopt;
}

Output TensorNameIndex::get(std::string_view name, const std::string& valid) const {
  if (const auto v = find(name)) return *v;
  raise(ErrorCode::kNotFound, "no {} named '{}'; {}", what_, name, valid);
}

std::vector<std::string> TensorNameIndex::names() const {
  std::vector<std::string> out;
  for (const auto& tier : tiers_)
    for (const auto& [name, list] : tier)
      if (list.size() == 1) out.push_back(name);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace octet
