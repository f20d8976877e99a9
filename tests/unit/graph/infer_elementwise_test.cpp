// Shape inference tests for binary/unary elementwise ops, PReLU and FakeQuantize.
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;

TEST(InferBinary, NumpyBroadcastAllOps) {
  for (OpKind k : {OpKind::kAdd, OpKind::kSubtract, OpKind::kMultiply, OpKind::kDivide, OpKind::kMaximum,
                   OpKind::kMinimum, OpKind::kPower, OpKind::kSquaredDifference}) {
    Builder b;
    EXPECT_EQ(b.infer(k, {b.param({2, 1, 4}), b.param({3, 1})}), (Dims{2, 3, 4}));
    EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
  }
}

TEST(InferBinary, ScalarsAndDynamic) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kAdd, {b.param({}), b.param({})}), Dims{});
  EXPECT_EQ(b.infer(OpKind::kAdd, {b.param({-1, 8}), b.param({1})}), (Dims{-1, 8}));
  EXPECT_EQ(b.infer(OpKind::kAdd, {b.param({-1, 8}), b.param({5, 1})}), (Dims{5, 8}));
  EXPECT_EQ(b.infer(OpKind::kMultiply, {b.param({4}, ET::kI32), b.param({1, 4}, ET::kI32)}), (Dims{1, 4}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
}

TEST(InferBinary, AutoBroadcastNoneAndPdpd) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kAdd, {b.param({2, 3}), b.param({2, 3})}, {{"auto_broadcast", "none"}}),
            (Dims{2, 3}));
  expect_model_error(b, OpKind::kAdd, {b.param({2, 3}), b.param({1, 3})}, {{"auto_broadcast", "none"}}, 1,
                     {"[2,3]", "[1,3]"});
  // pdpd: B [3] (trailing-1-trimmed [3,1]) aligned at axis 1 of A [2,3,4].
  EXPECT_EQ(b.infer(OpKind::kAdd, {b.param({2, 3, 4}), b.param({3, 1})}, {{"auto_broadcast", "pdpd"}}),
            (Dims{2, 3, 4}));
  EXPECT_EQ(b.infer(OpKind::kAdd, {b.param({2, 3, 4}), b.param({3})},
                    {{"auto_broadcast", "pdpd"}, {"auto_broadcast.auto_broadcast_axis", "1"}}),
            (Dims{2, 3, 4}));
  expect_model_error(b, OpKind::kAdd, {b.param({2, 3, 4}), b.param({3})}, {{"auto_broadcast", "pdpd"}}, 1,
                     {"[3]"});
  expect_model_error(b, OpKind::kAdd, {b.param({2, 3}), b.param({2, 3})}, {{"auto_broadcast", "bogus"}}, 1,
                     {"auto_broadcast", "bogus"});
}

TEST(InferBinary, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kAdd, {b.param({2, 3}), b.param({4, 3})}, {}, 1, {"[2,3]", "[4,3]"});
  expect_model_error(b, OpKind::kSubtract, {b.param({2}), b.param({2}, ET::kF16)}, {}, 1, {"f32", "f16"});
  expect_model_error(b, OpKind::kAdd, {b.param({2})}, {}, 1, {"expects 2 inputs, has 1"});
  expect_model_error(b, OpKind::kAdd, {b.param({2}, ET::kBoolean), b.param({2}, ET::kBoolean)}, {}, 1,
                     {"boolean"});
  expect_model_error(b, OpKind::kDivide, {b.param({2}), b.param({2})}, {{"m_pythondiv", "maybe"}}, 1,
                     {"m_pythondiv", "maybe"});
}

TEST(InferPRelu, PerChannelAndBroadcast) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kPRelu, {b.param({1, 8, 5, 5}), b.param({8})}), (Dims{1, 8, 5, 5}));
  EXPECT_EQ(b.infer(OpKind::kPRelu, {b.param({1, 8, 5, 5}), b.param({1})}), (Dims{1, 8, 5, 5}));
  EXPECT_EQ(b.infer(OpKind::kPRelu, {b.param({1, 8, 5, 6}), b.param({6})}), (Dims{1, 8, 5, 6}));
  expect_model_error(b, OpKind::kPRelu, {b.param({1, 8, 5, 5}), b.param({3})}, {}, 1, {"[3]"});
  expect_model_error(b, OpKind::kPRelu, {b.param({8}), b.param({2, 8})}, {}, 1, {"[2,8]"});
}

