// Weight-decompression numerics on the CPU backend, on the tests/zoo/wdec_* models (one MatMul,
// Gather or Convolution whose weights are integer codes with an f16 decompression chain, written by
// NNCF compress_weights or OpenVINO's opset API; tools/models/zoo_decompress.py):
//   fast precision computes the chain in f32 as OpenVINO does, so every output element agrees with
//     OpenVINO's (tests/zoo/wdec_*/ref, f32 inference precision) within compare's default f32
//     tolerance |d - r| <= 1e-4 + 1e-4 * |r|;
//   reference precision computes the chain literally in f16 (ir-spec): its output agrees with the
//     layer computed here, in double, from weights this test decompresses in f16 -- and that
//     literal result does differ from OpenVINO's beyond the default tolerance, so the two checks
//     tell the rules apart.
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
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
const fs::path kZoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo";
constexpr double kAtol = 1e-4, kRtol = 1e-4;  // compare's default for f32 tensors (README "Tolerances")

// x rounded to the nearest f16 value, ties to even (f16: 11 significant bits, subnormal step 2^-24).
double round_f16(double x) {
  if (x == 0 || !std::isfinite(x)) return x;
  int e = 0;
  std::frexp(x, &e);  // |x| in [2^(e-1), 2^e)
  const double step = std::ldexp(1.0, std::max(e, -13) - 11);
  const double r = std::nearbyint(x / step) * step;
  return std::fabs(r) > 65504.0 ? std::copysign(INFINITY, r) : r;
}

// Value of `t` (numpy-broadcast to `full`) at flat index e of `full`.
double broadcast_get(const Tensor& t, const Dims& full, int64_t e) {
  const Dims& s = t.shape();
  int64_t index = 0, stride = 1, rest = e;
  for (size_t i = full.size(); i-- > 0;) {
    const int64_t coord = rest % full[i];
    rest /= full[i];
    const size_t j = i + s.size() - full.size();
    if (i + s.size() >= full.size()) {
      if (s[j] != 1) index += coord * stride;
      stride *= s[j];
    }
  }
  return t.get_as_double(index);
}

// The decompressed weights of a layer, flat in the order the layer reads them, both ways.
struct Weights {
  std::vector<double> literal_f16, f32;
};

// Follows Convert(f32) <- [Reshape] <- Multiply(scale) <- [Subtract(zero point)] <- Convert <- codes
// from the layer's weight input in the graph as read from the IR.
Weights decompress(const Node& layer, size_t input) {
  const Node* n = layer.inputs.at(input).node;
  EXPECT_EQ(n->op, OpKind::kConvert);
  n = n->inputs[0].node;
  if (n->op == OpKind::kReshape) n = n->inputs[0].node;
  EXPECT_EQ(n->op, OpKind::kMultiply);
  const Node* mul = n;
  // The constant side (through a Convert) of an elementwise node.
  auto constant_of = [](const Node* c) -> const Tensor* {
    if (c->op == OpKind::kConvert) c = c->inputs[0].node;
    return c->op == OpKind::kConstant ? c->constant.get() : nullptr;
  };
  const Node* chain = mul->inputs[0].node;
  const Node* scale_node = mul->inputs[1].node;
  if (scale_node->op != OpKind::kConstant ||
      (constant_of(chain) && is_float(constant_of(chain)->type())))  // scale written first
    std::swap(chain, scale_node);
  const Tensor* scale = constant_of(scale_node);
  const Tensor* zero = nullptr;
  if (chain->op == OpKind::kSubtract) {
    zero = constant_of(chain->inputs[1].node);
    chain = chain->inputs[0].node;
  }
  const Tensor* codes = constant_of(chain);
  if (!codes || !scale) {
    ADD_FAILURE() << layer.name << ": weights are not a decompression chain";
    return {};
  }
  Weights w;
  const Dims& shape = codes->shape();
  for (int64_t e = 0; e < codes->element_count(); ++e) {
    const double c = codes->get_as_double(e);
    const double z = zero ? broadcast_get(*zero, shape, e) : 0.0;
    const double s = broadcast_get(*scale, shape, e);
    // ir-spec: each op rounds to its f16 output; (c - z) is exact, the product rounds.
    w.literal_f16.push_back(round_f16(round_f16(round_f16(c) - round_f16(z)) * s));
    // OpenVINO: the same chain in f32 (the product of a 9-bit integer and an f16 scale is exact).
    w.f32.push_back(static_cast<double>(static_cast<float>((c - z) * s)));
  }
  return w;
}

