// Helpers for the If/Loop/TensorIterator tests: body graphs and sub-graph nodes built in code, with
// the payload the IR reader would make (host/graph/sub_graphs.h).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "host/graph/sub_graphs.h"

namespace octet::test {

// A body graph under construction.
class BodyBuilder {
 public:
  BodyBuilder() : g(std::make_shared<Graph>()) {}

  Node* param(ElementType type, Dims shape) {
    Node* p = g->add(OpKind::kParameter, "bp" + std::to_string(++count_));
    p->outputs = {Value{type, std::move(shape), {}, false, {}}};
    g->parameters.push_back(p);
    return p;
  }
  Node* op(OpKind kind, std::vector<Node*> inputs, std::map<std::string, std::string> attrs = {}) {
    Node* n = g->add(kind, "b" + std::to_string(++count_));
    for (Node* in : inputs) n->inputs.push_back({in, 0});
    for (auto& [k, v] : attrs) n->attrs.set(k, v);
    return n;
  }
  Node* constant(Tensor t) { return g->add_constant("bc" + std::to_string(++count_), std::move(t)); }
  Node* boolean(bool v) {
    Tensor t(ElementType::kBoolean, {});
    t.data_as<uint8_t>()[0] = v ? 1 : 0;
    return constant(std::move(t));
  }
  Node* f32(float v) {
    Tensor t(ElementType::kF32, {});
    t.data_as<float>()[0] = v;
    return constant(std::move(t));
  }
  // A Result reading `src`; returns its index among the body's results.
  size_t result(Node* src) {
    Node* r = g->add(OpKind::kResult, "br" + std::to_string(++count_));
    r->inputs = {{src, 0}};
    g->results.push_back(r);
    return g->results.size() - 1;
  }
  size_t index_of(const Node* p) const {
    for (size_t i = 0; i < g->parameters.size(); ++i)
      if (g->parameters[i] == p) return i;
    ADD_FAILURE() << "not a body parameter";
    return 0;
  }

  std::shared_ptr<Graph> g;

 private:
  int count_ = 0;
};

inline BodyInput invariant(size_t input, size_t parameter) {
  BodyInput in;
  in.input = input;
  in.parameter = parameter;
  return in;
}
inline BodyInput merged(size_t input, size_t parameter, size_t back_edge) {
  BodyInput in = invariant(input, parameter);
  in.kind = BodyInputKind::kMerged;
  in.back_edge = back_edge;
  return in;
}
inline BodyInput sliced(size_t input, size_t parameter, int64_t axis, int64_t start, int64_t stride,
                        int64_t part, int64_t end) {
  BodyInput in = invariant(input, parameter);
  in.kind = BodyInputKind::kSliced;
  in.slicing = {axis, start, stride, part, end};
  return in;
}
inline BodyOutput last_value(size_t output, size_t result) {
  BodyOutput o;
  o.output = output;
  o.result = result;
  return o;
}
inline BodyOutput concat(size_t output, size_t result, int64_t axis, int64_t stride = 1) {
  BodyOutput o = last_value(output, result);
  o.kind = BodyOutputKind::kConcat;
  o.slicing.axis = axis;
  o.slicing.stride = stride;
  return o;
}

inline Body body_of(const BodyBuilder& b, std::vector<BodyInput> inputs, std::vector<BodyOutput> outputs,
                    const char* label = "body") {
  Body body;
  body.graph = b.g;
  body.inputs = std::move(inputs);
  body.outputs = std::move(outputs);
  body.label = label;
  return body;
}

// A sub-graph node in `g` reading `inputs`, with `outputs` untyped outputs and the given payload.
inline Node* sub_graph_node(Graph& g, OpKind op, std::vector<Node*> inputs, size_t outputs,
                            std::shared_ptr<SubGraphs> payload) {
  Node* n = g.add(op, op_name(op), op == OpKind::kIf ? 8 : op == OpKind::kLoop ? 5 : 1);
  for (Node* in : inputs) n->inputs.push_back({in, 0});
  n->outputs.resize(outputs);
  n->payload = std::move(payload);
  return n;
}

}  // namespace octet::test
