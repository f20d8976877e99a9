// Tests of the quantization pass and the integer reference on small hand-built graphs whose
// expected values are worked out by hand in the comments.
#include "host/transforms/quantize_linear.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>

#include "host/graph/graph.h"
#include "host/graph/quantized_linear.h"
#include "host/reference/quantized_linear.h"
#include "host/reference/run_graph.h"

namespace octet {
namespace {

Node* scalar(Graph& g, const std::string& name, float v) {
  Tensor t(ElementType::kF32, {});
  *t.data_as<float>() = v;
  return g.add_constant(name, t);
}

template <typename T>
Node* constant(Graph& g, const std::string& name, ElementType type, Dims shape, std::vector<T> values) {
  Tensor t(type, std::move(shape));
  std::memcpy(t.data(), values.data(), values.size() * sizeof(T));
  return g.add_constant(name, t);
}

Node* fake_quantize(Graph& g, Output x, float low, float high, int levels) {
  Node* fq = g.add(OpKind::kFakeQuantize, "fq");
  fq->attrs.set("levels", std::to_string(levels));
  fq->inputs = {x,
                {scalar(g, "il", low), 0},
                {scalar(g, "ih", high), 0},
                {scalar(g, "ol", low), 0},
                {scalar(g, "oh", high), 0}};
  return fq;
}

// x[1,4] -> FQ(u8, step 0.01) -> MatMul(W i8 [3,4] * scale[3,1], transpose_b) -> +bias -> Relu
// (or another activation).
struct MatMulModel {
  Graph g;
  Node* result = nullptr;
  explicit MatMulModel(OpKind activation = OpKind::kRelu, int version = 1,
                       const std::map<std::string, std::string>& attrs = {}) {
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {{ElementType::kF32, {1, 4}, {"x"}, false, {}}};
    g.parameters.push_back(x);
    Node* fq = fake_quantize(g, {x, 0}, 0.0f, 2.55f, 256);
    Node* codes =
        constant<int8_t>(g, "w", ElementType::kI8, {3, 4}, {1, 2, 3, 4, -1, -1, -1, -1, 0, 0, 10, 0});
    Node* convert = g.add(OpKind::kConvert, "w/convert");
    convert->attrs.set("destination_type", "f32");
    convert->inputs = {{codes, 0}};
    Node* scale = constant<float>(g, "w/scale", ElementType::kF32, {3, 1}, {0.5f, 1.0f, 0.25f});
    Node* mul = g.add(OpKind::kMultiply, "w/mul");
    mul->inputs = {{convert, 0}, {scale, 0}};
    Node* mm = g.add(OpKind::kMatMul, "fc");
    mm->attrs.set("transpose_a", "false");
    mm->attrs.set("transpose_b", "true");
    mm->inputs = {{fq, 0}, {mul, 0}};
    Node* bias = constant<float>(g, "b", ElementType::kF32, {3}, {0.0f, 1.0f, -10.0f});
    Node* add = g.add(OpKind::kAdd, "fc/add");
    add->inputs = {{mm, 0}, {bias, 0}};
    Node* relu = g.add(activation, "fc/relu", version);
    for (const auto& [key, value] : attrs) relu->attrs.set(key, value);
    relu->inputs = {{add, 0}};
    result = g.add(OpKind::kResult, "out");
    result->inputs = {{relu, 0}};
    g.results.push_back(result);
    infer_shapes(g);
  }
};

TEST(QuantizeLinear, FusesMatMulWithCompressedWeightsBiasAndRelu) {
  MatMulModel m;
  const auto decisions = quantize_linear_ops(m.g);
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_TRUE(decisions[0].quantized) << decisions[0].reason;
  Node* q = m.result->inputs[0].node;
  ASSERT_EQ(q->op, OpKind::kQuantizedMatMul);
  const QuantizedLinear& p = quantized_params(*q);
  ASSERT_TRUE(p.input.has_value());
  EXPECT_EQ(p.input->zero_point, 0);
  EXPECT_FLOAT_EQ(p.input->scale, 0.01f);
  EXPECT_EQ(p.weights.type, ElementType::kI8);
  EXPECT_EQ(p.weights.output_channels, 3);
  EXPECT_EQ(p.weights.reduction, 4);
  EXPECT_EQ(p.weights.scale, (std::vector<float>{0.5f, 1.0f, 0.25f}));
  EXPECT_TRUE(p.weights.zero_point.empty());
  EXPECT_EQ(p.bias, (std::vector<float>{0.0f, 1.0f, -10.0f}));
  ASSERT_EQ(p.post_ops.size(), 1u);
  EXPECT_EQ(p.post_ops[0].activation, PostOpCode::kRelu);
  // The fused node reads i8 codes from a QuantizeActivation fed by the FakeQuantize's input.
  const Node* codes = q->inputs[0].node;
  ASSERT_EQ(codes->op, OpKind::kQuantizeActivation);
  EXPECT_EQ(codes->inputs[0].node->op, OpKind::kParameter);
  EXPECT_FALSE(quantize_params(*codes).channels_last);

  // x = [0.1, 0.2, 0.3, 1.0]: levels 10, 20, 30, 100.
  // row 0: (10*1 + 20*2 + 30*3 + 100*4) = 540 -> 540 * 0.5 * 0.01 = 2.7, + 0, relu -> 2.7
  // row 1: -(10+20+30+100) = -160 -> -1.6 + 1 = -0.6, relu -> 0
  // row 2: 30*10 = 300 -> 300 * 0.25 * 0.01 = 0.75 - 10 -> relu -> 0
  Tensor x(ElementType::kF32, {1, 4});
  const float xv[] = {0.1f, 0.2f, 0.3f, 1.0f};
  std::memcpy(x.data(), xv, sizeof xv);
  std::vector<int64_t> acc;
  const auto out = evaluate_quantized_linear(*q, {&x}, &acc);
  EXPECT_EQ(acc, (std::vector<int64_t>{540, -160, 300}));
  EXPECT_NEAR(out[0].data_as<float>()[0], 2.7f, 1e-6);
  EXPECT_EQ(out[0].data_as<float>()[1], 0.0f);
  EXPECT_EQ(out[0].data_as<float>()[2], 0.0f);
  // The same through the i8 codes the QuantizeActivation node produces (q - 128).
  Tensor x_codes(ElementType::kI8, {1, 4});
  const int8_t cv[] = {10 - 128, 20 - 128, 30 - 128, 100 - 128};
  std::memcpy(x_codes.data(), cv, sizeof cv);
  std::vector<int64_t> acc_codes;
  evaluate_quantized_linear(*q, {&x_codes}, &acc_codes);
  EXPECT_EQ(acc_codes, (std::vector<int64_t>{540, -160, 300}));
}

// The fused post-op takes its code and parameters from the activation's typed attributes: Gelu's
// approximation picks one of two codes, Clamp and Elu carry their values.
TEST(QuantizeLinear, FusedActivationsCarryCodeAndParameters) {
  struct Case {
    OpKind op;
    int version;
    std::map<std::string, std::string> attrs;
    PostOpCode code;
    float alpha, beta;
  };
  const Case cases[] = {
      {OpKind::kGelu, 2, {}, PostOpCode::kGeluErf, 0, 0},
      {OpKind::kGelu, 7, {{"approximation_mode", "tanh"}}, PostOpCode::kGeluTanh, 0, 0},
      {OpKind::kGelu, 7, {{"approximation_mode", "ERF"}}, PostOpCode::kGeluErf, 0, 0},
      {OpKind::kClamp, 1, {{"min", "-1.5"}, {"max", "6"}}, PostOpCode::kClamp, -1.5f, 6.0f},
      {OpKind::kElu, 1, {{"alpha", "0.25"}}, PostOpCode::kElu, 0.25f, 0},
  };
  for (const Case& c : cases) {
    MatMulModel m(c.op, c.version, c.attrs);
    const auto decisions = quantize_linear_ops(m.g);
    ASSERT_EQ(decisions.size(), 1u);
    ASSERT_TRUE(decisions[0].quantized) << decisions[0].reason;
    const QuantizedLinear& p = quantized_params(*m.result->inputs[0].node);
    ASSERT_EQ(p.post_ops.size(), 1u) << op_name(c.op);
    EXPECT_EQ(p.post_ops[0].activation, c.code) << op_name(c.op) << "-" << c.version;
    EXPECT_EQ(p.post_ops[0].alpha, c.alpha) << op_name(c.op);
    EXPECT_EQ(p.post_ops[0].beta, c.beta) << op_name(c.op);
  }
}

TEST(QuantizeLinear, FloatWeightsStayFloatWithReason) {
  Graph g;
  Node* x = g.add(OpKind::kParameter, "x");
  x->outputs = {{ElementType::kF32, {2, 4}, {"x"}, false, {}}};
  g.parameters.push_back(x);
  Node* w = constant<float>(g, "w", ElementType::kF32, {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  Node* mm = g.add(OpKind::kMatMul, "mm");
  mm->attrs.set("transpose_a", "false");
  mm->attrs.set("transpose_b", "false");
  mm->inputs = {{x, 0}, {w, 0}};
  Node* r = g.add(OpKind::kResult, "r");
  r->inputs = {{mm, 0}};
  g.results.push_back(r);
  infer_shapes(g);
  const auto decisions = quantize_linear_ops(g);
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_FALSE(decisions[0].quantized);
  EXPECT_NE(decisions[0].reason.find("weights"), std::string::npos) << decisions[0].reason;
  EXPECT_EQ(r->inputs[0].node->op, OpKind::kMatMul);
}

TEST(QuantizeLinear, Int4GroupWiseWeightsWithZeroPointsAndTransposedLayout) {
  // W stored u4 [K=4, N=2] (transpose_b = false) with per-column zero point and scale:
  //   codes (k rows): [[1, 15], [2, 14], [3, 13], [4, 12]], zero points [[2, 12]], scales [[0.5, 2]].
  Graph g;
  Node* x = g.add(OpKind::kParameter, "x");
  x->outputs = {{ElementType::kF32, {1, 4}, {"x"}, false, {}}};
  g.parameters.push_back(x);
  // u4 packing: element 2i in the low nibble. Elements row-major: 1,15,2,14,3,13,4,12.
  Node* codes = constant<uint8_t>(g, "w", ElementType::kU4, {4, 2}, {0xF1, 0xE2, 0xD3, 0xC4});
  Node* cw = g.add(OpKind::kConvert, "cw");
  cw->attrs.set("destination_type", "f32");
  cw->inputs = {{codes, 0}};
  Node* zp = constant<uint8_t>(g, "zp", ElementType::kU4, {1, 2}, {0xC2});  // {2, 12}
  Node* cz = g.add(OpKind::kConvert, "cz");
  cz->attrs.set("destination_type", "f32");
  cz->inputs = {{zp, 0}};
  Node* sub = g.add(OpKind::kSubtract, "sub");
  sub->inputs = {{cw, 0}, {cz, 0}};
  Node* scale = constant<float>(g, "s", ElementType::kF32, {1, 2}, {0.5f, 2.0f});
  Node* mul = g.add(OpKind::kMultiply, "mul");
  mul->inputs = {{sub, 0}, {scale, 0}};
  Node* mm = g.add(OpKind::kMatMul, "mm");
  mm->attrs.set("transpose_a", "false");
  mm->attrs.set("transpose_b", "false");
  mm->inputs = {{x, 0}, {mul, 0}};
  Node* r = g.add(OpKind::kResult, "r");
  r->inputs = {{mm, 0}};
  g.results.push_back(r);
  infer_shapes(g);
  const auto decisions = quantize_linear_ops(g);
  ASSERT_TRUE(decisions.at(0).quantized) << decisions[0].reason;
  Node* q = r->inputs[0].node;
  const QuantizedLinear& p = quantized_params(*q);
  EXPECT_FALSE(p.input.has_value());  // no FakeQuantize: float activations, compressed weights
  EXPECT_EQ(p.weights.type, ElementType::kU4);
  EXPECT_EQ(p.weights.zero_point, (std::vector<int32_t>{2, 12}));
  // Normalised [N, K]: column 0 = 1,2,3,4 ; column 1 = 15,14,13,12.
  const std::vector<int64_t> expected = {1, 2, 3, 4, 15, 14, 13, 12};
  EXPECT_EQ(p.weights.codes.to_int64_vector(), expected);
  // x = [1, 1, 1, 1]: col 0: (1+2+3+4 - 4*2) * 0.5 = 1 ; col 1: (54 - 48) * 2 = 12
  Tensor xt(ElementType::kF32, {1, 4});
  for (int i = 0; i < 4; ++i) xt.data_as<float>()[i] = 1.0f;
  const auto out = evaluate_quantized_linear(*q, {&xt});
  EXPECT_FLOAT_EQ(out[0].data_as<float>()[0], 1.0f);
  EXPECT_FLOAT_EQ(out[0].data_as<float>()[1], 12.0f);
}

// x[1,2] -> FQ [0, 2.55] -> mm1 (W i8 [[1, 1], [2, -1]], scale 1) -> FQ [0, 2.55] -> Reshape -> mm2
// (W i8 [[1, 2]], scale 0.5). mm1 fuses the second FakeQuantize, so mm2's activation is mm1's
// output seen through the Reshape: already on a 0.01 grid, it must still run on integer codes.
struct ChainModel {
  Graph g;
  Node* result = nullptr;
  Node* reshape = nullptr;
  static Node* linear(Graph& g, const std::string& name, Output x, Dims shape, std::vector<int8_t> w,
                      std::vector<float> scale) {
    const int64_t n = shape[0];
    Node* codes = constant<int8_t>(g, name + "/w", ElementType::kI8, shape, std::move(w));
    Node* convert = g.add(OpKind::kConvert, name + "/convert");
    convert->attrs.set("destination_type", "f32");
    convert->inputs = {{codes, 0}};
    Node* s = constant<float>(g, name + "/scale", ElementType::kF32, {n, 1}, std::move(scale));
    Node* mul = g.add(OpKind::kMultiply, name + "/mul");
    mul->inputs = {{convert, 0}, {s, 0}};
    Node* mm = g.add(OpKind::kMatMul, name);
    mm->attrs.set("transpose_a", "false");
    mm->attrs.set("transpose_b", "true");
    mm->inputs = {x, {mul, 0}};
    return mm;
  }
  ChainModel() {
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {{ElementType::kF32, {1, 2}, {"x"}, false, {}}};
    g.parameters.push_back(x);
    Node* fq1 = fake_quantize(g, {x, 0}, 0.0f, 2.55f, 256);
    Node* mm1 = linear(g, "mm1", {fq1, 0}, {2, 2}, {1, 1, 2, -1}, {1.0f, 1.0f});
    Node* fq2 = fake_quantize(g, {mm1, 0}, 0.0f, 2.55f, 256);
    reshape = g.add(OpKind::kReshape, "reshape");
    reshape->attrs.set("special_zero", "false");
    reshape->inputs = {{fq2, 0}, {constant<int64_t>(g, "shape", ElementType::kI64, {2}, {1, 2}), 0}};
    Node* mm2 = linear(g, "mm2", {reshape, 0}, {1, 2}, {1, 2}, {0.5f});
    result = g.add(OpKind::kResult, "y");
    result->inputs = {{mm2, 0}};
    g.results.push_back(result);
    infer_shapes(g);
  }
};

TEST(QuantizeLinear, ActivationsAlreadyOnAGridStayInteger) {
  ChainModel m;
  Tensor x(ElementType::kF32, {1, 2});
  x.data_as<float>()[0] = 0.5f;  // level 50
  x.data_as<float>()[1] = 1.0f;  // level 100
  // mm1: [50 + 100, 100 - 100] * 0.01 = [1.5, 0]; FQ2 keeps them (levels 150, 0).
  // mm2: (150 * 1 + 0 * 2) * 0.5 * 0.01 = 0.75.
  const float before = run_reference(m.g, {{"x", x}}).at("y").data_as<float>()[0];
  EXPECT_NEAR(before, 0.75f, 1e-6f);
  const auto decisions = quantize_linear_ops(m.g);
  ASSERT_EQ(decisions.size(), 2u);
  for (const auto& d : decisions) {
    EXPECT_TRUE(d.quantized) << d.node_name << ": " << d.reason;
    EXPECT_NE(d.precision.find("u8 act"), std::string::npos) << d.node_name << ": " << d.precision;
  }
  const Node* mm2 = m.result->inputs[0].node;
  ASSERT_EQ(mm2->op, OpKind::kQuantizedMatMul);
  const Node* codes = mm2->inputs[0].node;
  ASSERT_EQ(codes->op, OpKind::kQuantizeActivation);
  EXPECT_EQ(codes->inputs[0].node, m.reshape);
  // The grid's quantization maps the FakeQuantize's output range onto its levels.
  EXPECT_FLOAT_EQ(quantize_params(*codes).quant.in_high, 2.55f);
  std::vector<int64_t> acc;
  Tensor reshaped(ElementType::kI8, {1, 2});
  reshaped.data_as<int8_t>()[0] = static_cast<int8_t>(150 - 128);
  reshaped.data_as<int8_t>()[1] = static_cast<int8_t>(0 - 128);
  evaluate_quantized_linear(*mm2, {&reshaped}, &acc);
  EXPECT_EQ(acc, (std::vector<int64_t>{150}));
  EXPECT_NEAR(run_reference(m.g, {{"x", x}}).at("y").data_as<float>()[0], 0.75f, 1e-6f);
}

// A 3x3 convolution over a non-square image (H=5, W=7) with auto_pad same_upper: the integer graph reads
// channels-last codes, so its window geometry must take H and W from the right dims. The float
// reference on the untransformed graph is the independent expectation.
TEST(QuantizeLinear, ConvolutionOnNonSquareChannelsLastCodes) {
  Graph g;
  Node* x = g.add(OpKind::kParameter, "x");
  x->outputs = {{ElementType::kF32, {1, 2, 5, 7}, {"x"}, false, {}}};
  g.parameters.push_back(x);
  Node* fq = fake_quantize(g, {x, 0}, 0.0f, 2.55f, 256);
  std::vector<int8_t> w(3 * 2 * 3 * 3);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<int8_t>(static_cast<int>(i * 37 % 255) - 127);
  Node* codes = constant<int8_t>(g, "w", ElementType::kI8, {3, 2, 3, 3}, w);
  Node* convert = g.add(OpKind::kConvert, "w/convert");
  convert->attrs.set("destination_type", "f32");
  convert->inputs = {{codes, 0}};
  Node* scale = constant<float>(g, "w/scale", ElementType::kF32, {3, 1, 1, 1}, {0.5f, 0.25f, 0.125f});
  Node* mul = g.add(OpKind::kMultiply, "w/mul");
  mul->inputs = {{convert, 0}, {scale, 0}};
  Node* conv = g.add(OpKind::kConvolution, "conv");
  conv->attrs.set("strides", "1,2");
  conv->attrs.set("dilations", "1,1");
  conv->attrs.set("pads_begin", "0,0");
  conv->attrs.set("pads_end", "0,0");
  conv->attrs.set("auto_pad", "same_upper");  // pads follow from H and W: (1,1) and (1,1)
  conv->inputs = {{fq, 0}, {mul, 0}};
  Node* result = g.add(OpKind::kResult, "y");
  result->inputs = {{conv, 0}};
  g.results.push_back(result);
  infer_shapes(g);
  ASSERT_EQ(conv->outputs[0].shape, (Dims{1, 3, 5, 4}));  // same_upper: ceil(5/1), ceil(7/2)

  Tensor input(ElementType::kF32, {1, 2, 5, 7});
  float* xs = input.data_as<float>();
  for (int i = 0; i < 70; ++i) xs[i] = static_cast<float>((i * 29) % 256) * 0.01f;
  const Tensor before = run_reference(g, {{"x", input}}).at("y");
  const auto decisions = quantize_linear_ops(g);
  ASSERT_EQ(decisions.size(), 1u);
  ASSERT_TRUE(decisions[0].quantized) << decisions[0].reason;
  const Node* qconv = result->inputs[0].node;
  ASSERT_EQ(qconv->op, OpKind::kQuantizedConvolution);
  ASSERT_EQ(qconv->input_type(0), ElementType::kI8);
  EXPECT_EQ(qconv->input_shape(0), (Dims{1, 5, 7, 2}));  // channels-last codes
  const Tensor after = run_reference(g, {{"x", input}}).at("y");
  ASSERT_EQ(after.shape(), before.shape());
  for (int64_t i = 0; i < before.element_count(); ++i)
    EXPECT_NEAR(after.data_as<float>()[i], before.data_as<float>()[i], 1e-4f) << "element " << i;
}

// NNCF's ResNet block tail: x -> FQ -> 1x1 conv (i8 weights) -> Multiply 0.5 -> FQ -> Add(residual
// r) -> Relu -> FQ. The basic pass stops at the first FakeQuantize; a backend that asks for fusion
// across FakeQuantize gets the whole tail in one node. The float reference of the untransformed
// graph is the expectation: the chain keeps every rounding, so the values are equal up to float
// reassociation inside the convolution (far below one output step, 0.02).
struct ResidualTail {
  Graph g;
  Node* result = nullptr;
  ResidualTail() {
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {{ElementType::kF32, {1, 2, 3, 3}, {"x"}, false, {}}};
    Node* r = g.add(OpKind::kParameter, "r");
    r->outputs = {{ElementType::kF32, {1, 2, 3, 3}, {"r"}, false, {}}};
    g.parameters = {x, r};
    Node* fq_in = fake_quantize(g, {x, 0}, 0.0f, 2.55f, 256);
    Node* codes = constant<int8_t>(g, "w", ElementType::kI8, {2, 2, 1, 1}, {3, -1, 2, 5});
    Node* convert = g.add(OpKind::kConvert, "w/convert");
    convert->attrs.set("destination_type", "f32");
    convert->inputs = {{codes, 0}};
    Node* wscale = constant<float>(g, "w/scale", ElementType::kF32, {2, 1, 1, 1}, {0.5f, 0.25f});
    Node* wmul = g.add(OpKind::kMultiply, "w/mul");
    wmul->inputs = {{convert, 0}, {wscale, 0}};
    Node* conv = g.add(OpKind::kConvolution, "conv");
    conv->attrs.set("strides", "1,1");
    conv->attrs.set("dilations", "1,1");
    conv->attrs.set("pads_begin", "0,0");
    conv->attrs.set("pads_end", "0,0");
    conv->inputs = {{fq_in, 0}, {wmul, 0}};
    Node* half = g.add(OpKind::kMultiply, "scale");
    half->inputs = {{conv, 0}, {scalar(g, "half", 0.5f), 0}};
    Node* fq_mid = fake_quantize(g, {half, 0}, -2.56f, 2.54f, 256);
    Node* add = g.add(OpKind::kAdd, "add");
    add->inputs = {{fq_mid, 0}, {r, 0}};
    Node* relu = g.add(OpKind::kRelu, "relu");
    relu->inputs = {{add, 0}};
    Node* fq_out = fake_quantize(g, {relu, 0}, 0.0f, 5.1f, 256);
    result = g.add(OpKind::kResult, "y");
    result->inputs = {{fq_out, 0}};
    g.results.push_back(result);
    infer_shapes(g);
  }
};

TEST(QuantizeLinear, ResidualTailFusesAcrossFakeQuantizeWhenAsked) {
  Tensor x(ElementType::kF32, {1, 2, 3, 3}), r(ElementType::kF32, {1, 2, 3, 3});
  for (int i = 0; i < 18; ++i) {
    x.data_as<float>()[i] = static_cast<float>((i * 53) % 256) * 0.01f;
    r.data_as<float>()[i] = static_cast<float>(i % 7) * 0.3f - 0.9f;
  }
  {
    ResidualTail basic;
    quantize_linear_ops(basic.g);
    const Node* last = basic.result->inputs[0].node;
    EXPECT_EQ(last->op, OpKind::kFakeQuantize) << "the default pass must stop at the first FakeQuantize";
  }
  ResidualTail m;
  const Tensor before = run_reference(m.g, {{"x", x}, {"r", r}}).at("y");
  QuantizeOptions options;
  options.fuse_across_fake_quantize = true;
  const auto decisions = quantize_linear_ops(m.g, options);
  ASSERT_EQ(decisions.size(), 1u);
  ASSERT_TRUE(decisions[0].quantized) << decisions[0].reason;
  EXPECT_EQ(decisions[0].fused.back(), "fq");
  const Node* q = m.result->inputs[0].node;
  ASSERT_EQ(q->op, OpKind::kQuantizedConvolution);
  const QuantizedLinear& p = quantized_params(*q);
  ASSERT_EQ(p.post_ops.size(), 4u);
  EXPECT_EQ(p.post_ops[0].kind, PostOp::Kind::kScale);
  EXPECT_EQ(p.post_ops[0].values, (std::vector<float>{0.5f, 0.5f}));
  EXPECT_EQ(p.post_ops[1].kind, PostOp::Kind::kFakeQuantize);
  EXPECT_FLOAT_EQ(p.post_ops[1].quant.in_low, -2.56f);
  EXPECT_EQ(p.post_ops[2].kind, PostOp::Kind::kResidualAdd);
  EXPECT_EQ(p.post_ops[3].activation, PostOpCode::kRelu);
  ASSERT_TRUE(p.output.has_value());
  EXPECT_FLOAT_EQ(p.output->in_high, 5.1f);
  ASSERT_EQ(q->inputs.size(), 2u);
  EXPECT_EQ(q->inputs[1].node->name, "r");
  const Tensor after = run_reference(m.g, {{"x", x}, {"r", r}}).at("y");
  ASSERT_EQ(after.shape(), before.shape());
  int nonzero = 0;
  for (int64_t i = 0; i < before.element_count(); ++i) {
    EXPECT_NEAR(after.data_as<float>()[i], before.data_as<float>()[i], 1e-5f) << "element " << i;
    nonzero += before.data_as<float>()[i] != 0;
  }
  EXPECT_GT(nonzero, 4);  // the Relu must not have zeroed the whole test
}

// x -> FQ -> conv1 (1x1, i8) -> FQ -> conv2 (1x1, i8) -> y. With emit_codes, conv1 writes the
// channels-last codes conv2 reads and the QuantizeActivation between them goes away; the result
// must not change by a single bit (the same quantization is applied in another place).
struct TwoConvs {
  Graph g;
  Node* result = nullptr;
  static Node* conv(Graph& g, const std::string& name, Output x, std::vector<int8_t> w) {
    Node* codes = constant<int8_t>(g, name + "/w", ElementType::kI8, {2, 2, 1, 1}, std::move(w));
    Node* convert = g.add(OpKind::kConvert, name + "/convert");
    convert->attrs.set("destination_type", "f32");
    convert->inputs = {{codes, 0}};
    Node* scale = constant<float>(g, name + "/scale", ElementType::kF32, {2, 1, 1, 1}, {0.5f, 0.25f});
    Node* mul = g.add(OpKind::kMultiply, name + "/mul");
    mul->inputs = {{convert, 0}, {scale, 0}};
    Node* c = g.add(OpKind::kConvolution, name);
    c->attrs.set("strides", "1,1");
    c->attrs.set("dilations", "1,1");
    c->attrs.set("pads_begin", "0,0");
    c->attrs.set("pads_end", "0,0");
    c->inputs = {x, {mul, 0}};
    return c;
  }
  TwoConvs() {
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {{ElementType::kF32, {1, 2, 2, 3}, {"x"}, false, {}}};
    g.parameters = {x};
    Node* c1 = conv(g, "conv1", {fake_quantize(g, {x, 0}, 0.0f, 2.55f, 256), 0}, {3, -1, 2, 5});
    Node* c2 = conv(g, "conv2", {fake_quantize(g, {c1, 0}, -1.28f, 1.27f, 256), 0}, {1, 2, -4, 1});
    result = g.add(OpKind::kResult, "y");
    result->inputs = {{c2, 0}};
    g.results.push_back(result);
    infer_shapes(g);
  }
};

TEST(QuantizeLinear, ConvolutionEmitsTheCodesItsConsumerReads) {
  Tensor x(ElementType::kF32, {1, 2, 2, 3});
  for (int i = 0; i < 12; ++i) x.data_as<float>()[i] = static_cast<float>((i * 67) % 256) * 0.01f;
  TwoConvs basic;
  quantize_linear_ops(basic.g);
  const Node* basic_conv2 = basic.result->inputs[0].node;
  ASSERT_EQ(basic_conv2->op, OpKind::kQuantizedConvolution);
  EXPECT_EQ(basic_conv2->inputs[0].node->op, OpKind::kQuantizeActivation);
  const Tensor expected = run_reference(basic.g, {{"x", x}}).at("y");

  TwoConvs m;
  QuantizeOptions options;
  options.emit_codes = true;
  quantize_linear_ops(m.g, options);
  const Node* conv2 = m.result->inputs[0].node;
  ASSERT_EQ(conv2->op, OpKind::kQuantizedConvolution);
  const Node* conv1 = conv2->inputs[0].node;
  ASSERT_EQ(conv1->op, OpKind::kQuantizedConvolution) << "the QuantizeActivation must be folded into conv1";
  EXPECT_EQ(conv1->outputs[0].type, ElementType::kI8);
  EXPECT_EQ(conv1->outputs[0].shape, (Dims{1, 2, 3, 2}));  // channels last
  ASSERT_TRUE(quantized_params(*conv1).output_codes.has_value());
  EXPECT_FALSE(quantized_params(*conv2).output_codes.has_value());  // its consumer is the Result
  const Tensor actual = run_reference(m.g, {{"x", x}}).at("y");
  ASSERT_EQ(actual.shape(), expected.shape());
  EXPECT_EQ(std::memcmp(actual.data(), expected.data(), expected.byte_size()), 0);
  int nonzero = 0;
  for (int64_t i = 0; i < expected.element_count(); ++i) nonzero += expected.data_as<float>()[i] != 0;
  EXPECT_GT(nonzero, 6);
}

// x -> FQ -> convA -> FQ = X; X -> convB -> FQ -> Add(X) -> Relu -> FQ -> y (ResNet's identity
// block). With both options, convB reads X's residual as the channels-last codes it already reads
// as its activation, so convA's only consumer is that QuantizeActivation and convA emits codes.
TEST(QuantizeLinear, ResidualAddendIsReadAsCodesAndItsProducerEmitsThem) {
  auto build = [](Graph& g) {
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {{ElementType::kF32, {1, 2, 2, 3}, {"x"}, false, {}}};
    g.parameters = {x};
    Node* a = TwoConvs::conv(g, "convA", {fake_quantize(g, {x, 0}, 0.0f, 2.55f, 256), 0}, {3, -1, 2, 5});
    Node* grid = fake_quantize(g, {a, 0}, -1.28f, 1.27f, 256);
    Node* b = TwoConvs::conv(g, "convB", {grid, 0}, {1, 2, -4, 1});
    Node* fq_b = fake_quantize(g, {b, 0}, -2.56f, 2.54f, 256);
    Node* add = g.add(OpKind::kAdd, "add");
    add->inputs = {{fq_b, 0}, {grid, 0}};
    Node* relu = g.add(OpKind::kRelu, "relu");
    relu->inputs = {{add, 0}};
    Node* out = fake_quantize(g, {relu, 0}, 0.0f, 5.1f, 256);
    Node* result = g.add(OpKind::kResult, "y");
    result->inputs = {{out, 0}};
    g.results.push_back(result);
    infer_shapes(g);
    return result;
  };
  Tensor x(ElementType::kF32, {1, 2, 2, 3});
  for (int i = 0; i < 12; ++i) x.data_as<float>()[i] = static_cast<float>((i * 67) % 256) * 0.01f;
  Graph original;
  build(original);
  const Tensor expected = run_reference(original, {{"x", x}}).at("y");

  Graph g;
  Node* result = build(g);
  QuantizeOptions options;
  options.fuse_across_fake_quantize = true;
  options.emit_codes = true;
  quantize_linear_ops(g, options);
  const Node* conv_b = result->inputs[0].node;
  ASSERT_EQ(conv_b->op, OpKind::kQuantizedConvolution);
  ASSERT_EQ(conv_b->inputs.size(), 2u);
  EXPECT_EQ(conv_b->inputs[0].node, conv_b->inputs[1].node) << "activation and residual: the same codes";
  const QuantizedLinear& pb = quantized_params(*conv_b);
  bool codes_residual = false;
  for (const PostOp& op : pb.post_ops) codes_residual = codes_residual || op.residual_codes.has_value();
  EXPECT_TRUE(codes_residual);
  const Node* conv_a = conv_b->inputs[0].node;
  ASSERT_EQ(conv_a->op, OpKind::kQuantizedConvolution) << "convA must emit the codes itself";
  EXPECT_EQ(conv_a->outputs[0].type, ElementType::kI8);
  const Tensor actual = run_reference(g, {{"x", x}}).at("y");
  ASSERT_EQ(actual.shape(), expected.shape());
  int nonzero = 0;
  for (int64_t i = 0; i < expected.element_count(); ++i) {
    const float e = expected.data_as<float>()[i];
    EXPECT_NEAR(actual.data_as<float>()[i], e, 1e-6f * std::fabs(e) + 1e-7f) << "element " << i;
    nonzero += e != 0;
  }
  EXPECT_GT(nonzero, 4);
}

// x[2,3,4] -> FQ -> fc1 (i8) -> FQ -> fc2 (i8) -> y. With emit_codes fc1 writes the codes fc2 reads,
// in the plain layout (a matmul's channels are already its last axis): [2,3,4] stays [2,3,4].
TEST(QuantizeLinear, MatMulEmitsPlainCodesItsConsumerReads) {
  auto matmul = [](Graph& g, const std::string& name, Output x, std::vector<int8_t> w) {
    Node* codes = constant<int8_t>(g, name + "/w", ElementType::kI8, {4, 4}, std::move(w));
    Node* convert = g.add(OpKind::kConvert, name + "/convert");
    convert->attrs.set("destination_type", "f32");
    convert->inputs = {{codes, 0}};
    Node* scale = constant<float>(g, name + "/scale", ElementType::kF32, {4, 1}, {0.5f, 0.25f, 0.125f, 1.0f});
    Node* mul = g.add(OpKind::kMultiply, name + "/mul");
    mul->inputs = {{convert, 0}, {scale, 0}};
    Node* mm = g.add(OpKind::kMatMul, name);
    mm->attrs.set("transpose_a", "false");
    mm->attrs.set("transpose_b", "true");
    mm->inputs = {x, {mul, 0}};
    return mm;
  };
  auto build = [&](Graph& g) {
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {{ElementType::kF32, {2, 3, 4}, {"x"}, false, {}}};
    g.parameters = {x};
    Node* fc1 = matmul(g, "fc1", {fake_quantize(g, {x, 0}, 0.0f, 2.55f, 256), 0},
                       {3, -1, 2, 5, 1, 1, -2, 0, 7, -3, 1, 1, -1, 4, 0, 2});
    Node* fc2 = matmul(g, "fc2", {fake_quantize(g, {fc1, 0}, -1.28f, 1.27f, 256), 0},
                       {1, 2, -4, 1, 0, 3, 1, -1, 2, 2, 2, 2, -5, 0, 1, 3});
    Node* result = g.add(OpKind::kResult, "y");
    result->inputs = {{fc2, 0}};
    g.results.push_back(result);
    infer_shapes(g);
    return result;
  };
  Tensor x(ElementType::kF32, {2, 3, 4});
  for (int i = 0; i < 24; ++i) x.data_as<float>()[i] = static_cast<float>((i * 67) % 256) * 0.01f;
  Graph basic;
  build(basic);
  quantize_linear_ops(basic);
  const Tensor expected = run_reference(basic, {{"x", x}}).at("y");

  Graph g;
  Node* result = build(g);
  QuantizeOptions options;
  options.emit_codes = true;
  quantize_linear_ops(g, options);
  const Node* fc2 = result->inputs[0].node;
  ASSERT_EQ(fc2->op, OpKind::kQuantizedMatMul);
  const Node* fc1 = fc2->inputs[0].node;
  ASSERT_EQ(fc1->op, OpKind::kQuantizedMatMul) << "the QuantizeActivation must be folded into fc1";
  EXPECT_EQ(fc1->outputs[0].type, ElementType::kI8);
  EXPECT_EQ(fc1->outputs[0].shape, (Dims{2, 3, 4}));  // plain layout
  ASSERT_TRUE(quantized_params(*fc1).output_codes.has_value());
  const Tensor actual = run_reference(g, {{"x", x}}).at("y");
  ASSERT_EQ(actual.shape(), expected.shape());
  EXPECT_EQ(std::memcmp(actual.data(), expected.data(), expected.byte_size()), 0);
  int nonzero = 0;
  for (int64_t i = 0; i < expected.element_count(); ++i) nonzero += expected.data_as<float>()[i] != 0;
  EXPECT_GT(nonzero, 12);
}

}  // namespace
}  // namespace octet
