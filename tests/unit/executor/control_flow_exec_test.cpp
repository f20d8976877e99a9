// If-8 and Loop-5 through the whole CPU path (IR file, compile, request), on OpenVINO-written IRs of
// tests/zoo/ops: a condition or an iteration count that changes between inferences of one request
// (expected values computed here, independently of octet), and the compile-time refusal of a Loop
// output whose shape would depend on run-time data.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/ir/ir_reader.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/executor/graph_builder.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

const fs::path kOps = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo" / "ops";

std::shared_ptr<CompiledModel> compile_cpu(Graph graph, Precision precision) {
  BackendOptions options;
  options.precision = precision;
  auto cpu = make_onednn_backend(options);
  CompileConfig config;
  config.options = options;
  return CompiledModel::compile(std::move(graph), cpu, cpu, config);
}

Tensor scalar_f32(float v) {
  Tensor t(ElementType::kF32, {});
  t.data_as<float>()[0] = v;
  return t;
}

Tensor scalar_bool(bool v) {
  Tensor t(ElementType::kBoolean, {});
  t.data_as<uint8_t>()[0] = v ? 1 : 0;
  return t;
}

class ControlFlowRequest : public ::testing::TestWithParam<Precision> {};

// loop_data_dependent_condition: y <- y * 1.5 + 0.25 while sum(y) < limit, at most 20 times (the
// body runs once before the condition is read); outputs the last y and the number of iterations.
TEST_P(ControlFlowRequest, LoopIterationCountFollowsTheDataOfEachInference) {
  auto model =
      compile_cpu(read_ir_file((kOps / "loop_data_dependent_condition" / "model.xml").string()), GetParam());
  auto request = model->create_request();
  const Tensor x = test::f32_tensor({2, 3}, {1, 1, 1, 1, 1, 1});
  // With x all ones, y_n = 1.5^(n+1) - 0.5: 1.75, 2.875, 4.5625, ... (sums 10.5, 17.25, 27.375, ...).
  const struct {
    float limit;
    int64_t iterations;
  } cases[] = {{20.0f, 3}, {0.0f, 1}, {1e9f, 20}, {11.0f, 2}};
  for (const auto& c : cases) {
    request->set_input("x", x);
    request->set_input("limit", scalar_f32(c.limit));
    request->infer();
    const Tensor& y = request->output("y0");
    const Tensor& steps = request->output("y1");
    ASSERT_EQ(steps.element_count(), 1);
    EXPECT_EQ(steps.get_as_int64(0), c.iterations) << "limit " << c.limit;
    const double expected = std::pow(1.5, static_cast<double>(c.iterations + 1)) - 0.5;
    ASSERT_EQ(y.shape(), (Dims{2, 3}));
    for (int64_t i = 0; i < y.element_count(); ++i)
      EXPECT_NEAR(y.get_as_double(i), expected, expected * 1e-5) << "limit " << c.limit << " element " << i;
  }
}

// if_onnx_outer_scope_true: y = cond ? a + b : a * c, the branches reading If inputs OpenVINO made of
// ONNX outer-scope values; the condition flips between inferences of one request.
TEST_P(ControlFlowRequest, IfConditionFlipsBetweenInferences) {
  auto model =
      compile_cpu(read_ir_file((kOps / "if_onnx_outer_scope_true" / "model.xml").string()), GetParam());
  auto request = model->create_request();
  const std::vector<float> a = {1, -2, 3, 0.5f, 8, -1}, b = {10, 20, 30, 40, 50, 60},
                           c = {2, 3, 4, -1, 0.25f, 7};
  request->set_input("a", test::f32_tensor({2, 3}, a));
  request->set_input("b", test::f32_tensor({2, 3}, b));
  request->set_input("c", test::f32_tensor({2, 3}, c));
  for (const bool cond : {true, false, true}) {
    request->set_input("cond", scalar_bool(cond));
    request->infer();
    const Tensor& y = request->output("y");
    ASSERT_EQ(y.element_count(), 6);
    for (size_t i = 0; i < 6; ++i)
      EXPECT_EQ(y.data_as<float>()[i], cond ? a[i] + b[i] : a[i] * c[i])
          << "cond " << cond << " element " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Precisions, ControlFlowRequest,
                         ::testing::Values(Precision::kFast, Precision::kReference), [](const auto& info) {
                           return info.param == Precision::kFast ? "fast" : "reference";
                         });

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::shared_ptr<const std::vector<uint8_t>> file_bytes(const fs::path& path) {
  const std::string s = file_text(path);
  return std::make_shared<const std::vector<uint8_t>>(s.begin(), s.end());
}

// The same Loop with its last-y output turned into every iteration's y joined on axis 0: the number
// of iterations, and so the output shape, is known only at run time. octet plans static shapes, so
// compiling refuses it, naming the layer, the output and why.
TEST(ControlFlowCompile, LoopJoiningADataDependentNumberOfIterationsIsRefused) {
  const fs::path dir = kOps / "loop_data_dependent_condition";
  std::string xml = file_text(dir / "model.xml");
  const std::string last = R"(<output external_port_id="5" internal_layer_id="13" />)";
  const size_t at = xml.find(last);
  ASSERT_NE(at, std::string::npos) << "the zoo model changed: update this test";
  xml.replace(at, last.size(),
              R"(<output external_port_id="5" internal_layer_id="13" axis="0" start="0" end="-1" stride="1" )"
              R"(part_size="1" />)");
  for (const Precision precision : {Precision::kFast, Precision::kReference}) {
    try {
      compile_cpu(read_ir_memory(xml, file_bytes(dir / "model.bin"), "loop.xml"), precision);
      FAIL() << "compiled a Loop output of run-time shape";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUnsupported) << e.what();
      const std::string m = e.what();
      for (const char* part : {"loop_0", "Loop-5", "output 0 joins the values of every iteration",
                               "the body's condition Result is computed at run time", "static shapes"})
        EXPECT_NE(m.find(part), std::string::npos) << "'" << part << "' missing from: " << m;
    }
  }
}

}  // namespace
}  // namespace octet
