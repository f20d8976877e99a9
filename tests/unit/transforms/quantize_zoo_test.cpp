// The quantization pass on every int8/int4 zoo model: the reference runs the prepared graph and
// the graph after quantize_linear_ops (integer QuantizedConvolution/QuantizedMatMul nodes) on the
// stored inputs, and the outputs must agree; the pass must convert every Convolution,
// GroupConvolution and MatMul whose weights are constant, and run on integer activation codes
// every one fed by a per-tensor FakeQuantize, both counted from the IR on its own.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/io/npy.h"
#include "host/ir/ir_reader.h"
#include "host/reference/run_graph.h"
#include "host/transforms/prepare.h"
#include "host/transforms/quantize_linear.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
const fs::path kZoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo";

bool is_linear(OpKind op) {
  return op == OpKind::kConvolution || op == OpKind::kGroupConvolution || op == OpKind::kMatMul;
}

// Whether `node` depends on a Parameter (walking every input edge).
bool reaches_parameter(const Node* node, std::map<const Node*, bool>* memo) {
  if (auto it = memo->find(node); it != memo->end()) return it->second;
  bool r = node->op == OpKind::kParameter;
  for (const Output& in : node->inputs) r = r || reaches_parameter(in.node, memo);
  return (*memo)[node] = r;
}

// Linear ops of the graph as read from the IR (before any transform) whose weights (input 1) are
// computed from constants only: the ones the pass is expected to convert. The others multiply two
// activations (attention's Q*K^T and P*V) and have no weights to quantize.
std::set<std::string> linear_ops_with_constant_weights(const Graph& g, int* linear_total) {
  std::set<std::string> names;
  std::map<const Node*, bool> memo;
  *linear_total = 0;
  for (const Node* n : g.topological_order()) {
    if (!is_linear(n->op)) continue;
    ++*linear_total;
    if (!reaches_parameter(n->inputs.at(1).node, &memo)) names.insert(n->name);
  }
  return names;
}

// A constant (possibly behind a Convert) whose elements are all equal.
bool uniform_constant(Output o) {
  const Node* n = o.node;
  if (n->op == OpKind::kConvert) n = n->inputs.at(0).node;
  if (n->op != OpKind::kConstant || !n->constant || n->constant->element_count() == 0) return false;
  for (int64_t i = 1; i < n->constant->element_count(); ++i)
    if (n->constant->get_as_double(i) != n->constant->get_as_double(0)) return false;
  return true;
}

// Linear ops of the IR graph whose activation (input 0) is a per-tensor FakeQuantize's output,
// directly or through ops that only move values: the ones that must run on integer codes.
std::set<std::string> linear_ops_with_quantized_activations(const Graph& g) {
  std::set<std::string> names;
  for (const Node* n : g.topological_order()) {
    if (!is_linear(n->op)) continue;
    Output a = n->inputs.at(0);
    while (a.index == 0 && (a.node->op == OpKind::kReshape || a.node->op == OpKind::kTranspose ||
                            a.node->op == OpKind::kSqueeze || a.node->op == OpKind::kUnsqueeze ||
                            a.node->op == OpKind::kMaxPool))
      a = a.node->inputs.at(0);
    if (a.node->op != OpKind::kFakeQuantize) continue;
    bool per_tensor = true;
    for (size_t i = 1; i < 5; ++i) per_tensor = per_tensor && uniform_constant(a.node->inputs.at(i));
    if (per_tensor) names.insert(n->name);
  }
  return names;
}

std::map<std::string, Tensor> load_inputs(const fs::path& dir, const nlohmann::json& info) {
  std::map<std::string, Tensor> inputs;
  for (const auto& in : info["inputs"])
    inputs[in["name"].get<std::string>()] = read_npy_file((dir / in["file"].get<std::string>()).string());
  return inputs;
}

