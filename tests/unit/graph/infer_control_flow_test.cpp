// Shape inference of If-8, Loop-5 and TensorIterator-1: output shapes from the bodies, slicing
// arithmetic, and the refusals where a shape would depend on run-time data (octet needs static
// shapes) or the model is malformed.
#include "tests/unit/graph/infer_test_util.h"
#include "tests/unit/graph/sub_graph_builder.h"

namespace octet {
namespace {

using test::BodyBuilder;
using test::Builder;
using test::expect_error;

// Loop: trip count and execution condition from the given nodes, one merged f32 [1,3] value
// doubled each iteration, whose last value is output 0 and whose iterations are joined on axis 0 as
// output 1; the body's condition is `cond` (nullptr: a constant true).
struct LoopCase {
  Builder b;
  BodyBuilder body;
  Node* x = nullptr;
  Node* loop = nullptr;

  LoopCase(Node* (*trip)(Builder&), Node* (*exec)(Builder&), bool data_condition, bool concat_output = true) {
    x = b.param({1, 3});
    Node* bx = body.param(ElementType::kF32, {1, 3});
    Node* y = body.op(OpKind::kAdd, {bx, bx});
    Node* cond =
        data_condition
            ? body.op(OpKind::kLess, {body.op(OpKind::kReduceSum, {y, body.constant(axes())}), body.f32(10)})
            : body.boolean(true);
    const size_t cond_result = body.result(cond);
    const size_t y_result = body.result(y);
    auto s = std::make_shared<SubGraphs>();
    std::vector<BodyOutput> outs = {test::last_value(0, y_result)};
    if (concat_output) outs.push_back(test::concat(1, y_result, 0));
    s->bodies.push_back(test::body_of(body, {test::merged(2, 0, y_result)}, outs));
    s->condition = static_cast<int64_t>(cond_result);
    loop = test::sub_graph_node(b.g, OpKind::kLoop, {trip(b), exec(b), x}, outs.size(), s);
  }
  static Tensor axes() {
    Tensor t(ElementType::kI64, {2});
    t.data_as<int64_t>()[0] = 0;
    t.data_as<int64_t>()[1] = 1;
    return t;
  }
};

Node* trip4(Builder& b) {
  return b.scalar(4);
}
Node* trip_param(Builder& b) {
  return b.param({}, ElementType::kI64);
}
Node* exec_true(Builder& b) {
  Tensor t(ElementType::kBoolean, {1});
  t.data_as<uint8_t>()[0] = 1;
  return b.g.add_constant("exec", std::move(t));
}
Node* exec_param(Builder& b) {
  return b.param({}, ElementType::kBoolean);
}

TEST(InferLoop, ConstantTripCountJoinsIterations) {
  LoopCase c(trip4, exec_true, false);
  infer_node(*c.loop);
  EXPECT_EQ(to_string(c.loop->outputs[0].shape), "[1,3]");
  EXPECT_EQ(to_string(c.loop->outputs[1].shape), "[4,3]");
  EXPECT_EQ(c.loop->outputs[1].type, ElementType::kF32);
}

TEST(InferLoop, RunTimeTripCountRefusesJoinedOutputOnly) {
  LoopCase joined(trip_param, exec_true, false);
  expect_error([&] { infer_node(*joined.loop); }, ErrorCode::kUnsupported,
               {"'Loop'", "output 1 joins the values of every iteration",
                "trip count (input 0) is not constant", "static shapes"});
  LoopCase last_only(trip_param, exec_true, false, false);
  infer_node(*last_only.loop);
  EXPECT_EQ(to_string(last_only.loop->outputs[0].shape), "[1,3]");
}

TEST(InferLoop, DataDependentConditionRefusesJoinedOutput) {
  LoopCase joined(trip4, exec_true, true);
  expect_error([&] { infer_node(*joined.loop); }, ErrorCode::kUnsupported,
               {"output 1", "condition Result is computed at run time"});
  LoopCase joined_exec(trip4, exec_param, false);
  expect_error([&] { infer_node(*joined_exec.loop); }, ErrorCode::kUnsupported,
               {"execution condition (input 1) is not constant"});
  LoopCase last_only(trip4, exec_param, true, false);
  infer_node(*last_only.loop);
  EXPECT_EQ(to_string(last_only.loop->outputs[0].shape), "[1,3]");
}

TEST(InferLoop, NeverEndingLoopIsAnError) {
  LoopCase c([](Builder& b) { return b.scalar(-1); }, exec_true, false, false);
  expect_error([&] { infer_node(*c.loop); }, ErrorCode::kModel, {"never stops", "trip count -1"});
}

TEST(InferLoop, ZeroTripsJoinNothing) {
  LoopCase c([](Builder& b) { return b.scalar(0); }, exec_param, true);
  infer_node(*c.loop);
  EXPECT_EQ(to_string(c.loop->outputs[1].shape), "[0,3]");
}

TEST(InferLoop, BadTripCountAndConditionTypes) {
  LoopCase f([](Builder& b) { return b.floats({4}); }, exec_true, false);
  expect_error([&] { infer_node(*f.loop); }, ErrorCode::kModel, {"input 0 (trip count) must be i32 or i64"});
  LoopCase two([](Builder& b) { return b.ints({4, 4}); }, exec_true, false);
  expect_error([&] { infer_node(*two.loop); }, ErrorCode::kModel,
               {"trip count", "must hold one value", "[2]"});
  LoopCase e(
      trip4, [](Builder& b) { return b.scalar(1); }, false);
  expect_error([&] { infer_node(*e.loop); }, ErrorCode::kModel,
               {"input 1 (execution condition) must be boolean"});
}

TEST(InferLoop, BackEdgeChangingShapeIsRefused) {
  // The body concatenates the carried value with itself: [1,3] becomes [2,3] after one iteration.
  Builder b;
  BodyBuilder body;
  Node* x = b.param({1, 3});
  Node* bx = body.param(ElementType::kF32, {1, 3});
  Node* y = body.op(OpKind::kConcat, {bx, bx}, {{"axis", "0"}});
  const size_t cond = body.result(body.boolean(true));
  const size_t r = body.result(y);
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(body, {test::merged(2, 0, r)}, {test::last_value(0, r)}));
  s->condition = static_cast<int64_t>(cond);
  Node* loop = test::sub_graph_node(b.g, OpKind::kLoop, {trip4(b), exec_true(b), x}, 1, s);
  expect_error([&] { infer_node(*loop); }, ErrorCode::kUnsupported,
               {"back edge", "changes shape from [1,3] (input 2) to [2,3]", "static shapes"});
}

TEST(InferLoop, BodyParameterTypeMustMatchItsInput) {
  Builder b;
  BodyBuilder body;
  Node* x = b.param({1, 3}, ElementType::kI32);
  Node* bx = body.param(ElementType::kF32, {1, 3});
  const size_t cond = body.result(body.boolean(true));
  const size_t r = body.result(bx);
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(body, {test::invariant(2, 0)}, {test::last_value(0, r)}));
  s->condition = static_cast<int64_t>(cond);
  Node* loop = test::sub_graph_node(b.g, OpKind::kLoop, {trip4(b), exec_true(b), x}, 1, s);
  expect_error([&] { infer_node(*loop); }, ErrorCode::kModel,
               {"body Parameter", "is f32 but input 2", "i32"});
}

