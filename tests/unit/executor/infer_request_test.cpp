// InferRequest misuse and hostile inputs (bad-inputs.md rows 26, 27, 29 and 45): wrong dims, rank
// or element type are kParameterMismatch naming the input, expected and actual; NaN, Inf, denormal
// and zero inputs run and propagate; a request used by two threads at once is kRequestBusy.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <thread>

#include "host/common/error.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/executor/fake_device.h"
#include "tests/unit/executor/graph_builder.h"

namespace octet {
namespace {

using test::GraphBuilder;

// y = x * 2 + 1 (elementwise, exact in float) and z = x[2,4] @ W[4,3] with W all ones.
Graph affine_and_matmul() {
  GraphBuilder b;
  Node* x = b.param("input_x", {2, 4});
  Node* two = b.constant("two", test::f32_tensor({}, {2}));
  Node* one = b.constant("one", test::f32_tensor({}, {1}));
  Node* m = b.op(OpKind::kMultiply, "m", {x, two}, {{"auto_broadcast", "numpy"}});
  Node* y = b.op(OpKind::kAdd, "y", {m, one}, {{"auto_broadcast", "numpy"}});
  Node* w = b.constant("w", test::f32_tensor({4, 3}, std::vector<float>(12, 1.0f)));
  Node* z = b.op(OpKind::kMatMul, "z", {x, w}, {{"transpose_a", "false"}, {"transpose_b", "false"}});
  b.result(y);
  b.result(z);
  return std::move(b.g);
}

std::unique_ptr<InferRequest> cpu_request() {
  static auto cpu = make_onednn_backend(BackendOptions{});
  static auto model = CompiledModel::compile(affine_and_matmul(), cpu, cpu, CompileConfig{});
  return model->create_request();
}

void expect_mismatch(InferRequest& request, const Tensor& t, const std::string& actual) {
  try {
    request.set_input("input_x", t);
    FAIL() << "expected kParameterMismatch for " << actual;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kParameterMismatch);
    const std::string m = e.what();
    EXPECT_NE(m.find("input_x"), std::string::npos) << m;
    EXPECT_NE(m.find("f32 [2,4]"), std::string::npos) << "expected shape missing: " << m;
    EXPECT_NE(m.find(actual), std::string::npos) << "actual missing: " << m;
  }
}

TEST(InferRequestErrors, WrongDimsOrRankIsParameterMismatch) {
  auto request = cpu_request();
  expect_mismatch(*request, Tensor(ElementType::kF32, {2, 5}), "f32 [2,5]");
  expect_mismatch(*request, Tensor(ElementType::kF32, {4, 2}), "f32 [4,2]");
  expect_mismatch(*request, Tensor(ElementType::kF32, {8}), "f32 [8]");            // same count, rank 1
  expect_mismatch(*request, Tensor(ElementType::kF32, {1, 2, 4}), "f32 [1,2,4]");  // rank 3
  expect_mismatch(*request, Tensor(ElementType::kF32, {}), "f32 []");
}

TEST(InferRequestErrors, WrongElementTypeIsParameterMismatchNotReinterpreted) {
  auto request = cpu_request();
  expect_mismatch(*request, Tensor(ElementType::kI32, {2, 4}), "i32 [2,4]");  // same byte size as f32
  expect_mismatch(*request, Tensor(ElementType::kF16, {2, 4}), "f16 [2,4]");
  expect_mismatch(*request, Tensor(ElementType::kU8, {2, 4}), "u8 [2,4]");
}

TEST(InferRequestErrors, UnknownInputNameListsTheValidNames) {
  auto request = cpu_request();
  try {
    request->set_input("nope", Tensor(ElementType::kF32, {2, 4}));
    FAIL() << "expected kNotFound";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("'input_x'"), std::string::npos) << e.what();
  }
}

TEST(InferRequestErrors, InferWithoutInputsIsAnError) {
  auto request = cpu_request();
  try {
    request->infer();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("input_x"), std::string::npos) << e.what();
  }
}

TEST(InferRequestErrors, AFailedSetInputLeavesTheRequestUsable) {
  auto request = cpu_request();
  EXPECT_THROW(request->set_input("input_x", Tensor(ElementType::kF32, {3, 4})), Error);
  request->set_input("input_x", test::f32_tensor({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8}));
  request->infer();
  EXPECT_EQ(request->output("y").data_as<float>()[7], 17.0f);
  EXPECT_EQ(request->output("z").data_as<float>()[0], 10.0f);
  EXPECT_EQ(request->output("z").data_as<float>()[5], 26.0f);
}

