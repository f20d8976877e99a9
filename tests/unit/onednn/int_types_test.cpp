// Integer and boolean element types on the CPU backend: the oneDNN eltwise/binary kernels compute f32
// only, so every other type must run on the reference kernel (never a byte reinterpretation), with the
// reference's wrapping, floor division and errors; f32 nodes keep their oneDNN kernels. Expected values
// are computed here with C++ integer arithmetic.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/graph/graph.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

using ET = ElementType;

Tensor typed(ET type, Dims shape, const std::vector<int64_t>& v) {
  Tensor t(type, std::move(shape));
  const size_t width = static_cast<size_t>(element_bits(type) / 8);
  for (size_t i = 0; i < v.size(); ++i) {
    const uint64_t bits = static_cast<uint64_t>(v[i]);
    std::memcpy(static_cast<char*>(t.data()) + i * width, &bits, width);
  }
  return t;
}

struct NodeRun {
  std::string impl;
  Tensor out;
};

// One node `op` over Parameters of the given tensors' types and shapes, compiled for the CPU backend
// (fast precision) and run once.
NodeRun run_node(OpKind op, const std::vector<Tensor>& inputs,
                 std::map<std::string, std::string> attrs = {}) {
  Graph g;
  Node* node = g.add(op, "op");
  for (size_t i = 0; i < inputs.size(); ++i) {
    Node* p = g.add(OpKind::kParameter, "in" + std::to_string(i));
    p->outputs = {Value{inputs[i].type(), inputs[i].shape(), {"in" + std::to_string(i)}, false, {}}};
    g.parameters.push_back(p);
    node->inputs.push_back({p, 0});
  }
  for (auto& [k, v] : attrs) node->attrs.set(k, v);
  Node* r = g.add(OpKind::kResult, "result");
  r->inputs = {{node, 0}};
  g.results.push_back(r);
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  auto model = CompiledModel::compile(std::move(g), cpu, cpu, config);
  NodeRun run;
  for (const NodeAssignment& a : model->assignments())
    if (a.node_name == "op") run.impl = a.impl;
  auto request = model->create_request();
  for (size_t i = 0; i < inputs.size(); ++i) request->set_input("in" + std::to_string(i), inputs[i]);
  request->infer();
  run.out = request->output(model->outputs().at(0).name).clone();
  return run;
}

TEST(CpuIntTypes, BinaryOpsOnIntegersRunTheReferenceKernel) {
  const std::vector<int64_t> a = {-7, 7, 100, -128, 127, 3};
  const std::vector<int64_t> b = {2, -2, 100, -1, 1, 0};
  struct Op {
    OpKind op;
    int64_t (*f)(int64_t, int64_t);
  };
  auto floor_div = [](int64_t x, int64_t y) -> int64_t {
    if (y == 0) return 0;
    const int64_t q = x / y;
    return (x % y != 0 && (x < 0) != (y < 0)) ? q - 1 : q;
  };
  for (ET t : {ET::kI8, ET::kI32, ET::kI64}) {
    SCOPED_TRACE(element_type_name(t));
    std::vector<int64_t> safe_b = b;
    safe_b.back() = 5;  // no division by zero here
    for (const Op& o : {Op{OpKind::kAdd, [](int64_t x, int64_t y) { return x + y; }},
                        Op{OpKind::kSubtract, [](int64_t x, int64_t y) { return x - y; }},
                        Op{OpKind::kMultiply, [](int64_t x, int64_t y) { return x * y; }},
                        Op{OpKind::kMaximum, [](int64_t x, int64_t y) { return x > y ? x : y; }},
                        Op{OpKind::kMinimum, [](int64_t x, int64_t y) { return x < y ? x : y; }}}) {
      const NodeRun r = run_node(o.op, {typed(t, {6}, a), typed(t, {6}, safe_b)});
      EXPECT_EQ(r.impl, "ref") << op_name(o.op);
      std::vector<int64_t> want;
      for (size_t i = 0; i < a.size(); ++i) {
        const int64_t v = o.f(a[i], safe_b[i]);
        want.push_back(t == ET::kI8 ? static_cast<int8_t>(v) : t == ET::kI32 ? static_cast<int32_t>(v) : v);
      }
      EXPECT_EQ(r.out.to_int64_vector(), want) << op_name(o.op);
    }
    const NodeRun d = run_node(OpKind::kDivide, {typed(t, {6}, a), typed(t, {6}, safe_b)});
    EXPECT_EQ(d.impl, "ref");
    std::vector<int64_t> want;
    for (size_t i = 0; i < a.size(); ++i) {
      const int64_t v = floor_div(a[i], safe_b[i]);
      want.push_back(t == ET::kI8 ? static_cast<int8_t>(v) : v);  // -128 / -1 = 128 wraps in i8
    }
    EXPECT_EQ(d.out.to_int64_vector(), want);
  }
}

