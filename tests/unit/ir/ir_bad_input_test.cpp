// Bad-input tests for the IR reader, one or more per bad-inputs.md row 1-17 and 22-25.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>

#include "tests/unit/ir/ir_test_util.h"

namespace octet {
namespace {

using test::append;
using test::bytes;
using test::expect_error;
using test::expect_model_error;
using test::read;
using test::with;

const std::string kRelu = test::kReluIr;
const std::string kAdd = test::kAddConstIr;

// ---- Row 1: model file missing, a directory, or empty.
TEST(IrBadInput, Row1MissingDirectoryOrEmptyModelFile) {
  test::TempDir dir;
  const std::string missing = dir.file("nope.xml");
  expect_error([&] { read_ir_file(missing); }, ErrorCode::kNotFound, {"cannot open model '" + missing + "'"});
  const std::string folder = dir.file("folder.xml");
  std::filesystem::create_directories(folder);
  expect_error([&] { read_ir_file(folder); }, ErrorCode::kNotFound,
               {"cannot open model '" + folder + "'", "directory"});
  const std::string empty = dir.write("empty.xml", std::string());
  expect_error([&] { read_ir_file(empty); }, ErrorCode::kNotFound,
               {"cannot open model '" + empty + "'", "empty"});
  expect_model_error("", {"test.xml", "empty"});
}

// ---- Row 2: .bin missing while Const layers need it, or an explicit bin path that is wrong.
TEST(IrBadInput, Row2MissingWeights) {
  test::TempDir dir;
  const std::string xml = dir.write("m.xml", kAdd);
  expect_error([&] { read_ir_file(xml); }, ErrorCode::kNotFound,
               {"m.xml", "layer 'c' (id 1", dir.file("m.bin"), "bin file cannot be found"});
  const std::string wrong = dir.file("wrong.bin");
  expect_error([&] { read_ir_file(xml, wrong); }, ErrorCode::kNotFound,
               {"cannot open weights '" + wrong + "'"});
  // Even a model without Const layers fails when the caller names a bin that does not exist.
  const std::string relu = dir.write("relu.xml", kRelu);
  expect_error([&] { read_ir_file(relu, wrong); }, ErrorCode::kNotFound, {wrong});
  expect_model_error(kAdd, {"layer 'c'", "no weights"});
}

// ---- Row 3: non-XML bytes, truncated XML, bad UTF-8, extra root elements.
TEST(IrBadInput, Row3NotXml) {
  expect_model_error(std::string("\x89PNG\r\n\x1a\n", 8), {"test.xml", "UTF-8", "offset 0"});
  expect_model_error("hello world", {"test.xml", "line 1"});
  expect_model_error("{\"net\": 1}", {"test.xml"});
}

TEST(IrBadInput, Row3TruncatedXmlReportsLineAndColumn) {
  // Cut inside <edges> (line 16 of the text, which ends on line 17): the parser stops at the end
  // of the text, and computing the line of that position must stay inside the buffer.
  const size_t cut = kRelu.find("<edges>") + 9;
  expect_model_error(kRelu.substr(0, cut), {"test.xml", "XML parse error", "line 17", "byte offset"});
  expect_model_error(kRelu.substr(0, kRelu.size() - 3), {"test.xml", "XML parse error"});
  expect_model_error("<net version=\"11\"", {"line 1"});
  expect_model_error("<", {"line 1"});
}

TEST(IrBadInput, Row3BadUtf8) {
  expect_model_error(with(kRelu, "name=\"relu\"", "name=\"re\xFFlu\""), {"UTF-8", "0xff", "line 8"});
  expect_model_error(with(kRelu, "name=\"relu\"", "name=\"re\xC0\xAFlu\""),
                     {"UTF-8", "0xc0"});                                                     // overlong '/'
  expect_model_error(with(kRelu, "name=\"relu\"", "name=\"re\xED\xA0\x80lu\""), {"UTF-8"});  // surrogate
  expect_model_error(with(kRelu, "name=\"relu\"", "name=\"re\xE2\x82"), {"UTF-8"});          // cut sequence
  expect_model_error(with(kRelu, "name=\"relu\"", std::string("name=\"re\0lu\"", 11)), {"UTF-8", "0x00"});
  // UTF-16 is not accepted as IR text.
  expect_model_error(std::string("\xFF\xFE<\0n\0", 6), {"UTF-8"});
}

TEST(IrBadInput, Row3ExtraRootElement) {
  expect_model_error(kRelu + "<net version=\"11\"/>", {"test.xml", "extra root element <net>"});
  expect_model_error(kRelu + "<other/>", {"extra root element <other>"});
}

// ---- Row 4: DOCTYPE / entity tricks are refused outright, never expanded.
TEST(IrBadInput, Row4DoctypeAndEntities) {
  const std::string laughs = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<net name="&lol2;" version="11"><layers/><edges/></net>)";
  expect_model_error(laughs, {"test.xml", "DOCTYPE", "line 2"});
  const std::string external = R"(<?xml version="1.0"?>
<!doctype net SYSTEM "file:///etc/passwd"><net version="11"><layers/><edges/></net>)";
  expect_model_error(external, {"DOCTYPE"});
  expect_model_error(with(kRelu, "<layers>", "<layers><!ENTITY x \"y\">"), {"ENTITY"});
  // Undeclared entities are not expanded either: pugixml keeps them literally and nothing else
  // interprets them, so the name stays as written.
  const Graph g = read(with(kRelu, "name=\"relu\"", "name=\"&lol;\""));
  EXPECT_NE(test::find_node(g, "&lol;"), nullptr);
}