// Issue 12: outputs read before any inference used to come back OK holding zeros, and after a
// failed inference OK holding the previous run's data.
TEST(InferRequestErrors, OutputsBeforeAnyOrAfterAFailedInferenceAreAnError) {
  auto cpu = make_onednn_backend(BackendOptions{});
  GraphBuilder b;
  Node* x = b.param("x", {2}, ElementType::kI32);
  Node* y = b.param("y", {2}, ElementType::kI32);
  b.result(b.op(OpKind::kDivide, "q", {x, y}, {{"auto_broadcast", "numpy"}}));
  auto model = CompiledModel::compile(std::move(b.g), cpu, cpu, CompileConfig{});
  auto request = model->create_request();
  auto expect_no_result = [&](const char* when) {
    try {
      request->output("q");
      ADD_FAILURE() << "no error " << when;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << when;
      EXPECT_NE(std::string(e.what()).find("no result"), std::string::npos) << e.what();
    }
    EXPECT_THROW(request->output_at(0), Error) << when;
  };
  expect_no_result("before any inference");
  Tensor xs(ElementType::kI32, {2}), ys(ElementType::kI32, {2});
  xs.data_as<int32_t>()[0] = 7, xs.data_as<int32_t>()[1] = -7;
  ys.data_as<int32_t>()[0] = 2, ys.data_as<int32_t>()[1] = 2;
  request->set_input("x", xs);
  request->set_input("y", ys);
  request->infer();
  EXPECT_EQ(request->output("q").data_as<int32_t>()[0], 3);
  EXPECT_EQ(request->output_at(0).data_as<int32_t>()[1], -4);  // Python-style floor division
  ys.data_as<int32_t>()[1] = 0;                                // integer division by zero fails the run
  request->set_input("y", ys);
  EXPECT_THROW(request->infer(), Error);
  expect_no_result("after a failed inference");
}

TEST(InferRequestHostileValues, NanInfDenormalAndZeroRunAndPropagate) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const float denormal = std::numeric_limits<float>::denorm_min();
  auto request = cpu_request();
  // Row 0 holds NaN and +-Inf; row 1 holds zeros and a denormal.
  request->set_input("input_x", test::f32_tensor({2, 4}, {nan, inf, -inf, 1, 0, -0.0f, denormal, 0}));
  request->infer();
  const float* y = request->output("y").data_as<float>();
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_EQ(y[1], inf);
  EXPECT_EQ(y[2], -inf);
  EXPECT_EQ(y[3], 3.0f);
  for (int i = 4; i < 8; ++i) EXPECT_EQ(y[i], 1.0f) << i;  // 2 * denormal + 1 rounds to 1
  // A row with NaN (and Inf - Inf) sums to NaN; the zero row sums to (almost) zero.
  const float* z = request->output("z").data_as<float>();
  for (int j = 0; j < 3; ++j) {
    EXPECT_TRUE(std::isnan(z[j])) << j;
    EXPECT_LE(std::fabs(z[3 + j]), 1e-37f) << j;
  }
  // All-zero input, over outputs poisoned first so stale values cannot pass.
  for (const char* name : {"y", "z"}) {
    const Tensor& t = request->output(name);
    std::memset(const_cast<void*>(t.data()), 0x7f, t.byte_size());
  }
  request->set_input("input_x", test::f32_tensor({2, 4}, std::vector<float>(8, 0.0f)));
  request->infer();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(request->output("y").data_as<float>()[i], 1.0f);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(request->output("z").data_as<float>()[i], 0.0f);
}

TEST(InferRequestBusy, ConcurrentUseOfOneRequestIsRequestBusy) {
  GraphBuilder b;
  Node* x = b.param("x", {4});
  Node* r = b.op(OpKind::kRelu, "r", {x});
  b.result(r);
  auto fake = std::make_shared<test::FakeDevice>();
  auto model = CompiledModel::compile(std::move(b.g), fake, nullptr, CompileConfig{});
  auto request = model->create_request();
  request->set_input("x", test::f32_tensor({4}, {-1, 1, -2, 2}));
  fake->close_gate();
  std::thread runner([&] { request->infer(); });
  fake->wait_entered();  // the first infer() is now inside the Relu kernel
  try {
    request->infer();
    ADD_FAILURE() << "expected kRequestBusy from infer()";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kRequestBusy);
  }
  try {
    request->set_input("x", test::f32_tensor({4}, {0, 0, 0, 0}));
    ADD_FAILURE() << "expected kRequestBusy from set_input()";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kRequestBusy);
  }
  fake->open_gate();
  runner.join();
  const float* y = request->output("r").data_as<float>();
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_EQ(y[1], 1.0f);
  EXPECT_EQ(y[3], 2.0f);
  request->infer();  // free again after the first run returned
}

TEST(InferRequestBusy, SeparateRequestsOfOneModelRunOnSeparateThreads) {
  auto cpu = make_onednn_backend(BackendOptions{});
  auto model = CompiledModel::compile(affine_and_matmul(), cpu, cpu, CompileConfig{});
  std::vector<std::thread> threads;
  std::vector<float> first(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto request = model->create_request();
      for (int run = 0; run < 20; ++run) {
        request->set_input("input_x", test::f32_tensor({2, 4}, std::vector<float>(8, static_cast<float>(t))));
        request->infer();
      }
      first[t] = request->output("y").data_as<float>()[0];
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(first[t], 2.0f * t + 1.0f) << t;
}

}  // namespace
}  // namespace octet
