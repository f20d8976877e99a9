// Classifies the first out-of-tolerance layer of a per-layer comparison by the state of its inputs.
#include "tools/cli/divergence.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace octet::cli {

Divergence first_divergence(const std::vector<LayerResult>& layers,
                            const std::vector<std::string>& model_inputs) {
  std::map<std::string, const LayerResult*> by_name;
  for (const LayerResult& l : layers) by_name.emplace(l.name, &l);
  Divergence d;
  for (const LayerResult& l : layers) {
    if (!l.compared || l.pass) continue;
    d.layer = l.name;
    for (const std::string& in : l.inputs) {
      if (std::find(model_inputs.begin(), model_inputs.end(), in) != model_inputs.end()) continue;
      const auto it = by_name.find(in);
      if (it == by_name.end() || !it->second->compared) {
        d.unchecked_inputs.push_back(in);
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
          "first divergence at {}: its inputs are within tolerance, so the error starts in this "
          "layer",
          d.layer);
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
