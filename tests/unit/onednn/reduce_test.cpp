// The CPU backend's ReduceMean/ReduceSum row kernel against the reference evaluator, bit for bit:
// trailing axis blocks (global pooling), keep_dims either way, negative axes, row counts around the
// kernel's groups of four, values of mixed magnitude (so summation order shows).
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "host/graph/graph.h"
#include "host/reference/evaluate.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

TEST(ReduceCpu, TrailingAxesEqualTheReferenceBitForBit) {
  auto cpu = make_onednn_backend(BackendOptions{});
  std::mt19937 rng(11);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  struct Variant {
    OpKind op;
    Dims shape;
    std::vector<int64_t> axes;
    bool keep_dims;
  };
  for (const Variant& v : {Variant{OpKind::kReduceMean, {1, 2048, 7, 7}, {2, 3}, true},
                           Variant{OpKind::kReduceMean, {2, 7, 33}, {-1}, false},
                           Variant{OpKind::kReduceSum, {3, 5, 6}, {1, 2}, true},
                           Variant{OpKind::kReduceSum, {9, 13}, {-1}, false}}) {
    Graph g;
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {Value{ElementType::kF32, v.shape, {"x"}, false, {}}};
    g.parameters.push_back(x);
    Tensor axes(ElementType::kI64, {static_cast<int64_t>(v.axes.size())});
    std::memcpy(axes.data(), v.axes.data(), axes.byte_size());
    Node* reduce = g.add(v.op, "reduce");
    reduce->attrs.set("keep_dims", v.keep_dims ? "true" : "false");
    reduce->inputs = {{x, 0}, {g.add_constant("axes", axes), 0}};
    infer_node(*reduce);
    Tensor xt(ElementType::kF32, v.shape);
    for (int64_t i = 0; i < xt.element_count(); ++i)
      xt.data_as<float>()[i] = dist(rng) * (i % 3 == 0 ? 1e4f : i % 3 == 1 ? 1.0f : 1e-4f);
    auto kernel = cpu->compile(*reduce);
    EXPECT_EQ(kernel->impl_name().rfind("cpu_reduce_", 0), 0u) << kernel->impl_name();
    auto ctx = cpu->create_context();
    Tensor y(ElementType::kF32, reduce->outputs[0].shape);
    kernel->enqueue(*ctx, {{xt.data(), xt.byte_size()}, {}}, {{y.data(), y.byte_size()}});
    const Tensor ref = evaluate_reference(*reduce, {&xt, &axes}).at(0);
    ASSERT_EQ(ref.byte_size(), y.byte_size());
    EXPECT_EQ(std::memcmp(ref.data(), y.data(), y.byte_size()), 0) << to_string(v.shape);
  }
}

}  // namespace
}  // namespace octet
