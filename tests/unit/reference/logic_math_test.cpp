// Hand-computed cases of the comparison, logical, bitwise, Select, Mod/FloorMod and unary math
// evaluators (host/reference/logic.cpp, math.cpp): the spec corners the zoo cannot hold (NaN/inf
// results, where OpenVINO's CPU plugin departs from the spec, pdpd Select, octet's choices for what the
// spec leaves undefined). Transcendental expectations are closed forms evaluated independently
// (Python math module), to f32 rounding.
#include <cmath>
#include <limits>

#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::expect_ints;
using test::f32;
using test::i32;
using test::i64;
using test::OpCase;
using ET = ElementType;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// Evaluators read typed attributes: parse them as the IR reader and inference do.
Tensor run(OpCase& c) {
  c.node->parse_attributes();
  return c.run1();
}

Tensor bools(Dims shape, const std::vector<int64_t>& v) {
  return test::ints(ET::kBoolean, std::move(shape), v);
}

Tensor u64(Dims shape, const std::vector<uint64_t>& v) {
  Tensor t(ET::kU64, std::move(shape));
  for (size_t i = 0; i < v.size(); ++i) t.data_as<uint64_t>()[i] = v[i];
  return t;
}

Tensor f16(Dims shape, const std::vector<float>& v) {
  Tensor t(ET::kF16, std::move(shape));
  for (size_t i = 0; i < v.size(); ++i) t.data_as<uint16_t>()[i] = float_to_half(v[i]);
  return t;
}

Tensor binary(OpKind op, Tensor a, Tensor b, int version = 1) {
  OpCase c(op, version);
  c.in(std::move(a)).in(std::move(b));
  return run(c);
}

Tensor unary(OpKind op, Tensor x, int version = 1) {
  OpCase c(op, version);
  c.in(std::move(x));
  return run(c);
}

TEST(ReferenceComparison, NaNInfAndSignedZeros) {
  const Tensor a = f32({5}, {kNaN, kNaN, 0.0f, -kInf, 1.0f});
  const Tensor b = f32({5}, {kNaN, 1.0f, -0.0f, -kInf, kInf});
  expect_ints(binary(OpKind::kEqual, a, b), ET::kBoolean, {5}, {0, 0, 1, 1, 0});
  expect_ints(binary(OpKind::kNotEqual, a, b), ET::kBoolean, {5}, {1, 1, 0, 0, 1});
  expect_ints(binary(OpKind::kLess, a, b), ET::kBoolean, {5}, {0, 0, 0, 0, 1});
  expect_ints(binary(OpKind::kLessEqual, a, b), ET::kBoolean, {5}, {0, 0, 1, 1, 1});
  expect_ints(binary(OpKind::kGreater, a, b), ET::kBoolean, {5}, {0, 0, 0, 0, 0});
  expect_ints(binary(OpKind::kGreaterEqual, a, b), ET::kBoolean, {5}, {0, 0, 1, 1, 0});
}

TEST(ReferenceComparison, ExactWideIntegers) {
  // 2^53 + 1 and 2^53 are equal as doubles; integer inputs compare exactly.
  expect_ints(
      binary(OpKind::kEqual, i64({2}, {(int64_t{1} << 53) + 1, -5}), i64({2}, {int64_t{1} << 53, -5})),
      ET::kBoolean, {2}, {0, 1});
  // u64 above 2^63 compares as unsigned.
  expect_ints(binary(OpKind::kGreater, u64({2}, {uint64_t{1} << 63, 1}), u64({2}, {1, uint64_t{1} << 63})),
              ET::kBoolean, {2}, {1, 0});
  expect_ints(binary(OpKind::kLess, bools({4}, {0, 0, 1, 1}), bools({4}, {0, 1, 0, 1})), ET::kBoolean, {4},
              {0, 1, 0, 0});
}

