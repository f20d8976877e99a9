// Shape inference and attribute tests for TopK, GatherElements, GatherND and the scatters. Expected
// shapes follow the OpenVINO op specs of each version (computed by hand); errors must name the layer,
// the input or attribute and the value.
#include "host/graph/op_attrs.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;
using Attrs = std::map<std::string, std::string>;

const Attrs kTopK = {{"axis", "1"}, {"mode", "max"}, {"sort", "value"}};

Attrs topk_attrs(Attrs extra) {
  Attrs a = kTopK;
  for (auto& [k, v] : extra) a[k] = v;
  return a;
}

// Infers a node and expects an error of `code` naming the layer and every fragment.
void expect_code(Builder& b, ErrorCode code, OpKind kind, std::vector<Node*> inputs, Attrs attrs, int version,
                 std::initializer_list<const char*> fragments) {
  Node* n = b.op(kind, std::move(inputs), std::move(attrs), version);
  const std::string layer = "'" + n->name + "'";
  expect_error([&] { infer_node(*n); }, code, fragments);
  try {
    infer_node(*n);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(layer), std::string::npos) << "layer not named: " << e.what();
  }
}

TEST(InferTopK, ShapesAndIndexTypes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kTopK, {b.param({3, 11, 5}), b.scalar(4)}, kTopK, 1), (Dims{3, 4, 5}));
  EXPECT_EQ(b.last->outputs.size(), 2u);
  EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
  EXPECT_EQ(b.last->outputs[1].type, ET::kI32);  // index_element_type defaults to i32
  EXPECT_EQ(b.last->outputs[1].shape, (Dims{3, 4, 5}));
  EXPECT_EQ(b.infer(OpKind::kTopK, {b.param({2, 3, 7}, ET::kI64), b.ints({3}, ET::kI32)},
                    topk_attrs({{"axis", "-1"}, {"index_element_type", "i64"}}), 3),
            (Dims{2, 3, 3}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI64);
  EXPECT_EQ(b.last->outputs[1].type, ET::kI64);
  EXPECT_EQ(b.infer(OpKind::kTopK, {b.param({13}, ET::kF16), b.scalar(13)},
                    topk_attrs({{"axis", "0"}, {"stable", "true"}, {"sort", "index"}}), 11),
            Dims{13});
  EXPECT_TRUE(b.last->attr<TopKAttrs>().stable);
  EXPECT_EQ(b.last->attr<TopKAttrs>().sort, TopKSort::kIndex);
  // Dynamic dims stay dynamic, except the axis, which becomes k.
  EXPECT_EQ(b.infer(OpKind::kTopK, {b.param({-1, 7}), b.scalar(3)}, kTopK, 11), (Dims{-1, 3}));
  EXPECT_EQ(b.infer(OpKind::kTopK, {b.param({2, -1}), b.scalar(5)}, kTopK, 11), (Dims{2, 5}));
}

