// Hand-computed reference cases of the F2 ops where the zoo has no OpenVINO CPU output to compare
// with: corners the CPU plugin refuses (Reduce* with empty axes, empty reduced dims) or computes
// differently from the op specification (LRN with bias != 1 or axes other than [1] / [2, 3]), plus
// integer wrapping, CumSum's modes, BatchNormInference's per-version input order and MVN-1's
// reduction_axes. Expected values are worked out by hand in the comments.
#include <limits>

#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::expect_ints;
using test::f32;
using test::i32;
using test::i64;
using test::ints;
using test::OpCase;
using Attrs = std::vector<std::pair<std::string, std::string>>;

// One op on the given inputs with its attributes parsed (the evaluators read the typed struct).
Tensor run(OpKind op, int version, std::vector<Tensor> inputs, const Attrs& attrs = {}) {
  OpCase c(op, version);
  for (const auto& [k, v] : attrs) c.attr(k, v);
  for (Tensor& t : inputs) c.in(std::move(t));
  c.node->parse_attributes();
  return c.run1();
}

TEST(ReferenceReduceF2, FloatValues) {
  const Tensor x = f32({2, 3}, {3, -4, 0.5f, -1, 2, 2});
  expect_floats(run(OpKind::kReduceProd, 1, {x, i64({1}, {1})}), {2}, {-6, -4});
  expect_floats(run(OpKind::kReduceMin, 1, {x, i64({1}, {0})}, {{"keep_dims", "true"}}), {1, 3},
                {-1, -4, 0.5f});
  expect_floats(run(OpKind::kReduceL1, 4, {x, i64({1}, {1})}), {2}, {7.5f, 5});
  // sqrt(9 + 16 + 0.25) = 5.024937810560445; sqrt(1 + 4 + 4) = 3
  expect_floats(run(OpKind::kReduceL2, 4, {x, i64({1}, {-1})}), {2}, {5.0249378f, 3}, 1e-6f);
  expect_floats(run(OpKind::kReduceL2, 4, {x, i64({2}, {0, 1})}), {}, {5.8523500f}, 1e-6f);  // sqrt(34.25)
}

TEST(ReferenceReduceF2, EmptyAxesReduceNothing) {
  // The spec calls this the identity; OpenVINO's reference (its constant folding) takes |x| for
  // L1 and sqrt(x^2) = |x| for L2, the reduction of a single element, which octet follows.
  const Tensor x = f32({2, 2}, {-1.5f, 2, 0, -3});
  const Tensor none = i64({0}, {});
  expect_floats(run(OpKind::kReduceProd, 1, {x, none}), {2, 2}, {-1.5f, 2, 0, -3});
  expect_floats(run(OpKind::kReduceMin, 1, {x, none}, {{"keep_dims", "true"}}), {2, 2}, {-1.5f, 2, 0, -3});
  expect_floats(run(OpKind::kReduceL1, 4, {x, none}), {2, 2}, {1.5f, 2, 0, 3});
  expect_floats(run(OpKind::kReduceL2, 4, {x, none}), {2, 2}, {1.5f, 2, 0, 3});
  const Tensor b = ints(ElementType::kBoolean, {3}, {1, 0, 1});
  expect_ints(run(OpKind::kReduceLogicalAnd, 1, {b, none}), ElementType::kBoolean, {3}, {1, 0, 1});
  expect_ints(run(OpKind::kReduceLogicalOr, 1, {b, none}), ElementType::kBoolean, {3}, {1, 0, 1});
}

TEST(ReferenceReduceF2, EmptyReducedDimGivesTheIdentity) {
  const Tensor x = f32({2, 0}, {});
  const Tensor axis = i64({1}, {1});
  expect_floats(run(OpKind::kReduceProd, 1, {x, axis}), {2}, {1, 1});
  expect_floats(run(OpKind::kReduceMin, 1, {x, axis}), {2},
                {std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()});
  expect_floats(run(OpKind::kReduceL2, 4, {x, axis}), {2}, {0, 0});
  expect_ints(run(OpKind::kReduceMin, 1, {i32({2, 0}, {}), axis}), ElementType::kI32, {2},
              {2147483647, 2147483647});
  expect_ints(run(OpKind::kReduceMin, 1, {ints(ElementType::kU8, {1, 0}, {}), axis}), ElementType::kU8, {1},
              {255});
  const Tensor b = ints(ElementType::kBoolean, {2, 0}, {});
  expect_ints(run(OpKind::kReduceLogicalAnd, 1, {b, axis}), ElementType::kBoolean, {2}, {1, 1});
  expect_ints(run(OpKind::kReduceLogicalOr, 1, {b, axis}), ElementType::kBoolean, {2}, {0, 0});
}