TEST(ReferenceComparison, AutoBroadcast) {
  OpCase c(OpKind::kLess);
  c.in(i32({2, 3}, {1, 2, 3, 4, 5, 6})).in(i32({2, 1}, {2, 5}));
  expect_ints(run(c), ET::kBoolean, {2, 3}, {1, 0, 0, 1, 0, 0});
  // pdpd with axis 0: B [2] lines up with A's dim 0 (numpy would align it with dim 1).
  OpCase p(OpKind::kGreaterEqual);
  p.attr("auto_broadcast", "pdpd").attr("auto_broadcast.auto_broadcast_axis", "0");
  p.in(i32({2, 2}, {1, 2, 3, 4})).in(i32({2}, {2, 3}));
  expect_ints(run(p), ET::kBoolean, {2, 2}, {0, 1, 1, 1});
  OpCase none(OpKind::kEqual);
  none.attr("auto_broadcast", "none").in(f32({2}, {1, 2})).in(f32({1}, {1}));
  EXPECT_THROW(run(none), Error);
}

TEST(ReferenceLogical, TruthTablesAndNot) {
  const Tensor a = bools({4}, {0, 0, 1, 1});
  const Tensor b = bools({4}, {0, 1, 0, 1});
  expect_ints(binary(OpKind::kLogicalAnd, a, b), ET::kBoolean, {4}, {0, 0, 0, 1});
  expect_ints(binary(OpKind::kLogicalOr, a, b), ET::kBoolean, {4}, {0, 1, 1, 1});
  expect_ints(binary(OpKind::kLogicalXor, a, b, 2), ET::kBoolean, {4}, {0, 1, 1, 0});
  expect_ints(unary(OpKind::kLogicalNot, a), ET::kBoolean, {4}, {1, 1, 0, 0});
  expect_ints(unary(OpKind::kLogicalNot, i32({3}, {0, 5, -1})), ET::kI32, {3}, {1, 0, 0});
  expect_floats(unary(OpKind::kLogicalNot, f32({3}, {0.0f, -0.0f, 0.5f})), {3}, {1, 1, 0});
}

TEST(ReferenceSelect, NumpyAndPdpd) {
  OpCase c(OpKind::kSelect);
  c.in(bools({2, 1}, {1, 0})).in(f32({3}, {1, 2, 3})).in(f32({}, {-1}));
  expect_floats(run(c), {2, 3}, {1, 2, 3, -1, -1, -1});
  // pdpd, axis 0: else [2] and cond [2,1] laid onto then [2,3] from dim 0.
  OpCase p(OpKind::kSelect);
  p.attr("auto_broadcast", "pdpd").attr("auto_broadcast.auto_broadcast_axis", "0");
  p.in(bools({2, 1}, {1, 0})).in(i64({2, 3}, {1, 2, 3, 4, 5, 6})).in(i64({2}, {-1, -2}));
  expect_ints(run(p), ET::kI64, {2, 3}, {1, 2, 3, -2, -2, -2});
  // pdpd default axis: right-aligned.
  OpCase q(OpKind::kSelect);
  q.attr("auto_broadcast", "pdpd").attr("auto_broadcast.auto_broadcast_axis", "-1");
  q.in(bools({3}, {1, 0, 1})).in(i64({2, 3}, {1, 2, 3, 4, 5, 6})).in(i64({3}, {-1, -2, -3}));
  expect_ints(run(q), ET::kI64, {2, 3}, {1, -2, 3, 4, -2, 6});
  OpCase bad(OpKind::kSelect);
  bad.attr("auto_broadcast", "pdpd")
      .in(bools({2, 3}, {1, 0, 1, 0, 1, 0}))
      .in(i64({3}, {1, 2, 3}))
      .in(i64({3}, {4, 5, 6}));
  EXPECT_THROW(run(bad), Error);  // cond does not fit onto then
}

