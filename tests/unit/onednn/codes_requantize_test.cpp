// CodesRequantize on the CPU (runtime/onednn/codes_requantize_kernel.cpp) and its reference
// evaluator against the float graph it stands for, bit for bit: each code's value (the grid's
// FakeQuantize formula at its level, computed here) through the reference evaluators of Multiply,
// Add, Relu and FakeQuantize nodes (the output grid's level is that FakeQuantize with output range
// [0, levels - 1], rounded). Channel counts of one to several vectors with tails, several grids per
// tensor, negative BatchNorm scales, a level where the kernel's estimate and the reference round
// apart (the kernel fixes it) and a scale the estimate cannot hold (the table): every path of the
// kernel is taken.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <set>
#include <string>

#include "host/graph/codes_ops.h"
#include "host/reference/evaluate.h"
#include "host/reference/run_graph.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet {
namespace {

ActivationQuant grid(int levels, float low, float high) {
  ActivationQuant q;
  q.levels = levels;
  q.in_low = q.out_low = low;
  q.in_high = q.out_high = high;
  q.scale = (high - low) / static_cast<float>(levels - 1);
  q.zero_point = static_cast<int32_t>(std::nearbyint(-low / q.scale));
  return q;
}

struct Case {
  std::string what;
  int64_t n = 1, h = 16, w = 17, channels = 8;  // at least 256 pixels: every level appears
  std::vector<ActivationQuant> grids;           // per channel
  std::vector<float> scale, shift;              // empty: no Multiply / Add
  bool relu = true, float_output = false;
  ActivationQuant out;  // in/out ranges of the reader's FakeQuantize
};

// The float graph's result (independent of host/reference's codes_requantize): plain [N, C, H, W].
Tensor expected(const Case& c, const Tensor& values) {
  test::Builder b;
  Node* x = b.param({c.n, c.channels, c.h, c.w});
  Node* y = x;
  if (!c.scale.empty()) y = b.op(OpKind::kMultiply, {y, b.floats(c.scale, Dims{1, c.channels, 1, 1})});
  if (!c.shift.empty()) y = b.op(OpKind::kAdd, {y, b.floats(c.shift, Dims{1, c.channels, 1, 1})});
  if (c.relu) y = b.op(OpKind::kRelu, {y});
  const float top = static_cast<float>(c.out.levels - 1);
  Node* fq = b.op(OpKind::kFakeQuantize,
                  {y, b.floats({c.out.in_low}, Dims{}), b.floats({c.out.in_high}, Dims{}),
                   b.floats({c.float_output ? c.out.out_low : 0.0f}, Dims{}),
                   b.floats({c.float_output ? c.out.out_high : top}, Dims{})},
                  {{"levels", std::to_string(c.out.levels)}});
  b.g.results.push_back(b.op(OpKind::kResult, {fq}));
  b.g.parameters = {x};
  infer_shapes(b.g);
  const auto out = run_reference(b.g, {{x->name, values}});
  return out.begin()->second;
}

// Runs one case on the reference evaluator and the CPU kernel; returns the kernel's name.
std::string check(const Case& c, uint32_t seed) {
  SCOPED_TRACE(c.what);
  std::mt19937 rng(seed);
  Tensor codes(ElementType::kI8, {c.n, c.h, c.w, c.channels});
  Tensor values(ElementType::kF32, {c.n, c.channels, c.h, c.w});
  const int64_t plane = c.h * c.w;
  for (int64_t i = 0; i < codes.element_count(); ++i) {
    const int64_t ch = i % c.channels, px = i / c.channels;
    const ActivationQuant& g = c.grids[static_cast<size_t>(ch)];
    // Every level of every channel appears (the first pixels), then random ones.
    const int level =
        px < g.levels ? static_cast<int>(px) : std::uniform_int_distribution<int>(0, g.levels - 1)(rng);
    codes.data_as<int8_t>()[i] = static_cast<int8_t>(level - 128);
    const float steps = static_cast<float>(g.levels - 1);
    values.data_as<float>()[(px / plane * c.channels + ch) * plane + px % plane] =
        static_cast<float>(level) / steps * (g.out_high - g.out_low) + g.out_low;
  }
  const Tensor want = expected(c, values);

  Graph g;
  Node* x = g.add(OpKind::kParameter, "codes");
  x->outputs = {{ElementType::kI8, codes.shape(), {"codes"}, false, {}}};
  Node* r = g.add(OpKind::kCodesRequantize, "requantize");
  auto p = std::make_shared<CodesRequantizeParams>();
  p->channel_grids = c.grids;
  p->quantize.quant = c.out;
  p->quantize.channels_last = true;
  p->quantize.pre_scale = c.scale;
  p->quantize.pre_shift = c.shift;
  p->quantize.pre_relu = c.relu;
  p->float_output = c.float_output;
  r->payload = p;
  r->inputs = {{x, 0}};
  infer_node(*r);

  // want: floats, or the output grid's levels as floats: codes (channels last) of them.
  auto expect_equal = [&](const Tensor& got, const char* who) {
    int64_t bad = 0;
    for (int64_t i = 0; i < got.element_count(); ++i) {
      const int64_t ch = i % c.channels, px = i / c.channels;
      const int64_t plain = (px / plane * c.channels + ch) * plane + px % plane;
      if (c.float_output) {
        const float a = got.data_as<float>()[plain], e = want.data_as<float>()[plain];
        bad += std::memcmp(&a, &e, sizeof a) != 0;
      } else {
        const int e = static_cast<int>(std::nearbyint(want.data_as<float>()[plain])) - 128;
        bad += got.data_as<int8_t>()[i] != e;
      }
    }
    EXPECT_EQ(bad, 0) << who << ": elements differing from the float graph";
  };
  expect_equal(evaluate_reference(*r, {&codes}).at(0), "reference");
  auto cpu = make_onednn_backend(BackendOptions{});
  auto kernel = cpu->compile(*r);
  auto ctx = cpu->create_context();
  Tensor y(r->outputs[0].type, r->outputs[0].shape);
  std::memset(y.data(), 0x55, y.byte_size());
  kernel->enqueue(*ctx, {{codes.data(), codes.byte_size()}}, {{y.data(), y.byte_size()}});
  expect_equal(y, kernel->impl_name().c_str());
  return kernel->impl_name();
}

// Channels in runs of `run` sharing a random grid (a Concat's branches), random BatchNorm.
Case random_case(int64_t channels, int64_t run, bool relu, bool float_output, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0, 1);
  Case c;
  c.what = "channels " + std::to_string(channels) + " seed " + std::to_string(seed);
  c.channels = channels;
  c.relu = relu;
  c.float_output = float_output;
  ActivationQuant current;
  for (int64_t ch = 0; ch < channels; ++ch) {
    if (ch % run == 0) {
      const float high = 0.5f + 4 * u(rng), low = u(rng) < 0.5f ? 0.0f : -high * (0.3f + u(rng));
      current = grid(256, low, high);
    }
    c.grids.push_back(current);
    c.scale.push_back((u(rng) < 0.15f ? -1.0f : 1.0f) * (0.2f + 2 * u(rng)));
    c.shift.push_back(2 * u(rng) - 1);
  }
  c.out = grid(256, 0.0f, 1.0f + 3 * u(rng));
  return c;
}

