// The reference against OpenVINO's CPU plugin: every single-op case of tests/zoo/ops and every
// zoo model is read (read_ir_file), prepared (prepare_graph), run with run_reference on the stored
// inputs and compared with OV's stored outputs. Large models (tests/zoo/_large) run only when
// OCTET_ZOO_LARGE=1.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/io/npy.h"
#include "host/ir/ir_reader.h"
#include "host/reference/run_graph.h"
#include "host/transforms/prepare.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
const fs::path kZoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo";

nlohmann::json load_json(const fs::path& p) {
  std::ifstream f(p);
  return nlohmann::json::parse(f);
}

struct Stats {
  double max_abs_diff = 0, max_abs_ref = 0, mean_abs_diff = 0;
  int64_t count = 0, mismatched_int = 0, within_1pct = 0;
  bool nan_mismatch = false;
};

Stats compare(const Tensor& got, const Tensor& ref) {
  Stats s;
  s.count = ref.element_count();
  const bool floaty = is_float(ref.type());
  for (int64_t i = 0; i < s.count; ++i) {
    if (floaty) s.max_abs_ref = std::max(s.max_abs_ref, std::fabs(ref.get_as_double(i)));
  }
  for (int64_t i = 0; i < s.count; ++i) {
    if (floaty) {
      const double a = got.get_as_double(i), b = ref.get_as_double(i);
      if (std::isnan(a) || std::isnan(b)) {
        s.nan_mismatch = s.nan_mismatch || std::isnan(a) != std::isnan(b);
        continue;
      }
      const double d = std::fabs(a - b);
      s.max_abs_diff = std::max(s.max_abs_diff, d);
      s.mean_abs_diff += d;
      if (d <= 1e-2 * s.max_abs_ref) ++s.within_1pct;
    } else if (got.get_as_int64(i) != ref.get_as_int64(i)) {
      ++s.mismatched_int;
    }
  }
  if (s.count) s.mean_abs_diff /= static_cast<double>(s.count);
  return s;
}

// Runs one zoo directory; `quantized` selects the statistical criterion (no output step is known).
void run_case(const fs::path& dir, bool quantized) {
  const auto info = load_json(dir / "model_info.json");
  Graph g = read_ir_file((dir / "model.xml").string());
  prepare_graph(g);
  std::map<std::string, Tensor> inputs;
  for (const auto& in : info["inputs"])
    inputs[in["name"].get<std::string>()] = read_npy_file((dir / in["file"].get<std::string>()).string());
  const auto outputs = run_reference(g, inputs);
  for (const auto& out : info["outputs"]) {
    const std::string name = out["name"].get<std::string>();
    auto it = outputs.find(name);
    for (const auto& alias : out["names"])
      if (it == outputs.end()) it = outputs.find(alias.get<std::string>());
    ASSERT_NE(it, outputs.end()) << "no output named " << name;
    const Tensor ref = read_npy_file((dir / out["file"].get<std::string>()).string());
    ASSERT_EQ(to_string(it->second.shape()), to_string(ref.shape())) << name;
    ASSERT_EQ(std::string(element_type_name(it->second.type())), element_type_name(ref.type())) << name;
    const Stats s = compare(it->second, ref);
    std::printf("[zoo] %-40s %-12s max|diff| %.3g  max|ref| %.3g  mean|diff| %.3g  int mismatches %lld\n",
                dir.filename().string().c_str(), name.c_str(), s.max_abs_diff, s.max_abs_ref, s.mean_abs_diff,
                static_cast<long long>(s.mismatched_int));
    EXPECT_FALSE(s.nan_mismatch) << name << ": NaN in one side only";
    EXPECT_EQ(s.mismatched_int, 0) << name;
    if (!is_float(ref.type())) continue;
    if (quantized) {
      EXPECT_GE(static_cast<double>(s.within_1pct), 0.999 * static_cast<double>(s.count))
          << name << ": elements within 1e-2*max|ref|: " << s.within_1pct << " of " << s.count;
    } else {
      const double rel = ref.type() == ElementType::kF32 ? 1e-4 : 1e-3;
      EXPECT_LE(s.max_abs_diff, 1e-5 + rel * s.max_abs_ref) << name;
    }
  }
}

std::vector<std::string> op_cases() {
  std::vector<std::string> names;
  const fs::path index = kZoo / "ops" / "cases.json";
  if (!fs::exists(index)) return names;
  const auto cases = load_json(index);  // kept alive: items() of a temporary would dangle
  for (const auto& [name, c] : cases["cases"].items()) names.push_back(name);
  return names;
}

std::vector<std::string> model_cases() {
  std::vector<std::string> names;
  for (const fs::path root : {kZoo, kZoo / "_large"}) {
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::directory_iterator(root))
      if (fs::exists(e.path() / "model.xml")) names.push_back(fs::relative(e.path(), kZoo).string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string param_name(const testing::TestParamInfo<std::string>& p) {
  std::string s = p.param;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

class ZooOp : public testing::TestWithParam<std::string> {};
TEST_P(ZooOp, MatchesOpenVinoCpu) {
  try {
    run_case(kZoo / "ops" / GetParam(), false);
  } catch (const Error& e) {
    FAIL() << error_code_name(e.code()) << ": " << e.what();
  }
}
INSTANTIATE_TEST_SUITE_P(Ops, ZooOp, testing::ValuesIn(op_cases()), param_name);

class ZooModel : public testing::TestWithParam<std::string> {};
TEST_P(ZooModel, MatchesOpenVinoCpu) {
  const fs::path dir = kZoo / GetParam();
  if (GetParam().rfind("_large", 0) == 0) {
    const char* env = std::getenv("OCTET_ZOO_LARGE");
    if (!env || std::string(env) != "1") GTEST_SKIP() << "set OCTET_ZOO_LARGE=1 to run large models";
  }
  const auto info = load_json(dir / "model_info.json");
  const bool quantized = !info["quantization"].is_null();
  try {
    run_case(dir, quantized);
  } catch (const Error& e) {
    FAIL() << error_code_name(e.code()) << ": " << e.what();
  }
}
INSTANTIATE_TEST_SUITE_P(Models, ZooModel, testing::ValuesIn(model_cases()), param_name);

}  // namespace
}  // namespace octet
