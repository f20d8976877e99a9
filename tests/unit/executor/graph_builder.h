// Test helpers shared by unit_executor and unit_onednn: build small graphs, random tensors, compare.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <initializer_list>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "host/graph/graph.h"

namespace octet {
namespace test {

inline Tensor f32_tensor(Dims shape, const std::vector<float>& values) {
  Tensor t(ElementType::kF32, std::move(shape));
  EXPECT_EQ(static_cast<size_t>(t.element_count()), values.size());
  if (!values.empty()) std::memcpy(t.data(), values.data(), values.size() * sizeof(float));
  return t;
}

inline Tensor random_f32(const Dims& shape, uint32_t seed, float lo = -1, float hi = 1) {
  Tensor t(ElementType::kF32, shape);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (int64_t i = 0; i < t.element_count(); ++i) t.data_as<float>()[i] = dist(rng);
  return t;
}

// Builds a graph node by node: b.param("x", {1, 8}); b.op(OpKind::kRelu, "r", {x}); b.result(r).
struct GraphBuilder {
  Graph g;

  Node* param(const std::string& name, Dims shape, ElementType type = ElementType::kF32) {
    Node* p = g.add(OpKind::kParameter, name);
    p->outputs = {Value{type, shape, {name}, false, {}}};
    p->attrs.set("element_type", element_type_name(type));
    g.parameters.push_back(p);
    return p;
  }
  Node* constant(const std::string& name, Tensor value) { return g.add_constant(name, std::move(value)); }
  Node* op(OpKind kind, const std::string& name, std::vector<Output> inputs,
           const std::map<std::string, std::string>& attrs = {}, int version = 1) {
    Node* n = g.add(kind, name, version);
    n->inputs = std::move(inputs);
    for (const auto& kv : attrs) n->attrs.set(kv.first, kv.second);
    return n;
  }
  Node* op(OpKind kind, const std::string& name, std::vector<Node*> inputs,
           const std::map<std::string, std::string>& attrs = {}, int version = 1) {
    std::vector<Output> outs;
    for (Node* n : inputs) outs.push_back({n, 0});
    return op(kind, name, outs, attrs, version);
  }
  // Braced lists of nodes ({x, w}) pick this overload; both vector overloads would also accept
  // them through vector's iterator-pair constructor.
  Node* op(OpKind kind, const std::string& name, std::initializer_list<Node*> inputs,
           const std::map<std::string, std::string>& attrs = {}, int version = 1) {
    return op(kind, name, std::vector<Node*>(inputs), attrs, version);
  }
  Node* result(Node* producer, int port = 0) {
    Node* r = g.add(OpKind::kResult, producer->name + "/result");
    r->inputs = {{producer, port}};
    g.results.push_back(r);
    return r;
  }
};

// max |a - b| over two f32 tensors of the same shape; NaN when they disagree on NaN positions.
inline double max_abs_diff(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  double worst = 0;
  for (int64_t i = 0; i < a.element_count(); ++i) {
    const double x = a.get_as_double(i), y = b.get_as_double(i);
    if (std::isnan(x) != std::isnan(y)) return NAN;
    if (std::isnan(x)) continue;
    if (std::isinf(x) || std::isinf(y)) {
      if (x != y) return INFINITY;
      continue;
    }
    worst = std::max(worst, std::fabs(x - y));
  }
  return worst;
}

inline double max_abs(const Tensor& a) {
  double m = 0;
  for (int64_t i = 0; i < a.element_count(); ++i) {
    const double v = a.get_as_double(i);
    if (std::isfinite(v)) m = std::max(m, std::fabs(v));
  }
  return m;
}

}  // namespace test
}  // namespace octet
