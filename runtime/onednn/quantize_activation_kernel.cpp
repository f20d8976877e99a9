// Fast QuantizeActivation on the CPU (f32 -> i8 codes level - 128, optionally channels last) and
// the weight preparation shared by the quantized linear kernels.
#include <immintrin.h>

// GCC 12 reports the _mm512_undefined_*() placeholders inside the AVX-512 intrinsics' headers as
// maybe-uninitialized once they inline here (a false positive: every lane is written).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "host/common/error.h"
#include "kernels/common/activations.h"
#include "runtime/onednn/cpu_backend.h"
#include "runtime/onednn/quantized_epilogue.h"

namespace octet {
namespace cpu {

std::vector<int32_t> centred_weight_codes(const QuantizedWeights& w) {
  const int64_t outputs = w.output_channels, reduction = w.reduction;
  const int64_t groups = w.group_size ? reduction / w.group_size : 1;
  std::vector<int32_t> codes(static_cast<size_t>(outputs * reduction));
  for (int64_t o = 0; o < outputs; ++o)
    for (int64_t r = 0; r < reduction; ++r) {
      int64_t c = w.codes.get_as_int64(o * reduction + r);
      if (!w.zero_point.empty())
        c -= w.zero_point[static_cast<size_t>(o * groups + (w.group_size ? r / w.group_size : 0))];
      codes[static_cast<size_t>(o * reduction + r)] = static_cast<int32_t>(c);
    }
  return codes;
}

bool fits_int8(const std::vector<int32_t>& codes) {
  for (int32_t c : codes)
    if (c < -128 || c > 127) return false;
  return true;
}

namespace {

// QuantizeActivation's levels of relu?(x * scale + shift), exactly as the reference computes them:
// the folded BatchNorm and Relu (pre_scale, pre_shift, pre_relu) with one f32 rounding per
// operation, as the graph's Multiply, Add and Relu nodes computed them (no contraction; an absent
// Multiply is scale 1 and an absent Add shift -0, exact identities: x + -0 is x for every x, signed
// zeros included), then quantize_level: level = round_half_even((v - low) / range * top), top above
// high, 0 at or below low and for NaN. Rounding by the 1.5 * 2^23 trick, exact for values in
// [0, 2^22); no-trapping-math lets GCC vectorise the selects (it changes no result).
OCTET_AVX2_CLONES __attribute__((optimize("no-trapping-math", "fp-contract=off"))) void quantize_divide(
    const float* __restrict x, int8_t* __restrict y, int64_t n, float scale, float shift, bool relu,
    float low, float high, float top) {
  const float range = high - low;
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23
  for (int64_t i = 0; i < n; ++i) {
    float v = x[i] * scale;
    v = v + shift;
    v = relu ? OCTET_RELU(v, 0.0f) : v;
    float level = (v - low) / range * top;
    level = v > high ? top : level;
    level = v > low ? level : 0.0f;  // also NaN
    level = (level + kRound) - kRound;
    y[i] = static_cast<int8_t>(static_cast<int32_t>(level) - 128);
  }
}

// The same levels with AVX-512 and, where that provably changes nothing, without the division:
// a = (v - low) * (top / range) differs from the reference's fl(fl((v - low) / range) * top) by four
// roundings of a value below 256 (v - low is the same float in both), so by less than
// 256 * 4.0001 * 2^-24 < 2^-13 inside the range. Where a lies more than 2^-12 from every
// half-integer both round to the same integer (ties included: the reference's value can only be a
// half-integer within 2^-13 of a); vectors with a lane nearer than that take the division. The
// reference's selects are then min(max(level, 0), top): v at or below low gives v - low <= 0 and a
// level <= 0, v above high a level that rounds to at least top (d >= range), and vmaxps returns
// its second operand, 0, for a NaN level. max(v, 0) is Relu's v > 0 ? v : 0 the same way (NaN and
// two zeros give the second operand). Two vectors per iteration, so their chains overlap.
__attribute__((target("avx512f"), optimize("fp-contract=off"))) inline __m512 level_minus_128(
    __m512 v, __m512 low, __m512 range, __m512 reciprocal, __m512 top) {
  constexpr int kNearest = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
  const __m512 d = _mm512_sub_ps(v, low);
  const __m512 a = _mm512_mul_ps(d, reciprocal);
  __m512 level = _mm512_roundscale_ps(a, kNearest);
  const __mmask16 unsure =
      _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_sub_ps(a, level)), _mm512_set1_ps(0.5f - 0x1p-12f), _CMP_GE_OQ);
  if (unsure)
    level = _mm512_mask_roundscale_ps(level, unsure, _mm512_mul_ps(_mm512_div_ps(d, range), top), kNearest);
  level = _mm512_min_ps(_mm512_max_ps(level, _mm512_setzero_ps()), top);
  return _mm512_sub_ps(level, _mm512_set1_ps(128.0f));
}

__attribute__((target("avx512f"), optimize("fp-contract=off"))) void quantize_avx512(
    const float* __restrict x, int8_t* __restrict y, int64_t n, float scale, float shift, bool relu,
    float low, float high, float top) {
  const __m512 vscale = _mm512_set1_ps(scale), vshift = _mm512_set1_ps(shift), vlow = _mm512_set1_ps(low),
               vtop = _mm512_set1_ps(top), vrange = _mm512_set1_ps(high - low),
               vreciprocal = _mm512_set1_ps(top / (high - low)), zero = _mm512_setzero_ps();
  auto prologue = [&](__m512 v) __attribute__((target("avx512f"))) {
    v = _mm512_add_ps(_mm512_mul_ps(v, vscale), vshift);  // two roundings: no contraction here
    return relu ? _mm512_max_ps(v, zero) : v;
  };
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m512 c0 = level_minus_128(prologue(_mm512_loadu_ps(x + i)), vlow, vrange, vreciprocal, vtop);
    const __m512 c1 = level_minus_128(prologue(_mm512_loadu_ps(x + i + 16)), vlow, vrange, vreciprocal, vtop);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(c0)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i + 16), _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(c1)));
  }
  for (; i < n; i += 16) {
    const __mmask16 lanes = n - i >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (n - i)) - 1);
    const __m512 c =
        level_minus_128(prologue(_mm512_maskz_loadu_ps(lanes, x + i)), vlow, vrange, vreciprocal, vtop);
    _mm512_mask_cvtepi32_storeu_epi8(y + i, lanes, _mm512_cvttps_epi32(c));
  }
}

