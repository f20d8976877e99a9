// The CPU backend's fast-precision Concat (byte block copies) against the reference evaluator, bit
// for bit, on shapes with 1s, primes and empty inputs, negative axes and several element types;
// reference precision keeps the reference kernel, and a constant input leaves the node to it.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "host/reference/evaluate.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

// Runs `node` on the CPU backend in `precision`; returns output 0 and the kernel's name.
Tensor run_cpu(const Node& node, Precision precision, const std::vector<const Tensor*>& args,
               std::string* impl) {
  BackendOptions options;
  options.precision = precision;
  auto cpu = make_onednn_backend(options);
  auto kernel = cpu->compile(node);
  *impl = kernel->impl_name();
  auto ctx = cpu->create_context();
  std::vector<BufferView> in;
  for (const Tensor* t : args) in.push_back({const_cast<void*>(t->data()), t->byte_size()});
  Tensor y(node.outputs[0].type, node.outputs[0].shape);
  std::memset(y.data(), 0xA5, y.byte_size());
  kernel->enqueue(*ctx, in, {{y.data(), y.byte_size()}});
  return y;
}

TEST(CpuConcatKernel, EqualsTheReferenceBitForBit) {
  struct Case {
    ElementType type;
    std::vector<Dims> shapes;
    int64_t axis;
  };
  std::mt19937 rng(9);
  for (const Case& c :
       {Case{ElementType::kF32, {{1, 16, 16, 16}, {1, 24, 16, 16}, {1, 8, 16, 16}}, 1},
        Case{ElementType::kI8, {{1, 5, 7, 3}, {1, 5, 7, 13}}, -1},  // channels-last codes
        Case{ElementType::kF32, {{2, 3, 1}, {2, 0, 1}, {2, 7, 1}}, 1},
        Case{ElementType::kI64, {{5, 2}, {1, 2}}, 0}, Case{ElementType::kU8, {{11}, {2}, {1}}, 0},
        Case{ElementType::kF32, {{3, 2, 5}, {3, 2, 5}}, -2}}) {
    Graph g;
    std::vector<Tensor> values;
    for (size_t k = 0; k < c.shapes.size(); ++k) {
      Node* x = g.add(OpKind::kParameter, "x" + std::to_string(k));
      x->outputs = {Value{c.type, c.shapes[k], {"x" + std::to_string(k)}, false, {}}};
      g.parameters.push_back(x);
      Tensor t(c.type, c.shapes[k]);
      for (size_t i = 0; i < t.byte_size(); ++i)
        static_cast<uint8_t*>(t.data())[i] = static_cast<uint8_t>(rng());
      values.push_back(std::move(t));
    }
    Node* n = g.add(OpKind::kConcat, "concat", 1);
    n->attrs.set("axis", std::to_string(c.axis));
    for (Node* p : g.parameters) n->inputs.push_back({p, 0});
    infer_node(*n);
    std::vector<const Tensor*> args;
    for (const Tensor& t : values) args.push_back(&t);
    const std::string what = to_string(c.shapes[0]) + " axis " + std::to_string(c.axis);
    std::string impl, ref_impl;
    const Tensor fast = run_cpu(*n, Precision::kFast, args, &impl);
    // One-byte elements along the last axis take codes_concat_kernel.cpp's per-pixel copy.
    EXPECT_EQ(impl, c.type == ElementType::kI8 && c.axis == -1 ? "cpu_concat_last_bytes" : "cpu_concat")
        << what;
    run_cpu(*n, Precision::kReference, args, &ref_impl);
    EXPECT_EQ(ref_impl, "ref") << what;
    const Tensor ref = evaluate_reference(*n, args).at(0);
    ASSERT_EQ(fast.shape(), ref.shape()) << what;
    EXPECT_EQ(std::memcmp(fast.data(), ref.data(), ref.byte_size()), 0) << what;
  }
}

TEST(CpuConcatKernel, ConstantInputStaysOnTheReference) {
  Graph g;
  Node* x = g.add(OpKind::kParameter, "x");
  x->outputs = {Value{ElementType::kF32, {1, 2}, {"x"}, false, {}}};
  g.parameters.push_back(x);
  Tensor c(ElementType::kF32, {1, 3});
  Node* n = g.add(OpKind::kConcat, "concat", 1);
  n->attrs.set("axis", "1");
  n->inputs = {{x, 0}, {g.add_constant("c", c), 0}};
  infer_node(*n);
  BackendOptions options;
  options.precision = Precision::kFast;
  EXPECT_EQ(make_onednn_backend(options)->compile(*n)->impl_name(), "ref");
}

}  // namespace
}  // namespace octet
