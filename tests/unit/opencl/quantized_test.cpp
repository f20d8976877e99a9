// OpenCL int8 kernels (QuantizeActivation, QuantizedMatMul, QuantizedConvolution) against the
// integer reference host/reference/quantized_linear: bit-exact outputs (and exact accumulators)
// wherever the epilogue is exact, ulp-level agreement for transcendental post-ops, and float
// tolerance for weight-only (float activation) matmuls.
#include "runtime/opencl/ops/quantized.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>

#include "host/graph/quantized_linear.h"
#include "host/reference/evaluate.h"
#include "host/reference/quantized_linear.h"
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

// Forces the GEMV path for small row counts whatever the device (PoCL would pick the tiled GEMM),
// so that both paths are tested on every device; restored when the test ends.
class ForceGemv {
 public:
  ForceGemv() {
    const char* old = std::getenv("OCTET_QGEMV");
    if (old != nullptr) saved_ = old;
    had_ = old != nullptr;
    setenv("OCTET_QGEMV", "always", 1);
  }
  ~ForceGemv() {
    if (had_)
      setenv("OCTET_QGEMV", saved_.c_str(), 1);
    else
      unsetenv("OCTET_QGEMV");
  }

 private:
  std::string saved_;
  bool had_ = false;
};

bool four_bit(ElementType t) {
  return t == ElementType::kI4 || t == ElementType::kU4;
}

std::pair<int, int> code_range(ElementType t) {
  switch (t) {
    case ElementType::kI8: return {-128, 127};
    case ElementType::kU8: return {0, 255};
    case ElementType::kI4: return {-8, 7};
    default: return {0, 15};
  }
}

// Codes tensor with `values` stored as the IR stores them (4-bit: element 2i in the low nibble).
Tensor codes_tensor(ElementType t, Dims shape, const std::vector<int>& values) {
  Tensor out(t, std::move(shape));
  auto* bytes = out.data_as<uint8_t>();
  std::memset(bytes, 0, out.byte_size());
  for (size_t i = 0; i < values.size(); ++i) {
    const uint8_t v = static_cast<uint8_t>(values[i]);
    if (four_bit(t)) {
      bytes[i / 2] |= static_cast<uint8_t>((v & 15) << (4 * (i & 1)));
    } else {
      bytes[i] = v;
    }
  }
  return out;
}

struct Spec {
  ElementType wtype = ElementType::kI8;
  bool asym = false;     // weight zero points
  int64_t group = 0;     // weight group size (0: per channel)
  bool int_act = true;   // i8 codes input (else f32, weight-only)
  int32_t act_zp = 128;  // activation zero point (level of 0.0)
  bool bias = false;
  std::vector<PostOp> post;  // kResidualAdd adds input 1
  bool out_fq = false;
  bool unit_scales = false;  // all scales 1: outputs equal the accumulators
};

// One quantized node in its own graph, with its (random) inputs.
struct QCase {
  std::unique_ptr<Graph> graph = std::make_unique<Graph>();
  Node* node = nullptr;
  std::vector<Tensor> inputs;
  std::string what;
};

PostOp activation(PostOpCode op, float alpha = 0, float beta = 0) {
  PostOp p;
  p.activation = op;
  p.alpha = alpha;
  p.beta = beta;
  return p;
}
PostOp residual() {
  PostOp p;
  p.kind = PostOp::Kind::kResidualAdd;
  return p;
}

