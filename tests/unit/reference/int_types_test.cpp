// Integer and boolean element types through the elementwise reference evaluators, at the corners
// OpenVINO's CPU plugin is no oracle for (it computes integer eltwise ops in f32, saturates u8/i8,
// runs i64 in i32): overflow wrapping, floor vs truncating division, division by zero, u64 values
// above 2^63, Clamp bounds, Power with negative exponents and out-of-range Convert. Expected values
// are computed here from the op specifications with C++ integer arithmetic.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::OpCase;

// A tensor of any byte-addressable integer (or boolean) type from values given as int64 (u64 values
// as their bit pattern).
Tensor typed(ElementType type, Dims shape, const std::vector<int64_t>& v) {
  Tensor t(type, std::move(shape));
  EXPECT_EQ(static_cast<size_t>(t.element_count()), v.size());
  const size_t width = static_cast<size_t>(element_bits(type) / 8);
  for (size_t i = 0; i < v.size(); ++i) {
    const uint64_t bits = static_cast<uint64_t>(v[i]);
    std::memcpy(static_cast<char*>(t.data()) + i * width, &bits, width);  // little-endian low bytes
  }
  return t;
}

// The int64 bit pattern of a uint64 value (how octet's Tensor::to_int64_vector returns u64).
int64_t u64(uint64_t v) {
  return static_cast<int64_t>(v);
}

Tensor binary(OpKind op, Tensor a, Tensor b, const std::string& pythondiv = "") {
  OpCase c(op);
  if (!pythondiv.empty()) c.attr("m_pythondiv", pythondiv);
  return c.in(std::move(a)).in(std::move(b)).run1();
}

Tensor unary(OpKind op, Tensor x, std::map<std::string, std::string> attrs = {}) {
  OpCase c(op);
  for (auto& [k, v] : attrs) c.attr(k, v);
  return c.in(std::move(x)).run1();
}

// ---- wrapping arithmetic (C++ modulo 2^N, as OpenVINO's reference computes in T) -------------------

TEST(IntTypes, AddSubtractMultiplyWrapModuloTwoToTheN) {
  using test::expect_ints;
  expect_ints(binary(OpKind::kAdd, typed(ElementType::kU8, {3}, {200, 255, 1}),
                     typed(ElementType::kU8, {3}, {100, 1, 1})),
              ElementType::kU8, {3}, {(200 + 100) % 256, 0, 2});
  expect_ints(
      binary(OpKind::kSubtract, typed(ElementType::kU8, {2}, {3, 0}), typed(ElementType::kU8, {2}, {5, 1})),
      ElementType::kU8, {2}, {256 - 2, 255});
  expect_ints(binary(OpKind::kMultiply, typed(ElementType::kI8, {2}, {100, -128}),
                     typed(ElementType::kI8, {2}, {3, -1})),
              ElementType::kI8, {2}, {static_cast<int8_t>(300 & 0xff), -128});
  const int64_t i32max = std::numeric_limits<int32_t>::max(), i32min = std::numeric_limits<int32_t>::min();
  expect_ints(binary(OpKind::kAdd, typed(ElementType::kI32, {2}, {i32max, i32min}),
                     typed(ElementType::kI32, {2}, {1, -1})),
              ElementType::kI32, {2}, {i32min, i32max});
  const int64_t i64max = std::numeric_limits<int64_t>::max(), i64min = std::numeric_limits<int64_t>::min();
  expect_ints(binary(OpKind::kAdd, typed(ElementType::kI64, {2}, {i64max, i64min}),
                     typed(ElementType::kI64, {2}, {1, -1})),
              ElementType::kI64, {2}, {i64min, i64max});
  expect_ints(binary(OpKind::kMultiply, typed(ElementType::kI64, {1}, {int64_t{1} << 62}),
                     typed(ElementType::kI64, {1}, {4})),
              ElementType::kI64, {1}, {0});
  expect_ints(binary(OpKind::kAdd, typed(ElementType::kU64, {1}, {u64(UINT64_MAX)}),
                     typed(ElementType::kU64, {1}, {2})),
              ElementType::kU64, {1}, {1});
  expect_ints(
      binary(OpKind::kSubtract, typed(ElementType::kU16, {1}, {1}), typed(ElementType::kU16, {1}, {2})),
      ElementType::kU16, {1}, {65535});
  expect_ints(
      binary(OpKind::kMultiply, typed(ElementType::kI16, {1}, {300}), typed(ElementType::kI16, {1}, {300})),
      ElementType::kI16, {1}, {static_cast<int16_t>(90000 & 0xffff)});
  expect_ints(binary(OpKind::kMultiply, typed(ElementType::kU32, {1}, {70000}),
                     typed(ElementType::kU32, {1}, {70000})),
              ElementType::kU32, {1}, {static_cast<int64_t>(uint64_t{70000} * 70000 % (uint64_t{1} << 32))});
}