// ---- Row 5: deep nesting.
TEST(IrBadInput, Row5DeepNestingIsRejectedWithoutRecursion) {
  std::string deep;
  const size_t levels = 200000;
  deep.reserve(levels * 8 + 64);
  deep += "<net version=\"11\"><layers/><edges/><rt_info>";
  for (size_t i = 0; i < levels; ++i) deep += "<a>";
  for (size_t i = 0; i < levels; ++i) deep += "</a>";
  deep += "</rt_info></net>";
  expect_model_error(deep, {"test.xml", "nesting too deep", "<a>"});
}

TEST(IrBadInput, Row5NestingLimitIsExactly64Levels) {
  auto nested = [](int depth) {  // <net> is level 1, <rt_info> level 2
    std::string inner;
    for (int i = 2; i < depth; ++i) inner += "<k>";
    for (int i = 2; i < depth; ++i) inner += "</k>";
    return with(test::kReluIr, "</edges>", "</edges><rt_info>" + inner + "</rt_info>");
  };
  EXPECT_EQ(read(nested(64)).nodes().size(), 3u);
  expect_model_error(nested(65), {"nesting too deep"});
}

// ---- Row 6: missing <net>/<layers>/<edges>; unsupported version.
TEST(IrBadInput, Row6MissingSectionsAndVersion) {
  expect_model_error("<?xml version=\"1.0\"?><model version=\"11\"/>",
                     {"test.xml", "missing <net>", "<model>"});
  expect_model_error("<?xml version=\"1.0\"?>", {"test.xml"});
  expect_model_error("<net version=\"11\"><edges/></net>", {"no <layers>"});
  expect_model_error("<net version=\"11\"><layers/></net>", {"no <edges>"});
  expect_model_error("<net version=\"11\"><layers/><layers/><edges/></net>", {"more than one <layers>"});
  expect_model_error(with(kRelu, " version=\"11\"", ""), {"no 'version'"});
  expect_model_error(with(kRelu, "version=\"11\"", "version=\"11b\""), {"version", "'11b'"});
  expect_error([&] { read(with(kRelu, "version=\"11\"", "version=\"12\"")); }, ErrorCode::kUnsupported,
               {"IR version 12"});
  expect_error([&] { read(with(kRelu, "version=\"11\"", "version=\"7\"")); }, ErrorCode::kUnsupported,
               {"IR version 7"});
}

// ---- Row 7: duplicate layer id, duplicate port id, non-numeric ids.
TEST(IrBadInput, Row7DuplicateAndNonNumericIds) {
  expect_model_error(with(kRelu, "<layer id=\"1\"", "<layer id=\"0\""),
                     {"duplicate layer id 0", "'relu'", "'x'"});
  for (const char* bad : {"1x", "", "-1", "0x1", "1.0", "99999999999999999999"}) {
    expect_model_error(with(kRelu, "<layer id=\"1\"", std::string("<layer id=\"") + bad + "\""),
                       {"test.xml", "layer #1", "id '" + std::string(bad) + "'"});
  }
  expect_model_error(with(kRelu, "<layer id=\"1\"", "<layer"), {"layer #1", "no 'id'"});
  expect_model_error(with(kAdd, "<port id=\"1\" precision=\"FP32\"><dim>4</dim></port></input>",
                          "<port id=\"0\" precision=\"FP32\"><dim>4</dim></port></input>"),
                     {"layer 'add' (id 2", "duplicate input port id 0"}, test::add_weights());
  expect_model_error(with(kRelu, "<output><port id=\"1\"", "<output><port id=\"one\""),
                     {"layer 'relu' (id 1", "port id 'one'"});
  expect_model_error(with(kRelu, "<layer id=\"1\" name=\"relu\"", "<layer id=\"1\" id=\"1\" name=\"relu\""),
                     {"attribute 'id' twice"});
}

