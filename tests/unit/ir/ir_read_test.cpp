// Positive tests of the IR reader on small hand-written v10/v11 IRs with hand-computed expectations.
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/unit/ir/ir_test_util.h"

namespace octet {
namespace {

using test::append;
using test::bytes;
using test::ConstSpec;
using test::find_node;
using test::read;
using test::with;

TEST(IrRead, ReluModelStructure) {
  const Graph g = read(test::kReluIr);
  EXPECT_EQ(g.name, "relu_model");
  EXPECT_EQ(g.ir_version, 11);
  EXPECT_EQ(g.source, "test.xml");
  ASSERT_EQ(g.nodes().size(), 3u);
  ASSERT_EQ(g.parameters.size(), 1u);
  ASSERT_EQ(g.results.size(), 1u);
  const Node* x = g.parameters[0];
  EXPECT_EQ(x->op, OpKind::kParameter);
  EXPECT_EQ(x->name, "x");
  EXPECT_EQ(x->ir_id, 0);
  ASSERT_EQ(x->outputs.size(), 1u);
  EXPECT_EQ(x->outputs[0].type, ElementType::kF32);
  EXPECT_EQ(x->outputs[0].shape, (Dims{1, 4}));
  EXPECT_TRUE(x->outputs[0].has_declared_shape);
  EXPECT_EQ(x->outputs[0].declared_shape, (Dims{1, 4}));
  EXPECT_EQ(x->outputs[0].names, (std::vector<std::string>{"x"}));
  EXPECT_EQ(x->attrs.str("element_type"), "f32");

  const Node* relu = find_node(g, "relu");
  ASSERT_NE(relu, nullptr);
  EXPECT_EQ(relu->op, OpKind::kRelu);
  EXPECT_EQ(relu->version, 1);
  EXPECT_EQ(relu->ir_id, 1);
  ASSERT_EQ(relu->inputs.size(), 1u);
  EXPECT_EQ(relu->inputs[0].node, x);
  EXPECT_EQ(relu->inputs[0].index, 0);
  EXPECT_EQ(relu->outputs[0].names, (std::vector<std::string>{"y"}));
  EXPECT_EQ(relu->outputs[0].declared_shape, (Dims{1, 4}));

  const Node* out = g.results[0];
  EXPECT_EQ(out->op, OpKind::kResult);
  EXPECT_TRUE(out->outputs.empty());
  EXPECT_EQ(out->inputs[0].node, relu);
}

TEST(IrRead, AttributesAreStringsOwnedByTheLayer) {
  const Graph g = read(test::kAddConstIr, test::add_weights());
  const Node* add = find_node(g, "add");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->attrs.str("auto_broadcast"), "numpy");
  try {
    add->attrs.i64("auto_broadcast");
    FAIL() << "non-numeric attribute parsed as a number";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("test.xml"), std::string::npos) << what;
    EXPECT_NE(what.find("'add'"), std::string::npos) << what;
    EXPECT_NE(what.find("id 2"), std::string::npos) << what;
  }
}

TEST(IrRead, ConstValuesAndInputOrder) {
  const Graph g = read(test::kAddConstIr, test::add_weights());
  const Node* c = find_node(g, "c");
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->constant);
  EXPECT_EQ(c->constant->type(), ElementType::kF32);
  EXPECT_EQ(c->constant->shape(), (Dims{4}));
  EXPECT_EQ(c->constant->to_float_vector(), (std::vector<float>{1.0f, -2.0f, 0.5f, 3.0f}));
  const Node* add = find_node(g, "add");
  EXPECT_EQ(add->inputs[0].node, g.parameters[0]);
  EXPECT_EQ(add->inputs[1].node, c);
  EXPECT_EQ(add->input_constant(1), c->constant.get());
}