// Payload with random weights [O, R] of `codes_shape`.
std::shared_ptr<QuantizedLinear> make_payload(const Spec& s, OpKind base, Dims codes_shape, int64_t outputs,
                                              int64_t reduction, std::mt19937& rng) {
  auto q = std::make_shared<QuantizedLinear>();
  q->base_op = base;
  if (s.int_act) {
    ActivationQuant a;
    a.levels = 256;
    a.zero_point = s.act_zp;
    a.scale = s.unit_scales ? 1.0f : 0.0125f;
    a.out_low = -a.scale * static_cast<float>(a.zero_point);
    a.out_high = a.out_low + a.scale * 255;
    a.in_low = a.out_low;
    a.in_high = a.out_high;
    q->input = a;
  }
  QuantizedWeights& w = q->weights;
  w.type = s.wtype;
  w.output_channels = outputs;
  w.reduction = reduction;
  w.group_size = s.group;
  const auto [lo, hi] = code_range(s.wtype);
  std::uniform_int_distribution<int> code(lo, hi);
  std::vector<int> values(static_cast<size_t>(outputs * reduction));
  for (int& v : values) v = code(rng);
  w.codes = codes_tensor(s.wtype, std::move(codes_shape), values);
  const int64_t groups = s.group ? reduction / s.group : 1;
  std::uniform_real_distribution<float> scale(0.002f, 0.02f);
  for (int64_t i = 0; i < outputs * groups; ++i) {
    w.scale.push_back(s.unit_scales ? 1.0f : scale(rng));
    if (s.asym) w.zero_point.push_back(code(rng));
  }
  std::uniform_real_distribution<float> b(-1.0f, 1.0f);
  if (s.bias)
    for (int64_t o = 0; o < outputs; ++o) q->bias.push_back(b(rng));
  q->post_ops = s.post;
  if (s.out_fq) {
    ActivationQuant f;
    f.levels = 256;
    f.in_low = f.out_low = -2.0f;
    f.in_high = f.out_high = 2.0f;
    f.scale = 4.0f / 255;
    q->output = f;
  }
  return q;
}

Value value(ElementType t, Dims shape, const std::string& name) {
  Value v;
  v.type = t;
  v.shape = std::move(shape);
  v.names = {name};
  return v;
}

Node* parameter(Graph& g, const std::string& name, ElementType t, Dims shape) {
  Node* p = g.add(OpKind::kParameter, name);
  p->outputs = {value(t, std::move(shape), name)};
  return p;
}

Tensor random_codes(Dims shape, std::mt19937& rng) {
  Tensor t(ElementType::kI8, std::move(shape));
  std::uniform_int_distribution<int> d(-128, 127);
  for (int64_t i = 0; i < t.element_count(); ++i) t.data_as<int8_t>()[i] = static_cast<int8_t>(d(rng));
  return t;
}

// Adds the activation (and residual) inputs and the output to `c.node`.
void finish_case(QCase& c, const Spec& s, Dims in_shape, Dims out_shape, std::mt19937& rng) {
  Graph& g = *c.graph;
  Node* x = parameter(g, "x", s.int_act ? ElementType::kI8 : ElementType::kF32, in_shape);
  c.node->inputs = {{x, 0}};
  c.inputs.push_back(s.int_act ? random_codes(in_shape, rng) : test::random_tensor(in_shape, rng()));
  for (const PostOp& p : s.post)
    if (p.kind == PostOp::Kind::kResidualAdd) {
      c.node->inputs.push_back({parameter(g, "res", ElementType::kF32, out_shape), 0});
      c.inputs.push_back(test::random_tensor(out_shape, rng()));
    }
  c.node->outputs = {value(ElementType::kF32, out_shape, "y")};
  infer_node(*c.node);
}

std::string spec_name(const Spec& s) {
  std::string n = element_type_name(s.wtype);
  n += s.asym ? " asym" : " sym";
  n += s.group ? " g" + std::to_string(s.group) : " per-channel";
  n += s.int_act ? " act_zp " + std::to_string(s.act_zp) : " f32 act";
  return n;
}

QCase matmul_case(const Spec& s, Dims in_shape, int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  QCase c;
  const int64_t k = in_shape.back();
  c.node = c.graph->add(OpKind::kQuantizedMatMul, "qmm");
  c.node->payload = make_payload(s, OpKind::kMatMul, {n, k}, n, k, rng);
  Dims out = in_shape;
  out.back() = n;
  finish_case(c, s, in_shape, out, rng);
  c.what = "QuantizedMatMul x" + to_string(in_shape) + " N=" + std::to_string(n) + " " + spec_name(s);
  return c;
}

