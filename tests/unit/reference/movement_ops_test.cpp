// Reference data movement and generator ops (issue 11, family F3a) on corners the OpenVINO-generated
// zoo cases cannot hold: element types OpenVINO's CPU plugin converts or refuses (bit patterns must
// survive), cases it refuses, and where its CPU plugin departs from the spec. Expectations are
// hand-computed from the OpenVINO op specifications or computed independently in the test.
#include <cstring>

#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace test {
namespace {

using ET = ElementType;

std::vector<float> iota(int n, float from = 0) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = from + static_cast<float>(i);
  return v;
}

// A tensor of `type` whose element i holds the bytes of `pattern(i)`, to check bit-exact movement.
Tensor patterned(ET type, const Dims& shape) {
  Tensor t(type, shape);
  auto* b = static_cast<uint8_t*>(t.data());
  for (size_t i = 0; i < t.byte_size(); ++i) b[i] = static_cast<uint8_t>(0x9D * i + 0x31);
  return t;
}

// Element `i` of `t` as raw bytes.
std::vector<uint8_t> element_bytes(const Tensor& t, int64_t i) {
  const size_t w = t.byte_size() / static_cast<size_t>(t.element_count());
  const auto* b = static_cast<const uint8_t*>(t.data()) + static_cast<size_t>(i) * w;
  return {b, b + w};
}

TEST(ReferenceMovementOps, ReverseAndTileMoveEveryByteTypeBitExactly) {
  // Flipping both axes of a [2, 3] tensor maps element i to 5 - i; tiling [1, 2] by [2, 1] repeats rows.
  for (ET type : {ET::kU8, ET::kI16, ET::kU16, ET::kBF16, ET::kF16, ET::kU32, ET::kF32, ET::kU64, ET::kF64,
                  ET::kBoolean}) {
    SCOPED_TRACE(element_type_name(type));
    const Tensor x = patterned(type, {2, 3});
    OpCase rev(OpKind::kReverse);
    rev.attr("mode", "index").in(x).in(i64({2}, {0, -1}));
    const Tensor r = rev.run1();
    ASSERT_EQ(r.type(), type);
    for (int64_t i = 0; i < 6; ++i) EXPECT_EQ(element_bytes(r, i), element_bytes(x, 5 - i)) << i;
    OpCase tile(OpKind::kTile);
    tile.in(x).in(i64({3}, {2, 1, 1}));
    const Tensor t = tile.run1();
    ASSERT_EQ(to_string(t.shape()), "[2,2,3]");
    for (int64_t i = 0; i < 12; ++i) EXPECT_EQ(element_bytes(t, i), element_bytes(x, i % 6)) << i;
  }
}

TEST(ReferenceMovementOps, NaNPayloadsAndSignedZerosSurviveDepthToSpace) {
  Tensor x(ET::kF32, {1, 4, 1, 1});
  const uint32_t bits[4] = {0x7fc01234u, 0x80000000u, 0xff800001u, 0x00000001u};  // qNaN, -0, sNaN, denormal
  std::memcpy(x.data(), bits, sizeof(bits));
  OpCase d2s(OpKind::kDepthToSpace);
  d2s.attr("mode", "depth_first").attr("block_size", "2").in(x);
  const Tensor y = d2s.run1();
  ASSERT_EQ(to_string(y.shape()), "[1,1,2,2]");
  // depth_first with one output channel: channel c*4 + (b1*2 + b2) lands at (b1, b2).
  EXPECT_EQ(std::memcmp(y.data(), bits, sizeof(bits)), 0);
}

TEST(ReferenceMovementOps, RollScalarShiftOverSeveralAxes) {
  // OpenVINO's CPU plugin refuses a scalar shift with two axes; the spec applies it to each axis:
  // [[0,1,2],[3,4,5]] rolled by 1 on axis 0 then axis 1 is [[5,3,4],[2,0,1]].
  OpCase roll(OpKind::kRoll, 7);
  roll.in(f32({2, 3}, iota(6))).in(i64({}, {1})).in(i64({2}, {0, 1}));
  expect_floats(roll.run1(), {2, 3}, {5, 3, 4, 2, 0, 1});
}

TEST(ReferenceMovementOps, ShuffleChannelsAndSpaceToBatchByHand) {
  OpCase sc(OpKind::kShuffleChannels);
  sc.attr("axis", "0").attr("group", "3").in(i32({6}, {0, 1, 2, 3, 4, 5}));
  // [3 groups x 2] transposed to [2 x 3]: 0 2 4 1 3 5.
  expect_ints(sc.run1(), ET::kI32, {6}, {0, 2, 4, 1, 3, 5});
  // SpaceToBatch of [1,1,3] with block 2 and pads 1/0: padded [0,a,b,c] splits into batches of even
  // and odd positions: [0,b] and [a,c]; the pad is zero in the data's type.
  OpCase s2b(OpKind::kSpaceToBatch, 2);
  s2b.in(ints(ET::kI8, {1, 1, 3}, {-7, 8, -9}))
      .in(i64({3}, {1, 1, 2}))
      .in(i64({3}, {0, 0, 1}))
      .in(i64({3}, {0, 0, 0}));
  expect_ints(s2b.run1(), ET::kI8, {2, 1, 2}, {0, 8, -7, -9});
  // BatchToSpace undoes it, cropping the pad again.
  OpCase b2s(OpKind::kBatchToSpace, 2);
  b2s.in(ints(ET::kI8, {2, 1, 2}, {0, 8, -7, -9}))
      .in(i64({3}, {1, 1, 2}))
      .in(i64({3}, {0, 0, 1}))
      .in(i64({3}, {0, 0, 0}));
  expect_ints(b2s.run1(), ET::kI8, {1, 1, 3}, {-7, 8, -9});
}

