// Hand-computed cases of the If, Loop and TensorIterator references where the OpenVINO zoo cases
// cannot reach: slicing over part of an axis and in parts of two (OpenVINO's CPU plugin slices whole
// axes only), concatenating body values wider than 1 (the CPU plugin refuses), zero iterations, the
// current iteration as a scalar joined into a vector, and the run-time errors.
#include "tests/unit/graph/infer_test_util.h"
#include "tests/unit/graph/sub_graph_builder.h"
#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::BodyBuilder;
using test::expect_floats;
using test::expect_ints;
using test::f32;

Tensor boolean(bool v) {
  Tensor t(ElementType::kBoolean, {});
  t.data_as<uint8_t>()[0] = v ? 1 : 0;
  return t;
}

// An outer graph of Parameters feeding one sub-graph node; inputs are given as tensors.
struct Case {
  Graph g;
  std::vector<Tensor> inputs;
  std::vector<Node*> params;
  Node* node = nullptr;

  Node* in(Tensor t) {
    Node* p = g.add(OpKind::kParameter, "in" + std::to_string(params.size()));
    p->outputs = {Value{t.type(), t.shape(), {}, false, {}}};
    params.push_back(p);
    inputs.push_back(std::move(t));
    return p;
  }
  // A constant input (its value is visible to shape inference).
  Node* constant(Tensor t) {
    Node* c = g.add_constant("c" + std::to_string(params.size()), t);
    params.push_back(c);
    inputs.push_back(std::move(t));
    return c;
  }
  void make(OpKind op, size_t outputs, std::shared_ptr<SubGraphs> s) {
    node = test::sub_graph_node(g, op, params, outputs, std::move(s));
    infer_node(*node);
  }
  std::vector<Tensor> run() const {
    std::vector<const Tensor*> args;
    for (const Tensor& t : inputs) args.push_back(&t);
    return evaluate_reference(*node, args);
  }
};

// TensorIterator over x with one sliced input passed through: output 0 joins the parts on the
// same axis (order from out_stride), output 1 is the last part.
std::vector<Tensor> slices_of(const Tensor& x, int64_t axis, int64_t start, int64_t stride, int64_t part,
                              int64_t end, int64_t out_stride) {
  Case c;
  c.in(x);
  BodyBuilder body;
  Node* xt = body.param(x.type(), {});
  const size_t r = body.result(xt);
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(body, {test::sliced(0, 0, axis, start, stride, part, end)},
                                    {test::concat(0, r, axis, out_stride), test::last_value(1, r)}));
  c.make(OpKind::kTensorIterator, 2, s);
  return c.run();
}

TEST(ReferenceTensorIterator, SlicesPartOfTheAxis) {
  // Elements 1..3 of [0 1 2 3 4], both ends included.
  const Tensor x = f32({1, 5}, {0, 1, 2, 3, 4});
  auto out = slices_of(x, 1, 1, 1, 1, 3, 1);
  expect_floats(out[0], {1, 3}, {1, 2, 3});
  expect_floats(out[1], {1, 1}, {3});
  // Backwards from element 3 (start -2) to element 1, joined last part first.
  out = slices_of(x, 1, -2, -1, 1, 1, -1);
  expect_floats(out[0], {1, 3}, {1, 2, 3});
  expect_floats(out[1], {1, 1}, {1});
}

TEST(ReferenceTensorIterator, SlicesInPartsOfTwo) {
  // Rows [0 1 2 3 4 5] and [10 .. 15]; parts of two along axis 1.
  const Tensor x = f32({2, 6}, {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15});
  auto out = slices_of(x, 1, 0, 2, 2, -1, 1);
  expect_floats(out[0], {2, 6}, {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15});
  expect_floats(out[1], {2, 2}, {4, 5, 14, 15});
  // Reverse over the whole axis: parts {4,5}, {2,3}, {0,1}; joined in iteration order.
  out = slices_of(x, 1, -1, -2, 2, 0, 1);
  expect_floats(out[0], {2, 6}, {4, 5, 2, 3, 0, 1, 14, 15, 12, 13, 10, 11});
  expect_floats(out[1], {2, 2}, {0, 1, 10, 11});
  // Reverse from element 4 to element 1: parts {3,4} and {1,2}; joined last part first.
  out = slices_of(x, 1, -2, -2, 2, 1, -1);
  expect_floats(out[0], {2, 4}, {1, 2, 3, 4, 11, 12, 13, 14});
  // Integer data, axis 0, negative axis spelling.
  const Tensor n = test::i32({3, 2}, {1, 2, 3, 4, 5, 6});
  out = slices_of(n, -2, -1, -1, 1, 0, 1);
  expect_ints(out[0], ElementType::kI32, {3, 2}, {5, 6, 3, 4, 1, 2});
}

