// The GEMV family for M <= 16 (kernels/qgemv_rows.cl) on whatever OpenCL device is present (PoCL
// on build machines): compressed weights bit-exact against the integer reference for M = 1..16,
// N and K of 1, primes and tile sizes +-1, int4 sym/asym groups 32/64/128 and per-channel
// int8/uint8; float activations and f32 weights within the float bound; its place in the kernel
// choice and the limits it declines with.
#include "runtime/opencl/ops/quantized_gemv.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "host/reference/evaluate.h"
#include "runtime/opencl/ops/quantized.h"
#include "tests/unit/opencl/quantized_cases.h"

namespace octet {
namespace {
using namespace qtest;  // NOLINT

using test::ScopedEnv;

const int64_t kRows[] = {1, 2, 3, 4, 5, 7, 8, 15, 16};

// Runs `c` with the GEMV forced (and `params` as $OCTET_QGEMV) and checks it ran there.
std::string force_gemv(OpenClBackend& backend, QCase& c, const std::string& params) {
  const ScopedEnv impl("OCTET_QIMPL", "gemv_rows");
  const ScopedEnv geometry("OCTET_QGEMV", params.empty() ? "0" : params);
  const std::string name = backend.compile(*c.node)->impl_name();
  EXPECT_NE(name.find("_gemv_rows_"), std::string::npos) << c.what << " params '" << params << "': " << name;
  c.what += " [" + name + "]";
  return name;
}

void expect_gemv_bit_exact(OpenClBackend& backend, QCase& c, const std::string& params = "") {
  force_gemv(backend, c, params);
  const ScopedEnv impl("OCTET_QIMPL", "gemv_rows");
  const ScopedEnv geometry("OCTET_QGEMV", params.empty() ? "0" : params);
  expect_bit_exact(backend, c);
}

// Per-channel int8/uint8 (and int4) with every row count, K of 1, primes and the chunk sizes +-1
// (KC = 256 for 8-bit and 512 for 4-bit at 16 lanes per channel; 512 / 1024 at 32), N around the
// 4 channels of a work-group; zero points, activation zero points, bias and exact post-ops.
TEST(OpenClQuantizedGemv, PerChannelBitExactForEveryRowCount) {
  OCTET_REQUIRE_OPENCL(backend);
  struct KN {
    int64_t k, n;
  };
  const KN shapes[] = {{1, 1},   {13, 5},   {255, 3},  {256, 4},  {257, 9},   {511, 7},
                       {512, 8}, {513, 17}, {1023, 2}, {1025, 5}, {4096, 11}, {67, 13}};
  uint32_t seed = 11000;
  size_t i = 0;
  for (int64_t m : kRows)
    for (int j = 0; j < 3; ++j, ++i) {
      const KN& sh = shapes[i % std::size(shapes)];
      Spec s;
      s.wtype = kWeightTypes[i % 4];
      s.asym = (i / 4) % 2 == 1;
      s.act_zp = seed % 3 == 0 ? 0 : (seed % 3 == 1 ? 128 : 101);
      s.bias = seed % 2 == 0;
      if (seed % 4 == 1) s.post = std::vector<PostOp>{activation(PostOpCode::kRelu), residual()};
      if (seed % 5 == 2) s.out_fq = true;
      QCase c = matmul_case(s, {m, sh.k}, sh.n, seed++);
      expect_gemv_bit_exact(*backend, c);
    }
}

// int4 / uint4 groups of 32, 64 and 128 symmetric and asymmetric (and 8-bit groups): group results
// added in group order, whether a group is one lane, several lanes or several chunks.
TEST(OpenClQuantizedGemv, GroupedBitExact) {
  OCTET_REQUIRE_OPENCL(backend);
  uint32_t seed = 12000;
  size_t i = 0;
  for (int64_t group : {32, 64, 128})
    for (ElementType t : {ElementType::kI4, ElementType::kU4, ElementType::kI8})
      for (bool asym : {false, true}) {
        const int64_t m = kRows[i % std::size(kRows)];
        const int64_t groups[] = {1, 3, 17, 8};  // K = 32 .. 2176
        const int64_t n[] = {1, 4, 5, 7};
        Spec s;
        s.wtype = t;
        s.asym = asym;
        s.group = group;
        s.act_zp = seed % 2 ? 128 : 77;
        s.bias = true;
        QCase c = matmul_case(s, {m, group * groups[i % 4]}, n[i % 4], seed++);
        expect_gemv_bit_exact(*backend, c);
        ++i;
      }
}

// Other geometries ($OCTET_QGEMV, the tuner's handle): the GPU default (32 lanes per channel), 2
// words per lane with 2 channels per work-group, 8 lanes and 4 rows; each bit-exact on grouped
// and per-channel shapes.
TEST(OpenClQuantizedGemv, GeometriesBitExact) {
  OCTET_REQUIRE_OPENCL(backend);
  uint32_t seed = 13000;
  for (const char* params : {"128,4,1,16", "64,2,2,16", "32,4,1,4"})
    for (int v = 0; v < 3; ++v) {
      Spec s;  // two weight kinds: each (geometry, kind, MR) is one more program to build
      s.wtype = v == 1 ? ElementType::kU8 : ElementType::kI4;
      s.asym = v != 1;
      s.group = v == 2 ? 64 : (v == 1 ? 0 : 128);
      s.bias = true;
      const int64_t m = std::string(params).back() == '4' ? 3 : 16 - v;
      const int64_t k = s.group ? s.group * 9 : 1031;
      QCase c = matmul_case(s, {m, k}, 9 + v, seed++);
      {
        const ScopedEnv geometry("OCTET_QGEMV", params);
        ASSERT_EQ(gemv_rows_params_limit(*c.node, backend->device(), {}), "") << params << " " << c.what;
      }
      expect_gemv_bit_exact(*backend, c, params);
    }
}

// Pointwise convolutions over channels-last codes with at most 16 pixels (NCHW output planes).
TEST(OpenClQuantizedGemv, PointwiseConvolutionBitExact) {
  OCTET_REQUIRE_OPENCL(backend);
  uint32_t seed = 14000;
  const std::vector<ConvSpec> convs = {
      {{1, 1, 1, 64}, 1, 10, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},
      {{2, 2, 2, 33}, 1, 5, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},
      {{1, 3, 5, 24}, 1, 7, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},
  };
  for (const ConvSpec& k : convs) {
    Spec s;
    s.wtype = kWeightTypes[seed % 4];
    s.asym = seed % 2 == 1;
    s.bias = true;
    s.post = std::vector<PostOp>{activation(PostOpCode::kRelu), residual()};
    QCase c = conv_case(s, k, seed++);
    expect_gemv_bit_exact(*backend, c);
  }
}

// Weight-only compression (f32 activations): float sums in another order, within the float
// bound relative to sum |x * w| as for the other float-activation kernels.
TEST(OpenClQuantizedGemv, FloatActivationsWithinBound) {
  OCTET_REQUIRE_OPENCL(backend);
  uint32_t seed = 15000;
  size_t i = 0;
  for (int64_t m : kRows) {
    Spec s;
    s.wtype = i % 2 ? ElementType::kU8 : ElementType::kI4;  // every kind runs the integer tests above
    s.asym = (i / 2) % 2 == 1;
    s.group = (i % 3) * 64;  // 0 (per channel), 64, 128
    s.int_act = false;
    s.bias = true;
    const int64_t k = s.group ? s.group * (1 + i % 5) : 257 + 254 * (i % 3);
    QCase c = matmul_case(s, {m, k}, 3 + i % 4, seed++);
    force_gemv(*backend, c, "");
    const ScopedEnv impl("OCTET_QIMPL", "gemv_rows");
    expect_close(*backend, c, 1e-5, 1e-4 * static_cast<double>(k) / 256);
    ++i;
  }
}

// f32-weight MatMul (constant B): the float GEMV for rows <= 16, within 1e-5 of the reference's
// magnitude; B as [K, N] and as [N, K]; values exact in half are stored as halves.
TEST(OpenClQuantizedGemv, FloatWeightsMatMul) {
  OCTET_REQUIRE_OPENCL(backend);
  const ScopedEnv force("OCTET_FGEMV", "1");  // CPU devices keep the GEMM by default
  uint32_t seed = 16000;
  size_t i = 0;
  for (int64_t m : kRows)
    for (bool half : {false, true}) {
      const int64_t k = i % 3 == 0 ? 1 : (i % 3 == 1 ? 131 : 1025), n = 1 + (i * 7) % 19;
      const bool tb = i % 2 == 0;
      Tensor b = test::random_tensor(tb ? Dims{n, k} : Dims{k, n}, seed++);
      if (half)
        for (int64_t e = 0; e < b.element_count(); ++e)
          b.data_as<float>()[e] = half_to_float(float_to_half(b.data_as<float>()[e]));
      test::OpCase c(OpKind::kMatMul);
      c.input(test::random_tensor(m == 5 ? Dims{5, 1, k} : Dims{m, k}, seed++)).input(b, true);
      c.attr("transpose_a", "false").attr("transpose_b", tb ? "true" : "false");
      Node& node = c.finish();
      ASSERT_EQ(float_gemv_hard_limit(node, *backend), "");
      const std::string name = backend->compile(node)->impl_name();
      EXPECT_NE(name.find(half ? "f16w_gemv" : "f32_gemv"), std::string::npos) << name;
      test::expect_matches_reference(c, "float GEMV m=" + std::to_string(m) + " k=" + std::to_string(k) +
                                            " n=" + std::to_string(n) + (half ? " half" : ""));
      ++i;
    }
  // 17 rows and a non-constant B stay on the GEMM.
  test::OpCase big(OpKind::kMatMul);
  big.input(test::random_tensor({17, 8}, 1)).input(test::random_tensor({8, 4}, 2), true);
  big.attr("transpose_a", "false").attr("transpose_b", "false");
  EXPECT_EQ(float_gemv_hard_limit(big.finish(), *backend), "17 rows > 16");
  test::OpCase var(OpKind::kMatMul);
  var.input(test::random_tensor({2, 8}, 1)).input(test::random_tensor({8, 4}, 2));
  var.attr("transpose_a", "false").attr("transpose_b", "false");
  EXPECT_EQ(float_gemv_hard_limit(var.finish(), *backend), "B is not a constant");
}

// First in the list for both ops; declines above 16 rows, off-GEMM convolutions, group sizes
// that do not fit the lane span, and parameter sets beyond the device's work-group or local
// memory, each with its reason (issue 12: no kernel is chosen past the device's limits).
TEST(OpenClQuantizedGemv, KernelChoiceAndLimits) {
  OCTET_REQUIRE_OPENCL(backend);
  const ScopedEnv clear("OCTET_QIMPL", "");
  Spec s;
  QCase small = matmul_case(s, {16, 256}, 8, 1), big = matmul_case(s, {17, 256}, 8, 2);
  EXPECT_EQ(quantized_implementations(*small.node)[1], "gemv_rows");  // after the tensor-core entry
  EXPECT_EQ(gemv_rows_limit(*big.node, *backend), "17 rows > 16");
  const QuantizedChoice bc = choose_quantized(*big.node, *backend);
  const size_t first = !bc.refused.empty() && bc.refused[0].first == "mma" ? 1 : 0;  // off NVIDIA sm_80+
  ASSERT_GT(bc.refused.size(), first);
  EXPECT_EQ(bc.refused[first].first, "gemv_rows");
  EXPECT_EQ(bc.refused[first].second, "17 rows > 16");
  const QuantizedChoice sc = choose_quantized(*small.node, *backend);
  if (backend->device().type != "CPU") {
    EXPECT_EQ(sc.chosen, "gemv_rows");
  }

  QCase conv = conv_case(s, {{1, 3, 3, 16}, 1, 4, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}}, 3);
  EXPECT_EQ(gemv_rows_limit(*conv.node, *backend),
            "not a GEMM (only 1x1 stride-1 unpadded convolutions are)");