// Every element type, with bytes written by hand and values decoded by hand (ir-spec.md 1.9):
// 4-bit types keep element 2k in the low nibble; u1 keeps element 8k in the most significant bit.
TEST(IrRead, EveryElementTypeDecodesAsStored) {
  std::vector<uint8_t> bin;
  append<float>(bin, {1.5f, -2.25f});                // 0: f32 x2
  append<double>(bin, {-0.125});                     // 8: f64
  append<uint16_t>(bin, {0x3C00, 0xC000, 0x3555});   // 16: f16 1, -2, 0.333251953125
  append<uint16_t>(bin, {0x3F80, 0xC040});           // 22: bf16 1, -3
  append<int64_t>(bin, {-5});                        // 26: i64 (unaligned)
  append<int32_t>(bin, {-70000});                    // 34: i32
  append<int16_t>(bin, {-300});                      // 38: i16
  append<int8_t>(bin, {-128, 127});                  // 40: i8
  append<uint64_t>(bin, {(uint64_t{1} << 40) + 1});  // 42: u64
  append<uint32_t>(bin, {4000000000u});              // 50: u32
  append<uint16_t>(bin, {65535});                    // 54: u16
  append<uint8_t>(bin, {0, 255});                    // 56: u8
  append<uint8_t>(bin, {0, 1});                      // 58: boolean
  append<uint8_t>(bin, {0x7A, 0x08});                // 60: i4 -> -6, 7, -8
  append<uint8_t>(bin, {0x7A, 0x0F});                // 62: u4 -> 10, 7, 15
  append<uint8_t>(bin, {0xA1, 0xC0});                // 64: u1 -> 1,0,1,0,0,0,0,1, 1,1
  ASSERT_EQ(bin.size(), 66u);
  const std::vector<ConstSpec> specs = {
      {"f32", "f32", "2", {2}, 0, 8, "FP32"},
      {"f64", "f64", "1", {1}, 8, 8, "FP64"},
      {"f16", "f16", "3", {3}, 16, 6, "FP16"},
      {"bf16", "bf16", "2", {2}, 22, 4, "BF16"},
      {"i64", "i64", "", {}, 26, 8, "I64"},
      {"i32", "i32", "1", {1}, 34, 4, "I32"},
      {"i16", "i16", "1", {1}, 38, 2, "I16"},
      {"i8", "i8", "2", {2}, 40, 2, "I8"},
      {"u64", "u64", "1", {1}, 42, 8, "U64"},
      {"u32", "u32", "1", {1}, 50, 4, "U32"},
      {"u16", "u16", "1", {1}, 54, 2, "U16"},
      {"u8", "u8", "2", {2}, 56, 2, "U8"},
      {"boolean", "boolean", "2", {2}, 58, 2, "BOOL"},
      {"i4", "i4", "3", {3}, 60, 2, "I4"},
      {"u4", "u4", "3", {3}, 62, 2, "U4"},
      {"u1", "u1", "10", {10}, 64, 2, "BIN"},
  };
  const auto shared_bin = bytes(bin);
  const Graph g = read(test::const_model(specs), shared_bin);
  ASSERT_EQ(g.results.size(), specs.size());
  auto value = [&](const std::string& name) -> const Tensor& {
    const Node* n = find_node(g, name);
    if (!n || !n->constant) throw std::runtime_error("no constant " + name);
    return *n->constant;
  };
  auto doubles = [](const Tensor& t) {
    std::vector<double> v;
    for (int64_t i = 0; i < t.element_count(); ++i) v.push_back(t.get_as_double(i));
    return v;
  };
  EXPECT_EQ(doubles(value("f32")), (std::vector<double>{1.5, -2.25}));
  EXPECT_EQ(doubles(value("f64")), (std::vector<double>{-0.125}));
  EXPECT_EQ(doubles(value("f16")), (std::vector<double>{1.0, -2.0, 0.333251953125}));
  EXPECT_EQ(doubles(value("bf16")), (std::vector<double>{1.0, -3.0}));
  EXPECT_EQ(value("i64").shape(), Dims{});
  EXPECT_EQ(value("i64").to_int64_vector(), (std::vector<int64_t>{-5}));
  EXPECT_EQ(value("i32").to_int64_vector(), (std::vector<int64_t>{-70000}));
  EXPECT_EQ(value("i16").to_int64_vector(), (std::vector<int64_t>{-300}));
  EXPECT_EQ(value("i8").to_int64_vector(), (std::vector<int64_t>{-128, 127}));
  EXPECT_EQ(value("u64").to_int64_vector(), (std::vector<int64_t>{(int64_t{1} << 40) + 1}));
  EXPECT_EQ(value("u32").to_int64_vector(), (std::vector<int64_t>{4000000000}));
  EXPECT_EQ(value("u16").to_int64_vector(), (std::vector<int64_t>{65535}));
  EXPECT_EQ(value("u8").to_int64_vector(), (std::vector<int64_t>{0, 255}));
  EXPECT_EQ(value("boolean").to_int64_vector(), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(value("i4").to_int64_vector(), (std::vector<int64_t>{-6, 7, -8}));
  EXPECT_EQ(value("u4").to_int64_vector(), (std::vector<int64_t>{10, 7, 15}));
  EXPECT_EQ(value("u1").to_int64_vector(), (std::vector<int64_t>{1, 0, 1, 0, 0, 0, 0, 1, 1, 1}));
  // Stored bytes are kept exactly (packed sub-byte, raw f16/bf16), not converted.
  EXPECT_EQ(value("i4").byte_size(), 2u);
  EXPECT_EQ(value("u1").byte_size(), 2u);
  EXPECT_EQ(std::memcmp(value("f16").data(), bin.data() + 16, 6), 0);
  EXPECT_EQ(std::memcmp(value("bf16").data(), bin.data() + 22, 4), 0);
  EXPECT_EQ(find_node(g, "u1")->outputs[0].type, ElementType::kU1);
  EXPECT_EQ(find_node(g, "bf16")->outputs[0].type, ElementType::kBF16);
}

TEST(IrRead, LegacyUpperCaseElementTypesAndSharedOffsets) {
  std::vector<uint8_t> bin;
  append<int64_t>(bin, {7});
  // OpenVINO de-duplicates blobs: a scalar and a [1] constant can share one offset.
  const Graph g = read(
      test::const_model({{"a", "I64", "", {}, 0, 8, "I64"}, {"b", "i64", "1", {1}, 0, 8, ""}}), bytes(bin));
  EXPECT_EQ(find_node(g, "a")->constant->to_int64_vector(), (std::vector<int64_t>{7}));
  EXPECT_EQ(find_node(g, "b")->constant->to_int64_vector(), (std::vector<int64_t>{7}));
  EXPECT_EQ(find_node(g, "b")->constant->shape(), (Dims{1}));
}

TEST(IrRead, SizeLargerThanNeededIsAccepted) {
  std::vector<uint8_t> bin;
  append<float>(bin, {2.0f, 9.0f});
  const Graph g = read(test::const_model({{"a", "f32", "1", {1}, 0, 8, "FP32"}}), bytes(bin));
  EXPECT_EQ(find_node(g, "a")->constant->to_float_vector(), (std::vector<float>{2.0f}));
}

TEST(IrRead, UnalignedOffsetIsCopiedOut) {
  std::vector<uint8_t> bin = {0xEE};
  append<float>(bin, {0.25f, -8.0f});
  const Graph g = read(test::const_model({{"a", "f32", "2", {2}, 1, 8, "FP32"}}), bytes(bin));
  const Tensor& t = *find_node(g, "a")->constant;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data()) % alignof(float), 0u);
  EXPECT_EQ(t.to_float_vector(), (std::vector<float>{0.25f, -8.0f}));
}

