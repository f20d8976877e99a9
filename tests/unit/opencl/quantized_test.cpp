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
#include "tests/unit/opencl/quantized_cases.h"

namespace octet {
namespace {
using namespace qtest;  // NOLINT

// Puts the GEMV implementation first in the kernel choice ($OCTET_QIMPL, ahead of whatever the
// environment already forces) so that it runs for small row counts whatever the device (PoCL
// would pick the register GEMM); restored when the test ends.
class ForceGemv {
 public:
  ForceGemv() {
    const char* old = std::getenv("OCTET_QIMPL");
    if (old != nullptr) saved_ = old;
    had_ = old != nullptr;
    setenv("OCTET_QIMPL", had_ ? ("gemv," + saved_).c_str() : "gemv", 1);
  }
  ~ForceGemv() {
    if (had_)
      setenv("OCTET_QIMPL", saved_.c_str(), 1);
    else
      unsetenv("OCTET_QIMPL");
  }

 private:
  std::string saved_;
  bool had_ = false;
};

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
  auto impl = [&](QCase& c) {  // the kernel's name without the list of declined implementations
    const std::string name = backend->compile(*c.node)->impl_name();
    return name.substr(0, name.find(' '));
  };
  EXPECT_EQ(impl(gemv), "ocl_qmatmul_int8_gemv_" + mode);
  const DeviceInfo& d = backend->device();
  // Without the override the device rule applies: the GEMV family (<= 16 rows) on GPUs, the
  // register GEMM (after refusals with reasons) on CPU devices.
  unsetenv("OCTET_QIMPL");
  EXPECT_EQ(impl(gemm),
            d.type == "CPU" ? "ocl_qmatmul_int8_gemm_" + mode : "ocl_qmatmul_int8_gemv_rows_" + mode);
  if (d.type == "CPU") {
    EXPECT_NE(backend->compile(*gemv.node)->impl_name().find("tiled: CPU device"), std::string::npos);
    const QuantizedChoice choice = choose_quantized(*gemm.node, *backend);
    EXPECT_EQ(choice.chosen, "gemm");
    ASSERT_EQ(choice.refused.size(), 4u);
    EXPECT_EQ(choice.refused[0].first, "mma");  // tensor cores: NVIDIA only
    EXPECT_EQ(choice.refused[1].first, "gemv_rows");
    EXPECT_EQ(choice.refused[2].first, "tiled");
    EXPECT_EQ(choice.refused[3].first, "gemv");
    EXPECT_EQ(choice.refused[3].second, "5 rows > 4");
  }
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
