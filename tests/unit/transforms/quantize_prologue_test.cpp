// fold_quantize_prologues (host/transforms/quantize_prologue.h): which BatchNorm -> Relu chains a
// QuantizeActivation takes in, and the quantized model's result with the fold against the same
// model quantized without it, bit for bit (both run by the reference evaluators, whose folded
// QuantizeActivation applies the ops itself and whose unfolded graph runs the Multiply, Add and
// Relu nodes).
#include "host/transforms/quantize_prologue.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

#include "host/graph/quantized_linear.h"
#include "host/reference/run_graph.h"
#include "host/transforms/quantize_linear.h"
#include "tests/unit/graph/infer_test_util.h"
#include "tests/unit/transforms/same_results.h"

namespace octet {
namespace {

using test::Builder;
using test::fake_quantize;

// A 1x1 convolution of int8 weights with per-output scales.
Node* conv(Builder& b, Node* x, int64_t out, int64_t in) {
  Tensor codes(ElementType::kI8, {out, in, 1, 1});
  for (int64_t i = 0; i < codes.element_count(); ++i)
    codes.data_as<int8_t>()[i] = static_cast<int8_t>((i * 37 + 11) % 255 - 127);
  Node* c = b.g.add_constant("codes", std::move(codes));
  Node* convert = b.op(OpKind::kConvert, {c}, {{"destination_type", "f32"}});
  std::vector<float> scales;
  for (int64_t o = 0; o < out; ++o) scales.push_back(0.004f + 0.001f * static_cast<float>(o));
  Node* w = b.op(OpKind::kMultiply, {convert, b.floats(scales, Dims{out, 1, 1, 1})});
  return b.op(OpKind::kConvolution, {x, w},
              {{"strides", "1,1"},
               {"dilations", "1,1"},
               {"pads_begin", "0,0"},
               {"pads_end", "0,0"},
               {"auto_pad", "explicit"}});
}

std::vector<float> ramp(int64_t n, float start, float step) {
  std::vector<float> v;
  for (int64_t i = 0; i < n; ++i) v.push_back(start + step * static_cast<float>(i));
  return v;
}

QuantizeOptions options(bool fold) {
  QuantizeOptions o;
  o.fuse_across_fake_quantize = true;
  o.emit_codes = true;
  o.fuse_quantize_prologue = fold;
  return o;
}

// Inputs: random values, with NaN, infinities, signed zeros and huge values sprinkled in.
std::map<std::string, Tensor> inputs_of(const Graph& g) {
  std::mt19937 rng(5);
  std::map<std::string, Tensor> inputs;
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            0.0f,
                            -0.0f,
                            3e38f,
                            -3e38f};
  for (const Node* p : g.parameters) {
    Tensor t(ElementType::kF32, p->outputs[0].shape);
    for (int64_t i = 0; i < t.element_count(); ++i)
      t.data_as<float>()[i] =
          i % 97 < 7 ? specials[i % 97] : std::uniform_real_distribution<float>(-3, 3)(rng);
    inputs.emplace(p->name, std::move(t));
  }
  return inputs;
}

// Builds the model twice, quantizes it without and with the fold, requires equal result bytes and
// returns the folded graph.
Graph expect_same_results(const std::function<void(Builder&)>& build) {
  return test::expect_same_results(build, options(false), options(true), inputs_of);
}

void finish(Builder& b, Node* x, std::vector<Node*> outs) {
  for (Node* out : outs) b.g.results.push_back(b.op(OpKind::kResult, {out}));
  b.g.parameters = {x};
  infer_shapes(b.g);
}

int count(const Graph& g, OpKind op) {
  int n = 0;
  for (const Node* node : g.topological_order()) n += node->op == op;
  return n;
}

const ActivationQuantize* only_quantizer(const Graph& g) {
  const ActivationQuantize* found = nullptr;
  for (const Node* n : g.topological_order())
    if (n->op == OpKind::kQuantizeActivation) {
      EXPECT_EQ(found, nullptr) << "more than one QuantizeActivation";
      found = &quantize_params(*n);
    }
  return found;
}

// DenseNet's norm -> relu -> FakeQuantize -> 1x1 conv, the scale on the Multiply's first port and
// the shift [C, 1, 1] (numpy-aligned): all three fold.
TEST(QuantizePrologue, BatchNormReluFoldsIntoTheQuantizer) {
  Graph g = expect_same_results([](Builder& b) {
    Node* x = b.param({2, 24, 5, 7});
    Node* scaled = b.op(OpKind::kMultiply, {b.floats(ramp(24, -1.5f, 0.13f), Dims{1, 24, 1, 1}), x});
    Node* shifted = b.op(OpKind::kAdd, {scaled, b.floats(ramp(24, 0.7f, -0.05f), Dims{24, 1, 1})});
    Node* relu = b.op(OpKind::kRelu, {shifted});
    finish(b, x, {conv(b, fake_quantize(b, relu, 0.0f, 2.55f), 8, 24)});
  });
  const ActivationQuantize* q = only_quantizer(g);
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->pre_scale, ramp(24, -1.5f, 0.13f));
  EXPECT_EQ(q->pre_shift, ramp(24, 0.7f, -0.05f));
  EXPECT_TRUE(q->pre_relu);
  EXPECT_EQ(count(g, OpKind::kMultiply) + count(g, OpKind::kAdd) + count(g, OpKind::kRelu), 0);
}