// Port ids map to the POSITION of the <port> inside <input>/<output>, whatever their numbers.
TEST(IrRead, PortIdsMapToPositions) {
  const std::string xml = R"(<?xml version="1.0"?>
<net name="split" version="11">
  <layers>
    <layer id="10" name="x" type="Parameter" version="opset1">
      <data shape="2,4" element_type="f32"/>
      <output><port id="0" precision="FP32" names="x"><dim>2</dim><dim>4</dim></port></output>
    </layer>
    <layer id="11" name="axis" type="Const" version="opset1">
      <data element_type="i64" shape="" offset="0" size="8"/>
      <output><port id="0" precision="I64"/></output>
    </layer>
    <layer id="12" name="split" type="Split" version="opset1">
      <data num_splits="2"/>
      <input><port id="7"><dim>2</dim><dim>4</dim></port><port id="3"/></input>
      <output>
        <port id="9" precision="FP32" names="first"><dim>2</dim><dim>2</dim></port>
        <port id="4" precision="FP32" names="second"><dim>2</dim><dim>2</dim></port>
      </output>
    </layer>
    <layer id="13" name="r_second" type="Result" version="opset1"><input><port id="0"/></input></layer>
    <layer id="14" name="r_first" type="Result" version="opset1"><input><port id="0"/></input></layer>
  </layers>
  <edges>
    <edge from-layer="12" from-port="4" to-layer="13" to-port="0"/>
    <edge from-layer="12" from-port="9" to-layer="14" to-port="0"/>
    <edge from-layer="11" from-port="0" to-layer="12" to-port="3"/>
    <edge from-layer="10" from-port="0" to-layer="12" to-port="7"/>
  </edges>
</net>)";
  std::vector<uint8_t> bin;
  append<int64_t>(bin, {1});
  const Graph g = read(xml, bytes(bin));
  const Node* split = find_node(g, "split");
  ASSERT_EQ(split->inputs.size(), 2u);
  EXPECT_EQ(split->inputs[0].node->name, "x");
  EXPECT_EQ(split->inputs[1].node->name, "axis");
  ASSERT_EQ(split->outputs.size(), 2u);
  EXPECT_EQ(split->outputs[0].names, (std::vector<std::string>{"first"}));
  EXPECT_EQ(split->outputs[1].names, (std::vector<std::string>{"second"}));
  ASSERT_EQ(g.results.size(), 2u);
  EXPECT_EQ(g.results[0]->name, "r_second");  // XML order, not edge order
  EXPECT_EQ(g.results[0]->inputs[0].index, 1);
  EXPECT_EQ(g.results[1]->inputs[0].index, 0);
}

