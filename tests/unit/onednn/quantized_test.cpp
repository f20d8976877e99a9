// The CPU backend's fast int8 kernels against the integer reference (host/reference/quantized_linear):
// QuantizedMatMul and QuantizedConvolution on random shapes, asymmetric zero points, padding,
// strides, dilations, groups and depthwise, i8/u8/i4/u4 weights with per-channel or group-wise
// scales, fused bias/activations/constant scales/FakeQuantize inside the chain/residual/output
// FakeQuantize; and QuantizeActivation. The
// accumulators are exact integers and the epilogue follows the reference's float order, so every
// output must be bit-identical.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <dnnl.hpp>
#include <map>
#include <random>

#include "host/graph/quantized_linear.h"
#include "host/reference/evaluate.h"
#include "host/reference/quantized_linear.h"
#include "runtime/onednn/fast_gelu.h"
#include "runtime/onednn/onednn_backend.h"
#include "runtime/onednn/vnni_1x1.h"
#include "runtime/onednn/vnni_pixels.h"

namespace octet {
namespace {

using Rng = std::mt19937;

int64_t uniform(Rng& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}
float uniform_f(Rng& rng, float lo, float hi) {
  return std::uniform_real_distribution<float>(lo, hi)(rng);
}

// A random weight tensor of `type` and shape, element e at flat position e (4-bit packed).
Tensor random_codes(Rng& rng, ElementType type, const Dims& shape) {
  Tensor t(type, shape);
  const int64_t n = t.element_count();
  auto* bytes = t.data_as<uint8_t>();
  for (int64_t e = 0; e < n; ++e) {
    switch (type) {
      case ElementType::kI8: t.data_as<int8_t>()[e] = static_cast<int8_t>(uniform(rng, -128, 127)); break;
      case ElementType::kU8: bytes[e] = static_cast<uint8_t>(uniform(rng, 0, 255)); break;
      case ElementType::kI4:
      case ElementType::kU4: {
        const uint8_t nibble = static_cast<uint8_t>(uniform(rng, 0, 15));
        uint8_t& b = bytes[e / 2];
        b = e % 2 ? static_cast<uint8_t>((b & 0x0F) | (nibble << 4))
                  : static_cast<uint8_t>((b & 0xF0) | nibble);
        break;
      }
      default: ADD_FAILURE() << "weight type";
    }
  }
  return t;
}

ActivationQuant random_input_quant(Rng& rng) {
  ActivationQuant q;
  q.levels = 256;
  q.zero_point = static_cast<int32_t>(uniform(rng, 0, 4) == 0 ? 128 : uniform(rng, 0, 255));
  q.scale = uniform_f(rng, 0.001f, 0.05f);
  q.out_low = -q.zero_point * q.scale;
  q.out_high = (255 - q.zero_point) * q.scale;
  q.in_low = q.out_low;
  q.in_high = q.out_high;
  return q;
}

// Fills the payload's weights/bias/post-ops at random; `reduction` per output channel.
void random_payload(Rng& rng, QuantizedLinear& q, ElementType wtype, const Dims& wshape, int64_t outputs,
                    int64_t reduction, int64_t group_size, bool residual) {
  QuantizedWeights& w = q.weights;
  w.type = wtype;
  w.codes = random_codes(rng, wtype, wshape);
  w.output_channels = outputs;
  w.reduction = reduction;
  w.group_size = group_size;
  const int64_t slots = outputs * (group_size ? reduction / group_size : 1);
  for (int64_t i = 0; i < slots; ++i) w.scale.push_back(uniform_f(rng, 0.001f, 0.1f));
  const bool unsigned_codes = wtype == ElementType::kU8 || wtype == ElementType::kU4;
  if (unsigned_codes || uniform(rng, 0, 2) == 0) {
    const int64_t hi = wtype == ElementType::kU8 ? 255 : wtype == ElementType::kU4 ? 15 : 3;
    const int64_t lo = unsigned_codes ? 0 : -3;
    for (int64_t i = 0; i < slots; ++i) w.zero_point.push_back(static_cast<int32_t>(uniform(rng, lo, hi)));
  }
  if (uniform(rng, 0, 1))
    for (int64_t o = 0; o < outputs; ++o) q.bias.push_back(uniform_f(rng, -1, 1));
  const int64_t ops = uniform(rng, 0, 3);
  for (int64_t i = 0; i < ops; ++i) {
    PostOp p;
    switch (uniform(rng, 0, 7)) {
      case 0: p.activation = PostOpCode::kRelu; break;
      case 1:
        p.activation = PostOpCode::kClamp;
        p.alpha = -0.5f;
        p.beta = 0.75f;
        break;
      case 2: p.activation = PostOpCode::kSigmoid; break;
      case 3: p.activation = PostOpCode::kGeluErf; break;
      case 4: p.activation = PostOpCode::kGeluTanh; break;
      case 5: p.activation = PostOpCode::kHSwish; break;
      case 6:  // a constant Multiply: per channel or one value
        p.kind = PostOp::Kind::kScale;
        p.values.resize(uniform(rng, 0, 1) ? static_cast<size_t>(outputs) : 1);
        for (float& v : p.values) v = uniform_f(rng, -2, 2);
        break;
      default:  // a FakeQuantize inside the chain, zero off the grid and a coarse 16 levels
        p.kind = PostOp::Kind::kFakeQuantize;
        p.quant.levels = 16;
        p.quant.in_low = -0.7f;
        p.quant.in_high = 0.9f;
        p.quant.out_low = -0.6f;
        p.quant.out_high = 1.1f;
        break;
    }
    q.post_ops.push_back(p);
  }
  if (residual) {
    PostOp p;
    p.kind = PostOp::Kind::kResidualAdd;
    q.post_ops.insert(q.post_ops.begin() + uniform(rng, 0, static_cast<int64_t>(q.post_ops.size())), p);
  }
  if (uniform(rng, 0, 2) == 0) {
    ActivationQuant out;
    out.levels = 256;
    out.in_low = out.out_low = -1.0f;
    out.in_high = out.out_high = 1.0f;
    q.output = out;
  }
}

struct Built {
  Graph g;
  Node* node = nullptr;
  std::vector<Tensor> inputs;
};

// Graph: Parameter(s) -> quantized node, with random input data.
Built build(Rng& rng, OpKind op, std::shared_ptr<QuantizedLinear> q, const Dims& input_shape,
            const Dims& output_shape, bool int_input, bool residual) {
  Built b;
  Node* x = b.g.add(OpKind::kParameter, "x");
  x->outputs = {Value{int_input ? ElementType::kI8 : ElementType::kF32, input_shape, {"x"}, false, {}}};
  b.g.parameters.push_back(x);
  Tensor xt(x->outputs[0].type, input_shape);
  for (int64_t i = 0; i < xt.element_count(); ++i) {
    if (int_input) {
      xt.data_as<int8_t>()[i] = static_cast<int8_t>(uniform(rng, -128, 127));
    } else {
      xt.data_as<float>()[i] = uniform_f(rng, -2, 2);
    }
  }
  b.inputs.push_back(std::move(xt));
  Node* n = b.g.add(op, "q");
  n->inputs = {{x, 0}};
  if (residual) {
    Node* r = b.g.add(OpKind::kParameter, "r");
    r->outputs = {Value{ElementType::kF32, output_shape, {"r"}, false, {}}};
    b.g.parameters.push_back(r);
    n->inputs.push_back({r, 0});
    Tensor rt(ElementType::kF32, output_shape);
    for (int64_t i = 0; i < rt.element_count(); ++i) rt.data_as<float>()[i] = uniform_f(rng, -1, 1);
    b.inputs.push_back(std::move(rt));
  }
  n->outputs = {Value{ElementType::kF32, output_shape, {"y"}, false, {}}};
  n->payload = q;
  b.node = n;
  return b;
}

// Makes `b`'s residual addend random channels-last i8 codes and its output codes, both of
// `codes_shape` (a ResNet tail reading and writing codes).
void use_residual_and_output_codes(Built& b, Rng& rng, const Dims& codes_shape) {
  Tensor codes(ElementType::kI8, codes_shape);
  for (int64_t i = 0; i < codes.element_count(); ++i)
    codes.data_as<int8_t>()[i] = static_cast<int8_t>(uniform(rng, -128, 127));
  b.inputs[1] = std::move(codes);
  b.g.parameters[1]->outputs[0] = Value{ElementType::kI8, codes_shape, {"r"}, false, {}};
  b.node->outputs[0] = Value{ElementType::kI8, codes_shape, {"y"}, false, {}};
}

// Implementation-name prefixes (up to the first ':') that check() ran, to prove which paths the
// random cases covered.
std::map<std::string, int> g_impls;
int g_codes_cases = 0;  // random convolution cases that wrote output codes

// True when the payload applies an erf-form Gelu, the one step Precision::kFast computes with a
// different (vectorised) erf than the reference.
bool has_erf_gelu(const Node& node) {
  for (const PostOp& p : quantized_params(node).post_ops)
    if (p.kind == PostOp::Kind::kActivation && p.activation == PostOpCode::kGeluErf) return true;
  return false;
}

// How far fast precision may put an output whose chain has an erf Gelu: the Gelu itself may be
// off by 1e-6 + 4e-6 |value| (oneDNN's float erf over a whole QuantizedMatMul output, measured
// within 4.8e-7 absolute, as OpenVINO's CPU plugin computes it; libmvec's double erf elsewhere, far
// closer), carried through the later steps (a scale multiplies it, another activation at most
// 1.5x), and a FakeQuantize after the Gelu may then land one step away.
double gelu_tolerance_of(const QuantizedLinear& q, float value) {
  double growth = 1, steps = 0;
  bool after = false;
  for (const PostOp& p : q.post_ops) {
    if (!after) {
      after = p.kind == PostOp::Kind::kActivation && p.activation == PostOpCode::kGeluErf;
      continue;
    }
    if (p.kind == PostOp::Kind::kScale)
      for (float v : p.values) growth *= std::max(1.0, std::fabs(double{v}));
    if (p.kind == PostOp::Kind::kActivation) growth *= 1.5;
    if (p.kind == PostOp::Kind::kFakeQuantize)
      steps += std::fabs(p.quant.out_high - p.quant.out_low) / (p.quant.levels - 1) * growth;
  }
  if (q.output) steps += std::fabs(q.output->out_high - q.output->out_low) / (q.output->levels - 1);
  return (1e-6 + 4e-6 * std::fabs(value)) * growth * 2 + steps;
}

// Runs the node on the CPU backend in `precision` and checks every output bit against the integer
// reference; in fast precision a chain with an erf Gelu gets gelu_tolerance_of.
// run_threads > 0: the kernel compiled on the current OpenMP thread count runs its requests on
// that many threads (a context made on another team size than the compiled one).
// `reference`: the reference's output when the caller already has it (it costs more than the kernel).
void check_precision(const Built& b, const std::string& what, bool exact, Precision precision,
                     const std::string& expected_impl, int run_threads = 0,
                     const Tensor* reference = nullptr) {
  BackendOptions options;
  options.precision = precision;
  auto cpu = make_onednn_backend(options);
  auto kernel = cpu->compile(*b.node);
  const int compiled_threads = omp_get_max_threads();
  if (run_threads > 0) omp_set_num_threads(run_threads);
  struct RestoreThreads {
    int threads;
    ~RestoreThreads() { omp_set_num_threads(threads); }
  } restore_threads{compiled_threads};
  if (!expected_impl.empty()) {
    EXPECT_EQ(kernel->impl_name().rfind(expected_impl, 0), 0u) << what << ": impl " << kernel->impl_name();
  }
  if (precision == Precision::kFast) ++g_impls[kernel->impl_name().substr(0, kernel->impl_name().find(':'))];
  auto ctx = cpu->create_context();
  std::vector<BufferView> in;
  std::vector<const Tensor*> args;
  for (const Tensor& t : b.inputs) {
    in.push_back({const_cast<void*>(t.data()), t.byte_size()});
    args.push_back(&t);
  }
  Tensor y(b.node->outputs[0].type, b.node->outputs[0].shape);
  std::memset(y.data(), 0xFF, y.byte_size());  // NaN poison
  for (int run = 0; run < 2; ++run) kernel->enqueue(*ctx, in, {{y.data(), y.byte_size()}});
  Tensor computed;
  if (!reference) computed = evaluate_quantized_linear(*b.node, args).at(0);
  const Tensor& ref = reference ? *reference : computed;
  const bool gelu_tolerance = exact && precision == Precision::kFast && has_erf_gelu(*b.node);
  int64_t bad = 0;
  double worst = 0;
  if (y.type() == ElementType::kI8) {  // codes (output_codes): equal, or one level apart under Gelu's bound
    ASSERT_EQ(ref.shape(), y.shape()) << what;
    for (int64_t i = 0; i < y.element_count(); ++i) {
      const int a = y.data_as<int8_t>()[i], r = ref.data_as<int8_t>()[i];
      if (std::abs(a - r) > (gelu_tolerance ? 1 : exact ? 0 : 1) && bad++ < 3)
        ADD_FAILURE() << what << " [" << kernel->impl_name() << "] code " << i << ": " << a
                      << " vs reference " << r;
    }
    EXPECT_EQ(bad, 0) << what << ": " << bad << " of " << y.element_count() << " codes differ";
    return;
  }
  for (int64_t i = 0; i < y.element_count(); ++i) {
    const float a = y.data_as<float>()[i], r = ref.data_as<float>()[i];
    const double d = std::fabs(double{a} - r);
    worst = std::max(worst, d);
    const bool ok = gelu_tolerance ? d <= gelu_tolerance_of(quantized_params(*b.node), r)
                    : exact        ? std::memcmp(&a, &r, sizeof a) == 0
                                   : d <= 1e-5 + 1e-5 * std::fabs(r);
    if (!ok && bad++ < 3) {
      ADD_FAILURE() << what << " [" << kernel->impl_name() << "] element " << i << ": " << a
                    << " vs reference " << r;
    }
  }
  EXPECT_EQ(bad, 0) << what << ": " << bad << " of " << y.element_count() << " differ, max|diff| " << worst;
}

// Both precisions: reference precision is bit-exact everywhere (when `exact`).
// Returns the reference's output.
Tensor check(const Built& b, const std::string& what, bool exact, const std::string& expected_impl = "") {
  std::vector<const Tensor*> args;
  for (const Tensor& t : b.inputs) args.push_back(&t);
  Tensor ref = evaluate_quantized_linear(*b.node, args).at(0);
  check_precision(b, what, exact, Precision::kFast, expected_impl, 0, &ref);
  check_precision(b, what + " (reference precision)", exact, Precision::kReference, expected_impl, 0, &ref);
  return ref;
}

TEST(QuantizedMatMulCpu, RandomCasesEqualTheIntegerReferenceBitForBit) {
  Rng rng(1234);
  g_impls.clear();
  g_codes_cases = 0;
  const ElementType types[] = {ElementType::kI8, ElementType::kU8, ElementType::kI4, ElementType::kU4};
  for (int trial = 0; trial < 48; ++trial) {
    const ElementType wtype = types[trial % 4];
    const bool int_input = trial % 8 != 7;
    const int64_t k = 16 * uniform(rng, 1, 6) + (wtype == ElementType::kI8 ? uniform(rng, 0, 15) : 0);
    const int64_t n = uniform(rng, 1, 40), rows = uniform(rng, 1, 9);
    const int64_t group = (trial / 4) % 3 == 1 && k % 16 == 0 ? 16 : 0;
    const bool residual = uniform(rng, 0, 2) == 0;
    auto q = std::make_shared<QuantizedLinear>();
    q->base_op = OpKind::kMatMul;
    if (int_input) q->input = random_input_quant(rng);
    random_payload(rng, *q, wtype, {n, k}, n, k, group, residual);
    const Dims in = uniform(rng, 0, 1) ? Dims{rows, k} : Dims{1, rows, k};
    Dims out = in;
    out.back() = n;
    Built b = build(rng, OpKind::kQuantizedMatMul, q, in, out, int_input, residual);
    std::string codes;
    if (trial % 3 == 0) {
      // Plain-layout codes (output_codes), as the pass makes when the consumers all take codes: of
      // the output grid when there is one, else of an unrelated 0.01 grid (quantized from floats).
      ActivationQuant grid;
      grid.in_low = grid.out_low = -1.28f;
      grid.in_high = grid.out_high = 1.27f;
      if (q->output) {
        grid = *q->output;
        grid.in_low = grid.out_low;
        grid.in_high = grid.out_high;
      }
      q->output_codes = grid;
      b.node->outputs[0] = Value{ElementType::kI8, out, {"y"}, false, {}};
      codes = q->output ? " codes of its grid" : " codes of another grid";
      ++g_codes_cases;
    }
    check(b,
          "matmul trial " + std::to_string(trial) + " " + element_type_name(wtype) + " K=" +
              std::to_string(k) + " N=" + std::to_string(n) + " group=" + std::to_string(group) + codes,
          int_input);
  }
  for (const auto& [impl, count] : g_impls)
    std::printf("[quantized matmul] %-20s %d cases\n", impl.c_str(), count);
  EXPECT_GT(g_impls["onednn_s8"], 0);
  EXPECT_GT(g_impls["cpu_int8_loops"], 0);
  EXPECT_GT(g_impls["onednn_f32_dequant"], 0);
  EXPECT_GT(g_codes_cases, 10);
}

TEST(QuantizedMatMulCpu, PlainInt8UsesOneDnnAndReturnsTheAccumulators) {
  // Unit scales: the output is the exact integer accumulator, so this also checks the zero-point
  // correction (asymmetric activations, zero point 37) against the reference's accumulators.
  Rng rng(5);
  auto q = std::make_shared<QuantizedLinear>();
  q->base_op = OpKind::kMatMul;
  ActivationQuant in;
  in.zero_point = 37;
  in.scale = 1;
  q->input = in;
  q->weights.type = ElementType::kI8;
  q->weights.codes = random_codes(rng, ElementType::kI8, {24, 64});
  q->weights.output_channels = 24;
  q->weights.reduction = 64;
  q->weights.scale.assign(24, 1.0f);
  Built b = build(rng, OpKind::kQuantizedMatMul, q, {5, 64}, {5, 24}, true, false);
  check(b, "plain int8 matmul", true, "onednn_s8");
  std::vector<int64_t> acc;
  const Tensor ref = evaluate_quantized_linear(*b.node, {&b.inputs[0]}, &acc).at(0);
  for (size_t i = 0; i < acc.size(); ++i) ASSERT_EQ(ref.data_as<float>()[i], static_cast<float>(acc[i]));
  int64_t nonzero = 0;
  for (int64_t a : acc) nonzero += a != 0;
  EXPECT_GT(nonzero, static_cast<int64_t>(acc.size()) / 2)
      << "a test of mostly zero accumulators proves little";
}

// Outputs above kParallelElements: the epilogue's rows and tiles are shared among OpenMP threads
// (oneDNN's count, the machine's cores by default), and must still match bit for bit.
TEST(QuantizedLinearCpu, LargeCasesSplitAcrossThreadsEqualTheReference) {
  Rng rng(2024);
  for (int trial = 0; trial < 4; ++trial) {
    const bool residual = trial % 2 == 1;
    {
      auto q = std::make_shared<QuantizedLinear>();
      q->base_op = OpKind::kMatMul;
      q->input = random_input_quant(rng);
      random_payload(rng, *q, ElementType::kI8, {600, 48}, 600, 48, 0, residual);
      q->weights.zero_point.clear();  // centred codes stay int8: the oneDNN path
      Built b = build(rng, OpKind::kQuantizedMatMul, q, {500, 48}, {500, 600}, true, residual);
      check(b, "large matmul trial " + std::to_string(trial), true, "onednn_s8");
      // The same node writing plain codes of its output grid (rows split across threads).
      ActivationQuant grid;
      grid.in_low = grid.out_low = -2.56f;
      grid.in_high = grid.out_high = 2.54f;
      q->output = grid;
      q->output_codes = grid;
      b.node->outputs[0] = Value{ElementType::kI8, {500, 600}, {"y"}, false, {}};
      check(b, "large matmul trial " + std::to_string(trial) + " (codes)", true, "onednn_s8");
    }
    {
      auto q = std::make_shared<QuantizedLinear>();
      q->base_op = OpKind::kConvolution;
      q->conv.strides = {1, 1};
      q->conv.dilations = {1, 1};
      q->conv.pads_begin = {1, 1};
      q->conv.pads_end = {1, 1};
      q->input = random_input_quant(rng);
      const int64_t cout = trial < 2 ? 32 : 28;  // 28: the scalar tile store
      random_payload(rng, *q, ElementType::kI8, {cout, 8, 3, 3}, cout, 72, 0, residual);
      q->weights.zero_point.clear();
      Built b =
          build(rng, OpKind::kQuantizedConvolution, q, {1, 97, 101, 8}, {1, cout, 97, 101}, true, residual);
      check(b, "large conv trial " + std::to_string(trial), true, "onednn_s8");
      // The same node writing channels-last codes of a 0.02 grid (output_codes).
      ActivationQuant grid;
      grid.in_low = grid.out_low = -2.56f;
      grid.in_high = grid.out_high = 2.54f;
      q->output = grid;
      q->output_codes = grid;
      b.node->outputs[0] = Value{ElementType::kI8, {1, 97, 101, cout}, {"y"}, false, {}};
      check(b, "large conv trial " + std::to_string(trial) + " (codes)", true, "onednn_s8");
      if (residual) {
        // The residual addend as channels-last codes of a 0.01 grid (PostOp::residual_codes).
        ActivationQuant addend_grid;
        addend_grid.in_low = addend_grid.out_low = -1.28f;
        addend_grid.in_high = addend_grid.out_high = 1.27f;
        for (PostOp& op : q->post_ops)
          if (op.kind == PostOp::Kind::kResidualAdd) op.residual_codes = addend_grid;
        Tensor codes(ElementType::kI8, {1, 97, 101, cout});
        for (int64_t i = 0; i < codes.element_count(); ++i)
          codes.data_as<int8_t>()[i] = static_cast<int8_t>(uniform(rng, -128, 127));
        b.inputs[1] = std::move(codes);
        b.g.parameters[1]->outputs[0] = Value{ElementType::kI8, {1, 97, 101, cout}, {"r"}, false, {}};
        check(b, "large conv trial " + std::to_string(trial) + " (residual codes)", true, "onednn_s8");
        // ResNet's tail exactly (every step of the one-pass chain, codes in and out).
        PostOp scale, inner, add, relu;
        scale.kind = PostOp::Kind::kScale;
        scale.values = {0.5f};
        inner.kind = PostOp::Kind::kFakeQuantize;
        inner.quant = addend_grid;
        add.kind = PostOp::Kind::kResidualAdd;
        add.residual_codes = addend_grid;
        q->post_ops = {scale, inner, add, relu};
        check(b, "large conv trial " + std::to_string(trial) + " (ResNet tail)", true, "onednn_s8");
      }
    }
  }
}

// After check(b) of a float-output convolution: the same convolution writing output codes, then
// ResNet's tail (scale by `scale`, FakeQuantize, residual codes, Relu, output codes) on a new
// residual input, both against the reference. NHWC `in`, NCHW `out`.
void check_codes_and_resnet_tail(Rng& rng, const std::shared_ptr<QuantizedLinear>& q, Built& b,
                                 const Dims& in, const Dims& out, const std::vector<float>& scale,
                                 const std::string& what, const std::string& impl = "onednn_s8") {
  ActivationQuant grid, addend_grid;
  grid.in_low = grid.out_low = -2.56f;
  grid.in_high = grid.out_high = 2.54f;
  addend_grid.in_low = addend_grid.out_low = -1.28f;
  addend_grid.in_high = addend_grid.out_high = 1.27f;
  q->output = grid;
  q->output_codes = grid;
  const Dims codes_shape{out[0], out[2], out[3], out[1]};
  b.node->outputs[0] = Value{ElementType::kI8, codes_shape, {"y"}, false, {}};
  check(b, what + " (codes)", true, impl);
  Built t = build(rng, OpKind::kQuantizedConvolution, q, in, out, true, true);
  PostOp step, inner, add, relu;
  step.kind = PostOp::Kind::kScale;
  step.values = scale;
  inner.kind = PostOp::Kind::kFakeQuantize;
  inner.quant = addend_grid;
  add.kind = PostOp::Kind::kResidualAdd;
  add.residual_codes = addend_grid;
  q->post_ops = {step, inner, add, relu};
  use_residual_and_output_codes(t, rng, codes_shape);
  check(t, what + " (ResNet tail)", true, impl);
}

// The implementation a convolution with integer activations (square kernel, no dilation, one image
// size in and out when stride 1) is expected to take: the VNNI loops for small unpadded stride-1
// 1x1 layers (runtime/onednn/vnni_1x1.h) and for "same" stride-1 layers of 8 or 16 outputs
// (vnni_pixels.h) where the CPU has them, oneDNN's s8 primitive otherwise.
std::string s8_conv_impl(int64_t k, int64_t stride, int64_t pad, int64_t cin, int64_t cout, int64_t width) {
  if (k == 1 && stride == 1 && pad == 0 && cpu::vnni_1x1_fits(cin, cout)) return "cpu_vnni_1x1";
  if (k > 1 && stride == 1 && pad == k / 2 && cpu::vnni_pixels_fits(cin, cout, k, k, width))
    return "cpu_vnni_pixels";
  return "onednn_s8";
}

// Convolutions with at least 2^18 outputs run in bands of output rows (":rows" in the
// implementation name) on one thread, the last band shorter: 1x1, 3x3 with stride 2 down the rows
// and padding across the columns only, and 3x3 padded on all sides (the first and last bands with
// their zero rows, ResNet's stem shape); float output, codes, ResNet's tail on residual codes.
TEST(QuantizedConvolutionCpu, RowBandsEqualTheReference) {
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);  // contexts made now run the bands
  struct Restore {
    int threads;
    ~Restore() { omp_set_num_threads(threads); }
  } restore{threads};
  Rng rng(77);
  struct Shape {
    int64_t k, stride, pad, in_h, in_w, out_h, out_w, row_pad;
  };
  for (const Shape& s : {Shape{1, 1, 0, 70, 61, 70, 61, 0}, Shape{3, 2, 1, 141, 61, 70, 61, 0},
                         Shape{3, 1, 1, 70, 61, 70, 61, 1}}) {
    const int64_t cin = 8, cout = 80;  // 80 outputs: oneDNN (the VNNI 1x1 path takes up to 64)
    auto q = std::make_shared<QuantizedLinear>();
    q->base_op = OpKind::kConvolution;
    q->conv.strides = {s.stride, 1};
    q->conv.dilations = {1, 1};
    q->conv.pads_begin = {s.row_pad, s.pad};
    q->conv.pads_end = {s.row_pad, s.pad};
    q->input = random_input_quant(rng);
    random_payload(rng, *q, ElementType::kI8, {cout, cin, s.k, s.k}, cout, cin * s.k * s.k, 0, false);
    q->weights.zero_point.clear();
    const std::string what = "row bands k" + std::to_string(s.k) + " row pad " + std::to_string(s.row_pad);
    Built b = build(rng, OpKind::kQuantizedConvolution, q, {1, s.in_h, s.in_w, cin},
                    {1, cout, s.out_h, s.out_w}, true, false);
    check(b, what, true, "onednn_s8");
    auto cpu = make_onednn_backend(BackendOptions{});
    EXPECT_NE(cpu->compile(*b.node)->impl_name().find(":rows"), std::string::npos) << what;
    std::vector<float> scale{0.5f};  // one value (1x1), one per channel (3x3)
    if (s.k == 3)
      for (int64_t o = 1; o < cout; ++o) scale.push_back(uniform_f(rng, 0.25f, 2.0f));
    check_codes_and_resnet_tail(rng, q, b, {1, s.in_h, s.in_w, cin}, {1, cout, s.out_h, s.out_w}, scale,
                                what);
  }
}

// On a team of threads (the count at compile time), a 2-D s8 convolution runs as one OpenMP region:
// each thread computes its share of every image's output rows band by band with single-threaded
// primitives (the top and bottom bands with their zero rows) and finishes each band itself
// (":team" in the implementation name). Shares of unequal height (7 rows on 2 and 3 threads), row
// padding at both ends and asymmetric, stride 2, dilation, batch 2, the zero-point correction's
// border rows, float output, output codes and ResNet's tail on residual codes. A thread whose
// share would read padding only keeps the whole-layer primitive, as correct. Requests on another
// thread count than the compiled one (1, threads + 1) take the whole-layer primitive, as exact.
TEST(QuantizedConvolutionCpu, TeamBandsEqualTheReference) {
  const int saved = omp_get_max_threads();
  struct Restore {
    int threads;
    ~Restore() { omp_set_num_threads(threads); }
  } restore{saved};
  Rng rng(4242);
  struct Shape {
    int64_t k, stride, dilation, pad_top, pad_bottom, batch, in_h, in_w, cin, cout;
    bool team;  // whether the team plan applies
  };
  const auto out_size = [](int64_t in, int64_t k, int64_t s, int64_t d, int64_t pt, int64_t pb) {
    return (in + pt + pb - (k - 1) * d - 1) / s + 1;
  };
  const Shape shapes[] = {
      {3, 1, 1, 1, 1, 1, 31, 33, 16, 64, true},  {3, 2, 1, 1, 1, 2, 61, 33, 16, 64, true},
      {1, 1, 1, 0, 0, 1, 7, 200, 96, 64, true},  {3, 1, 2, 2, 3, 1, 29, 35, 16, 64, true},
      {3, 1, 1, 3, 3, 1, 31, 33, 16, 64, true},   // row 0 reads padding only, its band does not
      {1, 1, 1, 3, 0, 1, 4, 200, 96, 64, false},  // thread 0's whole share reads padding only
  };
  for (const int threads : {2, 3}) {
    omp_set_num_threads(threads);
    for (const Shape& s : shapes) {
      const int64_t out_h = out_size(s.in_h, s.k, s.stride, s.dilation, s.pad_top, s.pad_bottom);
      const int64_t out_w = out_size(s.in_w, s.k, 1, s.dilation, 1, 1);
      auto q = std::make_shared<QuantizedLinear>();
      q->base_op = OpKind::kConvolution;
      q->conv.strides = {s.stride, 1};
      q->conv.dilations = {s.dilation, s.dilation};
      q->conv.pads_begin = {s.pad_top, 1};
      q->conv.pads_end = {s.pad_bottom, 1};
      q->input = random_input_quant(rng);
      q->input->zero_point = 77;  // off 128: the correction rows of the border classes apply
      q->input->out_low = q->input->in_low = -77 * q->input->scale;
      q->input->out_high = q->input->in_high = (255 - 77) * q->input->scale;
      random_payload(rng, *q, ElementType::kI8, {s.cout, s.cin, s.k, s.k}, s.cout, s.cin * s.k * s.k, 0,
                     false);
      q->weights.zero_point.clear();
      const std::string what = std::to_string(threads) + " threads, k" + std::to_string(s.k) + " s" +
                               std::to_string(s.stride) + " d" + std::to_string(s.dilation) + " pads " +
                               std::to_string(s.pad_top) + "/" + std::to_string(s.pad_bottom) + " batch " +
                               std::to_string(s.batch) + ", " + std::to_string(out_h) + " rows";
      const Dims in{s.batch, s.in_h, s.in_w, s.cin}, out{s.batch, s.cout, out_h, out_w};
      Built b = build(rng, OpKind::kQuantizedConvolution, q, in, out, true, false);
      auto cpu = make_onednn_backend(BackendOptions{});
      const std::string impl = cpu->compile(*b.node)->impl_name();
      EXPECT_EQ(impl.find(":team" + std::to_string(threads)) != std::string::npos, s.team)
          << what << ": " << impl;
      const Tensor ref = check(b, what, true, "onednn_s8");
      // Requests on other thread counts than the compiled team: the whole-layer primitive (these
      // layers are below the one-thread plan's size).
      for (const int other : {1, threads + 1})
        check_precision(b, what + " run on " + std::to_string(other) + " threads", true, Precision::kFast,
                        "onednn_s8", other, &ref);
      std::vector<float> scale;
      for (int64_t o = 0; o < s.cout; ++o) scale.push_back(uniform_f(rng, 0.25f, 2.0f));
      check_codes_and_resnet_tail(rng, q, b, in, out, scale, what);
    }
  }
}

// oneDNN's implementation name for a forward convolution of `src_type` channels-last sources
// [1, cin, h, w] to f32 [1, cout, h, w] with a k x k window padded by k / 2 (weights in its own
// layout), or "" where it has none.
std::string onednn_conv_impl(dnnl::memory::data_type src_type, int64_t cin, int64_t cout, int64_t h,
                             int64_t w, int64_t k) {
  using dnnl::memory;
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  const memory::desc src({1, cin, h, w}, src_type, memory::format_tag::nhwc);
  const memory::desc weights({cout, cin, k, k}, memory::data_type::s8, memory::format_tag::any);
  const memory::desc dst({1, cout, h, w}, memory::data_type::f32, memory::format_tag::any);
  const memory::dims pad{k / 2, k / 2};
  try {
    const dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                               dnnl::algorithm::convolution_direct, src, weights, dst, {1, 1},
                                               {0, 0}, pad, pad);
    return dnnl::convolution_forward::primitive_desc(desc, engine).impl_info_str();
  } catch (const dnnl::error&) {
    return "";
  }
}