TEST(ReferenceRound, TiesAndTheCpuDepartures) {
  // 0.49999997 and 8388609 are not ties: both modes keep them (OpenVINO's CPU half_away_from_zero
  // computes floor(x + 0.5) and gives 1 and 8388610).
  const std::vector<float> x = {-2.5f,       -1.5f,      -0.5f, 0.5f, 1.5f, 2.5f,
                                0.49999997f, 8388609.0f, -0.0f, kNaN, kInf};
  OpCase even(OpKind::kRound, 5);
  even.attr("mode", "half_to_even").in(f32({11}, x));
  expect_floats(run(even), {11}, {-2, -2, -0.0f, 0, 2, 2, 0, 8388609, -0.0f, kNaN, kInf});
  EXPECT_TRUE(std::signbit(run(even).to_float_vector()[2]));  // -0.5 rounds to -0
  OpCase away(OpKind::kRound, 5);
  away.attr("mode", "half_away_from_zero").in(f32({11}, x));
  expect_floats(run(away), {11}, {-3, -2, -1, 1, 2, 3, 0, 8388609, -0.0f, kNaN, kInf});
  OpCase ints(OpKind::kRound, 5);
  ints.in(i32({3}, {-7, 0, 7}));
  expect_ints(run(ints), ET::kI32, {3}, {-7, 0, 7});
}

TEST(ReferenceUnaryMath, DomainEdgesGiveInfAndNaN) {
  expect_floats(unary(OpKind::kLog, f32({4}, {0.0f, -0.0f, -1.0f, kInf})), {4}, {-kInf, -kInf, kNaN, kInf});
  expect_floats(unary(OpKind::kAsin, f32({2}, {2.0f, -1.0f})), {2}, {kNaN, -1.5707963268f});
  expect_floats(unary(OpKind::kAcos, f32({2}, {-1.5f, -1.0f})), {2}, {kNaN, 3.1415926536f});
  expect_floats(unary(OpKind::kAcosh, f32({2}, {0.5f, 1.0f}), 4), {2}, {kNaN, 0});
  expect_floats(unary(OpKind::kAtanh, f32({3}, {1.0f, -1.0f, 2.0f}), 4), {3}, {kInf, -kInf, kNaN});
  expect_floats(unary(OpKind::kSinh, f32({2}, {100.0f, -100.0f})), {2}, {kInf, -kInf});  // overflows f32
  expect_floats(unary(OpKind::kSign, f32({5}, {kNaN, -0.0f, 0.0f, -kInf, 1e-45f})), {5}, {kNaN, 0, 0, -1, 1});
  expect_floats(unary(OpKind::kAbs, f32({2}, {-kInf, kNaN})), {2}, {kInf, kNaN});
  expect_floats(unary(OpKind::kFloor, f32({3}, {-0.5f, kInf, kNaN})), {3}, {-1, kInf, kNaN});
  expect_floats(unary(OpKind::kCeiling, f32({2}, {-0.5f, 1e-45f})), {2}, {-0.0f, 1});
}

TEST(ReferenceUnaryMath, ClosedForms) {
  expect_floats(unary(OpKind::kSin, f32({2}, {0.5f, -2.0f})), {2}, {0.4794255386f, -0.9092974268f}, 1e-7f);
  expect_floats(unary(OpKind::kCos, f32({1}, {2.0f})), {1}, {-0.4161468365f}, 1e-7f);
  expect_floats(unary(OpKind::kTan, f32({1}, {1.0f})), {1}, {1.5574077247f}, 2e-7f);
  expect_floats(unary(OpKind::kAtan, f32({1}, {-3.0f})), {1}, {-1.2490457724f}, 2e-7f);
  expect_floats(unary(OpKind::kCosh, f32({1}, {2.0f})), {1}, {3.7621956911f}, 4e-7f);
  expect_floats(unary(OpKind::kAsinh, f32({1}, {2.0f}), 4), {1}, {1.4436354752f}, 2e-7f);
  expect_floats(unary(OpKind::kAtanh, f32({1}, {0.5f}), 4), {1}, {0.5493061443f}, 1e-7f);
  // SoftPlus: log(1 + e^x); e^-100 survives as an f32 denormal, large x is linear.
  expect_floats(unary(OpKind::kSoftPlus, f32({4}, {0.0f, 1.0f, -100.0f, 100.0f}), 4), {4},
                {0.6931471806f, 1.3132616875f, 3.720076e-44f, 100.0f}, 1e-7f);
  expect_floats(unary(OpKind::kMish, f32({3}, {1.0f, -1.0f, 50.0f}), 4), {3},
                {0.8650983882f, -0.3034014613f, 50.0f}, 1e-7f);
  expect_floats(unary(OpKind::kSoftSign, f32({3}, {3.0f, -1.0f, 0.0f}), 9), {3}, {0.75f, -0.5f, 0.0f});
  OpCase selu(OpKind::kSelu);
  selu.in(f32({3}, {-1.0f, 0.0f, 2.0f})).in(f32({1}, {2.0f})).in(f32({1}, {3.0f}));
  expect_floats(run(selu), {3}, {3.0f * 2.0f * (0.3678794412f - 1.0f), 0.0f, 6.0f}, 1e-6f);
  OpCase hs(OpKind::kHardSigmoid);
  hs.in(f32({4}, {-5.0f, 0.0f, 1.0f, 5.0f})).in(f32({}, {0.2f})).in(f32({}, {0.5f}));
  expect_floats(run(hs), {4}, {0.0f, 0.5f, 0.7f, 1.0f}, 1e-7f);
}