TEST(IrRead, TensorNamesWithEscapedCommas) {
  const Graph g = read(with(test::kReluIr, R"(names="y")", R"(names="a\,b,c,hidden.1,,c")"));
  EXPECT_EQ(find_node(g, "relu")->outputs[0].names, (std::vector<std::string>{"a,b", "c", "hidden.1"}));
}

TEST(IrRead, ResultOutputNamesAreAddedToTheProducer) {
  const Graph g = read(with(test::kReluIr, R"(type="Result" version="opset1")",
                            R"(type="Result" version="opset1" output_names="logits,z")"));
  EXPECT_EQ(find_node(g, "relu")->outputs[0].names, (std::vector<std::string>{"y", "logits", "z"}));
}

TEST(IrRead, V10LegacyNames) {
  std::string xml = with(test::kReluIr, R"(version="11")", R"(version="10")");
  xml = with(xml, R"( names="x")", "");
  xml = with(xml, R"( names="y")", "");
  const Graph g = read(xml);
  EXPECT_EQ(g.ir_version, 10);
  EXPECT_EQ(g.parameters[0]->outputs[0].names, (std::vector<std::string>{"x"}));
  EXPECT_EQ(find_node(g, "relu")->outputs[0].names, (std::vector<std::string>{"relu"}));
}

TEST(IrRead, V10LegacyNameOfMultiOutputProducerHasPortSuffix) {
  const std::string xml = R"(<?xml version="1.0"?>
<net name="split" version="10">
  <layers>
    <layer id="0" name="in" type="Parameter" version="opset1">
      <data shape="4" element_type="f32"/>
      <output><port id="0" precision="FP32"><dim>4</dim></port></output>
    </layer>
    <layer id="1" name="axis" type="Const" version="opset1">
      <data element_type="i64" shape="" offset="0" size="8"/>
      <output><port id="0" precision="I64"/></output>
    </layer>
    <layer id="2" name="split" type="Split" version="opset1">
      <data num_splits="2"/>
      <input><port id="0"><dim>4</dim></port><port id="1"/></input>
      <output><port id="2" precision="FP32"><dim>2</dim></port><port id="3" precision="FP32"><dim>2</dim></port></output>
    </layer>
    <layer id="3" name="r" type="Result" version="opset1"><input><port id="0"/></input></layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
    <edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
    <edge from-layer="2" from-port="3" to-layer="3" to-port="0"/>
  </edges>
</net>)";
  std::vector<uint8_t> bin;
  append<int64_t>(bin, {0});
  const Graph g = read(xml, bytes(bin));
  const Node* split = find_node(g, "split");
  EXPECT_EQ(split->outputs[1].names, (std::vector<std::string>{"split.1"}));
  EXPECT_TRUE(split->outputs[0].names.empty());
  EXPECT_EQ(g.parameters[0]->outputs[0].names, (std::vector<std::string>{"in"}));
}

