// The fp32 zoo models and every single-op zoo case through CompiledModel with OpenCL as the primary
// backend and the oneDNN CPU backend as fallback, against OpenVINO's outputs (tests/zoo/*/ref/*.npy)
// and against host/reference run on the same prepared graph, with the backend in guard mode.
//
// Criteria: float outputs within 1e-4 * max|ref| + 1e-5 (f32 summation order is the only expected
// difference; 1e-3 for f16/bf16 outputs), integer outputs exact. Every compute node of every model and
// single-op case must run on OpenCL.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
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
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
const fs::path kZoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo";

nlohmann::json load_json(const fs::path& p) {
  std::ifstream f(p);
  return nlohmann::json::parse(f);
}

// The OpenCL backend in guard mode: every buffer between guard bytes, checked after each kernel
// (bad-inputs row 42), so a stray write anywhere in these graphs fails the case.
std::shared_ptr<OpenClBackend> guarded_backend() {
  static std::shared_ptr<OpenClBackend> gpu = [] {
    auto b = OpenClBackend::create("GPU");
    b->set_guard_mode(true);
    test::release_before_exit([] { gpu.reset(); });
    return b;
  }();
  return gpu;
}

std::shared_ptr<Backend> cpu_backend() {
  static std::shared_ptr<Backend> cpu = make_onednn_backend(BackendOptions{});
  return cpu;
}

struct Diff {
  double max_diff = 0, max_ref = 0;
  int64_t bad = 0, first_bad = -1;
};

Diff compare(const Tensor& got, const Tensor& ref) {
  Diff d;
  const int64_t n = ref.element_count();
  if (!is_float(ref.type())) {
    for (int64_t i = 0; i < n; ++i)
      if (got.get_as_int64(i) != ref.get_as_int64(i) && d.bad++ == 0) d.first_bad = i;
    return d;
  }
  for (int64_t i = 0; i < n; ++i)
    if (std::isfinite(ref.get_as_double(i))) d.max_ref = std::max(d.max_ref, std::fabs(ref.get_as_double(i)));
  // f16/bf16 outputs: 1e-3, about a rounding step of f16 (as unit_onednn's zoo criterion).
  const double tol = (ref.type() == ElementType::kF32 ? 1e-4 : 1e-3) * d.max_ref + 1e-5;
  for (int64_t i = 0; i < n; ++i) {
    const double a = got.get_as_double(i), b = ref.get_as_double(i);
    bool ok;
    if (std::isnan(a) || std::isnan(b))
      ok = std::isnan(a) && std::isnan(b);
    else if (std::isinf(a) || std::isinf(b))
      ok = a == b;
    else
      ok = std::fabs(a - b) <= tol, d.max_diff = std::max(d.max_diff, std::fabs(a - b));
    if (!ok && d.bad++ == 0) d.first_bad = i;
  }
  return d;
}

struct Case {
  fs::path dir;
  std::string label;
  bool model = false;
  std::string ov_note;  // cases.json's note where OpenVINO's CPU output departs from the spec
};
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.label;
}