// ---- Row 8: bad edges.
TEST(IrBadInput, Row8BadEdges) {
  const std::string edge = "<edge from-layer=\"1\" from-port=\"1\" to-layer=\"2\" to-port=\"0\"/>";
  expect_model_error(
      with(kRelu, edge, "<edge from-layer=\"7\" from-port=\"1\" to-layer=\"2\" to-port=\"0\"/>"),
      {"test.xml", "edge #1", "from-layer 7", "no layer with id 7"});
  expect_model_error(
      with(kRelu, edge, "<edge from-layer=\"1\" from-port=\"1\" to-layer=\"8\" to-port=\"0\"/>"),
      {"no layer with id 8"});
  expect_model_error(
      with(kRelu, edge, "<edge from-layer=\"1\" from-port=\"5\" to-layer=\"2\" to-port=\"0\"/>"),
      {"'relu' (id 1", "no output port 5"});
  expect_model_error(
      with(kRelu, edge, "<edge from-layer=\"1\" from-port=\"1\" to-layer=\"2\" to-port=\"3\"/>"),
      {"'out' (id 2", "no input port 3"});
  // An input port id used as an output port id.
  expect_model_error(
      with(kRelu, edge, "<edge from-layer=\"1\" from-port=\"0\" to-layer=\"2\" to-port=\"0\"/>"),
      {"no output port 0"});
  expect_model_error(
      with(kRelu, edge, edge + "<edge from-layer=\"0\" from-port=\"0\" to-layer=\"2\" to-port=\"0\"/>"),
      {"edge #2", "input port 0 of layer 'out'", "already has an edge"});
  expect_model_error(with(kRelu, edge, ""), {"input port 0 of layer 'out' (id 2", "not connected"});
  expect_model_error(
      with(kRelu, edge, "<edge from-layer=\"1\" from-port=\"x\" to-layer=\"2\" to-port=\"0\"/>"),
      {"edge #1", "from-port 'x'"});
  expect_model_error(with(kRelu, edge, "<edge from-layer=\"1\" to-layer=\"2\" to-port=\"0\"/>"),
                     {"edge #1", "no 'from-port'"});
  expect_model_error(with(kRelu, edge, "<link/>"), {"unexpected element <link> in <edges>"});
}

// ---- Row 9: cycles, including self-loops and cycles among otherwise dead layers.
TEST(IrBadInput, Row9Cycles) {
  expect_model_error(with(kRelu, "<edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" to-port=\"0\"/>",
                          "<edge from-layer=\"1\" from-port=\"1\" to-layer=\"1\" to-port=\"0\"/>"),
                     {"test.xml", "cycle involving layer 'relu'"});
  const std::string two = R"(<?xml version="1.0"?>
<net version="11"><layers>
  <layer id="0" name="x" type="Parameter" version="opset1"><data shape="1" element_type="f32"/>
    <output><port id="0" precision="FP32"><dim>1</dim></port></output></layer>
  <layer id="1" name="a" type="Add" version="opset1"><input><port id="0"/><port id="1"/></input>
    <output><port id="2" precision="FP32"><dim>1</dim></port></output></layer>
  <layer id="2" name="b" type="Relu" version="opset1"><input><port id="0"/></input>
    <output><port id="1" precision="FP32"><dim>1</dim></port></output></layer>
  <layer id="3" name="r" type="Result" version="opset1"><input><port id="0"/></input></layer>
</layers><edges>
  <edge from-layer="0" from-port="0" to-layer="1" to-port="0"/>
  <edge from-layer="2" from-port="1" to-layer="1" to-port="1"/>
  <edge from-layer="1" from-port="2" to-layer="2" to-port="0"/>
  <edge from-layer="RESULT_FROM" from-port="RESULT_PORT" to-layer="3" to-port="0"/>
</edges></net>)";
  // The cycle feeds the Result ...
  expect_model_error(with(with(two, "RESULT_FROM", "2"), "RESULT_PORT", "1"), {"cycle involving layer"});
  // ... or is dead (the Result reads the Parameter): still an error.
  expect_model_error(with(with(two, "RESULT_FROM", "0"), "RESULT_PORT", "0"), {"cycle involving layer"});
}