TEST(IrRead, RtInfoOnlyInV11) {
  const std::string rt = R"(<layer id="1" name="relu" type="ReLU" version="opset1">
      <rt_info><attribute name="fused_names" version="0" value="a,b"/><attribute name="decompression" version="0"/>
      <attribute name="layout" version="0" layout="[N,C]"/></rt_info>)";
  const std::string xml =
      with(test::kReluIr, R"(<layer id="1" name="relu" type="ReLU" version="opset1">)", rt);
  const Graph g11 = read(xml);
  const auto& info = find_node(g11, "relu")->rt_info;
  ASSERT_EQ(info.size(), 3u);
  EXPECT_EQ(info.at("fused_names"), "a,b");
  EXPECT_EQ(info.at("decompression"), "");
  EXPECT_EQ(info.at("layout"), "[N,C]");
  const Graph g10 = read(with(xml, R"(version="11")", R"(version="10")"));
  EXPECT_TRUE(find_node(g10, "relu")->rt_info.empty());
}

TEST(IrRead, ParameterShapeWithDynamicDimsAndIntervals) {
  std::string xml = with(test::kReluIr, R"(<data shape="1,4" element_type="f32"/>)",
                         R"(<data shape="[?, 4, 1..10, ..5, 2..]" element_type="f32"/>)");
  xml = with(xml, "<output><port id=\"0\" precision=\"FP32\" names=\"x\"><dim>1</dim><dim>4</dim></port>",
             "<output><port id=\"0\" precision=\"FP32\" names=\"x\"><dim>-1</dim><dim>4</dim><dim>-1</dim>"
             "<dim>-1</dim><dim>-1</dim></port>");
  const Graph g = read(xml);
  EXPECT_EQ(g.parameters[0]->outputs[0].shape, (Dims{-1, 4, -1, -1, -1}));
  EXPECT_EQ(g.parameters[0]->outputs[0].declared_shape, (Dims{-1, 4, -1, -1, -1}));
}

TEST(IrRead, ParametersAndResultsInXmlOrderAndDeadLayersDropped) {
  const std::string xml = R"(<?xml version="1.0"?>
<net name="order" version="11">
  <layers>
    <layer id="5" name="b" type="Parameter" version="opset1">
      <data shape="2" element_type="i32"/><output><port id="0" precision="I32" names="b"><dim>2</dim></port></output>
    </layer>
    <layer id="1" name="a" type="Parameter" version="opset1">
      <data shape="2" element_type="i32"/><output><port id="0" precision="I32" names="a"><dim>2</dim></port></output>
    </layer>
    <layer id="9" name="dead" type="Relu" version="opset1">
      <input><port id="0"><dim>2</dim></port></input><output><port id="1" precision="I32"><dim>2</dim></port></output>
    </layer>
    <layer id="3" name="rb" type="Result" version="opset1"><input><port id="0"/></input></layer>
    <layer id="2" name="ra" type="Result" version="opset1"><input><port id="0"/></input></layer>
  </layers>
  <edges>
    <edge from-layer="1" from-port="0" to-layer="2" to-port="0"/>
    <edge from-layer="5" from-port="0" to-layer="3" to-port="0"/>
    <edge from-layer="5" from-port="0" to-layer="9" to-port="0"/>
  </edges>
</net>)";
  const Graph g = read(xml);
  ASSERT_EQ(g.parameters.size(), 2u);
  EXPECT_EQ(g.parameters[0]->name, "b");
  EXPECT_EQ(g.parameters[1]->name, "a");
  EXPECT_EQ(g.results[0]->name, "rb");
  EXPECT_EQ(g.results[1]->name, "ra");
  EXPECT_EQ(find_node(g, "dead"), nullptr);
  EXPECT_EQ(g.nodes().size(), 4u);
  EXPECT_EQ(g.parameters[0]->outputs[0].type, ElementType::kI32);
}