// A padded 3x3 convolution of 64 output channels reads the codes as u8 levels (top bit flipped,
// ":u8src": oneDNN 2.6 has a brgconv for u8 sources there, only jit_int8 for s8 ones) on the
// whole-layer primitive (one thread), row bands (one thread, a taller layer) and a team (two
// threads), with the levels' zero point 0 (no correction), 77, 128 and 255 (all four on the cheapest
// shape: the test runs under ASan too); float output, codes and ResNet's tail, bit for bit against
// the reference. 1x1 windows and 48 output channels keep s8.
TEST(QuantizedConvolutionCpu, LevelsSourceEqualsTheReference) {
  const int saved = omp_get_max_threads();
  struct Restore {
    int threads;
    ~Restore() { omp_set_num_threads(threads); }
  } restore{saved};
  Rng rng(8080);
  struct Case {
    int threads;
    int64_t k, in_h, cout;
    bool levels;   // expected to read levels (where vnni)
    int32_t zero;  // the input's zero point (levels); every one on the cheapest shape
  };
  const Case cases[] = {{1, 3, 31, 64, true, 0},   {1, 3, 31, 64, true, 77},  {1, 3, 31, 64, true, 128},
                        {1, 3, 31, 64, true, 255}, {1, 3, 130, 64, true, 77}, {2, 3, 31, 64, true, 0},
                        {2, 3, 31, 64, true, 255}, {2, 1, 31, 64, false, 77}, {1, 3, 31, 48, false, 77}};
  for (const Case& s : cases) {
    omp_set_num_threads(s.threads);
    const int32_t zero = s.zero;
    const int64_t cin = 16, in_w = 33, pad = s.k / 2;
    auto q = std::make_shared<QuantizedLinear>();
    q->base_op = OpKind::kConvolution;
    q->conv.strides = {1, 1};
    q->conv.dilations = {1, 1};
    q->conv.pads_begin = {pad, pad};
    q->conv.pads_end = {pad, pad};
    q->input = random_input_quant(rng);
    q->input->zero_point = zero;
    q->input->out_low = q->input->in_low = static_cast<float>(-zero) * q->input->scale;
    q->input->out_high = q->input->in_high = static_cast<float>(255 - zero) * q->input->scale;
    random_payload(rng, *q, ElementType::kI8, {s.cout, cin, s.k, s.k}, s.cout, cin * s.k * s.k, 0, false);
    q->weights.zero_point.clear();
    const std::string what = std::to_string(s.threads) + " threads, k" + std::to_string(s.k) + ", " +
                             std::to_string(s.in_h) + " rows, " + std::to_string(s.cout) +
                             " channels, zero point " + std::to_string(zero);
    const Dims in{1, s.in_h, in_w, cin}, out{1, s.cout, s.in_h, in_w};
    Built b = build(rng, OpKind::kQuantizedConvolution, q, in, out, true, false);
    const std::string impl = make_onednn_backend(BackendOptions{})->compile(*b.node)->impl_name();
    // Levels where oneDNN has brgconv for u8 sources but not for s8 ones (AVX-512 VNNI without
    // AMX, as here), asked of oneDNN itself.
    const auto brg = [&](dnnl::memory::data_type type) {
      return onednn_conv_impl(type, cin, s.cout, s.in_h, in_w, s.k).find("brg") != std::string::npos;
    };
    const bool u8_only = !brg(dnnl::memory::data_type::s8) && brg(dnnl::memory::data_type::u8);
    EXPECT_EQ(impl.find(":u8src") != std::string::npos, u8_only && s.levels) << what << ": " << impl;
    const std::string expected = s8_conv_impl(s.k, 1, pad, cin, s.cout, in_w);
    check(b, what, true, expected);
    std::vector<float> scale;
    for (int64_t o = 0; o < s.cout; ++o) scale.push_back(uniform_f(rng, 0.25f, 2.0f));
    check_codes_and_resnet_tail(rng, q, b, in, out, scale, what, expected);
  }
}