// ---- Row 10: a sub-graph body is a graph of its own: an edge to a layer of its parent (the model's
// Parameter, id 0) names a layer the body does not have; parts of other sub-graph ops are refused.
// (ir_sub_graph_test.cpp has the port-map, back-edge and depth-cap cases.)
TEST(IrBadInput, Row10SubgraphBodies) {
  const std::pair<const char*, const char*> cases[] = {
      {"body",
       "<body>: edge #0 (from-layer 0 from-port 0 to-layer 1 to-port 0): there is no layer with id 0"},
      {"then_body", "has a <then_body>, which TensorIterator layers do not have"},
      {"port_map", "has no <body>"}};
  for (const auto& [body, message] : cases) {
    const std::string xml =
        with(kRelu, R"(<layer id="1" name="relu" type="ReLU" version="opset1">)",
             std::string(R"(<layer id="1" name="relu" type="TensorIterator" version="opset1"><)") + body +
                 "><layers/><edges><edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" "
                 "to-port=\"0\"/></edges></" +
                 body + ">");
    expect_error([&] { read(xml); }, ErrorCode::kModel,
                 {"test.xml", "layer 'relu' (id 1, TensorIterator-1)", message});
  }
  // Bodies nested beyond the depth cap fail on depth first.
  std::string nested;
  for (int i = 0; i < 30; ++i)
    nested += "<layer id=\"0\" name=\"l\" type=\"TensorIterator\" version=\"opset1\"><body><layers>";
  for (int i = 0; i < 30; ++i) nested += "</layers></body></layer>";
  expect_model_error("<net version=\"11\"><layers>" + nested + "</layers><edges/></net>",
                     {"nesting too deep"});
}

// ---- Row 11: unknown op type or opset; op versions resolve by OpenVINO's opset tables and a
// version octet does not implement is refused (never read as another version).
TEST(IrBadInput, Row11UnknownOpsAndOpsets) {
  const std::string relu = R"(type="ReLU" version="opset1")";
  expect_error([&] { read(with(kRelu, relu, R"(type="FancyOp" version="opset1")")); },
               ErrorCode::kUnsupported,
               {"test.xml", "op 'FancyOp' is not an OpenVINO opset op", "layer 'relu' (id 1)"});
  expect_error([&] { read(with(kRelu, relu, R"(type="ReLU" version="experimental")")); },
               ErrorCode::kUnsupported, {"'experimental'", "'relu'", "not an OpenVINO opset"});
  expect_error([&] { read(with(kRelu, relu, R"(type="ReLU" version="extension")")); },
               ErrorCode::kUnsupported, {"'extension'"});
  // Swish first appears in opset4.
  expect_error([&] { read(with(kRelu, relu, R"(type="Swish" version="opset3")")); }, ErrorCode::kUnsupported,
               {"opset3 has no op 'Swish'"});
  for (const char* v : {"opset", "opsetx", "opset0", "opset-1", "set1", ""}) {
    expect_error([&] { read(with(kRelu, relu, std::string("type=\"ReLU\" version=\"") + v + "\"")); },
                 ErrorCode::kUnsupported, {"is not an OpenVINO opset"});
  }
  // Internal octet ops cannot be named by an IR.
  expect_error([&] { read(with(kRelu, relu, R"(type="QuantizedMatMul" version="opset1")")); },
               ErrorCode::kUnsupported, {"QuantizedMatMul"});
  expect_model_error(with(kRelu, relu, R"(type="ReLU")"), {"layer 'relu' (id 1)", "no 'version'"});
  expect_model_error(with(kRelu, relu, R"(version="opset1")"), {"layer 'relu' (id 1)", "no 'type'"});
  // An op octet declines on purpose says why.
  expect_error(
      [&] { read(with(kRelu, relu, R"(type="NonZero" version="opset3")")); }, ErrorCode::kUnsupported,
      {"NonZero-3 (opset3) is not supported by octet: its output shape depends on the input values"});
  // Relu is unchanged since opset1: any later opset names the same op; opset17 (unfinished in
  // OpenVINO 2026.4) has no Relu at all.
  read(with(kRelu, relu, R"(type="ReLU" version="opset15")"));
  read(with(kRelu, relu, R"(type="Relu" version="opset8")"));
  expect_error([&] { read(with(kRelu, relu, R"(type="ReLU" version="opset17")")); }, ErrorCode::kUnsupported,
               {"opset17 has no op 'ReLU'"});
}

// A model-level IR with one layer `layer` between a [1,3,8,8] Parameter and a Result.
std::string single_layer_ir(const std::string& layer, const std::string& out_dims) {
  return std::string(R"(<?xml version="1.0"?>
<net name="m" version="11"><layers>
<layer id="0" name="x" type="Parameter" version="opset1"><data shape="1,3,8,8" element_type="f32"/>
 <output><port id="0" precision="FP32"><dim>1</dim><dim>3</dim><dim>8</dim><dim>8</dim></port></output></layer>
)") + layer +
         R"(
<layer id="2" name="out" type="Result" version="opset1"><input><port id="0" precision="FP32">)" +
         out_dims +
         R"(</port></input></layer>
