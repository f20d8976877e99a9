// Small 1x1 int8 convolutions with AVX-512 VNNI (see vnni_1x1.h).
#include "runtime/onednn/vnni_1x1.h"

#include <immintrin.h>

// GCC 12 reports the _mm512_undefined_*() placeholders inside the AVX-512 intrinsics' headers as
// maybe-uninitialized once they inline here (a false positive: every lane is written).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <cstring>

namespace octet {
namespace cpu {
namespace {

constexpr int64_t kLanes = 16;

// kPixels pixels' accumulators of kBlocks output blocks at once: kPixels x kBlocks independent
// vpdpbusd chains (one chain would wait on each instruction's latency). Each pixel's 4 input
// levels are one broadcast dword (codes with their top bit flipped: level = code + 128).
template <int kBlocks, int kPixels>
__attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline)) inline void pixels_block(
    const int8_t* x, int64_t inputs, const int8_t* w, int64_t outputs, int32_t* acc) {
  const __m512i flip = _mm512_set1_epi32(static_cast<int32_t>(0x80808080u));
  __m512i a[kPixels][kBlocks];
  for (int p = 0; p < kPixels; ++p)
    for (int b = 0; b < kBlocks; ++b) a[p][b] = _mm512_setzero_si512();
  const int64_t quads = inputs / 4;
  for (int64_t k = 0; k < quads; ++k) {
    __m512i wv[kBlocks];
    for (int b = 0; b < kBlocks; ++b) wv[b] = _mm512_loadu_si512(w + (b * quads + k) * 64);
    for (int p = 0; p < kPixels; ++p) {
      int32_t quad;
      std::memcpy(&quad, x + p * inputs + 4 * k, sizeof quad);
      const __m512i levels = _mm512_xor_si512(_mm512_set1_epi32(quad), flip);
      for (int b = 0; b < kBlocks; ++b) a[p][b] = _mm512_dpbusd_epi32(a[p][b], levels, wv[b]);
    }
  }
  const int64_t last = outputs - (kBlocks - 1) * kLanes;  // lanes of the last block
  const __mmask16 tail = static_cast<__mmask16>(last >= kLanes ? 0xffff : (1u << last) - 1u);
  for (int p = 0; p < kPixels; ++p) {
    for (int b = 0; b + 1 < kBlocks; ++b) _mm512_storeu_si512(acc + p * outputs + b * kLanes, a[p][b]);
    _mm512_mask_storeu_epi32(acc + p * outputs + (kBlocks - 1) * kLanes, tail, a[p][kBlocks - 1]);
  }
}

template <int kBlocks>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void accumulate(const int8_t* x, int64_t pixels,
                                                                       int64_t inputs, const int8_t* w,
                                                                       int64_t outputs, int32_t* acc) {
  constexpr int kPixels = kBlocks <= 2 ? 8 : 4;  // accumulators + weights + broadcast in 32 registers
  int64_t p = 0;
  for (; p + kPixels <= pixels; p += kPixels)
    pixels_block<kBlocks, kPixels>(x + p * inputs, inputs, w, outputs, acc + p * outputs);
  for (; p < pixels; ++p) pixels_block<kBlocks, 1>(x + p * inputs, inputs, w, outputs, acc + p * outputs);
}

}  // namespace

bool vnni_1x1_fits(int64_t inputs, int64_t outputs) {
  static const bool vnni = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                           __builtin_cpu_supports("avx512vnni");
  return vnni && inputs > 0 && inputs % 4 == 0 && inputs <= 64 && outputs > 0 && outputs <= 64;
}

Vnni1x1Weights pack_vnni_1x1(const std::vector<int32_t>& centred, int64_t outputs, int64_t inputs) {
  Vnni1x1Weights w;
  w.inputs = inputs;
  w.outputs = outputs;
  const int64_t blocks = (outputs + kLanes - 1) / kLanes, quads = inputs / 4;
  w.packed.assign(static_cast<size_t>(blocks * quads * kLanes * 4), 0);
  for (int64_t o = 0; o < outputs; ++o)
    for (int64_t c = 0; c < inputs; ++c)
      w.packed[static_cast<size_t>((((o / kLanes) * quads + c / 4) * kLanes + o % kLanes) * 4 + c % 4)] =
          static_cast<int8_t>(centred[static_cast<size_t>(o * inputs + c)]);
  return w;
}

void vnni_1x1_accumulate(const Vnni1x1Weights& w, const int8_t* x, int64_t pixels, int32_t* acc) {
  const int8_t* packed = w.packed.data();
  switch ((w.outputs + kLanes - 1) / kLanes) {
    case 1: return accumulate<1>(x, pixels, w.inputs, packed, w.outputs, acc);
    case 2: return accumulate<2>(x, pixels, w.inputs, packed, w.outputs, acc);
    case 3: return accumulate<3>(x, pixels, w.inputs, packed, w.outputs, acc);
    default: return accumulate<4>(x, pixels, w.inputs, packed, w.outputs, acc);
  }
}

}  // namespace cpu
}  // namespace octet
