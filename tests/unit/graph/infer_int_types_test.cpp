// Type inference of the elementwise ops on integer and boolean element types (host/graph/ops/
// elementwise.cpp): integers pass through every arithmetic op with their type, boolean arithmetic is
// refused, integer Exp is refused with the reason (its spec is floating-point only); and the message a
// non-constant shape input gets (value_dependency in host/graph/ops/infer_util.cpp).
#include "host/graph/op_kind.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;

constexpr ET kIntTypes[] = {ET::kI8, ET::kU8, ET::kI16, ET::kU16, ET::kI32, ET::kU32, ET::kI64, ET::kU64};

TEST(InferIntTypes, BinaryArithmeticKeepsTheIntegerType) {
  for (OpKind k : {OpKind::kAdd, OpKind::kSubtract, OpKind::kMultiply, OpKind::kDivide, OpKind::kMaximum,
                   OpKind::kMinimum, OpKind::kPower, OpKind::kSquaredDifference}) {
    for (ET t : kIntTypes) {
      Builder b;
      EXPECT_EQ(b.infer(k, {b.param({2, 1, 5}, t), b.param({3, 1}, t)}), (Dims{2, 3, 5})) << op_name(k);
      EXPECT_EQ(b.last->outputs[0].type, t) << op_name(k) << " " << element_type_name(t);
    }
  }
}

TEST(InferIntTypes, UnaryOpsKeepTheIntegerType) {
  for (OpKind k : {OpKind::kRelu, OpKind::kSqrt, OpKind::kErf}) {
    for (ET t : kIntTypes) {
      Builder b;
      EXPECT_EQ(b.infer(k, {b.param({4, 3}, t)}), (Dims{4, 3})) << op_name(k);
      EXPECT_EQ(b.last->outputs[0].type, t) << op_name(k) << " " << element_type_name(t);
    }
  }
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kClamp, {b.param({7}, ET::kU8)}, {{"min", "-2.5"}, {"max", "300"}}), (Dims{7}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kU8);
}

// PReLU-1's spec lists float types; OpenVINO accepts integer data, so octet does (slope of the same type).
TEST(InferIntTypes, PReluTakesIntegersButNotBoolean) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kPRelu, {b.param({2, 3, 4}, ET::kI32), b.param({3}, ET::kI32)}), (Dims{2, 3, 4}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
  expect_model_error(b, OpKind::kPRelu, {b.param({2, 3}, ET::kBoolean), b.param({1}, ET::kBoolean)}, {}, 1,
                     {"input 0 must be numeric", "boolean"});
  expect_model_error(b, OpKind::kPRelu, {b.param({2, 3}, ET::kI32), b.param({1}, ET::kI64)}, {}, 1,
                     {"i32", "i64"});
}

TEST(InferIntTypes, IntegerExpIsRefusedWithTheReason) {
  for (ET t : {ET::kI32, ET::kU8, ET::kI64}) {
    Builder b;
    Node* n = b.op(OpKind::kExp, {b.param({3}, t)});
    expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported,
                 {"'layer", element_type_name(t), "Exp-1 specification defines floating-point types only"});
  }
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kExp, {b.param({3}, ET::kF32)}), (Dims{3}));
}

// A Reshape target that is computed from a model input's values: the message names the model input
// and the layers between it and the Reshape.
TEST(InferIntTypes, ShapeFromInputValuesNamesTheInputAndThePath) {
  Builder b;
  Node* rows = b.param({1}, ET::kI64);
  Node* plus = b.op(OpKind::kAdd, {rows, b.ints({0})});
  infer_node(*plus);
  Node* target = b.op(OpKind::kConcat, {plus, b.ints({-1})}, {{"axis", "0"}});
  infer_node(*target);
  Node* reshape = b.op(OpKind::kReshape, {b.param({2, 12}), target}, {{"special_zero", "false"}});
  const std::string want = "it depends on the values of model input '" + rows->name + "' through '" +
                           plus->name + "' -> '" + target->name + "'";
  expect_error([&] { infer_node(*reshape); }, ErrorCode::kUnsupported, {"must be constant", want.c_str()});
  // The input itself as the target.
  Node* direct =
      b.op(OpKind::kReshape, {b.param({2, 12}), b.param({2}, ET::kI64)}, {{"special_zero", "false"}});
  expect_error([&] { infer_node(*direct); }, ErrorCode::kUnsupported, {"it is the values of model input"});
}

}  // namespace
}  // namespace octet::test
