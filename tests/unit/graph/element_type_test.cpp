// Tests for element type parsing, sizes and the fp16/bf16 conversions (checked against IEEE 754
// bit patterns written out by hand).
#include "host/graph/element_type.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "host/common/error.h"

namespace octet {
namespace {

using ET = ElementType;

float from_bits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

TEST(ElementType, ParsesNamesAndPrecisionsCaseInsensitively) {
  EXPECT_EQ(parse_element_type("f32"), ET::kF32);
  EXPECT_EQ(parse_element_type("F32"), ET::kF32);
  EXPECT_EQ(parse_element_type("FP32"), ET::kF32);
  EXPECT_EQ(parse_element_type("fp16"), ET::kF16);
  EXPECT_EQ(parse_element_type("Bf16"), ET::kBF16);
  EXPECT_EQ(parse_element_type("I64"), ET::kI64);
  EXPECT_EQ(parse_element_type("u8"), ET::kU8);
  EXPECT_EQ(parse_element_type("i4"), ET::kI4);
  EXPECT_EQ(parse_element_type("U4"), ET::kU4);
  EXPECT_EQ(parse_element_type("u1"), ET::kU1);
  EXPECT_EQ(parse_element_type("BIN"), ET::kU1);
  EXPECT_EQ(parse_element_type("boolean"), ET::kBoolean);
  EXPECT_EQ(parse_element_type("BOOL"), ET::kBoolean);
  bool unsupported = true;
  EXPECT_EQ(parse_element_type("f99", &unsupported), std::nullopt);
  EXPECT_FALSE(unsupported);
  EXPECT_EQ(parse_element_type("", &unsupported), std::nullopt);
  EXPECT_FALSE(unsupported);
  EXPECT_EQ(parse_element_type("f32 "), std::nullopt);
  EXPECT_EQ(parse_element_type("NF4", &unsupported), std::nullopt);
  EXPECT_TRUE(unsupported);
  EXPECT_EQ(parse_element_type("string", &unsupported), std::nullopt);
  EXPECT_TRUE(unsupported);
}

TEST(ElementType, PropertiesAndStorage) {
  EXPECT_EQ(element_bits(ET::kF64), 64);
  EXPECT_EQ(element_bits(ET::kBF16), 16);
  EXPECT_EQ(element_bits(ET::kI4), 4);
  EXPECT_EQ(element_bits(ET::kU1), 1);
  EXPECT_EQ(element_bits(ET::kBoolean), 8);
  EXPECT_TRUE(is_float(ET::kBF16));
  EXPECT_FALSE(is_float(ET::kI8));
  EXPECT_TRUE(is_integer(ET::kU4));
  EXPECT_FALSE(is_integer(ET::kBoolean));
  EXPECT_TRUE(is_signed(ET::kI4));
  EXPECT_FALSE(is_signed(ET::kU8));
  EXPECT_TRUE(is_sub_byte(ET::kU1));
  EXPECT_FALSE(is_sub_byte(ET::kI8));
  EXPECT_STREQ(element_type_name(ET::kBoolean), "boolean");
  EXPECT_STREQ(element_type_name(ET::kI4), "i4");
  EXPECT_EQ(element_storage_bytes(ET::kF32, 3), 12u);
  EXPECT_EQ(element_storage_bytes(ET::kI4, 3), 2u);
  EXPECT_EQ(element_storage_bytes(ET::kU1, 9), 2u);
  EXPECT_EQ(element_storage_bytes(ET::kU1, 0), 0u);
  EXPECT_THROW(element_storage_bytes(ET::kF32, -1), Error);
  EXPECT_THROW(element_storage_bytes(ET::kF64, std::numeric_limits<int64_t>::max()), Error);
  EXPECT_THROW(element_storage_bytes(ET::kUndefined, 1), Error);
}

TEST(HalfFloat, DecodesKnownPatterns) {
  EXPECT_EQ(half_to_float(0x3C00), 1.0f);
  EXPECT_EQ(half_to_float(0xC000), -2.0f);
  EXPECT_EQ(half_to_float(0x7BFF), 65504.0f);
  EXPECT_EQ(half_to_float(0x3555), 0.333251953125f);
  EXPECT_EQ(half_to_float(0x0400), std::ldexp(1.0f, -14));         // smallest normal
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));         // smallest subnormal
  EXPECT_EQ(half_to_float(0x03FF), 1023 * std::ldexp(1.0f, -24));  // largest subnormal
  EXPECT_EQ(half_to_float(0x8200), -512 * std::ldexp(1.0f, -24));
  const float neg_zero = half_to_float(0x8000);
  EXPECT_EQ(neg_zero, 0.0f);
  EXPECT_TRUE(std::signbit(neg_zero));
  EXPECT_EQ(half_to_float(0x7C00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(half_to_float(0xFC00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(half_to_float(0x7E00)));
  EXPECT_TRUE(std::isnan(half_to_float(0x7C01)));
}

TEST(HalfFloat, EncodesWithRoundToNearestEven) {
  EXPECT_EQ(float_to_half(1.0f), 0x3C00);
  EXPECT_EQ(float_to_half(-2.0f), 0xC000);
  EXPECT_EQ(float_to_half(65504.0f), 0x7BFF);
  EXPECT_EQ(float_to_half(65519.0f), 0x7BFF);  // below the midpoint to 65536
  EXPECT_EQ(float_to_half(65520.0f), 0x7C00);  // midpoint: even neighbour is 2^16 = inf
  EXPECT_EQ(float_to_half(1e6f), 0x7C00);
  EXPECT_EQ(float_to_half(-1e6f), 0xFC00);
  // Ties in the normal range: 1 + 2^-11 lies halfway between 0x3C00 and 0x3C01.
  EXPECT_EQ(float_to_half(1.0f + std::ldexp(1.0f, -11)), 0x3C00);
  EXPECT_EQ(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
  EXPECT_EQ(float_to_half(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)), 0x3C01);
  // Subnormals, in units of 2^-24.
  const float unit = std::ldexp(1.0f, -24);
  EXPECT_EQ(float_to_half(unit), 0x0001);
  EXPECT_EQ(float_to_half(0.5f * unit), 0x0000);  // tie to even (0)
  EXPECT_EQ(float_to_half(0.75f * unit), 0x0001);
  EXPECT_EQ(float_to_half(0.25f * unit), 0x0000);
  EXPECT_EQ(float_to_half(1.5f * unit), 0x0002);  // tie between 1 and 2 -> 2
  EXPECT_EQ(float_to_half(2.5f * unit), 0x0002);  // tie between 2 and 3 -> 2
  EXPECT_EQ(float_to_half(-3.0f * unit), 0x8003);
  EXPECT_EQ(float_to_half(1023.5f * unit), 0x0400);  // rounds up into the smallest normal
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -14)), 0x0400);
  EXPECT_EQ(float_to_half(1e-10f), 0x0000);
  EXPECT_EQ(float_to_half(-0.0f), 0x8000);
  EXPECT_EQ(float_to_half(std::numeric_limits<float>::infinity()), 0x7C00);
  EXPECT_EQ(float_to_half(-std::numeric_limits<float>::infinity()), 0xFC00);
  const uint16_t nan = float_to_half(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan & 0x7C00, 0x7C00);
  EXPECT_NE(nan & 0x03FF, 0);
  const uint16_t snan = float_to_half(from_bits(0x7F800001));  // payload lost in the shift must stay NaN
  EXPECT_EQ(snan & 0x7C00, 0x7C00);
  EXPECT_NE(snan & 0x03FF, 0);
}

