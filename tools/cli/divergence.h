// First diverging layer for `octet compare --layers`: the first tensor in execution order outside
// tolerance, and whether its own inputs were still within tolerance (an error made by that layer)
// or already off (an error it inherited).
#pragma once

#include <string>
#include <vector>

namespace octet::cli {

// One compared tensor, in execution order, with the names of the tensors its layer reads.
struct LayerResult {
  std::string name;
  bool compared = true;  // false when the reference has no such tensor (or type/shape differ);
                         // with `inputs` known, the check looks through it to those inputs
  bool pass = true;
  std::vector<std::string> inputs;
};

struct Divergence {
  enum Kind {
    kNone,        // every compared tensor is within tolerance
    kLayer,       // inputs within tolerance, output outside: this layer's kernel (or its sensitivity)
    kPropagated,  // an input was already outside tolerance (possible when the order had gaps)
    kUnknown,     // an input was not compared, so the cause cannot be told
  };
  Kind kind = kNone;
  std::string layer;
  std::vector<std::string> bad_inputs;        // inputs outside tolerance
  std::vector<std::string> unchecked_inputs;  // inputs with no comparison (model inputs excluded)
  std::vector<std::string> looked_through;    // uncompared tensors whose own inputs were checked
};

// `model_inputs` are identical on both sides by construction and count as within tolerance.
Divergence first_divergence(const std::vector<LayerResult>& layers,
                            const std::vector<std::string>& model_inputs);

// One line for the report, e.g. "first divergence at conv2: its inputs (pool1) are within tolerance,
// so the error starts in this layer".
std::string divergence_text(const Divergence& d);

}  // namespace octet::cli
