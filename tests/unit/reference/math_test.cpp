// Hand-computed elementwise, reduction, Softmax, MVN and Interpolate cases. Transcendental
// expectations are closed forms evaluated independently (Python math module), to 1e-6.
#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::expect_ints;
using test::f32;
using test::i64;
using test::OpCase;

TEST(ReferenceBinary, BroadcastAddAndIntegerDivision) {
  OpCase a(OpKind::kAdd);
  a.in(f32({2, 1}, {10, 20})).in(f32({3}, {1, 2, 3}));
  expect_floats(a.run1(), {2, 3}, {11, 12, 13, 21, 22, 23});
  OpCase d(OpKind::kDivide);
  d.in(i64({4}, {7, -7, 7, -7})).in(i64({4}, {2, 2, -2, -2}));
  expect_ints(d.run1(), ElementType::kI64, {4}, {3, -4, -4, 3});
  d.attr("m_pythondiv", "false");
  expect_ints(d.run1(), ElementType::kI64, {4}, {3, -3, -3, 3});
  OpCase none(OpKind::kAdd);
  none.attr("auto_broadcast", "none").in(f32({2}, {1, 2})).in(f32({1}, {1}));
  EXPECT_THROW(none.run(), Error);
}

// pdpd (ir-spec.md 5): B with its trailing 1s dropped lines up with A's dims from `axis` on
// (-1: rank(A) - rank(B), counted before the drop).
TEST(ReferenceBinary, PdpdBroadcastAtAxis) {
  const std::vector<float> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};  // [2,3,2]
  const std::vector<float> by_channel = {100, 101, 202, 203, 304, 305, 106, 107, 208, 209, 310, 311};
  OpCase at1(OpKind::kAdd);
  at1.attr("auto_broadcast", "pdpd")
      .attr("auto_broadcast.auto_broadcast_axis", "1")
      .in(f32({2, 3, 2}, x))
      .in(f32({3}, {100, 200, 300}));
  expect_floats(at1.run1(), {2, 3, 2}, by_channel);
  OpCase trimmed(OpKind::kAdd);  // [3,1] -> axis 3 - 2 = 1, then [3]
  trimmed.attr("auto_broadcast", "pdpd").in(f32({2, 3, 2}, x)).in(f32({3, 1}, {100, 200, 300}));
  expect_floats(trimmed.run1(), {2, 3, 2}, by_channel);
  OpCase last(OpKind::kSubtract);  // [2] -> axis 2: the innermost dim
  last.attr("auto_broadcast", "pdpd").in(f32({2, 3, 2}, x)).in(f32({2}, {1, 10}));
  expect_floats(last.run1(), {2, 3, 2}, {-1, -9, 1, -7, 3, -5, 5, -3, 7, -1, 9, 1});
  OpCase bad(OpKind::kAdd);  // [3] at axis 2 meets a dim of 2
  bad.attr("auto_broadcast", "pdpd").in(f32({2, 3, 2}, x)).in(f32({3}, {1, 2, 3}));
  EXPECT_THROW(bad.run(), Error);
}

TEST(ReferenceBinary, OtherOps) {
  auto run = [](OpKind op) {
    OpCase c(op);
    c.in(f32({3}, {2, -3, 4})).in(f32({3}, {3, 2, 0.5f}));
    return c.run1();
  };
  expect_floats(run(OpKind::kSubtract), {3}, {-1, -5, 3.5f});
  expect_floats(run(OpKind::kMultiply), {3}, {6, -6, 2});
  expect_floats(run(OpKind::kMaximum), {3}, {3, 2, 4});
  expect_floats(run(OpKind::kMinimum), {3}, {2, -3, 0.5f});
  expect_floats(run(OpKind::kPower), {3}, {8, 9, 2});
  expect_floats(run(OpKind::kSquaredDifference), {3}, {1, 25, 12.25f});
  OpCase i(OpKind::kMultiply);  // i32 wraps
  i.in(test::i32({1}, {65536})).in(test::i32({1}, {65536}));
  expect_ints(i.run1(), ElementType::kI32, {1}, {0});
}

