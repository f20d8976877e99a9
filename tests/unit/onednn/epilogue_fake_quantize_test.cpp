// The CPU convolution epilogue's division-free output FakeQuantize (Epilogue::fused_fq_fma) against
// the integer reference, bit for bit, on outputs that sit on and near the FakeQuantize's rounding
// midpoints (the accumulators times 0.05 against a 0.1 grid), with and without a zero-point
// correction, on 8-, 16- and 24-channel rows.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "host/graph/quantized_linear.h"
#include "host/reference/evaluate.h"
#include "host/reference/quantized_linear.h"
#include "host/transforms/quantize_linear.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet {
namespace {

// x [1, 16, 9, 7] -> FakeQuantize [in_low, in_high] -> 1x1 convolution (int8 weights, scale 5) ->
// Relu -> FakeQuantize [0, 25.5] (step 0.1) -> Result.
void run_case(int64_t outputs, float in_low, float in_high, uint32_t seed) {
  test::Builder b;
  Node* x = b.param({1, 16, 9, 7});
  auto fq = [&](Node* in, float lo, float hi) {
    Node* l = b.floats({lo}, Dims{});
    Node* h = b.floats({hi}, Dims{});
    return b.op(OpKind::kFakeQuantize, {in, l, h, l, h}, {{"levels", "256"}});
  };
  std::mt19937 rng(seed);
  Tensor codes(ElementType::kI8, {outputs, 16, 1, 1});
  for (int64_t i = 0; i < codes.element_count(); ++i)
    codes.data_as<int8_t>()[i] = static_cast<int8_t>(static_cast<int>(rng() % 21) - 10);
  Node* w =
      b.op(OpKind::kConvert, {b.g.add_constant("codes", std::move(codes))}, {{"destination_type", "f32"}});
  Node* ws = b.op(OpKind::kMultiply, {w, b.floats({5.0f}, Dims{1, 1, 1, 1})});
  Node* conv = b.op(OpKind::kConvolution, {fq(x, in_low, in_high), ws},
                    {{"strides", "1,1"},
                     {"dilations", "1,1"},
                     {"pads_begin", "0,0"},
                     {"pads_end", "0,0"},
                     {"auto_pad", "explicit"}});
  Node* relu = b.op(OpKind::kRelu, {conv});
  Node* r = b.op(OpKind::kResult, {fq(relu, 0.0f, 25.5f)});
  b.g.results.push_back(r);
  b.g.parameters = {x};
  infer_shapes(b.g);
  auto cpu = make_onednn_backend(BackendOptions{});
  quantize_linear_ops(b.g, cpu->quantize_options());
  const Node* q = r->inputs[0].node;
  ASSERT_EQ(q->op, OpKind::kQuantizedConvolution);
  ASSERT_TRUE(quantized_params(*q).output.has_value());
  Tensor xt(ElementType::kF32, {1, 16, 9, 7});
  for (int64_t i = 0; i < xt.element_count(); ++i)
    xt.data_as<float>()[i] = std::uniform_real_distribution<float>(in_low, in_high)(rng);
  const Tensor xc = evaluate_reference(*q->inputs[0].node, {&xt}).at(0);
  const Tensor ref = evaluate_reference(*q, {&xc}).at(0);
  auto kernel = cpu->compile(*q);
  auto ctx = cpu->create_context();
  Tensor y(q->outputs[0].type, q->outputs[0].shape);
  kernel->enqueue(*ctx, {{const_cast<void*>(xc.data()), xc.byte_size()}}, {{y.data(), y.byte_size()}});
  ASSERT_EQ(y.shape(), ref.shape());
  int64_t bad = 0;
  for (int64_t i = 0; i < y.element_count(); ++i) {
    const float a = y.data_as<float>()[i], e = ref.data_as<float>()[i];
    if (std::memcmp(&a, &e, sizeof a) != 0 && bad++ < 3)
      ADD_FAILURE() << i << ": " << a << " vs reference " << e;
  }
  EXPECT_EQ(bad, 0) << outputs << " outputs, input [" << in_low << ", " << in_high << "]";
}

TEST(EpilogueFakeQuantize, MidpointOutputsEqualTheReference) {
  for (int64_t outputs : {8, 16, 24}) {
    run_case(outputs, -1.28f, 1.27f, 1);  // zero point 128: no correction
    run_case(outputs, 0.0f, 2.55f, 2);    // zero point 0: corrected accumulators
  }
}

}  // namespace
}  // namespace octet