TEST(InferTopK, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kTopK, {b.param({3, 11}), b.scalar(12)}, kTopK, 11,
                     {"input 1 (k) is 12", "[1, 11]"});
  expect_model_error(b, OpKind::kTopK, {b.param({3, 11}), b.scalar(0)}, kTopK, 3, {"input 1 (k) is 0"});
  expect_model_error(b, OpKind::kTopK, {b.param({3, -1}), b.scalar(-2)}, kTopK, 3, {"input 1 (k) is -2"});
  expect_model_error(b, OpKind::kTopK, {b.param({3, 11}), b.ints({2, 3})}, kTopK, 11, {"k", "one value"});
  expect_model_error(b, OpKind::kTopK, {b.param({3, 11}), b.floats({2})}, kTopK, 11, {"k", "integer"});
  expect_model_error(b, OpKind::kTopK, {b.param({3, 11}), b.scalar(2)}, topk_attrs({{"axis", "2"}}), 11,
                     {"axis 2"});
  expect_model_error(b, OpKind::kTopK, {b.param({3, 11}, ET::kBoolean), b.scalar(2)}, kTopK, 11,
                     {"data", "numeric", "boolean"});
  expect_model_error(b, OpKind::kTopK, {b.param({3, 11}), b.scalar(2)}, topk_attrs({{"mode", "mid"}}), 11,
                     {"mode", "mid"});
  expect_model_error(b, OpKind::kTopK, {b.param({3, 11}), b.scalar(2)},
                     topk_attrs({{"index_element_type", "i16"}}), 11, {"index_element_type"});
  expect_model_error(b, OpKind::kTopK, {b.param({3, 11}), b.scalar(2)}, {{"axis", "1"}, {"mode", "max"}}, 11,
                     {"sort"});
  // A data-dependent k: the output shape would depend on the data.
  expect_code(b, ErrorCode::kUnsupported, OpKind::kTopK, {b.param({3, 11}), b.param({}, ET::kI64)}, kTopK, 11,
              {"input 1 (k)", "constant"});
  // `stable` is TopK-11's; TopK-3 refuses it rather than ignoring it.
  expect_code(b, ErrorCode::kUnsupported, OpKind::kTopK, {b.param({3, 11}), b.scalar(2)},
              topk_attrs({{"stable", "true"}}), 3, {"stable", "TopK-3"});
}