TEST(ReferenceUnaryMath, IntegerInputs) {
  // Exact ones wrap: |INT32_MIN| and -INT32_MIN are INT32_MIN again.
  const int64_t kMin32 = std::numeric_limits<int32_t>::min();
  expect_ints(unary(OpKind::kAbs, i32({3}, {kMin32, -5, 7})), ET::kI32, {3}, {kMin32, 5, 7});
  expect_ints(unary(OpKind::kNegative, i32({3}, {kMin32, -5, 7})), ET::kI32, {3}, {kMin32, 5, -7});
  expect_ints(unary(OpKind::kSign, i64({3}, {-(int64_t{1} << 40), 0, 7})), ET::kI64, {3}, {-1, 0, 1});
  expect_ints(unary(OpKind::kSign, test::ints(ET::kU8, {2}, {0, 200})), ET::kU8, {2}, {0, 1});
  expect_ints(unary(OpKind::kAbs, test::ints(ET::kU8, {2}, {0, 200})), ET::kU8, {2}, {0, 200});
  // Transcendentals round half away from zero: sin 2 = 0.909 -> 1, cos 2 = -0.416 -> 0, sinh 6 = 201.7 ->
  // 202.
  expect_ints(unary(OpKind::kSin, i32({3}, {2, -2, 3})), ET::kI32, {3}, {1, -1, 0});
  expect_ints(unary(OpKind::kCos, i32({2}, {2, 3})), ET::kI32, {2}, {0, -1});
  expect_ints(unary(OpKind::kSinh, i64({2}, {6, -6})), ET::kI64, {2}, {202, -202});
  expect_ints(unary(OpKind::kLog, i32({3}, {1, 7, 1000})), ET::kI32, {3}, {0, 2, 7});
  // Out of range saturates; NaN gives 0; -inf gives the minimum.
  const int64_t kMax32 = std::numeric_limits<int32_t>::max();
  expect_ints(unary(OpKind::kSinh, i32({2}, {30, -30})), ET::kI32, {2}, {kMax32, kMin32});
  expect_ints(unary(OpKind::kCosh, test::ints(ET::kU8, {2}, {10, 3})), ET::kU8, {2}, {255, 10});
  expect_ints(unary(OpKind::kAsin, i32({3}, {2, 1, -1})), ET::kI32, {3}, {0, 2, -2});
  expect_ints(unary(OpKind::kLog, i32({2}, {0, -1})), ET::kI32, {2}, {kMin32, 0});
  // Negative on an unsigned type is not defined (spec: signed types).
  EXPECT_THROW(unary(OpKind::kNegative, test::ints(ET::kU8, {1}, {1})), Error);
  EXPECT_THROW(unary(OpKind::kMish, i32({1}, {1}), 4), Error);
}

