// prepare_graph's folding of shape subgraphs (ShapeOf -> Gather -> Concat -> Reshape and friends) once
// the input shapes are static, and the error that names the layer, the input and the path to the
// model input whose values a shape depends on when it cannot fold. Expected shapes and values are
// worked out by hand from the graphs below.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/transforms/prepare.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet {
namespace {

using test::Builder;
using ET = ElementType;

// Marks `out` as a model output and `params` as the model inputs.
void finish(Builder& b, std::vector<Node*> params, Node* out) {
  Node* r = b.op(OpKind::kResult, {out});
  b.g.results.push_back(r);
  b.g.parameters = std::move(params);
}

Node* named(Node* n, const char* name) {
  n->name = name;
  return n;
}

int count(const Graph& g, OpKind op) {
  int n = 0;
  for (const auto& node : g.nodes()) n += node->op == op;
  return n;
}

// x.view(x.size(0), -1): Reshape(x, Concat(Gather(ShapeOf(x), [0]), [-1])).
TEST(ShapeFold, FlattenTargetFromShapeOfFolds) {
  Builder b;
  Node* x = b.param({3, 4, 3, 5});
  Node* shape = b.op(OpKind::kShapeOf, {x}, {{"output_type", "i64"}}, 3);
  Node* batch = b.op(OpKind::kGather, {shape, b.ints({0}), b.scalar(0)}, {{"batch_dims", "0"}}, 8);
  Node* target = b.op(OpKind::kConcat, {batch, b.ints({-1})}, {{"axis", "0"}});
  Node* reshape = b.op(OpKind::kReshape, {x, target}, {{"special_zero", "false"}});
  finish(b, {x}, reshape);
  prepare_graph(b.g);
  EXPECT_EQ(reshape->outputs[0].shape, (Dims{3, 60}));
  const Tensor* t = reshape->input_constant(1);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->to_int64_vector(), (std::vector<int64_t>{3, -1}));
  EXPECT_EQ(count(b.g, OpKind::kShapeOf) + count(b.g, OpKind::kGather) + count(b.g, OpKind::kConcat), 0);
}

// Sizes computed in f32 from the shape, as converters write F.interpolate(scale_factor=...):
// Convert(i64 -> f32) of a folded shape is shape arithmetic, not weight decompression, and folds.
// [4, 6] * [2, 0.5] = [8, 3].
TEST(ShapeFold, ShapeThroughFloatArithmeticFolds) {
  Builder b;
  Node* x = b.param({4, 6});
  Node* shape = b.op(OpKind::kShapeOf, {x}, {{"output_type", "i64"}}, 3);
  Node* as_f32 = b.op(OpKind::kConvert, {shape}, {{"destination_type", "f32"}});
  Node* scaled = b.op(OpKind::kMultiply, {as_f32, b.floats({2.0f, 0.5f})});
  Node* floor = b.op(OpKind::kFloor, {scaled});
  Node* as_i64 = b.op(OpKind::kConvert, {floor}, {{"destination_type", "i64"}});
  Node* reshape = b.op(OpKind::kReshape, {x, as_i64}, {{"special_zero", "false"}});
  finish(b, {x}, reshape);
  prepare_graph(b.g);
  EXPECT_EQ(reshape->outputs[0].shape, (Dims{8, 3}));
  EXPECT_EQ(count(b.g, OpKind::kConvert), 0);
}

// TopK k = shape[1] / 2 (Divide floors for integers): 7 / 2 = 3.
TEST(ShapeFold, TopKFromShapeFolds) {
  Builder b;
  Node* x = b.param({2, 7});
  Node* shape = b.op(OpKind::kShapeOf, {x}, {{"output_type", "i32"}}, 3);
  Node* dim = b.op(OpKind::kGather, {shape, b.scalar(1), b.scalar(0)}, {{"batch_dims", "0"}}, 8);
  Node* k = b.op(OpKind::kDivide, {dim, b.ints({2}, ET::kI32, Dims{})});
  Node* topk = b.op(OpKind::kTopK, {x, k}, {{"axis", "1"}, {"mode", "max"}, {"sort", "value"}}, 1);
  finish(b, {x}, topk);
  prepare_graph(b.g);
  EXPECT_EQ(topk->outputs[0].shape, (Dims{2, 3}));
}