TEST(IntTypes, SquaredDifferenceWraps) {
  // (100 - (-100))^2 = 40000 = 156 * 256 + 64 -> 64 in i8; u8: (3 - 5) wraps to 254, 254^2 mod 256 = 4.
  test::expect_ints(binary(OpKind::kSquaredDifference, typed(ElementType::kI8, {2}, {100, -3}),
                           typed(ElementType::kI8, {2}, {-100, 4})),
                    ElementType::kI8, {2}, {64, 49});
  test::expect_ints(binary(OpKind::kSquaredDifference, typed(ElementType::kU8, {1}, {3}),
                           typed(ElementType::kU8, {1}, {5})),
                    ElementType::kU8, {1}, {4});
}

// ---- Divide ---------------------------------------------------------------------------------------

TEST(IntTypes, DividePythondivFloorsAndOtherwiseTruncates) {
  const std::vector<int64_t> a = {7, -7, 7, -7, 6, -6, 0, -1};
  const std::vector<int64_t> b = {2, 2, -2, -2, 3, 4, -5, 3};
  std::vector<int64_t> floor_q, trunc_q;
  for (size_t i = 0; i < a.size(); ++i) {
    trunc_q.push_back(a[i] / b[i]);  // C++ truncates toward zero
    floor_q.push_back(
        static_cast<int64_t>(std::floor(static_cast<double>(a[i]) / static_cast<double>(b[i]))));
  }
  for (ElementType t : {ElementType::kI8, ElementType::kI16, ElementType::kI32, ElementType::kI64}) {
    SCOPED_TRACE(element_type_name(t));
    test::expect_ints(binary(OpKind::kDivide, typed(t, {8}, a), typed(t, {8}, b), "true"), t, {8}, floor_q);
    test::expect_ints(binary(OpKind::kDivide, typed(t, {8}, a), typed(t, {8}, b), "false"), t, {8}, trunc_q);
  }
  // The default m_pythondiv is true.
  test::expect_ints(
      binary(OpKind::kDivide, typed(ElementType::kI32, {1}, {-7}), typed(ElementType::kI32, {1}, {2})),
      ElementType::kI32, {1}, {-4});
  // Unsigned: floor and truncation agree.
  test::expect_ints(binary(OpKind::kDivide, typed(ElementType::kU8, {2}, {255, 7}),
                           typed(ElementType::kU8, {2}, {2, 7}), "true"),
                    ElementType::kU8, {2}, {127, 1});
}

TEST(IntTypes, DivideMinByMinusOneWrapsAndU64DividesUnsigned) {
  test::expect_ints(binary(OpKind::kDivide, typed(ElementType::kI32, {1}, {INT32_MIN}),
                           typed(ElementType::kI32, {1}, {-1})),
                    ElementType::kI32, {1}, {INT32_MIN});
  test::expect_ints(binary(OpKind::kDivide, typed(ElementType::kI64, {1}, {INT64_MIN}),
                           typed(ElementType::kI64, {1}, {-1})),
                    ElementType::kI64, {1}, {INT64_MIN});
  test::expect_ints(
      binary(OpKind::kDivide, typed(ElementType::kU64, {2}, {u64(UINT64_MAX - 1), u64(uint64_t{1} << 63)}),
             typed(ElementType::kU64, {2}, {2, 3})),
      ElementType::kU64, {2}, {u64((UINT64_MAX - 1) / 2), u64((uint64_t{1} << 63) / 3)});
}