TEST(InferLoop, ErrorsInsideTheBodyNameTheLoopAndBody) {
  Builder b;
  BodyBuilder body;
  Node* x = b.param({1, 3});
  Node* bx = body.param(ElementType::kF32, {1, 3});
  Node* bad = body.op(OpKind::kAdd, {bx, body.constant(Tensor(ElementType::kF32, {4}))});
  const size_t cond = body.result(body.boolean(true));
  const size_t r = body.result(bad);
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(body, {test::invariant(2, 0)}, {test::last_value(0, r)}));
  s->condition = static_cast<int64_t>(cond);
  Node* loop = test::sub_graph_node(b.g, OpKind::kLoop, {trip4(b), exec_true(b), x}, 1, s);
  expect_error([&] { infer_node(*loop); }, ErrorCode::kModel, {"node 'Loop' (Loop) body", bad->name.c_str()});
}

// TensorIterator over x [2,6,4] with one sliced input (axis 1) fed through as the body's result,
// joined on axis 1.
Node* ti_over(Builder& b, const Dims& x_shape, int64_t start, int64_t stride, int64_t part, int64_t end,
              int64_t out_stride = 1) {
  BodyBuilder body;
  Node* x = b.param(x_shape);
  Node* xt = body.param(ElementType::kF32, {});
  const size_t r = body.result(body.op(OpKind::kRelu, {xt}));
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(body, {test::sliced(0, 0, 1, start, stride, part, end)},
                                    {test::concat(0, r, 1, out_stride), test::last_value(1, r)}));
  return test::sub_graph_node(b.g, OpKind::kTensorIterator, {x}, 2, s);
}

