// The IR reader on the F1 family's version quirks: LogicalXor-1 is written version="opset2" by
// OpenVINO's serializer but opset1 registers it too, so both spellings load the same op.
#include "tests/unit/ir/ir_test_util.h"

namespace octet {
namespace {

// Two boolean Parameters [3] -> LogicalXor (version written as VERSION) -> Result.
const char* kXorIr = R"(<?xml version="1.0"?>
<net name="xor_model" version="11">
  <layers>
    <layer id="0" name="a" type="Parameter" version="opset1">
      <data shape="3" element_type="boolean"/>
      <output><port id="0" precision="BOOL" names="a"><dim>3</dim></port></output>
    </layer>
    <layer id="1" name="b" type="Parameter" version="opset1">
      <data shape="3" element_type="boolean"/>
      <output><port id="0" precision="BOOL" names="b"><dim>3</dim></port></output>
    </layer>
    <layer id="2" name="xor" type="LogicalXor" version="VERSION">
      <data auto_broadcast="numpy"/>
      <input><port id="0" precision="BOOL"><dim>3</dim></port><port id="1" precision="BOOL"><dim>3</dim></port></input>
      <output><port id="2" precision="BOOL" names="y"><dim>3</dim></port></output>
    </layer>
    <layer id="3" name="out" type="Result" version="opset1">
      <input><port id="0" precision="BOOL"><dim>3</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
    <edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
    <edge from-layer="2" from-port="2" to-layer="3" to-port="0"/>
  </edges>
</net>
)";

TEST(IrLogic, LogicalXorLoadsFromOpset1AndOpset2) {
  for (const char* version : {"opset1", "opset2", "opset13"}) {
    const Graph g = test::read(test::with(kXorIr, "VERSION", version));
    const Node* x = test::find_node(g, "xor");
    ASSERT_NE(x, nullptr) << version;
    EXPECT_EQ(x->op, OpKind::kLogicalXor) << version;
    EXPECT_EQ(x->version, 2) << version;
    EXPECT_EQ(x->outputs.at(0).type, ElementType::kBoolean);
  }
}

TEST(IrLogic, OpsRefusedBeforeTheirFirstOpset) {
  // BitwiseAnd first appears in opset13; an opset12 layer names an op OpenVINO does not have.
  std::string xml = test::with(kXorIr, "type=\"LogicalXor\" version=\"VERSION\"",
                               "type=\"BitwiseAnd\" version=\"opset12\"");
  test::expect_error([&] { test::read(xml); }, ErrorCode::kUnsupported, {"BitwiseAnd", "opset12"});
  xml = test::with(kXorIr, "type=\"LogicalXor\" version=\"VERSION\"",
                   "type=\"BitwiseAnd\" version=\"opset13\"");
  const Graph g = test::read(xml);
  EXPECT_EQ(test::find_node(g, "xor")->op, OpKind::kBitwiseAnd);
  EXPECT_EQ(test::find_node(g, "xor")->version, 13);
}

}  // namespace
}  // namespace octet