TEST(HalfFloat, RoundTripsEveryFiniteHalf) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7C00) == 0x7C00) continue;  // inf/nan
    ASSERT_EQ(float_to_half(half_to_float(static_cast<uint16_t>(h))), h) << std::hex << h;
  }
}

TEST(BFloat16, ConversionsRoundToNearestEven) {
  EXPECT_EQ(bf16_to_float(0x3F80), 1.0f);
  EXPECT_EQ(bf16_to_float(0x4049), 3.140625f);
  EXPECT_EQ(bf16_to_float(0xC000), -2.0f);
  EXPECT_EQ(bf16_to_float(0x0001), from_bits(0x00010000));  // subnormal 2^-133
  EXPECT_EQ(float_to_bf16(1.0f), 0x3F80);
  EXPECT_EQ(float_to_bf16(3.14159265f), 0x4049);
  EXPECT_EQ(float_to_bf16(1.0f + std::ldexp(1.0f, -8)), 0x3F80);      // tie -> even
  EXPECT_EQ(float_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3F82);  // tie -> even
  EXPECT_EQ(float_to_bf16(1.0f + std::ldexp(1.0f, -8) + std::ldexp(1.0f, -20)), 0x3F81);
  EXPECT_EQ(float_to_bf16(from_bits(0x00018000)), 0x0002);              // subnormal tie 1.5 -> 2
  EXPECT_EQ(float_to_bf16(from_bits(0x00008000)), 0x0000);              // subnormal tie 0.5 -> 0
  EXPECT_EQ(float_to_bf16(std::numeric_limits<float>::max()), 0x7F80);  // rounds to inf
  EXPECT_EQ(float_to_bf16(-std::numeric_limits<float>::infinity()), 0xFF80);
  EXPECT_EQ(float_to_bf16(-0.0f), 0x8000);
  const uint16_t nan = float_to_bf16(from_bits(0x7F800001));  // signalling NaN with a low payload
  EXPECT_EQ(nan & 0x7F80, 0x7F80);
  EXPECT_NE(nan & 0x007F, 0);
}

}  // namespace
}  // namespace octet