struct ConvSpec {
  Dims x;  // channels-last codes [N, (H,) W, C]
  int64_t groups, out_per_group;
  Dims kernel, strides, dilations, pads_begin, pads_end;
};

std::string list(const Dims& d) {
  std::string s;
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s;
}

QCase conv_case(const Spec& s, const ConvSpec& k, uint32_t seed) {
  std::mt19937 rng(seed);
  QCase c;
  const int64_t channels = k.x.back(), in_per_group = channels / k.groups;
  const bool grouped = k.groups > 1;
  Dims codes = grouped ? Dims{k.groups, k.out_per_group, in_per_group} : Dims{k.out_per_group, in_per_group};
  int64_t taps = 1;
  for (int64_t d : k.kernel) codes.push_back(d), taps *= d;
  c.node = c.graph->add(OpKind::kQuantizedConvolution, "qconv");
  auto q = make_payload(s, grouped ? OpKind::kGroupConvolution : OpKind::kConvolution, codes,
                        k.groups * k.out_per_group, in_per_group * taps, rng);
  q->conv.strides = k.strides;
  q->conv.dilations = k.dilations;
  q->conv.pads_begin = k.pads_begin;
  q->conv.pads_end = k.pads_end;
  c.node->payload = q;
  Dims out = {k.x[0], k.groups * k.out_per_group};
  for (size_t i = 0; i < k.kernel.size(); ++i) {
    const int64_t dk = (k.kernel[i] - 1) * k.dilations[i] + 1;
    out.push_back((k.x[1 + i] + k.pads_begin[i] + k.pads_end[i] - dk) / k.strides[i] + 1);
  }
  Dims in = k.x;  // f32 activations are NCHW
  if (!s.int_act) {
    in.insert(in.begin() + 1, in.back());
    in.pop_back();
  }
  finish_case(c, s, in, out, rng);
  c.what = "QuantizedConvolution x" + to_string(in) + " G=" + std::to_string(k.groups) +
           " O/G=" + std::to_string(k.out_per_group) + " k" + list(k.kernel) + " s" + list(k.strides) + " d" +
           list(k.dilations) + " p" + list(k.pads_begin) + "/" + list(k.pads_end) + " " + spec_name(s);
  return c;
}

struct Result {
  std::vector<Tensor> ref, got;
  std::vector<int64_t> acc;
  std::string impl;
};

Result run(OpenClBackend& backend, QCase& c) {
  Result r;
  Support sup = backend.supports(*c.node);
  EXPECT_TRUE(sup.ok) << c.what << ": " << sup.reason;
  if (!sup.ok) return r;
  std::vector<const Tensor*> ptrs;
  for (const Tensor& t : c.inputs) ptrs.push_back(&t);
  r.ref = evaluate_quantized_linear(*c.node, ptrs, &r.acc);
  r.got = test::run_on_device(backend, *c.node, c.inputs);
  r.impl = backend.compile(*c.node)->impl_name();
  return r;
}

void expect_bit_exact(OpenClBackend& backend, QCase& c) {
  Result r = run(backend, c);
  if (r.got.empty()) return;
  const float* ref = r.ref[0].data_as<float>();
  const float* got = r.got[0].data_as<float>();
  int bad = 0;
  for (int64_t i = 0; i < r.ref[0].element_count() && bad < 5; ++i)
    if (std::memcmp(&ref[i], &got[i], sizeof(float)) != 0) {
      ++bad;
      ADD_FAILURE() << c.what << " (" << r.impl << "): y[" << i << "] = " << got[i] << ", reference "
                    << ref[i];
    }
}

