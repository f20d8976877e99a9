// Shape inference and attribute checks of the data movement and generator ops (issue 11, family
// F3a). Expected shapes are hand-computed from the OpenVINO op specifications.
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;
using Attrs = std::map<std::string, std::string>;

// A float constant of one value and the given type (scalar unless shape is given).
Node* typed_scalar(Builder& b, ET type, double v, Dims shape = {}) {
  Tensor t(type, shape);
  for (int64_t i = 0; i < t.element_count(); ++i) {
    switch (type) {
      case ET::kF32: t.data_as<float>()[i] = static_cast<float>(v); break;
      case ET::kF16: t.data_as<uint16_t>()[i] = float_to_half(static_cast<float>(v)); break;
      case ET::kI64: t.data_as<int64_t>()[i] = static_cast<int64_t>(v); break;
      case ET::kI32: t.data_as<int32_t>()[i] = static_cast<int32_t>(v); break;
      case ET::kI8: t.data_as<int8_t>()[i] = static_cast<int8_t>(v); break;
      case ET::kU8:
      case ET::kBoolean: t.data_as<uint8_t>()[i] = static_cast<uint8_t>(v); break;
      default: ADD_FAILURE() << "typed_scalar: unsupported type";
    }
  }
  return b.g.add_constant("s" + std::to_string(b.g.nodes().size()), std::move(t));
}

void expect_unsupported(Builder& b, OpKind kind, std::vector<Node*> inputs, Attrs attrs, int version,
                        std::initializer_list<const char*> fragments) {
  Node* n = b.op(kind, std::move(inputs), std::move(attrs), version);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, fragments);
}

TEST(InferShuffleChannels, ShapesAndErrors) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kShuffleChannels, {b.param({1, 8, 3, 3})}, {{"axis", "1"}, {"group", "2"}}),
            (Dims{1, 8, 3, 3}));
  EXPECT_EQ(
      b.infer(OpKind::kShuffleChannels, {b.param({2, 3, 6}, ET::kI8)}, {{"axis", "-1"}, {"group", "3"}}),
      (Dims{2, 3, 6}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI8);
  EXPECT_EQ(b.infer(OpKind::kShuffleChannels, {b.param({7})}, {{"axis", "0"}, {"group", "7"}}), Dims{7});
  expect_model_error(b, OpKind::kShuffleChannels, {b.param({1, 8, 3})}, {{"axis", "1"}, {"group", "3"}}, 1,
                     {"not a multiple of group 3", "(8)"});
  expect_model_error(b, OpKind::kShuffleChannels, {b.param({1, 8})}, {{"axis", "2"}, {"group", "2"}}, 1,
                     {"attribute 'axis' 2", "rank 2"});
  expect_model_error(b, OpKind::kShuffleChannels, {b.param({1, 8})}, {{"axis", "1"}, {"group", "0"}}, 1,
                     {"group", "at least 1"});
  expect_model_error(b, OpKind::kShuffleChannels, {b.param({})}, {{"axis", "0"}, {"group", "1"}}, 1,
                     {"scalar"});
  expect_unsupported(b, OpKind::kShuffleChannels, {b.param({4})},
                     {{"axis", "0"}, {"group", "2"}, {"mode", "x"}}, 1, {"'mode'", "ShuffleChannels-1"});
  expect_unsupported(b, OpKind::kShuffleChannels, {b.param({4}, ET::kU4)}, {{"axis", "0"}, {"group", "2"}}, 1,
                     {"u4", "byte-addressable"});
}

