// Hand-computed data-movement cases: Gather (negative, out-of-range, batch_dims), StridedSlice
// masks, Slice, Pad modes, Concat, Transpose, Split, Broadcast, Reshape, Squeeze/Unsqueeze, ShapeOf.
#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::expect_ints;
using test::f32;
using test::i64;
using test::OpCase;

std::vector<float> iota(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i);
  return v;
}

TEST(ReferenceGather, NegativeAndOutOfRangeIndices) {
  OpCase c(OpKind::kGather, 8);
  c.in(f32({3, 2}, {1, 2, 3, 4, 5, 6})).in(i64({4}, {2, -1, 3, -4})).in(i64({}, {0}));
  expect_floats(c.run1(), {4, 2}, {5, 6, 5, 6, 0, 0, 0, 0});
}

TEST(ReferenceGather, AxisOneAndBatchDims) {
  OpCase a(OpKind::kGather, 8);
  a.in(f32({3, 2}, {1, 2, 3, 4, 5, 6})).in(i64({1}, {1})).in(i64({1}, {-1}));
  expect_floats(a.run1(), {3, 1}, {2, 4, 6});
  OpCase b(OpKind::kGather, 8);
  b.attr("batch_dims", "1")
      .in(f32({2, 3}, {1, 2, 3, 4, 5, 6}))
      .in(i64({2, 2}, {0, 2, 1, 1}))
      .in(i64({}, {1}));
  expect_floats(b.run1(), {2, 2}, {1, 3, 5, 5});
  OpCase s(OpKind::kGather, 8);  // scalar index drops the axis; integer data
  s.in(i64({3}, {7, 8, 9})).in(i64({}, {1})).in(i64({}, {0}));
  expect_ints(s.run1(), ElementType::kI64, {}, {8});
}

OpCase strided(Tensor x, std::vector<int64_t> b, std::vector<int64_t> e, std::vector<int64_t> s) {
  OpCase c(OpKind::kStridedSlice);
  const Dims n = {static_cast<int64_t>(b.size())};
  c.in(std::move(x)).in(i64(n, b)).in(i64(n, e)).in(i64(n, s));
  c.attr("begin_mask", "0,0").attr("end_mask", "0,0");
  return c;
}

TEST(ReferenceStridedSlice, PlainAndClamped) {
  expect_floats(strided(f32({3, 4}, iota(12)), {0, 1}, {2, 3}, {1, 1}).run1(), {2, 2}, {1, 2, 5, 6});
  expect_floats(strided(f32({3, 4}, iota(12)), {0, -100}, {3, 100}, {2, 3}).run1(), {2, 2}, {0, 3, 8, 11});
  expect_floats(strided(f32({3, 4}, iota(12)), {1, 0}, {1, 4}, {1, 1}).run1(), {0, 4}, {});
}

TEST(ReferenceStridedSlice, NegativeStrideWithMasks) {
  auto c = strided(f32({3, 4}, iota(12)), {-1, 0}, {0, 0}, {-1, 1});
  c.attr("begin_mask", "0,1").attr("end_mask", "1,1");
  expect_floats(c.run1(), {3, 4}, {8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3});
  auto d = strided(f32({5}, iota(5)), {-2}, {0}, {-2});  // 3, 1 (end exclusive)
  d.attr("begin_mask", "0").attr("end_mask", "0");
  expect_floats(d.run1(), {2}, {3, 1});
}

TEST(ReferenceStridedSlice, ShrinkNewAxisEllipsis) {
  auto shrink = strided(f32({3, 4}, iota(12)), {1, 0}, {2, 0}, {1, 1});
  shrink.attr("shrink_axis_mask", "1,0").attr("begin_mask", "0,1").attr("end_mask", "0,1");
  expect_floats(shrink.run1(), {4}, {4, 5, 6, 7});
  auto neg_shrink = strided(f32({3, 4}, iota(12)), {0, -1}, {0, 0}, {1, 1});
  neg_shrink.attr("shrink_axis_mask", "0,1").attr("begin_mask", "1,0").attr("end_mask", "1,0");
  expect_floats(neg_shrink.run1(), {3}, {3, 7, 11});
  auto axis = strided(f32({3, 4}, iota(12)), {0, 0}, {0, 0}, {1, 1});
  axis.attr("new_axis_mask", "1,0").attr("begin_mask", "0,1").attr("end_mask", "0,1");
  expect_floats(axis.run1(), {1, 3, 4}, iota(12));
  auto ell = strided(f32({2, 3, 4}, iota(24)), {0, 1}, {0, 3}, {1, 1});
  ell.attr("ellipsis_mask", "1,0");
  std::vector<float> want;
  for (int r = 0; r < 6; ++r) want.insert(want.end(), {4.0f * r + 1, 4.0f * r + 2});
  expect_floats(ell.run1(), {2, 3, 2}, want);
}

