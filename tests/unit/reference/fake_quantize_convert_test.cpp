// Hand-computed FakeQuantize and Convert cases: ties, bounds, inverted ranges, broadcasting,
// saturation, truncation, wrapping and f16 rounding.
#include <cmath>
#include <limits>

#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::expect_ints;
using test::f32;
using test::OpCase;

OpCase fq(Tensor x, float il, float ih, float ol, float oh, int levels) {
  OpCase c(OpKind::kFakeQuantize);
  c.attr("levels", std::to_string(levels)).in(std::move(x));
  for (float v : {il, ih, ol, oh}) c.in(f32({}, {v}));
  return c;
}

// levels 5 over [0,4] -> [0,8]: step 1 in, 2 out; all arithmetic is exact in f32.
TEST(ReferenceFakeQuantize, BoundsAndHalfToEvenTies) {
  const auto y = fq(f32({10}, {-1, 0, 0.5f, 1.5f, 2.5f, 3.5f, 4, 5, 0.4f, 2.6f}), 0, 4, 0, 8, 5).run1();
  // x<=il -> ol (inclusive); 0.5->0, 1.5->2, 2.5->2, 3.5->4 (ties to even); x==ih -> formula -> oh.
  expect_floats(y, {10}, {0, 0, 0, 4, 4, 8, 8, 8, 0, 6});
}

TEST(ReferenceFakeQuantize, InvertedInputRange) {
  // il=4 > ih=0: clamps use min/max, the formula uses il/ih as given: q = round(4 - x).
  const auto y = fq(f32({6}, {0, 1, 2.5f, 3.5f, 4, 5}), 4, 0, 0, 8, 5).run1();
  expect_floats(y, {6}, {0, 6, 4, 0, 0, 8});
}

TEST(ReferenceFakeQuantize, EqualRangeBoundsNeverDivide) {
  const auto y = fq(f32({3}, {0.5f, 1, 1.5f}), 1, 1, -1, 2, 256).run1();
  expect_floats(y, {3}, {-1, -1, 2});
}

TEST(ReferenceFakeQuantize, EachRangeBroadcastsIndependently) {
  OpCase c(OpKind::kFakeQuantize);
  c.attr("levels", "5").in(f32({2, 2}, {1, 1, 2, 2}));
  c.in(f32({2, 1}, {0, 0})).in(f32({2, 1}, {4, 8})).in(f32({}, {0})).in(f32({1, 2}, {4, 8}));
  // (r,c): q = round(x/ih*4); y = q/4*oh[c].
  expect_floats(c.run1(), {2, 2}, {1, 2, 1, 2});
}

TEST(ReferenceFakeQuantize, F16DataRoundTrips) {
  Tensor x(ElementType::kF16, {4});
  const float v[] = {0.5f, 1.5f, 2.5f, 5};
  for (int i = 0; i < 4; ++i) x.data_as<uint16_t>()[i] = float_to_half(v[i]);
  OpCase c(OpKind::kFakeQuantize);
  c.attr("levels", "5").in(x);
  for (float r : {0.f, 4.f, 0.f, 8.f}) {
    Tensor t(ElementType::kF16, {});
    t.data_as<uint16_t>()[0] = float_to_half(r);
    c.in(t);
  }
  const auto y = c.run1();
  EXPECT_EQ(y.type(), ElementType::kF16);
  expect_floats(y, {4}, {0, 4, 4, 8});
}

TEST(ReferenceFakeQuantize, RejectsIntegerData) {
  EXPECT_THROW(fq(test::i32({1}, {1}), 0, 1, 0, 1, 256).run(), Error);
}

Tensor convert(const Tensor& x, const char* to) {
  OpCase c(OpKind::kConvert);
  c.attr("destination_type", to).in(x);
  return c.run1();
}

TEST(ReferenceConvert, FloatToSignedSaturatesThenTruncates) {
  const auto y = convert(f32({7}, {-1.7f, 1.7f, 300, -300, 127.9f, -128.9f, -0.9f}), "i8");
  expect_ints(y, ElementType::kI8, {7}, {-1, 1, 127, -128, 127, -128, 0});
}

TEST(ReferenceConvert, FloatToUnsignedSaturates) {
  expect_ints(convert(f32({4}, {-5, 255.9f, 256, 3.99f}), "u8"), ElementType::kU8, {4}, {0, 255, 255, 3});
  expect_ints(convert(f32({2}, {1e19f, -1e19f}), "i64"), ElementType::kI64, {2},
              {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()});
}

TEST(ReferenceConvert, IntegerToNarrowerIntegerWraps) {
  expect_ints(convert(test::i32({3}, {300, -129, 127}), "i8"), ElementType::kI8, {3}, {44, 127, 127});
  const auto u = convert(test::i32({1}, {-1}), "u32");
  EXPECT_EQ(u.data_as<uint32_t>()[0], 4294967295u);
  expect_ints(convert(test::i64({1}, {(int64_t{1} << 32) + 5}), "i32"), ElementType::kI32, {1}, {5});
}

TEST(ReferenceConvert, F32ToF16RoundsToNearestEven) {
  const float one_half_ulp = 1.0f + std::ldexp(1.0f, -11);        // tie: 1.0 is even
  const float three_half_ulp = 1.0f + 3 * std::ldexp(1.0f, -11);  // tie: 1+2^-9 is even
  const auto y = convert(f32({4}, {one_half_ulp, three_half_ulp, 65520.0f, -2.0f}), "f16");
  ASSERT_EQ(y.type(), ElementType::kF16);
  const uint16_t* h = y.data_as<uint16_t>();
  EXPECT_EQ(h[0], 0x3C00);
  EXPECT_EQ(h[1], 0x3C02);
  EXPECT_EQ(h[2], 0x7C00);  // overflow -> inf
  EXPECT_EQ(h[3], 0xC000);
}

TEST(ReferenceConvert, SubByteSourcesUnpackLowNibbleFirst) {
  Tensor i4(ElementType::kI4, {4});
  static_cast<uint8_t*>(i4.data())[0] = 0x8F;
  static_cast<uint8_t*>(i4.data())[1] = 0x17;
  expect_floats(convert(i4, "f32"), {4}, {-1, -8, 7, 1});
  Tensor u4(ElementType::kU4, {3});
  static_cast<uint8_t*>(u4.data())[0] = 0x8F;
  static_cast<uint8_t*>(u4.data())[1] = 0x07;
  expect_floats(convert(u4, "f16"), {3}, {15, 8, 7});
}

TEST(ReferenceConvert, BooleanBothWays) {
  expect_ints(convert(f32({4}, {0, -0.0f, 0.5f, std::nanf("")}), "boolean"), ElementType::kBoolean, {4},
              {0, 0, 1, 1});
  expect_floats(convert(test::ints(ElementType::kBoolean, {2}, {1, 0}), "f32"), {2}, {1, 0});
  expect_floats(convert(test::ints(ElementType::kU8, {2}, {255, 7}), "f32"), {2}, {255, 7});
}

}  // namespace
}  // namespace octet