TEST(InferDepthSpace, Shapes) {
  Builder b;
  const Attrs bf2 = {{"mode", "blocks_first"}, {"block_size", "2"}};
  const Attrs df3 = {{"mode", "depth_first"}, {"block_size", "3"}};
  EXPECT_EQ(b.infer(OpKind::kDepthToSpace, {b.param({1, 8, 3, 3})}, bf2), (Dims{1, 2, 6, 6}));
  EXPECT_EQ(b.infer(OpKind::kDepthToSpace, {b.param({1, 9, 5})}, df3), (Dims{1, 3, 15}));
  EXPECT_EQ(b.infer(OpKind::kDepthToSpace, {b.param({2, 16, 2, 1, 3})}, bf2), (Dims{2, 2, 4, 2, 6}));
  EXPECT_EQ(b.infer(OpKind::kDepthToSpace, {b.param({-1, 8, -1, 3})}, bf2), (Dims{-1, 2, -1, 6}));
  EXPECT_EQ(b.infer(OpKind::kSpaceToDepth, {b.param({1, 3, 4, 6})}, bf2), (Dims{1, 12, 2, 3}));
  EXPECT_EQ(b.infer(OpKind::kSpaceToDepth, {b.param({1, 2, 9})}, df3), (Dims{1, 6, 3}));
  EXPECT_EQ(b.infer(OpKind::kSpaceToDepth, {b.param({1, 3, 4, 2, 2})}, bf2), (Dims{1, 24, 2, 1, 1}));
  // block_size defaults to 1 and mode to blocks_first (OpenVINO's defaults for an absent attribute).
  EXPECT_EQ(b.infer(OpKind::kSpaceToDepth, {b.param({1, 3, 5})}, {}), (Dims{1, 3, 5}));
}

TEST(InferDepthSpace, Errors) {
  Builder b;
  const Attrs bf2 = {{"mode", "blocks_first"}, {"block_size", "2"}};
  expect_model_error(b, OpKind::kDepthToSpace, {b.param({1, 6, 3, 3})}, bf2, 1,
                     {"channels 6", "block_size^2 = 4"});
  expect_model_error(b, OpKind::kDepthToSpace, {b.param({8, 4})}, bf2, 1, {"rank 3"});
  expect_model_error(b, OpKind::kSpaceToDepth, {b.param({1, 3, 4, 5})}, bf2, 1,
                     {"dim 3", "(5)", "block_size 2"});
  expect_model_error(b, OpKind::kSpaceToDepth, {b.param({1, 3, 4})}, {{"mode", "columns_first"}}, 1,
                     {"mode", "blocks_first, depth_first"});
  expect_model_error(b, OpKind::kDepthToSpace, {b.param({1, 3, 4})}, {{"block_size", "0"}}, 1,
                     {"block_size", "at least 1"});
}

TEST(InferBatchSpace, Shapes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kBatchToSpace,
                    {b.param({8, 1, 3, 2}), b.ints({1, 1, 2, 2}), b.ints({0, 0, 0, 0}), b.ints({0, 0, 0, 0})},
                    {}, 2),
            (Dims{2, 1, 6, 4}));
  EXPECT_EQ(b.infer(OpKind::kBatchToSpace,
                    {b.param({12, 2, 3, 5}), b.ints({1, 1, 2, 3}, ET::kI32), b.ints({0, 0, 1, 2}, ET::kI32),
                     b.ints({0, 0, 0, 1}, ET::kI32)},
                    {}, 2),
            (Dims{2, 2, 5, 12}));
  EXPECT_EQ(b.infer(OpKind::kBatchToSpace,
                    {b.param({4, 3, 2}), b.ints({1, 2, 2}), b.ints({0, 3, 0}), b.ints({0, 3, 0})}, {}, 2),
            (Dims{1, 0, 4}));
  EXPECT_EQ(b.infer(OpKind::kSpaceToBatch,
                    {b.param({2, 3, 5, 3}), b.ints({1, 1, 2, 3}), b.ints({0, 0, 1, 2}), b.ints({0, 0, 0, 1})},
                    {}, 2),
            (Dims{12, 3, 3, 2}));
  EXPECT_EQ(b.infer(OpKind::kSpaceToBatch,
                    {b.param({3, 2, 7}), b.ints({1, 2, 3}), b.ints({0, 1, 0}), b.ints({0, 1, 2})}, {}, 2),
            (Dims{18, 2, 3}));
}