// The layer's output in double from the given weights: MatMul [1, M, K] x weights, Gather of rows
// (axis 0), or a stride-1 Convolution with symmetric padding.
std::vector<double> forward(const Graph& g, const std::vector<double>& w, const Tensor& x) {
  for (const auto& node : g.nodes()) {
    const Node& n = *node;
    if (n.op == OpKind::kMatMul) {
      const bool tb = n.attrs.boolean("transpose_b");
      const int64_t k_dim = x.shape().back(), m_dim = x.element_count() / k_dim;
      const int64_t n_dim = static_cast<int64_t>(w.size()) / k_dim;
      std::vector<double> y(static_cast<size_t>(m_dim * n_dim));
      for (int64_t m = 0; m < m_dim; ++m)
        for (int64_t o = 0; o < n_dim; ++o) {
          double s = 0;
          for (int64_t k = 0; k < k_dim; ++k)
            s += x.get_as_double(m * k_dim + k) * w[static_cast<size_t>(tb ? o * k_dim + k : k * n_dim + o)];
          y[static_cast<size_t>(m * n_dim + o)] = s;
        }
      return y;
    }
    if (n.op == OpKind::kGather) {
      // Axis 0 of the table: the codes' first dim counts its rows whatever the grouping.
      const Node* codes = n.inputs[0].node;
      while (codes->op != OpKind::kConstant) codes = codes->inputs[0].node;
      const int64_t rows = codes->constant->shape()[0], row = static_cast<int64_t>(w.size()) / rows;
      std::vector<double> y;
      for (int64_t i = 0; i < x.element_count(); ++i) {
        const int64_t id = x.get_as_int64(i) < 0 ? x.get_as_int64(i) + rows : x.get_as_int64(i);  // Gather-8
        for (int64_t c = 0; c < row; ++c) y.push_back(w[static_cast<size_t>(id * row + c)]);
      }
      return y;
    }
    if (n.op == OpKind::kConvolution) {
      const std::vector<int64_t> pads = n.attrs.i64_list("pads_begin");
      const int64_t pad = pads.at(0);
      const int64_t c_in = x.shape()[1], h = x.shape()[2], wd = x.shape()[3];
      const int64_t k = 3, c_out = static_cast<int64_t>(w.size()) / (c_in * k * k);
      const int64_t oh = h + 2 * pad - k + 1, ow = wd + 2 * pad - k + 1;
      std::vector<double> y(static_cast<size_t>(c_out * oh * ow));
      for (int64_t o = 0; o < c_out; ++o)
        for (int64_t oy = 0; oy < oh; ++oy)
          for (int64_t ox = 0; ox < ow; ++ox) {
            double s = 0;
            for (int64_t c = 0; c < c_in; ++c)
              for (int64_t ky = 0; ky < k; ++ky)
                for (int64_t kx = 0; kx < k; ++kx) {
                  const int64_t iy = oy + ky - pad, ix = ox + kx - pad;
                  if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                  s += x.get_as_double((c * h + iy) * wd + ix) *
                       w[static_cast<size_t>(((o * c_in + c) * k + ky) * k + kx)];
                }
            y[static_cast<size_t>((o * oh + oy) * ow + ox)] = s;
          }
      return y;
    }
  }
  ADD_FAILURE() << "no MatMul, Gather or Convolution in the model";
  return {};
}

const Node* weighted_layer(const Graph& g, size_t* input) {
  for (const auto& node : g.nodes()) {
    if (node->op == OpKind::kMatMul || node->op == OpKind::kConvolution) return *input = 1, node.get();
    if (node->op == OpKind::kGather) return *input = 0, node.get();
  }
  return nullptr;
}

nlohmann::json load_json(const fs::path& p) {
  std::ifstream f(p);
  return nlohmann::json::parse(f);
}