TEST(CpuIntTypes, FloatNodesKeepTheirOneDnnKernels) {
  Tensor a(ET::kF32, {2, 3}), b(ET::kF32, {2, 3});
  for (int i = 0; i < 6; ++i)
    a.data_as<float>()[i] = static_cast<float>(i) - 2.5f, b.data_as<float>()[i] = 1.5f;
  const NodeRun add = run_node(OpKind::kAdd, {a, b});
  EXPECT_EQ(add.impl.rfind("onednn_", 0), 0u) << add.impl;
  const NodeRun relu = run_node(OpKind::kRelu, {a});
  EXPECT_EQ(relu.impl.rfind("onednn_", 0), 0u) << relu.impl;
}

TEST(CpuIntTypes, UnaryOpsOnIntegersRunTheReferenceKernel) {
  const NodeRun relu = run_node(OpKind::kRelu, {typed(ET::kI32, {4}, {-5, 0, 5, INT32_MIN})});
  EXPECT_EQ(relu.impl, "ref");
  EXPECT_EQ(relu.out.to_int64_vector(), (std::vector<int64_t>{0, 0, 5, 0}));
  const NodeRun clamp =
      run_node(OpKind::kClamp, {typed(ET::kU8, {4}, {0, 3, 7, 255})}, {{"min", "2.5"}, {"max", "6.5"}});
  EXPECT_EQ(clamp.impl, "ref");
  EXPECT_EQ(clamp.out.to_int64_vector(), (std::vector<int64_t>{3, 3, 6, 6}));
  const NodeRun sqrt = run_node(OpKind::kSqrt, {typed(ET::kI64, {4}, {0, 2, 9, 12})});
  EXPECT_EQ(sqrt.out.to_int64_vector(), (std::vector<int64_t>{0, 1, 3, 3}));
  const NodeRun convert =
      run_node(OpKind::kConvert, {typed(ET::kI32, {3}, {-1, 256, 7})}, {{"destination_type", "u8"}});
  EXPECT_EQ(convert.impl, "ref");
  EXPECT_EQ(convert.out.to_int64_vector(), (std::vector<int64_t>{255, 0, 7}));
}

// Integer division by zero in a run: an error naming the layer, not undefined behaviour.
TEST(CpuIntTypes, DivisionByZeroAtRunTimeNamesTheLayer) {
  try {
    run_node(OpKind::kDivide, {typed(ET::kI32, {2}, {1, 2}), typed(ET::kI32, {2}, {1, 0})});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    EXPECT_NE(std::string(e.what()).find("node 'op' (Divide): integer division by zero at output element 1"),
              std::string::npos)
        << e.what();
  }
}

// Exp is defined for floating-point types only: refused at compile time with the reason.
TEST(CpuIntTypes, IntegerExpIsRefusedAtCompileTime) {
  try {
    run_node(OpKind::kExp, {typed(ET::kI32, {2}, {1, 2})});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported) << e.what();
    EXPECT_NE(std::string(e.what()).find(
                  "input 0 is i32; the Exp-1 specification defines floating-point types only"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace octet
