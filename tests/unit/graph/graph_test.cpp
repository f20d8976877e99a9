// Tests for graph bookkeeping (topological order, cycles, rewiring, dead-node removal), the
// infrastructure ops and whole-graph inference with the declared-shape check.
#include <algorithm>

#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;

size_t position(const std::vector<Node*>& order, const Node* n) {
  return static_cast<size_t>(std::find(order.begin(), order.end(), n) - order.begin());
}

TEST(Graph, TopologicalOrderPutsProducersFirst) {
  Graph g;
  // Consumers are added before their producers on purpose.
  Node* r = g.add(OpKind::kResult, "r");
  Node* add = g.add(OpKind::kAdd, "add");
  Node* relu = g.add(OpKind::kRelu, "relu");
  Node* x = g.add(OpKind::kParameter, "x");
  Node* c = g.add_constant("c", Tensor(ET::kF32, {1}));
  relu->inputs = {{x, 0}};
  add->inputs = {{relu, 0}, {c, 0}};
  r->inputs = {{add, 0}};
  const std::vector<Node*> order = g.topological_order();
  ASSERT_EQ(order.size(), 5u);
  EXPECT_LT(position(order, x), position(order, relu));
  EXPECT_LT(position(order, relu), position(order, add));
  EXPECT_LT(position(order, c), position(order, add));
  EXPECT_LT(position(order, add), position(order, r));
}

TEST(Graph, DetectsCycles) {
  Graph g;
  Node* x = g.add(OpKind::kParameter, "x");
  Node* a = g.add(OpKind::kAdd, "a");
  Node* b = g.add(OpKind::kRelu, "b");
  a->inputs = {{x, 0}, {b, 0}};
  b->inputs = {{a, 0}};
  expect_error([&] { g.topological_order(); }, ErrorCode::kModel, {"cycle involving"});
  Graph self;
  Node* s = self.add(OpKind::kRelu, "loop");
  s->inputs = {{s, 0}};
  s->ir_id = 9;
  expect_error([&] { self.topological_order(); }, ErrorCode::kModel, {"cycle involving layer 'loop' (id 9"});
}

TEST(Graph, ConsumersAndReplaceAllUses) {
  Graph g;
  Node* x = g.add(OpKind::kParameter, "x");
  Node* a = g.add(OpKind::kRelu, "a");
  Node* b = g.add(OpKind::kSigmoid, "b");
  Node* m = g.add(OpKind::kMultiply, "m");
  Node* r = g.add(OpKind::kResult, "r");
  a->inputs = {{x, 0}};
  m->inputs = {{a, 0}, {a, 0}};
  r->inputs = {{a, 0}};
  EXPECT_EQ(g.consumers({a, 0}).size(), 3u);
  // b reads a: rewiring a's users to b must not make b read itself.
  b->inputs = {{a, 0}};
  g.replace_all_uses({a, 0}, {b, 0});
  EXPECT_EQ(m->inputs[0], (Output{b, 0}));
  EXPECT_EQ(m->inputs[1], (Output{b, 0}));
  EXPECT_EQ(r->inputs[0], (Output{b, 0}));
  EXPECT_EQ(b->inputs[0], (Output{a, 0}));
  EXPECT_EQ(g.consumers({a, 0}).size(), 1u);
}

TEST(Graph, RemoveDeadNodesKeepsParametersAndLiveChains) {
  Graph g;
  Node* x = g.add(OpKind::kParameter, "x");
  Node* unused = g.add(OpKind::kParameter, "unused");
  Node* relu = g.add(OpKind::kRelu, "relu");
  Node* dead = g.add(OpKind::kTanh, "dead");
  Node* dead2 = g.add(OpKind::kExp, "dead2");
  Node* c = g.add_constant("c", Tensor(ET::kF32, {1}));
  Node* r = g.add(OpKind::kResult, "r");
  relu->inputs = {{x, 0}};
  dead->inputs = {{relu, 0}};
  dead2->inputs = {{dead, 0}};
  r->inputs = {{relu, 0}};
  g.parameters = {x, unused};
  g.results = {r};
  (void)c;
  g.remove_dead_nodes();
  std::vector<std::string> names;
  for (const auto& n : g.nodes()) names.push_back(n->name);
  EXPECT_EQ(names, (std::vector<std::string>{"x", "unused", "relu", "r"}));
}

