// Reading If/Loop/TensorIterator layers: bodies as nested graphs, port maps, back edges and special
// ports into the node payload; and the errors for bad port maps, missing bodies, bodies naming layers
// they do not have, nesting beyond the cap and unknown attributes (bad-inputs.md rows 5, 8, 10, 11).
#include <gtest/gtest.h>

#include <string>

#include "host/graph/sub_graphs.h"
#include "tests/unit/ir/ir_test_util.h"

namespace octet {
namespace {

using test::append;
using test::bytes;
using test::expect_error;
using test::find_node;
using test::with;

// x [1,2] -> Loop (trip count 3, execution condition true) whose body doubles its carried value
// (back edge) and has the current iteration as an unused Parameter; outputs: the last value and all
// values joined on axis 0. Body layer ids 10-15 differ from the model's 0-5.
const char* kLoopIr = R"(<?xml version="1.0"?>
<net name="loop_model" version="11">
  <layers>
    <layer id="0" name="x" type="Parameter" version="opset1">
      <data shape="1,2" element_type="f32"/>
      <output><port id="0" precision="FP32" names="x"><dim>1</dim><dim>2</dim></port></output>
    </layer>
    <layer id="1" name="trip" type="Const" version="opset1">
      <data element_type="i64" shape="" offset="0" size="8"/>
      <output><port id="0" precision="I64"/></output>
    </layer>
    <layer id="2" name="go" type="Const" version="opset1">
      <data element_type="boolean" shape="" offset="8" size="1"/>
      <output><port id="0" precision="BOOL"/></output>
    </layer>
    <layer id="3" name="loop" type="Loop" version="opset5">
      <port_map>
        <input external_port_id="2" internal_layer_id="10"/>
        <input external_port_id="-1" internal_layer_id="11" purpose="current_iteration"/>
        <output external_port_id="3" internal_layer_id="13"/>
        <output external_port_id="4" internal_layer_id="13" axis="0" start="0" end="-1" stride="1" part_size="1"/>
        <output external_port_id="-1" internal_layer_id="15" purpose="execution_condition"/>
      </port_map>
      <back_edges>
        <edge from-layer="13" to-layer="10"/>
      </back_edges>
      <input>
        <port id="0" precision="I64"/>
        <port id="1" precision="BOOL"/>
        <port id="2" precision="FP32"><dim>1</dim><dim>2</dim></port>
      </input>
      <output>
        <port id="3" precision="FP32" names="last"><dim>1</dim><dim>2</dim></port>
        <port id="4" precision="FP32" names="all"><dim>3</dim><dim>2</dim></port>
      </output>
      <body>
        <layers>
          <layer id="10" name="bx" type="Parameter" version="opset1">
            <data shape="1,2" element_type="f32"/>
            <output><port id="0" precision="FP32"><dim>1</dim><dim>2</dim></port></output>
          </layer>
          <layer id="11" name="it" type="Parameter" version="opset1">
            <data shape="" element_type="i64"/>
            <output><port id="0" precision="I64"/></output>
          </layer>
          <layer id="12" name="double" type="Add" version="opset1">
            <data auto_broadcast="numpy"/>
            <input><port id="0" precision="FP32"><dim>1</dim><dim>2</dim></port><port id="1" precision="FP32"><dim>1</dim><dim>2</dim></port></input>
            <output><port id="2" precision="FP32"><dim>1</dim><dim>2</dim></port></output>
          </layer>
          <layer id="13" name="out" type="Result" version="opset1">
            <input><port id="0" precision="FP32"><dim>1</dim><dim>2</dim></port></input>
          </layer>
          <layer id="14" name="true" type="Const" version="opset1">
            <data element_type="boolean" shape="" offset="8" size="1"/>
            <output><port id="0" precision="BOOL"/></output>
          </layer>
          <layer id="15" name="cond" type="Result" version="opset1">
            <input><port id="0" precision="BOOL"/></input>
          </layer>
        </layers>
        <edges>
          <edge from-layer="10" from-port="0" to-layer="12" to-port="0"/>
          <edge from-layer="10" from-port="0" to-layer="12" to-port="1"/>
          <edge from-layer="12" from-port="2" to-layer="13" to-port="0"/>
          <edge from-layer="14" from-port="0" to-layer="15" to-port="0"/>
        </edges>
      </body>
    </layer>
    <layer id="4" name="r_last" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>1</dim><dim>2</dim></port></input>
    </layer>
    <layer id="5" name="r_all" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>3</dim><dim>2</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="3" to-port="2"/>
    <edge from-layer="1" from-port="0" to-layer="3" to-port="0"/>
    <edge from-layer="2" from-port="0" to-layer="3" to-port="1"/>
    <edge from-layer="3" from-port="3" to-layer="4" to-port="0"/>
    <edge from-layer="3" from-port="4" to-layer="5" to-port="0"/>
  </edges>
</net>
)";

// c (boolean), a [3] -> If: then a + a, else a (passed through).
const char* kIfIr = R"(<?xml version="1.0"?>
<net name="if_model" version="11">
  <layers>
    <layer id="0" name="c" type="Parameter" version="opset1">
      <data shape="" element_type="boolean"/>
      <output><port id="0" precision="BOOL" names="c"/></output>
    </layer>
    <layer id="1" name="a" type="Parameter" version="opset1">
      <data shape="3" element_type="f32"/>
      <output><port id="0" precision="FP32" names="a"><dim>3</dim></port></output>
    </layer>
    <layer id="2" name="if" type="If" version="opset8">
      <then_port_map>
        <input external_port_id="1" internal_layer_id="0"/>
        <output external_port_id="2" internal_layer_id="2"/>
      </then_port_map>
      <else_port_map>
        <input external_port_id="1" internal_layer_id="0"/>
        <output external_port_id="2" internal_layer_id="1"/>
      </else_port_map>
      <input>
        <port id="0" precision="BOOL"/>
        <port id="1" precision="FP32"><dim>3</dim></port>
      </input>
      <output>
        <port id="2" precision="FP32" names="y"><dim>3</dim></port>
      </output>
      <then_body>
        <layers>
          <layer id="0" name="ta" type="Parameter" version="opset1">
            <data shape="3" element_type="f32"/>
            <output><port id="0" precision="FP32"><dim>3</dim></port></output>
          </layer>
          <layer id="1" name="twice" type="Add" version="opset1">
            <data auto_broadcast="numpy"/>
            <input><port id="0" precision="FP32"><dim>3</dim></port><port id="1" precision="FP32"><dim>3</dim></port></input>
            <output><port id="2" precision="FP32"><dim>3</dim></port></output>
          </layer>
          <layer id="2" name="then_out" type="Result" version="opset1">
            <input><port id="0" precision="FP32"><dim>3</dim></port></input>
          </layer>
        </layers>
        <edges>
          <edge from-layer="0" from-port="0" to-layer="1" to-port="0"/>
          <edge from-layer="0" from-port="0" to-layer="1" to-port="1"/>
          <edge from-layer="1" from-port="2" to-layer="2" to-port="0"/>
        </edges>
      </then_body>
      <else_body>
        <layers>
          <layer id="0" name="ea" type="Parameter" version="opset1">
            <data shape="3" element_type="f32"/>
            <output><port id="0" precision="FP32"><dim>3</dim></port></output>
          </layer>
          <layer id="1" name="else_out" type="Result" version="opset1">
            <input><port id="0" precision="FP32"><dim>3</dim></port></input>
          </layer>
        </layers>
        <edges>
          <edge from-layer="0" from-port="0" to-layer="1" to-port="0"/>
        </edges>
      </else_body>
    </layer>
    <layer id="3" name="r" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>3</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
    <edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
    <edge from-layer="2" from-port="2" to-layer="3" to-port="0"/>
  </edges>
</net>
)";

