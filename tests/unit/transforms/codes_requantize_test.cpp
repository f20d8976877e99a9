// requantize_concats_on_codes (host/transforms/codes_requantize.h): a DenseNet-like block whose
// Concats join branches on different grids, quantized with and without the rewrite and run by the
// reference evaluators (whose unfolded graph runs the float Concat, Multiply, Add, Relu and
// FakeQuantize nodes): the results agree bit for bit, the Concats carry codes and their readers
// become CodesRequantize nodes; where a Concat has a reader that cannot take codes, nothing changes.
#include "host/transforms/codes_requantize.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <random>

#include "host/graph/codes_ops.h"
#include "host/graph/quantized_linear.h"
#include "host/transforms/quantize_linear.h"
#include "tests/unit/graph/infer_test_util.h"
#include "tests/unit/transforms/same_results.h"

namespace octet {
namespace {

using test::Builder;
using test::fake_quantize;

// A k x k convolution (padding k / 2) of int8 weights with per-output scales.
Node* conv(Builder& b, Node* x, int64_t out, int64_t in, int64_t k, int seed) {
  Tensor codes(ElementType::kI8, {out, in, k, k});
  for (int64_t i = 0; i < codes.element_count(); ++i)
    codes.data_as<int8_t>()[i] = static_cast<int8_t>((i * 37 + 11 + seed * 5) % 255 - 127);
  Node* c = b.g.add_constant("codes", std::move(codes));
  Node* convert = b.op(OpKind::kConvert, {c}, {{"destination_type", "f32"}});
  std::vector<float> scales;
  for (int64_t o = 0; o < out; ++o) scales.push_back(0.002f + 0.0007f * static_cast<float>((o + seed) % 9));
  Node* w = b.op(OpKind::kMultiply, {convert, b.floats(scales, Dims{out, 1, 1, 1})});
  const std::string pad = std::to_string(k / 2) + "," + std::to_string(k / 2);
  return b.op(OpKind::kConvolution, {x, w},
              {{"strides", "1,1"},
               {"dilations", "1,1"},
               {"pads_begin", pad},
               {"pads_end", pad},
               {"auto_pad", "explicit"}});
}

std::vector<float> ramp(int64_t n, float start, float step) {
  std::vector<float> v;
  for (int64_t i = 0; i < n; ++i) v.push_back(start + step * static_cast<float>(i));
  return v;
}

// BatchNorm (per-channel Multiply and Add) and Relu of `x` with C channels.
Node* norm_relu(Builder& b, Node* x, int64_t channels, int seed) {
  Node* scaled = b.op(OpKind::kMultiply,
                      {x, b.floats(ramp(channels, 0.6f + 0.1f * seed, 0.031f), Dims{1, channels, 1, 1})});
  Node* shifted =
      b.op(OpKind::kAdd, {scaled, b.floats(ramp(channels, -0.4f, 0.023f), Dims{1, channels, 1, 1})});
  return b.op(OpKind::kRelu, {shifted});
}

QuantizeOptions options(bool requantize) {
  QuantizeOptions o;
  o.fuse_across_fake_quantize = true;
  o.emit_codes = true;
  o.fuse_quantize_prologue = true;
  o.requantize_codes = requantize;
  return o;
}

// Random inputs with NaN, infinities, signed zeros and huge values sprinkled in.
std::map<std::string, Tensor> inputs_of(const Graph& g) {
  std::mt19937 rng(11);
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            0.0f,
                            -0.0f,
                            3e38f};
  std::map<std::string, Tensor> inputs;
  for (const Node* p : g.parameters) {
    Tensor t(ElementType::kF32, p->outputs[0].shape);
    for (int64_t i = 0; i < t.element_count(); ++i)
      t.data_as<float>()[i] =
          i % 89 < 6 ? specials[i % 89] : std::uniform_real_distribution<float>(-3, 3)(rng);
    inputs.emplace(p->name, std::move(t));
  }
  return inputs;
}

// Input -> conv0 -> three dense layers (BatchNorm, Relu, FakeQuantize, 1x1 conv with its own
// Relu, FakeQuantize, 3x3 conv, FakeQuantize on a grid of its own, Concat) -> norm, Relu,
// FakeQuantize -> Result; `also_output` also makes the last Concat, or conv0's FakeQuantize'd output
// (a value the first Concat joins), a model output.
enum class AlsoOutput { kNothing, kLastConcat, kFirstLeaf };
void dense_block(Builder& b, AlsoOutput also_output) {
  Node* x = b.param({2, 3, 6, 7});
  Node* block = fake_quantize(b, conv(b, fake_quantize(b, x, -3.0f, 3.0f * 127 / 128), 16, 3, 3, 0),
                              -100 * 0.0176f, 155 * 0.0176f);
  Node* const first_leaf = block;
  int64_t channels = 16;
  for (int layer = 1; layer <= 3; ++layer) {
    Node* q = fake_quantize(b, norm_relu(b, block, channels, layer), 0.0f, 1.5f + 0.25f * layer);
    Node* bottleneck = b.op(OpKind::kRelu, {conv(b, q, 12, channels, 1, layer)});
    Node* q2 = fake_quantize(b, bottleneck, 0.0f, 0.9f + 0.1f * layer);
    // Signed grids of different steps and zero points (each zero on a level, as NNCF makes them).
    const float step = 0.011f + 0.0037f * static_cast<float>(layer);
    const float zero = static_cast<float>(90 + 17 * layer);
    Node* grown = fake_quantize(b, conv(b, q2, 8, 12, 3, layer + 3), -zero * step, (255 - zero) * step);
    block = b.op(OpKind::kConcat, {block, grown}, {{"axis", "1"}});
    channels += 8;
  }
  Node* out = fake_quantize(b, norm_relu(b, block, channels, 7), 0.0f, 3.0f);
  b.g.results.push_back(b.op(OpKind::kResult, {out}));
  if (also_output == AlsoOutput::kLastConcat) b.g.results.push_back(b.op(OpKind::kResult, {block}));
  if (also_output == AlsoOutput::kFirstLeaf) b.g.results.push_back(b.op(OpKind::kResult, {first_leaf}));
  b.g.parameters = {x};
  infer_shapes(b.g);
}

int count(const Graph& g, OpKind op, ElementType type) {
  int n = 0;
  for (const Node* node : g.topological_order())
    n += node->op == op && !node->outputs.empty() && node->outputs[0].type == type;
  return n;
}

TEST(RequantizeConcats, DenseBlockJoinsCodesWithTheSameResults) {
  const Graph g = test::expect_same_results([](Builder& b) { dense_block(b, AlsoOutput::kNothing); },
                                            options(false), options(true), inputs_of);
  // The first layer reads conv0 directly, the others the Concats; the classifier's norm keeps floats.
  EXPECT_EQ(count(g, OpKind::kCodesRequantize, ElementType::kI8), 3);
  EXPECT_EQ(count(g, OpKind::kCodesRequantize, ElementType::kF32), 1);
  EXPECT_EQ(count(g, OpKind::kConcat, ElementType::kF32), 0);
  EXPECT_EQ(count(g, OpKind::kConcat, ElementType::kI8), 3);
  EXPECT_EQ(count(g, OpKind::kQuantizeActivation, ElementType::kI8), 1);  // the model input's
  for (const Node* n : g.topological_order())
    if (n->op == OpKind::kQuantizedConvolution) {
      EXPECT_TRUE(quantized_params(*n).output_codes.has_value()) << n->name << " writes floats";
    }
}

TEST(RequantizeConcats, AConcatReadAsFloatsStaysFloat) {
  const Graph g = test::expect_same_results([](Builder& b) { dense_block(b, AlsoOutput::kLastConcat); },
                                            options(false), options(true), inputs_of);
  EXPECT_EQ(count(g, OpKind::kCodesRequantize, ElementType::kI8), 0);
  EXPECT_EQ(count(g, OpKind::kCodesRequantize, ElementType::kF32), 0);
  EXPECT_EQ(count(g, OpKind::kConcat, ElementType::kF32), 3);
}

// A value the first Concat joins is also a model output: its producer keeps writing floats, and
// the whole block stays float with it (codes plus a CodesDequantize for the output would not be
// the same floats at a clamped top level; the Concats after it need the first one's floats).
TEST(RequantizeConcats, AJoinedValueReadAsFloatsKeepsTheBlockFloat) {
  const Graph g = test::expect_same_results([](Builder& b) { dense_block(b, AlsoOutput::kFirstLeaf); },
                                            options(false), options(true), inputs_of);
  EXPECT_EQ(count(g, OpKind::kCodesRequantize, ElementType::kI8), 0);
  EXPECT_EQ(count(g, OpKind::kCodesRequantize, ElementType::kF32), 0);
  EXPECT_EQ(count(g, OpKind::kConcat, ElementType::kF32), 3);
  EXPECT_EQ(count(g, OpKind::kCodesDequantize, ElementType::kF32), 0);
}

}  // namespace
}  // namespace octet
