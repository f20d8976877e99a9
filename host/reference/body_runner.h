// Runs a sub-graph body (host/graph/sub_graphs.h) with the reference evaluators, once per iteration:
// the evaluation order and the value lifetimes are worked out once, when the runner is made.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "host/graph/graph.h"

namespace octet {

class BodyRunner {
 public:
  // `body` must be inferred (every value typed) and outlive the runner.
  explicit BodyRunner(const Graph& body);

  // Evaluates the body on one tensor per Parameter (in body.parameters order, each of its
  // Parameter's type and shape) and returns one tensor per Result (in body.results order).
  std::vector<Tensor> run(const std::vector<Tensor>& parameters) const;

 private:
  struct Step {
    const Node* node = nullptr;
    std::vector<std::pair<size_t, size_t>> args;  // (step of the producer, its output index)
    size_t parameter = 0;                         // Parameter steps: index into body.parameters
    size_t result = 0;                            // Result steps: index into body.results
  };
  const Graph& body_;
  std::vector<Step> steps_;
  std::vector<size_t> uses_;  // per step: how many later arguments read its outputs
};

}  // namespace octet
