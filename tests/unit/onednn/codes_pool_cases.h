// CodesMaxPool cases shared by the CPU and OpenCL kernel tests: random channels-last i8 codes and
// the expected output computed independently, as the float MaxPool reference evaluator of the same
// codes (as floats, NCHW) transposed back (a window wholly in the padding gives -128, the code of
// MaxPool's lowest float).
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

// `nchw`: the float MaxPool's input shape; attrs: its MaxPool-1 attributes.
inline std::unique_ptr<CodesPoolCase> codes_pool_case(const std::string& what, const Dims& nchw,
                                                      const std::map<std::string, std::string>& attrs,
                                                      uint32_t seed) {
  auto c = std::make_unique<CodesPoolCase>();
  c->what = what;
  Graph& g = c->g;
  Node* x = g.add(OpKind::kParameter, "x");
  x->outputs = {{ElementType::kF32, nchw, {"x"}, false, {}}};
  Node* pool = g.add(OpKind::kMaxPool, "pool");
  for (const auto& [k, v] : attrs) pool->attrs.set(k, v);
  pool->inputs = {{x, 0}};
  infer_node(*pool);
  // Channels-last codes and their float NCHW copy.
  const int64_t n = nchw[0], ch = nchw[1], plane = element_count(nchw) / (n * ch);
  Dims last = {n};
  last.insert(last.end(), nchw.begin() + 2, nchw.end());
  last.push_back(ch);
  c->codes = Tensor(ElementType::kI8, last);
  Tensor f(ElementType::kF32, nchw);
  std::mt19937 rng(seed);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t p = 0; p < plane; ++p)
      for (int64_t k = 0; k < ch; ++k) {
        const int v = std::uniform_int_distribution<int>(-128, 127)(rng);
        c->codes.data_as<int8_t>()[(b * plane + p) * ch + k] = static_cast<int8_t>(v);
        f.data_as<float>()[(b * ch + k) * plane + p] = static_cast<float>(v);
      }
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
  Node* xc = g.add(OpKind::kParameter, "codes");
  xc->outputs = {{ElementType::kI8, last, {"codes"}, false, {}}};
  g.parameters = {xc};
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

}  // namespace test
}  // namespace octet