// Relative agreement (transcendental post-ops, float activations): |d| <= rel * scale_i + abs.
void expect_close(OpenClBackend& backend, QCase& c, double rel, double abs, double step = 0) {
  Result r = run(backend, c);
  if (r.got.empty()) return;
  int bad = 0;
  for (int64_t i = 0; i < r.ref[0].element_count() && bad < 5; ++i) {
    const double a = r.got[0].data_as<float>()[i], b = r.ref[0].data_as<float>()[i];
    const double tol = std::max(rel * std::fabs(b) + abs, step * (1 + 1e-6));
    if (!(std::fabs(a - b) <= tol)) {
      ++bad;
      ADD_FAILURE() << c.what << " (" << r.impl << "): y[" << i << "] = " << a << ", reference " << b;
    }
  }
}

const ElementType kWeightTypes[] = {ElementType::kI8, ElementType::kU8, ElementType::kI4, ElementType::kU4};

TEST(OpenClQuantized, QuantizeActivationMatchesReference) {
  OCTET_REQUIRE_OPENCL(backend);
  const ForceGemv force_gemv;
  struct Range {
    float low, high;
  };
  for (Range range : {Range{-1.28f, 1.27f}, Range{0.0f, 2.55f}, Range{-0.3f, 1.7f}})
    for (bool channels_last : {false, true})
      for (Dims shape : {Dims{2, 3, 5, 7}, Dims{1, 37}, Dims{2, 5, 9}}) {
        Graph g;
        Node* x = parameter(g, "x", ElementType::kF32, shape);
        Node* node = g.add(OpKind::kQuantizeActivation, "q");
        auto p = std::make_shared<ActivationQuantize>();
        p->quant.in_low = p->quant.out_low = range.low;
        p->quant.in_high = p->quant.out_high = range.high;
        p->quant.scale = (range.high - range.low) / 255;
        p->quant.zero_point = static_cast<int32_t>(std::lround(-range.low / p->quant.scale));
        p->channels_last = channels_last;
        node->payload = p;
        node->inputs = {{x, 0}};
        infer_node(*node);
        // Values beyond both ends, and exact level midpoints (the half-to-even cases).
        Tensor in = test::random_tensor(shape, 7, range.low - 0.5f, range.high + 0.5f);
        float* v = in.data_as<float>();
        const float step = (range.high - range.low) / 255;
        for (int64_t i = 0; i < in.element_count(); i += 3)
          v[i] = range.low + step * (static_cast<float>(i % 255) + 0.5f);
        v[0] = range.low;
        v[1] = range.high;
        std::vector<Tensor> ref = evaluate_reference(*node, {&in});
        std::vector<Tensor> got = test::run_on_device(*backend, *node, {in});
        ASSERT_EQ(to_string(ref[0].shape()), to_string(got[0].shape()));
        EXPECT_EQ(0, std::memcmp(ref[0].data(), got[0].data(), ref[0].byte_size()))
            << "QuantizeActivation " << to_string(shape) << (channels_last ? " channels-last" : "") << " ["
            << range.low << ", " << range.high << "]";
      }
}

TEST(OpenClQuantized, MatMulAccumulatorsExact) {
  OCTET_REQUIRE_OPENCL(backend);
  const ForceGemv force_gemv;
  // Unit scales: every output is its exact integer accumulator (|acc| < 2^24 at these K).
  uint32_t seed = 1;
  for (ElementType t : kWeightTypes)
    for (bool asym : {false, true})
      for (int32_t zp : {0, 128, 77})
        for (Dims x : {Dims{1, 67}, Dims{3, 33}, Dims{9, 130}}) {
          Spec s;
          s.wtype = t;
          s.asym = asym;
          s.act_zp = zp;
          s.unit_scales = true;
          QCase c = matmul_case(s, x, 11, seed++);
          Result r = run(*backend, c);
          if (r.got.empty()) continue;
          ASSERT_EQ(r.acc.size(), static_cast<size_t>(r.got[0].element_count()));
          int bad = 0;
          for (size_t i = 0; i < r.acc.size() && bad < 3; ++i)
            if (static_cast<double>(r.got[0].data_as<float>()[i]) != static_cast<double>(r.acc[i])) {
              ++bad;
              ADD_FAILURE() << c.what << " (" << r.impl << "): acc[" << i
                            << "] = " << r.got[0].data_as<float>()[i] << ", reference " << r.acc[i];
            }
        }
}