// A stride-1 convolution of int8 weights (no weight zero point) over input levels of zero point
// `zero`, `kh` x `kw` with "same" padding, on NHWC `in` = [N, H, W, cin]: float output, codes and
// ResNet's tail, bit for bit against the reference, on implementation `expected`.
void check_zero_point_conv(Rng& rng, int64_t cin, int64_t cout, int64_t kh, int64_t kw, const Dims& in,
                           int32_t zero, const std::string& what, const std::string& expected) {
  auto q = std::make_shared<QuantizedLinear>();
  q->base_op = OpKind::kConvolution;
  q->conv.strides = {1, 1};
  q->conv.dilations = {1, 1};
  q->conv.pads_begin = {kh / 2, kw / 2};
  q->conv.pads_end = {kh / 2, kw / 2};
  q->input = random_input_quant(rng);
  q->input->zero_point = zero;
  q->input->out_low = q->input->in_low = static_cast<float>(-zero) * q->input->scale;
  q->input->out_high = q->input->in_high = static_cast<float>(255 - zero) * q->input->scale;
  random_payload(rng, *q, ElementType::kI8, {cout, cin, kh, kw}, cout, cin * kh * kw, 0, false);
  q->weights.zero_point.clear();
  const Dims out{in[0], cout, in[1], in[2]};
  Built b = build(rng, OpKind::kQuantizedConvolution, q, in, out, true, false);
  check(b, what, true, expected);
  std::vector<float> scale;
  for (int64_t o = 0; o < cout; ++o) scale.push_back(uniform_f(rng, 0.25f, 2.0f));
  check_codes_and_resnet_tail(rng, q, b, in, out, scale, what, expected);
}