TEST(InferBatchSpace, Errors) {
  Builder b;
  auto z4 = [&] { return b.ints({0, 0, 0, 0}); };
  expect_model_error(b, OpKind::kBatchToSpace, {b.param({6, 1, 3, 2}), b.ints({1, 1, 2, 2}), z4(), z4()}, {},
                     2, {"batch 6", "block volume 4"});
  expect_model_error(
      b, OpKind::kBatchToSpace,
      {b.param({8, 1, 3, 2}), b.ints({1, 1, 2, 2}), b.ints({0, 0, 4, 0}), b.ints({0, 0, 3, 0})}, {}, 2,
      {"crops 4 + 3 of dim 2", "3 x 2 = 6"});
  expect_model_error(b, OpKind::kBatchToSpace,
                     {b.param({8, 1, 3, 2}), b.ints({1, 1, 2, 2}), b.ints({0, 0, -1, 0}), z4()}, {}, 2,
                     {"non-negative"});
  expect_model_error(b, OpKind::kBatchToSpace, {b.param({8, 1, 3, 2}), b.ints({1, 2, 2}), z4(), z4()}, {}, 2,
                     {"block_shape", "3 entries", "rank 4"});
  expect_model_error(b, OpKind::kBatchToSpace, {b.param({8, 1, 3, 2}), b.ints({1, 0, 2, 2}), z4(), z4()}, {},
                     2, {"block_shape", "value 0 at 1"});
  expect_model_error(b, OpKind::kSpaceToBatch, {b.param({2, 3, 5, 3}), b.ints({1, 1, 2, 3}), z4(), z4()}, {},
                     2, {"dim 2 padded", "= 5", "block 2"});
  expect_model_error(b, OpKind::kSpaceToBatch, {b.param({2}), b.ints({1}), b.ints({0}), b.ints({0})}, {}, 2,
                     {"rank 2 or more"});
  expect_unsupported(b, OpKind::kBatchToSpace, {b.param({8, 1, 3, 2}), b.ints({2, 1, 2, 1}), z4(), z4()}, {},
                     2, {"block_shape[0] = 2"});
  expect_unsupported(b, OpKind::kSpaceToBatch,
                     {b.param({8, 1, 3, 2}), b.ints({1, 1, 1, 1}), b.ints({1, 0, 0, 0}), z4()}, {}, 2,
                     {"pads_begin[0] = 1"});
  expect_unsupported(b, OpKind::kSpaceToBatch, {b.param({8, 1, 3, 2}), b.param({4}, ET::kI64), z4(), z4()},
                     {}, 2, {"input 1 (block_shape) must be constant"});
}

TEST(InferTile, ShapesAndErrors) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kTile, {b.param({2, 3}), b.ints({2, 3})}), (Dims{4, 9}));
  EXPECT_EQ(b.infer(OpKind::kTile, {b.param({2, 3}), b.ints({2, 1, 3})}), (Dims{2, 2, 9}));
  EXPECT_EQ(b.infer(OpKind::kTile, {b.param({2, 3, 4}), b.ints({3}, ET::kI32)}), (Dims{2, 3, 12}));
  EXPECT_EQ(b.infer(OpKind::kTile, {b.param({2, 3}), b.ints({0, 2})}), (Dims{0, 6}));
  EXPECT_EQ(b.infer(OpKind::kTile, {b.param({}), b.ints({4})}), Dims{4});
  EXPECT_EQ(b.infer(OpKind::kTile, {b.param({2, 3}), b.ints({})}), (Dims{2, 3}));
  EXPECT_EQ(b.infer(OpKind::kTile, {b.param({-1, 3}), b.ints({2, 2})}), (Dims{-1, 6}));
  expect_model_error(b, OpKind::kTile, {b.param({2, 3}), b.ints({-1, 2})}, {}, 1,
                     {"negative value -1", "[-1,2]"});
  expect_model_error(b, OpKind::kTile, {b.param({2, 3}), b.ints({2}, ET::kI64, Dims{})}, {}, 1, {"1-D"});
  expect_model_error(b, OpKind::kTile, {b.param({2, 3}), b.floats({2, 2})}, {}, 1, {"integer type", "f32"});
  expect_unsupported(b, OpKind::kTile, {b.param({2, 3}), b.param({2}, ET::kI64)}, {}, 1,
                     {"input 1 (repeats) must be constant"});
}