TEST(InferTensorIterator, SlicesGiveTheIterationCount) {
  Builder b;
  Node* forward = ti_over(b, {2, 6, 4}, 0, 1, 1, -1);
  infer_node(*forward);
  EXPECT_EQ(to_string(forward->outputs[0].shape), "[2,6,4]");
  EXPECT_EQ(to_string(forward->outputs[1].shape), "[2,1,4]");
  Node* reverse = ti_over(b, {2, 6, 4}, -1, -1, 1, 0, -1);
  infer_node(*reverse);
  EXPECT_EQ(to_string(reverse->outputs[0].shape), "[2,6,4]");
  // Parts of 2: three iterations, each body value [2,2,4].
  Node* pairs = ti_over(b, {2, 6, 4}, 0, 2, 2, -1);
  infer_node(*pairs);
  EXPECT_EQ(to_string(pairs->outputs[1].shape), "[2,2,4]");
  EXPECT_EQ(to_string(pairs->outputs[0].shape), "[2,6,4]");
  // Elements 1..3 (both ends included): three iterations.
  Node* middle = ti_over(b, {2, 6, 4}, 1, 1, 1, 3);
  infer_node(*middle);
  EXPECT_EQ(to_string(middle->outputs[0].shape), "[2,3,4]");
  // Reverse from element 4 down to 1 in parts of 2: two iterations.
  Node* middle_reverse = ti_over(b, {2, 6, 4}, -2, -2, 2, 1);
  infer_node(*middle_reverse);
  EXPECT_EQ(to_string(middle_reverse->outputs[0].shape), "[2,4,4]");
}

TEST(InferTensorIterator, BadSlicing) {
  Builder b;
  expect_error(
      [&] {
        infer_node(*ti_over(b, {2, 6, 4}, 0, 1, 2, -1));
      },
      ErrorCode::kUnsupported, {"sliced input 0 has stride 1 and part_size 2", "|stride| = part_size"});
  expect_error(
      [&] {
        infer_node(*ti_over(b, {2, 6, 4}, 0, 1, 1, 6));
      },
      ErrorCode::kModel, {"start 0 and end 6 are outside its axis 1 of 6 elements"});
  expect_error(
      [&] {
        infer_node(*ti_over(b, {2, 6, 4}, 4, 1, 1, 2));
      },
      ErrorCode::kModel, {"start 4 and end 2 run against stride 1"});
  expect_error(
      [&] {
        infer_node(*ti_over(b, {2, 6, 4}, 2, 4, 4, 4));
      },
      ErrorCode::kModel, {"elements 2 to 4 of axis 1 hold no part of 4 elements"});
}

TEST(InferTensorIterator, WithoutSlicedInputIsRefused) {
  Builder b;
  BodyBuilder body;
  Node* x = b.param({2});
  Node* bx = body.param(ElementType::kF32, {2});
  const size_t r = body.result(bx);
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(body, {test::invariant(0, 0)}, {test::last_value(0, r)}));
  Node* ti = test::sub_graph_node(b.g, OpKind::kTensorIterator, {x}, 1, s);
  expect_error([&] { infer_node(*ti); }, ErrorCode::kUnsupported, {"has no sliced input"});
}

