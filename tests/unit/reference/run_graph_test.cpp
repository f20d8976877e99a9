// run_reference on small hand-built graphs: input/output naming, keep_all, callbacks, errors.
#include "host/reference/run_graph.h"

#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::f32;

// x -> Relu -> Multiply(by 2) -> Result, with named tensors.
struct SmallGraph {
  Graph g;
  SmallGraph() {
    Node* x = g.add(OpKind::kParameter, "x_layer");
    x->outputs = {Value{ElementType::kF32, {3}, {"x"}, false, {}}};
    Node* relu = g.add(OpKind::kRelu, "relu");
    relu->inputs = {{x, 0}};
    relu->outputs = {Value{ElementType::kF32, {3}, {}, false, {}}};
    Node* two = g.add_constant("two", f32({}, {2}));
    Node* mul = g.add(OpKind::kMultiply, "mul");
    mul->inputs = {{relu, 0}, {two, 0}};
    mul->outputs = {Value{ElementType::kF32, {3}, {"y", "y_alias"}, false, {}}};
    Node* r = g.add(OpKind::kResult, "out");
    r->inputs = {{mul, 0}};
    g.parameters = {x};
    g.results = {r};
    for (Node* n : {relu, mul}) n->parse_attributes();  // as the IR reader does
  }
};

TEST(RunReference, NamesInputsAndOutputs) {
  SmallGraph s;
  auto out = run_reference(s.g, {{"x", f32({3}, {-1, 2, 3})}});
  ASSERT_EQ(out.size(), 2u);  // the value's first tensor name and the Result's name
  expect_floats(out.at("y"), {3}, {0, 4, 6});
  expect_floats(out.at("out"), {3}, {0, 4, 6});
  out = run_reference(s.g, {{"x_layer", f32({3}, {1, 1, 1})}});  // node name works too
  expect_floats(out.at("y"), {3}, {2, 2, 2});
}

TEST(RunReference, KeepAllAndCallback) {
  SmallGraph s;
  std::vector<std::string> seen;
  auto out = run_reference(s.g, {{"x", f32({3}, {-1, 2, 3})}}, true,
                           [&](const Node& n, const std::vector<Tensor>&) { seen.push_back(n.name); });
  expect_floats(out.at("relu"), {3}, {0, 2, 3});
  expect_floats(out.at("y"), {3}, {0, 4, 6});
  EXPECT_EQ(seen.size(), 4u);  // x, two, relu, mul (not the Result)
}

TEST(RunReference, InputErrors) {
  SmallGraph s;
  try {
    run_reference(s.g, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  try {
    run_reference(s.g, {{"x", f32({2}, {1, 2})}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kParameterMismatch);
  }
}

TEST(RunReference, InferredShapeDisagreementIsInternalError) {
  SmallGraph s;
  for (const auto& n : s.g.nodes())
    if (n->name == "relu") n->outputs[0].shape = {4};
  try {
    run_reference(s.g, {{"x", f32({3}, {1, 2, 3})}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
  }
}

}  // namespace
}  // namespace octet