TEST(InferGatherElements, Shapes) {
  Builder b;
  // Output takes the indices shape; the axis dim may differ from data's (larger or smaller).
  EXPECT_EQ(b.infer(OpKind::kGatherElements, {b.param({3, 7, 5}), b.param({3, 10, 5}, ET::kI32)},
                    {{"axis", "1"}}, 6),
            (Dims{3, 10, 5}));
  EXPECT_EQ(
      b.infer(OpKind::kGatherElements, {b.param({3, 3}), b.param({2, 3}, ET::kI64)}, {{"axis", "-2"}}, 6),
      (Dims{2, 3}));
  EXPECT_EQ(b.infer(OpKind::kGatherElements, {b.param({4, 5}), b.ints({0, -1, 4, -5}, ET::kI64, Dims{4, 1})},
                    {{"axis", "1"}}, 6),
            (Dims{4, 1}));
  // A dynamic indices dim off the axis takes data's.
  EXPECT_EQ(
      b.infer(OpKind::kGatherElements, {b.param({3, 4}), b.param({-1, 2}, ET::kI64)}, {{"axis", "1"}}, 6),
      (Dims{3, 2}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
}

TEST(InferGatherElements, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kGatherElements, {b.param({3, 4}), b.param({3}, ET::kI64)}, {{"axis", "0"}},
                     6, {"rank of data"});
  expect_model_error(b, OpKind::kGatherElements, {b.param({3, 4}), b.param({2, 3}, ET::kI64)},
                     {{"axis", "0"}}, 6, {"differ in dim 1"});
  expect_model_error(b, OpKind::kGatherElements, {b.param({3, 4}), b.param({2, 4}, ET::kF32)},
                     {{"axis", "0"}}, 6, {"indices", "integer"});
  expect_model_error(b, OpKind::kGatherElements, {b.param({3, 4}), b.param({2, 4}, ET::kI64)},
                     {{"axis", "2"}}, 6, {"axis 2"});
  expect_model_error(b, OpKind::kGatherElements, {b.param({3, 4}), b.param({2, 4}, ET::kI64)}, {}, 6,
                     {"axis"});
  expect_model_error(b, OpKind::kGatherElements, {b.param({3, 2}), b.ints({0, 3}, ET::kI32, Dims{1, 2})},
                     {{"axis", "0"}}, 6, {"value 3 at position 1", "[-3, 3)"});
  expect_model_error(b, OpKind::kGatherElements, {b.param({3, 2}), b.ints({-4, 0}, ET::kI64, Dims{1, 2})},
                     {{"axis", "0"}}, 6, {"value -4 at position 0"});
}

TEST(InferGatherND, ShapesPerVersion) {
  Builder b;
  // indices.shape[:-1] + data.shape[k:]
  EXPECT_EQ(
      b.infer(OpKind::kGatherND, {b.param({1000, 256, 10, 15}), b.param({25, 125, 3}, ET::kI64)}, {}, 5),
      (Dims{25, 125, 15}));
  EXPECT_EQ(b.infer(OpKind::kGatherND, {b.param({3, 4}), b.param({2}, ET::kI32)}, {}, 8), Dims{});
  // The spec's batch_dims=2 examples: GatherND-5 flattens the batch dims, GatherND-8 keeps them.
  EXPECT_EQ(b.infer(OpKind::kGatherND, {b.param({30, 2, 100, 35}), b.param({30, 2, 3, 1}, ET::kI64)},
                    {{"batch_dims", "2"}}, 5),
            (Dims{60, 3, 35}));
  EXPECT_EQ(b.infer(OpKind::kGatherND, {b.param({30, 2, 100, 35}), b.param({30, 2, 3, 1}, ET::kI64)},
                    {{"batch_dims", "2"}}, 8),
            (Dims{30, 2, 3, 35}));
  EXPECT_EQ(b.infer(OpKind::kGatherND, {b.param({1, 64, 64, 320}), b.param({1, 64, 64, 1, 1}, ET::kI64)},
                    {{"batch_dims", "3"}}, 8),
            (Dims{1, 64, 64, 1}));
  EXPECT_EQ(
      b.infer(OpKind::kGatherND, {b.param({2, 3, 4}), b.param({2, 1}, ET::kI64)}, {{"batch_dims", "1"}}, 5),
      (Dims{2, 4}));
  // GatherND-5 with a dynamic batch dim: the flattened product is dynamic.
  EXPECT_EQ(b.infer(OpKind::kGatherND, {b.param({-1, 3, 4, 5}), b.param({-1, 3, 1}, ET::kI64)},
                    {{"batch_dims", "2"}}, 5),
            (Dims{-1, 5}));
  EXPECT_EQ(b.infer(OpKind::kGatherND, {b.param({-1, 3, 4, 5}), b.param({2, 3, 1}, ET::kI64)},
                    {{"batch_dims", "2"}}, 5),
            (Dims{6, 5}));
}

TEST(InferGatherND, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kGatherND, {b.param({3, 4}), b.param({2, 3}, ET::kI64)}, {}, 8,
                     {"tuples of length 3"});
  expect_model_error(b, OpKind::kGatherND, {b.param({2, 3, 4}), b.param({2, 3}, ET::kI64)},
                     {{"batch_dims", "2"}}, 8, {"batch_dims", "is 2"});
  expect_model_error(b, OpKind::kGatherND, {b.param({2, 3, 4}), b.param({3, 1}, ET::kI64)},
                     {{"batch_dims", "1"}}, 8, {"batch dim 0"});
  expect_model_error(b, OpKind::kGatherND, {b.param({2, 3, 4}), b.param({3, 1}, ET::kI64)},
                     {{"batch_dims", "-1"}}, 8, {"batch_dims", ">= 0"});
  expect_model_error(b, OpKind::kGatherND, {b.param({3, 4}), b.param({}, ET::kI64)}, {}, 8, {"rank >= 1"});
  expect_model_error(b, OpKind::kGatherND, {b.param({3, 4}), b.ints({1, 4}, ET::kI64, Dims{1, 2})}, {}, 8,
                     {"value 4 at position 1", "[-4, 4)"});
  expect_model_error(b, OpKind::kGatherND, {b.param({3, 4}), b.ints({-4, 0}, ET::kI64, Dims{1, 2})}, {}, 5,
                     {"value -4 at position 0", "[-3, 3)"});
  // Broadcast batch dims (the spec allows 1 against n) are refused, as by OpenVINO.
  expect_code(b, ErrorCode::kUnsupported, OpKind::kGatherND, {b.param({2, 3, 4}), b.param({1, 1}, ET::kI64)},
              {{"batch_dims", "1"}}, 8, {"batch dim 0"});
  expect_code(b, ErrorCode::kUnsupported, OpKind::kGatherND, {b.param({2, 3, 4}), b.param({2, -1}, ET::kI64)},
              {}, 8, {"dynamic last dim"});
}

