// Integer corners of kernels/logic.cl against the spec-exact reference (guard bytes around every
// output): Mod/FloorMod with constant divisors of both signs and -1 on the most negative value,
// shift counts outside [0, bits), and the declines that keep integer division by zero on the CPU.
#include <cstring>
#include <limits>

#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

using test::OpCase;

// A 1-D tensor of `type` holding `values`, each wrapped to the type.
Tensor ints(ElementType type, const std::vector<int64_t>& values) {
  Tensor t(type, {static_cast<int64_t>(values.size())});
  const size_t w = static_cast<size_t>(element_bits(type) / 8);
  auto* p = static_cast<uint8_t*>(t.data());
  for (size_t i = 0; i < values.size(); ++i)
    std::memcpy(p + i * w, &values[i], w);  // little-endian low bytes
  return t;
}

// The dividends: both signs, zero, the type's extremes (wrapped for narrower types).
std::vector<int64_t> dividends() {
  return {7,
          -7,
          0,
          1,
          -1,
          13,
          -13,
          127,
          -128,
          255,
          std::numeric_limits<int64_t>::min(),
          std::numeric_limits<int64_t>::max()};
}

TEST(OpenClLogic, IntegerModFloorModConstantDivisor) {
  OCTET_REQUIRE_OPENCL(backend);
  for (OpKind op : {OpKind::kMod, OpKind::kFloorMod})
    for (ElementType t : {ElementType::kI8, ElementType::kU8, ElementType::kI32, ElementType::kI64}) {
      const std::vector<int64_t> x = dividends();
      // Divisors: positive, negative, -1 (x % -1 is 0, INT_MIN % -1 must not trap) and 1.
      for (int64_t d : {3, -3, -1, 1, 5}) {
        if (!is_signed(t) && d < 0) continue;
        OpCase c(op);
        c.input(ints(t, x)).input(ints(t, {d}), true);
        c.finish();
        test::expect_matches_reference(c, fmt::format("{} {} by {}", op_name(op), element_type_name(t), d));
      }
    }
}

TEST(OpenClLogic, IntegerModDeclinedWithoutAConstantNonZeroDivisor) {
  OCTET_REQUIRE_OPENCL(backend);
  OpCase computed(OpKind::kMod);
  computed.input(ints(ElementType::kI32, {4, 5})).input(ints(ElementType::kI32, {2, 3}));
  Support s = backend->supports(computed.finish());
  EXPECT_FALSE(s.ok);
  EXPECT_NE(s.reason.find("OpenCL backend has no kernel for Mod on i32 with a computed divisor"),
            std::string::npos)
      << s.reason;
  OpCase zero(OpKind::kFloorMod);
  zero.input(ints(ElementType::kI64, {4, 5})).input(ints(ElementType::kI64, {2, 0}), true);
  s = backend->supports(zero.finish());
  EXPECT_FALSE(s.ok);
  EXPECT_NE(s.reason.find("with a zero divisor"), std::string::npos) << s.reason;
  // f32 divides by zero without an error (NaN): it runs here.
  OpCase f(OpKind::kFloorMod);
  Tensor a(ElementType::kF32, {4}), b(ElementType::kF32, {4});
  const float av[] = {5.5f, -5.5f, 3.0f, -0.0f}, bv[] = {2.0f, 2.0f, 0.0f, -3.0f};
  std::memcpy(a.data(), av, sizeof(av));
  std::memcpy(b.data(), bv, sizeof(bv));
  f.input(a).input(b);
  f.finish();
  test::expect_matches_reference(f, "FloorMod f32 with a zero divisor and -0");
}

TEST(OpenClLogic, ShiftCountsOutsideTheWidth) {
  OCTET_REQUIRE_OPENCL(backend);
  for (OpKind op : {OpKind::kBitwiseLeftShift, OpKind::kBitwiseRightShift})
    for (ElementType t :
         {ElementType::kI8, ElementType::kU8, ElementType::kI32, ElementType::kU32, ElementType::kI64}) {
      const int64_t bits = element_bits(t);
      const std::vector<int64_t> counts = {0, 1, bits - 1, bits, bits + 1, -1, 100, 3, 3, 3};
      const std::vector<int64_t> x = {-5,   5,  -1, 1, 100, -100, 77, std::numeric_limits<int64_t>::min(),
                                      -128, 255};
      OpCase c(op, 15);
      c.input(ints(t, x)).input(ints(t, counts));
      c.finish();
      test::expect_matches_reference(c, fmt::format("{} {}", op_name(op), element_type_name(t)));
    }
}

TEST(OpenClLogic, BitwiseBroadcastAndNot) {
  OCTET_REQUIRE_OPENCL(backend);
  Tensor a(ElementType::kI32, {2, 3, 1}), b(ElementType::kI32, {4});
  const int32_t av[] = {0, -1, 0x0f0f, 12345, -77, 1 << 30}, bv[] = {0xff, -2, 0x3c3c, 0};
  std::memcpy(a.data(), av, sizeof(av));
  std::memcpy(b.data(), bv, sizeof(bv));
  for (OpKind op : {OpKind::kBitwiseAnd, OpKind::kBitwiseOr, OpKind::kBitwiseXor}) {
    OpCase c(op, 13);
    c.input(a).input(b);
    c.finish();
    test::expect_matches_reference(c, fmt::format("{} i32 broadcast", op_name(op)));
  }
  for (ElementType t : {ElementType::kI8, ElementType::kU16, ElementType::kI64}) {
    OpCase c(OpKind::kBitwiseNot, 13);
    c.input(ints(t, {0, 1, -1, 77, -128}));
    c.finish();
    test::expect_matches_reference(c, fmt::format("BitwiseNot {}", element_type_name(t)));
  }
}

}  // namespace
}  // namespace octet
