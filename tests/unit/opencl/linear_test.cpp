// Convolution, GroupConvolution and MatMul kernels against the spec-exact reference.
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

using test::OpCase;
using test::random_tensor;

std::string list(const Dims& d) {
  std::string s;
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s;
}

struct ConvCase {
  Dims x, w;
  Dims strides, dilations, pads_begin, pads_end;
  std::string auto_pad = "explicit";
};

void run_conv(OpKind op, const ConvCase& k, bool constant_w, uint32_t seed) {
  OpCase c(op);
  c.input(random_tensor(k.x, seed)).input(random_tensor(k.w, seed + 1), constant_w);
  c.attr("strides", list(k.strides)).attr("dilations", list(k.dilations));
  c.attr("pads_begin", list(k.pads_begin)).attr("pads_end", list(k.pads_end)).attr("auto_pad", k.auto_pad);
  c.finish();
  test::expect_matches_reference(c, std::string(op_name(op)) + " x" + to_string(k.x) + " w" + to_string(k.w) +
                                        " s" + list(k.strides) + " d" + list(k.dilations) + " p" +
                                        list(k.pads_begin) + "/" + list(k.pads_end) + " " + k.auto_pad);
}

TEST(OpenClConv, DirectAndPointwise) {
  OCTET_REQUIRE_OPENCL(backend);
  std::vector<ConvCase> cases = {
      {{1, 3, 8, 8}, {5, 3, 3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},
      {{2, 4, 7, 9}, {3, 4, 3, 3}, {2, 2}, {1, 1}, {0, 1}, {1, 0}},
      {{1, 5, 11, 13}, {9, 5, 3, 2}, {1, 2}, {2, 1}, {2, 0}, {1, 1}},
      {{1, 8, 6, 6}, {4, 8, 1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},   // pointwise (GEMM path)
      {{2, 7, 5, 3}, {13, 7, 1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},  // pointwise, primes
      {{1, 6, 9, 9}, {8, 6, 1, 1}, {2, 2}, {1, 1}, {0, 0}, {0, 0}},   // strided 1x1: direct
      {{1, 3, 10, 10}, {4, 3, 4, 4}, {3, 3}, {1, 1}, {0, 0}, {0, 0}, "same_upper"},
      {{1, 3, 10, 10}, {4, 3, 4, 4}, {3, 3}, {1, 1}, {0, 0}, {0, 0}, "same_lower"},
      {{1, 2, 5, 5}, {3, 2, 5, 5}, {1, 1}, {1, 1}, {0, 0}, {0, 0}, "valid"},
      {{1, 4, 17}, {6, 4, 3}, {2}, {3}, {2}, {1}},  // 1-D
  };
  uint32_t seed = 100;
  for (const ConvCase& k : cases) run_conv(OpKind::kConvolution, k, true, seed += 7);
  // Non-constant filters (only the pointwise path takes them).
  run_conv(OpKind::kConvolution, cases[3], false, 500);
}

TEST(OpenClConv, GroupAndDepthwise) {
  OCTET_REQUIRE_OPENCL(backend);
  std::vector<ConvCase> cases = {
      {{1, 8, 9, 9}, {8, 1, 1, 3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},   // depthwise
      {{2, 6, 10, 7}, {6, 1, 1, 3, 3}, {2, 2}, {1, 1}, {1, 0}, {0, 1}},  // depthwise, strided
      {{1, 4, 8, 8}, {4, 1, 1, 5, 5}, {1, 1}, {2, 2}, {4, 4}, {4, 4}},   // depthwise, dilated
      {{1, 6, 7, 7}, {2, 5, 3, 3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},   // 2 groups, 5 outputs each
      {{1, 12, 5, 6}, {3, 4, 4, 1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}},  // grouped 1x1
  };
  uint32_t seed = 200;
  for (const ConvCase& k : cases) run_conv(OpKind::kGroupConvolution, k, true, seed += 7);
}

void run_matmul(Dims a, Dims b, bool ta, bool tb, bool constant_b, uint32_t seed) {
  OpCase c(OpKind::kMatMul);
  c.input(random_tensor(a, seed)).input(random_tensor(b, seed + 1), constant_b);
  c.attr("transpose_a", ta ? "true" : "false").attr("transpose_b", tb ? "true" : "false");
  c.finish();
  test::expect_matches_reference(
      c, "MatMul " + to_string(a) + (ta ? "^T" : "") + " x " + to_string(b) + (tb ? "^T" : ""));
}

TEST(OpenClMatMul, ShapesTransposesBroadcast) {
  OCTET_REQUIRE_OPENCL(backend);
  uint32_t seed = 300;
  for (int64_t m : {1, 3, 4, 5, 17})
    for (int64_t n : {1, 4, 7, 33})
      for (int64_t k : {1, 5, 64}) run_matmul({m, k}, {k, n}, false, false, true, seed += 3);
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      run_matmul(ta ? Dims{2, 9, 6} : Dims{2, 6, 9}, tb ? Dims{2, 11, 9} : Dims{2, 9, 11}, ta, tb, false,
                 seed += 3);
      run_matmul(ta ? Dims{3, 1, 5, 4} : Dims{3, 1, 4, 5}, tb ? Dims{2, 3, 5} : Dims{2, 5, 3}, ta, tb, true,
                 seed += 3);
    }
  run_matmul({7}, {7, 3}, false, false, true, seed += 3);            // rank-1 A
  run_matmul({2, 4, 7}, {7}, false, false, false, seed += 3);        // rank-1 B
  run_matmul({8}, {8}, false, false, false, seed += 3);              // dot product
  run_matmul({1, 5, 128}, {96, 128}, false, true, true, seed += 3);  // Linear layer
}

}  // namespace
}  // namespace octet
