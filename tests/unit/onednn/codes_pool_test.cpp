// CodesMaxPool and CodesAvgPool on the CPU (runtime/onednn/codes_pool_kernel.cpp) and their
// reference evaluators, against the float pooling references of the same codes
// (tests/unit/onednn/codes_pool_cases.h); and
// the channels-last byte ShuffleChannels and Concat (codes_shuffle_kernel.cpp,
// codes_concat_kernel.cpp) against the reference evaluator.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/onednn/codes_pool_cases.h"

namespace octet {
namespace {

void expect_codes(const Tensor& got, const test::CodesPoolCase& c, const std::string& who) {
  ASSERT_EQ(got.shape(), c.expected.shape()) << c.what << " " << who;
  int bad = 0;
  for (int64_t i = 0; i < got.element_count() && bad < 5; ++i)
    if (got.data_as<int8_t>()[i] != c.expected.data_as<int8_t>()[i]) {
      ++bad;
      ADD_FAILURE() << c.what << " " << who << ": code[" << i << "] = " << int{got.data_as<int8_t>()[i]}
                    << ", float MaxPool " << int{c.expected.data_as<int8_t>()[i]};
    }
}

TEST(CodesMaxPoolCpu, EqualsTheFloatMaxPoolOfTheCodes) {
  bool padding_only = false;
  for (const auto& c : test::codes_pool_cases()) {
    expect_codes(evaluate_reference(*c->node, {&c->codes}).at(0), *c, "reference");
    for (Precision precision : {Precision::kFast, Precision::kReference}) {
      BackendOptions options;
      options.precision = precision;
      auto cpu = make_onednn_backend(options);
      auto kernel = cpu->compile(*c->node);
      EXPECT_EQ(kernel->impl_name(), "cpu_codes_max_pool_nhwc");
      auto ctx = cpu->create_context();
      Tensor y(ElementType::kI8, c->expected.shape());
      std::memset(y.data(), 0x55, y.byte_size());
      kernel->enqueue(*ctx, {{c->codes.data(), c->codes.byte_size()}}, {{y.data(), y.byte_size()}});
      expect_codes(y, *c, kernel->impl_name());
    }
    padding_only = padding_only || c->expected.data_as<int8_t>()[0] == -128;
  }
  EXPECT_TRUE(padding_only) << "no case tested a window wholly in the padding";
}

// Bit for bit: the kernel sums the same floats in the same order and divides by the same count.
void expect_floats(const Tensor& got, const test::CodesAvgPoolCase& c, const std::string& who) {
  ASSERT_EQ(got.shape(), c.expected.shape()) << c.what << " " << who;
  int bad = 0;
  for (int64_t i = 0; i < got.element_count() && bad < 5; ++i) {
    const float g = got.data_as<float>()[i], e = c.expected.data_as<float>()[i];
    if (std::memcmp(&g, &e, sizeof g) != 0) {
      ++bad;
      ADD_FAILURE() << c.what << " " << who << ": y[" << i << "] = " << g << ", float AvgPool " << e;
    }
  }
}

TEST(CodesAvgPoolCpu, EqualsTheFloatAvgPoolOfTheCodesValues) {
  for (const auto& c : test::codes_avg_pool_cases()) {
    expect_floats(evaluate_reference(*c->node, {&c->codes}).at(0), *c, "reference");
    for (Precision precision : {Precision::kFast, Precision::kReference}) {
      BackendOptions options;
      options.precision = precision;
      auto cpu = make_onednn_backend(options);
      auto kernel = cpu->compile(*c->node);
      EXPECT_EQ(kernel->impl_name(), "cpu_codes_avg_pool_nhwc");
      auto ctx = cpu->create_context();
      Tensor y(ElementType::kF32, c->expected.shape());
      std::memset(y.data(), 0x55, y.byte_size());
      kernel->enqueue(*ctx, {{c->codes.data(), c->codes.byte_size()}}, {{y.data(), y.byte_size()}});
      expect_floats(y, *c, kernel->impl_name());
    }
  }
}

TEST(CodesShuffleCpu, LastAxisByteShuffleEqualsTheReference) {
  struct Case {
    Dims shape;
    int64_t group;
  };
  // ShuffleNet's interleave of two halves (58 = 2 x 29 channels), 4 groups, batch 2.
  for (const Case& k : {Case{{1, 3, 5, 58}, 2}, Case{{2, 4, 3, 12}, 4}, Case{{1, 7, 6}, 3}}) {
    Graph g;
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {{ElementType::kI8, k.shape, {"x"}, false, {}}};
    Node* n = g.add(OpKind::kShuffleChannels, "shuffle");
    n->attrs.set("axis", "-1");
    n->attrs.set("group", std::to_string(k.group));
    n->inputs = {{x, 0}};
    infer_node(*n);
    Tensor in(ElementType::kI8, k.shape);
    std::mt19937 rng(static_cast<uint32_t>(k.group));
    for (int64_t i = 0; i < in.element_count(); ++i)
      in.data_as<int8_t>()[i] = static_cast<int8_t>(std::uniform_int_distribution<int>(-128, 127)(rng));
    const Tensor ref = evaluate_reference(*n, {&in}).at(0);
    BackendOptions options;
    options.precision = Precision::kFast;
    auto cpu = make_onednn_backend(options);
    auto kernel = cpu->compile(*n);
    EXPECT_EQ(kernel->impl_name(), "cpu_shuffle_channels_last_bytes");
    auto ctx = cpu->create_context();
    Tensor y(ElementType::kI8, k.shape);
    kernel->enqueue(*ctx, {{in.data(), in.byte_size()}}, {{y.data(), y.byte_size()}});
    EXPECT_EQ(std::memcmp(y.data(), ref.data(), ref.byte_size()), 0)
        << to_string(k.shape) << " group " << k.group;
  }
}

TEST(CodesConcatCpu, LastAxisByteConcatEqualsTheReference) {
  // unet's up-path joins (16 + 16), odd widths, three inputs, batch 2, more pixels than a job.
  const std::vector<std::vector<int64_t>> widths = {{16, 16}, {8, 8, 4}, {17, 5, 1}, {3, 29}};
  for (const auto& w : widths) {
    Graph g;
    Node* n = g.add(OpKind::kConcat, "concat");
    n->attrs.set("axis", "3");
    std::vector<Tensor> ins;
    std::mt19937 rng(static_cast<uint32_t>(w.size()));
    for (size_t i = 0; i < w.size(); ++i) {
      const Dims shape = {2, 19, 17, w[i]};
      Node* x = g.add(OpKind::kParameter, "x" + std::to_string(i));
      x->outputs = {{ElementType::kI8, shape, {x->name}, false, {}}};
      n->inputs.push_back({x, 0});
      Tensor t(ElementType::kI8, shape);
      for (int64_t e = 0; e < t.element_count(); ++e)
        t.data_as<int8_t>()[e] = static_cast<int8_t>(std::uniform_int_distribution<int>(-128, 127)(rng));
      ins.push_back(std::move(t));
    }
    infer_node(*n);
    std::vector<const Tensor*> args;
    std::vector<BufferView> views;
    for (Tensor& t : ins) {
      args.push_back(&t);
      views.push_back({t.data(), t.byte_size()});
    }
    const Tensor ref = evaluate_reference(*n, args).at(0);
    BackendOptions options;
    options.precision = Precision::kFast;
    auto cpu = make_onednn_backend(options);
    auto kernel = cpu->compile(*n);
    EXPECT_EQ(kernel->impl_name(), "cpu_concat_last_bytes");
    auto ctx = cpu->create_context();
    Tensor y(ElementType::kI8, ref.shape());
    kernel->enqueue(*ctx, views, {{y.data(), y.byte_size()}});
    EXPECT_EQ(std::memcmp(y.data(), ref.data(), ref.byte_size()), 0) << to_string(ref.shape());
  }
}

}  // namespace
}  // namespace octet