// Trip count 3 (i64) then boolean true: the Loop weights.
std::shared_ptr<const std::vector<uint8_t>> loop_weights() {
  std::vector<uint8_t> b;
  append<int64_t>(b, {3});
  append<uint8_t>(b, {1});
  return bytes(std::move(b));
}

Graph read_loop(const std::string& xml) {
  return test::read(xml, loop_weights());
}

void expect_loop_error(const std::string& xml, ErrorCode code, std::initializer_list<std::string> parts) {
  expect_error([&] { read_loop(xml); }, code, parts);
}

const char* kLoopLayer = "test.xml: layer 'loop' (id 3, Loop-5)";

TEST(IrSubGraph, ReadsLoopBodyPortMapAndBackEdge) {
  Graph g = read_loop(kLoopIr);
  const Node* loop = find_node(g, "loop");
  ASSERT_NE(loop, nullptr);
  const SubGraphs& s = sub_graphs(*loop);
  ASSERT_EQ(s.bodies.size(), 1u);
  const Body& body = s.bodies[0];
  ASSERT_EQ(body.graph->parameters.size(), 2u);
  ASSERT_EQ(body.graph->results.size(), 2u);
  EXPECT_EQ(body.graph->parameters[0]->name, "bx");
  EXPECT_EQ(body.graph->parameters[1]->name, "it");
  EXPECT_EQ(s.current_iteration, 1);
  EXPECT_EQ(body.graph->results.at(static_cast<size_t>(s.condition))->name, "cond");
  ASSERT_EQ(body.inputs.size(), 1u);
  EXPECT_EQ(body.inputs[0].kind, BodyInputKind::kMerged);
  EXPECT_EQ(body.inputs[0].input, 2u);
  EXPECT_EQ(body.inputs[0].parameter, 0u);
  EXPECT_EQ(body.graph->results.at(body.inputs[0].back_edge)->name, "out");
  ASSERT_EQ(body.outputs.size(), 2u);
  EXPECT_EQ(body.outputs[0].kind, BodyOutputKind::kLastValue);
  EXPECT_EQ(body.outputs[0].output, 0u);
  EXPECT_EQ(body.outputs[1].kind, BodyOutputKind::kConcat);
  EXPECT_EQ(body.outputs[1].output, 1u);
  EXPECT_EQ(body.outputs[1].slicing.axis, 0);
  // The body's Const reads the model's weights file (offset 8: true).
  const Node* t = find_node(*body.graph, "true");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->constant->get_as_int64(0), 1);
  // Shapes come from the body: three iterations of [1,2].
  infer_shapes(g);
  EXPECT_EQ(to_string(loop->outputs[0].shape), "[1,2]");
  EXPECT_EQ(to_string(loop->outputs[1].shape), "[3,2]");
}