TEST(IntTypes, DivisionByZeroNamesTheLayerAndElement) {
  try {
    binary(OpKind::kDivide, typed(ElementType::kI32, {3}, {4, 5, 6}),
           typed(ElementType::kI32, {3}, {1, 0, 2}));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    const std::string m = e.what();
    EXPECT_NE(m.find("'op'"), std::string::npos) << m;
    EXPECT_NE(m.find("integer division by zero at output element 1 (5 / 0)"), std::string::npos) << m;
  }
  // Floats divide by zero to inf, as IEEE does.
  const Tensor f = binary(OpKind::kDivide, test::f32({1}, {1.0f}), test::f32({1}, {0.0f}));
  EXPECT_TRUE(std::isinf(f.data_as<float>()[0]));
}

// ---- Maximum / Minimum / Power ---------------------------------------------------------------------

TEST(IntTypes, MaximumMinimumCompareU64Unsigned) {
  const int64_t big = u64(uint64_t{1} << 63), max = u64(UINT64_MAX);
  test::expect_ints(binary(OpKind::kMaximum, typed(ElementType::kU64, {3}, {big, 1, max}),
                           typed(ElementType::kU64, {3}, {1, big, 0})),
                    ElementType::kU64, {3}, {big, big, max});
  test::expect_ints(binary(OpKind::kMinimum, typed(ElementType::kU64, {3}, {big, 1, max}),
                           typed(ElementType::kU64, {3}, {1, big, 0})),
                    ElementType::kU64, {3}, {1, 1, 0});
  test::expect_ints(binary(OpKind::kMaximum, typed(ElementType::kI8, {2}, {-128, 5}),
                           typed(ElementType::kI8, {2}, {-1, -5})),
                    ElementType::kI8, {2}, {-1, 5});
}

TEST(IntTypes, PowerIntegerExponents) {
  // Negative exponents: 1/a^|b| truncated toward zero (static_cast<T>(std::pow(a, b)) in OpenVINO's
  // reference): 0 unless the base is 1 or -1; 0^0 = 1.
  test::expect_ints(binary(OpKind::kPower, typed(ElementType::kI32, {7}, {2, 1, -1, -1, -2, 0, 5}),
                           typed(ElementType::kI32, {7}, {-1, -5, -3, -2, -2, 0, 0})),
                    ElementType::kI32, {7}, {0, 1, -1, 1, 0, 1, 1});
  // Overflow wraps: 3^21 = 10460353203 modulo 2^32 read as i32; 2^64 in u64 is 0, 3^41 in u64 wraps.
  uint64_t p41 = 1;
  for (int i = 0; i < 41; ++i) p41 *= 3;  // unsigned multiplication wraps modulo 2^64
  test::expect_ints(
      binary(OpKind::kPower, typed(ElementType::kI32, {1}, {3}), typed(ElementType::kI32, {1}, {21})),
      ElementType::kI32, {1}, {static_cast<int32_t>(static_cast<uint32_t>(10460353203ull))});
  test::expect_ints(
      binary(OpKind::kPower, typed(ElementType::kU64, {2}, {2, 3}), typed(ElementType::kU64, {2}, {64, 41})),
      ElementType::kU64, {2}, {0, u64(p41)});
  test::expect_ints(
      binary(OpKind::kPower, typed(ElementType::kU8, {2}, {2, 3}), typed(ElementType::kU8, {2}, {9, 5})),
      ElementType::kU8, {2}, {512 % 256, 243});
}

TEST(IntTypes, BooleanArithmeticIsRefusedByTheReference) {
  try {
    binary(OpKind::kAdd, typed(ElementType::kBoolean, {1}, {1}), typed(ElementType::kBoolean, {1}, {1}));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported) << e.what();
    EXPECT_NE(std::string(e.what()).find("boolean"), std::string::npos) << e.what();
  }
}

// ---- unary ops ------------------------------------------------------------------------------------

