// CodesDequantize cases shared by the CPU and OpenCL kernel tests: random i8 codes (channels last
// or plain) and the expected floats computed independently, as the FakeQuantize reference
// evaluator's outputs of each level's centre (in range = out range: the grid's own values), laid out
// plain. Every level appears, the top one included.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "host/graph/codes_ops.h"
#include "host/graph/graph.h"
#include "host/reference/evaluate.h"

namespace octet {
namespace test {

struct CodesDequantizeCase {
  std::string what;
  Graph g;
  Node* node = nullptr;  // the CodesDequantize
  Tensor codes;          // [N, spatial..., C] (channels last) or the plain shape
  Tensor expected;       // plain f32
};

// `plain`: the float shape; `low`/`high`: the grid's range (levels 256, zero on a level).
inline std::unique_ptr<CodesDequantizeCase> codes_dequantize_case(const Dims& plain, bool channels_last,
                                                                  float low, float high, uint32_t seed) {
  auto c = std::make_unique<CodesDequantizeCase>();
  c->what = to_string(plain) + (channels_last ? " channels last" : " plain");
  ActivationQuant q;
  q.levels = 256;
  q.in_low = q.out_low = low;
  q.in_high = q.out_high = high;
  q.scale = (high - low) / 255.0f;
  q.zero_point = static_cast<int32_t>(-low / q.scale + 0.5f);
  const bool transpose = channels_last && plain.size() >= 3;
  Dims stored = plain;
  if (transpose) {
    stored.erase(stored.begin() + 1);
    stored.push_back(plain[1]);
  }
  Node* x = c->g.add(OpKind::kParameter, "codes");
  x->outputs = {{ElementType::kI8, stored, {"codes"}, false, {}}};
  c->node = add_codes_dequantize(c->g, {x, 0}, "dequantize", q, channels_last);

  // The float path's values: FakeQuantize of each level's centre low + level * step.
  Graph fg;
  Node* fx = fg.add(OpKind::kParameter, "x");
  fx->outputs = {{ElementType::kF32, plain, {"x"}, false, {}}};
  auto scalar = [&](float v) {
    Tensor t(ElementType::kF32, Dims{});
    *t.data_as<float>() = v;
    return fg.add_constant("c", std::move(t));
  };
  Node* lo = scalar(low);
  Node* hi = scalar(high);
  Node* fq = fg.add(OpKind::kFakeQuantize, "fq");
  fq->attrs.set("levels", "256");
  fq->inputs = {{fx, 0}, {lo, 0}, {hi, 0}, {lo, 0}, {hi, 0}};
  infer_node(*fq);

  const int64_t n = plain[0], ch = transpose ? plain[1] : 1, count = element_count(plain);
  const int64_t inner = count / (n * ch);
  c->codes = Tensor(ElementType::kI8, stored);
  Tensor centres(ElementType::kF32, plain);
  std::mt19937 rng(seed);
  for (int64_t i = 0; i < count; ++i) {
    // Element i of the plain layout: (b, k, p) -> stored (b, p, k) when transposed.
    const int64_t b = i / (ch * inner), k = (i / inner) % ch, p = i % inner;
    const int level = i < 256 ? static_cast<int>(i) : std::uniform_int_distribution<int>(0, 255)(rng);
    const int64_t at = transpose ? (b * inner + p) * ch + k : i;
    c->codes.data_as<int8_t>()[at] = static_cast<int8_t>(level - 128);
    centres.data_as<float>()[i] =
        level == 255 ? high : low + static_cast<float>(level) * (high - low) / 255.0f;
  }
  c->expected = evaluate_reference(*fq, {&centres, lo->constant.get(), hi->constant.get(), lo->constant.get(),
                                         hi->constant.get()})
                    .at(0);
  return c;
}

inline std::vector<std::unique_ptr<CodesDequantizeCase>> codes_dequantize_cases() {
  std::vector<std::unique_ptr<CodesDequantizeCase>> cases;
  cases.push_back(codes_dequantize_case({1, 17, 5, 7}, true, -1.28f, 1.27f, 1));
  cases.push_back(codes_dequantize_case({2, 3, 11, 13}, true, 0.0f, 2.55f, 2));
  cases.push_back(codes_dequantize_case({1, 64, 4, 4}, true, -0.64f, 0.635f, 3));
  cases.push_back(codes_dequantize_case({1, 5, 2, 3, 7}, true, -2.56f, 2.54f, 4));
  cases.push_back(codes_dequantize_case({3, 1, 9, 1}, true, -1.28f, 1.27f, 5));
  cases.push_back(codes_dequantize_case({1, 300}, false, -1.28f, 1.27f, 6));
  cases.push_back(codes_dequantize_case({1, 7, 6, 5}, false, 0.0f, 2.55f, 7));
  // Ranges whose f32 (high - low) + low is not high (2.3000002 and 0.89999986): the top level's
  // value is FakeQuantize's level / steps * range + low, not the range's end.
  cases.push_back(codes_dequantize_case({1, 19, 4, 4}, true, -1.1f, 2.3f, 8));
  cases.push_back(codes_dequantize_case({1, 260}, false, -2.2f, 0.9f, 9));
  return cases;
}

inline void expect_dequantized(const Tensor& got, const CodesDequantizeCase& c, const std::string& who) {
  ASSERT_EQ(got.shape(), c.expected.shape()) << c.what << " " << who;
  int bad = 0;
  for (int64_t i = 0; i < got.element_count() && bad < 5; ++i) {
    const float a = got.data_as<float>()[i], e = c.expected.data_as<float>()[i];
    if (std::memcmp(&a, &e, sizeof a) != 0) {
      ++bad;
      ADD_FAILURE() << c.what << " " << who << ": [" << i << "] = " << a << ", FakeQuantize " << e;
    }
  }
}

}  // namespace test
}  // namespace octet