// Sets the OpenMP thread count for contexts made until it goes out of scope.
struct ThreadCount {
  explicit ThreadCount(int threads) { omp_set_num_threads(threads); }
  ~ThreadCount() { omp_set_num_threads(saved); }
  int saved = omp_get_max_threads();
};

// Small 1x1 layers (up to 64 input and output channels, inputs a multiple of 4) take the VNNI loops
// (runtime/onednn/vnni_1x1.h) where the CPU has AVX-512 VNNI: 8- and 4-pixel blocks and the pixel
// tail, chunks of 64 pixels across two images, output counts that end in a partial 16-lane block,
// the levels' zero points 0, 77, 128 and 255 (the correction), float output, codes and ResNet's tail
// on residual codes, on one thread and a team of two; bit for bit against the reference.
TEST(QuantizedConvolutionCpu, Vnni1x1EqualsTheReference) {
  Rng rng(4242);
  struct Case {
    int64_t cin, cout;
    int threads;
  };
  const Case cases[] = {{4, 8, 1}, {16, 32, 1}, {24, 24, 1}, {48, 64, 2}, {64, 16, 1}, {40, 48, 2}};
  const int32_t zeros[] = {0, 77, 128, 255};
  int trial = 0;
  for (const Case& c : cases) {
    const ThreadCount threads(c.threads);
    const int32_t zero = zeros[trial++ % 4];
    const std::string what = "vnni 1x1 " + std::to_string(c.cin) + " -> " + std::to_string(c.cout) + ", " +
                             std::to_string(c.threads) + " threads, zero point " + std::to_string(zero);
    check_zero_point_conv(rng, c.cin, c.cout, 1, 1, {2, 9, 11, c.cin}, zero, what,
                          cpu::vnni_1x1_fits(c.cin, c.cout) ? "cpu_vnni_1x1" : "onednn_s8");
  }
}