void run_case(const Case& c) {
  OCTET_REQUIRE_OPENCL(shared);
  auto gpu = guarded_backend();
  const auto info = load_json(c.dir / "model_info.json");
  CompileConfig config;
  config.options.precision = Precision::kReference;  // the float kernels; int8 has its own tests
  auto model =
      CompiledModel::compile(read_ir_file((c.dir / "model.xml").string()), gpu, cpu_backend(), config);
  std::string fallbacks, no_kernel;
  for (const NodeAssignment& a : model->assignments()) {
    if (a.backend == gpu->name()) continue;
    // An op with no OpenCL kernel at all (the op families of issue 11, until they get kernels) runs
    // on the CPU fallback, whose values are still checked below; a decline of an op that has
    // kernels remains a failure.
    // Likewise a node whose tensors are of a type the float kernels do not take (f16, or the
    // integer/boolean variants of float ops from the element-type cases): a type decline, not a
    // decline of the op's f32 path, which the f32 cases hold to the OpenCL backend.
    const bool none = a.note.find("OpenCL backend has no kernel for") != std::string::npos ||
                      a.note.find(", OpenCL float kernels take f32") != std::string::npos ||
                      a.note.find(", OpenCL float kernels write f32") != std::string::npos;
    (none ? no_kernel : fallbacks) += fmt::format(" [{} {}: {}]", a.op, a.node_name, a.note);
  }
  if (!fallbacks.empty() || !no_kernel.empty())
    std::printf("[ocl-zoo] %-40s CPU fallback:%s%s\n", c.label.c_str(), fallbacks.c_str(), no_kernel.c_str());
  EXPECT_TRUE(fallbacks.empty()) << c.label << ": nodes not on " << gpu->name() << ":" << fallbacks;

  std::map<std::string, Tensor> inputs;
  auto request = model->create_request();
  for (const auto& in : info["inputs"]) {
    const std::string name = in["name"].get<std::string>();
    inputs[name] = read_npy_file((c.dir / in["file"].get<std::string>()).string());
    request->set_input(name, inputs[name]);
  }
  request->infer();
  const auto own_reference = run_reference(model->graph(), inputs);
  for (const auto& out : info["outputs"]) {
    const std::string name = out["name"].get<std::string>();
    const Tensor& got = request->output(name);
    const Tensor ov = read_npy_file((c.dir / out["file"].get<std::string>()).string());
    ASSERT_EQ(to_string(got.shape()), to_string(ov.shape())) << c.label << " " << name;
    ASSERT_EQ(std::string(element_type_name(got.type())), element_type_name(ov.type())) << name;
    auto own = own_reference.find(name);
    for (const auto& alias : out["names"])
      if (own == own_reference.end()) own = own_reference.find(alias.get<std::string>());
    ASSERT_NE(own, own_reference.end()) << name;
    const Diff vs_ref = compare(got, own->second);
    const Diff vs_ov = compare(got, ov);
    if (c.model)
      std::printf(
          "[ocl-zoo] %-18s %-10s vs OpenVINO max|diff| %.3g (max|ref| %.3g), vs host/reference %.3g\n",
          c.label.c_str(), name.c_str(), vs_ov.max_diff, vs_ov.max_ref, vs_ref.max_diff);
    EXPECT_EQ(vs_ref.bad, 0) << c.label << " " << name << " vs host/reference: " << vs_ref.bad
                             << " elements off, first at " << vs_ref.first_bad << " got "
                             << got.get_as_double(std::max<int64_t>(vs_ref.first_bad, 0)) << " want "
                             << own->second.get_as_double(std::max<int64_t>(vs_ref.first_bad, 0))
                             << ", max|diff| " << vs_ref.max_diff;
    // Cases with a "note" in cases.json are where OpenVINO's CPU plugin departs from the spec
    // (unit_transforms checks them against hand-computed values); host/reference decides here.
    if (!c.ov_note.empty()) continue;
    EXPECT_EQ(vs_ov.bad, 0) << c.label << " " << name << " vs OpenVINO: " << vs_ov.bad
                            << " elements off, first at " << vs_ov.first_bad << ", max|diff| "
                            << vs_ov.max_diff << " (max|ref| " << vs_ov.max_ref << ")";
  }
}

std::vector<Case> model_cases() {
  std::vector<Case> cases;
  for (const char* m : {"cnn_fp32", "cnn_fp16c", "mlp_fp32", "transformer_fp32"})
    if (fs::exists(kZoo / m / "model.xml")) cases.push_back({kZoo / m, m, true, {}});
  // The real-architecture float models (issue 11): fp32 and f16-compressed weights.
  if (fs::exists(kZoo / "real"))
    for (const auto& e : fs::directory_iterator(kZoo / "real")) {
      const std::string name = e.path().filename().string();
      if (fs::exists(e.path() / "model.xml") && name.find("_int8") == std::string::npos)
        cases.push_back({e.path(), "real/" + name, true, {}});
    }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.label < b.label; });
  return cases;
}

std::vector<Case> op_cases() {
  std::vector<Case> cases;
  const fs::path index = kZoo / "ops" / "cases.json";
  if (!fs::exists(index)) return cases;
  const auto all = load_json(index);  // kept alive: items() refers into it
  for (const auto& [name, c] : all["cases"].items())
    cases.push_back({kZoo / "ops" / name, "ops/" + name, false, c.value("note", std::string())});
  return cases;
}

std::string case_name(const testing::TestParamInfo<Case>& p) {
  std::string s = p.param.label;
  for (char& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return s;
}

class OpenClZoo : public testing::TestWithParam<Case> {};

TEST_P(OpenClZoo, MatchesOpenVinoOnOpenCl) {
  try {
    run_case(GetParam());
  } catch (const Error& e) {
    FAIL() << error_code_name(e.code()) << ": " << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Models, OpenClZoo, testing::ValuesIn(model_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Ops, OpenClZoo, testing::ValuesIn(op_cases()), case_name);

}  // namespace
}  // namespace octet