TEST(IntTypes, ReluKeepsUnsignedValuesAboveTwoToThe63) {
  test::expect_ints(unary(OpKind::kRelu, typed(ElementType::kU64, {2}, {u64(UINT64_MAX), 3})),
                    ElementType::kU64, {2}, {u64(UINT64_MAX), 3});
  test::expect_ints(unary(OpKind::kRelu, typed(ElementType::kI8, {3}, {-128, 0, 127})), ElementType::kI8, {3},
                    {0, 0, 127});
}

TEST(IntTypes, ClampRoundsBoundsInwardAndSaturatesThemToTheType) {
  // ceil(-2.5) = -2, floor(7.5) = 7.
  test::expect_ints(
      unary(OpKind::kClamp, typed(ElementType::kI32, {4}, {-9, -2, 7, 9}), {{"min", "-2.5"}, {"max", "7.5"}}),
      ElementType::kI32, {4}, {-2, -2, 7, 7});
  // Bounds beyond the type: [-1000, 1000] on i8 is the whole range.
  test::expect_ints(
      unary(OpKind::kClamp, typed(ElementType::kI8, {2}, {-128, 127}), {{"min", "-1000"}, {"max", "1000"}}),
      ElementType::kI8, {2}, {-128, 127});
  // min 0.2 -> 1 > max 0.8 -> 0: the spec's min(max(x, 1), 0) is 0 everywhere.
  test::expect_ints(
      unary(OpKind::kClamp, typed(ElementType::kI32, {3}, {-5, 0, 5}), {{"min", "0.2"}, {"max", "0.8"}}),
      ElementType::kI32, {3}, {0, 0, 0});
  // u64: a negative min is 0; values above 2^63 compare unsigned; max 1e30 saturates to UINT64_MAX.
  test::expect_ints(unary(OpKind::kClamp, typed(ElementType::kU64, {2}, {u64(UINT64_MAX), 4}),
                          {{"min", "-5"}, {"max", "1e30"}}),
                    ElementType::kU64, {2}, {u64(UINT64_MAX), 4});
  test::expect_ints(unary(OpKind::kClamp, typed(ElementType::kU64, {2}, {u64(UINT64_MAX), 4}),
                          {{"min", "5"}, {"max", "10"}}),
                    ElementType::kU64, {2}, {10, 5});
  test::expect_ints(
      unary(OpKind::kClamp, typed(ElementType::kU8, {3}, {0, 100, 255}), {{"min", "-7.9"}, {"max", "200.1"}}),
      ElementType::kU8, {3}, {0, 100, 200});
}

TEST(IntTypes, PReluOnIntegersWrapsTheProduct) {
  OpCase c(OpKind::kPRelu);
  const Tensor y =
      c.in(typed(ElementType::kI8, {4}, {-100, -3, 0, 50})).in(typed(ElementType::kI8, {1}, {2})).run1();
  test::expect_ints(y, ElementType::kI8, {4}, {static_cast<int8_t>(-200 & 0xff), -6, 0, 50});
  OpCase u(OpKind::kPRelu);
  test::expect_ints(u.in(typed(ElementType::kU8, {2}, {200, 1})).in(typed(ElementType::kU8, {1}, {3})).run1(),
                    ElementType::kU8, {2}, {200, 1});
}

TEST(IntTypes, SqrtRoundsHalfUpExactly) {
  // r^2 + r rounds down to r (sqrt < r + 1/2), r^2 + r + 1 rounds up; large i64 and u64 values are
  // exact (no double rounding): sqrt(2^64 - 1) rounds to 2^32, sqrt(2^64 - 2^32) = sqrt(r^2 + r) for
  // r = 2^32 - 1 down to r.
  const int64_t r = 3037000499;  // r^2 + r + 1 < 2^63
  test::expect_ints(
      unary(OpKind::kSqrt, typed(ElementType::kI64, {6}, {0, 1, 2, 6, r * r + r, r * r + r + 1})),
      ElementType::kI64, {6}, {0, 1, 1, 2, r, r + 1});
  test::expect_ints(
      unary(OpKind::kSqrt, typed(ElementType::kU64, {2},
                                 {u64(UINT64_MAX), u64((uint64_t{1} << 32) * ((uint64_t{1} << 32) - 1))})),
      ElementType::kU64, {2}, {int64_t{1} << 32, (int64_t{1} << 32) - 1});
  test::expect_ints(unary(OpKind::kSqrt, typed(ElementType::kU8, {4}, {255, 240, 12, 13})), ElementType::kU8,
                    {4}, {16, 15, 3, 4});
  try {
    unary(OpKind::kSqrt, typed(ElementType::kI32, {2}, {4, -4}));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("negative value -4 at element 1"), std::string::npos) << e.what();
  }
}