// Stride-1 "same" convolutions of 8 or 16 output channels take the pixels-in-lanes VNNI loops
// (runtime/onednn/vnni_pixels.h) where the CPU has AVX-512 VNNI: 3x3, 5x5 and 1x3 windows over the
// staged input's level-0 border (every border class of the zero-point correction), widths at and
// above 16 (partial pixel blocks), two images, the levels' zero points 0, 77, 128 and 255, float
// output, codes and ResNet's tail, one thread and a team of two; bit for bit against the reference.
// Rows narrower than 16 pixels stay on oneDNN (the last two cases).
TEST(QuantizedConvolutionCpu, VnniPixelsEqualTheReference) {
  Rng rng(5151);
  struct Case {
    int64_t cin, cout, kh, kw, h, w;
    int threads;
  };
  const Case cases[] = {{32, 8, 3, 3, 9, 21, 1}, {32, 8, 3, 3, 16, 32, 2}, {16, 16, 3, 3, 5, 37, 1},
                        {4, 8, 5, 5, 7, 17, 1},  {64, 16, 1, 3, 6, 16, 2}, {16, 16, 3, 3, 8, 8, 1},
                        {48, 8, 3, 3, 1, 1, 1}};
  const int32_t zeros[] = {0, 77, 128, 255};
  int trial = 0;
  for (const Case& c : cases) {
    const ThreadCount threads(c.threads);
    const int32_t zero = zeros[trial++ % 4];
    const std::string what = "vnni pixels " + std::to_string(c.cin) + " -> " + std::to_string(c.cout) + " " +
                             std::to_string(c.kh) + "x" + std::to_string(c.kw) + " over " +
                             std::to_string(c.h) + "x" + std::to_string(c.w) + ", " +
                             std::to_string(c.threads) + " threads, zero point " + std::to_string(zero);
    check_zero_point_conv(
        rng, c.cin, c.cout, c.kh, c.kw, {2, c.h, c.w, c.cin}, zero, what,
        cpu::vnni_pixels_fits(c.cin, c.cout, c.kh, c.kw, c.w) ? "cpu_vnni_pixels" : "onednn_s8");
  }
}

