// QuantizeOptions::emit_codes through MaxPool, Concat, splits, shuffles and reshapes
// (host/transforms/codes_flow.h, channel_shuffle.h): which
// QuantizeActivations move before those ops and which stay (with the reason), and the rewritten
// graph's result against the same model quantized without emit_codes, bit for bit (both run by the
// reference evaluators; the codes path changes where each value is quantized, not how).
#include "host/transforms/codes_flow.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "host/graph/codes_ops.h"
#include "host/graph/quantized_linear.h"
#include "host/reference/run_graph.h"
#include "host/transforms/channel_shuffle.h"
#include "host/transforms/quantize_linear.h"
#include "tests/unit/graph/infer_test_util.h"
#include "tests/unit/transforms/same_results.h"

namespace octet {
namespace {

using test::Builder;
using test::fake_quantize;

// A 3x3 convolution (pads 1) of int8 weights with per-output scales.
Node* conv(Builder& b, Node* x, int64_t out, int64_t in, int seed) {
  Tensor codes(ElementType::kI8, {out, in, 3, 3});
  for (int64_t i = 0; i < codes.element_count(); ++i)
    codes.data_as<int8_t>()[i] = static_cast<int8_t>((i * 37 + 11 * seed) % 255 - 127);
  Node* c = b.g.add_constant("codes" + std::to_string(seed), std::move(codes));
  Node* convert = b.op(OpKind::kConvert, {c}, {{"destination_type", "f32"}});
  std::vector<float> scales;
  for (int64_t o = 0; o < out; ++o) scales.push_back(0.004f + 0.001f * static_cast<float>(o));
  Node* w = b.op(OpKind::kMultiply, {convert, b.floats(scales, Dims{out, 1, 1, 1})});
  return b.op(OpKind::kConvolution, {x, w},
              {{"strides", "1,1"},
               {"dilations", "1,1"},
               {"pads_begin", "1,1"},
               {"pads_end", "1,1"},
               {"auto_pad", "explicit"}});
}

// A MatMul [1, K] x [K, N]^T of int8 weights with per-output scales (transpose_b).
Node* matmul(Builder& b, Node* x, int64_t n, int64_t k) {
  Tensor codes(ElementType::kI8, {n, k});
  for (int64_t i = 0; i < codes.element_count(); ++i)
    codes.data_as<int8_t>()[i] = static_cast<int8_t>((i * 53 + 7) % 255 - 127);
  Node* c = b.g.add_constant("fc_codes", std::move(codes));
  Node* convert = b.op(OpKind::kConvert, {c}, {{"destination_type", "f32"}});
  std::vector<float> scales;
  for (int64_t o = 0; o < n; ++o) scales.push_back(0.003f + 0.0005f * static_cast<float>(o));
  Node* w = b.op(OpKind::kMultiply, {convert, b.floats(scales, Dims{n, 1})});
  return b.op(OpKind::kMatMul, {x, w}, {{"transpose_a", "false"}, {"transpose_b", "true"}});
}

// Reshape [1, C, H, W] -> [1, G, C/G, H, W] -> Transpose(0, 2, 1, 3, 4) -> Reshape back: a channel
// shuffle as PyTorch writes it.
Node* written_out_shuffle(Builder& b, Node* x, int64_t groups, int64_t channels, int64_t h, int64_t w,
                          std::vector<int64_t> perm = {0, 2, 1, 3, 4}) {
  Node* split =
      b.op(OpKind::kReshape, {x, b.ints({1, groups, channels / groups, h, w})}, {{"special_zero", "false"}});
  Node* t = b.op(OpKind::kTranspose, {split, b.ints(std::move(perm))});
  return b.op(OpKind::kReshape, {t, b.ints({1, channels, h, w})}, {{"special_zero", "false"}});
}

std::map<std::string, std::string> pool_attrs(int version) {
  // 3x3 stride 2, pads 0/1, ceil: on 7x7 the last window hangs over the padding.
  std::map<std::string, std::string> a = {{"kernel", "3,3"},         {"strides", "2,2"},
                                          {"pads_begin", "0,0"},     {"pads_end", "1,1"},
                                          {"rounding_type", "ceil"}, {"auto_pad", "explicit"}};
  if (version >= 8) {
    a["dilations"] = "1,1";
    a["axis"] = "0";
    a["index_element_type"] = "i64";
  }
  return a;
}

Node* finish(Builder& b, std::vector<Node*> params, std::vector<Node*> outs) {
  for (Node* out : outs) {
    Node* r = b.op(OpKind::kResult, {out});
    b.g.results.push_back(r);
  }
  b.g.parameters = std::move(params);
  infer_shapes(b.g);
  return b.g.results.front();
}

std::map<std::string, Tensor> random_inputs(const Graph& g) {
  std::mt19937 rng(11);
  std::map<std::string, Tensor> inputs;
  for (const Node* p : g.parameters) {
    Tensor t(ElementType::kF32, p->outputs[0].shape);
    for (int64_t i = 0; i < t.element_count(); ++i)
      t.data_as<float>()[i] = std::uniform_real_distribution<float>(-1.5f, 2.5f)(rng);
    inputs.emplace(p->name, std::move(t));
  }
  return inputs;
}

QuantizeOptions codes_options(bool emit) {
  QuantizeOptions o;
  o.fuse_across_fake_quantize = true;
  o.emit_codes = emit;
  return o;
}

// Builds the model twice, quantizes one without and one with emit_codes, and requires the same
// result bytes; returns the graph with codes for structural checks.
template <typename Build>
void expect_same_result(Build build, Graph* with_codes, const Node** result) {
  Builder plain;
  const Node* r0 = build(plain);
  quantize_linear_ops(plain.g, codes_options(false));
  const auto inputs = random_inputs(plain.g);
  const Tensor expected = run_reference(plain.g, inputs).at(r0->name);
  static Builder codes;  // kept alive for the caller's checks
  codes = Builder();
  *result = build(codes);
  quantize_linear_ops(codes.g, codes_options(true));
  const Tensor actual = run_reference(codes.g, inputs).at((*result)->name);
  ASSERT_EQ(actual.shape(), expected.shape());
  EXPECT_EQ(std::memcmp(actual.data(), expected.data(), expected.byte_size()), 0);
  int nonzero = 0;
  for (int64_t i = 0; i < expected.element_count(); ++i) nonzero += expected.data_as<float>()[i] != 0;
  EXPECT_GT(nonzero, expected.element_count() / 4);
  *with_codes = std::move(codes.g);
}

int count(const Graph& g, OpKind op) {
  int n = 0;
  for (const Node* node : g.topological_order()) n += node->op == op;
  return n;
}

// x -> FQ -> conv1 -> FQ grid -> MaxPool (ceil, padding) -> conv2: conv1 writes codes, the MaxPool
// runs on them, and no QuantizeActivation is left between the two convolutions. 17 output channels
// (not a multiple of 16: the CPU epilogue's codes pass through its float tile).
TEST(CodesFlow, MaxPoolRunsOnTheCodesItsProducerWrites) {
  for (int version : {1, 14}) {
    auto build = [&](Builder& b) {
      Node* x = b.param({1, 3, 7, 7});
      Node* c1 = conv(b, fake_quantize(b, x, 0.0f, 2.55f), 17, 3, 1);
      Node* pool =
          b.op(OpKind::kMaxPool, {fake_quantize(b, c1, -1.28f, 1.27f)}, pool_attrs(version), version);
      return finish(b, {x}, {conv(b, pool, 5, 17, 2)});
    };
    Graph g;
    const Node* result = nullptr;
    expect_same_result(build, &g, &result);
    const Node* c2 = result->inputs[0].node;
    ASSERT_EQ(c2->op, OpKind::kQuantizedConvolution);
    const Node* pool = c2->inputs[0].node;
    ASSERT_EQ(pool->op, OpKind::kCodesMaxPool) << pool->describe();
    EXPECT_EQ(pool->outputs[0].shape, (Dims{1, 4, 4, 17}));  // ceil((7 + 1 - 3) / 2) + 1 = 4
    EXPECT_EQ(pool->inputs[0].node->op, OpKind::kQuantizedConvolution) << "conv1 must write the codes";
    EXPECT_EQ(count(g, OpKind::kQuantizeActivation), 1) << "only the model input's";
  }
}

// YOLO's SPPF: conv1 -> FQ -> MaxPool -> MaxPool -> MaxPool (5x5, stride 1, pads 2), Concat of the
// FakeQuantize and the three pools -> conv2. Every MaxPool reads the previous one's codes (a
// MaxPool read by a MaxPool and by the Concat is left to move codes itself, no CodesDequantize),
// the Concat joins codes, and only the model input's QuantizeActivation is left.
TEST(CodesFlow, SppfPoolChainRunsOnCodes) {
  const std::map<std::string, std::string> attrs = {{"kernel", "5,5"},          {"strides", "1,1"},
                                                    {"pads_begin", "2,2"},      {"pads_end", "2,2"},
                                                    {"rounding_type", "floor"}, {"auto_pad", "explicit"}};
  auto build = [&](Builder& b) {
    Node* x = b.param({1, 3, 8, 8});
    Node* c1 = fake_quantize(b, conv(b, fake_quantize(b, x, 0.0f, 2.55f), 16, 3, 1), -1.28f, 1.27f);
    Node* p1 = b.op(OpKind::kMaxPool, {c1}, attrs);
    Node* p2 = b.op(OpKind::kMaxPool, {p1}, attrs);
    Node* p3 = b.op(OpKind::kMaxPool, {p2}, attrs);
    Node* cat = b.op(OpKind::kConcat, {c1, p1, p2, p3}, {{"axis", "1"}});
    return finish(b, {x}, {conv(b, cat, 4, 64, 2)});
  };
  Graph g;
  const Node* result = nullptr;
  expect_same_result(build, &g, &result);
  EXPECT_EQ(count(g, OpKind::kCodesMaxPool), 3);
  EXPECT_EQ(count(g, OpKind::kMaxPool), 0);
  EXPECT_EQ(count(g, OpKind::kCodesDequantize), 0);
  EXPECT_EQ(count(g, OpKind::kQuantizeActivation), 1) << "only the model input's";
  const Node* c2 = result->inputs[0].node;
  ASSERT_EQ(c2->op, OpKind::kQuantizedConvolution);
  EXPECT_EQ(c2->inputs[0].node->outputs[0].type, ElementType::kI8) << c2->inputs[0].node->describe();
}

// MaxPool-8's indices used by another output: the MaxPool stays float, with the reason.
TEST(CodesFlow, MaxPoolWhoseIndicesAreUsedStaysFloat) {
  Builder b;
  Node* x = b.param({1, 3, 7, 7});
  Node* c1 = conv(b, fake_quantize(b, x, 0.0f, 2.55f), 4, 3, 1);
  Node* pool = b.op(OpKind::kMaxPool, {fake_quantize(b, c1, -1.28f, 1.27f)}, pool_attrs(8), 8);
  Node* c2 = conv(b, pool, 5, 4, 2);
  Node* indices = b.op(OpKind::kConvert, {nullptr}, {{"destination_type", "f32"}});
  indices->inputs[0] = {pool, 1};
  finish(b, {x}, {c2, indices});
  quantize_linear_ops(b.g, codes_options(false));
  const auto lines = move_codes_before_value_ops(b.g);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("(MaxPool): MaxPool's indices output is used"), std::string::npos) << lines[0];
  EXPECT_EQ(count(b.g, OpKind::kCodesMaxPool), 0);
}

// Concat(FQ(conv1), FQ(conv2)) on one grid -> conv3: both convolutions write codes, the Concat
// joins them along the channels-last axis, and the result is unchanged.
TEST(CodesFlow, ConcatOfOneGridJoinsTheCodesOfItsProducers) {
  auto build = [](Builder& b) {
    Node* x = b.param({1, 3, 5, 6});
    Node* in = fake_quantize(b, x, 0.0f, 2.55f);
    Node* c1 = fake_quantize(b, conv(b, in, 4, 3, 1), -1.28f, 1.27f);
    Node* c2 = fake_quantize(b, conv(b, in, 5, 3, 2), -1.28f, 1.27f);
    Node* cat = b.op(OpKind::kConcat, {c1, c2}, {{"axis", "1"}});
    return finish(b, {x}, {conv(b, cat, 3, 9, 3)});
  };
  Graph g;
  const Node* result = nullptr;
  expect_same_result(build, &g, &result);
  const Node* cat = result->inputs[0].node->inputs[0].node;
  ASSERT_EQ(cat->op, OpKind::kConcat);
  EXPECT_EQ(cat->outputs[0].type, ElementType::kI8);
  EXPECT_EQ(cat->outputs[0].shape, (Dims{1, 5, 6, 9}));
  EXPECT_EQ(cat->attr<AxisAttrs>().axis, 3);
  for (const Output& in : cat->inputs) EXPECT_EQ(in.node->op, OpKind::kQuantizedConvolution);
  EXPECT_EQ(count(g, OpKind::kQuantizeActivation), 1);
}

// A Concat of two grids one ulp apart, re-quantized by a FakeQuantize before the convolution: the
// QuantizeActivation (of that FakeQuantize's input) stays after the Concat, with the reason.
TEST(CodesFlow, ConcatOfDifferentGridsStaysFloatWithTheReason) {
  Builder b;
  Node* x = b.param({1, 3, 5, 6});
  Node* in = fake_quantize(b, x, 0.0f, 2.55f);
  Node* c1 = fake_quantize(b, conv(b, in, 4, 3, 1), -1.28f, 1.27f);
  Node* c2 = fake_quantize(b, conv(b, in, 5, 3, 2), -1.28f, std::nextafter(1.27f, 2.0f));
  Node* cat = b.op(OpKind::kConcat, {c1, c2}, {{"axis", "1"}});
  finish(b, {x}, {conv(b, fake_quantize(b, cat, -1.28f, 1.27f), 3, 9, 3)});
  quantize_linear_ops(b.g, codes_options(false));
  const auto lines = move_codes_before_value_ops(b.g);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("(Concat): concatenated values lie on different grids"), std::string::npos)
      << lines[0];
}