TEST(ReferenceMod, SignRulesAndExactFloats) {
  const Tensor a = i32({6}, {7, -7, 7, -7, 0, 6});
  const Tensor b = i32({6}, {3, 3, -3, -3, 4, -3});
  expect_ints(binary(OpKind::kMod, a, b), ET::kI32, {6}, {1, -1, 1, -1, 0, 0});
  expect_ints(binary(OpKind::kFloorMod, a, b), ET::kI32, {6}, {1, 2, -2, -1, 0, 0});
  const Tensor x = f32({5}, {7.5f, -7.5f, 7.5f, -7.5f, 1e8f});
  const Tensor y = f32({5}, {2.0f, 2.0f, -2.0f, -2.0f, 3.0f});
  expect_floats(binary(OpKind::kMod, x, y), {5}, {1.5f, -1.5f, 1.5f, -1.5f, 1.0f});
  // 1e8 mod 3 = 1 exactly (OpenVINO's CPU divides in f32 and gets 0).
  expect_floats(binary(OpKind::kFloorMod, x, y), {5}, {1.5f, 0.5f, -0.5f, -1.5f, 1.0f});
  // 0.3f mod 0.1f: the exact remainder of the two f32 values; 0.3f / 0.1f = 3.00000007, so
  // 0.3f - 3 * 0.1f = 7.45e-9 (OpenVINO's CPU gets 0 by dividing in f32).
  const float r = static_cast<float>(static_cast<double>(0.3f) - 3.0 * static_cast<double>(0.1f));
  EXPECT_GT(r, 7e-9f);
  EXPECT_LT(r, 8e-9f);
  expect_floats(binary(OpKind::kMod, f32({1}, {0.3f}), f32({1}, {0.1f})), {1}, {r});
  expect_floats(binary(OpKind::kFloorMod, f32({1}, {-0.3f}), f32({1}, {0.1f})), {1},
                {static_cast<float>(0.1f - static_cast<double>(r))});
  // Wide integers are exact; INT64_MIN % -1 is 0; u64 stays unsigned.
  const int64_t kMin64 = std::numeric_limits<int64_t>::min();
  expect_ints(binary(OpKind::kFloorMod, i64({3}, {kMin64, (int64_t{1} << 62) + 1, -7}),
                     i64({3}, {-1, 2, kMin64 + 1})),
              ET::kI64, {3}, {0, 1, -7});
  expect_floats(binary(OpKind::kFloorMod, f32({1}, {-7.0f}), f32({1}, {kInf})), {1}, {kInf});
  const Tensor m = binary(OpKind::kMod, u64({1}, {(uint64_t{1} << 63) + 5}), u64({1}, {10}));
  EXPECT_EQ(m.data_as<uint64_t>()[0], ((uint64_t{1} << 63) + 5) % 10);
  // Integer modulo by zero is undefined by the spec; octet refuses it.
  try {
    binary(OpKind::kFloorMod, i32({2}, {1, 2}), i32({2}, {1, 0}));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
  }
}