// Output codes straight from the accumulators (16k output channels) run in one epilogue call per
// run of consecutive pixels that share a zero-point correction row: every pixel of a 1x1 or
// unpadded window, the interior of each output row of a padded one; runs end at tile ends (16
// pixels), image-row borders and images. Widths 1, primes and tile tails, batch 2, the input zero
// point 128 (no correction) and off it, chains without a residual and with residual codes.
TEST(QuantizedConvolutionCpu, CodesOverRunsOfPixelsEqualTheReference) {
  Rng rng(1313);
  struct Shape {
    int64_t k, stride, pad, in_h, in_w;
  };
  const Shape shapes[] = {{1, 1, 0, 1, 1}, {1, 1, 0, 3, 17},  {1, 2, 0, 9, 7},  {3, 1, 1, 1, 1},
                          {3, 1, 1, 5, 7}, {3, 2, 1, 13, 11}, {3, 1, 0, 6, 19}, {3, 1, 2, 4, 3}};
  int trial = 0;
  for (const Shape& s : shapes) {
    for (const int64_t cout : {16, 20, 48}) {  // 20: not a multiple of 16, the float tile's way
      const int64_t cin = 1 + trial % 5 * 3, batch = 2;
      const int64_t span = s.k, out_h = (s.in_h + 2 * s.pad - span) / s.stride + 1,
                    out_w = (s.in_w + 2 * s.pad - span) / s.stride + 1;
      auto q = std::make_shared<QuantizedLinear>();
      q->base_op = OpKind::kConvolution;
      q->conv.strides = {s.stride, s.stride};
      q->conv.dilations = {1, 1};
      q->conv.pads_begin = {s.pad, s.pad};
      q->conv.pads_end = {s.pad, s.pad};
      q->input = random_input_quant(rng);
      if (trial % 3 == 0) {  // zero point 128: no correction, one run per tile
        q->input->zero_point = 128;
        q->input->out_low = -128 * q->input->scale;
        q->input->out_high = 127 * q->input->scale;
        q->input->in_low = q->input->out_low;
        q->input->in_high = q->input->out_high;
      }
      random_payload(rng, *q, ElementType::kI8, {cout, cin, s.k, s.k}, cout, cin * s.k * s.k, 0, false);
      q->weights.zero_point.clear();
      ActivationQuant grid, addend_grid;
      grid.in_low = grid.out_low = -2.56f;
      grid.in_high = grid.out_high = 2.54f;
      addend_grid.in_low = addend_grid.out_low = -1.28f;
      addend_grid.in_high = addend_grid.out_high = 1.27f;
      PostOp relu, scale, inner, add;
      scale.kind = PostOp::Kind::kScale;
      for (int64_t o = 0; o < cout; ++o) scale.values.push_back(uniform_f(rng, 0.25f, 2.0f));
      inner.kind = PostOp::Kind::kFakeQuantize;
      inner.quant = addend_grid;
      add.kind = PostOp::Kind::kResidualAdd;
      add.residual_codes = addend_grid;
      q->post_ops = trial % 2 ? std::vector<PostOp>{relu} : std::vector<PostOp>{};
      q->output = grid;
      q->output_codes = grid;
      const Dims codes_shape{batch, out_h, out_w, cout};
      const std::string what = "codes runs k" + std::to_string(s.k) + " s" + std::to_string(s.stride) + " p" +
                               std::to_string(s.pad) + " " + std::to_string(s.in_h) + "x" +
                               std::to_string(s.in_w) + " cin " + std::to_string(cin) + " cout " +
                               std::to_string(cout) + " zp " + std::to_string(q->input->zero_point);
      Built b = build(rng, OpKind::kQuantizedConvolution, q, {batch, s.in_h, s.in_w, cin},
                      {batch, cout, out_h, out_w}, true, false);
      b.node->outputs[0] = Value{ElementType::kI8, codes_shape, {"y"}, false, {}};
      const std::string expected = s8_conv_impl(s.k, s.stride, s.pad, cin, cout, s.in_w);
      check(b, what, true, expected);
      // ResNet's tail on residual codes (a fixed chain pattern), same runs.
      q->post_ops = {scale, inner, add, relu};
      Built t = build(rng, OpKind::kQuantizedConvolution, q, {batch, s.in_h, s.in_w, cin},
                      {batch, cout, out_h, out_w}, true, true);
      use_residual_and_output_codes(t, rng, codes_shape);
      check(t, what + " (ResNet tail)", true, expected);
      ++trial;
    }
  }
}

