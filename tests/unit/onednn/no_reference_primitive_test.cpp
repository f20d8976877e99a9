// No zoo model may run one of oneDNN's reference implementations: those are what
// oneDNN falls back to when it has no jit code for a case (a layout mix, a broadcast, an axis) and
// run 10-1000x slower (issue 13: convolutions with compressed weights and float input took
// 50-120 ms each on real/unet_int8). The CPU backend names its oneDNN kernels "onednn_<what>:" +
// primitive_desc::impl_info_str(), so a reference implementation shows as "...ref:any" in
// NodeAssignment::impl (and in `octet info -d`, `bench -pc`). Every model of tests/zoo,
// tests/zoo/real and the single-op cases of tests/zoo/ops is compiled (not run) on the CPU backend,
// in fast precision (the criterion) and in reference precision (no fast kernels there
// either).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/ir/ir_reader.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
const fs::path kZoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo";

// "<model label>/<node>" -> why a oneDNN reference implementation is acceptable there. Empty: every
// case that had one (f32 convolutions over dequantised weights, binary broadcasts and softmax axes
// oneDNN has no jit for) now runs a jit primitive or octet's reference evaluator. Still possible
// outside the zoo: dilated max pooling (oneDNN's ref pooling; tests/cli shows the warning on one).
const std::map<std::string, std::string> kAllowed = {};

bool is_onednn_reference(const std::string& impl) {
  return impl.rfind("onednn", 0) == 0 && impl.find("ref") != std::string::npos;
}

std::vector<std::string> labels() {
  std::vector<std::string> out;
  for (const fs::path& root : {kZoo, kZoo / "real", kZoo / "ops"}) {
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::directory_iterator(root))
      if (fs::exists(e.path() / "model.xml")) out.push_back(fs::relative(e.path(), kZoo).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class CpuNoReferencePrimitive : public testing::TestWithParam<Precision> {};

TEST_P(CpuNoReferencePrimitive, ZooModels) {
  BackendOptions options;
  options.precision = GetParam();
  auto cpu = make_onednn_backend(options);
  CompileConfig config;
  config.options = options;
  const char* mode = GetParam() == Precision::kFast ? "fast" : "reference";
  int models = 0, compiled = 0, found = 0;
  for (const std::string& label : labels()) {
    ++models;
    std::shared_ptr<CompiledModel> model;
    try {
      model = CompiledModel::compile(read_ir_file((kZoo / label / "model.xml").string()), cpu, cpu, config);
    } catch (const Error&) {
      continue;  // cases octet refuses (checked by the zoo tests) have no kernels to look at
    }
    ++compiled;
    for (const NodeAssignment& a : model->assignments()) {
      if (!is_onednn_reference(a.impl)) continue;
      ++found;
      const auto allowed = kAllowed.find(label + "/" + a.node_name);
      if (allowed != kAllowed.end()) {
        std::printf("[no-ref] %s %s: %s %s allowed: %s\n", mode, label.c_str(), a.node_name.c_str(),
                    a.impl.c_str(), allowed->second.c_str());
        continue;
      }
      ADD_FAILURE() << label << " (" << mode << " precision): " << a.node_name << " (" << a.op
                    << ") runs oneDNN's reference implementation " << a.impl;
    }
  }
  std::printf("[no-ref] %s precision: %d of %d zoo models compiled, %d oneDNN reference primitive(s)\n", mode,
              compiled, models, found);
  EXPECT_GT(compiled, 100);
}

INSTANTIATE_TEST_SUITE_P(Precisions, CpuNoReferencePrimitive,
                         testing::Values(Precision::kFast, Precision::kReference),
                         [](const testing::TestParamInfo<Precision>& p) {
                           return std::string(p.param == Precision::kFast ? "Fast" : "Reference");
                         });

}  // namespace
}  // namespace octet
