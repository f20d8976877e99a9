// Few-output-channel int8 convolutions with pixels in the lanes (see vnni_pixels.h).
#include "runtime/onednn/vnni_pixels.h"

#include <immintrin.h>

// GCC 12 reports the _mm512_undefined_*() placeholders inside the AVX-512 intrinsics' headers as
// maybe-uninitialized once they inline here (a false positive: every lane is written).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <cstring>

namespace octet {
namespace cpu {
namespace {

// 16 pixels [x0, x0 + 16) of output row y, kOut output channels in kOut vectors, then transposed
// into acc[pixel][output] for the `valid` pixels inside the row.
template <int kOut>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void block16(const VnniPixelsLayer& l,
                                                                    const uint8_t* staged, int64_t y,
                                                                    int64_t x0, int64_t valid, int32_t* acc) {
  __m512i a[kOut];
  for (int o = 0; o < kOut; ++o) a[o] = _mm512_setzero_si512();
  const int64_t quads = l.inputs / 4, pw = l.padded_w(), ph = l.padded_h();
  const int32_t* w = l.weights.data();
  for (int64_t ky = 0; ky < l.kernel_h; ++ky)
    for (int64_t kx = 0; kx < l.kernel_w; ++kx)
      for (int64_t q = 0; q < quads; ++q) {
        const __m512i x = _mm512_loadu_si512(staged + ((q * ph + y + ky) * pw + x0 + kx) * 4);
        const int32_t* wq = w + (ky * l.kernel_w + kx) * quads + q;
        const int64_t per_output = l.kernel_h * l.kernel_w * quads;
        for (int o = 0; o < kOut; ++o)
          a[o] = _mm512_dpbusd_epi32(a[o], x, _mm512_set1_epi32(wq[o * per_output]));
      }
  alignas(64) int32_t lanes[kOut][16];
  for (int o = 0; o < kOut; ++o) _mm512_store_si512(lanes[o], a[o]);
  for (int64_t p = 0; p < valid; ++p)
    for (int o = 0; o < kOut; ++o) acc[p * kOut + o] = lanes[o][p];
}

}  // namespace

bool vnni_pixels_fits(int64_t inputs, int64_t outputs, int64_t kernel_h, int64_t kernel_w, int64_t width) {
  static const bool vnni = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                           __builtin_cpu_supports("avx512vnni");
  return vnni && inputs > 0 && inputs % 4 == 0 && inputs <= 256 && (outputs == 8 || outputs == 16) &&
         kernel_h % 2 == 1 && kernel_w % 2 == 1 && kernel_h <= 7 && kernel_w <= 7 && width >= 16;
}

VnniPixelsLayer make_vnni_pixels(const std::vector<int32_t>& centred, int64_t outputs, int64_t inputs,
                                 int64_t kernel_h, int64_t kernel_w, int64_t height, int64_t width) {
  VnniPixelsLayer l;
  l.inputs = inputs;
  l.outputs = outputs;
  l.kernel_h = kernel_h;
  l.kernel_w = kernel_w;
  l.height = height;
  l.width = width;
  const int64_t quads = inputs / 4, taps = kernel_h * kernel_w;
  l.weights.assign(static_cast<size_t>(outputs * taps * quads), 0);
  for (int64_t o = 0; o < outputs; ++o)
    for (int64_t c = 0; c < inputs; ++c)
      for (int64_t t = 0; t < taps; ++t) {
        const auto code = static_cast<uint8_t>(
            static_cast<int8_t>(centred[static_cast<size_t>((o * inputs + c) * taps + t)]));
        int32_t& dword = l.weights[static_cast<size_t>((o * taps + t) * quads + c / 4)];
        dword = static_cast<int32_t>(static_cast<uint32_t>(dword) | (uint32_t{code} << (8 * (c % 4))));
      }
  return l;
}

void stage_vnni_pixels(const VnniPixelsLayer& l, const int8_t* codes, uint8_t* staged) {
  std::memset(staged, 0, static_cast<size_t>(l.staged_bytes()));
  const int64_t quads = l.inputs / 4, pw = l.padded_w(), ph = l.padded_h();
  const int64_t top = l.kernel_h / 2, left = l.kernel_w / 2;
  for (int64_t y = 0; y < l.height; ++y)
    for (int64_t x = 0; x < l.width; ++x) {
      const int8_t* pixel = codes + (y * l.width + x) * l.inputs;
      for (int64_t q = 0; q < quads; ++q) {
        uint32_t dword;
        std::memcpy(&dword, pixel + 4 * q, sizeof dword);
        dword ^= 0x80808080u;  // codes -> levels
        std::memcpy(staged + ((q * ph + y + top) * pw + x + left) * 4, &dword, sizeof dword);
      }
    }
}

void vnni_pixels_row(const VnniPixelsLayer& l, const uint8_t* staged, int64_t y, int32_t* acc) {
  for (int64_t x0 = 0; x0 < l.width; x0 += 16) {
    const int64_t valid = std::min<int64_t>(16, l.width - x0);
    if (l.outputs == 8)
      block16<8>(l, staged, y, x0, valid, acc + x0 * 8);
    else
      block16<16>(l, staged, y, x0, valid, acc + x0 * 16);
  }
}

}  // namespace cpu
}  // namespace octet