// A Concat that also feeds a float op keeps its float output and its QuantizeActivation.
TEST(CodesFlow, ConcatAlsoFeedingAFloatOpStays) {
  Builder b;
  Node* x = b.param({1, 3, 5, 6});
  Node* in = fake_quantize(b, x, 0.0f, 2.55f);
  Node* c1 = fake_quantize(b, conv(b, in, 4, 3, 1), -1.28f, 1.27f);
  Node* c2 = fake_quantize(b, conv(b, in, 5, 3, 2), -1.28f, 1.27f);
  Node* cat = b.op(OpKind::kConcat, {c1, c2}, {{"axis", "1"}});
  Node* sig = b.op(OpKind::kSigmoid, {cat});
  finish(b, {x}, {conv(b, cat, 3, 9, 3), sig});
  quantize_linear_ops(b.g, codes_options(false));
  const auto lines = move_codes_before_value_ops(b.g);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("(Concat): its output also feeds"), std::string::npos) << lines[0];
}

// A ShuffleNet unit: conv1 -> FQ -> VariadicSplit(axis 1) -> (a, conv2(b) -> FQ) -> Concat ->
// ShuffleChannels -> conv3. The split, concat and shuffle all run on codes (along the
// channels-last axis) and only the model input's QuantizeActivation is left.
TEST(CodesFlow, ShuffleNetUnitMovesCodesThroughSplitConcatAndShuffle) {
  auto build = [](Builder& b) {
    Node* x = b.param({1, 3, 5, 6});
    Node* c1 = fake_quantize(b, conv(b, fake_quantize(b, x, 0.0f, 2.55f), 8, 3, 1), -1.28f, 1.27f);
    Node* split = b.op(OpKind::kVariadicSplit, {c1, b.scalar(1), b.ints({3, 5})});
    Node* c2 = conv(b, split, 5, 5, 2);
    c2->inputs[0] = {split, 1};  // the second part
    c2 = fake_quantize(b, c2, -1.28f, 1.27f);
    Node* cat = b.op(OpKind::kConcat, {split, c2}, {{"axis", "1"}});
    Node* shuffle = b.op(OpKind::kShuffleChannels, {cat}, {{"axis", "1"}, {"group", "2"}});
    return finish(b, {x}, {conv(b, shuffle, 3, 8, 3)});
  };
  Graph g;
  const Node* result = nullptr;
  expect_same_result(build, &g, &result);
  const Node* shuffle = result->inputs[0].node->inputs[0].node;
  ASSERT_EQ(shuffle->op, OpKind::kShuffleChannels);
  EXPECT_EQ(shuffle->outputs[0].type, ElementType::kI8);
  EXPECT_EQ(shuffle->attr<ShuffleChannelsAttrs>().axis, 3);
  EXPECT_EQ(count(g, OpKind::kQuantizeActivation), 1);
  int codes_splits = 0;
  for (const Node* n : g.topological_order())
    codes_splits += n->op == OpKind::kVariadicSplit && n->outputs[0].type == ElementType::kI8 &&
                    n->outputs[0].shape == Dims({1, 5, 6, 3});
  EXPECT_EQ(codes_splits, 1);
}

