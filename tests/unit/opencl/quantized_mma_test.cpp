// The tensor-core int8 GEMM (kernels/qgemm_mma.cl) without a GPU: with OCTET_MMA_EMULATE the warp
// instruction is emulated in OpenCL C through local memory per PTX's fragment layouts, so the
// whole kernel (fragments, tiling, zero-point sums, weight groups, implicit-GEMM convolutions,
// epilogue) runs on PoCL and is checked bit-exactly against the integer reference; the probe's
// own kernel and checker are run the same way (and shown to catch a wrong element). Without
// emulation, a device that is not NVIDIA sm_80+ declines the path with its reason. Only the inline
// PTX line itself is untested on PoCL; the device probe guards it, and where the verdict allows
// the path (NVIDIA sm_80+, tools/scripts/gpu_validate.sh) every case also runs the real instruction.
#include "runtime/opencl/ops/quantized_mma.h"

#include <gtest/gtest.h>

#include <string>

#include "runtime/opencl/ops/quantized.h"
#include "tests/unit/opencl/quantized_cases.h"

namespace octet {
namespace {
using namespace qtest;  // NOLINT

using test::ScopedEnv;

bool nvidia_sm80(const OpenClBackend& b) {
  return b.device().nv_compute_capability >= 80;
}

// Runs `c` on the MMA path (forced) with tile parameters "MWG,NWG,KWG,TM,TN" ("" = the default
// rule) and checks it ran there and is bit-exact: emulated on every device, and with the real
// instruction too where the device verdict allows it (NVIDIA sm_80+: tools/scripts/gpu_validate.sh).
void expect_mma_bit_exact(OpenClBackend& backend, QCase& c, const std::string& params) {
  const std::string what = c.what;
  for (bool emulate : {true, false}) {
    if (!emulate && !mma_verdict(backend).available) continue;
    const ScopedEnv emulation("OCTET_MMA_EMULATE", emulate ? "1" : nullptr);
    const ScopedEnv impl("OCTET_QIMPL", "mma");
    const ScopedEnv tile("OCTET_MMA_TILE", params.empty() ? "0" : params);
    const std::string name = backend.compile(*c.node)->impl_name();
    ASSERT_NE(name.find(emulate ? "_mma_m16n8k32_emulated " : "_mma_m16n8k32 "), std::string::npos)
        << what << " '" << params << "': " << name;
    c.what = what + " [" + name + "]";
    expect_bit_exact(backend, c);
  }
  c.what = what;
}

TEST(OpenClQuantizedMma, EmulatedProbeIsExactAndCatchesAWrongElement) {
  OCTET_REQUIRE_OPENCL(backend);
  // The probe's kernel, operands and checker through the emulated instruction.
  EXPECT_EQ(mma_probe(*backend, true), "");
  // One element off by one (kernel test hook): reported with its position.
  const std::string wrong = mma_probe(*backend, true, "-DMMA_PROBE_FAULT");
  EXPECT_NE(wrong.find("probe result wrong at (0,0) of the s8 x s8 product"), std::string::npos) << wrong;
}

TEST(OpenClQuantizedMma, DeclinedWithTheReasonWhereNotAvailable) {
  OCTET_REQUIRE_OPENCL(backend);
  const ScopedEnv emulate("OCTET_MMA_EMULATE", nullptr);
  const ScopedEnv clear("OCTET_QIMPL", nullptr);
  const MmaVerdict v = mma_verdict(*backend);
  if (nvidia_sm80(*backend)) GTEST_SKIP() << "NVIDIA sm_80+: " << v.reason;
  EXPECT_FALSE(v.available);
  if (backend->device().nv_compute_capability == 0) {
    EXPECT_EQ(v.reason, "not an NVIDIA device");
  }
  // PoCL's compiler has no inline PTX: the probe's build failure comes back as the first log line.
  if (backend->device().platform_name.find("Portable Computing Language") != std::string::npos) {
    const std::string built = mma_probe(*backend, false);
    EXPECT_EQ(built.rfind("probe build failed: ", 0), 0u) << built;
    EXPECT_NE(built.find("asm"), std::string::npos) << built;
    EXPECT_EQ(built.find('\n'), std::string::npos) << built;
  }
  // Shown next to the DOT4 verdict in the backend's description (octet devices -v / info -d use
  // the same verdict).
  EXPECT_NE(backend->description().find("tensor cores (mma): " + v.reason), std::string::npos)
      << backend->description();
  Spec s;
  QCase c = matmul_case(s, {64, 96}, 40, 5);
  EXPECT_EQ(quantized_implementations(*c.node).front(), "mma");
  QuantizedChoice choice = choose_quantized(*c.node, *backend);
  ASSERT_FALSE(choice.refused.empty());
  EXPECT_EQ(choice.refused[0].first, "mma");
  EXPECT_EQ(choice.refused[0].second, v.reason);
  EXPECT_NE(backend->compile(*c.node)->impl_name().find("mma: " + v.reason), std::string::npos);
  // Forced, it still declines (the verdict is a hard limit) and the next entry runs.
  const ScopedEnv impl("OCTET_QIMPL", "mma");
  choice = choose_quantized(*c.node, *backend);
  EXPECT_NE(choice.chosen, "mma");
  EXPECT_EQ(choice.refused[0].second, v.reason);
  try {
    compile_quantized_mma(*c.node, *backend);
    ADD_FAILURE() << "compiled without the device verdict";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    EXPECT_NE(std::string(e.what()).find(v.reason), std::string::npos) << e.what();
  }
  // Emulation lifts the verdict but not the preference: only a forced choice takes it.
  const ScopedEnv on("OCTET_MMA_EMULATE", "1");
  EXPECT_EQ(mma_limit(*c.node, *backend), "");
  EXPECT_NE(mma_preference(*c.node, *backend).find("OCTET_MMA_EMULATE"), std::string::npos);
  EXPECT_EQ(choose_quantized(*c.node, *backend).chosen, "mma");
}

TEST(OpenClQuantizedMma, MatMulBitExactAcrossParameterSets) {
  OCTET_REQUIRE_OPENCL(backend);
  // 1, primes, MMA and tile sizes +-1 (8, 16, 32, 64), K not a multiple of 4 / 16 / 32, batch
  // dims, the zoo's matmul shapes (matmul_int8_*: 4x256 -> 128; transformer_int8: 16x64 -> 64).
  struct Shape {
    Dims x;
    int64_t n;
    const char* params;
  };
  const Shape shapes[] = {
      {{1, 1}, 1, ""},
      {{1, 4}, 9, "16,8,32,1,1"},
      {{7, 67}, 13, ""},
      {{17, 31}, 15, "16,16,32,1,1"},
      {{15, 33}, 7, "32,16,64,1,2"},
      {{33, 65}, 31, "32,32,32,2,2"},
      {{65, 96}, 17, "64,32,32,2,4"},
      {{2, 3, 48}, 5, ""},
      {{4, 256}, 128, ""},
      {{16, 64}, 64, "16,64,32,1,2"},
      {{130, 40}, 129, ""},  // 128x128 tiles of 8 warps, one tile +-1
  };
  uint32_t seed = 9100;
  for (size_t i = 0; i < std::size(shapes); ++i) {
    Spec s;
    s.wtype = kWeightTypes[i % 4];
    s.asym = (i / 2) % 2 == 1;
    s.act_zp = seed % 3 == 0 ? 0 : (seed % 3 == 1 ? 128 : 101);
    s.bias = seed % 2 == 0;
    if (i % 4 == 1) s.post = std::vector<PostOp>{activation(PostOpCode::kRelu), residual()};
    if (i % 5 == 2) s.out_fq = true;
    QCase c = matmul_case(s, shapes[i].x, shapes[i].n, seed++);
    expect_mma_bit_exact(*backend, c, shapes[i].params);
  }
}

TEST(OpenClQuantizedMma, ExtremeCodesAndEveryWeightTypeAndZeroPoint) {
  OCTET_REQUIRE_OPENCL(backend);
  uint32_t seed = 9300;
  for (ElementType t : kWeightTypes)
    for (bool asym : {false, true}) {
      Spec s;
      s.wtype = t;
      s.asym = asym;
      s.act_zp = asym ? 77 : 128;
      s.bias = true;
      QCase c = matmul_case(s, {20, 100}, 19, seed++);
      // Extreme activation codes in the first rows: -128 and 127 everywhere.
      int8_t* x = c.inputs[0].data_as<int8_t>();
      for (int k = 0; k < 100; ++k) x[k] = -128, x[100 + k] = 127;
      expect_mma_bit_exact(*backend, c, "");
    }
}

TEST(OpenClQuantizedMma, MatMulWeightGroups) {
  OCTET_REQUIRE_OPENCL(backend);
  // Group results rescaled in group order; KWG divides the group size.
  struct Shape {
    Dims x;
    int64_t n, group;
    ElementType t;
    const char* params;
  };
  const Shape shapes[] = {
      {{1, 256}, 7, 32, ElementType::kI4, ""},
      {{9, 256}, 17, 64, ElementType::kU4, "16,16,64,1,1"},
      {{5, 384}, 6, 128, ElementType::kI8, ""},
      {{33, 96}, 16, 32, ElementType::kU8, "32,16,32,2,2"},
  };
  uint32_t seed = 9500;
  for (const Shape& sh : shapes) {
    Spec s;
    s.wtype = sh.t;
    s.asym = seed % 2 == 0;
    s.group = sh.group;
    s.act_zp = seed % 3 == 0 ? 0 : 128;
    s.bias = true;
    QCase c = matmul_case(s, sh.x, sh.n, seed++);
    expect_mma_bit_exact(*backend, c, sh.params);
  }
  // Groups the MMA's K step does not divide are declined with the reason.
  Spec g16;
  g16.group = 16;
  QCase c = matmul_case(g16, {4, 64}, 8, 1);
  const ScopedEnv emulate("OCTET_MMA_EMULATE", "1");
  EXPECT_NE(mma_limit(*c.node, *backend).find("weight group size 16 is not a multiple of 32"),
            std::string::npos);
}

TEST(OpenClQuantizedMma, ConvolutionsBitExact) {
  OCTET_REQUIRE_OPENCL(backend);
  const std::vector<ConvSpec> convs = {
      {{1, 8, 8, 16}, 1, 12, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},    // 3x3 pad 1, 16-byte loads
      {{2, 7, 9, 5}, 1, 6, {3, 3}, {2, 2}, {1, 1}, {0, 1}, {1, 0}},      // odd channels: byte loads
      {{1, 9, 9, 8}, 1, 5, {3, 2}, {1, 2}, {2, 1}, {2, 0}, {1, 1}},      // dilation, 4-byte loads
      {{2, 6, 5, 24}, 1, 13, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},    // pointwise: GEMM, NCHW out
      {{1, 6, 6, 12}, 2, 5, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},     // 2 groups
      {{1, 17, 6}, 1, 7, {3}, {2}, {3}, {2}, {1}},                       // 1-D
      {{1, 14, 14, 32}, 1, 33, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}},  // zoo-like stride 2, tile +1
  };
  uint32_t seed = 9700;
  for (size_t i = 0; i < convs.size(); ++i) {
    Spec s;
    s.wtype = kWeightTypes[i % 4];
    s.asym = (i / 2) % 2 == 1;
    s.act_zp = seed % 3 == 0 ? 0 : (seed % 3 == 1 ? 128 : 93);
    s.bias = seed % 2 == 0;
    if (i % 3 == 1) s.post = std::vector<PostOp>{activation(PostOpCode::kRelu), residual()};
    if (i % 3 == 2) s.out_fq = true;
    QCase c = conv_case(s, convs[i], seed++);
    expect_mma_bit_exact(*backend, c, i % 2 ? "32,16,32,1,2" : "");
  }
}

TEST(OpenClQuantizedMma, IllegalParametersAreRefusedWithTheReason) {
  OCTET_REQUIRE_OPENCL(backend);
  const ScopedEnv emulate("OCTET_MMA_EMULATE", "1");
  const ScopedEnv tile("OCTET_MMA_TILE", nullptr);
  Spec s;
  s.group = 32;
  QCase c = matmul_case(s, {4, 128}, 8, 1);
  auto refused = [&](const MmaParams& p, const std::string& part) {
    try {
      compile_quantized_mma(*c.node, *backend, p);
      ADD_FAILURE() << p.describe() << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  refused({16, 8, 16, 1, 1}, "KWG 16 not a multiple of 32");
  refused({16, 8, 64, 1, 1}, "KWG 64 does not divide the weight group size 32");
  refused({24, 8, 32, 1, 1}, "MWG 24 not a multiple of 16 x TM 1");
  refused({16, 24, 32, 1, 2}, "NWG 24 not a multiple of 8 x TN 2");
  refused({1024, 1024, 32, 1, 1}, "work-group of");
  // Device preferences (lifted when forced): few rows go to the GEMV family, small reductions
  // that pad by more than a quarter to the K step of 32 to the DOT4 core.
  {
    const ScopedEnv real("OCTET_MMA_EMULATE", nullptr);
    Spec p;
    QCase rows = matmul_case(p, {16, 64}, 8, 3), narrow = matmul_case(p, {64, 24}, 8, 4),
          fine = matmul_case(p, {64, 56}, 8, 5);
    EXPECT_EQ(mma_preference(*rows.node, *backend),
              "16 rows: the GEMV family reads the weights once at full bandwidth");
    EXPECT_EQ(mma_preference(*narrow.node, *backend),
              "K = 24 pads to 32 (the MMA's K step): the DOT4 core wastes less");
    EXPECT_EQ(mma_preference(*fine.node, *backend), "");
  }
  // Depthwise and weight-only nodes are not GEMMs of int8 codes.
  QCase dw = conv_case(Spec{}, {{1, 9, 9, 10}, 10, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}}, 1);
  EXPECT_NE(mma_limit(*dw.node, *backend).find("depthwise"), std::string::npos);
  Spec wo;
  wo.int_act = false;
  QCase f = matmul_case(wo, {9, 64}, 8, 2);
  EXPECT_NE(mma_limit(*f.node, *backend).find("f32 activations"), std::string::npos);
}

}  // namespace
}  // namespace octet
