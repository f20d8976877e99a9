// The CPU backend's int8 path for grouped convolutions with a per-channel activation FakeQuantize
// (host/transforms/quantize_per_channel.h): the per-channel QuantizeActivation kernel and the
// folded depthwise convolution, in fast precision, bit for bit against the reference evaluators
// of the same rewritten nodes (levels with ties, clamping, NaN; padding; zero point 0 and 128).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "host/graph/quantized_linear.h"
#include "host/reference/evaluate.h"
#include "host/reference/run_graph.h"
#include "host/transforms/quantize_linear.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet {
namespace {

using test::Builder;

// x [1, C, 7, 9] -> FakeQuantize (ranges [1, C, 1, 1]) -> depthwise 3x3 (pads 1, stride `stride`)
// with int8 weights and a per-channel scale -> Result.
struct Model {
  Builder b;
  Node* result = nullptr;
  Model(const std::vector<float>& low, const std::vector<float>& high, int stride) {
    const int64_t c = static_cast<int64_t>(low.size());
    Node* x = b.param({1, c, 7, 9});
    Node* lo = b.floats(low, Dims{1, c, 1, 1});
    Node* hi = b.floats(high, Dims{1, c, 1, 1});
    Node* fq = b.op(OpKind::kFakeQuantize, {x, lo, hi, lo, hi}, {{"levels", "256"}});
    Tensor codes(ElementType::kI8, {c, 1, 1, 3, 3});
    for (int64_t i = 0; i < codes.element_count(); ++i)
      codes.data_as<int8_t>()[i] = static_cast<int8_t>((i * 53 + 5) % 255 - 127);
    Node* w =
        b.op(OpKind::kConvert, {b.g.add_constant("codes", std::move(codes))}, {{"destination_type", "f32"}});
    std::vector<float> scales;
    for (int64_t o = 0; o < c; ++o) scales.push_back(0.02f + 0.001f * static_cast<float>(o));
    Node* ws = b.op(OpKind::kMultiply, {w, b.floats(scales, Dims{c, 1, 1, 1, 1})});
    const std::string s = std::to_string(stride);
    Node* conv = b.op(OpKind::kGroupConvolution, {fq, ws},
                      {{"strides", s + "," + s},
                       {"dilations", "1,1"},
                       {"pads_begin", "1,1"},
                       {"pads_end", "1,1"},
                       {"auto_pad", "explicit"}});
    result = b.op(OpKind::kResult, {conv});
    b.g.results.push_back(result);
    b.g.parameters = {x};
    infer_shapes(b.g);
  }
};

// Values near every channel's ties and bounds, beyond both bounds, and a NaN.
Tensor inputs(const Node& param, const std::vector<float>& low, const std::vector<float>& high) {
  std::mt19937 rng(11);
  Tensor t(ElementType::kF32, param.outputs[0].shape);
  const int64_t channels = t.shape()[1], plane = t.element_count() / channels;
  for (int64_t c = 0; c < channels; ++c) {
    const float lo = low[static_cast<size_t>(c)], hi = high[static_cast<size_t>(c)], step = (hi - lo) / 255;
    for (int64_t i = 0; i < plane; ++i) {
      float v;
      switch (i % 5) {
        case 0: v = lo + (static_cast<float>(rng() % 255) + 0.5f) * step; break;
        case 1: v = lo - std::uniform_real_distribution<float>(0, 1)(rng); break;
        case 2: v = hi + std::uniform_real_distribution<float>(0, 1)(rng); break;
        case 3: v = i % 2 ? lo : hi; break;
        default: v = std::uniform_real_distribution<float>(lo, hi)(rng); break;
      }
      t.data_as<float>()[c * plane + i] = i == 7 ? std::nanf("") : v;
    }
  }
  return t;
}

void run_case(const std::vector<float>& low, const std::vector<float>& high, int stride) {
  Model m(low, high, stride);
  auto cpu = make_onednn_backend(BackendOptions{});  // fast precision
  const auto decisions = quantize_linear_ops(m.b.g, cpu->quantize_options());
  ASSERT_EQ(decisions.size(), 1u);
  ASSERT_EQ(decisions[0].reason, "");
  const Node* conv = m.result->inputs[0].node;
  const Node* codes = conv->inputs[0].node;
  ASSERT_EQ(conv->op, OpKind::kQuantizedConvolution);
  ASSERT_EQ(codes->op, OpKind::kQuantizeActivation);
  const Tensor x = inputs(*m.b.g.parameters[0], low, high);
  const Tensor ref_codes = evaluate_reference(*codes, {&x}).at(0);
  const Tensor ref_y = evaluate_reference(*conv, {&ref_codes}).at(0);

  auto ctx = cpu->create_context();
  auto codes_kernel = cpu->compile(*codes);
  auto conv_kernel = cpu->compile(*conv);
  EXPECT_EQ(codes_kernel->impl_name(), "cpu_quantize_nhwc_per_channel");
  EXPECT_EQ(conv_kernel->impl_name().rfind("onednn_s8:", 0), 0u) << conv_kernel->impl_name();
  Tensor y_codes(ElementType::kI8, codes->outputs[0].shape);
  Tensor y(conv->outputs[0].type, conv->outputs[0].shape);
  std::memset(y.data(), 0xFF, y.byte_size());
  codes_kernel->enqueue(*ctx, {{const_cast<void*>(x.data()), x.byte_size()}},
                        {{y_codes.data(), y_codes.byte_size()}});
  conv_kernel->enqueue(*ctx, {{y_codes.data(), y_codes.byte_size()}}, {{y.data(), y.byte_size()}});
  ASSERT_EQ(ref_codes.shape(), y_codes.shape());
  EXPECT_EQ(std::memcmp(ref_codes.data(), y_codes.data(), y_codes.byte_size()), 0) << "codes";
  ASSERT_EQ(ref_y.shape(), y.shape());
  EXPECT_EQ(std::memcmp(ref_y.data(), y.data(), y.byte_size()), 0) << "convolution output";
}

TEST(QuantizePerChannelCpu, DepthwiseEqualsTheIntegerReferenceBitForBit) {
  // Zero point 0 (ReLU outputs, as NNCF quantizes them), 17 channels (not a multiple of 16).
  std::vector<float> low(17, 0.0f), high;
  for (int c = 0; c < 17; ++c) high.push_back(0.5f + 0.37f * static_cast<float>(c));
  run_case(low, high, 1);
  run_case(low, high, 2);
  // Zero point 128 (symmetric ranges), 16 channels.
  std::vector<float> slow, shigh;
  for (int c = 0; c < 16; ++c) {
    const float step = 0.01f * static_cast<float>(c + 1);
    slow.push_back(-128 * step);
    shigh.push_back(127 * step);
  }
  run_case(slow, shigh, 1);
}

}  // namespace
}  // namespace octet
