// Swish and Sigmoid rows with a vector exp (runtime/onednn/exact_activations.h) against the
// reference's apply_activation, bit for bit, on values spread over the whole float range (tiny,
// subnormal, huge, the exp cut-offs, signed zeros, infinities, NaN) and several betas; and a
// quantized convolution with a fused Swish (YOLO's SiLU), fast kernel against the integer reference.
#include "runtime/onednn/exact_activations.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "host/reference/evaluate.h"
#include "host/reference/quantized_linear.h"
#include "host/transforms/quantize_linear.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet {
namespace {

std::vector<float> spread_values(std::mt19937& rng, size_t n) {
  std::vector<float> v = {0.0f,
                          -0.0f,
                          std::numeric_limits<float>::infinity(),
                          -std::numeric_limits<float>::infinity(),
                          std::nanf(""),
                          std::numeric_limits<float>::denorm_min(),
                          -std::numeric_limits<float>::min(),
                          std::numeric_limits<float>::max(),
                          -std::numeric_limits<float>::max(),
                          700.0f,
                          -700.0f,
                          700.5f,
                          -745.2f,
                          88.7f,
                          -88.7f,
                          1e-30f};
  std::uniform_real_distribution<float> small(-12, 12), exponent(-45, 39);
  while (v.size() < n) {
    switch (rng() % 3) {
      case 0: v.push_back(small(rng)); break;
      case 1: v.push_back((rng() % 2 ? 1.0f : -1.0f) * std::pow(10.0f, exponent(rng))); break;
      default: {  // random bit patterns: every exponent, NaNs among them
        const uint32_t bits = static_cast<uint32_t>(rng());
        float f;
        std::memcpy(&f, &bits, sizeof f);
        v.push_back(f);
      }
    }
  }
  return v;
}

TEST(ExactActivationRow, SwishAndSigmoidEqualTheReferenceBitForBit) {
  std::mt19937 rng(21);
  const std::vector<float> values = spread_values(rng, 40000);
  for (const auto& [code, beta] : std::vector<std::pair<PostOpCode, float>>{{PostOpCode::kSwish, 1.0f},
                                                                            {PostOpCode::kSwish, 1.702f},
                                                                            {PostOpCode::kSwish, -0.5f},
                                                                            {PostOpCode::kSwish, 0.0f},
                                                                            {PostOpCode::kSigmoid, 0.0f}}) {
    PostOp op;
    op.activation = code;
    op.beta = beta;
    ASSERT_TRUE(cpu::has_exact_activation_row(op));
    for (size_t length : {values.size(), size_t{8}, size_t{13}, size_t{3}}) {  // tails and short rows
      std::vector<float> row(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(length));
      cpu::exact_activation_row(op, row.data(), static_cast<int64_t>(row.size()));
      int64_t bad = 0;
      for (size_t i = 0; i < row.size(); ++i) {
        const float ref = apply_activation(op, values[i]);
        if (std::memcmp(&ref, &row[i], sizeof ref) != 0 && bad++ < 3)
          ADD_FAILURE() << "code " << static_cast<int>(code) << " beta " << beta << " x " << values[i] << ": "
                        << row[i] << " vs reference " << ref;
      }
      EXPECT_EQ(bad, 0);
    }
  }
  PostOp relu;
  EXPECT_FALSE(cpu::has_exact_activation_row(relu));
}

// x [1, 3, 20, 20] -> FakeQuantize -> 3x3 convolution (stride 2, 8 outputs) -> Swish ->
// FakeQuantize -> Result: the convolution runs Swish over whole tiles.
TEST(ExactActivationRow, QuantizedConvolutionWithSwishEqualsTheReference) {
  test::Builder b;
  Node* x = b.param({1, 3, 20, 20});
  auto fq = [&](Node* in, float lo, float hi) {
    Node* l = b.floats({lo}, Dims{});
    Node* h = b.floats({hi}, Dims{});
    return b.op(OpKind::kFakeQuantize, {in, l, h, l, h}, {{"levels", "256"}});
  };
  Tensor codes(ElementType::kI8, {8, 3, 3, 3});
  for (int64_t i = 0; i < codes.element_count(); ++i)
    codes.data_as<int8_t>()[i] = static_cast<int8_t>((i * 71 + 3) % 255 - 127);
  Node* w =
      b.op(OpKind::kConvert, {b.g.add_constant("codes", std::move(codes))}, {{"destination_type", "f32"}});
  std::vector<float> scales;
  for (int o = 0; o < 8; ++o) scales.push_back(0.004f + 0.0007f * static_cast<float>(o));
  Node* ws = b.op(OpKind::kMultiply, {w, b.floats(scales, Dims{8, 1, 1, 1})});
  Node* conv = b.op(OpKind::kConvolution, {fq(x, -1.28f, 1.27f), ws},
                    {{"strides", "2,2"},
                     {"dilations", "1,1"},
                     {"pads_begin", "1,1"},
                     {"pads_end", "1,1"},
                     {"auto_pad", "explicit"}});
  Node* swish = b.op(OpKind::kSwish, {conv}, {}, 4);
  Node* r = b.op(OpKind::kResult, {fq(swish, -0.3f, 2.2f)});
  b.g.results.push_back(r);
  b.g.parameters = {x};
  infer_shapes(b.g);
  auto cpu = make_onednn_backend(BackendOptions{});
  const auto decisions = quantize_linear_ops(b.g, cpu->quantize_options());
  ASSERT_EQ(decisions.size(), 1u);
  const Node* q = r->inputs[0].node;
  ASSERT_EQ(q->op, OpKind::kQuantizedConvolution);
  ASSERT_EQ(q->inputs[0].node->op, OpKind::kQuantizeActivation);
  bool has_swish = false;
  for (const PostOp& op : quantized_params(*q).post_ops)
    has_swish = has_swish || op.activation == PostOpCode::kSwish;
  ASSERT_TRUE(has_swish);
  std::mt19937 rng(4);
  Tensor xt(ElementType::kF32, {1, 3, 20, 20});
  for (int64_t i = 0; i < xt.element_count(); ++i)
    xt.data_as<float>()[i] = std::uniform_real_distribution<float>(-1.5f, 1.5f)(rng);
  const Tensor xc = evaluate_reference(*q->inputs[0].node, {&xt}).at(0);
  const Tensor ref = evaluate_reference(*q, {&xc}).at(0);
  auto kernel = cpu->compile(*q);
  auto ctx = cpu->create_context();
  Tensor y(q->outputs[0].type, q->outputs[0].shape);
  kernel->enqueue(*ctx, {{const_cast<void*>(xc.data()), xc.byte_size()}}, {{y.data(), y.byte_size()}});
  ASSERT_EQ(y.shape(), ref.shape());
  EXPECT_EQ(std::memcmp(y.data(), ref.data(), y.byte_size()), 0);
}

}  // namespace
}  // namespace octet