TEST(IntTypes, ErfOfIntegersIsTheirSign) {
  test::expect_ints(unary(OpKind::kErf, typed(ElementType::kI32, {5}, {-100, -1, 0, 1, 2})),
                    ElementType::kI32, {5}, {-1, -1, 0, 1, 1});
  test::expect_ints(unary(OpKind::kErf, typed(ElementType::kU64, {1}, {u64(UINT64_MAX)})), ElementType::kU64,
                    {1}, {1});
}

// ---- Convert ---------------------------------------------------------------------------------------

Tensor convert(Tensor x, const char* dst) {
  return unary(OpKind::kConvert, std::move(x), {{"destination_type", dst}});
}

TEST(IntTypes, ConvertIntegerToIntegerWrapsAsTheSpecSays) {
  // Convert-1: "the unique value of the destination unsigned type that is congruent to the source
  // integer modulo 2^N"; narrower signed destinations wrap the same way (C++20 rule).
  test::expect_ints(convert(typed(ElementType::kI32, {3}, {-1, 300, -129}), "u32"), ElementType::kU32, {3},
                    {4294967295, 300, 4294967296 - 129});
  test::expect_ints(convert(typed(ElementType::kI32, {3}, {-1, 300, -129}), "u8"), ElementType::kU8, {3},
                    {255, 44, 127});
  test::expect_ints(convert(typed(ElementType::kI64, {2}, {INT64_MIN, (int64_t{1} << 40) + 5}), "i32"),
                    ElementType::kI32, {2}, {0, 5});
  test::expect_ints(convert(typed(ElementType::kU64, {1}, {u64(UINT64_MAX)}), "i64"), ElementType::kI64, {1},
                    {-1});
  test::expect_ints(convert(typed(ElementType::kI8, {1}, {-1}), "u64"), ElementType::kU64, {1},
                    {u64(UINT64_MAX)});
  test::expect_ints(convert(typed(ElementType::kU16, {1}, {65535}), "i16"), ElementType::kI16, {1}, {-1});
}

TEST(IntTypes, ConvertToAndFromBoolean) {
  test::expect_ints(convert(typed(ElementType::kI32, {4}, {0, 1, -1, INT32_MIN}), "boolean"),
                    ElementType::kBoolean, {4}, {0, 1, 1, 1});
  test::expect_ints(convert(typed(ElementType::kU64, {2}, {u64(uint64_t{1} << 63), 0}), "boolean"),
                    ElementType::kBoolean, {2}, {1, 0});
  test::expect_ints(convert(test::f32({4}, {0.0f, -0.0f, 1e-30f, NAN}), "boolean"), ElementType::kBoolean,
                    {4}, {0, 0, 1, 1});
  test::expect_ints(convert(typed(ElementType::kBoolean, {2}, {1, 0}), "i64"), ElementType::kI64, {2},
                    {1, 0});
  test::expect_floats(convert(typed(ElementType::kBoolean, {2}, {1, 0}), "f32"), {2}, {1.0f, 0.0f});
}

