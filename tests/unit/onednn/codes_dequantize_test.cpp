// CodesDequantize on the CPU (runtime/onednn/codes_dequantize_kernel.cpp) and its reference
// evaluator, both against the FakeQuantize reference's values of every level
// (tests/unit/onednn/codes_dequantize_cases.h), bit for bit.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/onednn/codes_dequantize_cases.h"

namespace octet {
namespace {

TEST(CodesDequantizeCpu, EqualsTheFakeQuantizeValuesOfEachLevel) {
  for (const auto& c : test::codes_dequantize_cases()) {
    test::expect_dequantized(evaluate_reference(*c->node, {&c->codes}).at(0), *c, "reference");
    auto cpu = make_onednn_backend(BackendOptions{});
    auto kernel = cpu->compile(*c->node);
    EXPECT_EQ(kernel->impl_name().rfind("cpu_codes_dequantize", 0), 0u) << kernel->impl_name();
    auto ctx = cpu->create_context();
    Tensor y(ElementType::kF32, c->expected.shape());
    std::memset(y.data(), 0x55, y.byte_size());
    kernel->enqueue(*ctx, {{c->codes.data(), c->codes.byte_size()}}, {{y.data(), y.byte_size()}});
    test::expect_dequantized(y, *c, "cpu");
  }
}

}  // namespace
}  // namespace octet
