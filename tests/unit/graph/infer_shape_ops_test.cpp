// Shape inference tests for Concat, Reshape, Transpose, Squeeze, Unsqueeze, ShapeOf, Broadcast,
// reductions, SoftMax and MVN. Expected shapes are hand-computed from ir-spec.md 5 / 6.5-6.7.
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;

TEST(InferConcat, Shapes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kConcat, {b.param({2, 3, 4}), b.param({2, 5, 4})}, {{"axis", "1"}}),
            (Dims{2, 8, 4}));
  EXPECT_EQ(b.infer(OpKind::kConcat, {b.param({2, 3, 4}), b.param({2, 3, 1}), b.param({2, 3, 2})},
                    {{"axis", "-1"}}),
            (Dims{2, 3, 7}));
  EXPECT_EQ(b.infer(OpKind::kConcat, {b.param({5})}, {{"axis", "0"}}), Dims{5});
  EXPECT_EQ(b.infer(OpKind::kConcat, {b.param({-1, 3}), b.param({2, 3})}, {{"axis", "0"}}), (Dims{-1, 3}));
  EXPECT_EQ(b.infer(OpKind::kConcat, {b.param({-1, 3}), b.param({2, 3})}, {{"axis", "1"}}), (Dims{2, 6}));
}

TEST(InferConcat, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kConcat, {b.param({2, 3}), b.param({2, 3})}, {{"axis", "2"}}, 1,
                     {"axis", "'2'"});
  expect_model_error(b, OpKind::kConcat, {b.param({2, 3}), b.param({2, 3})}, {{"axis", "-100000"}}, 1,
                     {"axis", "-100000"});
  expect_model_error(b, OpKind::kConcat, {b.param({2, 3}), b.param({3, 3})}, {{"axis", "1"}}, 1,
                     {"[3,3]", "dim 0"});
  expect_model_error(b, OpKind::kConcat, {b.param({2, 3}), b.param({2, 3, 1})}, {{"axis", "1"}}, 1, {"rank"});
  expect_model_error(b, OpKind::kConcat, {b.param({2, 3}), b.param({2, 3}, ET::kI8)}, {{"axis", "1"}}, 1,
                     {"i8"});
  expect_model_error(b, OpKind::kConcat, {b.param({2, 3})}, {}, 1, {"axis", "missing"});
  expect_model_error(b, OpKind::kConcat, {}, {{"axis", "0"}}, 1, {"at least 1 input"});
}

TEST(InferReshape, Shapes) {
  Builder b;
  auto x = [&] { return b.param({2, 3, 4}); };
  EXPECT_EQ(b.infer(OpKind::kReshape, {x(), b.ints({0, -1})}, {{"special_zero", "true"}}), (Dims{2, 12}));
  EXPECT_EQ(b.infer(OpKind::kReshape, {x(), b.ints({-1, 2}, ET::kI32)}, {{"special_zero", "false"}}),
            (Dims{12, 2}));
  EXPECT_EQ(b.infer(OpKind::kReshape, {x(), b.ints({0, 0, 2, 2})}, {{"special_zero", "true"}}),
            (Dims{2, 3, 2, 2}));
  EXPECT_EQ(b.infer(OpKind::kReshape, {x(), b.ints({24})}, {{"special_zero", "false"}}), Dims{24});
  EXPECT_EQ(b.infer(OpKind::kReshape, {b.param({1}), b.ints({})}, {{"special_zero", "false"}}), Dims{});
  // special_zero=false: 0 is a literal (empty tensor), -1 becomes 1 when the input is empty too.
  EXPECT_EQ(b.infer(OpKind::kReshape, {b.param({0, 3}), b.ints({0, -1})}, {{"special_zero", "false"}}),
            (Dims{0, 1}));
  EXPECT_EQ(b.infer(OpKind::kReshape, {b.param({-1, 4}), b.ints({-1, 2, 2})}, {{"special_zero", "false"}}),
            (Dims{-1, 2, 2}));
  EXPECT_EQ(b.infer(OpKind::kReshape, {b.param({-1, 4}), b.ints({0, 2, 2})}, {{"special_zero", "true"}}),
            (Dims{-1, 2, 2}));
}