TEST(OpenClQuantized, MatMulIntegerBitExact) {
  OCTET_REQUIRE_OPENCL(backend);
  const ForceGemv force_gemv;
  struct Shape {
    Dims x;
    int64_t n, group;
  };
  const Shape shapes[] = {
      {{1, 67}, 13, 0},       // GEMV, odd K
      {{1, 256}, 7, 32},      // GEMV, groups of 32
      {{1, 2, 384}, 5, 128},  // GEMV with 2 rows, batch dim, groups of 128
      {{4, 1024}, 3, 32},     // GEMV, 32 groups
      {{2, 2560}, 3, 32},     // GEMV, 80 groups: a full and a partial chunk of 64
      {{7, 129}, 9, 0},       // GEMM, odd K, edge tiles
      {{2, 9, 256}, 17, 32},  // GEMM, groups
      {{5, 128}, 6, 128},     // GEMM, one group of 128
  };
  uint32_t seed = 100;
  for (ElementType t : kWeightTypes)
    for (bool asym : {false, true})
      for (const Shape& sh : shapes) {
        Spec s;
        s.wtype = t;
        s.asym = asym;
        s.group = sh.group;
        s.act_zp = seed % 3 == 0 ? 0 : (seed % 3 == 1 ? 128 : 100);
        s.bias = seed % 2 == 0;
        if (seed % 4 == 1) s.post.push_back(activation(PostOpCode::kRelu));
        QCase c = matmul_case(s, sh.x, sh.n, seed++);
        expect_bit_exact(*backend, c);
      }
}

TEST(OpenClQuantized, MatMulPathsAndDotMode) {
  OCTET_REQUIRE_OPENCL(backend);
  const ForceGemv force_gemv;
  Spec s;
  QCase gemv = matmul_case(s, {4, 64}, 8, 1), gemm = matmul_case(s, {5, 64}, 8, 2);
  const std::string mode = dot_mode_name(dot_mode(*backend));
  EXPECT_EQ(backend->compile(*gemv.node)->impl_name(), "ocl_qmatmul_int8_gemv_" + mode);
  EXPECT_EQ(backend->compile(*gemm.node)->impl_name(), "ocl_qmatmul_int8_gemm_" + mode);
  const DeviceInfo& d = backend->device();
  // Without the override the device rule applies: GEMV on GPUs, the tiled path on CPU devices.
  unsetenv("OCTET_QGEMV");
  EXPECT_EQ(backend->compile(*gemv.node)->impl_name(),
            std::string("ocl_qmatmul_int8_") + (d.type == "CPU" ? "gemm_" : "gemv_") + mode);
  if (d.nv_compute_capability < 61 && !d.integer_dot_product) {
    EXPECT_EQ(mode, "plain");
  }
  // The probe relies on a build failure for a mode the device lacks.
  if (!d.integer_dot_product) {
    try {
      backend->make_kernel("quantized_linear.cl", quantized_build_options(DotMode::kKhr, 0, false), "qgemm");
      ADD_FAILURE() << "cl_khr_integer_dot_product kernels built on a device without the extension";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kKernelBuildFailed) << e.what();
    }
  }
}