  Spec g16;
  g16.wtype = ElementType::kI4;
  g16.group = 16;
  QCase odd = matmul_case(g16, {1, 64}, 4, 4);
  EXPECT_NE(gemv_rows_limit(*odd.node, *backend).find("weight group size 16 does not fit"), std::string::npos)
      << gemv_rows_limit(*odd.node, *backend);

  DeviceInfo d;
  d.type = "GPU";
  d.max_work_group = 64;
  d.local_memory = 1 << 20;
  EXPECT_EQ(gemv_rows_params_limit(*small.node, d, {128, 4, 1, 16}), "work-group of 128 > device limit 64");
  EXPECT_EQ(gemv_rows_params_limit(*small.node, d, {}), "");  // the default rule fits the device
  d.local_memory = 2048;
  EXPECT_EQ(gemv_rows_params_limit(*small.node, d, {64, 4, 1, 16}), "local memory 8192 B > device 2048 B");
  EXPECT_EQ(gemv_rows_params_limit(*small.node, d, {64, 8, 1, 16}), "NPW 8 x MR 16 owner lanes > WG 64");
  EXPECT_EQ(gemv_rows_params_limit(*small.node, d, {48, 4, 1, 16}), "WG 48 / NPW 4 is not a power of two");
  EXPECT_EQ(gemv_rows_params_limit(*small.node, d, {64, 4, 1, 4}), "16 rows > MR 4");
}

}  // namespace
}  // namespace octet