TEST(InferReshape, Errors) {
  Builder b;
  auto x = [&] { return b.param({2, 3, 4}); };
  const std::map<std::string, std::string> sz = {{"special_zero", "true"}};
  const std::map<std::string, std::string> nz = {{"special_zero", "false"}};
  expect_model_error(b, OpKind::kReshape, {x(), b.ints({-1, -1})}, sz, 1, {"more than one -1", "[-1,-1]"});
  expect_model_error(b, OpKind::kReshape, {x(), b.ints({5, 5})}, sz, 1, {"24 elements", "[5,5]"});
  expect_model_error(b, OpKind::kReshape, {x(), b.ints({5, -1})}, sz, 1, {"cannot be reshaped", "[5,-1]"});
  expect_model_error(b, OpKind::kReshape, {x(), b.ints({0, -1})}, nz, 1, {"-1"});
  expect_model_error(b, OpKind::kReshape, {x(), b.ints({-2, 12})}, sz, 1, {"invalid value -2"});
  expect_model_error(b, OpKind::kReshape, {b.param({24}), b.ints({4, 0, 6})}, sz, 1, {"entry 1 is 0"});
  expect_model_error(b, OpKind::kReshape, {x(), b.ints({24})}, {}, 1, {"special_zero", "missing"});
  expect_model_error(b, OpKind::kReshape, {x(), b.floats({24})}, sz, 1, {"integer type", "f32"});
  expect_model_error(b, OpKind::kReshape, {x(), b.ints({24, 1}, ET::kI64, Dims{2, 1})}, sz, 1, {"1-D"});
  Node* r = b.op(OpKind::kReshape, {x(), b.param({2}, ET::kI64)}, sz);
  expect_error([&] { infer_node(*r); }, ErrorCode::kUnsupported, {"input 1 (target shape) must be constant"});
}

TEST(InferTranspose, Shapes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kTranspose, {b.param({2, 3, 4}), b.ints({2, 0, 1})}), (Dims{4, 2, 3}));
  EXPECT_EQ(b.infer(OpKind::kTranspose, {b.param({2, 3, 4}), b.ints({})}), (Dims{4, 3, 2}));
  EXPECT_EQ(b.infer(OpKind::kTranspose, {b.param({2, 3, 4, 5}), b.ints({0, 2, 1, 3}, ET::kI32)}),
            (Dims{2, 4, 3, 5}));
  EXPECT_EQ(b.infer(OpKind::kTranspose, {b.param({}), b.ints({})}), Dims{});
}

TEST(InferTranspose, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kTranspose, {b.param({2, 3, 4}), b.ints({0, 0, 1})}, {}, 1,
                     {"[0,0,1]", "permutation"});
  expect_model_error(b, OpKind::kTranspose, {b.param({2, 3, 4}), b.ints({0, 1, 3})}, {}, 1, {"bad value 3"});
  expect_model_error(b, OpKind::kTranspose, {b.param({2, 3, 4}), b.ints({-1, 0, 1})}, {}, 1,
                     {"bad value -1"});
  expect_model_error(b, OpKind::kTranspose, {b.param({2, 3, 4}), b.ints({1, 0})}, {}, 1, {"[1,0]", "rank 3"});
}

TEST(InferSqueeze, Shapes) {
  Builder b;
  auto x = [&] { return b.param({1, 3, 1, 4}); };
  EXPECT_EQ(b.infer(OpKind::kSqueeze, {x()}), (Dims{3, 4}));
  EXPECT_EQ(b.infer(OpKind::kSqueeze, {x(), b.ints({0})}), (Dims{3, 1, 4}));
  EXPECT_EQ(b.infer(OpKind::kSqueeze, {x(), b.ints({-2})}), (Dims{1, 3, 4}));
  EXPECT_EQ(b.infer(OpKind::kSqueeze, {x(), b.scalar(2)}), (Dims{1, 3, 4}));
  // A listed dim other than 1 stays; repeats are accepted (OpenVINO 2024.3+ behaviour).
  EXPECT_EQ(b.infer(OpKind::kSqueeze, {x(), b.ints({1})}), (Dims{1, 3, 1, 4}));
  EXPECT_EQ(b.infer(OpKind::kSqueeze, {x(), b.ints({0, 0, -4})}), (Dims{3, 1, 4}));
  EXPECT_EQ(b.infer(OpKind::kSqueeze, {x(), b.ints({0})}, {{"allow_axis_skip", "true"}}, 15),
            (Dims{3, 1, 4}));
}

