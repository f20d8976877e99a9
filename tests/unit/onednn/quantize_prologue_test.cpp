// The CPU QuantizeActivation with a folded BatchNorm and Relu (ActivationQuantize::pre_scale,
// pre_shift, pre_relu) against the unfolded graph run by the reference evaluators (Multiply, Add
// and Relu nodes, then a plain QuantizeActivation), bit for bit: channels-last and plain codes,
// 3 to 40 channels, batch 2, per-channel ranges (also over 16 channels and more), NaN, infinities, signed
// zeros, and values solved to land on level boundaries after the affine step.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <random>

#include "host/graph/quantized_linear.h"
#include "host/reference/evaluate.h"
#include "host/reference/run_graph.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

struct Case {
  Dims shape;
  bool channels_last, scale, shift, relu, per_channel;
};

ActivationQuant grid(float low, float high) {
  ActivationQuant q;
  q.levels = 256;
  q.in_low = q.out_low = low;
  q.in_high = q.out_high = high;
  return q;
}

TEST(QuantizePrologueCpu, EqualsTheUnfoldedGraph) {
  const Case cases[] = {
      {{1, 24, 9, 7}, true, true, true, true, false},
      {{2, 40, 5, 5}, true, true, true, true, false},
      {{1, 3, 16, 17}, true, true, false, true, false},
      {{1, 16, 4, 4}, true, false, true, false, false},
      {{2, 8, 6, 3}, false, true, true, true, false},
      {{1, 5, 7}, false, false, false, true, false},
      {{1, 6, 5, 4}, true, true, true, false, true},
      // Per-channel grids over 16 channels and more (the 16 x 16 transpose blocks with a channel
      // remainder of 4 or 1), pixels not a multiple of 16, batch 2; 33 channels with no Relu.
      {{2, 20, 5, 7}, true, true, true, true, true},
      {{1, 33, 3, 11}, true, true, false, false, true},
  };
  std::mt19937 rng(23);
  auto cpu = make_onednn_backend(BackendOptions{});
  const ActivationQuant q = grid(-0.6f, 2.3f);  // a Relu'd 0 is a middle level
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            0.0f,
                            -0.0f,
                            3e38f,
                            -1e-40f};
  int boundaries = 0;
  for (const Case& k : cases) {
    const int64_t channels = k.shape[1];
    const int64_t plane = element_count(k.shape) / (k.shape[0] * channels);
    std::vector<float> scale(static_cast<size_t>(channels)), shift(scale.size());
    std::vector<ActivationQuant> per_channel;
    for (int64_t c = 0; c < channels; ++c) {
      scale[static_cast<size_t>(c)] = std::uniform_real_distribution<float>(-2.0f, 2.0f)(rng);
      shift[static_cast<size_t>(c)] = std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng);
      per_channel.push_back(
          grid(-0.6f * static_cast<float>(c + 1) / 4, 2.3f * static_cast<float>(c + 1) / 4));
    }
    // The unfolded graph: x -> Multiply -> Add -> Relu -> QuantizeActivation.
    Graph g;
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {Value{ElementType::kF32, k.shape, {"x"}, false, {}}};
    g.parameters = {x};
    Dims cshape(k.shape.size(), 1);
    cshape[1] = channels;
    Output v{x, 0};
    auto constant = [&](const std::vector<float>& values, const char* name) {
      Tensor t(ElementType::kF32, cshape);
      std::memcpy(t.data(), values.data(), t.byte_size());
      return g.add_constant(name, std::move(t));
    };
    if (k.scale) {
      Node* m = g.add(OpKind::kMultiply, "bn_scale");
      m->inputs = {v, {constant(scale, "scale"), 0}};
      infer_node(*m);
      v = {m, 0};
    }
    if (k.shift) {
      Node* a = g.add(OpKind::kAdd, "bn_shift");
      a->inputs = {v, {constant(shift, "shift"), 0}};
      infer_node(*a);
      v = {a, 0};
    }
    if (k.relu) {
      Node* r = g.add(OpKind::kRelu, "relu");
      r->inputs = {v};
      infer_node(*r);
      v = {r, 0};
    }
    auto plain = std::make_shared<ActivationQuantize>();
    plain->quant = q;
    plain->channels_last = k.channels_last;
    if (k.per_channel) plain->channel_quant = per_channel;
    Node* unfolded = g.add(OpKind::kQuantizeActivation, "unfolded");
    unfolded->inputs = {v};
    unfolded->payload = plain;
    infer_node(*unfolded);
    Node* result = g.add(OpKind::kResult, "out");
    result->inputs = {{unfolded, 0}};
    g.results = {result};
    // The folded node.
    auto folded = std::make_shared<ActivationQuantize>(*plain);
    if (k.scale) folded->pre_scale = scale;
    if (k.shift) folded->pre_shift = shift;
    folded->pre_relu = k.relu;
    Node* n = g.add(OpKind::kQuantizeActivation, "folded");
    n->inputs = {{x, 0}};
    n->payload = folded;
    infer_node(*n);
    // Inputs: random, specials, and values whose affine result is a level boundary of q.
    Tensor xt(ElementType::kF32, k.shape);
    for (int64_t i = 0; i < xt.element_count(); ++i) {
      const size_t c = static_cast<size_t>((i / plane) % channels);
      float e = std::uniform_real_distribution<float>(-3.0f, 3.0f)(rng);
      if (i % 13 == 0) e = specials[(i / 13) % 7];
      if (i % 13 == 5 && k.scale) {  // x * s + t = low + (j + 0.5) * step, solved in double
        const double step = (double(q.in_high) - q.in_low) / 255.0;
        const double target = q.in_low + (std::uniform_int_distribution<int>(0, 254)(rng) + 0.5) * step;
        e = static_cast<float>((target - (k.shift ? shift[c] : 0.0)) / scale[c]);
        ++boundaries;
      }
      xt.data_as<float>()[i] = e;
    }
    const Tensor expected = run_reference(g, {{"x", xt}}).at("out");
    const Tensor ref = evaluate_reference(*n, {&xt}).at(0);
    auto kernel = cpu->compile(*n);
    EXPECT_NE(kernel->impl_name().find("+prologue"), std::string::npos) << kernel->impl_name();
    auto ctx = cpu->create_context();
    Tensor y(ElementType::kI8, n->outputs[0].shape);
    std::memset(y.data(), 0x5A, y.byte_size());
    kernel->enqueue(*ctx, {{xt.data(), xt.byte_size()}}, {{y.data(), y.byte_size()}});
    ASSERT_EQ(expected.shape(), y.shape()) << to_string(k.shape);
    EXPECT_EQ(std::memcmp(expected.data(), ref.data(), y.byte_size()), 0)
        << "reference, " << to_string(k.shape);
    int bad = 0;
    for (int64_t i = 0; i < y.element_count() && bad < 5; ++i)
      if (y.data_as<int8_t>()[i] != expected.data_as<int8_t>()[i]) {
        ++bad;
        ADD_FAILURE() << to_string(k.shape) << " code[" << i << "] = " << int{y.data_as<int8_t>()[i]}
                      << ", unfolded graph " << int{expected.data_as<int8_t>()[i]};
      }
  }
  EXPECT_GT(boundaries, 100);
}