// Each op alone, a scalar constant, and a grid that straddles zero (a Relu'd 0 is a middle level).
TEST(QuantizePrologue, EachOpAloneFolds) {
  for (int which = 0; which < 3; ++which) {
    Graph g = expect_same_results([&](Builder& b) {
      Node* x = b.param({1, 5, 3, 4});
      Node* y = which == 0   ? b.op(OpKind::kMultiply, {x, b.floats({0.75f}, Dims{})})
                : which == 1 ? b.op(OpKind::kAdd, {x, b.floats(ramp(5, -0.3f, 0.2f), Dims{1, 5, 1, 1})})
                             : b.op(OpKind::kRelu, {x});
      finish(b, x, {conv(b, fake_quantize(b, y, -1.28f, 1.27f), 4, 5)});
    });
    const ActivationQuantize* q = only_quantizer(g);
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->pre_scale.size(), which == 0 ? 5u : 0u);
    EXPECT_EQ(q->pre_shift.size(), which == 1 ? 5u : 0u);
    EXPECT_EQ(q->pre_relu, which == 2);
  }
}

// What stays: an Add also read by another node (the Relu alone folds), a Multiply varying along
// the height, one broadcast the pdpd way, and a Relu before the BatchNorm (the order is Multiply,
// Add, Relu only).
TEST(QuantizePrologue, SharedOrNonChannelOpsStay) {
  Graph shared = expect_same_results([](Builder& b) {
    Node* x = b.param({1, 6, 4, 4});
    Node* shifted = b.op(OpKind::kAdd, {x, b.floats(ramp(6, 0.1f, 0.1f), Dims{1, 6, 1, 1})});
    Node* relu = b.op(OpKind::kRelu, {shifted});
    finish(b, x, {conv(b, fake_quantize(b, relu, 0.0f, 2.55f), 4, 6), shifted});
  });
  ASSERT_NE(only_quantizer(shared), nullptr);
  EXPECT_TRUE(only_quantizer(shared)->pre_relu);
  EXPECT_TRUE(only_quantizer(shared)->pre_shift.empty());
  EXPECT_EQ(count(shared, OpKind::kAdd), 1);

  Graph rows = expect_same_results([](Builder& b) {
    Node* x = b.param({1, 6, 4, 4});
    Node* scaled = b.op(OpKind::kMultiply, {x, b.floats(ramp(4, 0.5f, 0.25f), Dims{1, 1, 4, 1})});
    finish(b, x, {conv(b, fake_quantize(b, scaled, -1.28f, 1.27f), 4, 6)});
  });
  ASSERT_NE(only_quantizer(rows), nullptr);
  EXPECT_FALSE(only_quantizer(rows)->has_prologue());
  EXPECT_EQ(count(rows, OpKind::kMultiply), 1) << "the data Multiply stays";

  // pdpd broadcasting from axis 0: [2, 1, 1] scales the batch, not the channels (numpy's reading).
  Graph pdpd = expect_same_results([](Builder& b) {
    Node* x = b.param({2, 2, 4, 4});
    Node* scaled = b.op(OpKind::kMultiply, {x, b.floats({0.5f, 1.5f}, Dims{2, 1, 1})},
                        {{"auto_broadcast", "pdpd"}, {"auto_broadcast.auto_broadcast_axis", "0"}});
    finish(b, x, {conv(b, fake_quantize(b, scaled, -1.28f, 1.27f), 4, 2)});
  });
  ASSERT_NE(only_quantizer(pdpd), nullptr);
  EXPECT_FALSE(only_quantizer(pdpd)->has_prologue());
  EXPECT_EQ(count(pdpd, OpKind::kMultiply), 1);

  Graph order = expect_same_results([](Builder& b) {
    Node* x = b.param({1, 6, 4, 4});
    Node* relu = b.op(OpKind::kRelu, {x});
    Node* shifted = b.op(OpKind::kAdd, {relu, b.floats(ramp(6, -0.4f, 0.1f), Dims{1, 6, 1, 1})});
    finish(b, x, {conv(b, fake_quantize(b, shifted, -1.28f, 1.27f), 4, 6)});
  });
  ASSERT_NE(only_quantizer(order), nullptr);
  EXPECT_FALSE(only_quantizer(order)->pre_relu);
  EXPECT_EQ(only_quantizer(order)->pre_shift.size(), 6u);
  EXPECT_EQ(count(order, OpKind::kRelu), 1);
}

}  // namespace
}  // namespace octet