TEST(IrRead, OpSpellingsAndVersionResolution) {
  struct Case {
    const char* type;
    const char* opset;
    OpKind op;
    int version;
  };
  const Case cases[] = {
      {"ReLU", "opset1", OpKind::kRelu, 1},        {"relu", "opset3", OpKind::kRelu, 1},
      {"Relu", "OPSET1", OpKind::kRelu, 1},        {"SoftMax", "opset1", OpKind::kSoftmax, 1},
      {"Softmax", "opset8", OpKind::kSoftmax, 8},  {"Softmax", "opset13", OpKind::kSoftmax, 8},
      {"PReLU", "opset1", OpKind::kPRelu, 1},      {"PRelu", "opset1", OpKind::kPRelu, 1},
      {"MaxPool", "opset10", OpKind::kMaxPool, 8}, {"MaxPool", "opset14", OpKind::kMaxPool, 14},
      {"Gelu", "opset2", OpKind::kGelu, 2},        {"Gelu", "opset7", OpKind::kGelu, 7},
      {"Swish", "opset4", OpKind::kSwish, 4},      {"Interpolate", "opset11", OpKind::kInterpolate, 11},
  };
  for (const Case& c : cases) {
    // Resolution alone (these ops' attributes differ from the ReLU model's, which has none).
    const IrOpLookup found = resolve_ir_op(c.type, std::atoi(c.opset + 5));
    ASSERT_TRUE(found.op.has_value()) << c.type << " " << c.opset << ": " << found.error;
    EXPECT_EQ(*found.op, c.op) << c.type << " " << c.opset;
    EXPECT_EQ(found.version, c.version) << c.type << " " << c.opset;
    if (c.op != OpKind::kRelu) continue;
    // Through the reader, with its spelling and case rules.
    const std::string xml = with(test::kReluIr, R"(type="ReLU" version="opset1")",
                                 std::string("type=\"") + c.type + "\" version=\"" + c.opset + "\"");
    const Graph g = read(xml);
    const Node* n = find_node(g, "relu");
    EXPECT_EQ(n->op, c.op) << c.type << " " << c.opset;
    EXPECT_EQ(n->version, c.version) << c.type << " " << c.opset;
  }
  std::vector<uint8_t> bin;
  append<int64_t>(bin, {1});
  for (const char* spelling : {"Const", "Constant", "const"}) {
    std::string xml = with(test::const_model({{"k", "i64", "", {}, 0, 8, "I64"}}), "type=\"Const\"",
                           std::string("type=\"") + spelling + "\"");
    EXPECT_EQ(find_node(read(xml, bytes(bin)), "k")->op, OpKind::kConstant) << spelling;
  }
}

TEST(IrRead, ModelWithoutParametersIsAllowed) {
  std::vector<uint8_t> bin;
  append<int32_t>(bin, {3});
  const Graph g = read(test::const_model({{"k", "i32", "1", {1}, 0, 4, "I32"}}), bytes(bin));
  EXPECT_TRUE(g.parameters.empty());
  EXPECT_EQ(g.results.size(), 1u);
}

TEST(IrRead, Utf8ByteOrderMarkAndCommentsAreAccepted) {
  const std::string xml =
      "\xEF\xBB\xBF" + with(test::kReluIr, "<layers>", "<layers><!-- a comment \xC3\xA9 -->");
  EXPECT_EQ(read(xml).nodes().size(), 3u);
}

TEST(IrRead, NoConstMeansNoBinNeeded) {
  test::TempDir dir;
  const std::string path = dir.write("relu.xml", std::string(test::kReluIr));
  const Graph g = read_ir_file(path);
  EXPECT_EQ(g.source, path);
  EXPECT_EQ(g.nodes().size(), 3u);
}

TEST(IrRead, FileWithDefaultAndExplicitBinPath) {
  test::TempDir dir;
  const std::string xml_path = dir.write("m.xml", std::string(test::kAddConstIr));
  dir.write("m.bin", *test::add_weights());
  EXPECT_EQ(find_node(read_ir_file(xml_path), "c")->constant->to_float_vector(),
            (std::vector<float>{1.0f, -2.0f, 0.5f, 3.0f}));
  std::vector<uint8_t> other;
  append<float>(other, {4.0f, 5.0f, 6.0f, 7.0f});
  const std::string other_path = dir.write("other.weights", other);
  EXPECT_EQ(find_node(read_ir_file(xml_path, other_path), "c")->constant->to_float_vector(),
            (std::vector<float>{4.0f, 5.0f, 6.0f, 7.0f}));
}

}  // namespace
}  // namespace octet
