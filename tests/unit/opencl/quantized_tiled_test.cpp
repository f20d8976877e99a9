// The tiled int8 GEMM core (kernels/qgemm_tiled.cl) against the integer reference on whatever
// OpenCL device is present (PoCL on build machines): every tile parameter set, weight type and
// zero-point variant bit-exact on shapes of 1, primes, tile sizes +-1, zoo shapes and split-K;
// and the ordered kernel choice with its reasons.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "runtime/opencl/ops/quantized.h"
#include "tests/unit/opencl/quantized_cases.h"

namespace octet {
namespace {
using namespace qtest;  // NOLINT

using test::ScopedEnv;

// Tile parameter sets ("MWG,NWG,KWG,MWI,NWI,SPLIT"; "" = the default rule): square and
// rectangular tiles, register blocks of 1 to 4x4, K slices of 8 to 64, forced splits.
const char* const kParamSets[] = {
    "",
    "16,16,16,1,1,1",
    "32,32,32,2,2,1",
    "64,64,32,4,4,1",
    "16,32,16,1,2,1",
    "32,16,8,2,1,1",
    "16,16,64,4,4,1",
    "32,64,16,2,4,1",
    "16,16,16,1,1,3",
    "32,32,32,2,2,2",
};

// Runs `c` with the tiled core forced and checks it ran there and is bit-exact.
void expect_tiled_bit_exact(OpenClBackend& backend, QCase& c, const std::string& params) {
  const ScopedEnv impl("OCTET_QIMPL", "tiled");
  const ScopedEnv tile("OCTET_QTILE", params.empty() ? "0" : params);
  const std::string name = backend.compile(*c.node)->impl_name();
  ASSERT_NE(name.find("_tiled_"), std::string::npos) << c.what << " params '" << params << "': " << name;
  c.what += " [" + name + "]";
  expect_bit_exact(backend, c);
}

TEST(OpenClQuantizedTiled, MatMulBitExactAcrossParameterSets) {
  OCTET_REQUIRE_OPENCL(backend);
  struct Shape {
    Dims x;
    int64_t n;
  };
  // 1, primes, tile sizes +-1 (16, 32, 64), K not a multiple of 4 / 16, batch dims, and the zoo's
  // matmul shapes (matmul_int8_*: 4x256 -> 128; transformer_int8: 16x64 -> 64 / 256).
  const Shape shapes[] = {
      {{1, 1}, 1},     {{1, 4}, 1},     {{7, 67}, 13},   {{15, 33}, 17},  {{17, 31}, 15},
      {{31, 64}, 33},  {{33, 65}, 31},  {{63, 96}, 65},  {{65, 128}, 63}, {{2, 3, 48}, 5},
      {{4, 256}, 128}, {{16, 64}, 256}, {{16, 256}, 64}, {{3, 1000}, 7},
  };
  // Every shape runs the default set and every third of the others (each set then meets about
  // five shapes): the whole cross product is 140 PoCL program builds, most of this test's time in
  // CI. OCTET_TEST_ALL_TILE_SETS=1 runs all of it; Oclgrind checks every set the tuner may pick
  // (OpenClTuner.EveryParameterSetOnSmallShapes).
  const bool all_sets = std::getenv("OCTET_TEST_ALL_TILE_SETS") != nullptr;
  uint32_t seed = 7000;
  for (size_t p = 0; p < std::size(kParamSets); ++p)
    for (size_t i = 0; i < std::size(shapes); ++i) {
      if (!all_sets && p != 0 && (p + i) % 3 != 0) {
        ++seed;
        continue;
      }
      Spec s;
      s.wtype = kWeightTypes[(p + i) % 4];
      s.asym = (p + i / 4) % 2 == 1;
      s.act_zp = seed % 3 == 0 ? 0 : (seed % 3 == 1 ? 128 : 101);
      s.bias = seed % 2 == 0;
      if (seed % 4 == 1) s.post = std::vector<PostOp>{activation(PostOpCode::kRelu), residual()};
      if (seed % 5 == 2) s.out_fq = true;
      QCase c = matmul_case(s, shapes[i].x, shapes[i].n, seed++);
      expect_tiled_bit_exact(*backend, c, kParamSets[p]);
    }
}

TEST(OpenClQuantizedTiled, MatMulEveryWeightTypeAndZeroPoint) {
  OCTET_REQUIRE_OPENCL(backend);
  uint32_t seed = 7500;
  for (ElementType t : kWeightTypes)
    for (bool asym : {false, true})
      for (int32_t zp : {0, 128, 77})
        for (Dims x : {Dims{1, 67}, Dims{9, 128}, Dims{20, 36}}) {
          Spec s;
          s.wtype = t;
          s.asym = asym;
          s.act_zp = zp;
          s.bias = true;
          QCase c = matmul_case(s, x, 19, seed++);
          expect_tiled_bit_exact(*backend, c, "");
        }
}

TEST(OpenClQuantizedTiled, MatMulWeightGroups) {
  OCTET_REQUIRE_OPENCL(backend);
  // Group results rescaled in group order, a K slice never straddling two groups (KWG | GS).
  struct Shape {
    Dims x;
    int64_t n, group;
  };
  const Shape shapes[] = {
      {{1, 256}, 7, 32}, {{9, 256}, 17, 32}, {{5, 384}, 6, 128}, {{33, 96}, 16, 8}, {{3, 96}, 5, 16}};
  uint32_t seed = 7700;
  for (const Shape& sh : shapes)
    for (ElementType t : kWeightTypes)
      for (const char* params : {"", "16,16,16,1,1,1", "32,32,32,2,2,1"}) {
        if (sh.group % 32 != 0 && std::string(params) == "32,32,32,2,2,1") continue;  // KWG must divide GS
        if (sh.group % 16 != 0 && std::string(params) == "16,16,16,1,1,1") continue;
        Spec s;
        s.wtype = t;
        s.asym = seed % 2 == 0;
        s.group = sh.group;
        s.act_zp = seed % 3 == 0 ? 0 : 128;
        s.bias = true;
        QCase c = matmul_case(s, sh.x, sh.n, seed++);
        expect_tiled_bit_exact(*backend, c, params);
      }
}

TEST(OpenClQuantizedTiled, SplitKIsChosenForSmallOutputsAndExact) {
  OCTET_REQUIRE_OPENCL(backend);
  uint32_t seed = 7900;
  for (ElementType t : kWeightTypes)
    for (bool asym : {false, true}) {
      Spec s;
      s.wtype = t;
      s.asym = asym;
      s.bias = true;
      s.post = std::vector<PostOp>{residual(), activation(PostOpCode::kClamp, -0.5f, 0.5f)};
      QCase c = matmul_case(s, {2, 1024}, 24, seed++);
      // One output tile: the default rule splits K whenever the device has more than one
      // compute unit to fill (2 work-groups per compute unit wanted).
      const TileParams p = resolve_tile_params(*c.node, *backend);
      EXPECT_GT(p.split, 1) << p.describe();
      expect_tiled_bit_exact(*backend, c, "");
      QCase forced = matmul_case(s, {5, 300}, 9, seed++);
      expect_tiled_bit_exact(*backend, forced, "16,16,16,1,1,7");
    }
}

TEST(OpenClQuantizedTiled, IllegalParametersAreRefusedWithTheReason) {
  OCTET_REQUIRE_OPENCL(backend);
  Spec s;
  s.group = 32;
  QCase c = matmul_case(s, {4, 128}, 8, 1);
  auto refused = [&](const TileParams& p, const std::string& part) {
    try {
      compile_quantized_tiled(*c.node, *backend, p);
      ADD_FAILURE() << p.describe() << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  refused({16, 18, 16, 1, 1, 1}, "NWG 18 not a multiple of 4");
  refused({16, 16, 64, 1, 1, 1}, "KWG 64 does not divide the weight group size 32");
  refused({16, 16, 16, 1, 1, 2}, "split-K needs one weight group");
  refused({16, 16, 16, 3, 1, 1}, "not a multiple of the register block");
  refused({256, 256, 16, 1, 1, 1}, "work-group of 65536");
}

TEST(OpenClQuantizedTiled, ConvolutionsBitExact) {
  OCTET_REQUIRE_OPENCL(backend);
  const std::vector<ConvSpec> convs = {
      {{1, 8, 8, 16}, 1, 12, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},    // 3x3 pad 1, 16-byte loads
      {{2, 7, 9, 5}, 1, 6, {3, 3}, {2, 2}, {1, 1}, {0, 1}, {1, 0}},      // odd channels: byte loads
      {{1, 9, 9, 8}, 1, 5, {3, 2}, {1, 2}, {2, 1}, {2, 0}, {1, 1}},      // dilation, 4-byte loads
      {{2, 6, 5, 24}, 1, 13, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},    // pointwise: GEMM
      {{1, 2, 2, 16}, 1, 9, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},     // pointwise, 4 pixels
      {{1, 7, 7, 8}, 1, 4, {1, 1}, {2, 2}, {1, 1}, {0, 0}, {0, 0}},      // strided 1x1: implicit GEMM
      {{1, 6, 6, 12}, 2, 5, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},     // 2 groups
      {{1, 5, 6, 12}, 3, 4, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},     // grouped 1x1
      {{1, 17, 6}, 1, 7, {3}, {2}, {3}, {2}, {1}},                       // 1-D
      {{1, 11, 13, 32}, 1, 33, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},  // tile +-1 channels
      {{1, 14, 14, 64}, 1, 64, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}},  // zoo-like stride 2
      {{1, 5, 5, 48}, 2, 17, {5, 5}, {1, 1}, {1, 1}, {2, 2}, {2, 2}},    // 5x5, 2 groups of 24
  };
  uint32_t seed = 8000;
  for (size_t i = 0; i < convs.size(); ++i)
    for (const char* params : {"", "16,16,16,1,1,1", "32,32,32,2,2,1", "64,16,8,4,1,1"}) {
      Spec s;
      s.wtype = kWeightTypes[seed % 4];
      s.asym = (seed / 4) % 2 == 1;
      s.act_zp = seed % 3 == 0 ? 0 : (seed % 3 == 1 ? 128 : 93);
      s.bias = seed % 2 == 0;
      if (seed % 5 == 1) s.post = std::vector<PostOp>{activation(PostOpCode::kRelu), residual()};
      if (seed % 5 == 3) s.out_fq = true;
      QCase c = conv_case(s, convs[i], seed++);
      expect_tiled_bit_exact(*backend, c, params);
    }
}

TEST(OpenClQuantizedTiled, KernelChoiceListsEveryRefusal) {
  OCTET_REQUIRE_OPENCL(backend);
  const ScopedEnv clear("OCTET_QIMPL", "");
  Spec s;
  // Depthwise: the tiled core refuses with its reason even when forced; direct runs.
  QCase dw = conv_case(s, {{1, 9, 9, 10}, 10, 1, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}}, 1);
  {
    const ScopedEnv impl("OCTET_QIMPL", "tiled");
    const QuantizedChoice choice = choose_quantized(*dw.node, *backend);
    ASSERT_FALSE(choice.refused.empty());
    EXPECT_EQ(choice.refused[0].first, "tiled");
    EXPECT_NE(choice.refused[0].second.find("depthwise"), std::string::npos) << choice.refused[0].second;
    EXPECT_NE(choice.chosen, "tiled");
  }
  // Weight-only (f32 activations): not the int8 core.
  Spec wo;
  wo.int_act = false;
  QCase f = matmul_case(wo, {9, 64}, 8, 2);
  EXPECT_NE(tiled_limit(*f.node, *backend).find("f32 activations"), std::string::npos);
  // The default order, per device type.
  QCase conv = conv_case(s, {{1, 8, 8, 16}, 1, 12, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}}, 3);
  const QuantizedChoice choice = choose_quantized(*conv.node, *backend);
  EXPECT_EQ(quantized_implementations(*conv.node),
            (std::vector<std::string>{"mma", "gemv_rows", "tiled", "lanes", "gemv", "gemm", "direct"}));
  // The tensor-core entry declines off NVIDIA sm_80+ (quantized_mma_test.cpp); skip its refusal.
  const size_t first = !choice.refused.empty() && choice.refused[0].first == "mma" ? 1 : 0;
  ASSERT_GT(choice.refused.size(), first);
  EXPECT_EQ(choice.refused[first].first, "gemv_rows");  // a 3x3 window is not a GEMM
  if (backend->device().type == "CPU") {
    EXPECT_EQ(choice.chosen, "lanes");
    ASSERT_EQ(choice.refused.size(), first + 2);
    EXPECT_NE(choice.refused[first + 1].second.find("CPU device"), std::string::npos);
    EXPECT_NE(backend->compile(*conv.node)->impl_name().find("tiled: CPU device"), std::string::npos);
  } else if (choice.chosen != "mma") {
    EXPECT_EQ(choice.chosen, "tiled");
    EXPECT_EQ(choice.refused.size(), first + 1);
  }
}

// Global-memory bytes requested per multiply-add, counted from each kernel's load structure (the
// loads its source issues per work-item or work-group, padding included; caches ignored): the
// traffic figure of issue 14 without a GPU. Main loop = activations + weights; the epilogue adds
// the output write and per-output parameters. Printed as a table; the tiled core's main loop must
// meet the targets (GEMM <= 0.04, implicit-GEMM conv <= 0.08 B/MAC).
TEST(OpenClQuantizedTiled, BytesPerMultiplyAdd) {
  OCTET_REQUIRE_OPENCL(backend);
  Spec s;
  s.bias = true;
  QCase gemm = matmul_case(s, {256, 256}, 256, 1);
  QCase conv = conv_case(s, {{1, 28, 28, 64}, 1, 64, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}}, 2);
  struct Row {
    const char* what;
    double main, total;
  };
  std::vector<Row> rows;
  auto tiled = [&](const char* what, const QCase& c, int64_t M, int64_t N, int64_t K) {
    const TileParams p = resolve_tile_params(*c.node, *backend);
    const int64_t tiles = (M + p.mwg - 1) / p.mwg * ((N + p.nwg - 1) / p.nwg);
    const int64_t slices = (K + p.kwg - 1) / p.kwg;
    const double macs = static_cast<double>(M * N * K);
    const double main = static_cast<double>(tiles * slices * (p.mwg + p.nwg) * p.kwg) / macs;
    // Per output: y (4), bias (4) through the shared epilogue; scale and corr (8) per register
    // column, i.e. 8 / MWI per output.
    const double epi = static_cast<double>(M * N) * (8.0 + 8.0 / p.mwi) / macs;
    rows.push_back({what, main, main + epi});
    return main;
  };
  const double g = tiled("tiled GEMM 256x256x256", gemm, 256, 256, 256);
  const double k = tiled("tiled implicit GEMM conv 28x28x64->64 3x3", conv, 784, 64, 576);
  // Old kernels: qgemm reads 4 A rows and 4 weight rows of K bytes per 4x4 outputs; qconv_direct
  // reads ICg activation bytes and 4 * ICg weight bytes per tap for 4 outputs; epilogue as above
  // with scale and corr per output.
  rows.push_back({"qgemm 4x4 GEMM 256x256x256", 0.5, 0.5 + 16.0 / 256});
  rows.push_back({"qconv_direct conv 28x28x64->64 3x3", 1.25, 1.25 + 16.0 / 576});
  for (const Row& r : rows)
    std::printf("[bytes-per-MAC] %-44s main loop %.4f  with epilogue %.4f\n", r.what, r.main, r.total);
  EXPECT_LE(g, 0.04);
  EXPECT_LE(k, 0.08);
}

}  // namespace
}  // namespace octet