// Grids at the ends of the float range: subnormal and tiny ranges, where top / range overflows and
// the kernel must take the division (before it did, codes came out 127 where the reference gives
// -77), and a huge one: values spread over the range and beyond, bit for bit against the reference
// evaluator.
TEST(QuantizeActivationCpu, RangesOutsideTheReciprocalsProofTakeTheDivision) {
  struct Grid {
    float low, high;
  };
  auto cpu = make_onednn_backend(BackendOptions{});
  std::mt19937 rng(31);
  for (const Grid& r : {Grid{0.0f, 1e-39f}, Grid{-2e-39f, 3e-39f}, Grid{-1e38f, 2e38f}, Grid{0.0f, 6e-38f}}) {
    const Dims shape = {1, 20, 7, 9};
    Graph g;
    Node* x = g.add(OpKind::kParameter, "x");
    x->outputs = {Value{ElementType::kF32, shape, {"x"}, false, {}}};
    g.parameters = {x};
    auto p = std::make_shared<ActivationQuantize>();
    p->channels_last = true;
    p->quant = grid(r.low, r.high);
    Node* n = g.add(OpKind::kQuantizeActivation, "qa");
    n->inputs = {{x, 0}};
    n->payload = p;
    infer_node(*n);
    Tensor xt(ElementType::kF32, shape);
    for (int64_t i = 0; i < xt.element_count(); ++i) {
      const float t = std::uniform_real_distribution<float>(-0.2f, 1.2f)(rng);
      xt.data_as<float>()[i] = r.low + t * (r.high / 2 - r.low / 2) * 2;  // halves: no overflow
    }
    const Tensor ref = evaluate_reference(*n, {&xt}).at(0);
    int middle = 0;  // levels strictly inside: the range is really used
    for (int64_t i = 0; i < ref.element_count(); ++i)
      middle += ref.data_as<int8_t>()[i] > -128 && ref.data_as<int8_t>()[i] < 127;
    EXPECT_GT(middle, ref.element_count() / 2) << r.low << ".." << r.high;
    auto kernel = cpu->compile(*n);
    auto ctx = cpu->create_context();
    Tensor y(ElementType::kI8, n->outputs[0].shape);
    kernel->enqueue(*ctx, {{xt.data(), xt.byte_size()}}, {{y.data(), y.byte_size()}});
    int bad = 0;
    for (int64_t i = 0; i < y.element_count() && bad < 5; ++i)
      if (y.data_as<int8_t>()[i] != ref.data_as<int8_t>()[i]) {
        ++bad;
        ADD_FAILURE() << r.low << ".." << r.high << " code[" << i << "] = " << int{y.data_as<int8_t>()[i]}
                      << ", reference " << int{ref.data_as<int8_t>()[i]};
      }
  }
}

}  // namespace
}  // namespace octet
