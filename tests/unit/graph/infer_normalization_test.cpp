// Shape inference and attribute validation of the normalisations, reductions, softmax variants and
// scans (ReduceProd/Min/L1/L2/LogicalAnd/LogicalOr, CumSum, LogSoftmax, NormalizeL2, GRN, LRN,
// BatchNormInference, GroupNormalization, MVN-1) and the IR version resolution of MVN-1 against
// MVN-6. Expected shapes follow the OpenVINO op specifications, worked out by hand.
#include "host/graph/op_kind.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;
using Attrs = std::map<std::string, std::string>;

TEST(InferReduceF2, Shapes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kReduceProd, {b.param({2, 5, 3}), b.ints({1})}, {{"keep_dims", "true"}}),
            (Dims{2, 1, 3}));
  EXPECT_EQ(b.infer(OpKind::kReduceMin, {b.param({2, 3, 4, 5}), b.ints({0, -1})}), (Dims{3, 4}));
  EXPECT_EQ(b.infer(OpKind::kReduceL1, {b.param({2, 3, 4}), b.ints({0, 1, 2})}, {}, 4), Dims{});
  EXPECT_EQ(b.infer(OpKind::kReduceL2, {b.param({2, 3, 4}), b.ints({0, 1, 2})}, {{"keep_dims", "true"}}, 4),
            (Dims{1, 1, 1}));
  EXPECT_EQ(b.infer(OpKind::kReduceL2, {b.param({7, 3}), b.scalar(1)}, {}, 4), Dims{7});
  // An empty axes list reduces nothing (the spec: identity).
  EXPECT_EQ(b.infer(OpKind::kReduceProd, {b.param({2, 3}), b.ints({})}), (Dims{2, 3}));
  EXPECT_EQ(b.infer(OpKind::kReduceMin, {b.param({-1, 3, 4}), b.ints({1}, ET::kI32)}), (Dims{-1, 4}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
  EXPECT_EQ(b.infer(OpKind::kReduceProd, {b.param({4, 6}, ET::kI32), b.ints({0})}), Dims{6});
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
  EXPECT_EQ(b.infer(OpKind::kReduceLogicalAnd, {b.param({2, 5, 3}, ET::kBoolean), b.ints({-2})}),
            (Dims{2, 3}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kBoolean);
  EXPECT_EQ(
      b.infer(OpKind::kReduceLogicalOr, {b.param({5, 2}, ET::kBoolean), b.scalar(0)}, {{"keep_dims", "1"}}),
      (Dims{1, 2}));
}

TEST(InferReduceF2, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kReduceProd, {b.param({2, 3}), b.ints({1, -1})}, {}, 1,
                     {"axes", "more than once"});
  expect_model_error(b, OpKind::kReduceMin, {b.param({2, 3}), b.ints({2})}, {}, 1, {"axes 2", "rank 2"});
  expect_model_error(b, OpKind::kReduceL1, {b.param({2, 3}), b.ints({-3})}, {}, 4, {"axes -3"});
  expect_model_error(b, OpKind::kReduceL2, {b.param({2, 3}), b.ints({0, 1}, ET::kI64, Dims{1, 2})}, {}, 4,
                     {"axes", "scalar or 1-D"});
  expect_model_error(b, OpKind::kReduceProd, {b.param({2, 3}), b.floats({1})}, {}, 1, {"axes", "integer"});
  expect_model_error(b, OpKind::kReduceLogicalAnd, {b.param({2, 3}), b.ints({1})}, {}, 1, {"boolean", "f32"});
  expect_model_error(b, OpKind::kReduceLogicalOr, {b.param({2, 3}, ET::kI32), b.ints({1})}, {}, 1,
                     {"boolean"});
  expect_model_error(b, OpKind::kReduceProd, {b.param({2, 3}, ET::kBoolean), b.ints({1})}, {}, 1,
                     {"numeric", "boolean"});
  expect_model_error(b, OpKind::kReduceMin, {b.param({2, 3}), b.ints({1})}, {{"keep_dims", "maybe"}}, 1,
                     {"keep_dims"});
  expect_model_error(b, OpKind::kReduceMin, {b.param({2, 3})}, {}, 1, {"expects 2 inputs"});
  Node* n = b.op(OpKind::kReduceProd, {b.param({2, 3}), b.param({1}, ET::kI64)});
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input 1 (axes) must be constant"});
  Node* u = b.op(OpKind::kReduceL1, {b.param({2, 3}), b.ints({1})}, {{"keep_dims", "true"}, {"p", "1"}}, 4);
  expect_error([&] { infer_node(*u); }, ErrorCode::kUnsupported, {"attribute 'p'", "ReduceL1-4"});
}

TEST(InferCumSum, ShapesAndErrors) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kCumSum, {b.param({2, 5, 3}), b.scalar(1)}, {{"exclusive", "true"}}, 3),
            (Dims{2, 5, 3}));
  EXPECT_EQ(b.infer(OpKind::kCumSum, {b.param({4, 6}, ET::kI32), b.ints({-1}, ET::kI32, Dims{})}, {}, 3),
            (Dims{4, 6}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
  EXPECT_EQ(b.infer(OpKind::kCumSum, {b.param({7})}, {{"reverse", "true"}}, 3), Dims{7});  // axis 0
  expect_model_error(b, OpKind::kCumSum, {b.param({2, 3}), b.scalar(2)}, {}, 3, {"axis 2"});
  expect_model_error(b, OpKind::kCumSum, {b.param({2, 3}), b.ints({0, 1})}, {}, 3, {"axis", "one value"});
  expect_model_error(b, OpKind::kCumSum, {b.param({2, 3}), b.floats({0}, Dims{})}, {}, 3,
                     {"axis", "integer"});
  expect_model_error(b, OpKind::kCumSum, {b.param({2, 3}, ET::kBoolean), b.scalar(0)}, {}, 3, {"numeric"});
  expect_model_error(b, OpKind::kCumSum, {b.param({}), b.scalar(0)}, {}, 3, {"rank >= 1"});
  expect_model_error(b, OpKind::kCumSum, {b.param({2, 3}), b.scalar(0)}, {{"exclusive", "2"}}, 3,
                     {"exclusive"});
}

TEST(InferLogSoftmax, ShapesAndErrors) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kLogSoftmax, {b.param({2, 3, 17})}, {{"axis", "-1"}}, 5), (Dims{2, 3, 17}));
  EXPECT_EQ(b.infer(OpKind::kLogSoftmax, {b.param({2, 3}, ET::kF16)}, {}, 5), (Dims{2, 3}));  // axis 1
  EXPECT_EQ(b.last->outputs[0].type, ET::kF16);
  expect_model_error(b, OpKind::kLogSoftmax, {b.param({2, 3})}, {{"axis", "2"}}, 5, {"axis", "[-2, 2)"});
  expect_model_error(b, OpKind::kLogSoftmax, {b.param({2, 3})}, {{"axis", "-3"}}, 5, {"axis"});
  expect_model_error(b, OpKind::kLogSoftmax, {b.param({})}, {{"axis", "0"}}, 5, {"axis", "[0, 0)"});
  expect_model_error(b, OpKind::kLogSoftmax, {b.param({2, 3}, ET::kI32)}, {}, 5, {"floating-point"});
}

