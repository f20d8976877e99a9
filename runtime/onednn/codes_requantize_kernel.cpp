// CodesRequantize on the CPU (host/graph/codes_ops.h): each channel's codes through its BatchNorm
// and Relu to the output grid. The result of a (channel, level) pair is the reference's
// (host/reference codes_requantize, a table of channels x levels), so exactness is a table lookup;
// the lookup itself is a byte gather per element, slow on a vector unit. The common case runs as
// arithmetic instead: the level's value, the BatchNorm and the quantization are affine in the level
// (a per-channel estimate level * slope + offset, floored at the Relu's level, rounded and clamped),
// and that estimate is used only when it equals the table at every (channel, level) a producer can
// write, checked when the kernel is built; otherwise each element reads the table.
#include <immintrin.h>

// GCC 12 reports the _mm512_undefined_*() placeholders inside the AVX-512 intrinsics' headers as
// maybe-uninitialized once they inline here (a false positive: every lane is written).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

#include "host/common/error.h"
#include "host/graph/codes_ops.h"
#include "host/reference/quantized_linear.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding and subtracting it rounds half to even

// The estimate of a level's output level: level * slope + offset (two roundings, no contraction),
// at least `floor` (the Relu's level), clamped to [-1, top + 1] so that rounding by kRound is exact,
// rounded, then clamped to [0, top]. The kernel's loop and the build-time check both run this.
#define OCTET_REQUANTIZE_MATH __attribute__((optimize("no-trapping-math", "fp-contract=off")))

OCTET_REQUANTIZE_MATH __attribute__((always_inline)) inline float estimate(float level, float slope,
                                                                           float offset, float floor,
                                                                           float top) {
  float e = level * slope;
  e = e + offset;
  e = e < floor ? floor : e;
  e = e < -1.0f ? -1.0f : e;
  e = e > top + 1.0f ? top + 1.0f : e;
  e = (e + kRound) - kRound;
  e = e < 0.0f ? 0.0f : e;
  return e > top ? top : e;
}

// The (channel, level) pairs where estimate() differs from the table (a reference level exactly or
// nearly half-way between two levels): per position of a tile, up to kSlots input codes to fix.
constexpr int kSlots = 4;

// One tile position's constants: 16 lanes of slope and offset, and the codes to take from the table
// (slot k of lane l holds a code when bit l of mask[k] is set).
struct TileVector {
  float slope[16], offset[16];
  int8_t fix_code[kSlots][16];
  uint16_t fix_mask[kSlots];
};

// Channels-last codes from a tile boundary through estimate(), 16 at a time (count a multiple of
// 16, vectors cycling through `tile`); lanes holding a code listed in their fix slots take the
// table's result instead.
__attribute__((target("avx512f,avx512bw,avx512vl"))) void affine_codes_avx512(
    const int8_t* x, int8_t* y, int64_t count, const TileVector* tile, int64_t tile_vectors, int slots,
    const int8_t* table, int64_t channels, int64_t first, float floor, float top) {
  const __m512 vfloor = _mm512_set1_ps(floor), lowest = _mm512_set1_ps(-1.0f),
               highest = _mm512_set1_ps(top + 1.0f), zero = _mm512_setzero_ps(), vtop = _mm512_set1_ps(top);
  const __m512i bias = _mm512_set1_epi32(128);
  int64_t v = 0;
  for (int64_t i = 0; i < count; i += 16) {
    const TileVector& t = tile[v];
    const __m128i codes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i));
    const __m512 level = _mm512_cvtepi32_ps(_mm512_add_epi32(_mm512_cvtepi8_epi32(codes), bias));
    __m512 e = _mm512_add_ps(_mm512_mul_ps(level, _mm512_loadu_ps(t.slope)), _mm512_loadu_ps(t.offset));
    e = _mm512_max_ps(e, vfloor);
    e = _mm512_min_ps(_mm512_max_ps(e, lowest), highest);
    e = _mm512_roundscale_ps(e, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    e = _mm512_min_ps(_mm512_max_ps(e, zero), vtop);
    const __m512i out = _mm512_sub_epi32(_mm512_cvttps_epi32(e), bias);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), _mm512_cvtepi32_epi8(out));
    __mmask16 fix = 0;
    for (int k = 0; k < slots; ++k)
      fix |= _mm_mask_cmpeq_epi8_mask(t.fix_mask[k], codes,
                                      _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.fix_code[k])));
    while (fix) {
      const int lane = __builtin_ctz(fix);
      fix = static_cast<__mmask16>(fix & (fix - 1));
      const int64_t e_index = i + lane, c = (first + e_index) % channels;
      y[e_index] = table[c * 256 + (int32_t{x[e_index]} + 128)];
    }
    if (++v == tile_vectors) v = 0;
  }
}