TEST(ReferenceSlice, AxesStepsAndHugeBounds) {
  OpCase c(OpKind::kSlice, 8);
  c.in(f32({3, 4}, iota(12)))
      .in(i64({2}, {-1, 1}))
      .in(i64({2}, {INT64_MIN, INT64_MAX}))
      .in(i64({2}, {-2, 2}));
  c.in(i64({2}, {0, 1}));
  expect_floats(c.run1(), {2, 2}, {9, 11, 1, 3});
}

OpCase pad(const char* mode, std::vector<int64_t> pb, std::vector<int64_t> pe, int version = 12) {
  OpCase c(OpKind::kPad, version);
  c.attr("pad_mode", mode).in(f32({2, 3}, {1, 2, 3, 4, 5, 6})).in(i64({2}, pb)).in(i64({2}, pe));
  return c;
}

TEST(ReferencePad, AllModesAndNegativePads) {
  auto k = pad("constant", {0, 2}, {0, 1});
  k.in(f32({}, {9}));
  expect_floats(k.run1(), {2, 6}, {9, 9, 1, 2, 3, 9, 9, 9, 4, 5, 6, 9});
  expect_floats(pad("constant", {1, 0}, {0, 0}).run1(), {3, 3}, {0, 0, 0, 1, 2, 3, 4, 5, 6});
  expect_floats(pad("edge", {0, 2}, {0, 1}).run1(), {2, 6}, {1, 1, 1, 2, 3, 3, 4, 4, 4, 5, 6, 6});
  expect_floats(pad("reflect", {0, 2}, {0, 1}).run1(), {2, 6}, {3, 2, 1, 2, 3, 2, 6, 5, 4, 5, 6, 5});
  expect_floats(pad("symmetric", {0, 2}, {0, 1}).run1(), {2, 6}, {2, 1, 1, 2, 3, 3, 5, 4, 4, 5, 6, 6});
  expect_floats(pad("constant", {0, -1}, {0, 0}).run1(), {2, 2}, {2, 3, 5, 6});
  EXPECT_THROW(pad("constant", {0, -1}, {0, 0}, 1).run(), Error);
}

TEST(ReferenceConcat, NegativeAxis) {
  OpCase c(OpKind::kConcat);
  c.attr("axis", "-1").in(f32({2, 1}, {1, 2})).in(f32({2, 2}, {3, 4, 5, 6}));
  expect_floats(c.run1(), {2, 3}, {1, 3, 4, 2, 5, 6});
}

TEST(ReferenceTranspose, OrderAndEmptyOrder) {
  OpCase c(OpKind::kTranspose);
  c.in(f32({2, 3}, iota(6))).in(i64({2}, {1, 0}));
  expect_floats(c.run1(), {3, 2}, {0, 3, 1, 4, 2, 5});
  OpCase d(OpKind::kTranspose);
  d.in(f32({1, 2, 3}, iota(6))).in(i64({0}, {}));
  expect_floats(d.run1(), {3, 2, 1}, {0, 3, 1, 4, 2, 5});
  OpCase e(OpKind::kTranspose);
  e.in(f32({2, 1, 3}, iota(6))).in(i64({3}, {2, 0, 1}));
  expect_floats(e.run1(), {3, 2, 1}, {0, 3, 1, 4, 2, 5});
}

TEST(ReferenceSplit, EvenAndVariadic) {
  OpCase s(OpKind::kSplit);
  s.attr("num_splits", "2").in(f32({2, 4}, iota(8))).in(i64({}, {1}));
  auto out = s.run();
  ASSERT_EQ(out.size(), 2u);
  expect_floats(out[0], {2, 2}, {0, 1, 4, 5});
  expect_floats(out[1], {2, 2}, {2, 3, 6, 7});
  OpCase v(OpKind::kVariadicSplit);
  v.in(f32({2, 4}, iota(8))).in(i64({}, {-1})).in(i64({3}, {1, -1, 0}));
  out = v.run();
  ASSERT_EQ(out.size(), 3u);
  expect_floats(out[0], {2, 1}, {0, 4});
  expect_floats(out[1], {2, 3}, {1, 2, 3, 5, 6, 7});
  expect_floats(out[2], {2, 0}, {});
}