TEST(IrSubGraph, ReadsIfBranches) {
  Graph g = test::read(kIfIr);
  const Node* n = find_node(g, "if");
  ASSERT_NE(n, nullptr);
  const SubGraphs& s = sub_graphs(*n);
  ASSERT_EQ(s.bodies.size(), 2u);
  EXPECT_EQ(s.bodies[0].label, "then_body");
  EXPECT_EQ(s.bodies[0].graph->nodes().size(), 3u);
  EXPECT_EQ(s.bodies[1].graph->nodes().size(), 2u);
  EXPECT_EQ(s.bodies[1].inputs.at(0).input, 1u);
  infer_shapes(g);
  EXPECT_EQ(to_string(n->outputs[0].shape), "[3]");
}

TEST(IrSubGraph, MissingBodyOrPortMap) {
  expect_loop_error(with(with(kLoopIr, "<body>", "<bodies>"), "</body>", "</bodies>"), ErrorCode::kModel,
                    {kLoopLayer, "has no <body>"});
  expect_loop_error(with(with(kLoopIr, "<port_map>", "<port_mop>"), "</port_map>", "</port_mop>"),
                    ErrorCode::kModel, {kLoopLayer, "has no <port_map>"});
  expect_error([] { test::read(with(with(kIfIr, "<else_body>", "<body>"), "</else_body>", "</body>")); },
               ErrorCode::kModel, {"layer 'if'", "has a <body>, which If layers do not have"});
  // A body without layers.
  expect_loop_error(with(with(kLoopIr, "<body>\n        <layers>", "<body>\n        <layerz>"),
                         "</layers>\n        <edges>\n          <edge from-layer=\"10\"",
                         "</layerz>\n        <edges>\n          <edge from-layer=\"10\""),
                    ErrorCode::kModel, {"<body>: <body> has no <layers>"});
}