// A device that cannot launch 64-wide work-groups or lacks the local memory of the GEMV kernel
// must get the tiled GEMM (no fixed local size) with the reason, not CL_INVALID_WORK_GROUP_SIZE.
TEST(OpenClQuantized, GemvRespectsDeviceLimits) {
  DeviceInfo small;
  small.max_work_group = 32;
  small.local_memory = 1 << 20;
  EXPECT_EQ(gemv_device_limit(small), "device work-group limit 32 < 64");
  small.max_work_group = 256;
  small.local_memory = 1024;
  EXPECT_EQ(gemv_device_limit(small), "device local memory 1024 B < 2048 B");
  small.local_memory = 4096;
  EXPECT_EQ(gemv_device_limit(small), "");
  EXPECT_EQ(gemv_device_limit(small, 48, 0), "kernel work-group limit 48 < 64");
  EXPECT_EQ(gemv_device_limit(small, 256, 8192), "device local memory 4096 B < 8192 B");

  // On a real device the built kernel's own limits are known and, here, fit.
  OCTET_REQUIRE_OPENCL(backend);
  const DeviceInfo& d = backend->device();
  ocl::ClKernel k = backend->make_kernel("quantized_linear.cl",
                                         quantized_build_options(DotMode::kPlain, 0, false), "qgemv");
  const size_t wg = kernel_work_group_size(k.get(), d.device);
  const size_t local = kernel_local_memory(k.get(), d.device);
  EXPECT_GE(wg, kGemvWorkGroupSize);
  EXPECT_GE(local, kGemvLocalBytes);  // the two reduction arrays are really in local memory
  EXPECT_EQ(gemv_device_limit(d, wg, local), "");
}

TEST(OpenClQuantized, GemvLaunchChecksTheQueueAndKeepsItsEvent) {
  // The GEMV path launches with a fixed work-group size; it must go through the shared launch
  // path like every kernel: its event kept for finish()'s status check even without profiling,
  // and no launch on a queue marked suspect.
  OCTET_REQUIRE_OPENCL(backend);
  const ForceGemv force_gemv;
  ASSERT_FALSE(backend->options().profiling);
  Spec s;
  QCase c = matmul_case(s, {1, 64}, 8, 3);
  auto kernel = backend->compile(*c.node);
  ASSERT_NE(kernel->impl_name().find("gemv"), std::string::npos) << kernel->impl_name();
  std::vector<void*> owned;
  auto view = [&](const Value& v) {
    const size_t bytes = element_storage_bytes(v.type, element_count(v.shape));
    owned.push_back(backend->allocate(bytes));
    return BufferView{owned.back(), bytes};
  };
  std::vector<BufferView> in, out;
  for (size_t i = 0; i < c.node->inputs.size(); ++i)
    in.push_back(c.node->input_constant(i) ? BufferView{}
                                           : view(c.node->inputs[i].node->outputs[c.node->inputs[i].index]));
  out.push_back(view(c.node->outputs[0]));
  auto ctx = backend->create_context();
  auto& ocl_ctx = static_cast<OpenClContext&>(*ctx);
  kernel->enqueue(*ctx, in, out);
  EXPECT_EQ(ocl_ctx.pending.size(), 1u);
  backend->finish(*ctx);
  ocl_ctx.suspect = "marked by the test";
  try {
    kernel->enqueue(*ctx, in, out);
    ADD_FAILURE() << "launched on a suspect queue";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kDevice) << e.what();
  }
  ocl_ctx.suspect.clear();
  backend->finish(*ctx);
  for (void* h : owned) backend->release(h);
}

TEST(OpenClQuantized, MatMulFusedPostOps) {
  OCTET_REQUIRE_OPENCL(backend);
  const ForceGemv force_gemv;
  uint32_t seed = 500;
  // Exact epilogues: bit-exact.
  const std::vector<std::vector<PostOp>> exact = {
      {activation(PostOpCode::kRelu), residual()},
      {residual(), activation(PostOpCode::kClamp, -0.5f, 0.75f)},
      {activation(PostOpCode::kClamp, 0.0f, 6.0f)},
  };
  for (const auto& post : exact)
    for (bool fq : {false, true})
      for (Dims x : {Dims{1, 96}, Dims{6, 96}}) {
        Spec s;
        s.bias = true;
        s.post = post;
        s.out_fq = fq;
        s.wtype = seed % 2 ? ElementType::kU4 : ElementType::kI8;
        s.asym = seed % 2;
        s.group = seed % 2 ? 32 : 0;
        QCase c = matmul_case(s, x, 10, seed++);
        expect_bit_exact(*backend, c);
      }
  // Transcendental activations: computed in double like the reference (when the device has
  // fp64), so agreement is to float rounding; a fused FakeQuantize may then move by one step.
  const std::vector<PostOp> transcendental = {activation(PostOpCode::kSigmoid),
                                              activation(PostOpCode::kTanh),
                                              activation(PostOpCode::kSwish, 0, 1.5f),
                                              activation(PostOpCode::kHSwish),
                                              activation(PostOpCode::kHSigmoid),
                                              activation(PostOpCode::kGeluErf),
                                              activation(PostOpCode::kGeluTanh),
                                              activation(PostOpCode::kElu, 0.7f),
                                              activation(PostOpCode::kExp)};
  for (const PostOp& op : transcendental)
    for (bool fq : {false, true}) {
      Spec s;
      s.bias = true;
      s.post = std::vector<PostOp>{op, residual()};
      s.out_fq = fq;
      QCase c = matmul_case(s, {seed % 2 ? 1 : 5, 80}, 12, seed++);
      expect_close(*backend, c, 1e-6, 1e-7, fq ? 4.0 / 255 : 0.0);
    }
}

