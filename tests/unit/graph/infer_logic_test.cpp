// Shape/type inference and attribute errors of the comparison, logical, bitwise, Select and further
// elementwise math ops (host/graph/ops/logic.cpp, host/graph/attrs/logic.cpp).
#include "host/graph/op_attrs.h"
#include "host/graph/op_kind.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;

const char* kAxis = "auto_broadcast.auto_broadcast_axis";

TEST(InferComparison, BooleanOutputAnyInputType) {
  for (OpKind k : {OpKind::kEqual, OpKind::kNotEqual, OpKind::kLess, OpKind::kLessEqual, OpKind::kGreater,
                   OpKind::kGreaterEqual}) {
    for (ET t : {ET::kF32, ET::kF16, ET::kI32, ET::kI64, ET::kU8, ET::kBoolean}) {
      Builder b;
      EXPECT_EQ(b.infer(k, {b.param({2, 1, 4}, t), b.param({3, 1}, t)}), (Dims{2, 3, 4})) << op_name(k);
      EXPECT_EQ(b.last->outputs[0].type, ET::kBoolean);
    }
  }
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kEqual, {b.param({}, ET::kI64), b.param({}, ET::kI64)}), Dims{});
  EXPECT_EQ(b.infer(OpKind::kLess, {b.param({-1, 3}), b.param({3})}), (Dims{-1, 3}));
}

TEST(InferComparison, AutoBroadcastModes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kEqual, {b.param({2, 3}), b.param({2, 3})}, {{"auto_broadcast", "none"}}),
            (Dims{2, 3}));
  // OpenVINO's AutoBroadcastType spells none also "explicit".
  EXPECT_EQ(b.infer(OpKind::kEqual, {b.param({2, 3}), b.param({2, 3})}, {{"auto_broadcast", "explicit"}}),
            (Dims{2, 3}));
  expect_model_error(b, OpKind::kEqual, {b.param({2, 3}), b.param({1, 3})}, {{"auto_broadcast", "none"}}, 1,
                     {"none", "[2,3]", "[1,3]"});
  // pdpd: B's trailing-1-trimmed dims start at the axis OpenVINO writes as auto_broadcast_axis.
  EXPECT_EQ(b.infer(OpKind::kGreater, {b.param({2, 3, 4}), b.param({2, 3})},
                    {{"auto_broadcast", "pdpd"}, {kAxis, "0"}}),
            (Dims{2, 3, 4}));
  EXPECT_EQ(b.infer(OpKind::kGreater, {b.param({2, 3, 4}), b.param({3, 1})},
                    {{"auto_broadcast", "pdpd"}, {kAxis, "1"}}),
            (Dims{2, 3, 4}));
  // Default -1: right-aligned.
  EXPECT_EQ(b.infer(OpKind::kGreater, {b.param({2, 3, 4}), b.param({3, 4})}, {{"auto_broadcast", "pdpd"}}),
            (Dims{2, 3, 4}));
  expect_model_error(b, OpKind::kGreater, {b.param({2, 3, 4}), b.param({2, 3})}, {{"auto_broadcast", "pdpd"}},
                     1, {"[2,3]", "pdpd", "axis 1"});
  expect_model_error(b, OpKind::kGreater, {b.param({2, 3}), b.param({2, 3, 4})}, {{"auto_broadcast", "pdpd"}},
                     1, {"[2,3,4]"});
  expect_model_error(b, OpKind::kLess, {b.param({2, 3}), b.param({3})},
                     {{"auto_broadcast", "pdpd"}, {kAxis, "-2"}}, 1, {kAxis, "-2"});
  expect_model_error(b, OpKind::kLess, {b.param({2, 3}), b.param({3})}, {{"auto_broadcast", "bidirectional"}},
                     1, {"auto_broadcast", "bidirectional"});
}