TEST(QuantizedConvolutionCpu, RandomCasesEqualTheIntegerReferenceBitForBit) {
  Rng rng(99);
  g_impls.clear();
  g_codes_cases = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const int spatial = trial % 10 == 3 ? 1 : trial % 10 == 7 ? 3 : 2;
    const int kind = trial % 4;  // 0 plain, 1 grouped, 2 depthwise, 3 plain with u8 weights
    const ElementType wtype = kind == 3        ? ElementType::kU8
                              : trial % 5 == 4 ? ElementType::kI4
                                               : ElementType::kI8;
    const bool int_input = trial % 9 != 8;
    const int64_t batch = uniform(rng, 1, 2);
    int64_t groups = 1, cin = uniform(rng, 1, 12), cout = uniform(rng, 1, 12);
    // Multiples of 8 output channels take the vectorised tile store (full tiles of 16 pixels).
    if (trial % 3 == 0) cout = 8 * uniform(rng, 1, 3);
    if (kind == 1) {
      groups = uniform(rng, 2, 3);
      cin = groups * uniform(rng, 1, 4);
      cout = groups * uniform(rng, 1, 4);
    } else if (kind == 2) {
      groups = cin = cout = uniform(rng, 2, 16);
    }
    Dims in{batch, cin}, kernel, strides, dilations, pads_begin, pads_end, out{batch, cout};
    for (int d = 0; d < spatial; ++d) {
      const int64_t size = spatial == 3 ? uniform(rng, 2, 5) : uniform(rng, 3, 11);
      const int64_t k = uniform(rng, 1, std::min<int64_t>(3, size)), s = uniform(rng, 1, 2);
      const int64_t dil = k > 1 && uniform(rng, 0, 3) == 0 ? 2 : 1;
      const int64_t pb = uniform(rng, 0, k - 1), pe = uniform(rng, 0, k - 1);
      const int64_t span = (k - 1) * dil + 1;
      if (size + pb + pe < span) {
        --d;
        continue;
      }
      in.push_back(size);
      kernel.push_back(k);
      strides.push_back(s);
      dilations.push_back(dil);
      pads_begin.push_back(pb);
      pads_end.push_back(pe);
      out.push_back((size + pb + pe - span) / s + 1);
    }
    auto list = [](const Dims& d) {
      std::string s;
      for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
      return s;
    };
    auto q = std::make_shared<QuantizedLinear>();
    q->base_op = groups > 1 ? OpKind::kGroupConvolution : OpKind::kConvolution;
    q->conv.strides = strides;
    q->conv.dilations = dilations;
    q->conv.pads_begin = pads_begin;
    q->conv.pads_end = pads_end;
    if (int_input) q->input = random_input_quant(rng);
    Dims wshape = groups > 1 ? Dims{groups, cout / groups, cin / groups} : Dims{cout, cin};
    int64_t reduction = cin / groups;
    for (int64_t k : kernel) wshape.push_back(k), reduction *= k;
    const bool residual = uniform(rng, 0, 2) == 0;
    random_payload(rng, *q, wtype, wshape, cout, reduction, 0, residual);
    Dims physical = in;  // i8 codes are channels last
    if (int_input) {
      physical.erase(physical.begin() + 1);
      physical.push_back(cin);
    }
    Built b = build(rng, OpKind::kQuantizedConvolution, q, physical, out, int_input, residual);
    if (q->output && trial % 3 != 1) {
      // Channels-last codes of the output grid, as the pass makes when a QuantizeActivation of
      // this output was its only consumer.
      ActivationQuant grid = *q->output;
      grid.in_low = grid.out_low;
      grid.in_high = grid.out_high;
      q->output_codes = grid;
      Dims codes_shape = out;
      codes_shape.push_back(codes_shape[1]);
      codes_shape.erase(codes_shape.begin() + 1);
      b.node->outputs[0] = Value{ElementType::kI8, codes_shape, {"y"}, false, {}};
      ++g_codes_cases;
    }
    check(b,
          "conv trial " + std::to_string(trial) + " in " + to_string(in) + " w " + to_string(wshape) + " " +
              element_type_name(wtype) + " strides " + list(strides) + " pads " + list(pads_begin) + "/" +
              list(pads_end) + " dilations " + list(dilations) +
              (q->input ? " zp " + std::to_string(q->input->zero_point) : std::string(" float input")),
          int_input);
  }
  for (const auto& [impl, count] : g_impls)
    std::printf("[quantized conv] %-20s %d cases\n", impl.c_str(), count);
  EXPECT_GT(g_impls["onednn_s8"], 0);
  EXPECT_GT(g_impls["cpu_int8_loops"], 0);
  EXPECT_GT(g_impls["onednn_f32_dequant"], 0);
  EXPECT_GT(g_codes_cases, 3);
}