</layers><edges>
<edge from-layer="0" from-port="0" to-layer="1" to-port="0"/><edge from-layer="1" from-port="1" to-layer="2" to-port="0"/>
</edges></net>)";
}

std::string pool_layer(const char* type, const char* version, const std::string& data) {
  return fmt::format(R"(<layer id="1" name="pool" type="{}" version="{}"><data {}/>
 <input><port id="0" precision="FP32"><dim>1</dim><dim>3</dim><dim>8</dim><dim>8</dim></port></input>
 <output><port id="1" precision="FP32"><dim>1</dim><dim>3</dim><dim>4</dim><dim>4</dim></port></output></layer>)",
                     type, version, data);
}

const char* kPoolOut = "<dim>1</dim><dim>3</dim><dim>4</dim><dim>4</dim>";
const char* kAvgData =
    R"(kernel="2,2" strides="2,2" pads_begin="0,0" pads_end="0,0" exclude-pad="true" rounding_type="floor" auto_pad="explicit")";

TEST(IrOpVersions, AnUnimplementedVersionIsRefusedNamingItAndTheImplementedOnes) {
  // AvgPool-16 added dilations; reading it as AvgPool-14 would silently ignore them.
  expect_error([&] { read(single_layer_ir(pool_layer("AvgPool", "opset16", kAvgData), kPoolOut)); },
               ErrorCode::kUnsupported,
               {"layer 'pool' (id 1", "AvgPool-16 (opset16)", "AvgPool-1, AvgPool-14"});
  // opset15 holds AvgPool-14, which octet implements; opset13 holds AvgPool-1.
  Graph g14 = read(single_layer_ir(pool_layer("AvgPool", "opset15", kAvgData), kPoolOut));
  Graph g1 = read(single_layer_ir(pool_layer("AvgPool", "opset13", kAvgData), kPoolOut));
  auto pool_version = [](const Graph& g) {
    for (const auto& n : g.nodes())
      if (n->name == "pool") return n->version;
    return -1;
  };
  EXPECT_EQ(pool_version(g14), 14);
  EXPECT_EQ(pool_version(g1), 1);
  // MVN in opset1 is OpenVINO's MVN-2 (its reader redirects it), octet's MVN1 line, not MVN-6.
  Graph mvn = read(single_layer_ir(
      R"(<layer id="1" name="mvn" type="MVN" version="opset1"><data eps="1e-5" normalize_variance="true" across_channels="false"/>
 <input><port id="0" precision="FP32"><dim>1</dim><dim>3</dim><dim>8</dim><dim>8</dim></port></input>
 <output><port id="1" precision="FP32"><dim>1</dim><dim>3</dim><dim>8</dim><dim>8</dim></port></output></layer>)",
      "<dim>1</dim><dim>3</dim><dim>8</dim><dim>8</dim>"));
  for (const auto& n : mvn.nodes()) {
    if (n->name != "mvn") continue;
    EXPECT_TRUE(n->op == OpKind::kMVN1 && n->version == 2) << op_name(n->op) << "-" << n->version;
  }
}

TEST(IrOpVersions, AnAttributeTheVersionDoesNotHaveIsRefused) {
  // MaxPool-1 has no dilations (MaxPool-8 added them): refusing beats computing without them.
  const std::string max1 = pool_layer(
      "MaxPool", "opset1",
      R"(kernel="2,2" strides="2,2" pads_begin="0,0" pads_end="0,0" rounding_type="floor" auto_pad="explicit" dilations="2,2")");
  expect_error([&] { read(single_layer_ir(max1, kPoolOut)); }, ErrorCode::kUnsupported,
               {"layer 'pool' (id 1", "'dilations'", "MaxPool-1"});
  // A made-up attribute on an op octet knows.
  const std::string avg = pool_layer("AvgPool", "opset1", std::string(kAvgData) + R"( ceil_mode="true")");
  expect_error([&] { read(single_layer_ir(avg, kPoolOut)); }, ErrorCode::kUnsupported,
               {"'ceil_mode'", "AvgPool-1", "exclude-pad"});
  // ceil_torch rounding exists from AvgPool-14 only.
  const std::string torch1 = pool_layer(
      "AvgPool", "opset1",
      R"(kernel="2,2" strides="2,2" pads_begin="0,0" pads_end="0,0" exclude-pad="true" rounding_type="ceil_torch" auto_pad="explicit")");
  expect_error([&] { read(single_layer_ir(torch1, kPoolOut)); }, ErrorCode::kModel,
               {"'rounding_type'", "ceil_torch"});
}

