// CodesDequantize on the OpenCL device (kernels/quantized_activation.cl) against the FakeQuantize
// reference's values of every level (tests/unit/onednn/codes_dequantize_cases.h), bit for bit.
#include <gtest/gtest.h>

#include "tests/unit/onednn/codes_dequantize_cases.h"
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

TEST(OpenClCodesDequantize, EqualsTheFakeQuantizeValuesOfEachLevel) {
  OCTET_REQUIRE_OPENCL(backend);
  for (const auto& c : test::codes_dequantize_cases()) {
    const Support s = backend->supports(*c->node);
    ASSERT_TRUE(s.ok) << c->what << ": " << s.reason;
    test::expect_dequantized(test::run_on_device(*backend, *c->node, {c->codes}).at(0), *c, "device");
  }
}

}  // namespace
}  // namespace octet