TEST(InferRoll, ShapesAndErrors) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kRoll, {b.param({3, 7}), b.scalar(2), b.scalar(1)}, {}, 7), (Dims{3, 7}));
  EXPECT_EQ(b.infer(OpKind::kRoll, {b.param({2, 3, 5}), b.ints({1, -2}), b.ints({0, -1}, ET::kI32)}, {}, 7),
            (Dims{2, 3, 5}));
  EXPECT_EQ(b.infer(OpKind::kRoll, {b.param({2, 3, 5}), b.scalar(1), b.ints({0, 2})}, {}, 7),
            (Dims{2, 3, 5}));
  // The shift need not be constant: only the values move.
  EXPECT_EQ(b.infer(OpKind::kRoll, {b.param({4}), b.param({1}, ET::kI64), b.ints({0})}, {}, 7), Dims{4});
  expect_model_error(b, OpKind::kRoll, {b.param({2, 3}), b.ints({1, 2}), b.ints({1})}, {}, 7,
                     {"shift", "same shape"});
  expect_model_error(b, OpKind::kRoll, {b.param({2, 3}), b.ints({1}), b.ints({2})}, {}, 7,
                     {"axes", "2 is out of range for rank 2"});
  expect_model_error(b, OpKind::kRoll, {b.param({2, 3}), b.floats({1}), b.ints({1})}, {}, 7,
                     {"shift", "f32"});
  expect_model_error(b, OpKind::kRoll, {b.param({}), b.scalar(1), b.scalar(0)}, {}, 7, {"scalar"});
}

TEST(InferReverse, ShapesAndErrors) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kReverse, {b.param({2, 3, 4}), b.ints({0, -1})}, {{"mode", "index"}}),
            (Dims{2, 3, 4}));
  EXPECT_EQ(
      b.infer(OpKind::kReverse, {b.param({2, 3}), typed_scalar(b, ET::kBoolean, 1, {2})}, {{"mode", "mask"}}),
      (Dims{2, 3}));
  expect_model_error(b, OpKind::kReverse, {b.param({2, 3}), typed_scalar(b, ET::kBoolean, 1, {3})},
                     {{"mode", "mask"}}, 1, {"3 entries", "rank 2"});
  expect_model_error(b, OpKind::kReverse, {b.param({2, 3}), b.ints({1, 0})}, {{"mode", "mask"}}, 1,
                     {"boolean", "i64"});
  expect_model_error(b, OpKind::kReverse, {b.param({2, 3}), b.ints({2})}, {{"mode", "index"}}, 1,
                     {"axes", "2 is out of range"});
  expect_model_error(b, OpKind::kReverse, {b.param({2, 3}), b.ints({1})}, {}, 1, {"mode", "missing"});
  expect_model_error(b, OpKind::kReverse, {b.param({2, 3}), b.ints({1})}, {{"mode", "bits"}}, 1,
                     {"index, mask"});
}