TEST(CodesRequantizeCpu, EqualsTheFloatGraph) {
  std::set<std::string> kernels;
  uint32_t seed = 1;
  for (int64_t channels : {8, 16, 24, 40, 48, 3, 100})
    for (bool relu : {true, false})
      for (bool float_output : {false, true}) {
        Case c = random_case(channels, channels > 16 ? 8 : channels, relu, float_output, seed++);
        c.n = channels == 3 ? 2 : 1;
        c.w = channels == 40 ? 19 : 17;
        kernels.insert(check(c, seed));
      }
  // No BatchNorm at all; a signed output grid.
  Case plain = random_case(32, 16, false, false, 99);
  plain.scale.clear();
  plain.shift.clear();
  plain.out = grid(256, -2.0f, 2.0f);
  kernels.insert(check(plain, 5));
  // Parameters found by search where the reference's level at one level of the grid (125) rounds
  // the other way than the kernel's estimate: the kernel fixes that level.
  Case near;
  near.what = "one level near half-way";
  near.channels = 24;
  for (int64_t ch = 0; ch < near.channels; ++ch) {
    near.grids.push_back(grid(256, 0.0f, 6.6254144f));
    near.scale.push_back(1.0323646f);
    near.shift.push_back(-0.47144687f);
  }
  near.relu = false;
  near.out = grid(256, 0.0f, 3.8979387f);
  kernels.insert(check(near, 7));
  // A BatchNorm scale that overflows the estimate's slope: the table.
  Case huge = random_case(16, 16, true, false, 3);
  huge.what = "overflowing scale";
  huge.scale[3] = 3e38f;
  huge.out = grid(256, 0.0f, 1e-3f);
  kernels.insert(check(huge, 9));
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512vl");
  std::string names;
  for (const std::string& k : kernels) names += k + " ";
  EXPECT_TRUE(kernels.count("cpu_codes_requantize_table")) << names;
  EXPECT_TRUE(kernels.count("cpu_codes_requantize_floats")) << names;
  if (avx512) {
    EXPECT_TRUE(kernels.count("cpu_codes_requantize")) << names;
    EXPECT_TRUE(kernels.count("cpu_codes_requantize+fixes")) << names;
  }
}

}  // namespace
}  // namespace octet
