// The CPU QuantizeActivation kernel writing channels-last codes of tensors with few channels (image
// inputs: 1-15 channels take byte shuffles of 16-pixel blocks) against the reference evaluator, bit
// for bit, over planes that are not multiples of 16 or of the kernel's 64-pixel blocks.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>

#include "host/graph/quantized_linear.h"
#include "host/reference/evaluate.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

TEST(QuantizeActivationCpu, FewChannelsChannelsLastEqualTheReference) {
  std::mt19937 rng(17);
  auto cpu = make_onednn_backend(BackendOptions{});
  for (int64_t channels : {1, 2, 3, 4, 5, 8, 15, 16, 17}) {
    for (const Dims& spatial : {Dims{37, 41}, Dims{4, 4}, Dims{1, 13}, Dims{64, 64}}) {
      const Dims shape = {2, channels, spatial[0], spatial[1]};
      Graph g;
      Node* x = g.add(OpKind::kParameter, "x");
      x->outputs = {Value{ElementType::kF32, shape, {"x"}, false, {}}};
      g.parameters.push_back(x);
      auto p = std::make_shared<ActivationQuantize>();
      p->channels_last = true;
      p->quant.levels = 256;
      p->quant.in_low = p->quant.out_low = -1.0f;
      p->quant.in_high = p->quant.out_high = 1.5f;
      Node* n = g.add(OpKind::kQuantizeActivation, "qa");
      n->inputs = {{x, 0}};
      n->payload = p;
      infer_node(*n);
      Tensor xt(ElementType::kF32, shape);
      for (int64_t i = 0; i < xt.element_count(); ++i)
        xt.data_as<float>()[i] = std::uniform_real_distribution<float>(-1.2f, 1.7f)(rng);
      auto kernel = cpu->compile(*n);
      auto ctx = cpu->create_context();
      Tensor y(ElementType::kI8, n->outputs[0].shape);
      std::memset(y.data(), 0x5A, y.byte_size());
      kernel->enqueue(*ctx, {{xt.data(), xt.byte_size()}}, {{y.data(), y.byte_size()}});
      const Tensor ref = evaluate_reference(*n, {&xt}).at(0);
      ASSERT_EQ(ref.shape(), y.shape());
      EXPECT_EQ(std::memcmp(ref.data(), y.data(), y.byte_size()), 0)
          << channels << " channels, plane " << to_string(spatial);
    }
  }
}

}  // namespace
}  // namespace octet