TEST(OpenClQuantized, MatMulWeightOnlyFloatActivations) {
  OCTET_REQUIRE_OPENCL(backend);
  const ForceGemv force_gemv;
  uint32_t seed = 900;
  for (ElementType t : kWeightTypes)
    for (bool asym : {false, true})
      for (int64_t group : {0, 32, 128})
        for (Dims x : {Dims{1, 256}, Dims{1, 4, 256}, Dims{9, 256}}) {
          Spec s;
          s.wtype = t;
          s.asym = asym;
          s.group = group;
          s.int_act = false;
          s.bias = true;
          s.post.push_back(activation(PostOpCode::kRelu));
          QCase c = matmul_case(s, x, 6, seed++);
          // Float sums in another order: relative to sum |x * w| (<= 256 * 1 * 255 * 0.02).
          expect_close(*backend, c, 1e-5, 1e-4);
        }
  // Odd K on the float path.
  Spec s;
  s.int_act = false;
  QCase c = matmul_case(s, {3, 37}, 5, seed++);
  expect_close(*backend, c, 1e-5, 1e-5);
  // 80 groups: the GEMV runs a full and a partial chunk of 64 groups.
  s.wtype = ElementType::kU4;
  s.asym = true;
  s.group = 32;
  QCase chunks = matmul_case(s, {1, 2560}, 3, seed++);
  expect_close(*backend, chunks, 1e-5, 1e-4);
}

TEST(OpenClQuantized, ConvolutionBitExact) {
  OCTET_REQUIRE_OPENCL(backend);
  const ForceGemv force_gemv;
  const std::vector<ConvSpec> convs = {
      {{1, 8, 8, 16}, 1, 12, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},  // 3x3 pad 1
      {{2, 7, 9, 5}, 1, 6, {3, 3}, {2, 2}, {1, 1}, {0, 1}, {1, 0}},    // odd channels, stride 2
      {{1, 9, 9, 8}, 1, 5, {3, 2}, {1, 2}, {2, 1}, {2, 0}, {1, 1}},    // dilation, asym pads
      {{2, 6, 5, 24}, 1, 13, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},  // pointwise: GEMM
      {{1, 2, 2, 16}, 1, 9, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},   // pointwise, 4 pixels: GEMV
      {{1, 7, 7, 8}, 1, 4, {1, 1}, {2, 2}, {1, 1}, {0, 0}, {0, 0}},    // strided 1x1: direct
      {{1, 6, 6, 12}, 2, 5, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},   // 2 groups
      {{1, 5, 6, 12}, 3, 4, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},   // grouped 1x1
      {{1, 9, 9, 10}, 10, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},  // depthwise, C % 4 != 0
      {{2, 8, 7, 8}, 8, 1, {3, 3}, {2, 2}, {1, 1}, {1, 0}, {0, 1}},    // depthwise, strided
      {{1, 8, 8, 4}, 4, 1, {5, 5}, {1, 1}, {2, 2}, {4, 4}, {4, 4}},    // depthwise, dilated
      {{1, 17, 6}, 1, 7, {3}, {2}, {3}, {2}, {1}},                     // 1-D
  };
  uint32_t seed = 2000;
  for (size_t i = 0; i < convs.size(); ++i)
    for (ElementType t : kWeightTypes)
      for (bool asym : {false, true}) {
        Spec s;
        s.wtype = t;
        s.asym = asym;
        s.act_zp = seed % 3 == 0 ? 0 : (seed % 3 == 1 ? 128 : 93);
        s.bias = seed % 2 == 0;
        if (seed % 5 == 1) s.post = std::vector<PostOp>{activation(PostOpCode::kRelu), residual()};
        if (seed % 5 == 3) s.out_fq = true;
        QCase c = conv_case(s, convs[i], seed++);
        expect_bit_exact(*backend, c);
      }
}

