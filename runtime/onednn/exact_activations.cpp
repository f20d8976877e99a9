// Swish and Sigmoid rows bit-exact with the reference (see exact_activations.h).
#include "runtime/onednn/exact_activations.h"

#include <immintrin.h>

#include <algorithm>

#include "host/reference/quantized_linear.h"

namespace octet {
namespace cpu {
namespace {

using exact::Doubles;
using exact::Floats8;
using exact::Ints8;
using exact::kLanes;

// Rows of kBlock vectors at a time, each phase over all of them (independent vectors overlap their
// long dependency chains). Lanes whose f32 result is not certain are recomputed by apply_activation.
// Returns the elements done (a multiple of kLanes).
__attribute__((target("avx512f"))) int64_t vector_rows(const PostOp& op, float* row, int64_t n) {
  constexpr int kBlock = 4;
  const bool swish = op.activation == PostOpCode::kSwish;
  const double beta = static_cast<double>(op.beta);
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes * kBlock) {
    const int vectors = static_cast<int>(std::min<int64_t>(kBlock, (n - i) / kLanes));
    Doubles x[kBlock], e[kBlock], r[kBlock];
    Ints8 ok[kBlock];
    for (int v = 0; v < vectors; ++v) {
      Floats8 xf;
      std::memcpy(&xf, row + i + v * kLanes, sizeof xf);
      x[v] = __builtin_convertvector(xf, Doubles);
      Doubles t;
      exact::exponent_argument(swish, beta, x[v], ok[v], t);
      exact::vector_exp(t, e[v]);
    }
    for (int v = 0; v < vectors; ++v) r[v] = (swish ? x[v] : Doubles{} + 1.0) / (1.0 + e[v]);
    for (int v = 0; v < vectors; ++v) {
      Floats8 f;
      Ints8 certain;
      exact::round_if_certain(r[v], ok[v], f, certain);
      float* out = row + i + v * kLanes;
      Floats8 x_f, y;
      std::memcpy(&x_f, out, sizeof x_f);
      y = certain ? f : x_f;
      std::memcpy(out, &y, sizeof y);
      __m256i g;
      std::memcpy(&g, &certain, sizeof g);
      const unsigned redo = ~static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(g))) & 0xFFu;
      if (redo)
        for (int k = 0; k < kLanes; ++k)
          if (redo & (1u << k)) out[k] = apply_activation(op, out[k]);
    }
    if (vectors < kBlock) return i + vectors * kLanes;
  }
  return i;
}

}  // namespace

bool has_exact_activation_row(const PostOp& op) {
  return op.kind == PostOp::Kind::kActivation &&
         (op.activation == PostOpCode::kSwish || op.activation == PostOpCode::kSigmoid);
}

void exact_activation_row(const PostOp& op, float* row, int64_t n) {
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  int64_t i = 0;
  if (avx512 && has_exact_activation_row(op)) i = vector_rows(op, row, n);
  for (; i < n; ++i) row[i] = apply_activation(op, row[i]);
}

}  // namespace cpu
}  // namespace octet
