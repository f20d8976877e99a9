// CodesMaxPool and CodesAvgPool cases shared by the CPU and OpenCL kernel tests: random
// channels-last i8 codes and the expected output computed independently, as the float MaxPool
// reference evaluator of the same codes (as floats, NCHW) transposed back (a window wholly in the
// padding gives -128, the code of MaxPool's lowest float), or the float AvgPool reference evaluator
// of the codes' FakeQuantize values.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "host/graph/codes_ops.h"
#include "host/graph/graph.h"
#include "host/graph/op_attrs.h"
#include "host/reference/evaluate.h"

namespace octet {
namespace test {

struct CodesPoolCase {
  std::string what;
  Graph g;
  Node* node = nullptr;  // the CodesMaxPool
  Tensor codes;          // input [N, spatial..., C]
  Tensor expected;       // [N, out spatial..., C]
};

// A float pooling node `op` over a parameter of shape `nchw`, with `attrs`, its shape inferred.
inline Node* float_pool(Graph& g, OpKind op, const Dims& nchw,
                        const std::map<std::string, std::string>& attrs) {
  Node* x = g.add(OpKind::kParameter, "x");
  x->outputs = {{ElementType::kF32, nchw, {"x"}, false, {}}};
  Node* pool = g.add(op, "pool");
  for (const auto& [k, v] : attrs) pool->attrs.set(k, v);
  pool->inputs = {{x, 0}};
  infer_node(*pool);
  return pool;
}

// Random levels 0..levels-1 as channels-last codes (level - 128, [N, spatial..., C]) and, for the
// same elements, value(level) as NCHW floats.
template <typename Value>
void random_codes(const Dims& nchw, int levels, uint32_t seed, Value value, Tensor* codes, Tensor* floats) {
  const int64_t n = nchw[0], ch = nchw[1], plane = element_count(nchw) / (n * ch);
  Dims last = {n};
  last.insert(last.end(), nchw.begin() + 2, nchw.end());
  last.push_back(ch);
  *codes = Tensor(ElementType::kI8, last);
  *floats = Tensor(ElementType::kF32, nchw);
  std::mt19937 rng(seed);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t p = 0; p < plane; ++p)
      for (int64_t k = 0; k < ch; ++k) {
        const int level = std::uniform_int_distribution<int>(0, levels - 1)(rng);
        codes->data_as<int8_t>()[(b * plane + p) * ch + k] = static_cast<int8_t>(level - 128);
        floats->data_as<float>()[(b * ch + k) * plane + p] = value(level);
      }
}

// The graph's only parameter: i8 codes of shape `last`.
inline Node* codes_parameter(Graph& g, const Dims& last) {
  Node* xc = g.add(OpKind::kParameter, "codes");
  xc->outputs = {{ElementType::kI8, last, {"codes"}, false, {}}};
  g.parameters = {xc};
  return xc;
}

// `nchw`: the float MaxPool's input shape; attrs: its MaxPool-1 attributes.
inline std::unique_ptr<CodesPoolCase> codes_pool_case(const std::string& what, const Dims& nchw,
                                                      const std::map<std::string, std::string>& attrs,
                                                      uint32_t seed) {
  auto c = std::make_unique<CodesPoolCase>();
  c->what = what;
  Graph& g = c->g;
  Node* pool = float_pool(g, OpKind::kMaxPool, nchw, attrs);
  // Channels-last codes and their float NCHW copy.
  const int64_t n = nchw[0], ch = nchw[1];
  Tensor f;
  random_codes(
      nchw, 256, seed, [](int level) { return static_cast<float>(level - 128); }, &c->codes, &f);
  const Dims& last = c->codes.shape();
  const Tensor y = evaluate_reference(*pool, {&f}).at(0);
  const Dims& ys = y.shape();
  const int64_t out_plane = element_count(ys) / (n * ch);
  Dims out_last = {n};
  out_last.insert(out_last.end(), ys.begin() + 2, ys.end());
  out_last.push_back(ch);
  c->expected = Tensor(ElementType::kI8, out_last);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t p = 0; p < out_plane; ++p)
      for (int64_t k = 0; k < ch; ++k) {
        const float v = y.data_as<float>()[(b * ch + k) * out_plane + p];
        c->expected.data_as<int8_t>()[(b * out_plane + p) * ch + k] =
            static_cast<int8_t>(std::max(v, -128.0f));
      }
  Node* xc = codes_parameter(g, last);
  c->node = g.add(OpKind::kCodesMaxPool, "codes_pool");
  auto payload = std::make_shared<CodesMaxPoolParams>();
  payload->window = pool_geometry(*pool);
  c->node->payload = payload;
  c->node->inputs = {{xc, 0}};
  infer_node(*c->node);
  EXPECT_EQ(c->node->outputs[0].shape, out_last) << what;
  return c;
}

inline std::map<std::string, std::string> max_pool(const char* kernel, const char* strides, const char* pb,
                                                   const char* pe, const char* rounding = "floor") {
  return {{"kernel", kernel}, {"strides", strides},        {"pads_begin", pb},
          {"pads_end", pe},   {"rounding_type", rounding}, {"auto_pad", "explicit"}};
}