TEST(InferNormalizeL2, ShapesAndErrors) {
  Builder b;
  const Attrs add{{"eps", "1e-6"}, {"eps_mode", "add"}};
  EXPECT_EQ(b.infer(OpKind::kNormalizeL2, {b.param({1, 6, 3, 3}), b.ints({1})}, add), (Dims{1, 6, 3, 3}));
  EXPECT_EQ(b.infer(OpKind::kNormalizeL2, {b.param({2, 3}), b.ints({})}, {{"eps", "0"}, {"eps_mode", "MAX"}}),
            (Dims{2, 3}));
  EXPECT_EQ(b.infer(OpKind::kNormalizeL2, {b.param({2, 3}), b.scalar(-1)}, add), (Dims{2, 3}));
  expect_model_error(b, OpKind::kNormalizeL2, {b.param({2, 3}), b.ints({2})}, add, 1, {"axes 2"});
  expect_model_error(b, OpKind::kNormalizeL2, {b.param({2, 3}, ET::kI32), b.ints({1})}, add, 1,
                     {"floating-point"});
  expect_model_error(b, OpKind::kNormalizeL2, {b.param({2, 3}), b.ints({1})},
                     {{"eps", "-1"}, {"eps_mode", "add"}}, 1, {"eps", ">= 0"});
  expect_model_error(b, OpKind::kNormalizeL2, {b.param({2, 3}), b.ints({1})},
                     {{"eps", "1"}, {"eps_mode", "mul"}}, 1, {"eps_mode", "add, max"});
  expect_model_error(b, OpKind::kNormalizeL2, {b.param({2, 3}), b.ints({1})}, {{"eps_mode", "add"}}, 1,
                     {"eps"});
}

