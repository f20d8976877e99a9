// The executor's liveness memory plan on real graphs: buffers are reused, the reported peak equals
// a peak worked out by hand from the schedule, and reuse never corrupts a value still to be read
// (results checked against the spec-exact reference evaluator host/reference).
#include <gtest/gtest.h>

#include "host/reference/run_graph.h"
#include "host/transforms/prepare.h"
#include "runtime/backend.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/executor/graph_builder.h"

namespace octet {
namespace {

using test::GraphBuilder;

// x[1,256] -> a = MatMul(x, W1[256,1024]) -> b = Relu(a) -> c = MatMul(b, W2[1024,128]) -> d = Relu(c)
Graph mlp() {
  GraphBuilder b;
  Node* x = b.param("x", {1, 256});
  Node* w1 = b.constant("w1", test::random_f32({256, 1024}, 1, -0.1f, 0.1f));
  Node* w2 = b.constant("w2", test::random_f32({1024, 128}, 2, -0.1f, 0.1f));
  const std::map<std::string, std::string> mm = {{"transpose_a", "false"}, {"transpose_b", "false"}};
  Node* a = b.op(OpKind::kMatMul, "a", {x, w1}, mm);
  Node* r = b.op(OpKind::kRelu, "b", {a});
  Node* c = b.op(OpKind::kMatMul, "c", {r, w2}, mm);
  Node* d = b.op(OpKind::kRelu, "d", {c});
  b.result(d);
  return std::move(b.g);
}

TEST(ExecutorMemoryPlan, PeakEqualsTheHandComputedPeakOfTheSchedule) {
  // Schedule: 0 upload x, 1 a, 2 b, 3 c, 4 d. Bytes (all multiples of kBufferAlignment = 512):
  //   x 1024 live [0,1]; a 4096 [1,2]; b 4096 [2,3]; c 512 [3,4]; d 512 [4,end] (model output).
  // Live bytes per step: 0: 1024, 1: 5120, 2: 8192, 3: 4608, 4: 1024 -> peak 8192, against
  // 10240 for one buffer per value.
  static_assert(kBufferAlignment == 512, "the hand computation assumes 512-byte alignment");
  auto cpu = make_onednn_backend(BackendOptions{});
  auto model = CompiledModel::compile(mlp(), cpu, cpu, CompileConfig{});
  EXPECT_EQ(model->activation_peak_bytes(), 8192u);
}

TEST(ExecutorMemoryPlan, ExtraOutputsStayAliveAndRaiseThePeak) {
  // With a and c also outputs, a [1,end] and c [3,end] are never freed:
  //   step 2: a + b = 8192; step 3: a + b + c = 8704; step 4: a + c + d = 5120 -> peak 8704.
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.extra_outputs = {"a", "c"};
  auto model = CompiledModel::compile(mlp(), cpu, cpu, config);
  EXPECT_EQ(model->activation_peak_bytes(), 8704u);
}

// A graph with branches and values of many sizes, where a wrong plan would overwrite a value that a
// later node still reads.
Graph branchy() {
  GraphBuilder b;
  Node* x = b.param("x", {1, 8, 6, 6});
  const std::map<std::string, std::string> conv = {{"strides", "1,1"},
                                                   {"dilations", "1,1"},
                                                   {"pads_begin", "1,1"},
                                                   {"pads_end", "1,1"},
                                                   {"auto_pad", "explicit"}};
  Node* w1 = b.constant("w1", test::random_f32({16, 8, 3, 3}, 3, -0.3f, 0.3f));
  Node* w2 = b.constant("w2", test::random_f32({8, 16, 3, 3}, 4, -0.3f, 0.3f));
  Node* c1 = b.op(OpKind::kConvolution, "c1", {x, w1}, conv);
  Node* r1 = b.op(OpKind::kRelu, "r1", {c1});
  Node* s1 = b.op(OpKind::kSigmoid, "s1", {c1});
  Node* m = b.op(OpKind::kMultiply, "m", {r1, s1}, {{"auto_broadcast", "numpy"}});
  Node* c2 = b.op(OpKind::kConvolution, "c2", {m, w2}, conv);
  Node* t = b.op(OpKind::kTanh, "t", {x});
  Node* add = b.op(OpKind::kAdd, "add", {c2, t}, {{"auto_broadcast", "numpy"}});
  Node* e = b.op(OpKind::kExp, "e", {r1});
  b.result(add);
  b.result(e);
  return std::move(b.g);
}

TEST(ExecutorMemoryPlan, ReuseNeverCorruptsValuesStillToBeRead) {
  auto cpu = make_onednn_backend(BackendOptions{});
  auto model = CompiledModel::compile(branchy(), cpu, cpu, CompileConfig{});
  Graph reference = branchy();
  prepare_graph(reference);
  const Tensor x = test::random_f32({1, 8, 6, 6}, 5);
  const auto expected = run_reference(reference, {{"x", x}});
  auto request = model->create_request();
  for (int run = 0; run < 2; ++run) {
    request->set_input("x", x);
    request->infer();
    for (const char* name : {"add", "e"}) {
      const Tensor& got = request->output(name);
      const Tensor& want = expected.at(std::string(name) + "/result");  // unnamed: keyed by the Result
      EXPECT_LE(test::max_abs_diff(got, want), 1e-5 + 1e-5 * test::max_abs(want)) << name << " run " << run;
    }
  }
  // One buffer per value would take x, c2, t, add 1152 -> 1536 bytes each and c1, r1, s1, m, e
  // 2304 -> 2560 each; no step needs all of them, so reuse must save something.
  EXPECT_LT(model->activation_peak_bytes(), 1536u * 4 + 2560u * 5);
}

}  // namespace
}  // namespace octet
