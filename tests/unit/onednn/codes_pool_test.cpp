// CodesMaxPool on the CPU (runtime/onednn/codes_pool_kernel.cpp) and its reference evaluator, both
// against the float MaxPool reference of the same codes (tests/unit/onednn/codes_pool_cases.h).
#include <gtest/gtest.h>

#include <cstring>

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

}  // namespace
}  // namespace octet
