// GEMM geometry and K-major weight packing shared by the tiled and tensor-core int8 kernels.
#include "runtime/opencl/ops/quantized_gemm_shape.h"

namespace octet {
namespace qlinear {

GemmShape gemm_shape(const Node& node) {
  const QuantizedLinear& q = quantized_params(node);
  const QuantizedWeights& w = q.weights;
  GemmShape s;
  s.four_bit = is_four_bit(w.type);
  s.has_wzp = !w.zero_point.empty();
  s.K = w.reduction;
  s.G = w.group_size ? w.reduction / w.group_size : 1;
  s.GS = w.group_size ? w.group_size : w.reduction;
  if (node.op == OpKind::kQuantizedMatMul) {
    s.M = element_count(node.input_shape(0)) / s.K;
    s.N = s.Ntot = w.output_channels;
    s.a_load = s.K % 16 == 0 ? 16 : s.K % 4 == 0 ? 4 : 1;
    return s;
  }
  s.c = qconv_of(node);
  const QConv2d& c = s.c;
  s.groups = c.G;
  s.N = c.OCg;
  s.Ntot = c.G * c.OCg;
  if (c.pointwise) {  // a GEMM over [N*H*W, C] channels-last rows
    s.M = c.N * c.H * c.W;
    s.P = c.H * c.W;
    s.a_load = s.K % 16 == 0 ? 16 : s.K % 4 == 0 ? 4 : 1;
    return s;
  }
  s.conv = true;
  s.M = c.N * c.OH * c.OW;
  s.P = c.OH * c.OW;
  s.a_load = c.ICg % 16 == 0 ? 16 : c.ICg % 4 == 0 ? 4 : 1;
  return s;
}

std::vector<uint8_t> pack_k_major_weights(const Node& node, const GemmShape& s, int64_t kp, int64_t np) {
  const QuantizedWeights& w = quantized_params(node).weights;
  const int per = s.four_bit ? 8 : 4;
  const int64_t rows = kp / per, taps = s.c.KH * s.c.KW;
  std::vector<uint8_t> packed(static_cast<size_t>(s.groups * rows * np * 4), 0);
  // Convolution weights are [O, ICg, taps]; the implicit GEMM's K walks (tap, ic).
  auto code = [&](int64_t g, int64_t n, int64_t k) -> int64_t {
    if (node.op == OpKind::kQuantizedMatMul || s.c.pointwise) return code_at(w, n * s.K + k);
    const int64_t o = g * s.N + n, t = k / s.c.ICg, ic = k % s.c.ICg;
    return code_at(w, (o * s.c.ICg + ic) * taps + t);
  };
  for (int64_t g = 0; g < s.groups; ++g)
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t n = 0; n < s.N; ++n) {
        uint8_t* word = &packed[static_cast<size_t>(((g * rows + r) * np + n) * 4)];
        for (int j = 0; j < per; ++j) {
          const int64_t k = r * per + j;
          if (k >= s.K) break;
          const auto v = static_cast<uint8_t>(code(g, n, k));
          if (s.four_bit)
            word[j % 4] |= static_cast<uint8_t>((v & 15) << (j < 4 ? 0 : 4));
          else
            word[j] = v;
        }
      }
  return packed;
}

}  // namespace qlinear
}  // namespace octet
