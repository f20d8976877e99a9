// Gelu (erf form) for Precision::kFast: the reference's double arithmetic, eight or four lanes at a
// time with libmvec's AVX-512 or AVX2 erf, looked up at run time so that neither the build nor machines
// without it depend on it (they fall back to std::erf, the reference's own function).
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

struct VectorErf {
  void* address = nullptr;  // untyped: its vector types may only be spelled in code for AVX
  bool avx512 = false;      // 8 lanes (_ZGVeN8v_erf) rather than 4 (_ZGVdN4v_erf)
};

VectorErf find_vector_erf() {
  if (!__builtin_cpu_supports("avx2")) return {};
  // glibc >= 2.35 has vector erfs; the handle stays open for the life of the process.
  void* lib = dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) return {};
  if (__builtin_cpu_supports("avx512f"))
    if (void* f = dlsym(lib, "_ZGVeN8v_erf")) return {f, true};
  return {dlsym(lib, "_ZGVdN4v_erf"), false};
}

// The same with 8 lanes. AVX-512 has FMA, but no product here feeds an addition, so nothing can be
// contracted and the roundings stay the reference's.
__attribute__((target("avx512f"))) void gelu_avx512(void* erf_address, float* row, int64_t count) {
  using VectorErf8 = __m512d (*)(__m512d);
  const auto vector_erf = reinterpret_cast<VectorErf8>(erf_address);
  const __m512d half = _mm512_set1_pd(0.5), one = _mm512_set1_pd(1.0), root2 = _mm512_set1_pd(std::sqrt(2.0));
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    // Masked conversions with an explicit source: GCC 12's plain ones warn about an undefined one.
    const __m512d v = _mm512_mask_cvtps_pd(_mm512_setzero_pd(), 0xFF, _mm256_loadu_ps(row + i));
    const __m512d e = vector_erf(_mm512_div_pd(v, root2));
    _mm256_storeu_ps(row + i,
                     _mm512_mask_cvtpd_ps(_mm256_setzero_ps(), 0xFF,
                                          _mm512_mul_pd(_mm512_mul_pd(half, v), _mm512_add_pd(one, e))));
  }
  for (; i < count; ++i) row[i] = reference_gelu(row[i]);
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
  static const VectorErf vector_erf = find_vector_erf();
  if (vector_erf.address) {
    if (vector_erf.avx512) {
      gelu_avx512(vector_erf.address, row, count);
    } else {
      gelu_avx2(vector_erf.address, row, count);
    }
    return;
  }
  for (int64_t i = 0; i < count; ++i) row[i] = reference_gelu(row[i]);
}

}  // namespace cpu
}  // namespace octet