Tensor run(const fs::path& dir, Precision precision, const Tensor& x, const std::string& in,
           const std::string& out) {
  BackendOptions options;
  options.precision = precision;
  auto cpu = make_onednn_backend(options);
  CompileConfig config;
  config.options = options;
  auto model = CompiledModel::compile(read_ir_file((dir / "model.xml").string()), cpu, cpu, config);
  auto request = model->create_request();
  request->set_input(in, x);
  request->infer();
  return request->output(out).clone();  // the request owns its output buffers
}

std::vector<std::string> cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kZoo))
    if (e.path().filename().string().rfind("wdec_", 0) == 0 && fs::exists(e.path() / "model.xml"))
      names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class WeightDecompression : public testing::TestWithParam<std::string> {};

TEST_P(WeightDecompression, FastIsOpenVinoF32ChainReferenceIsLiteralF16) {
  const fs::path dir = kZoo / GetParam();
  const auto info = load_json(dir / "model_info.json");
  const std::string in = info["inputs"][0]["name"], out = info["outputs"][0]["name"];
  const Tensor x = read_npy_file((dir / info["inputs"][0]["file"].get<std::string>()).string());
  const Tensor ov = read_npy_file((dir / info["outputs"][0]["file"].get<std::string>()).string());

  const Graph g = read_ir_file((dir / "model.xml").string());
  size_t weight_input = 0;
  const Node* layer = weighted_layer(g, &weight_input);
  ASSERT_NE(layer, nullptr);
  const Weights w = decompress(*layer, weight_input);
  ASSERT_FALSE(w.f32.empty());
  const std::vector<double> literal = forward(g, w.literal_f16, x), exact = forward(g, w.f32, x);
  ASSERT_EQ(static_cast<int64_t>(literal.size()), ov.element_count());

  const Tensor fast = run(dir, Precision::kFast, x, in, out);
  const Tensor reference = run(dir, Precision::kReference, x, in, out);
  double max_ref = 0;
  for (int64_t i = 0; i < ov.element_count(); ++i)
    max_ref = std::max(max_ref, std::fabs(ov.get_as_double(i)));
  // Summation order (f32 vs this test's double) stays far below the f16 rounding being checked.
  const double sum_tol = 2e-6 * max_ref + 1e-7;
  double fast_diff = 0, ref_diff = 0, literal_vs_ov = 0, exact_vs_ov = 0, ref_vs_literal = 0;
  int64_t fast_outside = 0, literal_outside = 0;
  for (int64_t i = 0; i < ov.element_count(); ++i) {
    const double r = ov.get_as_double(i), f = fast.get_as_double(i), l = literal[static_cast<size_t>(i)];
    const double tol = kAtol + kRtol * std::fabs(r);
    fast_diff = std::max(fast_diff, std::fabs(f - r));
    ref_diff = std::max(ref_diff, std::fabs(reference.get_as_double(i) - r));
    literal_vs_ov = std::max(literal_vs_ov, std::fabs(l - r));
    exact_vs_ov = std::max(exact_vs_ov, std::fabs(exact[static_cast<size_t>(i)] - r));
    ref_vs_literal = std::max(ref_vs_literal, std::fabs(reference.get_as_double(i) - l));
    fast_outside += std::fabs(f - r) > tol;
    literal_outside += std::fabs(l - r) > tol;
  }
  std::printf(
      "[wdec] %-30s max|ref| %.3g  max|diff| vs OpenVINO: fast %.3g, reference %.3g  |  test's f16 chain vs "
      "OpenVINO %.3g (%lld outside tol), f32 chain vs OpenVINO %.3g, reference vs f16 chain %.3g\n",
      GetParam().c_str(), max_ref, fast_diff, ref_diff, literal_vs_ov,
      static_cast<long long>(literal_outside), exact_vs_ov, ref_vs_literal);
  EXPECT_EQ(fast_outside, 0) << "fast precision vs OpenVINO: max|diff| " << fast_diff;
  // The test's model of OpenVINO (f32 chain) is right, and the literal chain is distinguishable.
  EXPECT_LE(exact_vs_ov, sum_tol);
  EXPECT_GT(literal_vs_ov, 10 * sum_tol);
  EXPECT_LE(ref_vs_literal, sum_tol) << "reference precision does not follow the literal f16 chain";
}

INSTANTIATE_TEST_SUITE_P(Zoo, WeightDecompression, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace octet
