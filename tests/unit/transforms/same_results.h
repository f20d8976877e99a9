// Shared by the transform tests that show a rewrite changes no value: the same model built twice,
// quantized with two sets of options, run by the reference evaluators on the same inputs.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <utility>

#include "host/reference/run_graph.h"
#include "host/transforms/quantize_linear.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {

// A per-tensor FakeQuantize of 256 levels with input range = output range [low, high].
inline Node* fake_quantize(Builder& b, Node* x, float low, float high) {
  Node* l = b.floats({low}, Dims{});
  Node* h = b.floats({high}, Dims{});
  return b.op(OpKind::kFakeQuantize, {x, l, h, l, h}, {{"levels", "256"}});
}

// Builds the model with `build` twice, quantizes one with `plain` and one with `rewritten`, runs
// both on inputs(graph) and requires every result's bytes to agree; returns the rewritten graph.
template <typename Build, typename Inputs>
Graph expect_same_results(Build build, const QuantizeOptions& plain, const QuantizeOptions& rewritten,
                          Inputs inputs) {
  Builder a, b;
  build(a);
  build(b);
  quantize_linear_ops(a.g, plain);
  quantize_linear_ops(b.g, rewritten);
  const std::map<std::string, Tensor> in = inputs(a.g);
  const auto expected = run_reference(a.g, in);
  const auto actual = run_reference(b.g, in);
  for (const Node* r : a.g.results) {
    const Tensor& e = expected.at(r->name);
    const Tensor& t = actual.at(r->name);
    EXPECT_EQ(t.shape(), e.shape()) << r->name;
    if (t.shape() == e.shape()) {
      EXPECT_EQ(std::memcmp(t.data(), e.data(), e.byte_size()), 0) << r->name;
    }
  }
  return std::move(b.g);
}

}  // namespace octet::test