class CodesRequantizeKernel : public Kernel {
 public:
  explicit CodesRequantizeKernel(const Node& node) : p_(codes_requantize_params(node)) {
    const Dims& x = node.input_shape(0);  // [N, spatial..., C]
    channels_ = x.back();
    batch_ = x.front();
    pixels_ = element_count(x) / std::max<int64_t>(channels_, 1);
    build_table();
    if (!p_.float_output) build_affine();
  }

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const int8_t* x = static_cast<const int8_t*>(inputs.at(0).handle);
    if (p_.float_output) {
      to_floats(x, static_cast<float*>(outputs.at(0).handle));
      return;
    }
    int8_t* y = static_cast<int8_t*>(outputs.at(0).handle);
    const int64_t count = pixels_ * channels_;
    if (affine_) {
      // Chunks of whole tiles (a tile: the lcm of the channel count and 16 elements).
      const int64_t tile = static_cast<int64_t>(tile_.size()) * 16;
      const int64_t chunk = tile * std::max<int64_t>(1, 4096 / tile), chunks = count / chunk;
      const int64_t vectors = static_cast<int64_t>(tile_.size());
      parallel_for(loop_threads(count), chunks + 1, [&](int64_t j) {
        const int64_t begin = j * chunk, end = j < chunks ? begin + chunk : count,
                      whole = (end - begin) / 16 * 16;
        affine_codes_avx512(x + begin, y + begin, whole, tile_.data(), vectors, slots_, codes_table_.data(),
                            channels_, begin, floor_, top_);
        for (int64_t i = begin + whole; i < end; ++i)  // the last partial vector
          y[i] = codes_table_[static_cast<size_t>((i % channels_) * 256 + (int32_t{x[i]} + 128))];
      });
      return;
    }
    const int64_t chunk = 256;  // pixels
    parallel_for(loop_threads(count), (pixels_ + chunk - 1) / chunk, [&](int64_t j) {
      for (int64_t px = j * chunk; px < std::min(pixels_, (j + 1) * chunk); ++px)
        for (int64_t c = 0; c < channels_; ++c) {
          const int64_t i = px * channels_ + c;
          y[i] = codes_table_[static_cast<size_t>(c * 256 + (int32_t{x[i]} + 128))];
        }
    });
  }

  std::string impl_name() const override {
    if (p_.float_output) return "cpu_codes_requantize_floats";
    return !affine_ ? "cpu_codes_requantize_table"
           : slots_ ? "cpu_codes_requantize+fixes"
                    : "cpu_codes_requantize";
  }

 private:
  // The reference's result for every (channel, level); levels a channel's grid does not have are
  // never written by its producer (their entries are computed all the same).
  void build_table() {
    table_.resize(static_cast<size_t>(channels_ * 256));
    codes_table_.resize(table_.size());
    for (int64_t c = 0; c < channels_; ++c)
      for (int32_t level = 0; level < 256; ++level) {
        const float r = codes_requantize(p_, c, grid_value(level, p_.channel_grids[static_cast<size_t>(c)]));
        const size_t i = static_cast<size_t>(c * 256 + level);
        table_[i] = r;
        codes_table_[i] = p_.float_output ? 0 : static_cast<int8_t>(static_cast<int32_t>(r) - 128);
      }
  }

  // Slope and offset of each channel's level estimate (in double, rounded once), and the levels
  // where estimate() differs from the table; kept (affine_) on AVX-512 when no channel has more
  // than kSlots of those.
  void build_affine() {
    static const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                               __builtin_cpu_supports("avx512vl");
    if (!avx512) return;
    const ActivationQuant& o = p_.quantize.quant;
    const double out_steps = o.levels - 1, in_range = static_cast<double>(o.in_high) - o.in_low;
    top_ = static_cast<float>(out_steps);
    floor_ = p_.quantize.pre_relu ? static_cast<float>(-o.in_low / in_range * out_steps) : -1.0f;
    std::vector<float> slope(static_cast<size_t>(channels_)), offset(slope.size());
    std::vector<std::vector<int8_t>> fixes(slope.size());
    for (int64_t c = 0; c < channels_; ++c) {
      const ActivationQuant& g = p_.channel_grids[static_cast<size_t>(c)];
      const size_t i = static_cast<size_t>(c);
      const double s = p_.quantize.pre_scale.empty() ? 1.0 : p_.quantize.pre_scale[i];
      const double b = p_.quantize.pre_shift.empty() ? 0.0 : p_.quantize.pre_shift[i];
      const double step = (static_cast<double>(g.out_high) - g.out_low) / (g.levels - 1);
      slope[i] = static_cast<float>(step * s / in_range * out_steps);
      offset[i] = static_cast<float>((g.out_low * s + b - o.in_low) / in_range * out_steps);
      if (!std::isfinite(slope[i]) || !std::isfinite(offset[i])) return;
      for (int32_t level = 0; level < g.levels; ++level)
        if (estimate(static_cast<float>(level), slope[i], offset[i], floor_, top_) !=
            table_[static_cast<size_t>(c * 256 + level)])
          fixes[i].push_back(static_cast<int8_t>(level - 128));
      if (fixes[i].size() > kSlots) return;
      slots_ = std::max(slots_, static_cast<int>(fixes[i].size()));
    }
    const int64_t tile = std::lcm(channels_, int64_t{16});
    tile_.assign(static_cast<size_t>(tile / 16), TileVector{});
    for (int64_t e = 0; e < tile; ++e) {
      TileVector& t = tile_[static_cast<size_t>(e / 16)];
      const size_t c = static_cast<size_t>(e % channels_), lane = static_cast<size_t>(e % 16);
      t.slope[lane] = slope[c];
      t.offset[lane] = offset[c];
      for (size_t k = 0; k < fixes[c].size() && k < kSlots; ++k) {
        t.fix_code[k][lane] = fixes[c][k];
        t.fix_mask[k] = static_cast<uint16_t>(t.fix_mask[k] | (1u << lane));
      }
    }
    affine_ = true;
  }

  // Float output: the table's FakeQuantize floats, channels-last codes to plain [N, C, spatial...].
  void to_floats(const int8_t* x, float* y) const {
    const int64_t plane = pixels_ / std::max<int64_t>(batch_, 1);
    parallel_for(loop_threads(pixels_ * channels_), batch_ * channels_, [&](int64_t row) {
      const int64_t n = row / channels_, c = row % channels_;
      const int8_t* src = x + n * plane * channels_ + c;
      const float* table = table_.data() + c * 256 + 128;
      float* dst = y + row * plane;
      for (int64_t px = 0; px < plane; ++px) dst[px] = table[src[px * channels_]];
    });
  }

  CodesRequantizeParams p_;
  int64_t channels_ = 1, batch_ = 1, pixels_ = 0;
  std::vector<float> table_;         // [channel][level]: codes_requantize's result
  std::vector<int8_t> codes_table_;  // the same as codes (level - 128)
  bool affine_ = false;
  std::vector<TileVector> tile_;  // the constants of one tile, 16 elements per entry
  int slots_ = 0;                 // fix slots in use
  float floor_ = -1, top_ = 255;
};

}  // namespace

std::unique_ptr<Kernel> make_codes_requantize_kernel(const Node& node) {
  return std::make_unique<CodesRequantizeKernel>(node);
}

}  // namespace cpu
}  // namespace octet