// conv1 -> FQ -> Reshape/Transpose/Reshape (a channel shuffle written out) -> conv2: the three
// nodes become one ShuffleChannels that runs on conv1's codes.
TEST(CodesFlow, WrittenOutChannelShuffleRunsOnCodes) {
  auto build = [](Builder& b) {
    Node* x = b.param({1, 3, 5, 6});
    Node* c1 = fake_quantize(b, conv(b, fake_quantize(b, x, 0.0f, 2.55f), 12, 3, 1), -1.28f, 1.27f);
    return finish(b, {x}, {conv(b, written_out_shuffle(b, c1, 3, 12, 5, 6), 4, 12, 2)});
  };
  Graph g;
  const Node* result = nullptr;
  expect_same_result(build, &g, &result);
  const Node* shuffle = result->inputs[0].node->inputs[0].node;
  ASSERT_EQ(shuffle->op, OpKind::kShuffleChannels) << shuffle->describe();
  EXPECT_EQ(shuffle->outputs[0].type, ElementType::kI8);
  EXPECT_EQ(shuffle->attr<ShuffleChannelsAttrs>().axis, 3);
  EXPECT_EQ(shuffle->attr<ShuffleChannelsAttrs>().group, 3);
  EXPECT_EQ(shuffle->inputs[0].node->op, OpKind::kQuantizedConvolution);
  EXPECT_EQ(count(g, OpKind::kQuantizeActivation), 1);
  EXPECT_EQ(count(g, OpKind::kTranspose), 0);
}

