// Shape inference and attribute checks of RandomUniform-8, per the OpenVINO op specification (and
// OpenVINO's own checks: minval < maxval, bounds of the output type).
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;
using Attrs = std::map<std::string, std::string>;

// A constant filled with v (scalar unless shape is given).
Node* f32_const(Builder& b, float v, Dims shape = {}) {
  return b.floats(std::vector<float>(static_cast<size_t>(element_count(shape)), v), shape);
}

Attrs attrs(const char* type = "f32", const char* global_seed = "150", const char* op_seed = "10") {
  return {{"output_type", type}, {"global_seed", global_seed}, {"op_seed", op_seed}};
}

void expect_fails(Builder& b, std::vector<Node*> inputs, Attrs a, ErrorCode code,
                  std::initializer_list<const char*> fragments) {
  Node* n = b.op(OpKind::kRandomUniform, std::move(inputs), std::move(a), 8);
  expect_error([&] { infer_node(*n); }, code, fragments);
}

TEST(InferRandomUniform, Shapes) {
  Builder b;
  EXPECT_EQ(
      b.infer(OpKind::kRandomUniform, {b.ints({2, 3, 10}), f32_const(b, 0), f32_const(b, 1)}, attrs(), 8),
      (Dims{2, 3, 10}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
  // i32 shape, [1]-shaped bounds, the alignment attribute, op_seed 0 with a global seed.
  Attrs pt = attrs("f32", "7", "0");
  pt["alignment"] = "pytorch";
  EXPECT_EQ(b.infer(OpKind::kRandomUniform,
                    {b.ints({5}, ET::kI32), f32_const(b, -1, {1}), f32_const(b, 2, {1})}, pt, 8),
            (Dims{5}));
  // Bounds computed at run time are fine (the shape is not).
  EXPECT_EQ(b.infer(OpKind::kRandomUniform, {b.ints({4, 1}), b.param({}, ET::kI64), b.param({}, ET::kI64)},
                    attrs("i64", "0", "3"), 8),
            (Dims{4, 1}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI64);
  EXPECT_EQ(
      b.infer(OpKind::kRandomUniform,
              {b.ints({}), b.ints({-4}, ET::kI32, Dims{}), b.ints({9}, ET::kI32, Dims{})}, attrs("i32"), 8),
      Dims{});
}

TEST(InferRandomUniform, AttributeErrors) {
  Builder b;
  auto in = [&] { return std::vector<Node*>{b.ints({3}), f32_const(b, 0), f32_const(b, 1)}; };
  expect_fails(b, in(), attrs("f32", "0", "0"), ErrorCode::kUnsupported,
               {"layer", "'global_seed' = 0", "'op_seed' = 0", "clock"});
  expect_fails(b, in(), attrs("f32", "-1", "2"), ErrorCode::kModel, {"global_seed", "non-negative"});
  expect_fails(b, in(), attrs("f32", "1", "x"), ErrorCode::kModel, {"op_seed", "not an integer"});
  expect_fails(b, in(), attrs("u8"), ErrorCode::kModel, {"output_type", "f32, f16, bf16, i32, i64"});
  expect_fails(b, in(), attrs("f64"), ErrorCode::kUnsupported, {"output_type", "f64"});
  Attrs bad = attrs();
  bad["alignment"] = "numpy";
  expect_fails(b, in(), bad, ErrorCode::kModel, {"alignment", "numpy", "tensorflow, pytorch"});
  bad["alignment"] = "MOCK";
  expect_fails(b, in(), bad, ErrorCode::kUnsupported, {"alignment", "mock"});
  Attrs extra = attrs();
  extra["seed3"] = "1";
  expect_fails(b, in(), extra, ErrorCode::kUnsupported, {"seed3"});
  Attrs missing = {{"output_type", "f32"}, {"global_seed", "1"}};
  expect_fails(b, in(), missing, ErrorCode::kModel, {"op_seed", "missing"});
}

TEST(InferRandomUniform, InputErrors) {
  Builder b;
  expect_fails(b, {b.ints({3}), f32_const(b, 2), f32_const(b, 1)}, attrs(), ErrorCode::kModel,
               {"minval", "must be less than", "maxval"});
  expect_fails(b, {b.ints({3}), b.ints({1}, ET::kI32, Dims{}), b.ints({1}, ET::kI32, Dims{})}, attrs("i32"),
               ErrorCode::kModel, {"must be less than"});
  expect_fails(b, {b.ints({3}), f32_const(b, 0), f32_const(b, 1)}, attrs("i32"), ErrorCode::kModel,
               {"input 1 (minval)", "f32", "'output_type' is i32"});
  expect_fails(b, {b.ints({3}), f32_const(b, 0, {2}), f32_const(b, 1)}, attrs(), ErrorCode::kModel,
               {"input 1 (minval)", "scalar", "[2]"});
  expect_fails(b, {b.ints({3, -1}), f32_const(b, 0), f32_const(b, 1)}, attrs(), ErrorCode::kModel,
               {"input 0 (shape)", "negative"});
  expect_fails(b, {b.floats({3}), f32_const(b, 0), f32_const(b, 1)}, attrs(), ErrorCode::kModel,
               {"input 0 (shape)", "i32 or i64"});
  expect_fails(b, {b.ints({3}, ET::kI64, Dims{1, 1}), f32_const(b, 0), f32_const(b, 1)}, attrs(),
               ErrorCode::kModel, {"input 0 (shape)", "1-D"});
  expect_fails(b, {b.param({2}, ET::kI64), f32_const(b, 0), f32_const(b, 1)}, attrs(),
               ErrorCode::kUnsupported, {"input 0 (shape) must be constant"});
  expect_fails(b, {b.ints({3}), f32_const(b, 0)}, attrs(), ErrorCode::kModel, {"input"});
}

}  // namespace
}  // namespace octet::test
