// Runs a whole prepared graph with the reference evaluators, in topological order.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "host/graph/graph.h"

namespace octet {

// Called after each node is evaluated with its outputs (not for Results).
using NodeCallback = std::function<void(const Node& node, const std::vector<Tensor>& outputs)>;

// `inputs` are keyed by a Parameter's first tensor name (outputs[0].names[0]) or, failing that, by
// its node name; both keys are accepted. Every Parameter needs an input of exactly its type and
// shape (kParameterMismatch otherwise; kNotFound when missing).
//
// Outputs are keyed by the first tensor name of the value each Result reads and by the Result's
// node name (a tensor-name key wins where the two clash). With keep_all, every node's outputs are returned as
// well, keyed "<node name>" for output 0 and "<node name>:<i>" for the others (tensor-name keys win on a
// clash).
std::map<std::string, Tensor> run_reference(const Graph& g, const std::map<std::string, Tensor>& inputs,
                                            bool keep_all = false, const NodeCallback& on_node = nullptr);

}  // namespace octet