TEST(InferReverseSequence, ShapesAndErrors) {
  Builder b;
  const Attrs b0s1 = {{"batch_axis", "0"}, {"seq_axis", "1"}};
  EXPECT_EQ(b.infer(OpKind::kReverseSequence, {b.param({3, 5, 2}), b.ints({5, 1, 3}, ET::kI32)}, b0s1),
            (Dims{3, 5, 2}));
  EXPECT_EQ(b.infer(OpKind::kReverseSequence, {b.param({3, 4, 2}), b.floats({2, 4})},
                    {{"batch_axis", "-1"}, {"seq_axis", "-2"}}),
            (Dims{3, 4, 2}));
  expect_model_error(b, OpKind::kReverseSequence, {b.param({3, 5}), b.ints({1, 2})}, b0s1, 1,
                     {"2 entries", "size 3"});
  expect_model_error(b, OpKind::kReverseSequence, {b.param({3, 5}), b.ints({1, 2, 3})},
                     {{"batch_axis", "1"}, {"seq_axis", "-1"}}, 1, {"same axis 1"});
  expect_model_error(b, OpKind::kReverseSequence, {b.param({3}), b.ints({1, 2, 3})}, b0s1, 1, {"rank 2"});
  expect_model_error(b, OpKind::kReverseSequence, {b.param({3, 5}), typed_scalar(b, ET::kBoolean, 1, {3})},
                     b0s1, 1, {"seq_lengths", "numeric", "boolean"});
  expect_model_error(b, OpKind::kReverseSequence, {b.param({3, 5}), b.ints({1, 2, 3})},
                     {{"batch_axis", "0"}, {"seq_axis", "2"}}, 1, {"seq_axis", "out of range"});
}

TEST(InferIdentity, Shape) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kIdentity, {b.param({2, 5}, ET::kBoolean)}, {}, 16), (Dims{2, 5}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kBoolean);
}

TEST(InferRange, Version1) {
  Builder b;
  auto range1 = [&](ET t, double s, double e, double st) {
    Dims d = b.infer(OpKind::kRange, {typed_scalar(b, t, s), typed_scalar(b, t, e), typed_scalar(b, t, st)});
    EXPECT_EQ(b.last->outputs[0].type, t);
    return d;
  };
  EXPECT_EQ(range1(ET::kI32, 0, 10, 3), Dims{4});             // 0 3 6 9
  EXPECT_EQ(range1(ET::kI64, 10, -3, -4), Dims{4});           // 10 6 2 -2
  EXPECT_EQ(range1(ET::kF32, 0.5, 3.2, 0.7), Dims{4});        // ceil(2.7 / 0.7) = 4
  EXPECT_EQ(range1(ET::kF32, 2.5, -1.75, -0.375), Dims{12});  // 4.25 / 0.375 = 11.33
  EXPECT_EQ(range1(ET::kI64, 5, 2, 1), Dims{0});
  EXPECT_EQ(range1(ET::kI8, -5, 6, 3), Dims{4});
  expect_model_error(b, OpKind::kRange, {b.scalar(0), typed_scalar(b, ET::kI32, 5), b.scalar(1)}, {}, 1,
                     {"inputs 0 and 1", "i64 and i32"});
  expect_model_error(b, OpKind::kRange, {b.scalar(0), b.scalar(5), b.scalar(0)}, {}, 1,
                     {"input 2 (step) is 0"});
  expect_model_error(
      b, OpKind::kRange,
      {typed_scalar(b, ET::kBoolean, 0), typed_scalar(b, ET::kBoolean, 1), typed_scalar(b, ET::kBoolean, 1)},
      {}, 1, {"input 0 (start)", "numeric", "boolean"});
  expect_model_error(b, OpKind::kRange, {b.ints({0}), b.scalar(5), b.scalar(1)}, {}, 1,
                     {"input 0 (start) must be a scalar", "[1]"});
  expect_unsupported(b, OpKind::kRange, {b.scalar(0), b.param({}, ET::kI64), b.scalar(1)}, {}, 1,
                     {"input 1 (stop) is computed at run time", "static shapes"});
  expect_unsupported(b, OpKind::kRange, {b.scalar(0), b.scalar(5), b.scalar(1)}, {{"output_type", "i64"}}, 1,
                     {"'output_type'", "Range-1"});
}