TEST(InferSqueeze, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kSqueeze, {b.param({1, 3}), b.ints({-100000})}, {}, 1,
                     {"axes -100000", "rank 2"});
  expect_model_error(b, OpKind::kSqueeze, {b.param({1, 3}), b.ints({2})}, {}, 1, {"axes 2"});
  expect_model_error(b, OpKind::kSqueeze, {b.param({1, 3}), b.ints({0})}, {{"allow_axis_skip", "maybe"}}, 15,
                     {"allow_axis_skip"});
  Node* n = b.op(OpKind::kSqueeze, {b.param({1, -1})});
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"dynamic"});
}

TEST(InferUnsqueeze, Shapes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kUnsqueeze, {b.param({3, 4}), b.ints({0, 3})}), (Dims{1, 3, 4, 1}));
  EXPECT_EQ(b.infer(OpKind::kUnsqueeze, {b.param({3, 4}), b.ints({-1})}), (Dims{3, 4, 1}));
  EXPECT_EQ(b.infer(OpKind::kUnsqueeze, {b.param({3, 4}), b.scalar(1)}), (Dims{3, 1, 4}));
  EXPECT_EQ(b.infer(OpKind::kUnsqueeze, {b.param({}), b.ints({0})}), Dims{1});
  // Negative axes count from the end of the output rank (3 + 2 = 5): -4 -> 1.
  EXPECT_EQ(b.infer(OpKind::kUnsqueeze, {b.param({2, 3, 4}), b.ints({0, -4})}), (Dims{1, 1, 2, 3, 4}));
  EXPECT_EQ(b.infer(OpKind::kUnsqueeze, {b.param({2, 3, 4}), b.ints({3, 1})}), (Dims{2, 1, 3, 1, 4}));
}

TEST(InferUnsqueeze, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kUnsqueeze, {b.param({3, 4}), b.ints({3})}, {}, 1, {"axes 3", "rank 3"});
  expect_model_error(b, OpKind::kUnsqueeze, {b.param({3, 4}), b.ints({-100000})}, {}, 1, {"-100000"});
  expect_model_error(b, OpKind::kUnsqueeze, {b.param({3, 4})}, {}, 1, {"expects 2 inputs"});
}

TEST(InferShapeOf, Versions) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kShapeOf, {b.param({2, 3, 4})}), Dims{3});
  EXPECT_EQ(b.last->outputs[0].type, ET::kI64);
  // ShapeOf-1 has no output_type (always i64): one given is refused, not ignored.
  Node* v1 = b.op(OpKind::kShapeOf, {b.param({2, 3})}, {{"output_type", "i32"}}, 1);
  expect_error([&] { infer_node(*v1); }, ErrorCode::kUnsupported, {"'output_type'", "ShapeOf-1"});
  EXPECT_EQ(b.infer(OpKind::kShapeOf, {b.param({2, 3})}, {{"output_type", "i32"}}, 3), Dims{2});
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
  EXPECT_EQ(b.infer(OpKind::kShapeOf, {b.param({})}, {}, 3), Dims{0});
  EXPECT_EQ(b.last->outputs[0].type, ET::kI64);
  expect_model_error(b, OpKind::kShapeOf, {b.param({2})}, {{"output_type", "f32"}}, 3,
                     {"output_type", "f32"});
}

TEST(InferBroadcast, Modes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kBroadcast, {b.param({3, 1}), b.ints({2, 3, 4})}, {}, 3), (Dims{2, 3, 4}));
  EXPECT_EQ(b.infer(OpKind::kBroadcast, {b.param({3, 1}), b.ints({2, 3, 4})}, {{"mode", "numpy"}}, 1),
            (Dims{2, 3, 4}));
  // bidirectional may exceed the target: [3,1] x [2,1,4] -> [2,3,4]
  EXPECT_EQ(b.infer(OpKind::kBroadcast, {b.param({3, 1}), b.ints({2, 1, 4})}, {{"mode", "bidirectional"}}, 3),
            (Dims{2, 3, 4}));
  EXPECT_EQ(
      b.infer(OpKind::kBroadcast, {b.param({3}), b.ints({2, 3, 4}), b.ints({1})}, {{"mode", "explicit"}}, 3),
      (Dims{2, 3, 4}));
  EXPECT_EQ(b.infer(OpKind::kBroadcast, {b.param({2, 1}), b.ints({2, 3, 5}), b.ints({0, 2})},
                    {{"mode", "explicit"}}, 1),
            (Dims{2, 3, 5}));
  EXPECT_EQ(b.infer(OpKind::kBroadcast, {b.param({3}), b.ints({2, 3, 4})},
                    {{"mode", "pdpd"}, {"mode.mode.axis", "1"}}, 3),
            (Dims{2, 3, 4}));
}

