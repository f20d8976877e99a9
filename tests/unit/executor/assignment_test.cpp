// Backend assignment and transfers: nodes go to the primary backend when it supports them, to the
// CPU backend (with the primary's reason recorded) when it does not, and values cross between the
// two exactly once per consumer backend. Expected values are computed here with <cmath>.
#include <gtest/gtest.h>

#include <cmath>

#include "host/common/error.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/executor/fake_device.h"
#include "tests/unit/executor/graph_builder.h"

namespace octet {
namespace {

using test::GraphBuilder;

float relu(float x) {
  return x > 0 ? x : 0.0f;
}
float sigmoid(float x) {
  return static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(x))));
}

const NodeAssignment& assignment_of(const CompiledModel& model, const std::string& node) {
  for (const NodeAssignment& a : model.assignments())
    if (a.node_name == node) return a;
  throw std::runtime_error("no assignment for " + node);
}

// x -> relu1 (fake device) -> sigmoid (CPU) -> relu2 (fake device) -> result
Graph relu_sigmoid_relu() {
  GraphBuilder b;
  Node* x = b.param("x", {2, 5});
  Node* r1 = b.op(OpKind::kRelu, "relu1", {x});
  Node* s = b.op(OpKind::kSigmoid, "sigmoid", {r1});
  Node* r2 = b.op(OpKind::kRelu, "relu2", {s});
  b.result(r2);
  return std::move(b.g);
}

TEST(Assignment, DeclinedNodesFallBackToCpuWithTheReason) {
  auto fake = std::make_shared<test::FakeDevice>();
  auto cpu = make_onednn_backend(BackendOptions{});
  auto model = CompiledModel::compile(relu_sigmoid_relu(), fake, cpu, CompileConfig{});
  ASSERT_EQ(model->assignments().size(), 3u);
  EXPECT_EQ(assignment_of(*model, "relu1").backend, "FAKE.0");
  EXPECT_EQ(assignment_of(*model, "relu1").impl, "fake_relu");
  EXPECT_EQ(assignment_of(*model, "relu1").note, "");
  EXPECT_EQ(assignment_of(*model, "relu2").backend, "FAKE.0");
  const NodeAssignment& s = assignment_of(*model, "sigmoid");
  EXPECT_EQ(s.backend, "CPU");
  EXPECT_EQ(s.op, "Sigmoid");
  EXPECT_NE(s.note.find("not supported on FAKE.0"), std::string::npos) << s.note;
  EXPECT_NE(s.note.find("only Relu on the fake device"), std::string::npos) << s.note;
  EXPECT_FALSE(s.impl.empty());
}

TEST(Assignment, WithoutFallbackAnUnsupportedNodeIsAnErrorNamingOpAndReason) {
  auto fake = std::make_shared<test::FakeDevice>();
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.allow_cpu_fallback = false;
  try {
    CompiledModel::compile(relu_sigmoid_relu(), fake, cpu, config);
    FAIL() << "expected kUnsupported";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    const std::string m = e.what();
    EXPECT_NE(m.find("Sigmoid"), std::string::npos) << m;
    EXPECT_NE(m.find("sigmoid"), std::string::npos) << m;  // the layer name
    EXPECT_NE(m.find("only Relu on the fake device"), std::string::npos) << m;
  }
  EXPECT_EQ(fake->live_.load(), 0);
}

TEST(Assignment, NoBackendIsInvalidArgument) {
  try {
    CompiledModel::compile(relu_sigmoid_relu(), nullptr, nullptr, CompileConfig{});
    FAIL() << "expected kInvalidArgument";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  }
}

TEST(Assignment, CpuAsPrimaryRunsEverythingOnCpu) {
  auto cpu = make_onednn_backend(BackendOptions{});
  auto model = CompiledModel::compile(relu_sigmoid_relu(), cpu, cpu, CompileConfig{});
  for (const NodeAssignment& a : model->assignments()) {
    EXPECT_EQ(a.backend, "CPU") << a.node_name;
    EXPECT_EQ(a.note, "") << a.node_name;
  }
}