// The int8/int4 zoo models: those model_info.json describes as quantized or weight-compressed
// (tests/zoo/_large ones too; they run only with OCTET_ZOO_LARGE=1).
std::vector<std::string> quantized_models() {
  std::vector<std::string> names;
  for (const fs::path& root : {kZoo, kZoo / "_large"}) {
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::directory_iterator(root)) {
      const fs::path info_path = e.path() / "model_info.json";
      if (!fs::exists(info_path)) continue;
      std::ifstream f(info_path);
      const auto info = nlohmann::json::parse(f);
      if (info.contains("quantization") && !info["quantization"].is_null())
        names.push_back(fs::relative(e.path(), kZoo).string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

class QuantizeZoo : public testing::TestWithParam<std::string> {};

TEST_P(QuantizeZoo, IntegerGraphMatchesFloatReference) {
  const fs::path dir = kZoo / GetParam();
  if (GetParam().rfind("_large", 0) == 0) {
    const char* env = std::getenv("OCTET_ZOO_LARGE");
    if (!env || std::string(env) != "1") GTEST_SKIP() << "set OCTET_ZOO_LARGE=1 to run large models";
  }
  std::ifstream f(dir / "model_info.json");
  const auto info = nlohmann::json::parse(f);
  // Deep models (more than 20 FakeQuantize layers) get 2e-2: the same near-tie level flips as
  // against OpenVINO (see prepare_zoo_test.cpp, quantized_tolerance) cascade through them.
  const auto& quantization = info["quantization"];
  const double tolerance = quantization.value("fake_quantize_count", 0) > 20 ? 2e-2 : 1e-2;
  try {
    Graph original = read_ir_file((dir / "model.xml").string());
    int linear_total = 0;
    const std::set<std::string> expected = linear_ops_with_constant_weights(original, &linear_total);
    std::set<std::string> expected_int_act = linear_ops_with_quantized_activations(original);
    for (auto it = expected_int_act.begin(); it != expected_int_act.end();)
      it = expected.count(*it) ? std::next(it) : expected_int_act.erase(it);
    prepare_graph(original);
    Graph quantized = read_ir_file((dir / "model.xml").string());
    prepare_graph(quantized);
    const auto decisions = quantize_linear_ops(quantized);

    // Conversions: every expected node, and the report covers every linear op.
    std::set<std::string> converted, integer_activations;
    for (const auto& d : decisions) {
      if (d.quantized) {
        converted.insert(d.node_name);
        if (d.precision.find(" act)") != std::string::npos) integer_activations.insert(d.node_name);
        std::string fused;
        for (const auto& n : d.fused) fused += (fused.empty() ? "" : ", ") + n;
        std::printf("[quantize] %-22s converted: %s %s as %s, fused [%s]\n", GetParam().c_str(), d.op.c_str(),
                    d.node_name.c_str(), d.precision.c_str(), fused.c_str());
      } else {
        std::printf("[quantize] %-22s NOT converted: %s %s (%s)\n", GetParam().c_str(), d.op.c_str(),
                    d.node_name.c_str(), d.reason.c_str());
      }
    }
    std::printf("[quantize] %-22s %zu of %d linear ops converted, %zu expected\n", GetParam().c_str(),
                converted.size(), linear_total, expected.size());
    EXPECT_EQ(static_cast<int>(decisions.size()), linear_total);
    EXPECT_EQ(converted, expected);
    EXPECT_EQ(integer_activations, expected_int_act) << "nodes running on integer activation codes";
    int remaining_linear = 0, quantized_nodes = 0;
    for (const Node* n : quantized.topological_order()) {
      remaining_linear += is_linear(n->op);
      quantized_nodes += n->op == OpKind::kQuantizedConvolution || n->op == OpKind::kQuantizedMatMul;
    }
    EXPECT_EQ(quantized_nodes, static_cast<int>(expected.size()));
    EXPECT_EQ(remaining_linear, linear_total - static_cast<int>(expected.size()));

    // Outputs: the float reference on the original graph against the integer reference.
    //
    // Both graphs compute the same real numbers: a FakeQuantize output is exactly ol + q*s and the
    // integer path sums (q - zp) * (w - wzp) exactly in int64, so the two differ only by f32
    // rounding order (~1e-6 relative). Where such a difference lands on a rounding boundary of a
    // later FakeQuantize, that activation moves by one step (range/255, about 0.4-0.8 % of its
    // range) and the change propagates, attenuated, to the output. So nearly every element must
    // agree within 1e-2 * max|ref| (the criterion the zoo test uses against OpenVINO), allowing
    // 0.1 % of elements downstream of such flips to stray further. Outputs of the zoo models are
    // all float (softmax probabilities or hidden states), so there is no output step to use.
    //
    // The weight-compressed matmul_int* models differ by more (max|diff| ~3.6e-4 * max|ref|) for a
    // known reason: their IR dequantizes in f16 (Convert(f16) -> [Subtract] -> Multiply(f16 scale)
    // -> Convert(f32)), so the literal float reference rounds every weight to f16 (relative error
    // <= 2^-11), while the pass keeps code * scale in f32, as OpenVINO's CPU plugin does (the
    // integer path reproduces OV's stored output of matmul_int8_sym to 1.2e-6). That is also well
    // inside the bound.
    const auto inputs = load_inputs(dir, info);
    const auto want = run_reference(original, inputs);
    const auto got = run_reference(quantized, inputs);
    ASSERT_EQ(want.size(), got.size());
    for (const auto& [name, w] : want) {
      auto it = got.find(name);
      ASSERT_NE(it, got.end()) << name;
      const Tensor& g = it->second;
      ASSERT_EQ(to_string(g.shape()), to_string(w.shape())) << name;
      ASSERT_TRUE(is_float(w.type())) << name;
      double max_ref = 0, max_diff = 0;
      for (int64_t i = 0; i < w.element_count(); ++i)
        max_ref = std::max(max_ref, std::fabs(w.get_as_double(i)));
      int64_t within = 0;
      for (int64_t i = 0; i < w.element_count(); ++i) {
        const double d = std::fabs(g.get_as_double(i) - w.get_as_double(i));
        max_diff = std::max(max_diff, d);
        within += d <= tolerance * max_ref;
      }
      std::printf("[quantize] %-22s %-6s max|diff| %.3g  max|ref| %.3g  within %g*max: %lld of %lld\n",
                  GetParam().c_str(), name.c_str(), max_diff, max_ref, tolerance,
                  static_cast<long long>(within), static_cast<long long>(w.element_count()));
      EXPECT_GE(static_cast<double>(within), 0.999 * static_cast<double>(w.element_count())) << name;
    }
  } catch (const Error& e) {
    FAIL() << error_code_name(e.code()) << ": " << e.what();
  }
}

std::string param_name(const testing::TestParamInfo<std::string>& p) {
  std::string s = p.param;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Models, QuantizeZoo, testing::ValuesIn(quantized_models()), param_name);

// The zoo's quantized models are the ones the brief names; a missing one would silently shrink
// the suite above.
TEST(QuantizeZooList, HasTheInt8AndInt4Models) {
  const auto names = quantized_models();
  for (const char* want :
       {"cnn_int8", "transformer_int8", "matmul_int8_sym", "matmul_int8_asym", "matmul_int4_sym_g32",
        "matmul_int4_asym_g32", "matmul_int4_sym_g128", "matmul_int4_asym_g128"})
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
}

}  // namespace
}  // namespace octet
