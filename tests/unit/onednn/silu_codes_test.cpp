// Output codes of int8 convolutions whose chain is one SiLU (Swish, beta 1) or Sigmoid before the
// output FakeQuantize: the CPU kernel takes the level from a float activation with an error
// bound and falls back to the exact double activation where the bound cannot decide
// (runtime/onednn/simple_epilogue.h). Checked against the integer reference
// (host/reference/quantized_linear), code for code, on random layers and on layers built so that
// many activations land within an ulp of a level boundary (where only the fallback is right),
// beyond the bound's domain (|x| > 80) and on channel counts that are not multiples of 16.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "host/graph/quantized_linear.h"
#include "host/reference/quantized_linear.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

using Rng = std::mt19937;

float uniform_f(Rng& rng, float lo, float hi) {
  return std::uniform_real_distribution<float>(lo, hi)(rng);
}

double activation(bool swish, double y) {
  return swish ? y / (1.0 + std::exp(-y)) : 1.0 / (1.0 + std::exp(-y));
}

// The pre-activation y > 0 (or any y for Sigmoid) where the activation equals `target`, by
// bisection in double: both activations increase there.
double solve(bool swish, double target) {
  double lo = swish ? 0.0 : -60.0, hi = 60.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (activation(swish, mid) < target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

struct Layer {
  Graph g;
  Node* node = nullptr;
  Tensor x;
  int64_t near_boundary = 0;  // forced channels whose exact activation lies within 1e-6 of a level boundary
};

// A QuantizedConvolution on channels-last codes [1, h, w, cin] -> codes [1, oh, ow, cout], 3x3
// (stride `stride`, pad 1) or 1x1, with a bias and one activation, the output quantized to
// `grid`. With Bias::kBoundaries every channel from 2 on gets a bias that puts the activation
// within an ulp of a level midpoint on the pixels whose window holds only zero-point codes (half
// the input pixels); with Bias::kOutOfDomain channel 1 gets a bias beyond |x| = 80 (a vector holding
// such a lane takes the exact path as a whole, so these are layers of their own).
enum class Bias { kRandom, kBoundaries, kOutOfDomain };
Layer make_layer(Rng& rng, bool swish, int64_t k, int64_t stride, int64_t h, int64_t w, int64_t cin,
                 int64_t cout, const ActivationQuant& grid, Bias kind) {
  auto q = std::make_shared<QuantizedLinear>();
  q->base_op = OpKind::kConvolution;
  q->conv.strides = {stride, stride};
  q->conv.dilations = {1, 1};
  q->conv.pads_begin = {k / 2, k / 2};
  q->conv.pads_end = {k / 2, k / 2};
  ActivationQuant in;
  in.levels = 256;
  in.zero_point = 101;
  in.scale = 0.02f;
  in.out_low = in.in_low = -in.zero_point * in.scale;
  in.out_high = in.in_high = (255 - in.zero_point) * in.scale;
  q->input = in;
  QuantizedWeights& wt = q->weights;
  wt.type = ElementType::kI8;
  wt.codes = Tensor(ElementType::kI8, {cout, cin, k, k});
  for (int64_t i = 0; i < wt.codes.element_count(); ++i)
    wt.codes.data_as<int8_t>()[i] = static_cast<int8_t>(std::uniform_int_distribution<int>(-127, 127)(rng));
  wt.output_channels = cout;
  wt.reduction = cin * k * k;
  for (int64_t o = 0; o < cout; ++o) wt.scale.push_back(uniform_f(rng, 0.002f, 0.02f));
  Layer layer;
  const double step = (double{grid.in_high} - grid.in_low) / (grid.levels - 1);
  for (int64_t o = 0; o < cout; ++o) {
    float bias = uniform_f(rng, -3, 3);
    if (kind == Bias::kOutOfDomain && o == 1) bias = swish ? -81.5f : 95.0f;
    if (kind == Bias::kBoundaries && o >= 2) {  // the midpoint between two levels it can reach
      const int64_t j = std::uniform_int_distribution<int64_t>(grid.levels / 4, grid.levels * 3 / 4)(rng);
      bias = static_cast<float>(solve(swish, grid.in_low + (j + 0.5) * step));
    }
    q->bias.push_back(bias);
  }
  PostOp act;
  act.activation = swish ? PostOpCode::kSwish : PostOpCode::kSigmoid;
  act.beta = 1.0f;
  q->post_ops = {act};
  q->output = grid;
  q->output_codes = grid;
  const int64_t oh = (h + 2 * (k / 2) - k) / stride + 1, ow = (w + 2 * (k / 2) - k) / stride + 1;
  Node* x = layer.g.add(OpKind::kParameter, "x");
  x->outputs = {Value{ElementType::kI8, {1, h, w, cin}, {"x"}, false, {}}};
  layer.g.parameters.push_back(x);
  Node* n = layer.g.add(OpKind::kQuantizedConvolution, "conv");
  n->inputs = {{x, 0}};
  n->outputs = {Value{ElementType::kI8, {1, oh, ow, cout}, {"y"}, false, {}}};
  n->payload = q;
  layer.node = n;
  // Zero-point codes on the left half of every row (their windows sum to 0: y = bias exactly).
  layer.x = Tensor(ElementType::kI8, {1, h, w, cin});
  for (int64_t p = 0; p < h * w; ++p)
    for (int64_t c = 0; c < cin; ++c)
      layer.x.data_as<int8_t>()[p * cin + c] =
          p % w < w / 2 ? static_cast<int8_t>(in.zero_point - 128)
                        : static_cast<int8_t>(std::uniform_int_distribution<int>(-128, 127)(rng));
  for (int64_t o = kind == Bias::kBoundaries ? 2 : cout; o < cout; ++o) {
    const double s = activation(swish, q->bias[static_cast<size_t>(o)]);
    const double level = (s - grid.in_low) / step;
    if (std::fabs(level - std::floor(level) - 0.5) < 1e-6 / step) layer.near_boundary += 1;
  }
  return layer;
}

// Runs the layer on the CPU backend (fast precision: the path under test) and compares every code
// with the integer reference.
void expect_reference_codes(const Layer& layer, const std::string& what) {
  BackendOptions options;
  options.precision = Precision::kFast;
  auto cpu = make_onednn_backend(options);
  auto kernel = cpu->compile(*layer.node);
  // oneDNN's s8 primitive or the VNNI loops of small layers (vnni_1x1.h, vnni_pixels.h): the
  // accumulators either way, this test is about the codes epilogue after them.
  EXPECT_TRUE(kernel->impl_name().rfind("onednn_s8", 0) == 0 || kernel->impl_name().rfind("cpu_vnni", 0) == 0)
      << what << ": " << kernel->impl_name();
  if (__builtin_cpu_supports("avx512f")) {  // else the tile-wide exact activation, checked all the same
    EXPECT_NE(kernel->impl_name().find("+avx512_codes"), std::string::npos)
        << what << ": " << kernel->impl_name();
  }
  auto ctx = cpu->create_context();
  Tensor y(ElementType::kI8, layer.node->outputs[0].shape);
  std::memset(y.data(), 0x55, y.byte_size());
  kernel->enqueue(*ctx, {{const_cast<void*>(layer.x.data()), layer.x.byte_size()}},
                  {{y.data(), y.byte_size()}});
  const Tensor ref = evaluate_quantized_linear(*layer.node, {&layer.x}).at(0);
  ASSERT_EQ(ref.type(), ElementType::kI8) << what;
  int64_t bad = 0;
  for (int64_t i = 0; i < y.element_count(); ++i) {
    const int a = y.data_as<int8_t>()[i], r = ref.data_as<int8_t>()[i];
    if (a != r && bad++ < 3) ADD_FAILURE() << what << " code " << i << ": " << a << " vs reference " << r;
  }
  EXPECT_EQ(bad, 0) << what << ": " << bad << " of " << y.element_count() << " codes differ";
}

TEST(SiluCodesCpu, CodesEqualTheReferenceIncludingLevelBoundaries) {
  Rng rng(2024);
  ActivationQuant silu_grid, sigmoid_grid;
  silu_grid.levels = sigmoid_grid.levels = 256;
  silu_grid.in_low = silu_grid.out_low = -0.3f;  // YOLO's SiLU outputs: a little below 0
  silu_grid.in_high = silu_grid.out_high = 3.1f;
  sigmoid_grid.in_low = sigmoid_grid.out_low = 0.0f;
  sigmoid_grid.in_high = sigmoid_grid.out_high = 1.0f;
  struct Shape {
    int64_t k, stride, h, w, cin, cout;
  };
  // 16k channels; 24 / 40 / 20: a vector and a tail of 8 or 4 lanes; 8 and 3: part of one vector.
  const Shape shapes[] = {{3, 2, 16, 16, 8, 16}, {3, 1, 9, 13, 5, 24},  {1, 1, 6, 10, 7, 40},
                          {3, 1, 7, 8, 3, 20},   {1, 1, 4, 33, 16, 64}, {3, 2, 20, 20, 3, 8},
                          {3, 1, 5, 6, 4, 3}};
  int64_t near_boundary = 0;
  for (const bool swish : {true, false}) {
    for (const Shape& s : shapes) {
      const std::string what = std::string(swish ? "SiLU" : "Sigmoid") + " k" + std::to_string(s.k) + " s" +
                               std::to_string(s.stride) + " " + std::to_string(s.h) + "x" +
                               std::to_string(s.w) + " " + std::to_string(s.cin) + "->" +
                               std::to_string(s.cout);
      const ActivationQuant& grid = swish ? silu_grid : sigmoid_grid;
      expect_reference_codes(
          make_layer(rng, swish, s.k, s.stride, s.h, s.w, s.cin, s.cout, grid, Bias::kRandom), what);
      const Layer forced =
          make_layer(rng, swish, s.k, s.stride, s.h, s.w, s.cin, s.cout, grid, Bias::kBoundaries);
      near_boundary += forced.near_boundary;
      expect_reference_codes(forced, what + " (boundaries)");
      expect_reference_codes(
          make_layer(rng, swish, s.k, s.stride, s.h, s.w, s.cin, s.cout, grid, Bias::kOutOfDomain),
          what + " (|x| > 80)");
    }
  }
  // The construction did reach the cases the float bound cannot decide.
  EXPECT_GT(near_boundary, 50);
}

}  // namespace
}  // namespace octet