// What is not a channel shuffle stays as written: a permutation that also moves H, a split whose
// reshape is read by another node too, and a last Reshape to another shape. Each graph's values
// are checked against the untouched graph's.
TEST(CodesFlow, ReshapeTransposeReshapeThatIsNoShuffleStays) {
  for (int variant = 0; variant < 3; ++variant) {
    auto build = [&](Builder& b) {
      Node* x = b.param({1, 6, 4, 4});
      if (variant == 0) return finish(b, {x}, {written_out_shuffle(b, x, 2, 6, 4, 4, {0, 2, 1, 4, 3})});
      Node* split = b.op(OpKind::kReshape, {x, b.ints({1, 2, 3, 4, 4})}, {{"special_zero", "false"}});
      Node* t = b.op(OpKind::kTranspose, {split, b.ints({0, 2, 1, 3, 4})});
      if (variant == 1) {
        Node* back = b.op(OpKind::kReshape, {t, b.ints({1, 6, 4, 4})}, {{"special_zero", "false"}});
        return finish(b, {x}, {back, b.op(OpKind::kSigmoid, {split})});
      }
      return finish(b, {x}, {b.op(OpKind::kReshape, {t, b.ints({1, 6, 16})}, {{"special_zero", "false"}})});
    };
    Builder before, after;
    const Node* r0 = build(before);
    const Node* r1 = build(after);
    EXPECT_EQ(fuse_channel_shuffles(after.g), 0) << variant;
    EXPECT_EQ(count(after.g, OpKind::kShuffleChannels), 0);
    const auto inputs = random_inputs(before.g);
    const Tensor a = run_reference(before.g, inputs).at(r0->name);
    const Tensor c = run_reference(after.g, inputs).at(r1->name);
    EXPECT_EQ(std::memcmp(a.data(), c.data(), a.byte_size()), 0);
  }
}

