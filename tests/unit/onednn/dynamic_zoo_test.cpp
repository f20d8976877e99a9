// OpenVINO-generated models with dynamic input dims (tests/zoo/dynamic, tools/models/zoo_dynamic.py):
// given the input shapes OpenVINO ran them with (as octet_model_reshape / the CLI's -shape give them),
// prepare_graph must fold every shape subgraph (no ShapeOf left), the CPU backend must run the model,
// and its outputs and the reference's must match OpenVINO's. The value-dependent case must fail
// naming the layer, the input and the path to the model input whose values the shape depends on.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/io/npy.h"
#include "host/ir/ir_reader.h"
#include "host/reference/run_graph.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
const fs::path kDynamic = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo" / "dynamic";

nlohmann::json load_json(const fs::path& p) {
  std::ifstream f(p);
  return nlohmann::json::parse(f);
}

// The IR with each input set to the shape it was run with (what octet_model_reshape does).
Graph read_with_run_shapes(const fs::path& dir, const nlohmann::json& info) {
  Graph g = read_ir_file((dir / "model.xml").string());
  EXPECT_EQ(g.parameters.size(), info["inputs"].size());
  for (size_t i = 0; i < g.parameters.size(); ++i) {
    Dims run;
    for (const auto& d : info["inputs"][i]["run_shape"]) run.push_back(d.get<int64_t>());
    g.parameters[i]->outputs.at(0).shape = run;
  }
  for (const auto& node : g.nodes())
    for (Value& v : node->outputs) v.has_declared_shape = false;
  return g;
}

// Every element within 1e-5 + 1e-4 * max|ref| (integers exactly).
void expect_matches(const Tensor& got, const Tensor& ref, const std::string& what) {
  ASSERT_EQ(to_string(got.shape()), to_string(ref.shape())) << what;
  ASSERT_EQ(std::string(element_type_name(got.type())), element_type_name(ref.type())) << what;
  if (!is_float(ref.type())) {
    EXPECT_EQ(got.to_int64_vector(), ref.to_int64_vector()) << what;
    return;
  }
  double max_ref = 0;
  for (int64_t i = 0; i < ref.element_count(); ++i)
    max_ref = std::max(max_ref, std::fabs(ref.get_as_double(i)));
  int64_t bad = 0;
  for (int64_t i = 0; i < ref.element_count(); ++i)
    bad += std::fabs(got.get_as_double(i) - ref.get_as_double(i)) > 1e-5 + 1e-4 * max_ref;
  EXPECT_EQ(bad, 0) << what << ": " << bad << " of " << ref.element_count() << " elements off";
}

std::vector<std::string> cases() {
  std::vector<std::string> names;
  if (!fs::exists(kDynamic)) return names;
  for (const auto& e : fs::directory_iterator(kDynamic))
    if (fs::exists(e.path() / "model.xml") && e.path().filename() != "value_dependent_reshape")
      names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class DynamicZoo : public testing::TestWithParam<std::string> {};

TEST_P(DynamicZoo, ShapeSubgraphsFoldAndOutputsMatchOpenVino) {
  const fs::path dir = kDynamic / GetParam();
  const auto info = load_json(dir / "model_info.json");
  bool dynamic = false;
  for (const auto& in : info["inputs"])
    for (const auto& d : in["shape"]) dynamic = dynamic || d.get<int64_t>() < 0;
  EXPECT_TRUE(dynamic) << "the IR declares no dynamic input dim";
  Graph g = read_with_run_shapes(dir, info);
  auto cpu = make_onednn_backend(BackendOptions{});
  auto model = CompiledModel::compile(std::move(g), cpu, cpu, CompileConfig{});
  for (const auto& node : model->graph().nodes())
    EXPECT_NE(node->op, OpKind::kShapeOf) << node->describe() << " was not folded";
  std::map<std::string, Tensor> inputs;
  auto request = model->create_request();
  for (const auto& in : info["inputs"]) {
    const std::string name = in["name"].get<std::string>();
    inputs[name] = read_npy_file((dir / in["file"].get<std::string>()).string());
    request->set_input(name, inputs[name]);
  }
  request->infer();
  const auto reference = run_reference(model->graph(), inputs);
  for (const auto& out : info["outputs"]) {
    const std::string name = out["name"].get<std::string>();
    const Tensor ref = read_npy_file((dir / out["file"].get<std::string>()).string());
    expect_matches(request->output(name), ref, name + " (CPU)");
    ASSERT_TRUE(reference.count(name)) << name;
    expect_matches(reference.at(name), ref, name + " (reference)");
  }
}

INSTANTIATE_TEST_SUITE_P(Dynamic, DynamicZoo, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<std::string>& p) { return p.param; });

// Without shapes the dynamic dims are refused up front, naming the input and its declared shape.
TEST(DynamicZooErrors, NoShapeGivenNamesTheInput) {
  auto cpu = make_onednn_backend(BackendOptions{});
  try {
    CompiledModel::compile(read_ir_file((kDynamic / "dyn_flatten_batch" / "model.xml").string()), cpu, cpu,
                           CompileConfig{});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("dynamic shapes: give a static shape for parameter 'x' ([?,4,3,5])"),
              std::string::npos)
        << e.what();
  }
}

// Reshape(x, Concat(rows + 0, [-1])) with `rows` a model input: no input shape makes the target a
// compile-time constant.
TEST(DynamicZooErrors, ValueDependentReshapeNamesLayerInputAndPath) {
  const fs::path dir = kDynamic / "value_dependent_reshape";
  auto cpu = make_onednn_backend(BackendOptions{});
  try {
    CompiledModel::compile(read_with_run_shapes(dir, load_json(dir / "model_info.json")), cpu, cpu,
                           CompileConfig{});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    const std::string m = e.what();
    EXPECT_NE(m.find("layer 'reshape'"), std::string::npos) << m;
    EXPECT_NE(
        m.find("input 1 (target shape) must be constant: it depends on the values of model input 'rows' "
               "through 'rows_plus_zero' -> 'target'; octet needs it at compile time: static shapes only"),
        std::string::npos)
        << m;
  }
}

}  // namespace
}  // namespace octet
