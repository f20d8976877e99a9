// MaxPool-8 whose indices nothing reads runs as plain max pooling in fast precision (the
// transform drops the unread output); the values must equal the spec evaluator's on the untouched
// graph, dilations and padding included, and the indices must stay when they are read.
#include <gtest/gtest.h>

#include <cstring>

#include "host/reference/run_graph.h"
#include "host/transforms/prepare.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/executor/graph_builder.h"

namespace octet {
namespace {

using test::GraphBuilder;

// `pads_end` "2,1" keeps every window partly inside the input (oneDNN runs it); "2,3" gives the
// last column windows made only of padding, which oneDNN cannot express (the reference kernel runs).
Graph pool_graph(bool read_indices, const char* pads_end = "2,1") {
  GraphBuilder b;
  Node* x = b.param("x", {1, 3, 9, 10});
  Node* pool = b.op(OpKind::kMaxPool, "pool", {x},
                    {{"kernel", "3,2"},
                     {"strides", "2,1"},
                     {"dilations", "2,1"},
                     {"pads_begin", "1,0"},
                     {"pads_end", pads_end},
                     {"rounding_type", "floor"},
                     {"auto_pad", "explicit"},
                     {"index_element_type", "i32"},
                     {"axis", "0"}},
                    8);
  b.result(pool, 0);
  if (read_indices) b.result(pool, 1);
  return std::move(b.g);
}

Tensor input() {
  Tensor x(ElementType::kF32, {1, 3, 9, 10});
  for (int64_t i = 0; i < x.element_count(); ++i)
    x.data_as<float>()[i] = static_cast<float>((i * 37) % 101) - 50;
  return x;
}

const NodeProfile* pool_profile(const InferRequest& request) {
  for (const NodeProfile& p : request.profile())
    if (p.node_name == "pool") return &p;
  return nullptr;
}

TEST(PoolIndices, UnreadIndicesRunPlainMaxPoolWithTheSpecValues) {
  Graph reference_graph = pool_graph(false);
  prepare_graph(reference_graph);
  const auto outputs = run_reference(reference_graph, {{"x", input()}});
  ASSERT_EQ(outputs.size(), 1u);
  const Tensor expected = outputs.begin()->second;

  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.options.profiling = true;
  auto model = CompiledModel::compile(pool_graph(false), cpu, cpu, config);
  auto request = model->create_request();
  request->set_input("x", input());
  request->infer();
  const Tensor actual = request->output("pool");
  ASSERT_EQ(actual.shape(), expected.shape());
  EXPECT_EQ(std::memcmp(actual.data(), expected.data(), expected.byte_size()), 0);
  const NodeProfile* p = pool_profile(*request);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->exec_type.rfind("onednn", 0), 0u) << p->exec_type;
}

TEST(PoolIndices, ReadIndicesKeepTheIndicesKernel) {
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.options.profiling = true;
  auto model = CompiledModel::compile(pool_graph(true), cpu, cpu, config);
  ASSERT_EQ(model->outputs().size(), 2u);
  auto request = model->create_request();
  request->set_input("x", input());
  request->infer();
  const NodeProfile* p = pool_profile(*request);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->exec_type, "cpu_maxpool_indices");
}

TEST(PoolIndices, UnreadIndicesOnTheReferenceKernelToo) {
  Graph reference_graph = pool_graph(false, "2,3");
  prepare_graph(reference_graph);
  const auto outputs = run_reference(reference_graph, {{"x", input()}});
  ASSERT_EQ(outputs.size(), 1u);
  const Tensor expected = outputs.begin()->second;

  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.options.profiling = true;
  auto model = CompiledModel::compile(pool_graph(false, "2,3"), cpu, cpu, config);
  auto request = model->create_request();
  request->set_input("x", input());
  request->infer();
  const Tensor actual = request->output("pool");
  ASSERT_EQ(actual.shape(), expected.shape());
  EXPECT_EQ(std::memcmp(actual.data(), expected.data(), expected.byte_size()), 0);
  const NodeProfile* p = pool_profile(*request);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->exec_type.rfind("onednn", 0), std::string::npos)
      << "expected a non-oneDNN kernel: " << p->exec_type;
}

}  // namespace
}  // namespace octet