// The float shuffle itself (f32, any axis): ShuffleChannels gives the written-out composition's
// values, computed by the reference evaluators of Reshape and Transpose.
TEST(CodesFlow, WrittenOutShuffleBecomesShuffleChannelsWithTheSameValues) {
  auto build = [](Builder& b) {
    Node* x = b.param({1, 8, 3, 5});
    return finish(b, {x}, {written_out_shuffle(b, b.op(OpKind::kSigmoid, {x}), 4, 8, 3, 5)});
  };
  Builder before, after;
  const Node* r0 = build(before);
  const Node* r1 = build(after);
  EXPECT_EQ(fuse_channel_shuffles(after.g), 1);
  EXPECT_EQ(count(after.g, OpKind::kShuffleChannels), 1);
  EXPECT_EQ(count(after.g, OpKind::kReshape), 0);
  const auto inputs = random_inputs(before.g);
  const Tensor a = run_reference(before.g, inputs).at(r0->name);
  const Tensor c = run_reference(after.g, inputs).at(r1->name);
  ASSERT_EQ(a.shape(), c.shape());
  EXPECT_EQ(std::memcmp(a.data(), c.data(), a.byte_size()), 0);
}

// The same on other ranks and axes: [6, 12] split on axis 1 into 3 x 4, and [2, 5, 12] split on
// its last axis into 4 x 3; each becomes a ShuffleChannels of that axis and group with the written-out
// composition's values.
TEST(CodesFlow, WrittenOutShuffleOfOtherRanksAndAxesHasTheSameValues) {
  struct Case {
    Dims shape, split, perm;
    int64_t axis, group;
  };
  for (const Case& k :
       {Case{{6, 12}, {6, 3, 4}, {0, 2, 1}, 1, 3}, Case{{2, 5, 12}, {2, 5, 4, 3}, {0, 1, 3, 2}, 2, 4}}) {
    auto build = [&](Builder& b) {
      Node* x = b.param(k.shape);
      Node* split =
          b.op(OpKind::kReshape, {b.op(OpKind::kSigmoid, {x}), b.ints(k.split)}, {{"special_zero", "false"}});
      Node* t = b.op(OpKind::kTranspose, {split, b.ints(k.perm)});
      return finish(b, {x}, {b.op(OpKind::kReshape, {t, b.ints(k.shape)}, {{"special_zero", "false"}})});
    };
    Builder before, after;
    const Node* r0 = build(before);
    const Node* r1 = build(after);
    ASSERT_EQ(fuse_channel_shuffles(after.g), 1) << to_string(k.shape);
    const Node* shuffle = r1->inputs[0].node;
    ASSERT_EQ(shuffle->op, OpKind::kShuffleChannels) << shuffle->describe();
    EXPECT_EQ(shuffle->attr<ShuffleChannelsAttrs>().axis, k.axis);
    EXPECT_EQ(shuffle->attr<ShuffleChannelsAttrs>().group, k.group);
    const auto inputs = random_inputs(before.g);
    const Tensor a = run_reference(before.g, inputs).at(r0->name);
    const Tensor c = run_reference(after.g, inputs).at(r1->name);
    ASSERT_EQ(a.shape(), c.shape());
    EXPECT_EQ(std::memcmp(a.data(), c.data(), a.byte_size()), 0) << to_string(k.shape);
  }
}