// ---- Row 12: no Result, dangling Result, colliding names.
TEST(IrBadInput, Row12ParametersAndResults) {
  const std::string no_result = with(with(kRelu, R"(<layer id="2" name="out" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>1</dim><dim>4</dim></port></input>
    </layer>)",
                                          ""),
                                     R"(<edge from-layer="1" from-port="1" to-layer="2" to-port="0"/>)", "");
  expect_model_error(no_result, {"test.xml", "no Result"});
  expect_model_error(with(kRelu, R"(<edge from-layer="1" from-port="1" to-layer="2" to-port="0"/>)", ""),
                     {"layer 'out'", "not connected"});
  expect_model_error(
      with(kRelu, R"(<input><port id="0" precision="FP32"><dim>1</dim><dim>4</dim></port></input>
    </layer>
  </layers>)",
           R"(</layer></layers>)"),
      {"layer 'out'", "1 input and 0 output ports"});
  // Two Parameters with one name.
  const std::string second_param = R"(<layer id="5" name="x" type="Parameter" version="opset1">
      <data shape="1" element_type="f32"/><output><port id="0" precision="FP32"><dim>1</dim></port></output></layer>
    <layer id="6" name="r2" type="Result" version="opset1"><input><port id="0"/></input></layer>
  </layers>)";
  const std::string second_edge = R"(<edge from-layer="5" from-port="0" to-layer="6" to-port="0"/></edges>)";
  expect_model_error(with(with(kRelu, "</layers>", second_param), "</edges>", second_edge),
                     {"Parameter name 'x'", "id 0", "id 5"});
  // Two live tensors with one tensor name.
  expect_model_error(with(kRelu, R"(names="y")", R"(names="x")"), {"tensor name 'x'", "'relu'"});
  expect_model_error(with(kRelu, R"(<data shape="1,4" element_type="f32"/>)", ""),
                     {"layer 'x' (id 0", "'element_type'", "missing"});
}

// ---- Row 13: absurd sizes stay linear or hit the caps.
std::string relu_chain(size_t n) {
  std::string xml =
      "<net version=\"11\"><layers><layer id=\"0\" name=\"p\" type=\"Parameter\" version=\"opset1\">"
      "<data shape=\"1\" element_type=\"f32\"/><output><port id=\"0\"><dim>1</dim></port></output>"
      "</layer>";
  std::string edges;
  for (size_t i = 1; i <= n; ++i) {
    const std::string id = std::to_string(i), prev = std::to_string(i - 1);
    xml +=
        "<layer id=\"" + id + "\" name=\"r" + id +
        "\" type=\"ReLU\" version=\"opset1\"><input><port id=\"0\"/></input><output><port id=\"1\"/></output>"
        "</layer>";
    edges += "<edge from-layer=\"" + prev + "\" from-port=\"" + (i == 1 ? "0" : "1") + "\" to-layer=\"" + id +
             "\" to-port=\"0\"/>";
  }
  const std::string last = std::to_string(n + 1);
  xml += "<layer id=\"" + last +
         "\" name=\"out\" type=\"Result\" version=\"opset1\"><input><port id=\"0\"/></input></layer>";
  edges += "<edge from-layer=\"" + std::to_string(n) + "\" from-port=\"1\" to-layer=\"" + last +
           "\" to-port=\"0\"/>";
  return xml + "</layers><edges>" + edges + "</edges></net>";
}

TEST(IrBadInput, Row13LongChainReadsInLinearTime) {
  const auto start = std::chrono::steady_clock::now();
  const Graph g = read(relu_chain(100000));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(g.nodes().size(), 100002u);
  EXPECT_LT(seconds, 30.0) << "100k layers took " << seconds << " s";
}

TEST(IrBadInput, Row13TooManyLayers) {
  std::string xml = "<net version=\"11\"><layers>";
  xml.reserve((kMaxLayers + 1) * 12 + 64);
  for (size_t i = 0; i <= kMaxLayers; ++i) xml += "<layer id=\"\"/>";  // rejected before any is read
  xml += "</layers><edges/></net>";
  expect_model_error(xml, {"test.xml", "more than 1000000 layers"});
}

TEST(IrBadInput, Row13HugeNames) {
  const std::string huge(1000000, 'n');
  expect_model_error(with(kRelu, "name=\"relu\"", "name=\"" + huge + "\""), {"layer id 1", "1000000 bytes"});
  expect_model_error(with(kRelu, "names=\"y\"", "names=\"" + huge + "\""), {"'relu'", "tensor name"});
}