TEST(ReferenceMovementOps, ReverseSequenceLengths) {
  // Length 0 leaves a sequence as it is (like 1); float lengths are truncated.
  OpCase rs(OpKind::kReverseSequence);
  rs.attr("batch_axis", "0").attr("seq_axis", "1").in(f32({3, 4}, iota(12))).in(f32({3}, {0, 2.9f, 4}));
  expect_floats(rs.run1(), {3, 4}, {0, 1, 2, 3, 5, 4, 6, 7, 11, 10, 9, 8});
  for (float bad : {5.0f, -1.0f}) {
    OpCase e(OpKind::kReverseSequence);
    e.attr("batch_axis", "0").attr("seq_axis", "1").in(f32({3, 4}, iota(12))).in(f32({3}, {1, bad, 1}));
    try {
      e.run1();
      ADD_FAILURE() << "no error for length " << bad;
    } catch (const Error& err) {
      EXPECT_EQ(err.code(), ErrorCode::kModel);
      EXPECT_NE(std::strstr(err.what(), "seq_lengths"), nullptr) << err.what();
    }
  }
}

TEST(ReferenceMovementOps, RangeIntegerOutputWraps) {
  // Range-4 to u8 past 255: six elements (from the double values), each start + i*step in u8.
  OpCase r(OpKind::kRange, 4);
  r.attr("output_type", "u8").in(i32({}, {250})).in(i32({}, {262})).in(i32({}, {2}));
  expect_ints(r.run1(), ET::kU8, {6}, {250, 252, 254, 0, 2, 4});
  // Range-1 in i16 and u32 (types the zoo does not hold).
  OpCase r16(OpKind::kRange, 1);
  Tensor s(ET::kI16, {}), e(ET::kI16, {}), st(ET::kI16, {});
  *s.data_as<int16_t>() = -3;
  *e.data_as<int16_t>() = 4;
  *st.data_as<int16_t>() = 2;
  r16.in(s).in(e).in(st);
  expect_ints(r16.run1(), ET::kI16, {4}, {-3, -1, 1, 3});
}

TEST(ReferenceMovementOps, RangeToF16CastsStartAndStepFirst) {
  // Range-4 from f32 0.1, 2.0, 0.3 to f16: the spec casts the inputs to f16 first; octet then computes
  // in f32 and rounds once. (OpenVINO's CPU plugin keeps the f32 start and step: 1.6 vs 1.6006 at i=5.)
  OpCase r(OpKind::kRange, 4);
  r.attr("output_type", "f16").in(f32({}, {0.1f})).in(f32({}, {2.0f})).in(f32({}, {0.3f}));
  const Tensor y = r.run1();
  const float start = half_to_float(float_to_half(0.1f)), step = half_to_float(float_to_half(0.3f));
  ASSERT_EQ(to_string(y.shape()), "[7]");  // ceil(1.9 / 0.3)
  for (int i = 0; i < 7; ++i) {
    const float want = half_to_float(float_to_half(start + static_cast<float>(i) * step));
    EXPECT_EQ(half_to_float(y.data_as<uint16_t>()[i]), want) << i;
  }
  EXPECT_EQ(y.data_as<uint16_t>()[5], float_to_half(1.6005859375f));
}

TEST(ReferenceMovementOps, EyeAndOneHotCorners) {
  // A diagonal far outside the matrix (no overflow of row + diagonal).
  OpCase eye(OpKind::kEye, 9);
  eye.attr("output_type", "i32").in(i64({}, {2})).in(i64({}, {2})).in(i64({}, {INT64_MAX}));
  expect_ints(eye.run1(), ET::kI32, {2, 2}, {0, 0, 0, 0});
  OpCase eye_b(OpKind::kEye, 9);
  eye_b.attr("output_type", "f64").in(i32({}, {2})).in(i32({}, {3})).in(i32({}, {-1})).in(i32({1}, {2}));
  const Tensor eb = eye_b.run1();
  ASSERT_EQ(to_string(eb.shape()), "[2,2,3]");
  const std::vector<double> want = {0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(eb.data_as<double>()[i], want[i]) << i;
  // u8 indices (OpenVINO's CPU plugin takes only i32/i64): 200 is outside [0, 4).
  OpCase oh(OpKind::kOneHot);
  oh.attr("axis", "0")
      .in(ints(ET::kU8, {3}, {0, 3, 200}))
      .in(i64({}, {4}))
      .in(ints(ET::kI8, {}, {1}))
      .in(ints(ET::kI8, {}, {-1}));
  expect_ints(oh.run1(), ET::kI8, {4, 3}, {1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, -1});
  // OneHot-16 normalize: -2 with depth 2 is 0; -3 stays outside.
  OpCase oh16(OpKind::kOneHot, 16);
  oh16.attr("axis", "-1")
      .attr("negative_indices_mode", "normalize")
      .in(i64({3}, {-2, -3, 1}))
      .in(i32({}, {2}))
      .in(f32({}, {1}))
      .in(f32({}, {0}));
  expect_floats(oh16.run1(), {3, 2}, {1, 0, 0, 0, 0, 1});
}

}  // namespace
}  // namespace test
}  // namespace octet