TEST(ReferenceReduceF2, IntegersWrapAndTruncate) {
  // 65536 * 65536 = 2^32 wraps to 0 in i32; 16 * 16 = 256 wraps to 0 in u8; i64 keeps it.
  expect_ints(run(OpKind::kReduceProd, 1, {i32({2}, {65536, 65536}), i64({1}, {0})}), ElementType::kI32, {},
              {0});
  expect_ints(run(OpKind::kReduceProd, 1, {ints(ElementType::kU8, {2}, {16, 16}), i64({1}, {0})}),
              ElementType::kU8, {}, {0});
  expect_ints(run(OpKind::kReduceProd, 1, {i64({2}, {65536, 65536}), i64({1}, {0})}), ElementType::kI64, {},
              {4294967296});
  expect_ints(run(OpKind::kReduceMin, 1, {ints(ElementType::kI8, {3}, {5, -128, 7}), i64({1}, {0})}),
              ElementType::kI8, {}, {-128});
  expect_ints(run(OpKind::kReduceL1, 4, {i32({2, 2}, {-3, 4, 5, -6}), i64({1}, {1})}), ElementType::kI32, {2},
              {7, 11});
  // sqrt(1 + 1) = 1.41 -> 1; sqrt(9 + 16) = 5; sqrt(4 + 9 + 36) = 7 (the square root truncated)
  expect_ints(run(OpKind::kReduceL2, 4, {i32({3, 3}, {1, -1, 0, 3, 4, 0, 2, 3, -6}), i64({1}, {1})}),
              ElementType::kI32, {3}, {1, 5, 7});
}

TEST(ReferenceReduceF2, Logical) {
  const Tensor b = ints(ElementType::kBoolean, {2, 3}, {1, 1, 0, 1, 1, 1});
  expect_ints(run(OpKind::kReduceLogicalAnd, 1, {b, i64({1}, {1})}), ElementType::kBoolean, {2}, {0, 1});
  expect_ints(run(OpKind::kReduceLogicalAnd, 1, {b, i64({1}, {0})}, {{"keep_dims", "true"}}),
              ElementType::kBoolean, {1, 3}, {1, 1, 0});
  const Tensor c = ints(ElementType::kBoolean, {2, 2}, {0, 0, 0, 1});
  expect_ints(run(OpKind::kReduceLogicalOr, 1, {c, i64({1}, {-1})}), ElementType::kBoolean, {2}, {0, 1});
}

TEST(ReferenceCumSum, Modes) {
  const Tensor x = f32({4}, {1, 2, 3, 4});
  const Tensor axis = i64({}, {0});
  expect_floats(run(OpKind::kCumSum, 3, {x, axis}), {4}, {1, 3, 6, 10});
  expect_floats(run(OpKind::kCumSum, 3, {x, axis}, {{"exclusive", "true"}}), {4}, {0, 1, 3, 6});
  expect_floats(run(OpKind::kCumSum, 3, {x, axis}, {{"reverse", "true"}}), {4}, {10, 9, 7, 4});
  expect_floats(run(OpKind::kCumSum, 3, {x, axis}, {{"exclusive", "true"}, {"reverse", "true"}}), {4},
                {9, 7, 4, 0});
  // Without the axis input the axis is 0; along axis -1 (= 1) of [[1, 2], [3, 4]]: [[1, 3], [3, 7]].
  const Tensor m = f32({2, 2}, {1, 2, 3, 4});
  expect_floats(run(OpKind::kCumSum, 3, {m}), {2, 2}, {1, 2, 4, 6});
  expect_floats(run(OpKind::kCumSum, 3, {m, i32({}, {-1})}), {2, 2}, {1, 3, 3, 7});
  // i8 wraps: 100 + 100 = 200 -> -56.
  expect_ints(run(OpKind::kCumSum, 3, {ints(ElementType::kI8, {3}, {100, 100, 1}), axis}), ElementType::kI8,
              {3}, {100, -56, -55});
}

TEST(ReferenceLogSoftmax, Values) {
  // log(e^1 + e^2 + e^3) = 3.40760596444438; y = x - 3.40760596444438.
  expect_floats(run(OpKind::kLogSoftmax, 5, {f32({1, 3}, {1, 2, 3})}), {1, 3},
                {-2.4076059644f, -1.4076059644f, -0.4076059644f}, 1e-6f);
  // Along axis 0 of [[0, 1000], [0, -1000]]: [log 0.5, log 0.5] and [0, -2000] (no overflow).
  expect_floats(run(OpKind::kLogSoftmax, 5, {f32({2, 2}, {0, 1000, 0, -1000})}, {{"axis", "0"}}), {2, 2},
                {-0.6931471806f, 0, -0.6931471806f, -2000}, 1e-6f);
}