// Out of range float -> integer is undefined by the spec; octet saturates, then truncates toward zero
// (ir-spec.md 3); NaN gives 0.
TEST(IntTypes, ConvertFloatToIntegerSaturatesThenTruncates) {
  const Tensor x = test::f32({8}, {-1.5f, -0.9f, 2.9f, 300.0f, -1e20f, 1e20f, NAN, 255.9f});
  test::expect_ints(convert(x, "u8"), ElementType::kU8, {8}, {0, 0, 2, 255, 0, 255, 0, 255});
  test::expect_ints(convert(x, "i16"), ElementType::kI16, {8}, {-1, 0, 2, 300, -32768, 32767, 0, 255});
  test::expect_ints(convert(x, "i64"), ElementType::kI64, {8}, {-1, 0, 2, 300, INT64_MIN, INT64_MAX, 0, 255});
  test::expect_ints(convert(x, "u64"), ElementType::kU64, {8}, {0, 0, 2, 300, 0, u64(UINT64_MAX), 0, 255});
}

// 64-bit integers round once to the nearest float: 2^63 + 2^39 + 1 is just above the midpoint of two
// floats (2^63 and 2^63 + 2^40), so it rounds up; via double it would first round to the midpoint and
// then to even (down).
TEST(IntTypes, ConvertSixtyFourBitIntegersToFloatRoundOnce) {
  const uint64_t v = (uint64_t{1} << 63) + (uint64_t{1} << 39) + 1;
  const Tensor y = convert(typed(ElementType::kU64, {1}, {u64(v)}), "f32");
  EXPECT_EQ(y.data_as<float>()[0], static_cast<float>(v));
  EXPECT_EQ(static_cast<double>(y.data_as<float>()[0]), std::ldexp(1.0, 63) + std::ldexp(1.0, 40));
  const int64_t w = (int64_t{1} << 62) + (int64_t{1} << 38) + 1;
  EXPECT_EQ(static_cast<double>(convert(typed(ElementType::kI64, {1}, {w}), "f32").data_as<float>()[0]),
            std::ldexp(1.0, 62) + std::ldexp(1.0, 39));
}

// u64 values above 2^63 are unsigned in a conversion to f64 too (2^64 - 2^11 is exact in a double).
TEST(IntTypes, ConvertU64AboveTwoToThe63ToF64StaysPositive) {
  const uint64_t v = ~uint64_t{0} - 2047;
  const Tensor y = convert(typed(ElementType::kU64, {1}, {u64(v)}), "f64");
  EXPECT_EQ(y.data_as<double>()[0], std::ldexp(1.0, 64) - std::ldexp(1.0, 11));
}

// ReduceMax/ReduceMean read u64 unsigned (values above 2^63 are the largest, not negative); sums wrap
// modulo 2^N; integer means truncate toward zero (as OpenVINO's, checked by the reduce_mean_i* cases).
TEST(IntTypes, ReduceOnIntegersWrapsTruncatesAndReadsU64Unsigned) {
  auto reduce = [](OpKind op, Tensor x) {
    return OpCase(op)
        .attr("keep_dims", "false")
        .in(std::move(x))
        .in(typed(ElementType::kI64, {1}, {0}))
        .run1();
  };
  const uint64_t big = (uint64_t{1} << 63) + 6;
  const Tensor x = typed(ElementType::kU64, {3}, {u64(big), 2, 4});
  EXPECT_EQ(static_cast<uint64_t>(reduce(OpKind::kReduceMax, x).to_int64_vector().at(0)), big);
  EXPECT_EQ(static_cast<uint64_t>(reduce(OpKind::kReduceMean, x).to_int64_vector().at(0)),
            ((uint64_t{1} << 63) + 12) / 3);  // the sum (2^63 + 12) fits u64
  EXPECT_EQ(reduce(OpKind::kReduceSum, typed(ElementType::kI8, {3}, {100, 100, 1})).to_int64_vector(),
            (std::vector<int64_t>{-55}));  // 201 - 256
  EXPECT_EQ(reduce(OpKind::kReduceMean, typed(ElementType::kI32, {3}, {-1, -1, 0})).to_int64_vector(),
            (std::vector<int64_t>{0}));  // -2/3 truncates to 0 (floor would be -1)
  EXPECT_EQ(
      reduce(OpKind::kReduceSum, typed(ElementType::kI64, {2}, {std::numeric_limits<int64_t>::max(), 1}))
          .to_int64_vector(),
      (std::vector<int64_t>{std::numeric_limits<int64_t>::min()}));
}

}  // namespace
}  // namespace octet