TEST(InferTensorIterator, SlicedInputsMustAgree) {
  Builder b;
  BodyBuilder body;
  Node* x = b.param({6, 2});
  Node* y = b.param({5, 2});
  Node* bx = body.param(ElementType::kF32, {});
  Node* by = body.param(ElementType::kF32, {});
  const size_t r = body.result(body.op(OpKind::kAdd, {bx, by}));
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(body,
                                    {test::sliced(0, 0, 0, 0, 1, 1, -1), test::sliced(1, 1, 0, 0, 1, 1, -1)},
                                    {test::last_value(0, r)}));
  Node* ti = test::sub_graph_node(b.g, OpKind::kTensorIterator, {x, y}, 1, s);
  expect_error([&] { infer_node(*ti); }, ErrorCode::kModel,
               {"different numbers of parts (6 and 5 at input 1)"});
}

// If over a [2,3] input: the then branch passes it through, the else branch reduces it to [2].
Node* if_node(Builder& b, Node* cond, bool same_shapes) {
  BodyBuilder then_b, else_b;
  Node* x = b.param({2, 3});
  const size_t t = then_b.result(then_b.op(OpKind::kRelu, {then_b.param(ElementType::kF32, {})}));
  Node* e = else_b.param(ElementType::kF32, {});
  Tensor axis(ElementType::kI64, {1});
  axis.data_as<int64_t>()[0] = 1;
  Node* reduced = same_shapes
                      ? else_b.op(OpKind::kSigmoid, {e})
                      : else_b.op(OpKind::kReduceSum, {e, else_b.constant(axis)}, {{"keep_dims", "false"}});
  const size_t r = else_b.result(reduced);
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(then_b, {test::invariant(1, 0)}, {test::last_value(0, t)}, "then_body"));
  s->bodies.push_back(test::body_of(else_b, {test::invariant(1, 0)}, {test::last_value(0, r)}, "else_body"));
  return test::sub_graph_node(b.g, OpKind::kIf, {cond, x}, 1, s);
}

TEST(InferIf, RunTimeConditionNeedsBranchesOfOneShape) {
  Builder b;
  Node* same = if_node(b, b.param({}, ElementType::kBoolean), true);
  infer_node(*same);
  EXPECT_EQ(to_string(same->outputs[0].shape), "[2,3]");
  Node* differ = if_node(b, b.param({1}, ElementType::kBoolean), false);
  expect_error(
      [&] { infer_node(*differ); }, ErrorCode::kUnsupported,
      {"output 0 is [2,3] from then_body but [2] from else_body", "only known at run time", "static shapes"});
}

TEST(InferIf, ConstantConditionPicksTheBranch) {
  Builder b;
  Tensor f(ElementType::kBoolean, {});
  Node* if_false = if_node(b, b.g.add_constant("no", f), false);
  infer_node(*if_false);
  EXPECT_EQ(to_string(if_false->outputs[0].shape), "[2]");
  Tensor t(ElementType::kBoolean, {1});
  t.data_as<uint8_t>()[0] = 1;
  Node* if_true = if_node(b, b.g.add_constant("yes", t), false);
  infer_node(*if_true);
  EXPECT_EQ(to_string(if_true->outputs[0].shape), "[2,3]");
}

TEST(InferIf, ConditionMustBeOneBoolean) {
  Builder b;
  Node* two = if_node(b, b.param({2}, ElementType::kBoolean), true);
  expect_error([&] { infer_node(*two); }, ErrorCode::kModel, {"input 0 (condition) must hold one value"});
  Node* f = if_node(b, b.param({}, ElementType::kF32), true);
  expect_error([&] { infer_node(*f); }, ErrorCode::kModel, {"input 0 (condition) must be boolean, is f32"});
}

TEST(InferSubGraphs, NodeWithoutPayloadIsABug) {
  Builder b;
  Node* n = b.op(OpKind::kIf, {b.param({}, ElementType::kBoolean)}, {}, 8);
  expect_error([&] { infer_node(*n); }, ErrorCode::kInternal, {"has no sub-graph bodies"});
}

}  // namespace
}  // namespace octet