void quantize_affine(const float* x, int8_t* y, int64_t n, float scale, float shift, bool relu, float low,
                     float high, float top) {
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  // The reciprocal's proof needs an increasing range, at most 256 levels and top / range a normal
  // float (a range below about 2^-119 overflows it); other grids take the division.
  const float range = high - low;
  if (avx512 && range > 0 && top <= 255 && std::isnormal(top / range))
    quantize_avx512(x, y, n, scale, shift, relu, low, high, top);
  else
    quantize_divide(x, y, n, scale, shift, relu, low, high, top);
}

// The plain QuantizeActivation: quantize_affine's identities for the absent ops.
void quantize(const float* x, int8_t* y, int64_t n, float low, float high, float top) {
  quantize_affine(x, y, n, 1.0f, -0.0f, false, low, high, top);
}

OCTET_AVX2_CLONES void dequantize(const int8_t* __restrict x, float* __restrict y, int64_t n, float steps,
                                  float range, float low) {
  for (int64_t i = 0; i < n; ++i) y[i] = static_cast<float>(int32_t{x[i]} + 128) / steps * range + low;
}

struct QuantizeState : KernelState {
  std::vector<int8_t> planar;  // one image's codes channel by channel, before the transpose
};

class QuantizeActivationKernel : public Kernel {
 public:
  explicit QuantizeActivationKernel(const Node& node) : p_(quantize_params(node)) {
    const Dims& s = node.input_shape(0);
    if (node.input_type(0) != ElementType::kF32)
      raise(ErrorCode::kUnsupported, "{}: input must be f32", node.describe());
    count_ = element_count(s);
    transpose_ = p_.channels_last && s.size() >= 3;
    per_channel_ = !p_.channel_quant.empty();
    prologue_ = p_.has_prologue();
    batch_ = s.empty() ? 1 : s[0];
    channels_ = transpose_ || per_channel_ || prologue_ ? s.at(1) : 1;
    if (per_channel_ && static_cast<size_t>(channels_) != p_.channel_quant.size())
      raise(ErrorCode::kInternal, "{}: {} channel quantizers for {} channels", node.describe(),
            p_.channel_quant.size(), channels_);
    for (const std::vector<float>* v : {&p_.pre_scale, &p_.pre_shift})
      if (!v->empty() && static_cast<size_t>(channels_) != v->size())
        raise(ErrorCode::kInternal, "{}: a folded per-channel constant of {} values for {} channels",
              node.describe(), v->size(), channels_);
    plane_ = batch_ * channels_ != 0 ? count_ / (batch_ * channels_) : 0;
    // Fewer than 16 channels (a model's image input): 16 pixels at a time by byte shuffles. Output
    // vector j of a 16-pixel block holds bytes n = 16 j + k, pixel n / C, channel n % C; mask
    // (j, c) picks channel c's bytes from that channel's 16 pixels (-1 elsewhere).
    static const bool ssse3 = __builtin_cpu_supports("ssse3");
    if (transpose_ && ssse3 && channels_ >= 2 && channels_ < 16) {
      few_masks_.assign(static_cast<size_t>(channels_ * channels_ * 16), -1);
      for (int64_t n = 0; n < 16 * channels_; ++n)
        few_masks_[static_cast<size_t>(((n / 16) * channels_ + n % channels_) * 16 + n % 16)] =
            static_cast<int8_t>(n / channels_);
    }
  }

