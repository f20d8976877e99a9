// The names a user may give for a model input, output or intermediate tensor, resolved the way
// OpenVINO resolves them, and refused (with the candidates) where a name is ambiguous.
//
// OpenVINO addresses tensors by the names in each output port's `names` attribute (a port may
// have several, comma-separated) and by nothing else. Its ONNX frontend names a multi-output
// layer after its *last* output, so a layer name can equal the tensor name of output 2 while
// output 0 has another name: treating the layer name as "the first output" returns the wrong
// tensor. octet accepts, in this order of precedence (the first tier with any match decides):
//   1. tensor names (OpenVINO's rule);
//   2. the name of a Result layer (the value it reads);
//   3. "<layer>.<n>", output n of a layer (the legacy Inference Engine spelling);
//   4. the name of a layer with exactly one output.
// Two different values matching in the same tier, or a multi-output layer's bare name, are
// ambiguous: find() throws Error(kInvalidArgument) listing the candidates instead of picking one.
//
//   TensorNameIndex outputs(graph, [&](Output v) { return is_model_output(v); });
//   if (auto v = outputs.find("logits")) ...
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/graph/graph.h"

namespace octet {

class TensorNameIndex {
 public:
  using Filter = std::function<bool(Output)>;
  // Indexes the values of `graph` that `accept` admits (every non-Result value when empty).
  // `what` names them in messages ("input", "output", "tensor").
  TensorNameIndex(const Graph& graph, Filter accept, std::string what);

  // The value `name` addresses, or nullopt when nothing does. Throws Error(kInvalidArgument) naming the
  // candidates when the name is ambiguous.
  std::optional<Output> find(std::string_view name) const;
  // Like find(), but a name that matches nothing throws Error(kNotFound) listing `valid`.
  Output get(std::string_view name, const std::string& valid) const;
  // Every name that resolves to exactly one value (for listings and diagnostics).
  std::vector<std::string> names() const;

 private:
  enum Tier { kTensorName, kResultName, kLayerPort, kLayerName, kTierCount };
  struct Candidate {
    Output value;
    std::string why;  // "tensor name of layer 'sp' output 2", for ambiguity messages
  };
  void add(Tier tier, const std::string& name, Output value, std::string why);

  std::map<std::string, std::vector<Candidate>> tiers_[kTierCount];
  std::string what_;
};

// The name octet shows for a value: its first tensor name, else the layer name, with ".<n>" added
// for a layer with several outputs (the spelling tier 3 of TensorNameIndex accepts).
std::string display_name(Output value);

}  // namespace octet