TEST(OpenClQuantized, ConvolutionFloatActivations) {
  OCTET_REQUIRE_OPENCL(backend);
  const ForceGemv force_gemv;
  const std::vector<ConvSpec> convs = {
      {{1, 8, 8, 16}, 1, 12, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},
      {{2, 7, 9, 5}, 1, 6, {3, 3}, {2, 2}, {1, 1}, {0, 1}, {1, 0}},
      {{2, 6, 5, 24}, 1, 13, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},
      {{1, 6, 6, 12}, 2, 5, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},
      {{1, 9, 9, 10}, 10, 1, {3, 3}, {2, 1}, {1, 2}, {1, 2}, {1, 0}},
      {{1, 17, 6}, 1, 7, {3}, {2}, {3}, {2}, {1}},
  };
  uint32_t seed = 3000;
  for (const ConvSpec& k : convs)
    for (ElementType t : kWeightTypes) {
      Spec s;
      s.wtype = t;
      s.asym = seed % 2 == 0;
      s.int_act = false;
      s.bias = true;
      s.post = std::vector<PostOp>{activation(PostOpCode::kRelu), residual()};
      QCase c = conv_case(s, k, seed++);
      expect_close(*backend, c, 1e-5, 1e-4);
    }
}

// Weight bytes the backend holds for one compiled node, against the f32 weight bytes.
double weight_ratio(OpenClBackend& backend, const Node& node) {
  const QuantizedWeights& w = quantized_params(node).weights;
  const size_t before = backend.weight_bytes();
  auto kernel = backend.compile(node);
  const size_t held = backend.weight_bytes() - before;
  return static_cast<double>(held) / static_cast<double>(w.output_channels * w.reduction * 4);
}

TEST(OpenClQuantized, WeightsStayCompressedOnDevice) {
  OCTET_REQUIRE_OPENCL(backend);
  const ForceGemv force_gemv;
  struct Case {
    ElementType t;
    bool asym, int_act;
    int64_t group;
    double limit;
  };
  const Case cases[] = {
      {ElementType::kI8, false, true, 0, 0.3},    {ElementType::kU8, true, true, 0, 0.3},
      {ElementType::kI8, false, false, 0, 0.3},   {ElementType::kU8, true, false, 0, 0.3},
      {ElementType::kI4, false, false, 32, 0.2},  {ElementType::kU4, true, false, 32, 0.2},
      {ElementType::kI4, false, false, 128, 0.2}, {ElementType::kU4, true, false, 128, 0.2},
      {ElementType::kU4, true, true, 128, 0.2},
  };
  for (const Case& k : cases) {
    Spec s;
    s.wtype = k.t;
    s.asym = k.asym;
    s.int_act = k.int_act;
    s.group = k.group;
    s.bias = true;
    QCase c = matmul_case(s, {1, 1024}, 256, 7);
    const double ratio = weight_ratio(*backend, *c.node);
    std::printf("[int8-memory] %-40s device weight bytes / f32 bytes = %.4f (limit %.1f)\n", c.what.c_str(),
                ratio, k.limit);
    EXPECT_LE(ratio, k.limit) << c.what;
  }
}

}  // namespace
}  // namespace octet
