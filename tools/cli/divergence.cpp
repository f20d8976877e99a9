// Classifies the first out-of-tolerance layer of a per-layer comparison by the state of its inputs.
#include "tools/cli/divergence.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace octet::cli {

Divergence first_divergence(const std::vector<LayerResult>& layers,
                            const std::vector<std::string>& model_inputs) {
  std::map<std::string, const LayerResult*> by_name;
  for (const LayerResult& l : layers) by_name.emplace(l.name, &l);
  auto is_model_input = [&](const std::string& name) {
    return std::find(model_inputs.begin(), model_inputs.end(), name) != model_inputs.end();
  };
  Divergence d;
  for (const LayerResult& l : layers) {
    if (!l.compared || l.pass) continue;
    d.layer = l.name;
    // An input without a reference (e.g. the int8 codes a quantize step makes) is looked through to
    // the tensors it was computed from, until compared tensors or model inputs are reached.
    std::vector<std::string> pending = l.inputs;
    std::set<std::string> seen;
    while (!pending.empty()) {
      const std::string in = pending.back();
      pending.pop_back();
      if (!seen.insert(in).second || is_model_input(in)) continue;
      const auto it = by_name.find(in);
      if (it == by_name.end() || (!it->second->compared && it->second->inputs.empty())) {
        d.unchecked_inputs.push_back(in);
      } else if (!it->second->compared) {
        d.looked_through.push_back(in);
        pending.insert(pending.end(), it->second->inputs.begin(), it->second->inputs.end());
      } else if (!it->second->pass) {
        d.bad_inputs.push_back(in);
      }
    }
    // A bad input decides even when another is unchecked: the error is at least partly inherited.
    d.kind = !d.bad_inputs.empty()        ? Divergence::kPropagated
             : d.unchecked_inputs.empty() ? Divergence::kLayer
                                          : Divergence::kUnknown;
    return d;
  }
  return d;
}

std::string divergence_text(const Divergence& d) {
  switch (d.kind) {
    case Divergence::kNone: return "no layer outside tolerance";
    case Divergence::kLayer:
      return fmt::format(
          "first divergence at {}: its inputs are within tolerance{}, so the error starts in "
          "this layer",
          d.layer,
          d.looked_through.empty()
              ? std::string()
              : fmt::format(" (through {}, which has no reference)", fmt::join(d.looked_through, ", ")));
    case Divergence::kPropagated:
      return fmt::format("first divergence at {}: propagated, input {} already outside tolerance", d.layer,
                         fmt::join(d.bad_inputs, ", "));
    case Divergence::kUnknown:
      return fmt::format("first divergence at {}: cause unknown, input {} not compared", d.layer,
                         fmt::join(d.unchecked_inputs, ", "));
  }
  return "";
}

}  // namespace octet::cli
