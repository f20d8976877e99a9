// CodesMaxPool on the OpenCL device (kernels/codes_pool.cl) against the float MaxPool reference of
// the same codes (tests/unit/onednn/codes_pool_cases.h). One small program build on a cold cache.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace octet
