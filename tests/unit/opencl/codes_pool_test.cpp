// CodesMaxPool (kernels/codes_pool.cl) and CodesAvgPool (kernels/quantized_activation.cl) on the
// OpenCL device against the float pooling references of the same codes
// (tests/unit/onednn/codes_pool_cases.h), and the last-axis byte ShuffleChannels
// against the reference evaluator. One small program build on a cold cache.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "tests/unit/onednn/codes_pool_cases.h"
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

TEST(OpenClCodesMaxPool, EqualsTheFloatMaxPoolOfTheCodes) {
  OCTET_REQUIRE_OPENCL(backend);
  for (const auto& c : test::codes_pool_cases()) {
    const Support s = backend->supports(*c->node);
    ASSERT_TRUE(s.ok) << c->what << ": " << s.reason;
    EXPECT_EQ(backend->compile(*c->node)->impl_name(), "ocl_codes_max_pool_nhwc");
    const Tensor got = test::run_on_device(*backend, *c->node, {c->codes}).at(0);
    ASSERT_EQ(got.shape(), c->expected.shape()) << c->what;
    int bad = 0;
    for (int64_t i = 0; i < got.element_count() && bad < 5; ++i)
      if (got.data_as<int8_t>()[i] != c->expected.data_as<int8_t>()[i]) {
        ++bad;
        ADD_FAILURE() << c->what << ": code[" << i << "] = " << int{got.data_as<int8_t>()[i]}
                      << ", float MaxPool " << int{c->expected.data_as<int8_t>()[i]};
      }
  }
}

TEST(OpenClCodesAvgPool, EqualsTheFloatAvgPoolOfTheCodesValues) {
  OCTET_REQUIRE_OPENCL(backend);
  for (const auto& c : test::codes_avg_pool_cases()) {
    const Support s = backend->supports(*c->node);
    ASSERT_TRUE(s.ok) << c->what << ": " << s.reason;
    EXPECT_EQ(backend->compile(*c->node)->impl_name(), "ocl_codes_avg_pool_nhwc");
    const Tensor got = test::run_on_device(*backend, *c->node, {c->codes}).at(0);
    ASSERT_EQ(got.shape(), c->expected.shape()) << c->what;
    int bad = 0;
    for (int64_t i = 0; i < got.element_count() && bad < 5; ++i) {
      const float g = got.data_as<float>()[i], e = c->expected.data_as<float>()[i];
      if (std::memcmp(&g, &e, sizeof g) != 0) {  // bit for bit: same floats, order and divisor
        ++bad;
        ADD_FAILURE() << c->what << ": y[" << i << "] = " << g << ", float AvgPool " << e;
      }
    }
  }
}

TEST(OpenClCodesShuffle, LastAxisByteShuffleEqualsTheReference) {
  OCTET_REQUIRE_OPENCL(backend);
  struct Case {
    Dims shape;
    int64_t group;
  };
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
    EXPECT_EQ(backend->compile(*n)->impl_name(), "ocl_shuffle_last_bytes");
    const Tensor got = test::run_on_device(*backend, *n, {in}).at(0);
    EXPECT_EQ(std::memcmp(got.data(), ref.data(), ref.byte_size()), 0)
        << to_string(k.shape) << " group " << k.group;
  }
}

}  // namespace
}  // namespace octet