// Loop with trip count and execution condition from `trip`/`exec` (nullptr: a Parameter of that
// type), carrying x [2,1] through y = x + 1; output 0 is the last y, output 1 joins every y on axis 0.
Case counting_loop(const Tensor* trip, bool exec, bool exec_is_input, bool joined = true) {
  Case c;
  if (trip)
    c.constant(*trip);
  else
    c.in(test::i64({}, {3}));
  if (exec_is_input)
    c.in(boolean(exec));
  else
    c.constant(boolean(exec));
  c.in(f32({2, 1}, {10, 20}));
  BodyBuilder body;
  Node* bx = body.param(ElementType::kF32, {2, 1});
  const size_t y = body.result(body.op(OpKind::kAdd, {bx, body.f32(1)}));
  const size_t cond = body.result(body.boolean(true));
  auto s = std::make_shared<SubGraphs>();
  std::vector<BodyOutput> outs = {test::last_value(0, y)};
  if (joined) outs.push_back(test::concat(1, y, 0));
  s->bodies.push_back(test::body_of(body, {test::merged(2, 0, y)}, outs));
  s->condition = static_cast<int64_t>(cond);
  c.make(OpKind::kLoop, outs.size(), s);
  return c;
}

TEST(ReferenceLoop, JoinsBodyValuesWiderThanOne) {
  const Tensor three = test::i64({}, {3});
  const auto out = counting_loop(&three, true, false).run();
  expect_floats(out[0], {2, 1}, {13, 23});
  expect_floats(out[1], {6, 1}, {11, 21, 12, 22, 13, 23});
}

TEST(ReferenceLoop, ZeroIterationsKeepTheCarriedValue) {
  const Tensor zero = test::i64({1}, {0});
  auto out = counting_loop(&zero, true, false).run();
  expect_floats(out[0], {2, 1}, {10, 20});
  expect_floats(out[1], {0, 1}, {});
  // The execution condition false at run time: the same.
  out = counting_loop(nullptr, false, true, false).run();
  expect_floats(out[0], {2, 1}, {10, 20});
}

TEST(ReferenceLoop, ZeroIterationsLeaveOtherValuesUndefined) {
  // y = x * 2 from an invariant input: with no iteration there is no y.
  Case c;
  c.constant(test::i64({}, {5}));
  c.in(boolean(false));
  c.in(f32({2}, {1, 2}));
  BodyBuilder body;
  Node* bx = body.param(ElementType::kF32, {2});
  const size_t y = body.result(body.op(OpKind::kMultiply, {bx, body.f32(2)}));
  const size_t cond = body.result(body.boolean(true));
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(body, {test::invariant(2, 0)}, {test::last_value(0, y)}));
  s->condition = static_cast<int64_t>(cond);
  c.make(OpKind::kLoop, 1, s);
  test::expect_error([&] { c.run(); }, ErrorCode::kUnsupported,
                     {"ran no iteration", "output 0", "no back edge"});
  c.inputs[1] = boolean(true);
  expect_floats(c.run()[0], {2}, {2, 4});
}