// Padding, strides, ceil rounding, channel counts 1, 3, 8, 17, 32, batch 2, 1-D, and a window wholly
// in the padding (pads_begin 2 with kernel 2).
inline std::vector<std::unique_ptr<CodesPoolCase>> codes_pool_cases() {
  std::vector<std::unique_ptr<CodesPoolCase>> cases;
  cases.push_back(codes_pool_case("3x3 s2 ceil pads 0/1 C17", {1, 17, 7, 7},
                                  max_pool("3,3", "2,2", "0,0", "1,1", "ceil"), 1));
  cases.push_back(
      codes_pool_case("2x2 s2 C32 batch 2", {2, 32, 6, 8}, max_pool("2,2", "2,2", "0,0", "0,0"), 2));
  cases.push_back(codes_pool_case("3x3 s1 pads 1 C8", {1, 8, 5, 4}, max_pool("3,3", "1,1", "1,1", "1,1"), 3));
  cases.push_back(codes_pool_case("2x2 s1 pads 2 (padding-only windows) C1", {1, 1, 3, 3},
                                  max_pool("2,2", "1,1", "2,2", "0,0"), 4));
  cases.push_back(codes_pool_case("1-D k3 s2 pads 1 C3", {1, 3, 9}, max_pool("3", "2", "1", "1", "ceil"), 5));
  return cases;
}

// CodesAvgPool cases: random channels-last codes of a grid and, computed independently, the float
// AvgPool reference evaluator of their FakeQuantize output values (level / (levels - 1) *
// (out_high - out_low) + out_low, ir-spec.md's FakeQuantize formula) in the plain layout.
struct CodesAvgPoolCase {
  std::string what;
  Graph g;
  Node* node = nullptr;  // the CodesAvgPool
  Tensor codes;          // input [N, spatial..., C]
  Tensor expected;       // f32 [N, C, out spatial...]
};

inline std::unique_ptr<CodesAvgPoolCase> codes_avg_pool_case(const std::string& what, const Dims& nchw,
                                                             const std::map<std::string, std::string>& attrs,
                                                             const ActivationQuant& quant, uint32_t seed) {
  auto c = std::make_unique<CodesAvgPoolCase>();
  c->what = what;
  Graph& g = c->g;
  Node* pool = float_pool(g, OpKind::kAvgPool, nchw, attrs);
  const float steps = static_cast<float>(quant.levels - 1), range = quant.out_high - quant.out_low;
  Tensor f;
  random_codes(
      nchw, static_cast<int>(quant.levels), seed,
      [&](int level) {
        const float fraction = static_cast<float>(level) / steps;
        const float scaled = fraction * range;  // two statements: one rounding each, no contraction
        return scaled + quant.out_low;
      },
      &c->codes, &f);
  const Dims& last = c->codes.shape();
  c->expected = evaluate_reference(*pool, {&f}).at(0);
  Node* xc = codes_parameter(g, last);
  c->node = g.add(OpKind::kCodesAvgPool, "codes_avg_pool");
  auto payload = std::make_shared<CodesAvgPoolParams>();
  payload->window = pool_geometry(*pool);
  payload->exclude_pad = pool_attrs(*pool).exclude_pad;
  payload->quant = quant;
  c->node->payload = payload;
  c->node->inputs = {{xc, 0}};
  infer_node(*c->node);
  EXPECT_EQ(c->node->outputs[0].shape, c->expected.shape()) << what;
  return c;
}

inline std::map<std::string, std::string> avg_pool(const char* kernel, const char* strides, const char* pb,
                                                   const char* pe, bool exclude_pad,
                                                   const char* rounding = "floor") {
  return {{"kernel", kernel},
          {"strides", strides},
          {"pads_begin", pb},
          {"pads_end", pe},
          {"rounding_type", rounding},
          {"auto_pad", "explicit"},
          {"exclude-pad", exclude_pad ? "true" : "false"}};
}

inline ActivationQuant grid(int64_t levels, float low, float high) {
  ActivationQuant q;
  q.levels = levels;
  q.in_low = q.out_low = low;
  q.in_high = q.out_high = high;
  return q;
}

// DenseNet's transition (2x2 s2, 24 channels, a ReLU grid), padding counted and not, ceil windows
// over the padding, batch 2, 1-D and 3-D windows, an asymmetric grid whose f32 (high - low) + low is
// not high, and 16 levels.
inline std::vector<std::unique_ptr<CodesAvgPoolCase>> codes_avg_pool_cases() {
  std::vector<std::unique_ptr<CodesAvgPoolCase>> cases;
  cases.push_back(codes_avg_pool_case("2x2 s2 C24 (DenseNet transition)", {1, 24, 8, 7},
                                      avg_pool("2,2", "2,2", "0,0", "0,0", false), grid(256, 0.0f, 4.7f), 1));
  cases.push_back(codes_avg_pool_case("3x3 s1 pads 1 counted C17", {1, 17, 5, 6},
                                      avg_pool("3,3", "1,1", "1,1", "1,1", false), grid(256, -1.1f, 2.3f),
                                      2));
  cases.push_back(codes_avg_pool_case("3x3 s2 ceil pads 0/1 excluded C8 batch 2", {2, 8, 7, 7},
                                      avg_pool("3,3", "2,2", "0,0", "1,1", true, "ceil"),
                                      grid(256, -2.2f, 0.9f), 3));
  cases.push_back(codes_avg_pool_case("1-D k3 s2 pads 1 counted C3", {1, 3, 9},
                                      avg_pool("3", "2", "1", "1", false), grid(16, -0.5f, 1.5f), 4));
  cases.push_back(codes_avg_pool_case("3-D 2x2x2 s1 pads 0/1 excluded C5", {1, 5, 3, 4, 4},
                                      avg_pool("2,2,2", "1,1,1", "0,0,0", "1,1,1", true),
                                      grid(256, 0.0f, 1.0f), 5));
  return cases;
}

}  // namespace test
}  // namespace octet
