// Extra outputs and all-layers-as-outputs: intermediate values exposed by tensor or layer name,
// on the CPU and on a device backend, checked against values computed here by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "host/common/error.h"
#include "host/reference/run_graph.h"
#include "host/transforms/prepare.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/executor/fake_device.h"
#include "tests/unit/executor/graph_builder.h"

namespace octet {
namespace {

using test::GraphBuilder;

// x -> r = Relu(x) -> m = Multiply(r, 3) -> s = Add(m, -1) -> result
Graph chain() {
  GraphBuilder b;
  Node* x = b.param("x", {4});
  Node* r = b.op(OpKind::kRelu, "r", {x});
  r->outputs = {
      Value{ElementType::kF32, {4}, {"relu_out"}, false, {}}};  // a tensor name distinct from the layer
  Node* three = b.constant("three", test::f32_tensor({}, {3}));
  Node* m = b.op(OpKind::kMultiply, "m", {r, three}, {{"auto_broadcast", "numpy"}});
  Node* minus_one = b.constant("minus_one", test::f32_tensor({1}, {-1}));
  Node* s = b.op(OpKind::kAdd, "s", {m, minus_one}, {{"auto_broadcast", "numpy"}});
  b.result(s);
  return std::move(b.g);
}

const Tensor kX = test::f32_tensor({4}, {-2, 0, 1, 2.5f});

void expect_values(const Tensor& t, const std::vector<float>& want, const std::string& what) {
  ASSERT_EQ(t.element_count(), static_cast<int64_t>(want.size())) << what;
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_FLOAT_EQ(t.data_as<float>()[i], want[i]) << what << "[" << i << "]";
}

TEST(ExtraOutputs, ByTensorNameAndByLayerName) {
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.extra_outputs = {"relu_out", "m"};
  auto model = CompiledModel::compile(chain(), cpu, cpu, config);
  ASSERT_EQ(model->outputs().size(), 3u);
  EXPECT_EQ(model->outputs()[0].name, "s");  // model outputs first
  EXPECT_EQ(model->outputs()[1].name, "relu_out");
  EXPECT_EQ(model->outputs()[2].name, "m");
  auto request = model->create_request();
  request->set_input("x", kX);
  request->infer();
  expect_values(request->output("s"), {-1, -1, 2, 6.5f}, "s");
  expect_values(request->output("relu_out"), {0, 0, 1, 2.5f}, "relu_out");
  expect_values(request->output("r"), {0, 0, 1, 2.5f}, "r (layer name of relu_out)");
  expect_values(request->output("m"), {0, 0, 3, 7.5f}, "m");
}

TEST(ExtraOutputs, UnknownNameIsNotFound) {
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.extra_outputs = {"no_such_layer"};
  try {
    CompiledModel::compile(chain(), cpu, cpu, config);
    FAIL() << "expected kNotFound";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("no_such_layer"), std::string::npos) << e.what();
  }
}

TEST(ExtraOutputs, AnUnknownOutputNameAtRunTimeIsNotFoundListingTheOutputs) {
  auto cpu = make_onednn_backend(BackendOptions{});
  auto model = CompiledModel::compile(chain(), cpu, cpu, CompileConfig{});
  auto request = model->create_request();
  request->set_input("x", kX);
  request->infer();
  try {
    request->output("m");
    FAIL() << "expected kNotFound: m is not an output without extra_outputs";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("'s'"), std::string::npos) << e.what();
  }
}

TEST(ExtraOutputs, AllLayersAsOutputsMatchesTheReferencePerNode) {
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.all_layers_as_outputs = true;
  auto model = CompiledModel::compile(chain(), cpu, cpu, config);
  // s (model output), then r (as relu_out) and m: every node that runs a kernel, once.
  ASSERT_EQ(model->outputs().size(), 3u);
  auto request = model->create_request();
  request->set_input("x", kX);
  request->infer();
  expect_values(request->output("relu_out"), {0, 0, 1, 2.5f}, "relu_out");
  expect_values(request->output("m"), {0, 0, 3, 7.5f}, "m");
  expect_values(request->output("s"), {-1, -1, 2, 6.5f}, "s");
}

TEST(ExtraOutputs, IntermediatesOnADeviceBackendAreDownloaded) {
  // r runs on the fake device; as an extra output it must come down after the run.
  auto fake = std::make_shared<test::FakeDevice>();
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.all_layers_as_outputs = true;
  auto model = CompiledModel::compile(chain(), fake, cpu, config);
  auto request = model->create_request();
  request->set_input("x", kX);
  request->infer();
  expect_values(request->output("r"), {0, 0, 1, 2.5f}, "r");
  expect_values(request->output("s"), {-1, -1, 2, 6.5f}, "s");
}

// x -> conv (stride 2, asymmetric pads) -> sigmoid -> maxpool 2x2 -> result
Graph conv_sigmoid_pool() {
  GraphBuilder b;
  Node* x = b.param("x", {2, 3, 5, 5});
  Node* w = b.constant("w", test::random_f32({4, 3, 3, 3}, 11, -0.5f, 0.5f));
  Node* conv = b.op(OpKind::kConvolution, "conv", {x, w},
                    {{"strides", "2,2"},
                     {"dilations", "1,1"},
                     {"pads_begin", "1,0"},
                     {"pads_end", "1,1"},
                     {"auto_pad", "explicit"}});
  Node* sig = b.op(OpKind::kSigmoid, "sig", {conv});
  Node* pool = b.op(OpKind::kMaxPool, "pool", {sig},
                    {{"strides", "1,1"},
                     {"pads_begin", "0,0"},
                     {"pads_end", "0,0"},
                     {"kernel", "2,2"},
                     {"rounding_type", "floor"},
                     {"auto_pad", "explicit"}});
  b.result(pool);
  return std::move(b.g);
}

TEST(ExtraOutputs, AllLayersOnALargerGraphEqualTheReferenceEvaluator) {
  const Tensor xt = test::random_f32({2, 3, 5, 5}, 12);
  Graph ref_graph = conv_sigmoid_pool();
  prepare_graph(ref_graph);
  const auto expected = run_reference(ref_graph, {{"x", xt}}, /*keep_all=*/true);
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.all_layers_as_outputs = true;
  auto model = CompiledModel::compile(conv_sigmoid_pool(), cpu, cpu, config);
  auto request = model->create_request();
  request->set_input("x", xt);
  request->infer();
  for (const char* name : {"conv", "sig", "pool"}) {
    const Tensor& got = request->output(name);
    const Tensor& want = expected.at(name);
    EXPECT_LE(test::max_abs_diff(got, want), 1e-5 * (1 + test::max_abs(want))) << name;
  }
}

}  // namespace
}  // namespace octet
