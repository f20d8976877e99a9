// The quantization pass on activations that reach a convolution through ops that only move values
// (Concat of identically quantized branches, VariadicSplit, ShuffleChannels) and on grouped
// convolutions with a per-channel activation FakeQuantize: which rewrite is made or declined (with
// its reason), the folded parameters worked out in the test, and the rewritten graph's values
// against the literal float graph's, both run by the reference evaluators.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "host/graph/quantized_linear.h"
#include "host/reference/run_graph.h"
#include "host/transforms/quantize_linear.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet {
namespace {

using test::Builder;

Node* fake_quantize(Builder& b, Node* x, Node* low, Node* high, int levels = 256) {
  return b.op(OpKind::kFakeQuantize, {x, low, high, low, high}, {{"levels", std::to_string(levels)}});
}

Node* fake_quantize(Builder& b, Node* x, float low, float high) {
  return fake_quantize(b, x, b.floats({low}, Dims{}), b.floats({high}, Dims{}));
}

// Int8 weights of `shape` (deterministic codes in [-127, 127]) dequantized by a per-output scale.
Node* int8_weights(Builder& b, const Dims& shape, size_t scale_rank_ones) {
  Tensor codes(ElementType::kI8, shape);
  for (int64_t i = 0; i < codes.element_count(); ++i)
    codes.data_as<int8_t>()[i] = static_cast<int8_t>((i * 37 + 11) % 255 - 127);
  Node* c = b.g.add_constant("codes", std::move(codes));
  Node* convert = b.op(OpKind::kConvert, {c}, {{"destination_type", "f32"}});
  Dims scale_shape(shape.begin(), shape.end() - static_cast<int64_t>(scale_rank_ones));
  int64_t outputs = 1;
  for (int64_t d : scale_shape) outputs *= d;
  scale_shape.insert(scale_shape.end(), scale_rank_ones, 1);
  std::vector<float> scales;
  for (int64_t o = 0; o < outputs; ++o) scales.push_back(0.01f + 0.003f * static_cast<float>(o));
  return b.op(OpKind::kMultiply, {convert, b.floats(scales, scale_shape)});
}

const std::map<std::string, std::string> kConv = {{"strides", "1,1"},
                                                  {"dilations", "1,1"},
                                                  {"pads_begin", "1,1"},
                                                  {"pads_end", "1,1"},
                                                  {"auto_pad", "explicit"}};

Node* conv(Builder& b, Node* x, int64_t out, int64_t in) {
  return b.op(OpKind::kConvolution, {x, int8_weights(b, {out, in, 3, 3}, 3)}, kConv);
}

Node* group_conv(Builder& b, Node* x, int64_t groups, int64_t in_per_group) {
  return b.op(OpKind::kGroupConvolution, {x, int8_weights(b, {groups, 1, in_per_group, 3, 3}, 3)}, kConv);
}

Node* finish(Builder& b, std::vector<Node*> params, Node* out) {
  Node* r = b.op(OpKind::kResult, {out});
  b.g.results.push_back(r);
  b.g.parameters = std::move(params);
  infer_shapes(b.g);
  return r;
}

// Random inputs over [-2, 2] for every parameter.
std::map<std::string, Tensor> random_inputs(const Graph& g) {
  std::mt19937 rng(7);
  std::map<std::string, Tensor> inputs;
  for (const Node* p : g.parameters) {
    Tensor t(ElementType::kF32, p->outputs[0].shape);
    for (int64_t i = 0; i < t.element_count(); ++i)
      t.data_as<float>()[i] = std::uniform_real_distribution<float>(-2, 2)(rng);
    inputs.emplace(p->name, std::move(t));
  }
  return inputs;
}

// Quantizes `b.g` with `options` and checks the rewritten graph's result against the float graph's:
// the integer path's only difference is the order of its float scaling (a few ulp of each term).
std::vector<QuantizationDecision> quantize_and_compare(Builder& b, Node* result,
                                                       const QuantizeOptions& options) {
  const auto inputs = random_inputs(b.g);
  const Tensor before = run_reference(b.g, inputs).at(result->name);
  const auto decisions = quantize_linear_ops(b.g, options);
  const Tensor after = run_reference(b.g, inputs).at(result->name);
  EXPECT_EQ(before.shape(), after.shape());
  double peak = 0;
  for (int64_t i = 0; i < before.element_count(); ++i)
    peak = std::max(peak, std::fabs(double{before.data_as<float>()[i]}));
  EXPECT_GT(peak, 0.1);
  for (int64_t i = 0; i < before.element_count(); ++i)
    EXPECT_NEAR(after.data_as<float>()[i], before.data_as<float>()[i], 1e-5 * peak) << "element " << i;
  return decisions;
}

// The decision for the layer named `name` (the pass replaces the node itself).
const QuantizationDecision& decision_of(const std::vector<QuantizationDecision>& ds,
                                        const std::string& name) {
  for (const QuantizationDecision& d : ds)
    if (d.node_name == name) return d;
  static QuantizationDecision none;
  ADD_FAILURE() << "no decision for " << name;
  return none;
}

// The node feeding the Result, and the QuantizeActivation feeding it.
const Node* quantized_node(const Node* result) {
  return result->inputs[0].node;
}

// Concat(FQ(a), FQ(b)) -> Convolution: int8 when both FakeQuantizes put values on one grid.
struct ConcatModel {
  Builder b;
  std::string conv_name;
  Node* result = nullptr;
  ConcatModel(float low_a, float high_a, float low_b, float high_b) {
    Node* a = b.param({1, 2, 5, 5});
    Node* bb = b.param({1, 2, 5, 5});
    Node* cat =
        b.op(OpKind::kConcat, {fake_quantize(b, a, low_a, high_a), fake_quantize(b, bb, low_b, high_b)},
             {{"axis", "1"}});
    Node* c = conv(b, cat, 3, 4);
    conv_name = c->name;
    result = finish(b, {a, bb}, c);
  }
};

TEST(QuantizeGrid, ConcatGridIsTheSharedFakeQuantizeGrid) {
  // [-1.28, 1.27] over 256 levels: step 0.01, zero at level 128.
  ConcatModel m(-1.28f, 1.27f, -1.28f, 1.27f);
  const auto decisions = quantize_and_compare(m.b, m.result, {});
  const QuantizationDecision& d = decision_of(decisions, m.conv_name);
  EXPECT_EQ(d.precision, "int8 (i8 act)");
  EXPECT_EQ(d.reason, "");
  const Node* q = quantized_node(m.result);
  ASSERT_EQ(q->op, OpKind::kQuantizedConvolution);
  ASSERT_EQ(q->inputs[0].node->op, OpKind::kQuantizeActivation);
  EXPECT_EQ(q->inputs[0].node->inputs[0].node->op, OpKind::kConcat);
  const QuantizedLinear& p = quantized_params(*q);
  ASSERT_TRUE(p.input.has_value());
  EXPECT_EQ(p.input->levels, 256);
  EXPECT_EQ(p.input->zero_point, 128);
  EXPECT_EQ(p.input->in_low, -1.28f);
  EXPECT_EQ(p.input->in_high, 1.27f);
  EXPECT_FLOAT_EQ(p.input->scale, 0.01f);
}

TEST(QuantizeGrid, ConcatOfDifferentGridsStaysFloatWithBothSourcesNamed) {
  ConcatModel m(-1.28f, 1.27f, -1.28f, std::nextafter(1.27f, 2.0f));  // one ulp apart
  const auto decisions = quantize_and_compare(m.b, m.result, {});
  const QuantizationDecision& d = decision_of(decisions, m.conv_name);
  EXPECT_TRUE(d.quantized);  // weights still int8
  EXPECT_EQ(d.precision, "int8 weights");
  EXPECT_NE(d.reason.find("concatenated values lie on different grids"), std::string::npos) << d.reason;
  EXPECT_NE(quantized_node(m.result)->inputs[0].node->op, OpKind::kQuantizeActivation);
}

TEST(QuantizeGrid, NegativeZeroBoundIsNotTheSameGridBitwise) {
  ConcatModel m(0.0f, 2.55f, -0.0f, 2.55f);
  const auto decisions = quantize_and_compare(m.b, m.result, {});
  const QuantizationDecision& d = decision_of(decisions, m.conv_name);
  EXPECT_EQ(d.precision, "int8 weights");
  EXPECT_NE(d.reason.find("different grids"), std::string::npos) << d.reason;
}

TEST(QuantizeGrid, ConcatWithAFloatBranchStaysFloat) {
  Builder b;
  Node* a = b.param({1, 2, 5, 5});
  Node* f = b.param({1, 2, 5, 5});
  Node* cat = b.op(OpKind::kConcat, {fake_quantize(b, a, -1.28f, 1.27f), f}, {{"axis", "1"}});
  Node* c = conv(b, cat, 3, 4);
  const std::string name = c->name;
  Node* r = finish(b, {a, f}, c);
  const auto decisions = quantize_and_compare(b, r, {});
  const QuantizationDecision& d = decision_of(decisions, name);
  EXPECT_EQ(d.precision, "int8 weights");
  EXPECT_NE(d.reason.find("not fake-quantized"), std::string::npos) << d.reason;
}

TEST(QuantizeGrid, VariadicSplitAndShuffleChannelsKeepTheGrid) {
  Builder b;
  Node* x = b.param({1, 4, 5, 5});
  Node* fq = fake_quantize(b, x, 0.0f, 2.55f);
  Node* split = b.op(OpKind::kVariadicSplit, {fq, b.scalar(1), b.ints({2, 2})});
  Node* shuffle = b.op(OpKind::kShuffleChannels, {fq}, {{"axis", "1"}, {"group", "2"}});
  Node* c1 = b.op(OpKind::kConvolution, {nullptr, int8_weights(b, {3, 2, 3, 3}, 3)}, kConv);
  c1->inputs[0] = {split, 1};  // the second half
  Node* c2 = conv(b, shuffle, 3, 4);
  Node* add = b.op(OpKind::kAdd, {c1, c2});
  const std::vector<std::string> names = {c1->name, c2->name};
  Node* r = finish(b, {x}, add);
  const auto decisions = quantize_and_compare(b, r, {});
  for (const std::string& name : names) {
    const QuantizationDecision& d = decision_of(decisions, name);
    EXPECT_EQ(d.precision, "int8 (u8 act)") << d.reason;
  }
}

// x -> FakeQuantize with ranges [1, C, 1, 1] -> GroupConvolution.
struct PerChannelModel {
  Builder b;
  std::string conv_name;
  Node* result = nullptr;
  PerChannelModel(std::vector<float> low, std::vector<float> high, int64_t groups) {
    const int64_t channels = static_cast<int64_t>(low.size());
    Node* x = b.param({1, channels, 6, 6});
    Node* fq =
        fake_quantize(b, x, b.floats(low, Dims{1, channels, 1, 1}), b.floats(high, Dims{1, channels, 1, 1}));
    Node* c = group_conv(b, fq, groups, channels / groups);
    conv_name = c->name;
    result = finish(b, {x}, c);
  }
};

QuantizeOptions cpu_options() {
  QuantizeOptions o;
  o.fuse_across_fake_quantize = true;
  o.emit_codes = true;
  o.per_channel_inputs = true;
  return o;
}

TEST(QuantizePerChannel, DepthwiseFoldsEachChannelScaleIntoItsWeightScale) {
  const std::vector<float> high = {1.0f, 2.0f, 0.5f, 3.0f};
  PerChannelModel m({0, 0, 0, 0}, high, 4);
  const auto decisions = quantize_and_compare(m.b, m.result, cpu_options());
  const QuantizationDecision& d = decision_of(decisions, m.conv_name);
  EXPECT_EQ(d.precision, "int8 (u8 act)") << d.reason;
  EXPECT_EQ(d.reason, "");
  const Node* q = quantized_node(m.result);
  const QuantizedLinear& p = quantized_params(*q);
  ASSERT_TRUE(p.input.has_value());
  EXPECT_EQ(p.input->scale, 1.0f);
  EXPECT_EQ(p.input->zero_point, 0);
  ASSERT_EQ(p.weights.scale.size(), 4u);
  for (size_t c = 0; c < 4; ++c) {
    const float weight_scale = 0.01f + 0.003f * static_cast<float>(c), channel_scale = high[c] / 255.0f;
    EXPECT_EQ(p.weights.scale[c], weight_scale * channel_scale) << c;
  }
  const Node* codes = q->inputs[0].node;
  ASSERT_EQ(codes->op, OpKind::kQuantizeActivation);
  const ActivationQuantize& a = quantize_params(*codes);
  EXPECT_TRUE(a.channels_last);
  ASSERT_EQ(a.channel_quant.size(), 4u);
  for (size_t c = 0; c < 4; ++c) EXPECT_EQ(a.channel_quant[c].in_high, high[c]);
  EXPECT_EQ(a.quant.out_high, 3.0f);                         // the widest channel
  EXPECT_EQ(codes->inputs[0].node->op, OpKind::kParameter);  // the FakeQuantize is gone
}

TEST(QuantizePerChannel, GroupsWithOneScaleEachFold) {
  PerChannelModel m({-1.28f, -1.28f, -2.56f, -2.56f}, {1.27f, 1.27f, 2.54f, 2.54f}, 2);
  const auto decisions = quantize_and_compare(m.b, m.result, cpu_options());
  EXPECT_EQ(decision_of(decisions, m.conv_name).precision, "int8 (i8 act)");
  EXPECT_EQ(quantized_params(*quantized_node(m.result)).input->zero_point, 128);
}

TEST(QuantizePerChannel, DeclinesScalesDifferingInsideAGroup) {
  PerChannelModel m({0, 0, 0, 0}, {1.0f, 2.0f, 1.0f, 1.0f}, 2);
  const auto decisions = quantize_and_compare(m.b, m.result, cpu_options());
  const QuantizationDecision& d = decision_of(decisions, m.conv_name);
  EXPECT_EQ(d.precision, "int8 weights");
  EXPECT_NE(d.reason.find("scales differ inside a group"), std::string::npos) << d.reason;
}

TEST(QuantizePerChannel, DeclinesDifferentZeroPoints) {
  PerChannelModel m({0, -1.28f, 0, 0}, {1.0f, 1.27f, 1.0f, 1.0f}, 4);
  const auto decisions = quantize_and_compare(m.b, m.result, cpu_options());
  const QuantizationDecision& d = decision_of(decisions, m.conv_name);
  EXPECT_EQ(d.precision, "int8 weights");
  EXPECT_NE(d.reason.find("different zero points"), std::string::npos) << d.reason;
}

TEST(QuantizePerChannel, OnlyWhenTheBackendAsks) {
  PerChannelModel m({0, 0, 0, 0}, {1.0f, 2.0f, 0.5f, 3.0f}, 4);
  const auto decisions = quantize_and_compare(m.b, m.result, {});
  const QuantizationDecision& d = decision_of(decisions, m.conv_name);
  EXPECT_EQ(d.precision, "int8 weights");
  EXPECT_NE(d.reason.find("per-channel"), std::string::npos) << d.reason;
}

}  // namespace
}  // namespace octet
