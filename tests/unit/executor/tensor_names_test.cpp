// Names of inputs and outputs follow OpenVINO: tensor names (every one of a port's comma-separated
// names) address their own port; a layer name never silently picks output 0 of a multi-output
// layer. The model mimics OpenVINO's ONNX frontend, which names a multi-output layer after its
// *last* output, so the layer name and the tensor name of output 2 are the same string.
#include <gtest/gtest.h>

#include <cstring>

#include "host/common/error.h"
#include "host/ir/ir_reader.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

// x [1,6] -> Split(axis 1, 3 parts) named "part_c" -> outputs part_a, part_b, part_c.
// Results, in this order: part_a, Relu(part_b) as "relu_b", part_c. The Split's second output has
// no tensor name, so only "part_c.1" reaches it.
const char* kSplitIr = R"(<?xml version="1.0"?>
<net name="names" version="11">
  <layers>
    <layer id="0" name="x" type="Parameter" version="opset1">
      <data shape="1,6" element_type="f32"/>
      <output><port id="0" precision="FP32" names="x,input_alias"><dim>1</dim><dim>6</dim></port></output>
    </layer>
    <layer id="1" name="axis" type="Const" version="opset1">
      <data element_type="i64" shape="" offset="0" size="8"/>
      <output><port id="0" precision="I64"/></output>
    </layer>
    <layer id="2" name="part_c" type="Split" version="opset1">
      <data num_splits="3"/>
      <input><port id="0" precision="FP32"><dim>1</dim><dim>6</dim></port><port id="1" precision="I64"/></input>
      <output>
        <port id="2" precision="FP32" names="part_a,first_part"><dim>1</dim><dim>2</dim></port>
        <port id="3" precision="FP32"><dim>1</dim><dim>2</dim></port>
        <port id="4" precision="FP32" names="part_c"><dim>1</dim><dim>2</dim></port>
      </output>
    </layer>
    <layer id="3" name="relu" type="ReLU" version="opset1">
      <input><port id="0" precision="FP32"><dim>1</dim><dim>2</dim></port></input>
      <output><port id="1" precision="FP32" names="relu_b"><dim>1</dim><dim>2</dim></port></output>
    </layer>
    <layer id="4" name="out_a" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>1</dim><dim>2</dim></port></input>
    </layer>
    <layer id="5" name="out_relu" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>1</dim><dim>2</dim></port></input>
    </layer>
    <layer id="6" name="out_c" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>1</dim><dim>2</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
    <edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
    <edge from-layer="2" from-port="3" to-layer="3" to-port="0"/>
    <edge from-layer="2" from-port="2" to-layer="4" to-port="0"/>
    <edge from-layer="3" from-port="1" to-layer="5" to-port="0"/>
    <edge from-layer="2" from-port="4" to-layer="6" to-port="0"/>
  </edges>
</net>
)";

Graph split_graph() {
  auto bin = std::make_shared<std::vector<uint8_t>>(8);
  const int64_t axis = 1;
  std::memcpy(bin->data(), &axis, 8);
  return read_ir_memory(kSplitIr, bin, "names.xml");
}

Tensor input_tensor() {
  Tensor x(ElementType::kF32, {1, 6});
  const float values[] = {1, 2, -3, 4, 5, 6};
  std::memcpy(x.data(), values, sizeof values);
  return x;
}

std::vector<float> values_of(const Tensor& t) {
  return std::vector<float>(t.data_as<float>(), t.data_as<float>() + t.element_count());
}

class TensorNames : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cpu = make_onednn_backend(BackendOptions{});
    model_ = CompiledModel::compile(split_graph(), cpu, cpu, CompileConfig{});
    request_ = model_->create_request();
    request_->set_input("x", input_tensor());
    request_->infer();
  }
  // The error code output(name) raises (kInternal when it raises none).
  ErrorCode code_of(const std::string& name) {
    try {
      request_->output(name);
    } catch (const Error& e) {
      message_ = e.what();
      return e.code();
    }
    return ErrorCode::kInternal;
  }
  std::shared_ptr<CompiledModel> model_;
  std::unique_ptr<InferRequest> request_;
  std::string message_;
};

TEST_F(TensorNames, ATensorNameThatIsAlsoTheLayerNameAddressesItsOwnOutput) {
  // Before the fix the layer name "part_c" was registered for output 0 first and won.
  EXPECT_EQ(values_of(request_->output("part_c")), (std::vector<float>{5, 6}));
  EXPECT_EQ(values_of(request_->output("part_a")), (std::vector<float>{1, 2}));
}

TEST_F(TensorNames, EveryNameOfAPortAddressesIt) {
  EXPECT_EQ(values_of(request_->output("first_part")), (std::vector<float>{1, 2}));
  EXPECT_EQ(values_of(request_->output("relu_b")), (std::vector<float>{0, 4}));
  request_->set_input("input_alias", input_tensor());  // second tensor name of the input
  request_->set_input("x", input_tensor());
}

TEST_F(TensorNames, ResultLayerNamesAndLayerDotPortAddressOutputs) {
  EXPECT_EQ(values_of(request_->output("out_c")), (std::vector<float>{5, 6}));
  EXPECT_EQ(values_of(request_->output("out_relu")), (std::vector<float>{0, 4}));
  EXPECT_EQ(values_of(request_->output("part_c.0")), (std::vector<float>{1, 2}));
  EXPECT_EQ(values_of(request_->output("part_c.2")), (std::vector<float>{5, 6}));
  EXPECT_EQ(values_of(request_->output("relu")), (std::vector<float>{0, 4}));  // one-output layer
}

TEST_F(TensorNames, AMultiOutputLayerNameThatIsNoTensorNameIsRefusedWithTheCandidates) {
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.all_layers_as_outputs = true;
  Graph g = split_graph();
  // Rename the layer so its name is no tensor name: then "split" alone is ambiguous.
  for (const auto& node : g.nodes())
    if (node->name == "part_c") node->name = "split";
  auto model = CompiledModel::compile(std::move(g), cpu, cpu, config);
  try {
    model->output_index("split");
    FAIL() << "expected an ambiguity error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    const std::string what = e.what();
    EXPECT_NE(what.find("ambiguous"), std::string::npos) << what;
    EXPECT_NE(what.find("'split.0' (tensor 'part_a')"), std::string::npos) << what;
    EXPECT_NE(what.find("'split.1'"), std::string::npos) << what;
    EXPECT_NE(what.find("'split.2' (tensor 'part_c')"), std::string::npos) << what;
  }
  EXPECT_EQ(model->outputs()[model->output_index("split.1")].shape, (Dims{1, 2}));
}

TEST_F(TensorNames, UnknownNamesListTheOutputs) {
  EXPECT_EQ(code_of("nope"), ErrorCode::kNotFound);
  EXPECT_NE(message_.find("'part_a'"), std::string::npos) << message_;
}

TEST_F(TensorNames, ExtraOutputsUseTheSameRules) {
  auto cpu = make_onednn_backend(BackendOptions{});
  CompileConfig config;
  config.extra_outputs = {"part_c.1"};
  auto model = CompiledModel::compile(split_graph(), cpu, cpu, config);
  auto request = model->create_request();
  request->set_input("x", input_tensor());
  request->infer();
  EXPECT_EQ(values_of(request->output("part_c.1")), (std::vector<float>{-3, 4}));
  EXPECT_EQ(values_of(request->output("part_c")), (std::vector<float>{5, 6}));
}

}  // namespace
}  // namespace octet