TEST(QuantizeActivationCpu, CodesEqualTheReferenceIncludingTiesAndClamping) {
  Rng rng(3);
  auto cpu = make_onednn_backend(BackendOptions{});
  for (bool channels_last : {false, true}) {
    for (int trial = 0; trial < 6; ++trial) {
      Graph g;
      Node* x = g.add(OpKind::kParameter, "x");
      // The last trials are large enough to be split among threads.
      const Dims shape = trial < 4 ? Dims{2, 5, 3, 7} : Dims{2, 24, 37, 41};
      x->outputs = {Value{ElementType::kF32, shape, {"x"}, false, {}}};
      g.parameters.push_back(x);
      auto p = std::make_shared<ActivationQuantize>();
      p->channels_last = channels_last;
      p->quant.levels = 256;
      p->quant.in_low = p->quant.out_low = trial % 2 ? 0.0f : -uniform_f(rng, 0.5f, 3);
      p->quant.in_high = p->quant.out_high = uniform_f(rng, 0.5f, 3);
      Node* n = g.add(OpKind::kQuantizeActivation, "qa");
      n->inputs = {{x, 0}};
      n->payload = p;
      infer_node(*n);
      Tensor xt(ElementType::kF32, shape);
      const float lo = p->quant.in_low, hi = p->quant.in_high, step = (hi - lo) / 255;
      for (int64_t i = 0; i < xt.element_count(); ++i) {
        float v;
        switch (i % 5) {
          case 0: v = lo + (static_cast<float>(uniform(rng, 0, 254)) + 0.5f) * step; break;  // near ties
          case 1: v = uniform_f(rng, lo - 1, lo + 0.1f); break;                              // low clamp
          case 2: v = uniform_f(rng, hi - 0.1f, hi + 1); break;                              // high clamp
          case 3: v = (i % 2) ? lo : hi; break;                                              // the bounds
          default: v = uniform_f(rng, lo, hi); break;
        }
        xt.data_as<float>()[i] = v;
      }
      auto kernel = cpu->compile(*n);
      auto ctx = cpu->create_context();
      Tensor y(ElementType::kI8, n->outputs[0].shape);
      kernel->enqueue(*ctx, {{xt.data(), xt.byte_size()}}, {{y.data(), y.byte_size()}});
      const Tensor ref = evaluate_reference(*n, {&xt}).at(0);
      ASSERT_EQ(ref.shape(), y.shape());
      EXPECT_EQ(std::memcmp(ref.data(), y.data(), y.byte_size()), 0)
          << "channels_last " << channels_last << " trial " << trial;
    }
  }
}

TEST(FakeQuantizeCpu, EqualsTheReferenceBitForBit) {
  // Per-tensor and per-channel ranges, an inverted range, ties, clamping, NaN and infinities.
  Rng rng(8);
  auto cpu = make_onednn_backend(BackendOptions{});
  struct Variant {
    Dims range_shape;
    bool inverted;
    int levels;
  };
  // The large shape is split into chunks shared among threads (above kParallelElements).
  for (const Dims& shape : {Dims{2, 3, 4, 5}, Dims{2, 3, 111, 113}})
    for (const Variant& variant : {Variant{{}, false, 256}, Variant{{1, 3, 1, 1}, false, 255},
                                   Variant{{3, 1, 1}, true, 16}, Variant{{1}, false, 2}}) {
      Graph g;
      Node* x = g.add(OpKind::kParameter, "x");
      x->outputs = {Value{ElementType::kF32, shape, {"x"}, false, {}}};
      g.parameters.push_back(x);
      Node* fq = g.add(OpKind::kFakeQuantize, "fq");
      fq->attrs.set("levels", std::to_string(variant.levels));
      fq->attrs.set("auto_broadcast", "numpy");
      fq->inputs = {{x, 0}};
      std::vector<Tensor> ranges;
      for (int k = 0; k < 4; ++k) {
        Tensor t(ElementType::kF32, variant.range_shape);
        for (int64_t i = 0; i < t.element_count(); ++i) {
          const float lo = -uniform_f(rng, 0.1f, 1), hi = uniform_f(rng, 0.1f, 1);
          const bool low_side = (k % 2 == 0) != variant.inverted;
          t.data_as<float>()[i] = low_side ? lo : hi;
        }
        ranges.push_back(t);
        fq->inputs.push_back({g.add_constant("r" + std::to_string(k), t), 0});
      }
      infer_node(*fq);
      Tensor xt(ElementType::kF32, shape);
      const float il = ranges[0].data_as<float>()[0], ih = ranges[1].data_as<float>()[0];
      const float step = (ih - il) / static_cast<float>(variant.levels - 1);
      for (int64_t i = 0; i < xt.element_count(); ++i) {
        float v = uniform_f(rng, -1.5f, 1.5f);
        if (i % 4 == 0) v = il + (static_cast<float>(uniform(rng, 0, variant.levels - 2)) + 0.5f) * step;
        xt.data_as<float>()[i] = v;
      }
      xt.data_as<float>()[1] = std::nanf("");
      xt.data_as<float>()[2] = INFINITY;
      xt.data_as<float>()[3] = -INFINITY;
      auto kernel = cpu->compile(*fq);
      EXPECT_EQ(kernel->impl_name().rfind("cpu_fq", 0), 0u) << kernel->impl_name();
      auto ctx = cpu->create_context();
      Tensor y(ElementType::kF32, shape);
      kernel->enqueue(*ctx, {{xt.data(), xt.byte_size()}, {}, {}, {}, {}}, {{y.data(), y.byte_size()}});
      std::vector<const Tensor*> args = {&xt, &ranges[0], &ranges[1], &ranges[2], &ranges[3]};
      const Tensor ref = evaluate_reference(*fq, args).at(0);
      EXPECT_EQ(std::memcmp(ref.data(), y.data(), y.byte_size()), 0)
          << "ranges " << to_string(variant.range_shape);
    }
}

}  // namespace
}  // namespace octet

namespace octet {
namespace {

// Precision::kFast's Gelu against host/reference's double-erf Gelu on every float step of 2^-14 in
// [-16, 16) plus special values: within 1e-6 relative, except where the reference's own 1 + erf
// cancels (x < -5.5, |gelu| < 1e-7): there both are within a few double ulps of 1 times |x| / 2.
TEST(FastGeluCpu, ErfFormIsWithinOneMillionthOfTheReference) {
  std::vector<float> x;
  for (int64_t i = -16 * 16384; i < 16 * 16384; ++i) x.push_back(static_cast<float>(i) / 16384.0f);
  const float specials[] = {0.0f,    -0.0f, 1e-30f, -1e-30f,  1e-45f,    100.0f,
                            -100.0f, 3e38f, -3e38f, INFINITY, -INFINITY, NAN};
  x.insert(x.end(), std::begin(specials), std::end(specials));
  std::vector<float> y = x;
  cpu::fast_gelu_erf_row(y.data(), static_cast<int64_t>(y.size()));
  PostOp gelu;
  gelu.activation = PostOpCode::kGeluErf;
  int64_t bad = 0, differ = 0;
  double worst_relative = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const float r = apply_activation(gelu, x[i]);
    if (std::isnan(r)) {
      EXPECT_TRUE(std::isnan(y[i])) << "gelu(" << x[i] << ")";
      continue;
    }
    if (y[i] == r) continue;
    ++differ;
    const double d = std::fabs(double{y[i]} - r);
    if (x[i] > -5.5f) worst_relative = std::max(worst_relative, d / std::fabs(r));
    const bool ok = d <= 1e-6 * std::fabs(r) || (x[i] <= -5.5f && d <= 1e-15 * std::fabs(x[i]));
    if (!ok && bad++ < 5) ADD_FAILURE() << "gelu(" << x[i] << "): " << y[i] << " vs reference " << r;
  }
  std::printf("[fast gelu] %lld of %zu values differ from the reference, worst relative %.3g (x > -5.5)\n",
              static_cast<long long>(differ), x.size(), worst_relative);
  EXPECT_EQ(bad, 0);
}

}  // namespace
}  // namespace octet