// A classifier head: conv -> ReduceMean (keep dims) -> FQ -> Reshape [1, C] -> MatMul. The
// MatMul's plain codes move before the Reshape and the QuantizeActivation then reads the
// ReduceMean's output itself: the FakeQuantize's float pass is gone, the values are unchanged.
TEST(CodesFlow, FlattenBeforeMatMulMovesPlainCodesAndAbsorbsTheFakeQuantize) {
  auto build = [](Builder& b) {
    Node* x = b.param({1, 3, 5, 6});
    Node* c1 = fake_quantize(b, conv(b, fake_quantize(b, x, 0.0f, 2.55f), 10, 3, 1), -1.28f, 1.27f);
    Node* gap = b.op(OpKind::kReduceMean, {c1, b.ints({2, 3})}, {{"keep_dims", "true"}});
    Node* flat = b.op(OpKind::kReshape, {fake_quantize(b, gap, -0.64f, 0.635f), b.ints({1, 10})},
                      {{"special_zero", "false"}});
    return finish(b, {x}, {matmul(b, flat, 7, 10)});
  };
  Graph g;
  const Node* result = nullptr;
  expect_same_result(build, &g, &result);
  const Node* fc = result->inputs[0].node;
  ASSERT_EQ(fc->op, OpKind::kQuantizedMatMul);
  const Node* flat = fc->inputs[0].node;
  ASSERT_EQ(flat->op, OpKind::kReshape) << flat->describe();
  EXPECT_EQ(flat->outputs[0].type, ElementType::kI8);
  const Node* codes = flat->inputs[0].node;
  ASSERT_EQ(codes->op, OpKind::kQuantizeActivation);
  EXPECT_FALSE(quantize_params(*codes).channels_last);
  EXPECT_EQ(codes->inputs[0].node->op, OpKind::kReduceMean);
  EXPECT_EQ(count(g, OpKind::kFakeQuantize), 0);
}

// A reshape between convolutions (channels-last codes) keeps its floats, with the reason.
TEST(CodesFlow, ReshapeBeforeAConvolutionStaysFloat) {
  Builder b;
  Node* x = b.param({1, 3, 4, 6});
  Node* c1 = fake_quantize(b, conv(b, fake_quantize(b, x, 0.0f, 2.55f), 4, 3, 1), -1.28f, 1.27f);
  Node* r = b.op(OpKind::kReshape, {c1, b.ints({1, 4, 6, 4})}, {{"special_zero", "false"}});
  finish(b, {x}, {conv(b, r, 5, 4, 2)});
  quantize_linear_ops(b.g, codes_options(false));
  const auto lines = move_codes_before_value_ops(b.g);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("(Reshape): a reshape moves plain (not channels-last) codes only"),
            std::string::npos)
      << lines[0];
}