TEST(IrBadInput, Row13HundredThousandInputs) {
  const size_t n = 100000;
  std::string ports, edges;
  for (size_t i = 0; i < n; ++i) {
    ports += "<port id=\"" + std::to_string(n - i) + "\"/>";  // ids descending: position != id
    edges +=
        "<edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" to-port=\"" + std::to_string(n - i) + "\"/>";
  }
  const std::string xml =
      "<net version=\"11\"><layers><layer id=\"0\" name=\"p\" type=\"Parameter\" version=\"opset1\">"
      "<data shape=\"1\" element_type=\"f32\"/><output><port id=\"0\"/></output></layer>"
      "<layer id=\"1\" name=\"cat\" type=\"Concat\" version=\"opset1\"><data axis=\"0\"/><input>" +
      ports +
      "</input><output><port id=\"0\"/></output></layer>"
      "<layer id=\"2\" name=\"r\" type=\"Result\" version=\"opset1\"><input><port id=\"0\"/></input></layer>"
      "</layers><edges>" +
      edges + "<edge from-layer=\"1\" from-port=\"0\" to-layer=\"2\" to-port=\"0\"/></edges></net>";
  const auto start = std::chrono::steady_clock::now();
  const Graph g = read(xml);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(test::find_node(g, "cat")->inputs.size(), n);
  EXPECT_LT(seconds, 10.0);
}

// ---- Row 14: non-numeric or partly numeric values.
TEST(IrBadInput, Row14StrictNumbers) {
  for (const char* bad : {"3x", "", "1e99", "nan", "0x10", "1.5", " ", "+-1", "--1", "1 2"}) {
    expect_model_error(with(kAdd, "offset=\"0\"", std::string("offset=\"") + bad + "\""),
                       {"test.xml", "layer 'c' (id 1", "'offset'"}, test::add_weights());
    expect_model_error(
        with(kRelu, "<dim>4</dim></port></output>", std::string("<dim>") + bad + "</dim></port></output>"),
        {"layer 'x' (id 0", "output port 0", "invalid <dim>"});
  }
  expect_model_error(with(kRelu, "shape=\"1,4\"", "shape=\"1,4x\""), {"layer 'x'", "'shape'", "'4x'"});
  expect_model_error(with(kRelu, "shape=\"1,4\"", "shape=\"1,,4\""), {"'shape'"});
  expect_model_error(with(kAdd, "shape=\"4\" offset", "shape=\"?\" offset"), {"layer 'c'", "static shape"},
                     test::add_weights());
  expect_model_error(with(kRelu, "shape=\"1,4\"", "shape=\"1,5..2\""), {"'shape'", "interval"});
}

// ---- Row 15: negative or huge dims.
TEST(IrBadInput, Row15BadDims) {
  expect_model_error(with(kRelu, "<dim>4</dim></port></output>", "<dim>-2</dim></port></output>"),
                     {"invalid <dim> '-2'"});
  expect_model_error(
      with(kRelu, "<dim>4</dim></port></output>", "<dim>4611686018427387904</dim></port></output>"),
      {"invalid <dim>"});
  expect_model_error(with(kRelu, "shape=\"1,4\"", "shape=\"1,-5\""), {"layer 'x'", "'shape'", "-5"});
  expect_model_error(with(kRelu, "shape=\"1,4\"", "shape=\"1,2199023255552\""), {"'shape'", "2199023255552"});
  expect_model_error(with(kAdd, "shape=\"4\" offset", "shape=\"-1\" offset"), {"layer 'c'", "static"},
                     test::add_weights());
  expect_error([&] { read(with(kRelu, "shape=\"1,4\"", "shape=\"1,...\"")); }, ErrorCode::kUnsupported,
               {"layer 'x'", "dynamic rank"});
}

// ---- Row 16: element counts that overflow.
TEST(IrBadInput, Row16ElementCountOverflow) {
  const std::string big = "1099511627776, 1099511627776";  // 2^40 x 2^40
  expect_model_error(with(kAdd, "shape=\"4\" offset", "shape=\"" + big + "\" offset"),
                     {"layer 'c' (id 1", "2^40"}, test::add_weights());
  expect_model_error(with(kRelu, "shape=\"1,4\"", "shape=\"" + big + "\""), {"layer 'x'", "2^40"});
  expect_model_error(
      with(kRelu, "<dim>1</dim><dim>4</dim></port></output>\n    </layer>\n    <layer id=\"2\"",
           "<dim>1099511627776</dim><dim>1099511627776</dim></port></output>\n    </layer>\n    <layer "
           "id=\"2\""),
      {"layer 'relu'", "output port 1"});
}