// OpenVINO writes opset1 Broadcast's explicit mode as "none" (AutoBroadcastType NONE == EXPLICIT):
// it needs axes_mapping like explicit; opset3 has no "none".
TEST(InferBroadcast, Opset1NoneIsExplicit) {
  Builder b;
  EXPECT_EQ(
      b.infer(OpKind::kBroadcast, {b.param({3}), b.ints({2, 3, 4}), b.ints({1})}, {{"mode", "none"}}, 1),
      (Dims{2, 3, 4}));
  expect_model_error(b, OpKind::kBroadcast, {b.param({3}), b.ints({2, 3}), b.ints({0})}, {{"mode", "none"}},
                     1, {"data dim 0 (3)", "target dim 0 (2)"});
  expect_model_error(b, OpKind::kBroadcast, {b.param({3}), b.ints({2, 3, 4}), b.ints({1})},
                     {{"mode", "none"}}, 3, {"mode"});
}

TEST(InferBroadcast, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kBroadcast, {b.param({3, 2}), b.ints({2, 3, 4})}, {}, 3,
                     {"[3,2]", "[2,3,4]"});
  // numpy mode is one-directional: the target may not be smaller than the data.
  expect_model_error(b, OpKind::kBroadcast, {b.param({3, 4}), b.ints({1, 4})}, {}, 3, {"[3,4]"});
  expect_model_error(b, OpKind::kBroadcast, {b.param({3}), b.ints({2, 3})}, {{"mode", "bidirectional"}}, 1,
                     {"mode", "bidirectional"});
  expect_model_error(b, OpKind::kBroadcast, {b.param({4, 3}), b.ints({3, 4}), b.ints({1, 0})},
                     {{"mode", "explicit"}}, 3, {"axes_mapping", "[1,0]"});
  expect_model_error(b, OpKind::kBroadcast, {b.param({3}), b.ints({2, 3}), b.ints({0})},
                     {{"mode", "explicit"}}, 3, {"data dim 0 (3)", "target dim 0 (2)"});
  expect_model_error(b, OpKind::kBroadcast, {b.param({3}), b.ints({2, 3}), b.ints({0, 1})},
                     {{"mode", "explicit"}}, 3, {"one entry per data dim"});
  expect_model_error(b, OpKind::kBroadcast, {b.param({3}), b.ints({2, 3}), b.ints({5})},
                     {{"mode", "explicit"}}, 3, {"bad value 5"});
  expect_model_error(b, OpKind::kBroadcast, {b.param({3}), b.ints({2, 3})}, {{"mode", "explicit"}}, 3,
                     {"expects 3 inputs"});
  expect_model_error(b, OpKind::kBroadcast, {b.param({1}), b.ints({-1, 3})}, {}, 3, {"invalid value -1"});
}

TEST(InferReduce, Shapes) {
  for (OpKind k : {OpKind::kReduceMean, OpKind::kReduceSum, OpKind::kReduceMax}) {
    Builder b;
    auto x = [&] { return b.param({2, 3, 4}); };
    EXPECT_EQ(b.infer(k, {x(), b.ints({1})}), (Dims{2, 4}));
    EXPECT_EQ(b.infer(k, {x(), b.ints({1})}, {{"keep_dims", "true"}}), (Dims{2, 1, 4}));
    EXPECT_EQ(b.infer(k, {x(), b.ints({})}), (Dims{2, 3, 4}));  // empty axes: identity
    EXPECT_EQ(b.infer(k, {x(), b.ints({-1, 0}, ET::kI32)}, {{"keep_dims", "1"}}), (Dims{1, 3, 1}));
    EXPECT_EQ(b.infer(k, {x(), b.ints({0, 1, 2})}), Dims{});
    EXPECT_EQ(b.infer(k, {x(), b.scalar(2)}), (Dims{2, 3}));
  }
}