TEST(InferScatterUpdate, ShapesAndErrors) {
  Builder b;
  // updates = data[:axis] + indices + data[axis+1:]
  EXPECT_EQ(b.infer(OpKind::kScatterUpdate,
                    {b.param({1000, 256, 10, 15}), b.param({125, 20}, ET::kI64),
                     b.param({1000, 125, 20, 10, 15}), b.ints({1})},
                    {}, 3),
            (Dims{1000, 256, 10, 15}));
  EXPECT_EQ(
      b.infer(OpKind::kScatterUpdate,
              {b.param({4, 2}, ET::kI32), b.ints({2}, ET::kI64, Dims{}), b.param({2}, ET::kI32), b.scalar(0)},
              {}, 3),
      (Dims{4, 2}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
  expect_model_error(b, OpKind::kScatterUpdate,
                     {b.param({3, 5}), b.param({2}, ET::kI64), b.param({2, 5}), b.scalar(-1)}, {}, 3,
                     {"input 2 (updates) has shape [2,5], expected [3,2]"});
  expect_model_error(b, OpKind::kScatterUpdate, {b.param({3, 5}), b.ints({-1}), b.param({1, 5}), b.scalar(0)},
                     {}, 3, {"value -1", "[0, 3)"});
  expect_model_error(b, OpKind::kScatterUpdate,
                     {b.param({3, 5}), b.param({1}, ET::kI64), b.param({1, 5}, ET::kF16), b.scalar(0)}, {}, 3,
                     {"same element type"});
  expect_model_error(b, OpKind::kScatterUpdate,
                     {b.param({3, 5}), b.param({1}, ET::kI64), b.param({1, 5}), b.scalar(2)}, {}, 3,
                     {"axis 2"});
  expect_code(b, ErrorCode::kUnsupported, OpKind::kScatterUpdate,
              {b.param({3, 5}), b.param({1}, ET::kI64), b.param({1, 5}), b.param({}, ET::kI64)}, {}, 3,
              {"input 3 (axis) must be constant"});
}

TEST(InferScatterElementsUpdate, ShapesAttributesAndErrors) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kScatterElementsUpdate,
                    {b.param({1000, 256, 7, 7}), b.param({125, 20, 7, 6}, ET::kI32), b.param({125, 20, 7, 6}),
                     b.ints({0})},
                    {}, 3),
            (Dims{1000, 256, 7, 7}));
  // v12: the axis dim of indices may exceed data's (duplicates).
  EXPECT_EQ(b.infer(OpKind::kScatterElementsUpdate,
                    {b.param({4}), b.param({6}, ET::kI64), b.param({6}), b.scalar(0)},
                    {{"reduction", "mean"}, {"use_init_val", "false"}}, 12),
            Dims{4});
  EXPECT_EQ(b.last->attr<ScatterElementsUpdateAttrs>().reduction, ScatterReduction::kMean);
  EXPECT_FALSE(b.last->attr<ScatterElementsUpdateAttrs>().use_init_val);
  expect_model_error(b, OpKind::kScatterElementsUpdate,
                     {b.param({3, 4}), b.param({2, 5}, ET::kI64), b.param({2, 5}), b.scalar(0)}, {}, 12,
                     {"exceed data [3,4] in dim 1"});
  expect_model_error(b, OpKind::kScatterElementsUpdate,
                     {b.param({3, 4}), b.param({2, 4}, ET::kI64), b.param({2, 3}), b.scalar(0)}, {}, 12,
                     {"input 2 (updates) has shape [2,3], expected [2,4]"});
  expect_model_error(b, OpKind::kScatterElementsUpdate,
                     {b.param({3, 4}), b.param({4}, ET::kI64), b.param({4}), b.scalar(0)}, {}, 12,
                     {"rank of data"});
  expect_model_error(b, OpKind::kScatterElementsUpdate,
                     {b.param({3}), b.ints({1, 3}), b.param({2}), b.scalar(0)}, {}, 12,
                     {"value 3 at position 1"});
  expect_model_error(b, OpKind::kScatterElementsUpdate,
                     {b.param({3}), b.param({2}, ET::kI64), b.param({2}), b.scalar(0)},
                     {{"reduction", "avg"}}, 12, {"reduction", "avg"});
  expect_model_error(
      b, OpKind::kScatterElementsUpdate,
      {b.param({3}, ET::kBoolean), b.param({2}, ET::kI64), b.param({2}, ET::kBoolean), b.scalar(0)},
      {{"reduction", "mean"}}, 12, {"mean", "boolean"});
  // ScatterElementsUpdate-3 has no attributes: a reduction there is refused, not ignored.
  expect_code(b, ErrorCode::kUnsupported, OpKind::kScatterElementsUpdate,
              {b.param({3}), b.param({2}, ET::kI64), b.param({2}), b.scalar(0)}, {{"reduction", "sum"}}, 3,
              {"reduction"});
}

