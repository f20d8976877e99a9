// Reads every zoo model (tests/zoo, made with OpenVINO by tools/models/make_zoo.py) and checks the
// reader's inputs, outputs and op histogram against the model_info.json OpenVINO wrote for it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "host/graph/op_kind.h"
#include "host/ir/ir_reader.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kZoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo";

// Model directories (holding model.xml and model_info.json) directly under `dir`, sorted.
std::vector<fs::path> model_dirs(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "model.xml") &&
        fs::exists(entry.path() / "model_info.json"))
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Dims to_dims(const json& shape) {
  Dims d;
  for (const auto& v : shape) d.push_back(v.is_number_integer() ? v.get<int64_t>() : kDynamicDim);
  return d;
}

// Whether octet's op table knows every "IRType/opsetN" key of ir_type_versions.
bool all_ops_known(const json& ir_types, std::string* unknown) {
  for (const auto& [key, count] : ir_types.items()) {
    const size_t slash = key.find('/');
    const std::string type = key.substr(0, slash), opset = key.substr(slash + 1);
    int n = 0;
    if (opset.rfind("opset", 0) == 0) n = std::atoi(opset.c_str() + 5);
    if (n <= 0 || !resolve_ir_op(type, n).op) {
      *unknown = type;
      return false;
    }
  }
  return true;
}

// Returns false when the model uses ops octet does not know (and the reader refused it).
bool check_model(const fs::path& dir) {
  SCOPED_TRACE(dir.string());
  json info;
  std::ifstream(dir / "model_info.json") >> info;
  std::string unknown;
  if (!all_ops_known(info.at("ir_type_versions"), &unknown)) {
    // The reader must refuse it, naming an op octet does not know.
    try {
      read_ir_file((dir / "model.xml").string());
      ADD_FAILURE() << "read a model with unsupported op " << unknown;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUnsupported) << e.what();
      EXPECT_NE(std::string(e.what()).find("is not supported"), std::string::npos) << e.what();
    }
    return false;
  }
  Graph g;
  try {
    g = read_ir_file((dir / "model.xml").string());
  } catch (const Error& e) {
    ADD_FAILURE() << e.what();
    return true;
  }
  const json& inputs = info.at("inputs");
  EXPECT_EQ(g.parameters.size(), inputs.size());
  if (g.parameters.size() != inputs.size()) return true;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Node* p = g.parameters[i];
    EXPECT_EQ(p->name, inputs[i].at("name").get<std::string>());
    EXPECT_EQ(std::set<std::string>(p->outputs[0].names.begin(), p->outputs[0].names.end()),
              inputs[i].at("names").get<std::set<std::string>>());
    EXPECT_EQ(p->outputs[0].shape, to_dims(inputs[i].at("shape")));
    EXPECT_EQ(element_type_name(p->outputs[0].type), inputs[i].at("element_type").get<std::string>());
  }
  const json& outputs = info.at("outputs");
  EXPECT_EQ(g.results.size(), outputs.size());
  if (g.results.size() != outputs.size()) return true;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Output in = g.results[i]->inputs.at(0);
    const Value& v = in.node->outputs.at(static_cast<size_t>(in.index));
    EXPECT_EQ(std::set<std::string>(v.names.begin(), v.names.end()),
              outputs[i].at("names").get<std::set<std::string>>());
    EXPECT_EQ(v.declared_shape, to_dims(outputs[i].at("shape")));
    EXPECT_EQ(element_type_name(v.type), outputs[i].at("element_type").get<std::string>());
  }
  std::map<std::string, int64_t> ops, ops_by_version;
  for (const auto& node : g.nodes()) {
    ++ops[op_name(node->op)];
    ++ops_by_version[std::string(op_name(node->op)) + "/opset" + std::to_string(node->version)];
  }
  EXPECT_EQ(ops, info.at("ops").get<decltype(ops)>());
  EXPECT_EQ(ops_by_version, info.at("ops_by_version").get<decltype(ops_by_version)>());
  return true;
}

void check_all(const fs::path& dir, size_t* checked) {
  size_t refused = 0;
  for (const fs::path& model : model_dirs(dir)) {
    if (check_model(model)) {
      ++*checked;
    } else {
      ++refused;
    }
  }
  std::cout << dir.string() << ": " << *checked << " models read and checked, " << refused
            << " refused for ops octet does not know\n";
}

TEST(IrZoo, Models) {
  if (!fs::exists(kZoo / "index.json")) GTEST_SKIP() << "missing " << (kZoo / "index.json").string();
  size_t checked = 0;
  check_all(kZoo, &checked);
  EXPECT_GT(checked, 0u) << "no tests/zoo/*/model.xml";
}

TEST(IrZoo, OpCases) {
  if (!fs::exists(kZoo / "ops")) GTEST_SKIP() << "missing " << (kZoo / "ops").string();
  size_t checked = 0;
  check_all(kZoo / "ops", &checked);
  EXPECT_GT(checked, 0u) << "no tests/zoo/ops/*/model.xml";
}

// Large models (not in git; made by tools/models/make_zoo.py --large).
TEST(IrZoo, LargeModels) {
  if (model_dirs(kZoo / "_large").empty())
    GTEST_SKIP() << "missing " << (kZoo / "_large").string() << "/*/model.xml";
  size_t checked = 0;
  check_all(kZoo / "_large", &checked);
}

}  // namespace
}  // namespace octet