TEST(InferRange, Version4) {
  Builder b;
  auto range4 = [&](Node* s, Node* e, Node* st, const char* type) {
    return b.infer(OpKind::kRange, {s, e, st}, {{"output_type", type}}, 4);
  };
  EXPECT_EQ(range4(b.scalar(0), b.scalar(7), b.scalar(1), "i64"), Dims{7});
  EXPECT_EQ(b.last->outputs[0].type, ET::kI64);
  // Cast to the integer output type first: 0.5 -> 0, 7.9 -> 7, 2.7 -> 2 gives 0 2 4 6.
  EXPECT_EQ(range4(typed_scalar(b, ET::kF32, 0.5), typed_scalar(b, ET::kF32, 7.9),
                   typed_scalar(b, ET::kF32, 2.7), "i32"),
            Dims{4});
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
  // Mixed input types; a float output keeps the fractions: ceil(3.5 / 1) = 4.
  EXPECT_EQ(range4(typed_scalar(b, ET::kI32, 1), typed_scalar(b, ET::kF32, 4.5), b.scalar(1), "f32"),
            Dims{4});
  EXPECT_EQ(range4(b.scalar(0), b.scalar(5), b.scalar(1), "f16"), Dims{5});
  EXPECT_EQ(b.last->outputs[0].type, ET::kF16);
  expect_model_error(
      b, OpKind::kRange,
      {typed_scalar(b, ET::kF32, 0), typed_scalar(b, ET::kF32, 5), typed_scalar(b, ET::kF32, 0.5)},
      {{"output_type", "i32"}}, 4, {"input 2 (step) is 0 as output type i32"});
  expect_model_error(b, OpKind::kRange, {b.scalar(0), b.scalar(5), b.scalar(1)}, {{"output_type", "boolean"}},
                     4, {"output_type", "numeric"});
  expect_model_error(b, OpKind::kRange, {b.scalar(0), b.scalar(5), b.scalar(1)}, {}, 4,
                     {"output_type", "missing"});
  expect_unsupported(b, OpKind::kRange, {b.scalar(0), b.scalar(5), b.scalar(1)}, {{"output_type", "u4"}}, 4,
                     {"output_type", "u4"});
  expect_unsupported(b, OpKind::kRange, {b.param({}, ET::kI64), b.scalar(5), b.scalar(1)},
                     {{"output_type", "i64"}}, 4, {"input 0 (start) is computed at run time"});
}