TEST(InferComparison, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kEqual, {b.param({2}), b.param({2}, ET::kF16)}, {}, 1, {"f32", "f16"});
  expect_model_error(b, OpKind::kLess, {b.param({2, 3}), b.param({4, 3})}, {}, 1, {"[2,3]", "[4,3]"});
  expect_model_error(b, OpKind::kGreater, {b.param({2})}, {}, 1, {"expects 2 inputs, has 1"});
  // An attribute the op does not have is refused, not ignored (BinaryAttrs' "axis" is not OpenVINO's key).
  expect_error(
      [&] {
        b.infer(OpKind::kEqual, {b.param({3}), b.param({3})}, {{"auto_broadcast", "pdpd"}, {"axis", "0"}});
      },
      ErrorCode::kUnsupported, {"'axis'", "Equal-1"});
}

TEST(InferLogical, BooleanOnly) {
  for (OpKind k : {OpKind::kLogicalAnd, OpKind::kLogicalOr, OpKind::kLogicalXor}) {
    Builder b;
    EXPECT_EQ(b.infer(k, {b.param({4, 1}, ET::kBoolean), b.param({3}, ET::kBoolean)}, {},
                      k == OpKind::kLogicalXor ? 2 : 1),
              (Dims{4, 3}));
    EXPECT_EQ(b.last->outputs[0].type, ET::kBoolean);
    expect_model_error(b, k, {b.param({3}, ET::kBoolean), b.param({3}, ET::kI32)}, {}, 1,
                       {"input 1", "boolean", "i32"});
    expect_model_error(b, k, {b.param({3}, ET::kF32), b.param({3}, ET::kBoolean)}, {}, 1, {"input 0", "f32"});
  }
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kLogicalNot, {b.param({2, 5}, ET::kBoolean)}), (Dims{2, 5}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kBoolean);
  EXPECT_EQ(b.infer(OpKind::kLogicalNot, {b.param({2}, ET::kI32)}), (Dims{2}));  // OpenVINO accepts numeric
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
}

TEST(InferLogical, LogicalXorResolvesFromOpset1And2) {
  // OpenVINO's serializer writes LogicalXor-1 as opset2, but opset1 registers the same op.
  EXPECT_EQ(op_versions(OpKind::kLogicalXor), (std::vector<int>{2}));
  EXPECT_EQ(openvino_op_version(OpKind::kLogicalXor, 1), 2);
  EXPECT_EQ(openvino_op_version(OpKind::kLogicalXor, 2), 2);
  EXPECT_EQ(openvino_op_version(OpKind::kLogicalXor, 16), 2);
  EXPECT_EQ(openvino_op_version(OpKind::kLogicalAnd, 1), 1);
  EXPECT_FALSE(openvino_op_version(OpKind::kBitwiseAnd, 12).has_value());
  EXPECT_EQ(openvino_op_version(OpKind::kBitwiseAnd, 13), 13);
  EXPECT_FALSE(openvino_op_version(OpKind::kRound, 4).has_value());
  EXPECT_FALSE(openvino_op_version(OpKind::kAcosh, 3).has_value());
  EXPECT_EQ(openvino_op_version(OpKind::kAcosh, 4), 4);
  EXPECT_EQ(op_from_ir_type("isnan"), OpKind::kIsNaN);
}