TEST(ReferenceBroadcast, NumpyBidirectionalExplicit) {
  OpCase n(OpKind::kBroadcast, 3);
  n.attr("mode", "numpy").in(f32({3}, {1, 2, 3})).in(i64({2}, {2, 3}));
  expect_floats(n.run1(), {2, 3}, {1, 2, 3, 1, 2, 3});
  OpCase b(OpKind::kBroadcast, 3);
  b.attr("mode", "bidirectional").in(f32({2, 1}, {1, 2})).in(i64({1}, {3}));
  expect_floats(b.run1(), {2, 3}, {1, 1, 1, 2, 2, 2});
  OpCase e(OpKind::kBroadcast, 3);
  e.attr("mode", "explicit").in(f32({2}, {1, 2})).in(i64({2}, {2, 3})).in(i64({1}, {0}));
  expect_floats(e.run1(), {2, 3}, {1, 1, 1, 2, 2, 2});
}

// pdpd: the data's dims (trailing 1s dropped) line up with the target's from `axis` on.
TEST(ReferenceBroadcast, PdpdAtAxis) {
  OpCase p(OpKind::kBroadcast, 3);
  p.attr("mode", "pdpd").attr("axis", "1").in(f32({3}, {1, 2, 3})).in(i64({3}, {2, 3, 2}));
  expect_floats(p.run1(), {2, 3, 2}, {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3});
  OpCase right(OpKind::kBroadcast, 3);  // no axis: aligned to the right, as numpy
  right.attr("mode", "pdpd").in(f32({2}, {1, 2})).in(i64({2}, {3, 2}));
  expect_floats(right.run1(), {3, 2}, {1, 2, 1, 2, 1, 2});
  OpCase bad(OpKind::kBroadcast, 3);
  bad.attr("mode", "pdpd").attr("axis", "2").in(f32({3}, {1, 2, 3})).in(i64({3}, {2, 3, 2}));
  EXPECT_THROW(bad.run(), Error);
}

// Broadcast-1 as OpenVINO serialises it: explicit mode spelled "none".
TEST(ReferenceBroadcast, Opset1NoneMeansExplicit) {
  OpCase e(OpKind::kBroadcast, 1);
  e.attr("mode", "none").in(f32({2}, {1, 2})).in(i64({2}, {3, 2})).in(i64({1}, {1}));
  expect_floats(e.run1(), {3, 2}, {1, 2, 1, 2, 1, 2});
}

TEST(ReferenceShapeOps, ReshapeSqueezeUnsqueezeShapeOf) {
  OpCase r(OpKind::kReshape);
  r.attr("special_zero", "true").in(f32({2, 3, 4}, iota(24))).in(i64({2}, {0, -1}));
  expect_floats(r.run1(), {2, 12}, iota(24));
  OpCase r0(OpKind::kReshape);
  r0.attr("special_zero", "false").in(f32({0, 3}, {})).in(i64({2}, {3, 0}));
  expect_floats(r0.run1(), {3, 0}, {});
  OpCase sq(OpKind::kSqueeze);
  sq.in(f32({1, 2, 1}, {1, 2}));
  expect_floats(sq.run1(), {2}, {1, 2});
  OpCase sq_axis(OpKind::kSqueeze);
  sq_axis.in(f32({1, 2, 1}, {1, 2})).in(i64({1}, {-1}));
  expect_floats(sq_axis.run1(), {1, 2}, {1, 2});
  OpCase un(OpKind::kUnsqueeze);
  un.in(f32({2}, {1, 2})).in(i64({2}, {0, -1}));
  expect_floats(un.run1(), {1, 2, 1}, {1, 2});
  OpCase so(OpKind::kShapeOf, 3);
  so.attr("output_type", "i32").in(f32({2, 0, 5}, {}));
  expect_ints(so.run1(), ElementType::kI32, {3}, {2, 0, 5});
}

}  // namespace
}  // namespace octet