// Compressed weights stay a Convert of a constant so that the quantization pass finds them.
TEST(ShapeFold, WeightDecompressionIsNotFolded) {
  Builder b;
  Node* x = b.param({1, 4});
  Tensor codes(ET::kU8, {4, 2});
  Node* w =
      b.op(OpKind::kConvert, {b.g.add_constant("codes", std::move(codes))}, {{"destination_type", "f32"}});
  Node* scaled = b.op(OpKind::kMultiply, {w, b.floats({0.5f})});
  Node* mm = b.op(OpKind::kMatMul, {x, scaled}, {{"transpose_a", "false"}, {"transpose_b", "false"}});
  finish(b, {x}, mm);
  prepare_graph(b.g);
  EXPECT_EQ(count(b.g, OpKind::kConvert), 1);
  EXPECT_EQ(w->inputs[0].node->constant->type(), ET::kU8);
}

// A Reshape target built from another input's values: the error names the layer, the input, the
// model input and the path (the ShapeOf piece folds and is not part of it).
TEST(ShapeFold, ValueDependentTargetNamesInputAndPath) {
  Builder b;
  Node* x = b.param({2, 12});
  Node* rows = named(b.param({1}, ET::kI64), "rows");
  Node* plus = named(b.op(OpKind::kAdd, {rows, b.ints({0})}), "rows_plus_zero");
  Node* shape = b.op(OpKind::kShapeOf, {x}, {{"output_type", "i64"}}, 3);
  Node* first = b.op(OpKind::kGather, {shape, b.ints({0}), b.scalar(0)}, {{"batch_dims", "0"}}, 8);
  Node* target = named(b.op(OpKind::kConcat, {first, plus}, {{"axis", "0"}}), "target");
  Node* reshape = named(b.op(OpKind::kReshape, {x, target}, {{"special_zero", "false"}}), "reshape");
  finish(b, {x, rows}, reshape);
  test::expect_error(
      [&] { prepare_graph(b.g); }, ErrorCode::kUnsupported,
      {"node 'reshape' (Reshape): input 1 (target shape) must be constant: it depends on the values "
       "of model input 'rows' through 'rows_plus_zero' -> 'target'; octet needs it at compile time: "
       "static shapes only"});
}

TEST(ShapeFold, ShapeThatIsAModelInputSaysSo) {
  Builder b;
  Node* x = b.param({2, 12});
  Node* target = named(b.param({2}, ET::kI64), "target_shape");
  Node* reshape = named(b.op(OpKind::kReshape, {x, target}, {{"special_zero", "false"}}), "reshape");
  finish(b, {x, target}, reshape);
  test::expect_error(
      [&] { prepare_graph(b.g); }, ErrorCode::kUnsupported,
      {"input 1 (target shape) must be constant: it is the values of model input 'target_shape';"});
}

TEST(ShapeFold, TopKFromValuesNamesThePath) {
  Builder b;
  Node* x = b.param({2, 7});
  Node* kin = named(b.param({3}, ET::kI64), "kin");
  Node* pick =
      named(b.op(OpKind::kGather, {kin, b.scalar(0), b.scalar(0)}, {{"batch_dims", "0"}}, 8), "k_pick");
  Node* topk =
      named(b.op(OpKind::kTopK, {x, pick}, {{"axis", "1"}, {"mode", "max"}, {"sort", "value"}}, 1), "topk");
  finish(b, {x, kin}, topk);
  test::expect_error(
      [&] { prepare_graph(b.g); }, ErrorCode::kUnsupported,
      {"node 'topk' (TopK): input 1 (k) must be constant: it depends on the values of model input "
       "'kin' through 'k_pick'; k sets the output shape"});
}

// A dynamic input dim with no shape given is refused up front, naming the input.
TEST(ShapeFold, DynamicInputWithoutShapeIsRefused) {
  Builder b;
  Node* x = named(b.param({-1, 4}), "x");
  finish(b, {x}, b.op(OpKind::kRelu, {x}));
  test::expect_error([&] { prepare_graph(b.g); }, ErrorCode::kUnsupported,
                     {"dynamic shapes: give a static shape for parameter 'x' ([?,4])"});
}

}  // namespace
}  // namespace octet