TEST(ReferenceUnary, Activations) {
  auto run = [](OpKind op, std::vector<float> x, int version = 1) {
    OpCase c(op, version);
    c.in(f32({static_cast<int64_t>(x.size())}, x));
    return c;
  };
  expect_floats(run(OpKind::kRelu, {-1, 0, 2}).run1(), {3}, {0, 0, 2});
  auto clamp = run(OpKind::kClamp, {-1, 0.7f, 9});
  clamp.attr("min", "0.5").attr("max", "6");
  expect_floats(clamp.run1(), {3}, {0.5f, 0.7f, 6});
  OpCase iclamp(OpKind::kClamp);
  iclamp.attr("min", "0.5").attr("max", "3.7").in(i64({3}, {-5, 0, 5}));
  expect_ints(iclamp.run1(), ElementType::kI64, {3}, {1, 1, 3});
  expect_floats(run(OpKind::kSigmoid, {0, 1}).run1(), {2}, {0.5f, 0.7310585786f}, 1e-6f);
  expect_floats(run(OpKind::kTanh, {0.5f}).run1(), {1}, {0.4621171573f}, 1e-6f);
  expect_floats(run(OpKind::kExp, {1}).run1(), {1}, {2.7182818285f}, 1e-6f);
  expect_floats(run(OpKind::kSqrt, {4, 2.25f}).run1(), {2}, {2, 1.5f});
  expect_floats(run(OpKind::kErf, {0.5f}).run1(), {1}, {0.5204998778f}, 1e-6f);
  expect_floats(run(OpKind::kHSwish, {-4, 1, 4}).run1(), {3}, {0, 4.0f / 6, 4}, 1e-6f);
  expect_floats(run(OpKind::kHSigmoid, {-4, 0, 4}).run1(), {3}, {0, 0.5f, 1}, 1e-6f);
  auto elu = run(OpKind::kElu, {-1, 2});
  elu.attr("alpha", "1");
  expect_floats(elu.run1(), {2}, {-0.6321205588f, 2}, 1e-6f);
  auto gelu = run(OpKind::kGelu, {1, -0.5f}, 7);
  expect_floats(gelu.run1(), {2}, {0.8413447461f, -0.1542687694f}, 1e-6f);
  gelu.attr("approximation_mode", "tanh");
  expect_floats(gelu.run1(), {2}, {0.8411919906f, -0.1542859902f}, 1e-6f);
  auto swish = run(OpKind::kSwish, {2}, 4);
  expect_floats(swish.run1(), {1}, {1.7615941560f}, 1e-6f);
  swish.in(f32({}, {0.5f}));  // beta 0.5: 2 * sigmoid(1)
  expect_floats(swish.run1(), {1}, {2 * 0.7310585786f}, 1e-6f);
}

TEST(ReferencePRelu, PerChannelSlope) {
  OpCase c(OpKind::kPRelu);
  c.in(f32({1, 2, 2}, {-1, 2, -3, 4})).in(f32({2}, {0.5f, 0.25f}));
  expect_floats(c.run1(), {1, 2, 2}, {-0.5f, 2, -0.75f, 4});
}

TEST(ReferenceReduce, AxesKeepDimsAndIdentity) {
  auto run = [](OpKind op, std::vector<int64_t> axes, bool keep) {
    OpCase c(op);
    c.attr("keep_dims", keep ? "true" : "false");
    c.in(f32({2, 3}, {1, 2, 3, 4, 5, 6})).in(i64({static_cast<int64_t>(axes.size())}, axes));
    return c.run1();
  };
  expect_floats(run(OpKind::kReduceSum, {1}, false), {2}, {6, 15});
  expect_floats(run(OpKind::kReduceMean, {0}, true), {1, 3}, {2.5f, 3.5f, 4.5f});
  expect_floats(run(OpKind::kReduceMax, {-1, 0}, false), {}, {6});
  expect_floats(run(OpKind::kReduceSum, {}, false), {2, 3}, {1, 2, 3, 4, 5, 6});
}

TEST(ReferenceSoftmax, StableAndAxes) {
  OpCase a(OpKind::kSoftmax);
  a.attr("axis", "0").in(f32({3}, {1, 2, 3}));
  expect_floats(a.run1(), {3}, {0.0900305732f, 0.2447284711f, 0.6652409558f}, 1e-7f);
  OpCase big(OpKind::kSoftmax);
  big.attr("axis", "0").in(f32({2}, {1000, 1000}));
  expect_floats(big.run1(), {2}, {0.5f, 0.5f});
  OpCase v8(OpKind::kSoftmax, 8);
  v8.attr("axis", "-2").in(f32({2, 2}, {0, 5, 0, 5}));
  expect_floats(v8.run1(), {2, 2}, {0.5f, 0.5f, 0.5f, 0.5f});
  OpCase v1(OpKind::kSoftmax, 1);
  v1.attr("axis", "-1").in(f32({2}, {0, 0}));
  EXPECT_THROW(v1.run(), Error);
}

TEST(ReferenceMVN, EpsModesAndMeanOnly) {
  auto mvn = [](bool var, const char* eps, const char* mode) {
    OpCase c(OpKind::kMVN, 6);
    c.attr("normalize_variance", var ? "true" : "false").attr("eps", eps).attr("eps_mode", mode);
    c.in(f32({1, 4}, {1, 2, 3, 4})).in(i64({1}, {-1}));
    return c.run1();
  };
  const float inv = 0.894427191f;  // 1/sqrt(1.25)
  expect_floats(mvn(true, "0", "inside_sqrt"), {1, 4}, {-1.5f * inv, -0.5f * inv, 0.5f * inv, 1.5f * inv},
                1e-6f);
  expect_floats(mvn(true, "1", "outside_sqrt"), {1, 4},
                {-0.7082039325f, -0.2360679775f, 0.2360679775f, 0.7082039325f}, 1e-6f);
  expect_floats(mvn(true, "0.75", "inside_sqrt"), {1, 4},
                {-1.06066017f, -0.35355339f, 0.35355339f, 1.06066017f}, 1e-6f);
  expect_floats(mvn(false, "1", "inside_sqrt"), {1, 4}, {-1.5f, -0.5f, 0.5f, 1.5f});
}

