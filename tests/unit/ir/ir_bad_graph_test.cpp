// Bad-input rows 18, 19 and 21 end to end: IR text that reads fine but describes an impossible or
// oversized graph must fail in shape inference (infer_shapes, before anything is allocated) with
// an error naming the layer.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "host/graph/graph.h"
#include "tests/unit/ir/ir_test_util.h"

namespace octet {
namespace {

using test::append;
using test::bytes;
using test::expect_error;
using test::read;

std::string dims_xml(const std::vector<int64_t>& dims) {
  std::string s;
  for (int64_t d : dims) s += "<dim>" + std::to_string(d) + "</dim>";
  return s;
}

std::string join(const std::vector<int64_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

// Parameter x (f32, x_dims) and Const c (i64, c_values) feeding layer "op" (`type`, `version`,
// `data` attributes), whose output port declares out_dims, then a Result. Returns the xml; the
// weights are c_values as i64.
struct OpIr {
  std::string xml;
  std::shared_ptr<const std::vector<uint8_t>> bin;
};

OpIr op_with_const(const std::vector<int64_t>& x_dims, const std::vector<int64_t>& c_values,
                   const std::string& type, const std::string& version, const std::string& data,
                   const std::vector<int64_t>& out_dims) {
  const std::vector<int64_t> c_dims = {static_cast<int64_t>(c_values.size())};
  std::vector<uint8_t> w;
  for (int64_t v : c_values) append<int64_t>(w, {v});
  const std::string size = std::to_string(w.size());
  OpIr ir;
  ir.bin = bytes(std::move(w));
  ir.xml = R"(<?xml version="1.0"?>
<net name="m" version="11">
  <layers>
    <layer id="0" name="x" type="Parameter" version="opset1">
      <data shape=")" +
           join(x_dims) +
           R"(" element_type="f32"/>
      <output><port id="0" precision="FP32" names="x">)" +
           dims_xml(x_dims) + R"(</port></output>
    </layer>
    <layer id="1" name="c" type="Const" version="opset1">
      <data element_type="i64" shape=")" +
           join(c_dims) + R"(" offset="0" size=")" + size + R"("/>
      <output><port id="0" precision="I64">)" +
           dims_xml(c_dims) + R"(</port></output>
    </layer>
    <layer id="2" name="op" type=")" +
           type + R"(" version=")" + version + R"(">
      <data )" +
           data +
           R"(/>
      <input><port id="0" precision="FP32">)" +
           dims_xml(x_dims) + R"(</port><port id="1" precision="I64">)" + dims_xml(c_dims) +
           R"(</port></input>
      <output><port id="2" precision="FP32" names="y">)" +
           dims_xml(out_dims) + R"(</port></output>
    </layer>
    <layer id="3" name="out" type="Result" version="opset1">
      <input><port id="0" precision="FP32">)" +
           dims_xml(out_dims) + R"(</port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
    <edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
    <edge from-layer="2" from-port="2" to-layer="3" to-port="0"/>
  </edges>
</net>
)";
  return ir;
}

// Reads `ir` (which must read fine) and expects shape inference to fail with kModel naming the
// op layer and every part.
void expect_inference_error(const OpIr& ir, std::initializer_list<std::string> parts) {
  Graph g = read(ir.xml, ir.bin);
  expect_error([&] { infer_shapes(g); }, ErrorCode::kModel, parts);
  expect_error([&] { infer_shapes(g); }, ErrorCode::kModel, {"'op'"});
}

// ---- Row 18: declared port dims that disagree with the inferred shape.
TEST(IrBadGraph, Row18DeclaredDimsDisagreeWithInference) {
  // Transpose [2,3] by [1,0] is [3,2]; the IR claims [2,3].
  const OpIr ok = op_with_const({2, 3}, {1, 0}, "Transpose", "opset1", "", {3, 2});
  Graph g = read(ok.xml, ok.bin);
  infer_shapes(g);
  expect_inference_error(op_with_const({2, 3}, {1, 0}, "Transpose", "opset1", "", {2, 3}),
                         {"id 2", "declares shape [2,3]", "infers [3,2]"});
  // A rank disagreement as well.
  expect_inference_error(op_with_const({2, 3}, {6}, "Reshape", "opset1", "special_zero=\"false\"", {6, 1}),
                         {"declares shape [6,1]", "infers [6]"});
}

// ---- Row 19: out-of-range axes, bad permutations, two -1 in a Reshape, all from constants.
TEST(IrBadGraph, Row19InvalidConstantsAndAxes) {
  expect_inference_error(op_with_const({2, 3}, {0, 0}, "Transpose", "opset1", "", {2, 2}), {"[0,0]"});
  expect_inference_error(op_with_const({2, 3}, {0, 2}, "Transpose", "opset1", "", {2, 3}), {"bad value 2"});
  expect_inference_error(
      op_with_const({2, 3}, {-1, -1}, "Reshape", "opset1", "special_zero=\"false\"", {6, 1}),
      {"more than one -1"});
  expect_inference_error(op_with_const({2, 3}, {-100000}, "Unsqueeze", "opset1", "", {1, 2, 3}), {"-100000"});
  expect_inference_error(
      op_with_const({2, 3}, {-100000}, "ReduceMean", "opset1", "keep_dims=\"true\"", {1, 3}), {"-100000"});
  expect_inference_error(op_with_const({1, 3}, {5}, "Squeeze", "opset1", "", {3}), {"5"});
}

// ---- Row 21: a tiny model whose output would be enormous. Inference refuses element counts past
// 2^40 before anything is allocated; smaller ones that merely exceed memory are for the memory
// planner's budget (runtime/plan).
TEST(IrBadGraph, Row21BroadcastBombStopsAtInference) {
  const int64_t big = int64_t{1} << 21;  // 2^21 x 2^21 = 2^42 elements
  expect_inference_error(op_with_const({1}, {big, big}, "Broadcast", "opset3", "mode=\"numpy\"", {1}),
                         {"2^40"});
  // Bidirectional broadcasting grows from the data side too: [2^21, 1] x [1, 2^21].
  expect_inference_error(
      op_with_const({big, 1}, {1, big}, "Broadcast", "opset3", "mode=\"bidirectional\"", {big, 1}), {"2^40"});
  // A legal but large target infers without allocating anything (2^30 f32 = 4 GiB).
  const int64_t large = int64_t{1} << 15;
  const OpIr ok = op_with_const({1}, {large, large}, "Broadcast", "opset3", "mode=\"numpy\"", {large, large});
  Graph g = read(ok.xml, ok.bin);
  infer_shapes(g);
  EXPECT_EQ(g.results.at(0)->inputs.at(0).node->outputs.at(0).shape, (Dims{large, large}));
}

}  // namespace
}  // namespace octet