TEST(InferSelect, BroadcastModes) {
  Builder b;
  // numpy: all three merge (OpenVINO, as np.where), cond may be the widest.
  EXPECT_EQ(b.infer(OpKind::kSelect, {b.param({2, 1, 4}, ET::kBoolean), b.param({3, 1}), b.param({1})}),
            (Dims{2, 3, 4}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
  EXPECT_EQ(b.infer(OpKind::kSelect,
                    {b.param({4, 2, 3}, ET::kBoolean), b.param({2, 3}, ET::kI64), b.param({3}, ET::kI64)}),
            (Dims{4, 2, 3}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI64);
  EXPECT_EQ(b.infer(OpKind::kSelect,
                    {b.param({}, ET::kBoolean), b.param({2}, ET::kBoolean), b.param({2}, ET::kBoolean)}),
            (Dims{2}));
  // pdpd: else and cond onto then.
  EXPECT_EQ(b.infer(OpKind::kSelect, {b.param({2, 3}, ET::kBoolean), b.param({2, 3, 4}), b.param({2, 1})},
                    {{"auto_broadcast", "pdpd"}, {kAxis, "0"}}),
            (Dims{2, 3, 4}));
  expect_model_error(b, OpKind::kSelect, {b.param({2, 3}, ET::kBoolean), b.param({3}), b.param({2, 3})},
                     {{"auto_broadcast", "pdpd"}}, 1, {"input 2 (else)", "[2,3]"});
  expect_model_error(b, OpKind::kSelect, {b.param({3}, ET::kBoolean), b.param({3}), b.param({2})},
                     {{"auto_broadcast", "none"}}, 1, {"none", "[3]", "[2]"});
}

TEST(InferSelect, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kSelect, {b.param({2}, ET::kU8), b.param({2}), b.param({2})}, {}, 1,
                     {"cond", "boolean", "u8"});
  expect_model_error(b, OpKind::kSelect, {b.param({2}, ET::kBoolean), b.param({2}), b.param({2}, ET::kI32)},
                     {}, 1, {"f32", "i32"});
  expect_model_error(b, OpKind::kSelect, {b.param({2}, ET::kBoolean), b.param({2})}, {}, 1,
                     {"expects 3 inputs"});
}

TEST(InferUnaryMath, TypesPerSpec) {
  for (OpKind k : {OpKind::kAbs, OpKind::kSign, OpKind::kFloor, OpKind::kCeiling, OpKind::kLog, OpKind::kSin,
                   OpKind::kCos, OpKind::kTan, OpKind::kAsin, OpKind::kAcos, OpKind::kAtan, OpKind::kSinh,
                   OpKind::kCosh, OpKind::kAsinh, OpKind::kAcosh, OpKind::kAtanh, OpKind::kRound}) {
    Builder b;
    const int v = openvino_op_version(k, 16).value();
    for (ET t : {ET::kF32, ET::kF16, ET::kI32, ET::kI64, ET::kU8}) {
      EXPECT_EQ(b.infer(k, {b.param({2, 3}, t)}, {}, v), (Dims{2, 3})) << op_name(k);
      EXPECT_EQ(b.last->outputs[0].type, t);
    }
    expect_model_error(b, k, {b.param({2}, ET::kBoolean)}, {}, v, {"numeric", "boolean"});
  }
  for (OpKind k : {OpKind::kMish, OpKind::kSoftPlus, OpKind::kSoftSign}) {
    Builder b;
    const int v = openvino_op_version(k, 16).value();
    EXPECT_EQ(b.infer(k, {b.param({5}, ET::kF16)}, {}, v), Dims{5});
    expect_model_error(b, k, {b.param({5}, ET::kI32)}, {}, v, {"floating-point", "i32"});
  }
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kNegative, {b.param({3}, ET::kI8)}), Dims{3});
  expect_model_error(b, OpKind::kNegative, {b.param({3}, ET::kU8)}, {}, 1, {"signed", "u8"});
}

TEST(InferUnaryMath, RoundAndIsInfAttributes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kRound, {b.param({3})}, {{"mode", "HALF_AWAY_FROM_ZERO"}}, 5), Dims{3});
  EXPECT_EQ(b.last->attr<RoundAttrs>().mode, RoundMode::kHalfAwayFromZero);
  EXPECT_EQ(b.infer(OpKind::kRound, {b.param({3})}, {}, 5), Dims{3});
  EXPECT_EQ(b.last->attr<RoundAttrs>().mode, RoundMode::kHalfToEven);
  expect_model_error(b, OpKind::kRound, {b.param({3})}, {{"mode", "half_up"}}, 5, {"mode", "half_up"});
  expect_error(
      [&] {
        b.infer(OpKind::kRound, {b.param({3})}, {{"mode", "half_to_even"}, {"axis", "1"}}, 5);
      },
      ErrorCode::kUnsupported, {"'axis'"});

  EXPECT_EQ(b.infer(OpKind::kIsInf, {b.param({2, 2})}, {{"detect_negative", "false"}}, 10), (Dims{2, 2}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kBoolean);
  EXPECT_FALSE(b.last->attr<IsInfAttrs>().detect_negative);
  EXPECT_TRUE(b.last->attr<IsInfAttrs>().detect_positive);
  expect_model_error(b, OpKind::kIsInf, {b.param({2})}, {{"detect_positive", "maybe"}}, 10,
                     {"detect_positive", "maybe"});
  for (OpKind k : {OpKind::kIsNaN, OpKind::kIsInf, OpKind::kIsFinite}) {
    EXPECT_EQ(b.infer(k, {b.param({4}, ET::kF16)}, {}, 10), Dims{4});
    EXPECT_EQ(b.last->outputs[0].type, ET::kBoolean);
    expect_model_error(b, k, {b.param({4}, ET::kI32)}, {}, 10, {"floating-point", "i32"});
  }
}