OpCase interp(Tensor x, const char* mode, const char* coord, std::vector<int64_t> sizes,
              std::vector<int64_t> axes, const char* nearest = "round_prefer_floor") {
  OpCase c(OpKind::kInterpolate, 11);
  c.attr("mode", mode).attr("shape_calculation_mode", "sizes").attr("coordinate_transformation_mode", coord);
  c.attr("nearest_mode", nearest);
  const Dims n = {static_cast<int64_t>(sizes.size())};
  c.in(std::move(x)).in(i64(n, sizes)).in(i64(n, axes));
  return c;
}

TEST(ReferenceInterpolate, NearestModes) {
  auto up = interp(f32({1, 1, 2, 2}, {1, 2, 3, 4}), "nearest", "asymmetric", {4, 4}, {2, 3}, "floor");
  expect_floats(up.run1(), {1, 1, 4, 4}, {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  const Tensor x = f32({1, 1, 1, 4}, {1, 2, 3, 4});
  // Downsample by 2: half_pixel maps outputs to 0.5 and 2.5 (exact ties).
  expect_floats(interp(x, "nearest", "half_pixel", {2}, {3}).run1(), {1, 1, 1, 2}, {1, 3});
  expect_floats(interp(x, "nearest", "half_pixel", {2}, {3}, "round_prefer_ceil").run1(), {1, 1, 1, 2},
                {2, 4});
  expect_floats(interp(x, "nearest", "half_pixel", {2}, {3}, "simple").run1(), {1, 1, 1, 2}, {2, 4});
  expect_floats(interp(x, "nearest", "tf_half_pixel_for_nn", {2}, {3}, "floor").run1(), {1, 1, 1, 2}, {2, 4});
  expect_floats(interp(x, "nearest", "asymmetric", {2}, {3}, "ceil").run1(), {1, 1, 1, 2}, {1, 3});
}

// Dims outside `axes` keep their index. tf_half_pixel_for_nn maps index x to x + 0.5 at scale 1,
// which round_prefer_ceil would move to x + 1 (channel 0 reading channel 1) if it applied there.
TEST(ReferenceInterpolate, NearestLeavesNonAxisDimsAlone) {
  const Tensor x = f32({1, 2, 1, 2}, {1, 2, 10, 20});
  // W: 2 -> 4, scale 2: (x + 0.5) / 2 = 0.25, 0.75, 1.25, 1.75 -> 0, 1, 1, 2 (clamped to 1).
  expect_floats(interp(x, "nearest", "tf_half_pixel_for_nn", {4}, {3}, "round_prefer_ceil").run1(),
                {1, 2, 1, 4}, {1, 2, 2, 2, 10, 20, 20, 20});
  // W: 2 -> 1, scale 0.5: (0 + 0.5) / 0.5 = 1 -> ceil 1.
  expect_floats(interp(x, "nearest", "tf_half_pixel_for_nn", {1}, {3}, "ceil").run1(), {1, 2, 1, 1}, {2, 20});
}

TEST(ReferenceInterpolate, LinearOnnxLinearAndCubic) {
  const Tensor x = f32({1, 1, 1, 2}, {0, 10});
  expect_floats(interp(x, "linear_onnx", "half_pixel", {1, 4}, {2, 3}).run1(), {1, 1, 1, 4},
                {0, 2.5f, 7.5f, 10});
  expect_floats(interp(x, "linear_onnx", "align_corners", {3}, {3}).run1(), {1, 1, 1, 3}, {0, 5, 10});
  expect_floats(interp(x, "linear", "half_pixel", {1, 4}, {2, 3}).run1(), {1, 1, 1, 4}, {0, 2.5f, 7.5f, 10});
  const auto cubic = interp(f32({1, 1, 1, 4}, {0, 1, 2, 3}), "cubic", "asymmetric", {8}, {3}).run1();
  const auto v = cubic.to_float_vector();
  ASSERT_EQ(v.size(), 8u);
  EXPECT_NEAR(v[0], 0.0f, 1e-6f);
  EXPECT_NEAR(v[1], 0.40625f, 1e-6f);  // Keys a=-0.75 at s=0.5 with the left tap clamped
  EXPECT_NEAR(v[2], 1.0f, 1e-6f);
  EXPECT_NEAR(v[3], 1.5f, 1e-6f);
}

TEST(ReferenceInterpolate, ScalesModeV4) {
  OpCase c(OpKind::kInterpolate, 4);
  c.attr("mode", "nearest")
      .attr("shape_calculation_mode", "scales")
      .attr("coordinate_transformation_mode", "asymmetric");
  c.attr("nearest_mode", "floor");
  c.in(f32({1, 1, 1, 2}, {1, 2})).in(i64({1}, {0})).in(f32({1}, {2.0f})).in(i64({1}, {3}));
  expect_floats(c.run1(), {1, 1, 1, 4}, {1, 1, 2, 2});
}

}  // namespace
}  // namespace octet
