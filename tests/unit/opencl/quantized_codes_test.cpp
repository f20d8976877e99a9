// The OpenCL int8 kernels' code paths (QuantizeOptions::emit_codes and fuse_across_fake_quantize):
// every implementation writing channels-last i8 codes from its epilogue, reading the residual
// addend as codes, and running constant scales and FakeQuantize inside the post-op chain, checked
// byte for byte against the integer reference host/reference/quantized_linear.cpp.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "host/graph/quantized_linear.h"
#include "host/reference/quantized_linear.h"
#include "tests/unit/opencl/ocl_test_util.h"
#include "tests/unit/opencl/quantized_cases.h"

namespace octet {
namespace {

using namespace qtest;  // NOLINT: the shared quantized test cases

ActivationQuant grid(float low, float high, int levels = 256) {
  ActivationQuant q;
  q.levels = levels;
  q.in_low = q.out_low = low;
  q.in_high = q.out_high = high;
  q.scale = (high - low) / static_cast<float>(levels - 1);
  q.zero_point = static_cast<int32_t>(std::nearbyint(-low / q.scale));
  return q;
}

enum class Tail {
  kCodes,      // output FakeQuantize, codes of its grid
  kNncf,       // per-channel scale, FakeQuantize, residual addend as codes, Relu, FakeQuantize -> codes
  kOtherGrid,  // one scale, float residual, Clamp, no output FakeQuantize; codes of another quantization
};

const char* tail_name(Tail t) {
  return t == Tail::kCodes ? "codes" : t == Tail::kNncf ? "nncf tail" : "other grid";
}

// Turns `c` (made with a float residual input when `tail` has one) into a node writing codes.
void make_codes_case(QCase& c, Tail tail, std::mt19937& rng) {
  auto q = std::make_shared<QuantizedLinear>(quantized_params(*c.node));
  const bool conv = q->base_op != OpKind::kMatMul;
  const int64_t channels = q->weights.output_channels;
  std::uniform_real_distribution<float> scale(0.5f, 1.5f);
  if (tail == Tail::kCodes) {
    q->output = grid(-2.0f, 2.0f);
    q->output_codes = grid(-2.0f, 2.0f);
  } else if (tail == Tail::kNncf) {
    PostOp s;
    s.kind = PostOp::Kind::kScale;
    for (int64_t o = 0; o < channels; ++o) s.values.push_back(scale(rng));
    PostOp f;
    f.kind = PostOp::Kind::kFakeQuantize;
    f.quant = grid(-1.0f, 1.0f, 255);
    PostOp add;
    add.kind = PostOp::Kind::kResidualAdd;
    if (conv) add.residual_codes = grid(-0.75f, 1.25f);
    q->post_ops = {s, f, add, activation(PostOpCode::kRelu)};
    q->output = grid(0.0f, 2.0f);
    q->output_codes = grid(0.0f, 2.0f);
  } else {
    PostOp s;
    s.kind = PostOp::Kind::kScale;
    s.values = {0.75f};
    PostOp add;
    add.kind = PostOp::Kind::kResidualAdd;
    q->post_ops = {s, add, activation(PostOpCode::kClamp, -1.0f, 1.5f)};
    q->output_codes = grid(-1.25f, 1.75f);
  }
  c.node->payload = q;
  Value& out = c.node->outputs[0];
  out.type = ElementType::kI8;
  if (conv) out.shape = channels_last_shape(out.shape);
  for (const PostOp& op : q->post_ops)
    if (op.residual_codes) {  // input 1: channels-last codes of the addend's grid
      Node* res = c.node->inputs.at(1).node;
      res->outputs[0].type = ElementType::kI8;
      res->outputs[0].shape = channels_last_shape(res->outputs[0].shape);
      c.inputs.at(1) = random_codes(res->outputs[0].shape, rng);
    }
  infer_node(*c.node);
  c.what += std::string(" ") + tail_name(tail);
}

// The implementation a kernel name shows (ChosenKernel's name starts with the chosen kernel's).
std::string implementation_of(const std::string& impl) {
  const std::string name = impl.substr(0, impl.find(' '));
  for (const char* n : {"mma", "gemv_rows", "tiled", "lanes", "gemv", "gemm", "depthwise", "direct"})
    if (name.find(n) != std::string::npos) return n;
  return name;
}

void expect_same_codes(OpenClBackend& backend, QCase& c, std::set<std::string>* used) {
  Result r = run(backend, c);
  if (r.got.empty()) return;
  used->insert(implementation_of(r.impl));
  ASSERT_EQ(r.got[0].type(), ElementType::kI8) << c.what;
  ASSERT_EQ(r.got[0].byte_size(), r.ref[0].byte_size()) << c.what;
  const int8_t* ref = r.ref[0].data_as<int8_t>();
  const int8_t* got = r.got[0].data_as<int8_t>();
  int bad = 0;
  for (int64_t i = 0; i < r.ref[0].element_count() && bad < 5; ++i)
    if (ref[i] != got[i]) {
      ++bad;
      ADD_FAILURE() << c.what << " (" << r.impl << "): code[" << i << "] = " << int{got[i]} << ", reference "
                    << int{ref[i]};
    }
}

TEST(OpenClQuantizedCodes, EveryImplementationWritesTheReferenceCodes) {
  OCTET_REQUIRE_OPENCL(backend);
  const std::vector<ConvSpec> convs = {
      {{1, 6, 6, 16}, 1, 20, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},  // 0: 3x3
      {{1, 2, 2, 16}, 1, 12, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},  // 1: pointwise, 4 pixels
      {{2, 3, 5, 24}, 1, 17, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},  // 2: pointwise
      {{1, 5, 6, 32}, 32, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},  // 3: depthwise, 16-channel blocks
      {{1, 5, 5, 12}, 12, 1, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}},  // 4: depthwise, C % 16 != 0
      {{1, 9, 10}, 1, 6, {3}, {1}, {1}, {1}, {1}},                     // 5: 1-D
  };
  // Each implementation forced on the shapes it takes (a few cases each keeps the test cheap).
  struct Plan {
    const char* impl;
    std::vector<int> convs;
    std::vector<Dims> matmuls;
    bool weight_only;  // also a float-activation case (the A_FLOAT kernels)
  };
  const std::vector<Plan> plans = {
      {"gemv_rows", {1}, {{3, 40}}, false}, {"tiled", {0, 2}, {{2, 9, 36}}, false},
      {"lanes", {0, 3}, {}, false},         {"gemv", {1}, {{3, 40}}, false},
      {"gemm", {2}, {{2, 9, 36}}, true},    {"direct", {0, 3, 4, 5}, {}, true},
      {"mma", {}, {{5, 64}}, false},  // emulated tensor-core instruction (quantized_mma_test.cpp)
  };
  std::set<std::string> used;
  uint32_t seed = 7100;
  for (const Plan& plan : plans) {
    const test::ScopedEnv force("OCTET_QIMPL", plan.impl);
    const test::ScopedEnv emulate("OCTET_MMA_EMULATE", std::string(plan.impl) == "mma" ? "1" : nullptr);
    for (Tail tail : {Tail::kCodes, Tail::kNncf, Tail::kOtherGrid}) {
      // Plain codes (no chain) is a subset of the other tails' code path: two implementations
      // suffice (each case is a program build on a cold cache).
      if (tail == Tail::kCodes && std::string(plan.impl) != "lanes" && std::string(plan.impl) != "gemm")
        continue;
      for (int i : plan.convs) {
        Spec s;
        s.wtype = ElementType::kI8;  // weight kinds are the other tests' subject: fewer programs
        s.asym = i == 2;
        s.act_zp = seed % 2 ? 128 : 90;
        s.bias = true;
        if (tail != Tail::kCodes) s.post = {residual()};
        std::mt19937 rng(seed);
        QCase c = conv_case(s, convs[static_cast<size_t>(i)], seed++);
        make_codes_case(c, tail, rng);
        c.what += std::string(" forced ") + plan.impl;
        expect_same_codes(*backend, c, &used);
      }
      for (const Dims& x : plan.matmuls) {
        Spec s;
        s.wtype = x.size() == 3 ? ElementType::kI4 : ElementType::kU8;
        s.group = s.wtype == ElementType::kI4 ? 12 : 0;
        s.asym = x.size() == 3;
        s.bias = seed % 2 == 0;
        if (tail != Tail::kCodes) s.post = {residual()};
        std::mt19937 rng(seed);
        QCase c = matmul_case(s, x, 24, seed++);
        make_codes_case(c, tail, rng);
        c.what += std::string(" forced ") + plan.impl;
        expect_same_codes(*backend, c, &used);
      }
      if (plan.weight_only) {  // f32 activations: codes of the float-sum result
        Spec s;
        s.int_act = false;
        s.bias = true;
        s.unit_scales = false;
        if (tail != Tail::kCodes) s.post = {residual()};
        std::mt19937 rng(seed);
        QCase c = plan.convs.empty() || std::string(plan.impl) == "gemm" ? matmul_case(s, {2, 20}, 12, seed++)
                                                                         : conv_case(s, convs[0], seed++);
        make_codes_case(c, tail, rng);
        c.what += std::string(" weight-only forced ") + plan.impl;
        expect_same_codes(*backend, c, &used);
      }
    }
  }
  for (const char* impl : {"mma", "gemv_rows", "tiled", "lanes", "gemv", "gemm", "depthwise", "direct"})
    EXPECT_TRUE(used.count(impl)) << impl << " never ran";
}

}  // namespace
}  // namespace octet