TEST(InferGrn, ShapesAndErrors) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kGRN, {b.param({2, 5, 3, 3})}, {{"bias", "1e-6"}}), (Dims{2, 5, 3, 3}));
  EXPECT_EQ(b.infer(OpKind::kGRN, {b.param({4, 7})}, {{"bias", "0.5"}}), (Dims{4, 7}));
  expect_model_error(b, OpKind::kGRN, {b.param({1, 2, 3, 4, 5})}, {{"bias", "1"}}, 1, {"rank 2 to 4"});
  expect_model_error(b, OpKind::kGRN, {b.param({4})}, {{"bias", "1"}}, 1, {"rank 2 to 4"});
  expect_model_error(b, OpKind::kGRN, {b.param({2, 3})}, {}, 1, {"bias"});
  expect_model_error(b, OpKind::kGRN, {b.param({2, 3})}, {{"bias", "nan"}}, 1, {"bias"});
}

TEST(InferLrn, ShapesAndErrors) {
  Builder b;
  const Attrs lrn{{"alpha", "0.0001"}, {"beta", "0.75"}, {"bias", "1"}, {"size", "5"}};
  EXPECT_EQ(b.infer(OpKind::kLRN, {b.param({2, 7, 3, 3}), b.ints({1})}, lrn), (Dims{2, 7, 3, 3}));
  EXPECT_EQ(b.infer(OpKind::kLRN, {b.param({1, 3, 5, 5}), b.ints({2, 3})}, lrn), (Dims{1, 3, 5, 5}));
  EXPECT_EQ(b.infer(OpKind::kLRN, {b.param({2, 7}), b.ints({})}, lrn), (Dims{2, 7}));
  expect_model_error(b, OpKind::kLRN, {b.param({2, 7, 3}), b.ints({-1})}, lrn, 1,
                     {"axes holds -1", "[0, 3)"});
  expect_model_error(b, OpKind::kLRN, {b.param({2, 7, 3}), b.ints({3})}, lrn, 1, {"axes holds 3"});
  expect_model_error(b, OpKind::kLRN, {b.param({2, 7, 3}), b.scalar(1)}, lrn, 1, {"axes", "1-D"});
  Attrs zero = lrn;
  zero["size"] = "0";
  expect_model_error(b, OpKind::kLRN, {b.param({2, 7, 3}), b.ints({1})}, zero, 1, {"size"});
  Attrs missing = lrn;
  missing.erase("beta");
  expect_model_error(b, OpKind::kLRN, {b.param({2, 7, 3}), b.ints({1})}, missing, 1, {"beta"});
}

TEST(InferBatchNorm, InputOrderPerVersion) {
  Builder b;
  auto c3 = [&] { return b.param({3}); };
  // BatchNormInference-5: data, gamma, beta, mean, variance.
  EXPECT_EQ(b.infer(OpKind::kBatchNormInference, {b.param({2, 3, 4, 5}), c3(), c3(), c3(), c3()},
                    {{"epsilon", "1e-5"}}, 5),
            (Dims{2, 3, 4, 5}));
  // BatchNormInference-1: gamma, beta, data, mean, variance.
  EXPECT_EQ(
      b.infer(OpKind::kBatchNormInference, {c3(), c3(), b.param({2, 3}), c3(), c3()}, {{"epsilon", "0"}}, 1),
      (Dims{2, 3}));
  // The data where the other version has it is refused (a [3] input has no channel axis).
  expect_model_error(b, OpKind::kBatchNormInference, {c3(), c3(), b.param({2, 3, 4, 5}), c3(), c3()},
                     {{"epsilon", "1e-5"}}, 5, {"input 0", "rank"});
  expect_model_error(b, OpKind::kBatchNormInference, {b.param({2, 3, 4}), c3(), c3(), b.param({4}), c3()},
                     {{"epsilon", "1e-5"}}, 5, {"input 3 (mean)", "[3]", "[4]"});
  expect_model_error(b, OpKind::kBatchNormInference,
                     {b.param({2, 3, 4}), c3(), b.param({3}, ET::kF16), c3(), c3()}, {{"epsilon", "1e-5"}}, 5,
                     {"input 2 (beta)", "f32", "f16"});
  expect_model_error(b, OpKind::kBatchNormInference, {b.param({2, 3}), c3(), c3(), c3(), c3()},
                     {{"epsilon", "-1"}}, 5, {"epsilon"});
  expect_model_error(b, OpKind::kBatchNormInference, {b.param({2, 3}), c3(), c3(), c3()}, {{"epsilon", "1"}},
                     5, {"expects 5 inputs"});
}