// Builds the model twice, quantized without and with emit_codes, and requires every result's bytes
// to agree; returns the graph with codes.
template <typename Build>
Graph expect_same_results(Build build) {
  return test::expect_same_results(build, codes_options(false), codes_options(true), random_inputs);
}

const Node* only(const Graph& g, OpKind op) {
  const Node* found = nullptr;
  for (const Node* n : g.topological_order())
    if (n->op == op) {
      EXPECT_EQ(found, nullptr) << "more than one " << op_name(op);
      found = n;
    }
  return found;
}

// Inception's pool branch: conv1 -> FQ -> MaxPool -> {conv2, AvgPool -> FQ -> conv3, Sigmoid}. The
// MaxPool runs on conv1's codes, the AvgPool averages those codes' floats (CodesAvgPool) and the
// Sigmoid reads them back through a CodesDequantize; all results are unchanged.
TEST(CodesFlow, MaxPoolAlsoReadByFloatOpsRunsOnCodes) {
  Graph g = expect_same_results([](Builder& b) {
    Node* x = b.param({1, 3, 7, 7});
    Node* c1 = conv(b, fake_quantize(b, x, 0.0f, 2.55f), 6, 3, 1);
    Node* pool = b.op(OpKind::kMaxPool, {fake_quantize(b, c1, -1.28f, 1.27f)}, pool_attrs(1));
    std::map<std::string, std::string> avg = {{"kernel", "3,3"},       {"strides", "1,1"},
                                              {"pads_begin", "1,1"},   {"pads_end", "1,1"},
                                              {"exclude-pad", "true"}, {"auto_pad", "explicit"}};
    Node* branch = b.op(OpKind::kAvgPool, {pool}, avg);
    return finish(b, {x},
                  {conv(b, pool, 5, 6, 2), conv(b, fake_quantize(b, branch, -0.64f, 0.635f), 4, 6, 3),
                   b.op(OpKind::kSigmoid, {pool})});
  });
  const Node* pool = only(g, OpKind::kCodesMaxPool);
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->inputs[0].node->op, OpKind::kQuantizedConvolution) << "conv1 must write the codes";
  const Node* floats = only(g, OpKind::kCodesDequantize);
  ASSERT_NE(floats, nullptr);
  EXPECT_EQ(floats->inputs[0].node, pool);
  EXPECT_EQ(floats->outputs[0].shape, (Dims{1, 6, 4, 4}));
  const Node* average = only(g, OpKind::kCodesAvgPool);
  ASSERT_NE(average, nullptr);
  EXPECT_EQ(average->inputs[0].node, pool) << "the AvgPool reads the codes, not the CodesDequantize";
  EXPECT_TRUE(codes_avg_pool_params(*average).exclude_pad);
  EXPECT_EQ(average->outputs[0].shape, (Dims{1, 6, 4, 4}));
  EXPECT_EQ(count(g, OpKind::kMaxPool), 0);
  EXPECT_EQ(count(g, OpKind::kAvgPool), 0);
  // The model input's and the AvgPool's (a float op's output) are left.
  EXPECT_EQ(count(g, OpKind::kQuantizeActivation), 2);
}

// A DenseNet transition: conv1 -> FQ -> AvgPool 2x2 s2 -> FQ -> conv2, the AvgPool's floats also a
// model output. conv1 writes channels-last codes (24 channels, odd width) and the pool averages
// their floats: the pooled floats themselves, not only conv2's result, are the float graph's bytes.
// The grid [0, 2.55] has its top level's formula exact (1 * 2.55 + 0), so clamped values agree too.
TEST(CodesFlow, TransitionAvgPoolAveragesTheCodesItsConvolutionWrites) {
  for (const char* pads : {"0,0", "1,1"}) {
    Graph g = expect_same_results([&](Builder& b) {
      Node* x = b.param({1, 3, 8, 7});
      Node* c1 = fake_quantize(b, conv(b, fake_quantize(b, x, 0.0f, 2.55f), 24, 3, 1), 0.0f, 2.55f);
      std::map<std::string, std::string> avg = {{"kernel", "2,2"},        {"strides", "2,2"},
                                                {"pads_begin", pads},     {"pads_end", pads},
                                                {"exclude-pad", "false"}, {"auto_pad", "explicit"}};
      Node* pool = b.op(OpKind::kAvgPool, {c1}, avg);
      return finish(b, {x}, {conv(b, fake_quantize(b, pool, 0.0f, 1.27f), 4, 24, 2), pool});
    });
    const Node* average = only(g, OpKind::kCodesAvgPool);
    ASSERT_NE(average, nullptr) << pads;
    const Node* c1 = average->inputs[0].node;
    ASSERT_EQ(c1->op, OpKind::kQuantizedConvolution) << c1->describe();
    EXPECT_TRUE(quantized_params(*c1).output_codes.has_value()) << "conv1 must write the codes";
    EXPECT_EQ(c1->outputs[0].shape, (Dims{1, 8, 7, 24}));
    EXPECT_FALSE(codes_avg_pool_params(*average).exclude_pad);
    EXPECT_EQ(average->outputs[0].shape,
              std::string(pads) == "0,0" ? (Dims{1, 24, 4, 3}) : (Dims{1, 24, 5, 4}));
    EXPECT_EQ(count(g, OpKind::kAvgPool), 0);
    EXPECT_EQ(count(g, OpKind::kCodesDequantize), 0);
    EXPECT_EQ(count(g, OpKind::kQuantizeActivation), 2) << "the model input's and the pool's";
  }
}