TEST(Transfers, ValuesCrossBackendsAndResultsAreCorrect) {
  auto fake = std::make_shared<test::FakeDevice>();
  auto cpu = make_onednn_backend(BackendOptions{});
  {
    auto model = CompiledModel::compile(relu_sigmoid_relu(), fake, cpu, CompileConfig{});
    auto request = model->create_request();
    const Tensor x = test::f32_tensor({2, 5}, {-3, -1, -0.5f, 0, 0.25f, 0.5f, 1, 2, 4, 30});
    for (int run = 0; run < 2; ++run) {
      fake->uploads_ = 0;
      fake->downloads_ = 0;
      request->set_input("x", x);
      request->infer();
      // x is uploaded to the fake device (its first consumer); relu1's output comes down to the
      // CPU; the sigmoid goes back up; relu2's output, a model output, comes down once.
      EXPECT_EQ(fake->uploads_.load(), 2);
      EXPECT_EQ(fake->downloads_.load(), 2);
      const Tensor& y = request->output("relu2");
      ASSERT_EQ(y.shape(), (Dims{2, 5}));
      for (int64_t i = 0; i < 10; ++i) {
        const float expected = relu(sigmoid(relu(x.data_as<float>()[i])));
        EXPECT_NEAR(y.data_as<float>()[i], expected, 1e-6f) << "element " << i << " run " << run;
      }
    }
  }
  EXPECT_EQ(fake->live_.load(), 0) << "device handles leaked";
}

TEST(Transfers, AValueReadTwiceOnAnotherBackendIsCopiedOnce) {
  // relu1 (fake) feeds sigmoid and tanh (both CPU); the sum is on the CPU.
  GraphBuilder b;
  Node* x = b.param("x", {1, 4});
  Node* r1 = b.op(OpKind::kRelu, "relu1", {x});
  Node* s = b.op(OpKind::kSigmoid, "sigmoid", {r1});
  Node* t = b.op(OpKind::kTanh, "tanh", {r1});
  Node* sum = b.op(OpKind::kAdd, "sum", {s, t}, {{"auto_broadcast", "numpy"}});
  b.result(sum);
  auto fake = std::make_shared<test::FakeDevice>();
  auto cpu = make_onednn_backend(BackendOptions{});
  auto model = CompiledModel::compile(std::move(b.g), fake, cpu, CompileConfig{});
  EXPECT_EQ(assignment_of(*model, "sum").backend, "CPU");
  auto request = model->create_request();
  const Tensor xt = test::f32_tensor({1, 4}, {-1, 0, 1, 2});
  request->set_input("x", xt);
  request->infer();
  EXPECT_EQ(fake->uploads_.load(), 1);    // x
  EXPECT_EQ(fake->downloads_.load(), 1);  // relu1, once for both CPU readers
  const Tensor& y = request->output("sum");
  for (int i = 0; i < 4; ++i) {
    const float r = relu(xt.data_as<float>()[i]);
    EXPECT_NEAR(y.data_as<float>()[i], sigmoid(r) + std::tanh(r), 1e-6f);
  }
}

TEST(Transfers, InputReadFirstOnCpuIsUploadedToTheCpu) {
  // x's first consumer is the CPU (sigmoid): no device upload for it; relu1 reads a CPU value.
  GraphBuilder b;
  Node* x = b.param("x", {3});
  Node* s = b.op(OpKind::kSigmoid, "sigmoid", {x});
  Node* r = b.op(OpKind::kRelu, "relu", {s});
  b.result(r);
  auto fake = std::make_shared<test::FakeDevice>();
  auto cpu = make_onednn_backend(BackendOptions{});
  auto model = CompiledModel::compile(std::move(b.g), fake, cpu, CompileConfig{});
  auto request = model->create_request();
  request->set_input("x", test::f32_tensor({3}, {-1, 0, 1}));
  request->infer();
  EXPECT_EQ(fake->uploads_.load(), 1);    // the sigmoid's output
  EXPECT_EQ(fake->downloads_.load(), 1);  // the result
  EXPECT_NEAR(request->output("relu").data_as<float>()[0], sigmoid(-1), 1e-6f);
  EXPECT_NEAR(request->output("relu").data_as<float>()[1], 0.5f, 1e-6f);
}

}  // namespace
}  // namespace octet
