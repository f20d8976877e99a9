// Gelu (erf form) for Precision::kFast: the reference's double arithmetic, four lanes at a time with
// libmvec's AVX2 erf, looked up at run time so that neither the build nor machines without it
// depend on it (they fall back to std::erf, the reference's own function).
#include "runtime/onednn/fast_gelu.h"

#include <dlfcn.h>
#include <immintrin.h>

#include <cmath>

namespace octet {
namespace cpu {
namespace {

float reference_gelu(float x) {
  const double v = x;
  return static_cast<float>(0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))));
}

// The vector function's address as an untyped pointer: its __m256d type may only be spelled in
// code compiled for AVX.
void* find_vector_erf() {
  if (!__builtin_cpu_supports("avx2")) return nullptr;
  // glibc >= 2.35 has a vector erf; the handle stays open for the life of the process.
  void* lib = dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL);
  return lib ? dlsym(lib, "_ZGVdN4v_erf") : nullptr;
}

__attribute__((target("avx2"))) void gelu_avx2(void* erf_address, float* row, int64_t count) {
  using VectorErf = __m256d (*)(__m256d);
  const auto vector_erf = reinterpret_cast<VectorErf>(erf_address);
  const __m256d half = _mm256_set1_pd(0.5), one = _mm256_set1_pd(1.0), root2 = _mm256_set1_pd(std::sqrt(2.0));
  int64_t i = 0;
  for (; i + 4 <= count; i += 4) {
    const __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(row + i));
    const __m256d e = vector_erf(_mm256_div_pd(v, root2));
    // (0.5 * v) * (1 + erf), the reference's order; no FMA (the target has none).
    _mm_storeu_ps(row + i, _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_mul_pd(half, v), _mm256_add_pd(one, e))));
  }
  for (; i < count; ++i) row[i] = reference_gelu(row[i]);
}

}  // namespace

void fast_gelu_erf_row(float* row, int64_t count) {
  static void* const vector_erf = find_vector_erf();
  if (vector_erf) {
    gelu_avx2(vector_erf, row, count);
    return;
  }
  for (int64_t i = 0; i < count; ++i) row[i] = reference_gelu(row[i]);
}

}  // namespace cpu
}  // namespace octet