// ---- Row 17: unknown or unsupported element types.
TEST(IrBadInput, Row17ElementTypes) {
  expect_model_error(with(kAdd, "element_type=\"f32\" shape=\"4\"", "element_type=\"f33\" shape=\"4\""),
                     {"layer 'c' (id 1", "element_type 'f33'"}, test::add_weights());
  for (const char* t : {"nf4", "f8e4m3", "f8e5m2", "string", "u2"}) {
    expect_error(
        [&] {
          read(with(kAdd, "element_type=\"f32\" shape=\"4\"",
                    std::string("element_type=\"") + t + "\" shape=\"4\""),
               test::add_weights());
        },
        ErrorCode::kUnsupported, {"layer 'c'", std::string("'") + t + "'"});
  }
  expect_model_error(with(kRelu, "element_type=\"f32\"", "element_type=\"float\""), {"layer 'x'", "'float'"});
  expect_model_error(with(kRelu, "names=\"y\"", "precision=\"FP33\" names=\"y\""),
                     {"attribute 'precision' twice"});
  expect_model_error(with(kRelu, "precision=\"FP32\" names=\"y\"", "precision=\"FP33\" names=\"y\""),
                     {"layer 'relu'", "precision 'FP33'"});
  // Const/Parameter precision must agree with element_type.
  expect_model_error(with(kRelu, "precision=\"FP32\" names=\"x\"", "precision=\"I32\" names=\"x\""),
                     {"layer 'x'", "precision i32", "element_type f32"});
}

// ---- Row 22: offset/size past the end of the bin, or wrapping.
TEST(IrBadInput, Row22ConstOutOfBounds) {
  const auto bin = test::add_weights();  // 16 bytes
  expect_model_error(with(kAdd, "offset=\"0\" size=\"16\"", "offset=\"4\" size=\"16\""),
                     {"layer 'c' (id 1", "offset 4 + size 16", "16-byte"}, bin);
  expect_model_error(with(kAdd, "offset=\"0\" size=\"16\"", "offset=\"17\" size=\"16\""), {"offset 17"}, bin);
  expect_model_error(with(kAdd, "offset=\"0\" size=\"16\"", "offset=\"9223372036854775800\" size=\"16\""),
                     {"past the end"}, bin);
  // offset + size wraps around 2^64 if added naively.
  expect_model_error(with(kAdd, "offset=\"0\" size=\"16\"", "offset=\"8\" size=\"9223372036854775807\""),
                     {"past the end"}, bin);
  expect_model_error(with(kAdd, "offset=\"0\" size=\"16\"", "offset=\"-8\" size=\"16\""),
                     {"'offset'", "negative"}, bin);
  expect_model_error(kAdd, {"past the end"}, bytes({1, 2, 3}));
  expect_model_error(kAdd, {"past the end"}, bytes({}));
}

// ---- Row 23: size smaller than the tensor.
TEST(IrBadInput, Row23ConstSizeTooSmall) {
  expect_model_error(with(kAdd, "size=\"16\"", "size=\"15\""), {"layer 'c' (id 1", "size 15", "16 bytes"},
                     test::add_weights());
  // Sub-byte: 3 x u4 needs 2 bytes.
  expect_model_error(test::const_model({{"k", "u4", "3", {3}, 0, 1, "U4"}}), {"size 1", "2 bytes"},
                     bytes({0, 0}));
  expect_model_error(test::const_model({{"k", "u1", "9", {9}, 0, 1, ""}}), {"size 1", "2 bytes"},
                     bytes({0, 0}));
}

// ---- Row 24: unaligned offsets are copied (checked under UBSan in the fuzz build as well).
TEST(IrBadInput, Row24UnalignedI64Const) {
  std::vector<uint8_t> bin = {0, 0, 0};
  append<int64_t>(bin, {-1234567890123});
  const Graph g = read(test::const_model({{"k", "i64", "1", {1}, 3, 8, "I64"}}), bytes(bin));
  EXPECT_EQ(test::find_node(g, "k")->constant->to_int64_vector(), (std::vector<int64_t>{-1234567890123}));
}

// ---- Row 25: the bin is read into owned memory: changing the file later does not matter.
TEST(IrBadInput, Row25BinTruncatedAfterReading) {
  test::TempDir dir;
  const std::string xml = dir.write("m.xml", kAdd);
  const std::string bin = dir.write("m.bin", *test::add_weights());
  const Graph g = read_ir_file(xml);
  std::filesystem::resize_file(bin, 0);
  EXPECT_EQ(std::filesystem::file_size(bin), 0u);
  EXPECT_EQ(test::find_node(g, "c")->constant->to_float_vector(),
            (std::vector<float>{1.0f, -2.0f, 0.5f, 3.0f}));
  // A fresh read of the truncated file is an error, not a crash.
  expect_error([&] { read_ir_file(xml); }, ErrorCode::kModel, {"past the end"});
}

}  // namespace
}  // namespace octet
