// Precision modes of the executor: kFast runs the quantization pass and reports its decisions
// (quantized or not, and why), kReference keeps FakeQuantize literal. Values are worked by hand.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/executor/graph_builder.h"

namespace octet {
namespace {

using test::GraphBuilder;

Node* scalar(GraphBuilder& b, const std::string& name, float v) {
  return b.constant(name, test::f32_tensor({}, {v}));
}

// x[1,4] -> FQ(0..2.55, 256 levels) -> MatMul(i8 W[3,4] * scale[3,1], transpose_b) -> + bias -> Relu,
// and, in parallel, a float MatMul x @ F[4,2] that nothing can quantize.
Graph quantized_and_float_matmul() {
  GraphBuilder b;
  Node* x = b.param("x", {1, 4});
  Node* fq = b.op(OpKind::kFakeQuantize, "fq",
                  {x, scalar(b, "il", 0), scalar(b, "ih", 2.55f), scalar(b, "ol", 0), scalar(b, "oh", 2.55f)},
                  {{"levels", "256"}, {"auto_broadcast", "numpy"}});
  Tensor codes(ElementType::kI8, {3, 4});
  const int8_t cv[] = {1, 2, 3, 4, -1, -1, -1, -1, 0, 0, 10, 0};
  std::memcpy(codes.data(), cv, sizeof cv);
  Node* w = b.constant("w", codes);
  Node* convert = b.op(OpKind::kConvert, "w/convert", {w}, {{"destination_type", "f32"}});
  Node* scale = b.constant("w/scale", test::f32_tensor({3, 1}, {0.5f, 1.0f, 0.25f}));
  Node* mul = b.op(OpKind::kMultiply, "w/mul", {convert, scale}, {{"auto_broadcast", "numpy"}});
  Node* mm = b.op(OpKind::kMatMul, "fc", {fq, mul}, {{"transpose_a", "false"}, {"transpose_b", "true"}});
  Node* bias = b.constant("b", test::f32_tensor({3}, {0.0f, 1.0f, -10.0f}));
  Node* add = b.op(OpKind::kAdd, "fc/add", {mm, bias}, {{"auto_broadcast", "numpy"}});
  Node* relu = b.op(OpKind::kRelu, "fc/relu", {add});
  relu->outputs = {Value{ElementType::kUndefined, {}, {"y"}, false, {}}};  // the name survives the fusion
  b.result(relu);
  Node* f = b.constant("f", test::f32_tensor({4, 2}, {1, 0, 0, 1, 1, 0, 0, 1}));
  Node* fmm = b.op(OpKind::kMatMul, "float_fc", {x, f}, {{"transpose_a", "false"}, {"transpose_b", "false"}});
  b.result(fmm);
  return std::move(b.g);
}

bool has_op(const Graph& g, OpKind op) {
  for (const auto& n : g.nodes())
    if (n->op == op) return true;
  return false;
}

std::vector<float> run(CompiledModel& model, const std::string& output) {
  auto request = model.create_request();
  request->set_input("x", test::f32_tensor({1, 4}, {0.1f, 0.2f, 0.3f, 1.0f}));
  request->infer();
  const Tensor& y = request->output(output);
  return std::vector<float>(y.data_as<float>(), y.data_as<float>() + y.element_count());
}

// Levels of x: 10, 20, 30, 100 (step 0.01). Row 0: 540 * 0.5 * 0.01 = 2.7; row 1: -160 * 0.01
// + 1 = -0.6 -> relu 0; row 2: 300 * 0.25 * 0.01 - 10 -> relu 0.
const std::vector<float> kExpected = {2.7f, 0.0f, 0.0f};

TEST(Precision, FastQuantizesAndReportsDecisions) {
  BackendOptions options;
  options.precision = Precision::kFast;
  auto cpu = make_onednn_backend(options);
  CompileConfig config;
  config.options = options;
  auto model = CompiledModel::compile(quantized_and_float_matmul(), cpu, cpu, config);
  ASSERT_EQ(model->quantization().size(), 2u);
  const QuantizationDecision* fc = nullptr;
  const QuantizationDecision* float_fc = nullptr;
  for (const QuantizationDecision& d : model->quantization()) {
    if (d.node_name == "fc") fc = &d;
    if (d.node_name == "float_fc") float_fc = &d;
  }
  ASSERT_TRUE(fc && float_fc);
  EXPECT_TRUE(fc->quantized) << fc->reason;
  EXPECT_EQ(fc->precision.rfind("int8", 0), 0u) << fc->precision;
  EXPECT_FALSE(float_fc->quantized);
  EXPECT_FALSE(float_fc->reason.empty());
  EXPECT_TRUE(has_op(model->graph(), OpKind::kQuantizedMatMul));
  EXPECT_TRUE(has_op(model->graph(), OpKind::kQuantizeActivation));
  EXPECT_FALSE(has_op(model->graph(), OpKind::kFakeQuantize));
  for (const NodeAssignment& a : model->assignments()) {
    if (a.node_name == "fc") {
      EXPECT_EQ(a.precision, fc->precision);
    }
    if (a.node_name == "float_fc") {
      EXPECT_EQ(a.precision, "f32");
      EXPECT_NE(a.note.find("not quantized"), std::string::npos) << a.note;
    }
  }
  const std::vector<float> y = run(*model, "y");
  ASSERT_EQ(y.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(y[i], kExpected[i], 1e-6f) << i;
  const std::vector<float> f = run(*model, "float_fc");
  EXPECT_FLOAT_EQ(f[0], 0.4f);
  EXPECT_FLOAT_EQ(f[1], 1.2f);
}

TEST(Precision, ReferenceKeepsFakeQuantizeLiteral) {
  BackendOptions options;
  options.precision = Precision::kReference;
  auto cpu = make_onednn_backend(options);
  CompileConfig config;
  config.options = options;
  auto model = CompiledModel::compile(quantized_and_float_matmul(), cpu, cpu, config);
  EXPECT_TRUE(model->quantization().empty());
  EXPECT_TRUE(has_op(model->graph(), OpKind::kFakeQuantize));
  EXPECT_FALSE(has_op(model->graph(), OpKind::kQuantizedMatMul));
  for (const NodeAssignment& a : model->assignments()) EXPECT_EQ(a.note, "") << a.node_name;
  // FakeQuantize maps x onto the same levels, so the float graph gives the same values.
  const std::vector<float> y = run(*model, "y");
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(y[i], kExpected[i], 1e-5f) << i;
}

}  // namespace
}  // namespace octet