// conv1's output is also a model output: it keeps writing floats, so the AvgPool stays float
// (pooling codes would add a QuantizeActivation pass).
TEST(CodesFlow, AvgPoolOfAConvolutionThatIsAModelOutputStaysFloat) {
  Graph g = expect_same_results([](Builder& b) {
    Node* x = b.param({1, 3, 6, 6});
    Node* c1 = fake_quantize(b, conv(b, fake_quantize(b, x, 0.0f, 2.55f), 8, 3, 1), 0.0f, 2.55f);
    std::map<std::string, std::string> avg = {{"kernel", "2,2"},        {"strides", "2,2"},
                                              {"pads_begin", "0,0"},    {"pads_end", "0,0"},
                                              {"exclude-pad", "false"}, {"auto_pad", "explicit"}};
    Node* pool = b.op(OpKind::kAvgPool, {c1}, avg);
    return finish(b, {x}, {conv(b, fake_quantize(b, pool, 0.0f, 1.27f), 4, 8, 2), c1});
  });
  EXPECT_EQ(count(g, OpKind::kCodesAvgPool), 0);
  EXPECT_EQ(count(g, OpKind::kAvgPool), 1);
}

// YOLO's neck: conv1 -> FQ -> {conv2, Sigmoid}. conv1 writes codes for conv2 and the Sigmoid reads
// their floats back; both results are unchanged.
TEST(CodesFlow, ConvolutionAlsoReadByAFloatOpWritesCodes) {
  Graph g = expect_same_results([](Builder& b) {
    Node* x = b.param({1, 3, 5, 6});
    Node* c1 = fake_quantize(b, conv(b, fake_quantize(b, x, 0.0f, 2.55f), 7, 3, 1), -1.28f, 1.27f);
    return finish(b, {x}, {conv(b, c1, 4, 7, 2), b.op(OpKind::kSigmoid, {c1})});
  });
  const Node* floats = only(g, OpKind::kCodesDequantize);
  ASSERT_NE(floats, nullptr);
  const Node* c1 = floats->inputs[0].node;
  ASSERT_EQ(c1->op, OpKind::kQuantizedConvolution);
  EXPECT_TRUE(quantized_params(*c1).output_codes.has_value());
  EXPECT_TRUE(codes_dequantize_params(*floats).channels_last);
  EXPECT_EQ(floats->outputs[0].shape, (Dims{1, 7, 5, 6}));
  EXPECT_EQ(count(g, OpKind::kQuantizeActivation), 1);
}

// A layer whose value is also a model output keeps writing floats (the output is what the layer
// computes, not its codes read back), and its QuantizeActivation stays.
TEST(CodesFlow, ConvolutionThatIsAlsoAModelOutputKeepsItsFloats) {
  Graph g = expect_same_results([](Builder& b) {
    Node* x = b.param({1, 3, 5, 6});
    Node* c1 = fake_quantize(b, conv(b, fake_quantize(b, x, 0.0f, 2.55f), 7, 3, 1), -1.28f, 1.27f);
    return finish(b, {x}, {conv(b, c1, 4, 7, 2), c1});
  });
  EXPECT_EQ(count(g, OpKind::kCodesDequantize), 0);
  EXPECT_EQ(count(g, OpKind::kQuantizeActivation), 2);
}

}  // namespace
}  // namespace octet