TEST(ReferenceNormalizeL2, EpsModesAndEmptyAxes) {
  const Tensor x = f32({2}, {3, 4});  // sum of squares 25
  const Tensor axes = i64({1}, {0});
  expect_floats(run(OpKind::kNormalizeL2, 1, {x, axes}, {{"eps", "0"}, {"eps_mode", "add"}}), {2},
                {0.6f, 0.8f}, 1e-7f);
  expect_floats(run(OpKind::kNormalizeL2, 1, {x, axes}, {{"eps", "11"}, {"eps_mode", "add"}}), {2},
                {0.5f, 0.6666667f}, 1e-7f);  // / sqrt(36)
  expect_floats(run(OpKind::kNormalizeL2, 1, {x, axes}, {{"eps", "100"}, {"eps_mode", "max"}}), {2},
                {0.3f, 0.4f}, 1e-7f);  // / sqrt(max(25, 100))
  expect_floats(run(OpKind::kNormalizeL2, 1, {x, axes}, {{"eps", "1"}, {"eps_mode", "max"}}), {2},
                {0.6f, 0.8f}, 1e-7f);
  // No axes: each element divided by itself, 0 for 0.
  expect_floats(run(OpKind::kNormalizeL2, 1, {f32({3}, {-2, 0, 3}), i64({0}, {})},
                    {{"eps", "0.5"}, {"eps_mode", "add"}}),
                {3}, {1, 0, 1});
  // GRN is NormalizeL2 over the channels with eps added: [[3, 4]] / sqrt(25 + 0) and / sqrt(25 + 11).
  expect_floats(run(OpKind::kGRN, 1, {f32({1, 2}, {3, 4})}, {{"bias", "0"}}), {1, 2}, {0.6f, 0.8f}, 1e-7f);
  expect_floats(run(OpKind::kGRN, 1, {f32({1, 2}, {3, 4})}, {{"bias", "11"}}), {1, 2}, {0.5f, 0.6666667f},
                1e-7f);
}

Attrs lrn_attrs(const char* alpha, const char* beta, const char* bias, const char* size) {
  return {{"alpha", alpha}, {"beta", beta}, {"bias", bias}, {"size", size}};
}

TEST(ReferenceLrn, WindowScaleAndBias) {
  // x = [1, 2, 3] on axis 1, size 3 (window i-1..i+1), alpha 3 so alpha/size = 1, beta 1, bias 2:
  // 1 / (2 + 1 + 4) = 1/7, 2 / (2 + 1 + 4 + 9) = 1/8, 3 / (2 + 4 + 9) = 1/5.
  const Tensor x = f32({1, 3}, {1, 2, 3});
  const Tensor ch = i64({1}, {1});
  expect_floats(run(OpKind::kLRN, 1, {x, ch}, lrn_attrs("3", "1", "2", "3")), {1, 3},
                {1 / 7.0f, 0.125f, 0.2f}, 1e-7f);
  // An even size 4 has the same window (i - 1 .. i + 1: (4 - 1) / 2 = 1 each side); alpha 4 / 4 = 1.
  expect_floats(run(OpKind::kLRN, 1, {x, ch}, lrn_attrs("4", "1", "2", "4")), {1, 3},
                {1 / 7.0f, 0.125f, 0.2f}, 1e-7f);
  // beta 0.5, bias 0: 1 / sqrt(5), 2 / sqrt(14), 3 / sqrt(13).
  expect_floats(run(OpKind::kLRN, 1, {x, ch}, lrn_attrs("3", "0.5", "0", "3")), {1, 3},
                {0.4472135955f, 0.5345224838f, 0.8320502943f}, 1e-6f);
}