TEST(InferUnaryMath, SeluAndHardSigmoidParameters) {
  for (OpKind k : {OpKind::kSelu, OpKind::kHardSigmoid}) {
    Builder b;
    EXPECT_EQ(b.infer(k, {b.param({2, 3}), b.floats({0.5f}, Dims{1}), b.floats({1.5f}, Dims{})}),
              (Dims{2, 3}));
    EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
    expect_model_error(b, k, {b.param({2, 3}), b.floats({0.5f, 1.0f}), b.floats({1.5f})}, {}, 1,
                       {"input 1", "one value", "[2]"});
    expect_model_error(b, k, {b.param({2, 3}), b.floats({0.5f}), b.param({1}, ET::kF16)}, {}, 1,
                       {"f32", "f16"});
    expect_model_error(b, k, {b.param({2}, ET::kI32), b.ints({1}, ET::kI32), b.ints({1}, ET::kI32)}, {}, 1,
                       {"floating-point"});
    expect_model_error(b, k, {b.param({2})}, {}, 1, {"expects 3 inputs"});
  }
}

TEST(InferBinaryMath, ModFloorModConvertLike) {
  for (OpKind k : {OpKind::kMod, OpKind::kFloorMod}) {
    Builder b;
    EXPECT_EQ(b.infer(k, {b.param({2, 1}, ET::kI32), b.param({5}, ET::kI32)}), (Dims{2, 5}));
    EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
    expect_model_error(b, k, {b.param({2}, ET::kBoolean), b.param({2}, ET::kBoolean)}, {}, 1, {"boolean"});
    expect_model_error(b, k, {b.param({2}), b.param({2}, ET::kI32)}, {}, 1, {"f32", "i32"});
  }
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kConvertLike, {b.param({2, 3}), b.param({7}, ET::kI8)}), (Dims{2, 3}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI8);
  EXPECT_EQ(b.infer(OpKind::kConvertLike, {b.param({4}, ET::kBoolean), b.param({}, ET::kF16)}), Dims{4});
  EXPECT_EQ(b.last->outputs[0].type, ET::kF16);
}

TEST(InferBitwise, Types) {
  for (OpKind k : {OpKind::kBitwiseAnd, OpKind::kBitwiseOr, OpKind::kBitwiseXor}) {
    Builder b;
    EXPECT_EQ(b.infer(k, {b.param({3, 1}, ET::kU8), b.param({4}, ET::kU8)}, {}, 13), (Dims{3, 4}));
    EXPECT_EQ(b.last->outputs[0].type, ET::kU8);
    EXPECT_EQ(b.infer(k, {b.param({3}, ET::kBoolean), b.param({3}, ET::kBoolean)}, {}, 13), Dims{3});
    expect_model_error(b, k, {b.param({3}), b.param({3})}, {}, 13, {"integer or boolean", "f32"});
  }
  for (OpKind k : {OpKind::kBitwiseLeftShift, OpKind::kBitwiseRightShift}) {
    Builder b;
    EXPECT_EQ(b.infer(k, {b.param({3}, ET::kI64), b.param({}, ET::kI64)}, {}, 15), Dims{3});
    expect_model_error(b, k, {b.param({3}, ET::kBoolean), b.param({3}, ET::kBoolean)}, {}, 15,
                       {"integer", "boolean"});
    expect_model_error(b, k, {b.param({3}, ET::kI32), b.param({3}, ET::kI64)}, {}, 15, {"i32", "i64"});
  }
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kBitwiseNot, {b.param({3}, ET::kBoolean)}, {}, 13), Dims{3});
  EXPECT_EQ(b.last->outputs[0].type, ET::kBoolean);
  expect_model_error(b, OpKind::kBitwiseNot, {b.param({3}, ET::kF16)}, {}, 13, {"f16"});
}

}  // namespace
}  // namespace octet::test