TEST(InferReduce, Errors) {
  Builder b;
  auto x = [&] { return b.param({2, 3, 4}); };
  expect_model_error(b, OpKind::kReduceSum, {x(), b.ints({1, 1})}, {}, 1, {"more than once"});
  expect_model_error(b, OpKind::kReduceSum, {x(), b.ints({1, -2})}, {}, 1, {"more than once", "-2"});
  expect_model_error(b, OpKind::kReduceMean, {x(), b.ints({-100000})}, {}, 1, {"axes -100000", "rank 3"});
  expect_model_error(b, OpKind::kReduceMax, {x(), b.ints({0, 1}, ET::kI64, Dims{1, 2})}, {}, 1,
                     {"scalar or 1-D"});
  expect_model_error(b, OpKind::kReduceMax, {x(), b.floats({1})}, {}, 1, {"integer type"});
  expect_model_error(b, OpKind::kReduceMax, {x(), b.ints({1})}, {{"keep_dims", "2"}}, 1,
                     {"keep_dims", "'2'"});
  Node* n = b.op(OpKind::kReduceMean, {x(), b.param({1}, ET::kI64)});
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input 1 (axes) must be constant"});
}

TEST(InferSoftmax, AxisRulesPerVersion) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kSoftmax, {b.param({2, 3, 4})}), (Dims{2, 3, 4}));  // default axis 1
  EXPECT_EQ(b.infer(OpKind::kSoftmax, {b.param({2, 3, 4})}, {{"axis", "2"}}, 1), (Dims{2, 3, 4}));
  EXPECT_EQ(b.infer(OpKind::kSoftmax, {b.param({2, 3, 4})}, {{"axis", "-1"}}, 8), (Dims{2, 3, 4}));
  EXPECT_EQ(b.infer(OpKind::kSoftmax, {b.param({2, 3, 4})}, {{"axis", "-3"}}, 8), (Dims{2, 3, 4}));
  expect_model_error(b, OpKind::kSoftmax, {b.param({2, 3, 4})}, {{"axis", "-1"}}, 1, {"axis", "-1"});
  expect_model_error(b, OpKind::kSoftmax, {b.param({2, 3, 4})}, {{"axis", "-4"}}, 8, {"axis", "-4"});
  expect_model_error(b, OpKind::kSoftmax, {b.param({2, 3, 4})}, {{"axis", "3"}}, 8, {"axis", "'3'"});
  expect_model_error(b, OpKind::kSoftmax, {b.param({2, 3, 4})}, {{"axis", "1e99"}}, 8, {"axis", "1e99"});
}

TEST(InferMVN, AttributesAndAxes) {
  Builder b;
  const std::map<std::string, std::string> a = {
      {"normalize_variance", "true"}, {"eps", "1e-5"}, {"eps_mode", "inside_sqrt"}};
  auto x = [&] { return b.param({2, 3, 4}); };
  EXPECT_EQ(b.infer(OpKind::kMVN, {x(), b.ints({-1})}, a, 6), (Dims{2, 3, 4}));
  EXPECT_EQ(b.infer(OpKind::kMVN, {x(), b.ints({1, 2}, ET::kI32)}, a, 6), (Dims{2, 3, 4}));
  expect_model_error(b, OpKind::kMVN, {x(), b.ints({3})}, a, 6, {"axes 3"});
  expect_model_error(b, OpKind::kMVN, {x(), b.ints({2, -1})}, a, 6, {"more than once"});
  expect_model_error(b, OpKind::kMVN, {x(), b.scalar(1)}, a, 6, {"1-D"});
  auto bad = a;
  bad["eps_mode"] = "around_sqrt";
  expect_model_error(b, OpKind::kMVN, {x(), b.ints({1})}, bad, 6, {"eps_mode", "around_sqrt"});
  bad = a;
  bad.erase("eps");
  expect_model_error(b, OpKind::kMVN, {x(), b.ints({1})}, bad, 6, {"eps", "missing"});
}

}  // namespace
}  // namespace octet::test
