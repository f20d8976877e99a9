// The CPU backend's MaxPool-8/-14 with indices against the reference evaluator, bit for bit: random
// shapes, pads, strides, dilations, rounding, axis and index type, with ties, NaNs and padding-only
// windows.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "host/common/error.h"
#include "host/reference/evaluate.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

using Rng = std::mt19937;

int64_t uniform(Rng& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

std::string list(const Dims& d) {
  std::string s;
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s;
}

TEST(MaxPoolCpu, IndicesAndValuesEqualTheReferenceBitForBit) {
  Rng rng(77);
  int fast_kernels = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const int64_t spatial = uniform(rng, 1, 3);
    Dims shape = {uniform(rng, 1, 2), uniform(rng, 1, 5)};
    Dims kernel, strides, dilations, pads_begin, pads_end;
    for (int64_t i = 0; i < spatial; ++i) {
      // Every other trial has a wide last dim: runs of 8 outputs take the vectorised path.
      const bool wide = i == spatial - 1 && trial % 2 == 0;
      shape.push_back(uniform(rng, wide ? 16 : 1, wide ? 45 : spatial == 3 ? 6 : 11));
      kernel.push_back(uniform(rng, 1, 3));
      strides.push_back(uniform(rng, 1, 3));
      dilations.push_back(uniform(rng, 1, 2));
      // Pads up to the kernel size: some windows lie wholly in the padding.
      pads_begin.push_back(uniform(rng, 0, kernel.back()));
      pads_end.push_back(uniform(rng, 0, kernel.back()));
    }
    Graph g;
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {Value{ElementType::kF32, shape, {"x"}, false, {}}};
    g.parameters.push_back(x);
    const int version = trial % 2 ? 14 : 8;
    Node* n = g.add(OpKind::kMaxPool, "pool", version);
    n->inputs = {{x, 0}};
    n->attrs.set("kernel", list(kernel));
    n->attrs.set("strides", list(strides));
    n->attrs.set("dilations", list(dilations));
    n->attrs.set("pads_begin", list(pads_begin));
    n->attrs.set("pads_end", list(pads_end));
    n->attrs.set("rounding_type", trial % 3 == 0 ? "ceil" : "floor");
    const bool i32 = trial % 4 < 2;
    n->attrs.set("index_element_type", i32 ? "i32" : "i64");
    n->attrs.set("axis", std::to_string(uniform(rng, -static_cast<int64_t>(shape.size()),
                                                static_cast<int64_t>(shape.size()) - 1)));
    n->parse_attributes();  // as the IR reader does; outputs come from the reference below
    Tensor xt(ElementType::kF32, shape);
    for (int64_t i = 0; i < xt.element_count(); ++i) {
      // Few distinct values (ties), some NaNs and infinities.
      const int64_t r = uniform(rng, 0, 40);
      xt.data_as<float>()[i] = r == 0   ? NAN
                               : r == 1 ? -INFINITY
                               : r == 2 ? INFINITY
                                        : static_cast<float>(uniform(rng, -4, 4)) * 0.5f;
    }
    std::vector<Tensor> ref;
    try {
      ref = evaluate_reference(*n, {&xt});
    } catch (const Error&) {
      continue;  // an invalid geometry (e.g. an empty output): nothing to compare
    }
    n->outputs = {Value{ElementType::kF32, ref[0].shape(), {"y"}, false, {}},
                  Value{ref[1].type(), ref[1].shape(), {"i"}, false, {}}};
    if (element_count(ref[0].shape()) == 0) continue;
    const std::string what = "trial " + std::to_string(trial) + " x " + to_string(shape) + " kernel " +
                             list(kernel) + " strides " + list(strides) + " dilations " + list(dilations) +
                             " pads " + list(pads_begin) + "/" + list(pads_end) + " axis " +
                             n->attrs.str_or("axis", "") + " " + n->attrs.str_or("rounding_type", "");
    auto cpu = make_onednn_backend(BackendOptions{});
    auto k = cpu->compile(*n);
    if (k->impl_name() == "cpu_maxpool_indices") ++fast_kernels;
    auto ctx = cpu->create_context();
    Tensor y(ElementType::kF32, ref[0].shape()), idx(ref[1].type(), ref[1].shape());
    std::memset(y.data(), 0xFF, y.byte_size());
    std::memset(idx.data(), 0xFF, idx.byte_size());
    k->enqueue(*ctx, {{xt.data(), xt.byte_size()}},
               {{y.data(), y.byte_size()}, {idx.data(), idx.byte_size()}});
    EXPECT_EQ(std::memcmp(y.data(), ref[0].data(), y.byte_size()), 0) << what << " values";
    EXPECT_EQ(std::memcmp(idx.data(), ref[1].data(), idx.byte_size()), 0) << what << " indices";
  }
  EXPECT_GT(fast_kernels, 40);
}

}  // namespace
}  // namespace octet