TEST(IrSubGraph, BadPortMapEntries) {
  const std::string entry = R"(<input external_port_id="2" internal_layer_id="10"/>)";
  expect_loop_error(with(kLoopIr, entry, R"(<input external_port_id="7" internal_layer_id="10"/>)"),
                    ErrorCode::kModel, {kLoopLayer, "external_port_id 7", "has no input port 7"});
  expect_loop_error(with(kLoopIr, entry, R"(<input external_port_id="2" internal_layer_id="9"/>)"),
                    ErrorCode::kModel, {kLoopLayer, "internal_layer_id 9", "<body> has no layer with id 9"});
  expect_loop_error(with(kLoopIr, entry, R"(<input external_port_id="2" internal_layer_id="12"/>)"),
                    ErrorCode::kModel,
                    {"layer 12 of <body> is layer 'double' (id 12, Add-1), not a Parameter"});
  expect_loop_error(with(kLoopIr, entry, R"(<input external_port_id="2" internal_layer_id="x"/>)"),
                    ErrorCode::kModel, {"'internal_layer_id' = 'x' is not an integer"});
  expect_loop_error(with(kLoopIr, entry, R"(<input internal_layer_id="10"/>)"), ErrorCode::kModel,
                    {"has no 'external_port_id'"});
  expect_loop_error(
      with(kLoopIr, entry, R"(<input external_port_id="2" internal_layer_id="10" stride="2"/>)"),
      ErrorCode::kModel, {"start/end/stride/part_size but no 'axis'"});
  expect_loop_error(
      with(kLoopIr, entry, R"(<input external_port_id="2" internal_layer_id="10" axis="0" stride="0"/>)"),
      ErrorCode::kModel, {"stride is 0"});
  // An output naming a Parameter; an output port nobody gives.
  expect_loop_error(with(kLoopIr, R"(<output external_port_id="3" internal_layer_id="13"/>)",
                         R"(<output external_port_id="3" internal_layer_id="10"/>)"),
                    ErrorCode::kModel,
                    {"layer 10 of <body> is layer 'bx' (id 10, Parameter-1), not a Result"});
  expect_loop_error(with(kLoopIr, R"(<output external_port_id="3" internal_layer_id="13"/>)", ""),
                    ErrorCode::kModel,
                    {kLoopLayer, "output port 3 is given by no port_map output of <body>"});
  // Two port-map inputs for one body Parameter; a body Parameter fed by none.
  expect_loop_error(with(kLoopIr, entry, entry + entry), ErrorCode::kModel,
                    {"Parameter 'bx' (id 10) is already named by another port_map input"});
  expect_loop_error(
      with(kLoopIr, R"(<input external_port_id="-1" internal_layer_id="11" purpose="current_iteration"/>)",
           ""),
      ErrorCode::kModel, {kLoopLayer, "<body> Parameter 'it' (id 11) gets no value"});
  // The Loop spec's mandatory condition output.
  expect_loop_error(
      with(kLoopIr, R"(<output external_port_id="-1" internal_layer_id="15" purpose="execution_condition"/>)",
           ""),
      ErrorCode::kModel, {kLoopLayer, "no port_map output with purpose \"execution_condition\""});
  expect_loop_error(with(kLoopIr, "purpose=\"current_iteration\"", "purpose=\"iteration\""),
                    ErrorCode::kModel, {"purpose 'iteration' is not valid here"});
}