TEST(InferEye, ShapesAndErrors) {
  Builder b;
  const Attrs f32 = {{"output_type", "f32"}};
  EXPECT_EQ(b.infer(OpKind::kEye, {b.scalar(3), b.scalar(5), b.scalar(2)}, f32, 9), (Dims{3, 5}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
  EXPECT_EQ(b.infer(OpKind::kEye, {b.ints({2}, ET::kI32), b.ints({3}, ET::kI32), b.ints({-7}, ET::kI32)},
                    {{"output_type", "boolean"}}, 9),
            (Dims{2, 3}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kBoolean);
  EXPECT_EQ(b.infer(OpKind::kEye, {b.scalar(2), b.scalar(3), b.scalar(0), b.ints({2, 3})}, f32, 9),
            (Dims{2, 3, 2, 3}));
  // diagonal_index may be computed at run time: it does not change the shape.
  EXPECT_EQ(b.infer(OpKind::kEye, {b.scalar(0), b.scalar(4), b.param({}, ET::kI64)}, f32, 9), (Dims{0, 4}));
  expect_model_error(b, OpKind::kEye, {b.scalar(-1), b.scalar(3), b.scalar(0)}, f32, 9, {"num_rows", "-1"});
  expect_model_error(b, OpKind::kEye, {typed_scalar(b, ET::kI8, 2), b.scalar(3), b.scalar(0)}, f32, 9,
                     {"num_rows", "i32 or i64", "i8"});
  expect_model_error(b, OpKind::kEye, {b.ints({2, 2}), b.scalar(3), b.scalar(0)}, f32, 9,
                     {"num_rows", "[2]"});
  expect_model_error(b, OpKind::kEye, {b.scalar(2), b.scalar(3), b.scalar(0), b.ints({-2})}, f32, 9,
                     {"batch_shape", "negative"});
  expect_model_error(b, OpKind::kEye, {b.scalar(2), b.scalar(3), b.scalar(0)}, {}, 9,
                     {"output_type", "missing"});
  expect_unsupported(b, OpKind::kEye, {b.param({}, ET::kI64), b.scalar(3), b.scalar(0)}, f32, 9,
                     {"input 0 (num_rows) must be constant"});
}

TEST(InferOneHot, ShapesAndErrors) {
  Builder b;
  auto on = [&] { return typed_scalar(b, ET::kF32, 1); };
  auto off = [&] { return typed_scalar(b, ET::kF32, 0); };
  EXPECT_EQ(b.infer(OpKind::kOneHot, {b.param({2, 3}, ET::kI64), b.scalar(5), on(), off()}, {{"axis", "-1"}}),
            (Dims{2, 3, 5}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
  EXPECT_EQ(b.infer(OpKind::kOneHot, {b.param({2, 3}, ET::kI32), typed_scalar(b, ET::kI32, 4), on(), off()},
                    {{"axis", "1"}}),
            (Dims{2, 4, 3}));
  EXPECT_EQ(b.infer(OpKind::kOneHot, {b.param({2, 3}, ET::kI64), b.scalar(4), on(), off()}, {{"axis", "-3"}}),
            (Dims{4, 2, 3}));
  EXPECT_EQ(b.infer(OpKind::kOneHot,
                    {b.param({}, ET::kI64), b.scalar(4), typed_scalar(b, ET::kBoolean, 1),
                     typed_scalar(b, ET::kBoolean, 0)},
                    {{"axis", "0"}, {"negative_indices_mode", "normalize"}}, 16),
            Dims{4});
  EXPECT_EQ(b.last->outputs[0].type, ET::kBoolean);
  expect_model_error(b, OpKind::kOneHot, {b.param({2, 3}, ET::kI64), b.scalar(4), on(), off()},
                     {{"axis", "3"}}, 1, {"axis", "out of range", "rank 3"});
  expect_model_error(b, OpKind::kOneHot, {b.param({2, 3}, ET::kI64), b.ints({4}), on(), off()},
                     {{"axis", "0"}}, 1, {"depth", "scalar"});
  expect_model_error(b, OpKind::kOneHot,
                     {b.param({2, 3}, ET::kI64), typed_scalar(b, ET::kF32, 4), on(), off()}, {{"axis", "0"}},
                     1, {"depth", "integer type"});
  expect_model_error(b, OpKind::kOneHot,
                     {b.param({2, 3}, ET::kI64), b.scalar(4), on(), typed_scalar(b, ET::kI32, 0)},
                     {{"axis", "0"}}, 1, {"inputs 2 and 3", "f32 and i32"});
  expect_model_error(b, OpKind::kOneHot, {b.param({2}, ET::kF32), b.scalar(4), on(), off()}, {{"axis", "0"}},
                     1, {"indices", "integer type"});
  expect_model_error(b, OpKind::kOneHot, {b.param({2}, ET::kI64), b.scalar(-1), on(), off()}, {{"axis", "0"}},
                     1, {"depth", "-1"});
  expect_model_error(b, OpKind::kOneHot, {b.param({2}, ET::kI64), b.scalar(3), on(), off()},
                     {{"axis", "0"}, {"negative_indices_mode", "wrap"}}, 16, {"ignore_negative, normalize"});
  expect_unsupported(b, OpKind::kOneHot, {b.param({2}, ET::kI64), b.scalar(3), on(), off()},
                     {{"axis", "0"}, {"negative_indices_mode", "normalize"}}, 1,
                     {"negative_indices_mode", "OneHot-1"});
  expect_unsupported(b, OpKind::kOneHot, {b.param({2}, ET::kI64), b.param({}, ET::kI64), on(), off()},
                     {{"axis", "0"}}, 1, {"input 1 (depth) must be constant"});
}

}  // namespace
}  // namespace octet::test