TEST(ReferenceLrn, AnyAxes) {
  // Axes [0, 1] on [[1, 2], [3, 4]], size 3: every window covers all four (sum 30); alpha 9 / 3^2 = 1.
  const Tensor x = f32({2, 2}, {1, 2, 3, 4});
  expect_floats(run(OpKind::kLRN, 1, {x, i64({2}, {0, 1})}, lrn_attrs("9", "1", "0", "3")), {2, 2},
                {1 / 30.0f, 2 / 30.0f, 3 / 30.0f, 4 / 30.0f}, 1e-7f);
  // Axis 0 only: windows are the columns {1, 3} (sum 10) and {2, 4} (sum 20); alpha 3 / 3 = 1.
  expect_floats(run(OpKind::kLRN, 1, {x, i64({1}, {0})}, lrn_attrs("3", "1", "0", "3")), {2, 2},
                {0.1f, 0.1f, 0.3f, 0.2f}, 1e-7f);
  // No axes: x / (bias + alpha * x^2)^beta, alpha not divided (size^0 = 1).
  expect_floats(run(OpKind::kLRN, 1, {x, i64({0}, {})}, lrn_attrs("1", "1", "1", "5")), {2, 2},
                {0.5f, 0.4f, 0.3f, 4 / 17.0f}, 1e-7f);
}

TEST(ReferenceBatchNorm, InputOrderPerVersion) {
  // Channels c0, c1 of one value each: x = [1, 2], gamma [2, 3], beta [1, -1], mean [0, 1], var [3, 8],
  // eps 1: (1 - 0) / 2 * 2 + 1 = 2 and (2 - 1) / 3 * 3 - 1 = 0.
  const Tensor x = f32({1, 2, 1}, {1, 2});
  const Tensor gamma = f32({2}, {2, 3}), beta = f32({2}, {1, -1}), mean = f32({2}, {0, 1}),
               var = f32({2}, {3, 8});
  expect_floats(run(OpKind::kBatchNormInference, 5, {x, gamma, beta, mean, var}, {{"epsilon", "1"}}),
                {1, 2, 1}, {2, 0}, 1e-6f);
  expect_floats(run(OpKind::kBatchNormInference, 1, {gamma, beta, x, mean, var}, {{"epsilon", "1"}}),
                {1, 2, 1}, {2, 0}, 1e-6f);
}

TEST(ReferenceGroupNorm, TwoGroups) {
  // x = [1, 3 | 5, 9] (4 channels, 2 groups): group means 2 and 7, variances 1 and 4, so both
  // standardise to [-1, 1]; scale [1, 2, 3, 4] and bias [0, 0, 0, 1] give [-1, 2, -3, 5].
  const Tensor x = f32({1, 4, 1}, {1, 3, 5, 9});
  expect_floats(run(OpKind::kGroupNormalization, 12, {x, f32({4}, {1, 2, 3, 4}), f32({4}, {0, 0, 0, 1})},
                    {{"num_groups", "2"}, {"epsilon", "0"}}),
                {1, 4, 1}, {-1, 2, -3, 5}, 1e-6f);
}

TEST(ReferenceMvn1, AxesFromAttributes) {
  const Tensor x = f32({1, 2, 2}, {1, 3, 5, 9});
  // Per channel (axes 2..): [1, 3] and [5, 9] both standardise to [-1, 1]; eps 0.25 inside the
  // sqrt: variance 1 -> / sqrt(1.25), variance 4 -> / sqrt(4.25).
  expect_floats(run(OpKind::kMVN1, 2, {x}, {{"eps", "0.25"}, {"normalize_variance", "true"}}), {1, 2, 2},
                {-0.8944271910f, 0.8944271910f, -0.9701425001f, 0.9701425001f}, 1e-6f);
  // Across channels (axes 1..): mean 4.5, variance (3.5^2 + 1.5^2 + 0.5^2 + 4.5^2) / 4 = 8.75.
  const float s = 2.9580398915f;  // sqrt(8.75)
  expect_floats(
      run(OpKind::kMVN1, 2, {x}, {{"eps", "0"}, {"across_channels", "true"}, {"normalize_variance", "true"}}),
      {1, 2, 2}, {-3.5f / s, -1.5f / s, 0.5f / s, 4.5f / s}, 1e-6f);
  // Without normalize_variance only the mean goes.
  expect_floats(run(OpKind::kMVN1, 2, {x}, {{"eps", "1"}, {"across_channels", "true"}}), {1, 2, 2},
                {-3.5f, -1.5f, 0.5f, 4.5f}, 1e-6f);
  // reduction_axes wins over across_channels (the spec): axis 1 alone standardises the columns
  // [1, 5] and [3, 9] to [-1, 1].
  expect_floats(run(OpKind::kMVN1, 2, {x},
                    {{"eps", "0"},
                     {"across_channels", "false"},
                     {"normalize_variance", "true"},
                     {"reduction_axes", "1"}}),
                {1, 2, 2}, {-1, -1, 1, 1}, 1e-6f);
}

}  // namespace
}  // namespace octet