TEST(IrSubGraph, UnknownAttributesAreRefused) {
  expect_loop_error(with(kLoopIr, R"(<input external_port_id="2" internal_layer_id="10"/>)",
                         R"(<input external_port_id="2" internal_layer_id="10" color="red"/>)"),
                    ErrorCode::kUnsupported,
                    {kLoopLayer, "attribute 'color' = 'red' is not one octet knows"});
  expect_loop_error(with(kLoopIr, "<port_map>", "<data num_iterations=\"3\"/><port_map>"),
                    ErrorCode::kUnsupported, {"layer 'loop'", "attribute 'num_iterations'"});
  expect_loop_error(with(kLoopIr, R"(<edge from-layer="13" to-layer="10"/>)",
                         R"(<edge from-layer="13" to-layer="10" weight="1"/>)"),
                    ErrorCode::kUnsupported, {"<back_edges> edge #0", "attribute 'weight'"});
}

TEST(IrSubGraph, BadBackEdges) {
  const std::string edge = R"(<edge from-layer="13" to-layer="10"/>)";
  expect_loop_error(
      with(kLoopIr, edge, R"(<edge from-layer="12" to-layer="10"/>)"), ErrorCode::kModel,
      {"edge from-layer 12 to-layer 10", "layer 12 of <body> is layer 'double'", "not a Result"});
  expect_loop_error(with(kLoopIr, edge, R"(<edge from-layer="13" to-layer="99"/>)"), ErrorCode::kModel,
                    {"<body> has no layer with id 99"});
  expect_loop_error(with(kLoopIr, edge, edge + edge), ErrorCode::kModel,
                    {"Parameter 'bx' (id 10) already has a back edge"});
  expect_loop_error(with(kLoopIr, edge, R"(<edge from-layer="13" to-layer="11"/>)"), ErrorCode::kUnsupported,
                    {"back edge into the current-iteration Parameter 'it' (id 11)"});
  expect_loop_error(with(kLoopIr, edge, R"(<edge from-layer="13"/>)"), ErrorCode::kModel,
                    {"needs both 'from-layer' and 'to-layer'"});
}

TEST(IrSubGraph, BodyCannotReferToItsParentsLayers) {
  // An edge inside the body from layer 3, the id of the Loop itself in the model: bodies are graphs
  // of their own, so that is an unknown layer, reported with the body named.
  expect_loop_error(with(kLoopIr, R"(<edge from-layer="12" from-port="2" to-layer="13" to-port="0"/>)",
                         R"(<edge from-layer="3" from-port="3" to-layer="13" to-port="0"/>)"),
                    ErrorCode::kModel,
                    {"test.xml: layer 'loop' (id 3, Loop-5) <body>: edge #2", "there is no layer with id 3"});
  // Body layers are checked like the model's: an unknown op inside a body names the body.
  expect_loop_error(with(kLoopIr, R"(type="Add" version="opset1")", R"(type="Blend" version="opset1")"),
                    ErrorCode::kUnsupported, {"<body>: layer 'double' (id 12)"});
  // A body layer with a <body> of its own where none belongs.
  expect_loop_error(
      with(kLoopIr, R"(<data auto_broadcast="numpy"/>)", R"(<data auto_broadcast="numpy"/><body/>)"),
      ErrorCode::kModel, {"layer 'double' (id 12)", "has a <body>, which only If, Loop and TensorIterator"});
}