TEST(InferGroupNorm, ShapesAndErrors) {
  Builder b;
  const Attrs g2{{"num_groups", "2"}, {"epsilon", "1e-5"}};
  EXPECT_EQ(b.infer(OpKind::kGroupNormalization, {b.param({2, 6, 3, 2}), b.param({6}), b.param({6})}, g2, 12),
            (Dims{2, 6, 3, 2}));
  EXPECT_EQ(b.infer(OpKind::kGroupNormalization, {b.param({3, 6}), b.param({6}), b.param({6})}, g2, 12),
            (Dims{3, 6}));
  expect_model_error(b, OpKind::kGroupNormalization, {b.param({2, 5, 3}), b.param({5}), b.param({5})}, g2, 12,
                     {"num_groups", "5 channels"});
  expect_model_error(b, OpKind::kGroupNormalization, {b.param({2, 6, 3}), b.param({6}), b.param({3})}, g2, 12,
                     {"input 2 (bias)", "[6]"});
  expect_model_error(b, OpKind::kGroupNormalization, {b.param({6}), b.param({6}), b.param({6})}, g2, 12,
                     {"rank"});
  expect_model_error(b, OpKind::kGroupNormalization, {b.param({2, 6}), b.param({6}), b.param({6})},
                     {{"num_groups", "0"}, {"epsilon", "1e-5"}}, 12, {"num_groups", "positive"});
}

TEST(InferMvn1, ShapesAndErrors) {
  Builder b;
  const Attrs across{{"across_channels", "true"},
                     {"normalize_variance", "true"},
                     {"eps", "1e-9"},
                     {"reduction_axes", "1, 2, 3"}};
  EXPECT_EQ(b.infer(OpKind::kMVN1, {b.param({2, 3, 4, 5})}, across, 2), (Dims{2, 3, 4, 5}));
  EXPECT_EQ(b.infer(OpKind::kMVN1, {b.param({2, 3, 4})}, {{"eps", "1e-9"}, {"reduction_axes", ""}}, 2),
            (Dims{2, 3, 4}));
  expect_model_error(b, OpKind::kMVN1, {b.param({2, 3})}, across, 2, {"reduction_axes", "axis 2"});
  expect_model_error(b, OpKind::kMVN1, {b.param({2, 3})}, {{"eps", "1e-9"}, {"reduction_axes", "-1"}}, 2,
                     {"reduction_axes", "-1"});
  // MVN-6's eps_mode is not an MVN-1 attribute.
  Node* n = b.op(OpKind::kMVN1, {b.param({2, 3})}, {{"eps", "1e-9"}, {"eps_mode", "inside_sqrt"}}, 2);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"attribute 'eps_mode'", "MVN-2"});
}

TEST(OpKindF2, MvnVersionsResolveToTheirLines) {
  // OpenVINO's opsets 1-5 hold MVN-1 (its reader sends opset1 to it; written opset2), 6-16 MVN-6.
  auto line = [](const char* type, int opset) { return resolve_ir_op(type, opset).op; };
  EXPECT_EQ(line("MVN", 1), OpKind::kMVN1);
  EXPECT_EQ(line("MVN", 2), OpKind::kMVN1);
  EXPECT_EQ(line("MVN", 5), OpKind::kMVN1);
  EXPECT_EQ(resolve_ir_op("MVN", 5).version, 2);
  EXPECT_EQ(line("MVN", 6), OpKind::kMVN);
  EXPECT_EQ(line("mvn", 16), OpKind::kMVN);
  EXPECT_EQ(resolve_ir_op("MVN", 16).version, 6);
  EXPECT_EQ(line("BatchNormInference", 4), OpKind::kBatchNormInference);
  EXPECT_EQ(resolve_ir_op("BatchNormInference", 4).version, 1);
  EXPECT_EQ(resolve_ir_op("BatchNormInference", 5).version, 5);
  EXPECT_EQ(line("ReduceL1", 3), std::nullopt);  // ReduceL1 arrived in opset4
  EXPECT_EQ(resolve_ir_op("CumSum", 3).op, OpKind::kCumSum);
  EXPECT_STREQ(op_name(OpKind::kMVN1), "MVN");  // OpenVINO's type name for every version
  EXPECT_STREQ(op_name(OpKind::kMVN), "MVN");
}

}  // namespace
}  // namespace octet::test