TEST(Graph, DescribeAndInputConstant) {
  Graph g;
  Node* x = g.add(OpKind::kParameter, "x");
  Node* c = g.add_constant("c", Tensor(ET::kI64, {2}));
  Node* conv = g.add(OpKind::kConvolution, "conv1");
  conv->inputs = {{x, 0}, {c, 0}};
  EXPECT_EQ(conv->describe(), "node 'conv1' (Convolution)");
  conv->ir_id = 5;
  EXPECT_EQ(conv->describe(), "layer 'conv1' (id 5, Convolution-1)");
  EXPECT_EQ(conv->input_constant(0), nullptr);
  ASSERT_NE(conv->input_constant(1), nullptr);
  EXPECT_EQ(conv->input_constant(1)->shape(), Dims{2});
}

TEST(InferInfrastructure, ParameterResultConstantConvert) {
  Builder b;
  Node* x = b.param({2, 3}, ET::kF16);
  EXPECT_EQ(b.infer(OpKind::kConvert, {x}, {{"destination_type", "f32"}}), (Dims{2, 3}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
  EXPECT_EQ(b.infer(OpKind::kConvert, {x}, {{"destination_type", "I8"}}), (Dims{2, 3}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI8);
  expect_model_error(b, OpKind::kConvert, {x}, {{"destination_type", "nf4"}}, 1,
                     {"destination_type", "not support"});
  expect_model_error(b, OpKind::kConvert, {x}, {{"destination_type", "f42"}}, 1, {"destination_type", "f42"});
  Node* c = b.ints({1, 2, 3}, ET::kI32);
  infer_node(*c);
  EXPECT_EQ(c->outputs[0].shape, Dims{3});
  EXPECT_EQ(c->outputs[0].type, ET::kI32);
  Node* r = b.op(OpKind::kResult, {x});
  infer_node(*r);
  EXPECT_TRUE(r->outputs.empty());
  Node* p = b.g.add(OpKind::kParameter, "bare");
  expect_error([&] { infer_node(*p); }, ErrorCode::kModel, {"one output"});
}

TEST(InferShapes, WholeGraphAndDeclaredShapes) {
  Builder b;
  Node* x = b.param({1, 3, 8, 8});
  Node* w = b.g.add_constant("w", Tensor(ET::kF32, {4, 3, 3, 3}));
  Node* conv = b.op(OpKind::kConvolution, {x, w},
                    {{"strides", "1,1"}, {"pads_begin", "1,1"}, {"pads_end", "1,1"}, {"dilations", "1,1"}});
  Node* relu = b.op(OpKind::kRelu, {conv});
  Node* shape = b.op(OpKind::kShapeOf, {relu}, {}, 3);
  Node* r1 = b.op(OpKind::kResult, {relu});
  Node* r2 = b.op(OpKind::kResult, {shape});
  relu->outputs.resize(1);
  relu->outputs[0].names = {"features"};
  relu->outputs[0].has_declared_shape = true;
  relu->outputs[0].declared_shape = {-1, 4, 8, 8};  // -1 accepts any dim
  b.g.results = {r1, r2};
  infer_shapes(b.g);
  EXPECT_EQ(relu->outputs[0].shape, (Dims{1, 4, 8, 8}));
  EXPECT_EQ(relu->outputs[0].names, std::vector<std::string>{"features"});  // IR names survive
  EXPECT_EQ(shape->outputs[0].shape, Dims{4});

  relu->outputs[0].declared_shape = {1, 4, 8, 9};
  relu->ir_id = 12;
  expect_error([&] { infer_shapes(b.g); }, ErrorCode::kModel,
               {"layer 'layer", "id 12", "declares shape [1,4,8,9]", "infers [1,4,8,8]"});
}

TEST(InferShapes, UnconnectedInputAndInternalOps) {
  Builder b;
  Node* x = b.param({2});
  Node* n = b.op(OpKind::kRelu, {x});
  n->inputs[0].index = 1;
  expect_error([&] { infer_node(*n); }, ErrorCode::kModel, {"input 0 is not connected"});
  // Quantized linear nodes come only from host/transforms with a payload; one without is a bug.
  Node* q = b.op(OpKind::kQuantizedMatMul, {x, x});
  expect_error([&] { infer_node(*q); }, ErrorCode::kInternal,
               {"QuantizedMatMul", "not a quantized linear node"});
}

}  // namespace
}  // namespace octet::test