TEST(ReferenceLoop, StopsWhenTheBodySays) {
  // x = 2x while x < 10, starting from 1: 2, 4, 8, 16 (the fourth iteration says stop); a counter
  // carried alongside counts the iterations.
  Case c;
  c.constant(test::i64({}, {100}));
  c.constant(boolean(true));
  c.in(f32({}, {1}));
  c.in(test::i64({}, {0}));
  BodyBuilder body;
  Node* bx = body.param(ElementType::kF32, {});
  Node* bn = body.param(ElementType::kI64, {});
  Node* y = body.op(OpKind::kMultiply, {bx, body.f32(2)});
  Node* one = body.constant(test::i64({}, {1}));
  const size_t ry = body.result(y);
  const size_t rn = body.result(body.op(OpKind::kAdd, {bn, one}));
  const size_t cond = body.result(body.op(OpKind::kLess, {y, body.f32(10)}));
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(body, {test::merged(2, 0, ry), test::merged(3, 1, rn)},
                                    {test::last_value(0, ry), test::last_value(1, rn)}));
  s->condition = static_cast<int64_t>(cond);
  c.make(OpKind::kLoop, 2, s);
  const auto out = c.run();
  expect_floats(out[0], {}, {16});
  expect_ints(out[1], ElementType::kI64, {}, {4});
}

TEST(ReferenceLoop, CurrentIterationJoinedFromScalars) {
  // The iteration number (i64 scalar) is the body's value; joined on axis 0 it counts 0..3.
  for (const ElementType type : {ElementType::kI64, ElementType::kI32}) {
    Case c;
    c.constant(test::i64({}, {4}));
    c.constant(boolean(true));
    BodyBuilder body;
    Node* it = body.param(type, type == ElementType::kI64 ? Dims{} : Dims{1});
    const size_t r = body.result(it);
    const size_t cond = body.result(body.boolean(true));
    auto s = std::make_shared<SubGraphs>();
    s->bodies.push_back(test::body_of(body, {}, {test::concat(0, r, 0), test::last_value(1, r)}));
    s->current_iteration = 0;
    s->condition = static_cast<int64_t>(cond);
    c.make(OpKind::kLoop, 2, s);
    const auto out = c.run();
    expect_ints(out[0], type, {4}, {0, 1, 2, 3});
    expect_ints(out[1], type, type == ElementType::kI64 ? Dims{} : Dims{1}, {3});
  }
}

TEST(ReferenceLoop, RunningOutOfSlicesIsAnError) {
  // Trip count 5 at run time over 3 rows.
  Case c;
  c.in(test::i64({}, {5}));
  c.constant(boolean(true));
  c.in(f32({3, 2}, {1, 2, 3, 4, 5, 6}));
  BodyBuilder body;
  Node* row = body.param(ElementType::kF32, {});
  const size_t r = body.result(row);
  const size_t cond = body.result(body.boolean(true));
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(body, {test::sliced(2, 0, 0, 0, 1, 1, -1)}, {test::last_value(0, r)}));
  s->condition = static_cast<int64_t>(cond);
  c.make(OpKind::kLoop, 1, s);
  test::expect_error([&] { c.run(); }, ErrorCode::kModel,
                     {"iteration 3 needs part 3 of sliced input 2, which holds 3 parts"});
  c.inputs[0] = test::i64({}, {3});
  expect_floats(c.run()[0], {1, 2}, {5, 6});
}

TEST(ReferenceIf, RunsTheBranchTheConditionPicks) {
  // then: a * b, else: a - 1 (b unused there).
  Case c;
  c.in(boolean(true));
  c.in(f32({3}, {1, 2, 3}));
  c.in(f32({3}, {4, 5, 6}));
  BodyBuilder then_b, else_b;
  Node* ta = then_b.param(ElementType::kF32, {3});
  Node* tb = then_b.param(ElementType::kF32, {3});
  const size_t t = then_b.result(then_b.op(OpKind::kMultiply, {ta, tb}));
  Node* ea = else_b.param(ElementType::kF32, {3});
  const size_t e = else_b.result(else_b.op(OpKind::kSubtract, {ea, else_b.f32(1)}));
  auto s = std::make_shared<SubGraphs>();
  s->bodies.push_back(test::body_of(then_b, {test::invariant(1, 0), test::invariant(2, 1)},
                                    {test::last_value(0, t)}, "then_body"));
  s->bodies.push_back(test::body_of(else_b, {test::invariant(1, 0)}, {test::last_value(0, e)}, "else_body"));
  c.make(OpKind::kIf, 1, s);
  expect_floats(c.run()[0], {3}, {4, 10, 18});
  c.inputs[0] = boolean(false);
  expect_floats(c.run()[0], {3}, {0, 1, 2});
}

}  // namespace
}  // namespace octet