  void enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const float* x = static_cast<const float*>(inputs.at(0).handle);
    int8_t* y = static_cast<int8_t*>(outputs.at(0).handle);
    const ActivationQuant& q = p_.quant;
    const int threads = loop_threads(count_);
    if ((per_channel_ || prologue_) && !transpose_) {
      for (int64_t b = 0; b < batch_; ++b)
        quantize_channels(x + b * channels_ * plane_, y + b * channels_ * plane_, threads);
      return;
    }
    if (!transpose_) {
      quantize_parallel(x, y, count_, q, threads);
      return;
    }
    auto& ctx = static_cast<CpuContext&>(context);
    std::unique_ptr<KernelState>& slot = ctx.states[this];
    if (!slot) {
      auto state = std::make_unique<QuantizeState>();
      state->planar.resize(static_cast<size_t>(channels_ * plane_));
      slot = std::move(state);
    }
    int8_t* planar = static_cast<QuantizeState&>(*slot).planar.data();
    for (int64_t b = 0; b < batch_; ++b) {
      if (per_channel_ || prologue_) {
        quantize_channels(x + b * channels_ * plane_, planar, threads);
      } else {
        quantize_parallel(x + b * channels_ * plane_, planar, channels_ * plane_, q, threads);
      }
      transpose(planar, y + b * channels_ * plane_, threads);
    }
  }

  std::string impl_name() const override {
    return std::string(transpose_ ? "cpu_quantize_nhwc" : "cpu_quantize") +
           (per_channel_ ? "_per_channel" : "") + (prologue_ ? "+prologue" : "");
  }

 private:
  // quantize() over chunks shared among `threads`.
  static void quantize_parallel(const float* x, int8_t* y, int64_t n, const ActivationQuant& q, int threads) {
    constexpr int64_t kChunk = 1 << 14;
    const float top = static_cast<float>(q.levels - 1);
    parallel_for(threads, (n + kChunk - 1) / kChunk, [&](int64_t i) {
      const int64_t i0 = i * kChunk;
      quantize(x + i0, y + i0, std::min(kChunk, n - i0), q.in_low, q.in_high, top);
    });
  }

  // One image's channel planes, each with its own ranges and folded float ops (an absent op is
  // quantize_affine's identity), threads taking whole planes.
  void quantize_channels(const float* x, int8_t* y, int threads) const {
    parallel_for(threads, channels_, [&](int64_t c) {
      const size_t i = static_cast<size_t>(c);
      const ActivationQuant& q = per_channel_ ? p_.channel_quant[i] : p_.quant;
      const float top = static_cast<float>(q.levels - 1);
      const float scale = p_.pre_scale.empty() ? 1.0f : p_.pre_scale[i];
      const float shift = p_.pre_shift.empty() ? -0.0f : p_.pre_shift[i];
      quantize_affine(x + c * plane_, y + c * plane_, plane_, scale, shift, p_.pre_relu, q.in_low, q.in_high,
                      top);
    });
  }

  // [channel][pixel] -> [pixel][channel], in blocks that stay in cache; threads take pixel blocks.
  void transpose(const int8_t* src, int8_t* dst, int threads) const {
    constexpr int64_t kBlock = 64;
    const int64_t plane = plane_, channels = channels_;
    parallel_for(threads, (plane + kBlock - 1) / kBlock, [&](int64_t i) {
      const int64_t p0 = i * kBlock;
      const int64_t p1 = std::min(plane, p0 + kBlock);
      if (channels == 1) {
        std::memcpy(dst + p0, src + p0, static_cast<size_t>(p1 - p0));
      } else if (!few_masks_.empty()) {
        const int64_t p16 = p0 + (p1 - p0) / 16 * 16;
        transpose_few(src, dst, p0, p16, plane, channels, few_masks_.data());
        transpose_rows(src, dst, p16, p1, plane, channels);
      } else {
        transpose_rows(src, dst, p0, p1, plane, channels);
      }
    });
  }

  // transpose_rows for 2-15 channels over whole 16-pixel blocks [p0, p1), with the masks above.
  __attribute__((target("ssse3"))) static void transpose_few(const int8_t* __restrict src,
                                                             int8_t* __restrict dst, int64_t p0, int64_t p1,
                                                             int64_t plane, int64_t channels,
                                                             const int8_t* masks) {
    __m128i rows[16];
    for (int64_t p = p0; p < p1; p += 16) {
      for (int64_t c = 0; c < channels; ++c)
        rows[c] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + c * plane + p));
      int8_t* out = dst + p * channels;
      for (int64_t j = 0; j < channels; ++j) {
        __m128i v = _mm_setzero_si128();
        for (int64_t c = 0; c < channels; ++c)
          v = _mm_or_si128(v, _mm_shuffle_epi8(rows[c], _mm_loadu_si128(reinterpret_cast<const __m128i*>(
                                                            masks + (j * channels + c) * 16))));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j * 16), v);
      }
    }
  }

  // Pixels [p0, p1) of all channels: 16 x 16 byte blocks with SSE2, the edges one byte at a time.
  // A function of its own with everything by value: inside the OpenMP region, byte stores could
  // alias captured variables and the loop would reload them each iteration.
  static void transpose_rows(const int8_t* __restrict src, int8_t* __restrict dst, int64_t p0, int64_t p1,
                             int64_t plane, int64_t channels) {
    const int64_t c16 = channels / 16 * 16, p16 = p0 + (p1 - p0) / 16 * 16;
    for (int64_t c0 = 0; c0 < c16; c0 += 16)
      for (int64_t p = p0; p < p16; p += 16)
        transpose16x16(src + c0 * plane + p, plane, dst + p * channels + c0, channels);
    if (c16 < channels) {  // the last channels (fewer than 16): a zero-padded 16x16 block each time
      const int64_t rem = channels - c16;
      alignas(16) int8_t block[16 * 16] = {}, pixels[16 * 16];
      for (int64_t p = p0; p < p16; p += 16) {
        for (int64_t c = 0; c < rem; ++c) std::memcpy(block + c * 16, src + (c16 + c) * plane + p, 16);
        transpose16x16(block, 16, pixels, 16);
        for (int64_t j = 0; j < 16; ++j)
          std::memcpy(dst + (p + j) * channels + c16, pixels + j * 16, static_cast<size_t>(rem));
      }
    }
    for (int64_t p = p16; p < p1; ++p)
      for (int64_t c = 0; c < channels; ++c) dst[p * channels + c] = src[c * plane + p];
  }

  // dst[j * dst_stride + i] = src[i * src_stride + j] for i, j < 16. Each round interleaves rows i
  // and i + 8, which rotates the 8 bits (row, column) of every byte's position left by one; four
  // rounds swap row and column.
  static void transpose16x16(const int8_t* src, int64_t src_stride, int8_t* dst, int64_t dst_stride) {
    __m128i r[16], t[16];
    for (int i = 0; i < 16; ++i)
      r[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i * src_stride));
    for (int round = 0; round < 4; ++round) {
      for (int i = 0; i < 8; ++i) {
        t[2 * i] = _mm_unpacklo_epi8(r[i], r[i + 8]);
        t[2 * i + 1] = _mm_unpackhi_epi8(r[i], r[i + 8]);
      }
      for (int i = 0; i < 16; ++i) r[i] = t[i];
    }
    for (int i = 0; i < 16; ++i) _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i * dst_stride), r[i]);
  }

  const ActivationQuantize& p_;
  int64_t count_ = 0, batch_ = 1, channels_ = 1, plane_ = 0;
  bool transpose_ = false, per_channel_ = false, prologue_ = false;
  std::vector<int8_t> few_masks_;  // shuffle masks for 2-15 channels (transpose_few), else empty
};

}  // namespace

void quantize_codes(const float* x, int8_t* y, int64_t n, const ActivationQuant& q) {
  quantize(x, y, n, q.in_low, q.in_high, static_cast<float>(q.levels - 1));
}

void dequantize_codes(const int8_t* x, float* y, int64_t n, const ActivationQuant& q) {
  dequantize(x, y, n, static_cast<float>(q.levels - 1), q.out_high - q.out_low, q.out_low);
}

std::unique_ptr<Kernel> make_quantize_activation_kernel(const Node& node) {
  return std::make_unique<QuantizeActivationKernel>(node);
}

}  // namespace cpu
}  // namespace octet