TEST(ReferenceBitwise, OpsAndShiftCorners) {
  const Tensor a = test::ints(ET::kU8, {3}, {0b1100, 0xF0, 255});
  const Tensor b = test::ints(ET::kU8, {3}, {0b1010, 0x0F, 1});
  expect_ints(binary(OpKind::kBitwiseAnd, a, b, 13), ET::kU8, {3}, {0b1000, 0, 1});
  expect_ints(binary(OpKind::kBitwiseOr, a, b, 13), ET::kU8, {3}, {0b1110, 255, 255});
  expect_ints(binary(OpKind::kBitwiseXor, a, b, 13), ET::kU8, {3}, {0b0110, 255, 254});
  expect_ints(unary(OpKind::kBitwiseNot, a, 13), ET::kU8, {3}, {0xF3, 0x0F, 0});
  expect_ints(unary(OpKind::kBitwiseNot, i32({2}, {0, -6}), 13), ET::kI32, {2}, {-1, 5});
  expect_ints(unary(OpKind::kBitwiseNot, bools({2}, {0, 1}), 13), ET::kBoolean, {2}, {1, 0});
  expect_ints(binary(OpKind::kBitwiseXor, bools({2}, {1, 1}), bools({2}, {0, 1}), 13), ET::kBoolean, {2},
              {1, 0});
  // Shifts: wide i64 exact; signed right shift is arithmetic; counts outside [0, bits) shift
  // everything out (octet's choice where the spec leaves it undefined).
  expect_ints(binary(OpKind::kBitwiseLeftShift, i64({3}, {1, -3, 1}), i64({3}, {40, 2, 63}), 15), ET::kI64,
              {3}, {int64_t{1} << 40, -12, std::numeric_limits<int64_t>::min()});
  expect_ints(binary(OpKind::kBitwiseLeftShift, i32({4}, {1, 7, 7, 3}), i32({4}, {31, 32, -1, 30}), 15),
              ET::kI32, {4}, {std::numeric_limits<int32_t>::min(), 0, 0, -1073741824});
  expect_ints(binary(OpKind::kBitwiseRightShift, i32({4}, {-64, -1, -5, 5}), i32({4}, {2, 31, 32, 40}), 15),
              ET::kI32, {4}, {-16, -1, -1, 0});
  expect_ints(binary(OpKind::kBitwiseRightShift, test::ints(ET::kU8, {3}, {200, 255, 128}),
                     test::ints(ET::kU8, {3}, {2, 8, 7}), 15),
              ET::kU8, {3}, {50, 0, 1});
  const Tensor big = binary(OpKind::kBitwiseRightShift, u64({1}, {~uint64_t{0}}), u64({1}, {60}), 15);
  EXPECT_EQ(big.data_as<uint64_t>()[0], 15u);  // logical for u64
}

TEST(ReferenceClassify, IsNaNIsInfIsFinite) {
  const std::vector<float> v = {kNaN, kInf, -kInf, 0.0f, -1e-45f, 3.4e38f};
  expect_ints(unary(OpKind::kIsNaN, f32({6}, v), 10), ET::kBoolean, {6}, {1, 0, 0, 0, 0, 0});
  expect_ints(unary(OpKind::kIsFinite, f32({6}, v), 10), ET::kBoolean, {6}, {0, 0, 0, 1, 1, 1});
  expect_ints(unary(OpKind::kIsInf, f32({6}, v), 10), ET::kBoolean, {6}, {0, 1, 1, 0, 0, 0});
  OpCase neg(OpKind::kIsInf, 10);
  neg.attr("detect_positive", "false").in(f32({6}, v));
  expect_ints(run(neg), ET::kBoolean, {6}, {0, 0, 1, 0, 0, 0});
  OpCase pos(OpKind::kIsInf, 10);
  pos.attr("detect_negative", "false").in(f32({6}, v));
  expect_ints(run(pos), ET::kBoolean, {6}, {0, 1, 0, 0, 0, 0});
  // f16: 65504 is finite, 1e5 overflows to inf.
  expect_ints(unary(OpKind::kIsInf, f16({3}, {65504.0f, 1e5f, kNaN}), 10), ET::kBoolean, {3}, {0, 1, 0});
  expect_ints(unary(OpKind::kIsNaN, f16({3}, {65504.0f, 1e5f, kNaN}), 10), ET::kBoolean, {3}, {0, 0, 1});
}

TEST(ReferenceConvertLike, FollowsConvert) {
  // Float -> integer saturates then truncates (Convert-1, ir-spec 3); -> boolean is != 0.
  expect_ints(
      binary(OpKind::kConvertLike, f32({4}, {-1.7f, 2.5f, 300.2f, -0.0f}), test::ints(ET::kU8, {1}, {0})),
      ET::kU8, {4}, {0, 2, 255, 0});
  expect_ints(binary(OpKind::kConvertLike, f32({3}, {-2.7f, 0.5f, 0.0f}), bools({}, {1})), ET::kBoolean, {3},
              {1, 1, 0});
  expect_floats(binary(OpKind::kConvertLike, i32({2}, {16777217, -3}), f32({}, {0})), {2},
                {16777216.0f, -3.0f});
}

}  // namespace
}  // namespace octet
