// prepare_graph folds shape subgraphs that go through Range with the reference evaluator: a Range
// feeding a Reshape's target shape, and BERT's position ids (ShapeOf -> Gather -> Range-4 -> Gather
// of an embedding table). After preparation no Range is left, its consumers read Constants of the
// hand-computed values, and the graph runs.
#include <gtest/gtest.h>

#include "host/common/error.h"
#include "host/reference/run_graph.h"
#include "host/transforms/prepare.h"

namespace octet {
namespace {

Node* i64_scalar(Graph& g, const std::string& name, int64_t v) {
  Tensor t(ElementType::kI64, {});
  *t.data_as<int64_t>() = v;
  return g.add_constant(name, std::move(t));
}

Node* param(Graph& g, const std::string& name, ElementType type, Dims shape) {
  Node* p = g.add(OpKind::kParameter, name);
  p->outputs = {Value{type, std::move(shape), {name}, false, {}}};
  g.parameters.push_back(p);
  return p;
}

Node* result(Graph& g, Node* from) {
  from->outputs.resize(1);
  from->outputs[0].names = {"y"};
  Node* r = g.add(OpKind::kResult, "out");
  r->inputs = {{from, 0}};
  g.results.push_back(r);
  return r;
}

bool has_op(const Graph& g, OpKind op) {
  for (const auto& n : g.nodes())
    if (n->op == op) return true;
  return false;
}

TEST(FoldRange, RangeFeedsReshapeTargetShape) {
  Graph g;
  Node* x = param(g, "x", ElementType::kF32, {24});
  Node* range = g.add(OpKind::kRange, "shape_range", 1);
  range->inputs = {
      {i64_scalar(g, "start", 2), 0}, {i64_scalar(g, "stop", 5), 0}, {i64_scalar(g, "step", 1), 0}};
  Node* reshape = g.add(OpKind::kReshape, "reshape");
  reshape->attrs.set("special_zero", "false");
  reshape->inputs = {{x, 0}, {range, 0}};
  result(g, reshape);

  prepare_graph(g);
  EXPECT_FALSE(has_op(g, OpKind::kRange));
  const Tensor* target = reshape->input_constant(1);
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->to_int64_vector(), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(to_string(reshape->outputs[0].shape), "[2,3,4]");

  Tensor in(ElementType::kF32, {24});
  for (int i = 0; i < 24; ++i) in.data_as<float>()[i] = static_cast<float>(i) * 0.5f;
  const auto out = run_reference(g, {{"x", in}});
  const Tensor& y = out.at("y");
  ASSERT_EQ(to_string(y.shape()), "[2,3,4]");
  for (int i = 0; i < 24; ++i) EXPECT_EQ(y.data_as<float>()[i], static_cast<float>(i) * 0.5f);
}

TEST(FoldRange, PositionIdsFromShapeOfThroughRange4IntoGather) {
  Graph g;
  Node* ids = param(g, "ids", ElementType::kI64, {1, 7});
  Node* shape = g.add(OpKind::kShapeOf, "shape", 3);
  shape->attrs.set("output_type", "i64");
  shape->inputs = {{ids, 0}};
  Node* seq_len = g.add(OpKind::kGather, "seq_len", 8);
  seq_len->attrs.set("batch_dims", "0");
  seq_len->inputs = {{shape, 0}, {i64_scalar(g, "one", 1), 0}, {i64_scalar(g, "axis0", 0), 0}};
  Node* positions = g.add(OpKind::kRange, "positions", 4);
  positions->attrs.set("output_type", "i32");
  positions->inputs = {{i64_scalar(g, "zero", 0), 0}, {seq_len, 0}, {i64_scalar(g, "step", 1), 0}};
  Node* table = param(g, "table", ElementType::kF32, {16, 2});
  Node* embed = g.add(OpKind::kGather, "embed", 8);
  embed->attrs.set("batch_dims", "0");
  embed->inputs = {{table, 0}, {positions, 0}, {i64_scalar(g, "axis", 0), 0}};
  result(g, embed);

  prepare_graph(g);
  EXPECT_FALSE(has_op(g, OpKind::kRange));
  EXPECT_FALSE(has_op(g, OpKind::kShapeOf));
  const Tensor* pos = embed->input_constant(1);
  ASSERT_NE(pos, nullptr);
  EXPECT_EQ(pos->type(), ElementType::kI32);
  EXPECT_EQ(pos->to_int64_vector(), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6}));
  Tensor rows(ElementType::kF32, {16, 2});
  for (int i = 0; i < 32; ++i) rows.data_as<float>()[i] = static_cast<float>(100 + i);
  const auto out = run_reference(g, {{"ids", Tensor(ElementType::kI64, {1, 7})}, {"table", rows}});
  const Tensor& y = out.at("y");
  ASSERT_EQ(to_string(y.shape()), "[7,2]");
  for (int i = 0; i < 14; ++i) EXPECT_EQ(y.data_as<float>()[i], static_cast<float>(100 + i));
}

TEST(FoldRange, RangeOfARunTimeValueIsRefused) {
  Graph g;
  Node* n = param(g, "n", ElementType::kI64, {});
  Node* range = g.add(OpKind::kRange, "range", 4);
  range->attrs.set("output_type", "i64");
  range->inputs = {{i64_scalar(g, "zero", 0), 0}, {n, 0}, {i64_scalar(g, "step", 1), 0}};
  result(g, range);
  try {
    prepare_graph(g);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("'range'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("input 1 (stop) is computed at run time"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace octet