TEST(InferUnary, KeepShapeAndType) {
  for (OpKind k : {OpKind::kRelu, OpKind::kSigmoid, OpKind::kTanh, OpKind::kExp, OpKind::kSqrt, OpKind::kErf,
                   OpKind::kHSwish, OpKind::kHSigmoid, OpKind::kSwish}) {
    Builder b;
    EXPECT_EQ(b.infer(k, {b.param({2, 3, 5}, ET::kF16)}), (Dims{2, 3, 5})) << op_name(k);
    EXPECT_EQ(b.last->outputs[0].type, ET::kF16);
  }
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kGelu, {b.param({7})}, {}, 2), Dims{7});
  EXPECT_EQ(b.infer(OpKind::kGelu, {b.param({7})}, {{"approximation_mode", "TANH"}}, 7), Dims{7});
  EXPECT_EQ(b.infer(OpKind::kElu, {b.param({7})}, {{"alpha", "1.0"}}), Dims{7});
  EXPECT_EQ(b.infer(OpKind::kClamp, {b.param({7}, ET::kI8)}, {{"min", "-3"}, {"max", "6.5"}}), Dims{7});
  EXPECT_EQ(b.last->outputs[0].type, ET::kI8);
  EXPECT_EQ(b.infer(OpKind::kSwish, {b.param({4}), b.floats({0.5f}, Dims{})}), Dims{4});
  EXPECT_EQ(b.infer(OpKind::kRelu, {b.param({3}, ET::kI32)}), Dims{3});
}

TEST(InferUnary, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kClamp, {b.param({2})}, {{"min", "5"}, {"max", "1"}}, 1, {"min", "5"});
  expect_model_error(b, OpKind::kClamp, {b.param({2})}, {{"min", "nan"}, {"max", "1"}}, 1, {"min", "nan"});
  expect_model_error(b, OpKind::kClamp, {b.param({2})}, {{"min", "0"}}, 1, {"max", "missing"});
  expect_model_error(b, OpKind::kElu, {b.param({2})}, {{"alpha", "-1"}}, 1, {"alpha", "-1"});
  expect_model_error(b, OpKind::kGelu, {b.param({2})}, {{"approximation_mode", "fast"}}, 7,
                     {"approximation_mode", "fast"});
  expect_model_error(b, OpKind::kHSwish, {b.param({2}, ET::kI32)}, {}, 4, {"i32"});
  expect_model_error(b, OpKind::kSwish, {b.param({4}), b.floats({1, 2})}, {}, 4, {"beta", "[2]"});
  expect_model_error(b, OpKind::kSigmoid, {b.param({2}, ET::kBoolean)}, {}, 1, {"boolean"});
  expect_model_error(b, OpKind::kRelu, {b.param({2}), b.param({2})}, {}, 1, {"expects 1 inputs, has 2"});
}

TEST(InferFakeQuantize, RangesBroadcastToData) {
  Builder b;
  Node* x = b.param({1, 3, 4, 4});
  EXPECT_EQ(
      b.infer(OpKind::kFakeQuantize,
              {x, b.param({}), b.param({1}), b.param({1, 3, 1, 1}), b.param({3, 1, 1})}, {{"levels", "256"}}),
      (Dims{1, 3, 4, 4}));
  // A range that would enlarge X is rejected: ranges broadcast *to* X.
  expect_model_error(b, OpKind::kFakeQuantize,
                     {x, b.param({2, 1, 3, 1, 1}), b.param({1}), b.param({1}), b.param({1})},
                     {{"levels", "256"}}, 1, {"input 1 (input_low)", "[2,1,3,1,1]"});
  expect_model_error(b, OpKind::kFakeQuantize,
                     {x, b.param({1}), b.param({1}), b.param({1}), b.param({1, 4, 1, 1})},
                     {{"levels", "256"}}, 1, {"input 4 (output_high)", "[1,4,1,1]"});
  expect_model_error(b, OpKind::kFakeQuantize, {x, b.param({1}), b.param({1}), b.param({1}), b.param({1})},
                     {{"levels", "1"}}, 1, {"levels", "'1'"});
  expect_model_error(b, OpKind::kFakeQuantize, {x, b.param({1}), b.param({1}), b.param({1}), b.param({1})},
                     {}, 1, {"levels", "missing"});
  expect_model_error(b, OpKind::kFakeQuantize,
                     {x, b.param({1}, ET::kF16), b.param({1}), b.param({1}), b.param({1})},
                     {{"levels", "256"}}, 1, {"f16"});
  expect_model_error(b, OpKind::kFakeQuantize,
                     {b.param({4}, ET::kI8), b.param({1}, ET::kI8), b.param({1}, ET::kI8),
                      b.param({1}, ET::kI8), b.param({1}, ET::kI8)},
                     {{"levels", "256"}}, 1, {"floating-point"});
}

}  // namespace
}  // namespace octet::test