TEST(InferScatterNDUpdate, ShapesAttributesAndErrors) {
  Builder b;
  EXPECT_EQ(
      b.infer(OpKind::kScatterNDUpdate,
              {b.param({1000, 256, 10, 15}), b.param({25, 125, 3}, ET::kI32), b.param({25, 125, 15})}, {}, 4),
      (Dims{1000, 256, 10, 15}));
  // A full index tuple with 1-D indices: updates is 0-D or a single-element [1].
  EXPECT_EQ(b.infer(OpKind::kScatterNDUpdate, {b.param({2, 3}), b.ints({1, 2}), b.param({})}, {}, 4),
            (Dims{2, 3}));
  EXPECT_EQ(b.infer(OpKind::kScatterNDUpdate, {b.param({2, 3}), b.ints({1, 2}), b.param({1})}, {}, 15),
            (Dims{2, 3}));
  EXPECT_EQ(b.infer(OpKind::kScatterNDUpdate,
                    {b.param({4}), b.ints({0, 2, -3, -3, 0}, ET::kI64, Dims{5, 1}), b.param({5})},
                    {{"reduction", "sub"}}, 15),
            Dims{4});
  EXPECT_EQ(b.last->attr<ScatterNDUpdateAttrs>().reduction, ScatterReduction::kSub);
  expect_model_error(b, OpKind::kScatterNDUpdate, {b.param({2, 3}), b.param({4, 3}, ET::kI64), b.param({4})},
                     {}, 4, {"tuples of length 3"});
  expect_model_error(b, OpKind::kScatterNDUpdate, {b.param({2, 3}), b.param({4, 1}, ET::kI64), b.param({4})},
                     {}, 4, {"input 2 (updates) has shape [4], expected [4,3]"});
  expect_model_error(b, OpKind::kScatterNDUpdate,
                     {b.param({2, 3}), b.ints({0, 3}, ET::kI64, Dims{1, 2}), b.param({1})}, {}, 15,
                     {"value 3 at position 1", "[-3, 3)"});
  expect_model_error(b, OpKind::kScatterNDUpdate,
                     {b.param({2, 3}), b.param({4, 1}, ET::kI64), b.param({4, 3})}, {{"reduction", "mean"}},
                     15, {"reduction", "mean"});
  expect_code(b, ErrorCode::kUnsupported, OpKind::kScatterNDUpdate,
              {b.param({2, 3}), b.param({4, 1}, ET::kI64), b.param({4, 3})}, {{"reduction", "sum"}}, 4,
              {"reduction"});
}

}  // namespace
}  // namespace octet::test
