// The GEMM a quantized MatMul or convolution is, as the tiled DOT4 core (quantized_tiled.cpp) and
// the tensor-core path (quantized_mma.cpp) both see it, and the K-major weight packing they share.
#pragma once

#include <cstdint>
#include <vector>

#include "host/graph/graph.h"
#include "runtime/opencl/ops/quantized_kernel.h"

namespace octet {
namespace qlinear {

inline int64_t round_up(int64_t v, int64_t m) {
  return (v + m - 1) / m * m;
}

// Rows M (pixels or MatMul rows), columns N per convolution group, reduction K.
struct GemmShape {
  bool conv = false;  // implicit GEMM over the channels-last input (else A rows are contiguous)
  QConv2d c{};
  int64_t M = 0, N = 0, K = 0, G = 1, GS = 0, groups = 1, P = 1, Ntot = 0;
  int a_load = 1;  // bytes per activation load: 16, 4 or 1
  bool four_bit = false, has_wzp = false;
};

GemmShape gemm_shape(const Node& node);

// The weights as both cores read them: per convolution group, `kp / per` rows of `np` words (K
// padded to kp, N to np with zeros), each word `per` = 4 (8-bit) or 8 (4-bit: element j in nibble
// j / 4 of byte j % 4) consecutive K elements of one column.
std::vector<uint8_t> pack_k_major_weights(const Node& node, const GemmShape& s, int64_t kp, int64_t np);

}  // namespace qlinear
}  // namespace octet