// x [1] through `depth` Loops nested in each other's bodies, each running once.
std::string loop_layer(int depth, int id) {
  std::string body =
      R"(<layer id="0" name="p" type="Parameter" version="opset1"><data shape="1" element_type="f32"/>
<output><port id="0" precision="FP32"><dim>1</dim></port></output></layer>
<layer id="5" name="t" type="Const" version="opset1"><data element_type="boolean" shape="" offset="8" size="1"/>
<output><port id="0" precision="BOOL"/></output></layer>
<layer id="6" name="c" type="Result" version="opset1"><input><port id="0" precision="BOOL"/></input></layer>
<layer id="4" name="o" type="Result" version="opset1"><input><port id="0" precision="FP32"><dim>1</dim></port></input></layer>
)";
  std::string edges = R"(<edge from-layer="5" from-port="0" to-layer="6" to-port="0"/>)";
  if (depth > 1) {
    body +=
        R"(<layer id="1" name="n" type="Const" version="opset1"><data element_type="i64" shape="" offset="0" size="8"/>
<output><port id="0" precision="I64"/></output></layer>
<layer id="2" name="g" type="Const" version="opset1"><data element_type="boolean" shape="" offset="8" size="1"/>
<output><port id="0" precision="BOOL"/></output></layer>
)" + loop_layer(depth - 1, 3);
    edges += R"(<edge from-layer="1" from-port="0" to-layer="3" to-port="0"/>
<edge from-layer="2" from-port="0" to-layer="3" to-port="1"/>
<edge from-layer="0" from-port="0" to-layer="3" to-port="2"/>
<edge from-layer="3" from-port="3" to-layer="4" to-port="0"/>)";
  } else {
    edges += R"(<edge from-layer="0" from-port="0" to-layer="4" to-port="0"/>)";
  }
  return "<layer id=\"" + std::to_string(id) + "\" name=\"loop" + std::to_string(depth) +
         R"(" type="Loop" version="opset5"><port_map>
<input external_port_id="2" internal_layer_id="0"/>
<output external_port_id="3" internal_layer_id="4"/>
<output external_port_id="-1" internal_layer_id="6" purpose="execution_condition"/></port_map>
<input><port id="0" precision="I64"/><port id="1" precision="BOOL"/><port id="2" precision="FP32"><dim>1</dim></port></input>
<output><port id="3" precision="FP32"><dim>1</dim></port></output>
<body><layers>)" +
         body + "</layers><edges>" + edges + "</edges></body></layer>\n";
}

std::string nested_loops(int depth) {
  return R"(<?xml version="1.0"?><net name="nested" version="11"><layers>
<layer id="0" name="x" type="Parameter" version="opset1"><data shape="1" element_type="f32"/>
<output><port id="0" precision="FP32" names="x"><dim>1</dim></port></output></layer>
<layer id="1" name="n" type="Const" version="opset1"><data element_type="i64" shape="" offset="0" size="8"/>
<output><port id="0" precision="I64"/></output></layer>
<layer id="2" name="g" type="Const" version="opset1"><data element_type="boolean" shape="" offset="8" size="1"/>
<output><port id="0" precision="BOOL"/></output></layer>
)" + loop_layer(depth, 3) +
         R"(<layer id="4" name="r" type="Result" version="opset1"><input><port id="0" precision="FP32"><dim>1</dim></port></input></layer>
</layers><edges>
<edge from-layer="1" from-port="0" to-layer="3" to-port="0"/>
<edge from-layer="2" from-port="0" to-layer="3" to-port="1"/>
<edge from-layer="0" from-port="0" to-layer="3" to-port="2"/>
<edge from-layer="3" from-port="3" to-layer="4" to-port="0"/>
</edges></net>
)";
}

TEST(IrSubGraph, NestingDepthIsCapped) {
  // kMaxBodyDepth levels read and infer; one more is refused before its body is read.
  Graph g = read_loop(nested_loops(kMaxBodyDepth));
  infer_shapes(g);
  EXPECT_EQ(to_string(find_node(g, "loop16")->outputs.at(0).shape), "[1]");
  expect_loop_error(
      nested_loops(kMaxBodyDepth + 1), ErrorCode::kModel,
      {"layer 'loop1' (id 3, Loop-5)", "nesting too deep", "sub-graph level 17, above the limit of 16"});
  // Far deeper nesting stops at the XML depth check, before any layer is read.
  expect_loop_error(nested_loops(40), ErrorCode::kModel, {"nesting too deep", "more than 64 levels deep"});
}

}  // namespace
}  // namespace octet
