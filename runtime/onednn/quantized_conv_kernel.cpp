// Fast QuantizedConvolution on the CPU. With int8 activations (channels-last i8 codes from a
// QuantizeActivation) and weights whose centred codes fit int8, a oneDNN s8 convolution computes
// raw s32 accumulators of the stored codes with zero padding; the epilogue removes the activation
// zero point's share over the taps that fall inside the input (a small per-border-class table)
// and applies the reference arithmetic exactly. Wider codes use integer C++ loops; float
// activations use a oneDNN f32 convolution over dequantised weights.
#include <immintrin.h>
#include <omp.h>

#include <array>
#include <map>

#include "host/common/error.h"
#include "host/graph/ops/conv_geometry.h"
#include "runtime/onednn/cpu_backend.h"
#include "runtime/onednn/exact_activations.h"
#include "runtime/onednn/quantized_epilogue.h"
#include "runtime/onednn/vnni_1x1.h"
#include "runtime/onednn/vnni_pixels.h"

namespace octet {
namespace cpu {
namespace {

using dnnl::memory;

constexpr int64_t kTile = 16;  // output pixels finished together (see enqueue)
// Pixels per chunk of the VNNI 1x1 path: 64 x 64 channels of s32 are 16 KiB, in L1 until finished.
constexpr int64_t kVnniChunk = 64;
// Accumulators per row band (256 KiB of s32, a quarter of a Zen 4 / Ice Lake L2; see BandPlan).
constexpr int64_t kBandAccumulators = int64_t{1} << 16;

// Spatial geometry padded to three dims (depth, height, width), leading dims of size 1.
struct Geometry3 {
  std::array<int64_t, 3> in{1, 1, 1}, out{1, 1, 1}, kernel{1, 1, 1}, stride{1, 1, 1}, dilation{1, 1, 1},
      pad{0, 0, 0};
  int64_t in_plane() const { return in[0] * in[1] * in[2]; }
  int64_t out_plane() const { return out[0] * out[1] * out[2]; }
  int64_t taps() const { return kernel[0] * kernel[1] * kernel[2]; }
};

// A block of consecutive output rows of one image computed by one single-threaded oneDNN primitive
// and finished at once, while its accumulators are still in the thread's cache.
struct RowBand {
  int64_t first_row = 0, rows = 0;  // output rows [first_row, first_row + rows)
  int64_t src_row = 0;              // the first input row the primitive reads
  size_t primitive = 0;             // index into QuantizedConvKernel::band_primitives_
};

// Every image's output rows split among a team of `threads` threads (near-equal contiguous shares)
// and each share cut into bands: one OpenMP region per convolution, the epilogue of each band run
// by the thread that computed it (no second region, no accumulators leaving the cache).
struct BandPlan {
  int threads = 0;                           // 0: no plan
  std::vector<std::vector<RowBand>> shares;  // per thread
  int64_t max_rows = 0;                      // the tallest band's rows
};

// A oneDNN primitive for bands of `rows` output rows with `pad_top` / `pad_bottom` zero rows.
struct BandPrimitive {
  int64_t rows = 0, pad_top = 0, pad_bottom = 0;
  dnnl::primitive primitive;
  dnnl::memory weights;  // the layer's, or a copy in the blocking this primitive wants
  dnnl::memory::desc src, dst, scratch;
};

// One thread's share of a row-band plan (see BandPlan): its bands' accumulators, its memories for
// each band primitive and its own stream (the team's threads run primitives at the same time).
struct BandWorker {
  std::vector<int32_t> acc;                 // one band's [output pixel][output channel]
  std::vector<PrimitiveMemories> memories;  // per QuantizedConvKernel::band_primitives_ entry
  std::optional<dnnl::stream> stream;
  std::vector<uint8_t> levels;  // with u8_src_: the band's input as levels (flip_to_levels)
};

struct ConvState : KernelState {
  std::vector<int32_t> acc;         // [batch][output pixel][output channel] (without a band plan)
  std::vector<BandWorker> workers;  // with a band plan: one per thread of its team
  const BandPlan* plan = nullptr;   // the plan this context's team size runs, or null
  std::vector<int32_t> centred;     // loop path: activations minus the zero point, [batch][pixel][channel]
  std::vector<float> real;          // f32 path: [batch][output pixel][output channel]
  std::vector<float> src_last;      // f32 path with reorder_src_: the input channels last
  dnnl::memory reorder_in, reorder_out;
  std::vector<float> finish;    // per thread, kTile pixels' channels being finished
  int threads = 1;              // threads the finish buffer has room for
  PrimitiveMemories primitive;  // the oneDNN path's
  std::vector<uint8_t> levels;  // whole-layer path with u8_src_: the input as levels
};

// Where one enqueue reads and writes.
struct ConvIo {
  float* y = nullptr;                      // f32 NCHW output, or
  int8_t* codes = nullptr;                 // channels-last output codes (output_codes)
  const float* residual = nullptr;         // f32 NCHW residual addend, or
  const int8_t* residual_codes = nullptr;  // channels-last residual codes
};

memory::format_tag channels_last(size_t spatial) {
  return spatial == 1   ? memory::format_tag::nwc
         : spatial == 2 ? memory::format_tag::nhwc
                        : memory::format_tag::ndhwc;
}
memory::format_tag channels_first(size_t spatial) {
  return spatial == 1   ? memory::format_tag::ncw
         : spatial == 2 ? memory::format_tag::nchw
                        : memory::format_tag::ncdhw;
}
memory::format_tag plain_weights(size_t spatial, bool grouped) {
  if (grouped)
    return spatial == 1   ? memory::format_tag::goiw
           : spatial == 2 ? memory::format_tag::goihw
                          : memory::format_tag::goidhw;
  return spatial == 1   ? memory::format_tag::oiw
         : spatial == 2 ? memory::format_tag::oihw
                        : memory::format_tag::oidhw;
}

// Codes (level - 128, int8) -> levels (uint8): the top bit flipped.
OCTET_AVX2_CLONES void flip_to_levels(const int8_t* __restrict codes, int64_t n, uint8_t* __restrict levels) {
  for (int64_t i = 0; i < n; ++i) levels[i] = static_cast<uint8_t>(codes[i]) ^ 0x80u;
}

// The 8 x 8 floats at rows[i * stride + j] -> out[j * out_stride + i] (pure data movement).
__attribute__((target("avx2"))) inline void transpose8x8(const float* rows, int64_t stride, float* out,
                                                         int64_t out_stride) {
  __m256 r[8], t[8];
  for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(rows + i * stride);
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    r[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  // r[0..3]: columns 0, 1, 2, 3 of rows 0-3 (low half) and 4-7 of rows 0-3 (high); r[4..7] rows 4-7.
  for (int i = 0; i < 4; ++i) {
    _mm256_storeu_ps(out + i * out_stride, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
    _mm256_storeu_ps(out + (i + 4) * out_stride, _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
  }
}

// A full tile ([kTile pixels][channels], channels a multiple of 8) into channel rows of `y`, `plane`
// floats apart.
__attribute__((target("avx2"))) void store_tile_avx2(const float* tile, int64_t channels, float* y,
                                                     int64_t plane) {
  for (int64_t c0 = 0; c0 < channels; c0 += 8)
    for (int64_t t0 = 0; t0 < kTile; t0 += 8)
      transpose8x8(tile + t0 * channels + c0, channels, y + c0 * plane + t0, plane);
}

// The inverse: kTile pixels of every channel row of `x` (NCHW, `plane` floats apart) into a
// [kTile pixels][channels] tile, so the epilogue reads a residual addend contiguously.
__attribute__((target("avx2"))) void load_tile_avx2(const float* x, int64_t plane, int64_t channels,
                                                    float* tile) {
  for (int64_t c0 = 0; c0 < channels; c0 += 8)
    for (int64_t t0 = 0; t0 < kTile; t0 += 8)
      transpose8x8(x + c0 * plane + t0, plane, tile + t0 * channels + c0, channels);
}

class QuantizedConvKernel : public Kernel {
 public:
  QuantizedConvKernel(const Node& node, CpuBackend& backend);
  void enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override;
  std::string impl_name() const override { return impl_; }

 private:
  // The whole layer's window in oneDNN's terms (dilations from 0, the right pads that fit).
  struct Window {
    memory::dims strides, dilations, pad_l, pad_r;
  };
  Window layer_window() const;
  void build_primitive(CpuBackend& backend, bool int8, bool float_channels_last = false);
  // True when oneDNN has a brgconv for u8 sources of this layer but not for s8 ones (u8_src_).
  bool brgconv_only_for_u8(const dnnl::engine& engine) const;
  void build_correction();
  // The centred weight codes (codes_) reordered into `desc` (an s8 primitive's weights).
  memory s8_weights(const dnnl::engine& engine, const memory::desc& desc) const;
  // A BandPlan for a team of `threads` with bands of at most `band_rows` rows, its primitives
  // added to band_primitives_; false (plan left empty) when oneDNN declines one of them.
  bool plan_bands(CpuBackend& backend, int threads, int64_t band_rows, BandPlan& plan);
  // The index in band_primitives_ of a single-threaded s8 primitive for `rows` output rows with
  // `pad_top` / `pad_bottom` zero rows, built if new; nullopt when oneDNN has only its reference
  // implementation for it.
  std::optional<size_t> band_primitive(CpuBackend& backend, int64_t rows, int64_t pad_top,
                                       int64_t pad_bottom);
  // The vnni_1x1_ path: chunks of kVnniChunk pixels accumulated and finished by one thread each.
  void run_vnni_1x1(ConvState& state, const ConvIo& io, const int8_t* x) const;
  // The vnni_pixels_ path: each image staged, then its output rows accumulated and finished.
  void run_vnni_pixels(ConvState& state, const ConvIo& io, const int8_t* x) const;
  // Runs `plan` (one OpenMP region for a team, none for one thread).
  void run_bands(const BandPlan& plan, ConvState& state, const ConvIo& io, const int8_t* x) const;
  // Pixels [p_begin, p_end) of image b from their accumulators (acc: pixel p_begin's), through the
  // epilogue into the output layout, on at most max_threads threads.
  void finish_pixels(ConvState& state, const ConvIo& io, int64_t b, int64_t p_begin, int64_t p_end,
                     int32_t* acc, int max_threads) const;
  void loop_accumulate(const int8_t* x, ConvState& state) const;
  // Index into correction_ of an output pixel: the border class of each of its coordinates.
  // The table is [class][output channel], so one pixel's corrections are contiguous.
  const int32_t* correction_row(int64_t oz, int64_t oy, int64_t ox) const {
    const int64_t c =
        (class_of_[0][oz] * class_count_[1] + class_of_[1][oy]) * class_count_[2] + class_of_[2][ox];
    return correction_.data() + c * out_channels_;
  }

  const QuantizedLinear& q_;
  Epilogue epilogue_;
  size_t spatial_ = 0;
  Geometry3 g_;
  int64_t batch_ = 0, channels_ = 0, out_channels_ = 0, groups_ = 1, in_per_group_ = 0, out_per_group_ = 0;
  Dims src_dims_, dst_dims_, weight_dims_;
  ConvGeometry geometry_;
  bool int_input_ = false, use_onednn_ = false;
  int64_t split_ = -1;  // post-op run over whole tiles (Epilogue::exact_activation_index)
  // f32 activations reordered to channels last before the convolution: oneDNN has jit f32
  // convolutions for NCHW -> NCHW and NHWC -> NHWC, not for the NCHW -> NHWC this kernel wants,
  // where it falls back to its slow reference implementation.
  bool reorder_src_ = false;
  dnnl::reorder src_reorder_;
  memory::desc src_plain_md_;
  int32_t src_zero_ = 0;
  // The oneDNN primitives read u8 levels (the codes with their top bit flipped, copied per band or
  // per layer) instead of the s8 codes: for s8 sources oneDNN 2.6 has no brgconv for padded windows
  // (its jit_int8 took 16-19% longer on ResNet-50's 14x14x256 and 7x7x512 3x3 layers, 4% on
  // 56x56x64) and shifts every source byte (brgconv_only_for_u8).
  bool u8_src_ = false;
  // Accumulators from vnni_1x1_accumulate (a small 1x1 layer) instead of the oneDNN primitive.
  bool vnni_1x1_ = false;
  Vnni1x1Weights vnni_;
  // Accumulators from vnni_pixels_row (8 or 16 output channels, stride 1, "same" padding).
  bool vnni_pixels_ = false;
  VnniPixelsLayer pixels_layer_;
  bool vnni() const { return vnni_1x1_ || vnni_pixels_; }
  std::optional<ActivationQuant> residual_codes_;  // the residual addend arrives as channels-last codes
  bool direct_codes_ = false;   // output codes straight from the accumulators (Epilogue::codes_row)
  std::vector<int32_t> codes_;  // centred, [O][C/G][kernel...]
  // Zero-point correction: the zero point times the sum of centred codes over the taps inside the input, per
  // output channel and border class of each spatial coordinate.
  std::array<std::vector<int64_t>, 3> class_of_;
  std::array<int64_t, 3> class_count_{1, 1, 1};
  std::vector<int32_t> correction_;  // times src_zero_ already: the epilogue subtracts 1 * correction
  // The epilogue's zero argument with correction_: its rows hold the activation zero point's whole
  // share (no multiply per element).
  static constexpr int32_t kCorrectionScale = 1;
  dnnl::primitive primitive_;
  memory::desc src_md_, dst_md_, scratch_md_;
  // Row bands (2-D s8 convolutions): on one thread, layers whose s32 accumulators outgrow L2 (4x
  // their codes) run kBandAccumulators at a time, each band finished while still in the cache; on a
  // team (the thread count at compile time), every layer runs as one region of bands (BandPlan).
  BandPlan single_plan_, team_plan_;
  std::vector<BandPrimitive> band_primitives_;
  memory weights_;
  std::string impl_;
};

QuantizedConvKernel::QuantizedConvKernel(const Node& node, CpuBackend& backend)
    : q_(quantized_params(node)), epilogue_(q_, backend.options().precision == Precision::kFast) {
  const int team = omp_get_max_threads();  // the team this layer runs on (1 for small layers)
  const QuantizedWeights& w = q_.weights;
  int_input_ = node.input_type(0) == ElementType::kI8;
  if (int_input_ && !q_.input)
    raise(ErrorCode::kInternal, "{}: i8 input without quantization", node.describe());
  if (!int_input_ && node.input_type(0) != ElementType::kF32)
    raise(ErrorCode::kUnsupported, "{}: input of type {}", node.describe(),
          element_type_name(node.input_type(0)));
  if (epilogue_.groups() != 1)
    raise(ErrorCode::kUnsupported, "{}: group-wise convolution weights", node.describe());
  // Logical input [N, C, spatial...]; i8 codes are stored [N, spatial..., C].
  Dims in = node.input_shape(0);
  if (int_input_) {
    in.insert(in.begin() + 1, in.back());
    in.pop_back();
  }
  const Dims out = quantized_result_shape(node);
  spatial_ = in.size() - 2;
  if (spatial_ < 1 || spatial_ > 3)
    raise(ErrorCode::kUnsupported, "{}: {}-D convolution", node.describe(), spatial_);
  const bool grouped = q_.base_op == OpKind::kGroupConvolution;
  weight_dims_ = w.codes.shape();
  const Dims kernel(weight_dims_.begin() + (grouped ? 3 : 2), weight_dims_.end());
  const Dims spatial_in(in.begin() + 2, in.end());
  const size_t n = spatial_;
  geometry_ = conv_window(node, q_.conv, spatial_in, kernel);
  for (size_t i = 0; i < n; ++i) {
    const size_t j = 3 - n + i;
    g_.in[j] = in[2 + i];
    g_.out[j] = out[2 + i];
    g_.kernel[j] = kernel[i];
    g_.stride[j] = geometry_.strides[i];
    g_.dilation[j] = geometry_.dilations[i];
    g_.pad[j] = geometry_.pads_begin[i];
  }
  batch_ = in[0];
  channels_ = in[1];
  groups_ = grouped ? weight_dims_[0] : 1;
  out_per_group_ = grouped ? weight_dims_[1] : weight_dims_[0];
  in_per_group_ = grouped ? weight_dims_[2] : weight_dims_[1];
  out_channels_ = groups_ * out_per_group_;
  src_dims_ = in;
  dst_dims_ = out;
  codes_ = centred_weight_codes(w);
  for (const PostOp& op : q_.post_ops)
    if (op.residual_codes) residual_codes_ = op.residual_codes;
  // Output codes straight from the accumulators in one pass over 16-channel vectors (the simple
  // chains' AVX-512 rows mask a partial vector). Otherwise Swish / Sigmoid (YOLO's SiLU) run over a whole
  // tile of rows at once with a vector exp.
  direct_codes_ = q_.output_codes && int_input_ && epilogue_.can_write_codes(*q_.output_codes) &&
                  (out_channels_ % 16 == 0 || epilogue_.codes_of_any_width());
  split_ = direct_codes_ ? -1 : epilogue_.exact_activation_index();
  epilogue_.split_at(split_);

  if (int_input_) {
    src_zero_ = q_.input->zero_point - 128;
    // Small layers run own VNNI loops instead of a oneDNN primitive, on u8 levels (the zero point of
    // the levels in the correction, like :u8src): 1x1 layers of up to 64 channels (DenseNet's
    // bottlenecks; vnni_1x1.h) and stride-1 "same" layers of 8 or 16 outputs (its 3x3 growth
    // layers: pixels in the lanes over a staged copy with a level-0 border; vnni_pixels.h).
    const std::array<int64_t, 3> ones{1, 1, 1}, zeros{0, 0, 0};
    const bool one_by_one = g_.taps() == 1 && g_.stride == ones && g_.pad == zeros && g_.in == g_.out;
    const bool same = g_.in == g_.out && g_.in[0] == 1 && g_.kernel[0] == 1 && g_.stride == ones &&
                      g_.dilation == ones && g_.pad[1] == g_.kernel[1] / 2 && g_.pad[2] == g_.kernel[2] / 2;
    if (fits_int8(codes_) && groups_ == 1) {
      if (one_by_one && vnni_1x1_fits(channels_, out_channels_)) {
        vnni_1x1_ = true;
        vnni_ = pack_vnni_1x1(codes_, out_channels_, channels_);
      } else if (same && g_.taps() > 1 &&
                 vnni_pixels_fits(channels_, out_channels_, g_.kernel[1], g_.kernel[2], g_.in[2])) {
        vnni_pixels_ = true;
        pixels_layer_ = make_vnni_pixels(codes_, out_channels_, channels_, g_.kernel[1], g_.kernel[2],
                                         g_.in[1], g_.in[2]);
      }
      if (vnni()) src_zero_ = q_.input->zero_point;
    }
    if (fits_int8(codes_) && !vnni()) {
      try {
        build_primitive(backend, true);
        use_onednn_ = true;
        if (brgconv_only_for_u8(backend.engine())) {
          u8_src_ = true;
          src_zero_ = q_.input->zero_point;  // the zero point of the levels
          build_primitive(backend, true);
        }
      } catch (const dnnl::error&) {
        use_onednn_ = false;  // the integer loops read the s8 codes: their zero point again
        u8_src_ = false;
        src_zero_ = q_.input->zero_point - 128;
      }
    }
    if ((use_onednn_ || vnni()) && src_zero_ != 0) build_correction();
    if (use_onednn_ && spatial_ == 2) {
      // Built for one thread: they run on one (alone, or nested in the team's region).
      OneThreadTeam one_thread(true);
      const int64_t row = g_.out[2] * out_channels_;
      const int64_t band_rows = std::max<int64_t>(1, kBandAccumulators / row);
      if (batch_ * g_.out_plane() * out_channels_ >= 4 * kBandAccumulators && band_rows < g_.out[1] &&
          plan_bands(backend, 1, band_rows, single_plan_))
        impl_ += ":rows" + std::to_string(band_rows);
      if (team > 1 && plan_bands(backend, team, band_rows, team_plan_))
        impl_ += ":team" + std::to_string(team);
    }
    if (!use_onednn_)
      impl_ = vnni_1x1_ ? "cpu_vnni_1x1" : vnni_pixels_ ? "cpu_vnni_pixels" : "cpu_int8_loops";
    if (direct_codes_ && epilogue_.simple_codes(out_channels_))
      impl_ += "+avx512_codes";  // simple_epilogue.h
  } else {
    build_primitive(backend, false);
    if (impl_.find(":ref") != std::string::npos) build_primitive(backend, false, true);
    use_onednn_ = true;
  }
  backend.add_weight_bytes(use_onednn_    ? weights_.get_desc().get_size()
                           : vnni_1x1_    ? vnni_.packed.size()
                           : vnni_pixels_ ? pixels_layer_.weights.size() * sizeof(int32_t)
                                          : codes_.size() * sizeof(int32_t));
  if (use_onednn_ ||
      vnni()) {  // the primitive or the VNNI packing holds its own copy; only the loops read codes_
    codes_.clear();
    codes_.shrink_to_fit();
  }
}

QuantizedConvKernel::Window QuantizedConvKernel::layer_window() const {
  Window w;
  for (size_t i = 0; i < spatial_; ++i) {
    const int64_t span = (geometry_.kernel[i] - 1) * geometry_.dilations[i] + 1;
    w.strides.push_back(geometry_.strides[i]);
    w.dilations.push_back(geometry_.dilations[i] - 1);
    w.pad_l.push_back(geometry_.pads_begin[i]);
    w.pad_r.push_back((dst_dims_[2 + i] - 1) * geometry_.strides[i] + span - src_dims_[2 + i] -
                      geometry_.pads_begin[i]);
  }
  return w;
}

void QuantizedConvKernel::build_primitive(CpuBackend& backend, bool int8, bool float_channels_last) {
  const dnnl::engine& engine = backend.engine();
  const Window window = layer_window();
  const memory::dims src(src_dims_.begin(), src_dims_.end()), dst(dst_dims_.begin(), dst_dims_.end());
  const memory::dims wd(weight_dims_.begin(), weight_dims_.end());
  const auto value = int8 ? memory::data_type::s8 : memory::data_type::f32;
  reorder_src_ = !int8 && float_channels_last;
  src_md_ = memory::desc(src, u8_src_ ? memory::data_type::u8 : value,
                         int8 || reorder_src_ ? channels_last(spatial_) : channels_first(spatial_));
  if (reorder_src_) {
    src_plain_md_ = memory::desc(src, value, channels_first(spatial_));
    src_reorder_ = dnnl::reorder(dnnl::reorder::primitive_desc(engine, src_plain_md_, engine, src_md_));
  }
  // Results channels last, so the epilogue finishes one pixel's channels at a time.
  dst_md_ =
      memory::desc(dst, int8 ? memory::data_type::s32 : memory::data_type::f32, channels_last(spatial_));
  const memory::desc w_any(wd, value, memory::format_tag::any);
  dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                       dnnl::algorithm::convolution_direct, src_md_, w_any, dst_md_,
                                       window.strides, window.dilations, window.pad_l, window.pad_r);
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::convolution_forward::primitive_desc pd(desc, attr, engine);
  const memory::desc w_plain(wd, value, plain_weights(spatial_, q_.base_op == OpKind::kGroupConvolution));
  if (int8) {
    weights_ = s8_weights(engine, pd.weights_desc());
  } else {
    weights_ = memory(pd.weights_desc(), engine);
    dnnl::stream stream(engine);
    const int64_t reduction = q_.weights.reduction;
    std::vector<float> plain(codes_.size());
    for (size_t e = 0; e < codes_.size(); ++e)
      plain[e] = static_cast<float>(codes_[e]) * q_.weights.scale[e / static_cast<size_t>(reduction)];
    memory plain_mem(w_plain, engine, plain.data());
    dnnl::reorder(plain_mem, weights_).execute(stream, plain_mem, weights_);
    stream.wait();
  }
  primitive_ = dnnl::convolution_forward(pd);
  scratch_md_ = pd.scratchpad_desc();
  impl_ = std::string(int8           ? "onednn_s8:"
                      : reorder_src_ ? "onednn_f32_dequant:nhwc:"
                                     : "onednn_f32_dequant:") +
          pd.impl_info_str() + (u8_src_ ? ":u8src" : "");
}

bool QuantizedConvKernel::brgconv_only_for_u8(const dnnl::engine& engine) const {
  // Below 64 output channels the u8 brgconv was the slower one (yolo_fpn's and unet's 3x3 layers of
  // 8-48 channels: 0.028 -> 0.033 ms for yolo's first); from 64 on it was 5-19% faster.
  if (impl_.find("brg") != std::string::npos || out_per_group_ < 64) return false;
  const Window window = layer_window();
  const memory::desc src(memory::dims(src_dims_.begin(), src_dims_.end()), memory::data_type::u8,
                         channels_last(spatial_));
  const memory::desc w(memory::dims(weight_dims_.begin(), weight_dims_.end()), memory::data_type::s8,
                       memory::format_tag::any);
  try {
    dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                         dnnl::algorithm::convolution_direct, src, w, dst_md_, window.strides,
                                         window.dilations, window.pad_l, window.pad_r);
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    const dnnl::convolution_forward::primitive_desc pd(desc, attr, engine);
    return std::string(pd.impl_info_str()).find("brg") != std::string::npos;
  } catch (const dnnl::error&) {
    return false;
  }
}

memory QuantizedConvKernel::s8_weights(const dnnl::engine& engine, const memory::desc& desc) const {
  const memory::dims wd(weight_dims_.begin(), weight_dims_.end());
  std::vector<int8_t> plain(codes_.begin(), codes_.end());
  memory plain_mem(memory::desc(wd, memory::data_type::s8,
                                plain_weights(spatial_, q_.base_op == OpKind::kGroupConvolution)),
                   engine, plain.data());
  memory weights(desc, engine);
  dnnl::stream stream(engine);
  dnnl::reorder(plain_mem, weights).execute(stream, plain_mem, weights);
  stream.wait();
  return weights;
}

bool QuantizedConvKernel::plan_bands(CpuBackend& backend, int threads, int64_t band_rows, BandPlan& plan) {
  const int64_t span = (g_.kernel[1] - 1) * g_.dilation[1] + 1;
  BandPlan made;
  made.threads = threads;
  made.shares.resize(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    const int64_t end = g_.out[1] * (t + 1) / threads;
    for (int64_t y = g_.out[1] * t / threads; y < end; y += band_rows) {
      const int64_t rows = std::min(band_rows, end - y);
      // Input rows [top, bottom) of the window, clipped to the input; the rest is zero padding.
      const int64_t top = y * g_.stride[1] - g_.pad[1],
                    bottom = (y + rows - 1) * g_.stride[1] - g_.pad[1] + span;
      const int64_t src_begin = std::max<int64_t>(0, top), src_end = std::min(g_.in[1], bottom);
      if (src_end <= src_begin) return false;  // a band of padding only
      const std::optional<size_t> primitive =
          band_primitive(backend, rows, src_begin - top, bottom - src_end);
      if (!primitive) return false;
      made.shares[static_cast<size_t>(t)].push_back(RowBand{y, rows, src_begin, *primitive});
      made.max_rows = std::max(made.max_rows, rows);
    }
  }
  plan = std::move(made);
  return true;
}

std::optional<size_t> QuantizedConvKernel::band_primitive(CpuBackend& backend, int64_t rows, int64_t pad_top,
                                                          int64_t pad_bottom) {
  const dnnl::engine& engine = backend.engine();
  for (size_t i = 0; i < band_primitives_.size(); ++i) {
    const BandPrimitive& p = band_primitives_[i];
    if (p.rows == rows && p.pad_top == pad_top && p.pad_bottom == pad_bottom) return i;
  }
  const int64_t span = (g_.kernel[1] - 1) * g_.dilation[1] + 1;
  memory::dims src_dims(src_dims_.begin(), src_dims_.end()), dst_dims(dst_dims_.begin(), dst_dims_.end());
  src_dims[0] = dst_dims[0] = 1;
  src_dims[2] = (rows - 1) * g_.stride[1] + span - pad_top - pad_bottom;
  dst_dims[2] = rows;
  memory::dims strides, dilations, pad_l, pad_r;
  for (size_t i = 0; i < 2; ++i) {
    const int64_t s = (geometry_.kernel[i] - 1) * geometry_.dilations[i] + 1;
    strides.push_back(geometry_.strides[i]);
    dilations.push_back(geometry_.dilations[i] - 1);
    pad_l.push_back(i == 0 ? pad_top : geometry_.pads_begin[i]);
    pad_r.push_back((dst_dims[2 + i] - 1) * geometry_.strides[i] + s - src_dims[2 + i] - pad_l.back());
  }
  BandPrimitive band;
  band.rows = rows;
  band.pad_top = pad_top;
  band.pad_bottom = pad_bottom;
  band.src = memory::desc(src_dims, u8_src_ ? memory::data_type::u8 : memory::data_type::s8,
                          memory::format_tag::nhwc);
  band.dst = memory::desc(dst_dims, memory::data_type::s32, memory::format_tag::nhwc);
  const memory::desc w_any(memory::dims(weight_dims_.begin(), weight_dims_.end()), memory::data_type::s8,
                           memory::format_tag::any);
  try {
    dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                         dnnl::algorithm::convolution_direct, band.src, w_any, band.dst,
                                         strides, dilations, pad_l, pad_r);
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::convolution_forward::primitive_desc pd(desc, attr, engine);
    if (is_reference_impl(pd)) return std::nullopt;
    band.primitive = dnnl::convolution_forward(pd);
    // brgconv picks its weights' blocking by the output size: bands that want another blocking
    // share one copy of the codes in it (oneDNN 2.6 has no reorder between two such blockings).
    band.weights = weights_;
    for (const BandPrimitive& other : band_primitives_)
      if (other.weights.get_desc() == pd.weights_desc()) band.weights = other.weights;
    if (band.weights.get_desc() != pd.weights_desc()) {
      band.weights = s8_weights(engine, pd.weights_desc());
      backend.add_weight_bytes(pd.weights_desc().get_size());
    }
    band.scratch = pd.scratchpad_desc();
  } catch (const dnnl::error&) {
    return std::nullopt;
  }
  band_primitives_.push_back(std::move(band));
  return band_primitives_.size() - 1;
}

void QuantizedConvKernel::build_correction() {
  // Per spatial dim, the range of taps inside the input depends on the output coordinate only
  // near the borders; equal ranges share a class.
  std::array<std::vector<std::pair<int64_t, int64_t>>, 3> ranges;
  for (size_t d = 0; d < 3; ++d) {
    std::map<std::pair<int64_t, int64_t>, int64_t> ids;
    class_of_[d].resize(static_cast<size_t>(g_.out[d]));
    for (int64_t o = 0; o < g_.out[d]; ++o) {
      int64_t lo = g_.kernel[d], hi = 0;
      for (int64_t k = 0; k < g_.kernel[d]; ++k) {
        const int64_t i = o * g_.stride[d] - g_.pad[d] + k * g_.dilation[d];
        if (i >= 0 && i < g_.in[d]) lo = std::min(lo, k), hi = std::max(hi, k + 1);
      }
      const auto it = ids.emplace(std::make_pair(lo, hi), static_cast<int64_t>(ids.size())).first;
      if (it->second == static_cast<int64_t>(ranges[d].size())) ranges[d].push_back(it->first);
      class_of_[d][static_cast<size_t>(o)] = it->second;
    }
    class_count_[d] = static_cast<int64_t>(ranges[d].size());
  }
  correction_.assign(static_cast<size_t>(out_channels_ * class_count_[0] * class_count_[1] * class_count_[2]),
                     0);
  for (int64_t o = 0; o < out_channels_; ++o)
    for (int64_t cz = 0; cz < class_count_[0]; ++cz)
      for (int64_t cy = 0; cy < class_count_[1]; ++cy)
        for (int64_t cx = 0; cx < class_count_[2]; ++cx) {
          int64_t sum = 0;
          const auto [z0, z1] = ranges[0][cz];
          const auto [y0, y1] = ranges[1][cy];
          const auto [x0, x1] = ranges[2][cx];
          for (int64_t c = 0; c < in_per_group_; ++c)
            for (int64_t kz = z0; kz < z1; ++kz)
              for (int64_t ky = y0; ky < y1; ++ky)
                for (int64_t kx = x0; kx < x1; ++kx)
                  sum += codes_[o * q_.weights.reduction +
                                ((c * g_.kernel[0] + kz) * g_.kernel[1] + ky) * g_.kernel[2] + kx];
          correction_[static_cast<size_t>(
              ((cz * class_count_[1] + cy) * class_count_[2] + cx) * out_channels_ + o)] =
              static_cast<int32_t>(sum * src_zero_);
        }
}

// Exact accumulators with integer loops over channels-last codes.
void QuantizedConvKernel::loop_accumulate(const int8_t* x, ConvState& state) const {
  const int64_t in_plane = g_.in_plane(), out_plane = g_.out_plane();
  int32_t* a = state.centred.data();
  for (int64_t i = 0; i < batch_ * in_plane * channels_; ++i) a[i] = int32_t{x[i]} - src_zero_;
  const int64_t reduction = q_.weights.reduction, taps = g_.taps();
  for (int64_t b = 0; b < batch_; ++b)
    for (int64_t oz = 0; oz < g_.out[0]; ++oz)
      for (int64_t oy = 0; oy < g_.out[1]; ++oy)
        for (int64_t ox = 0; ox < g_.out[2]; ++ox) {
          int32_t* acc =
              state.acc.data() + (b * out_plane + (oz * g_.out[1] + oy) * g_.out[2] + ox) * out_channels_;
          for (int64_t o = 0; o < out_channels_; ++o) acc[o] = 0;
          for (int64_t kz = 0; kz < g_.kernel[0]; ++kz) {
            const int64_t iz = oz * g_.stride[0] - g_.pad[0] + kz * g_.dilation[0];
            if (iz < 0 || iz >= g_.in[0]) continue;
            for (int64_t ky = 0; ky < g_.kernel[1]; ++ky) {
              const int64_t iy = oy * g_.stride[1] - g_.pad[1] + ky * g_.dilation[1];
              if (iy < 0 || iy >= g_.in[1]) continue;
              for (int64_t kx = 0; kx < g_.kernel[2]; ++kx) {
                const int64_t ix = ox * g_.stride[2] - g_.pad[2] + kx * g_.dilation[2];
                if (ix < 0 || ix >= g_.in[2]) continue;
                const int32_t* pixel = a + (b * in_plane + (iz * g_.in[1] + iy) * g_.in[2] + ix) * channels_;
                const int64_t tap = (kz * g_.kernel[1] + ky) * g_.kernel[2] + kx;
                for (int64_t o = 0; o < out_channels_; ++o) {
                  const int32_t* src = pixel + (o / out_per_group_) * in_per_group_;
                  const int32_t* w = codes_.data() + o * reduction + tap;
                  int32_t sum = 0;
                  for (int64_t c = 0; c < in_per_group_; ++c) sum += src[c] * w[c * taps];
                  acc[o] += sum;
                }
              }
            }
          }
        }
}

void QuantizedConvKernel::enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
                                  const std::vector<BufferView>& outputs) {
  auto& ctx = static_cast<CpuContext&>(context);
  std::unique_ptr<KernelState>& slot = ctx.states[this];
  if (!slot) {
    auto state = std::make_unique<ConvState>();
    const dnnl::engine engine = ctx.stream.get_engine();
    const size_t results = static_cast<size_t>(batch_ * g_.out_plane() * out_channels_);
    state->threads = std::max(1, omp_get_max_threads());
    // A context on another team size than the layer was compiled for runs without a plan.
    state->plan = state->threads == 1 && single_plan_.threads ? &single_plan_
                  : state->threads == team_plan_.threads      ? &team_plan_
                                                              : nullptr;
    if (state->plan) {
      state->workers.resize(static_cast<size_t>(state->plan->threads));
      for (BandWorker& w : state->workers) {
        w.acc.resize(static_cast<size_t>(state->plan->max_rows * g_.out[2] * out_channels_));
        w.stream.emplace(engine);
        w.memories.resize(band_primitives_.size());
        if (u8_src_)
          for (const BandPrimitive& p : band_primitives_)
            w.levels.resize(std::max(w.levels.size(), p.src.get_size()));
        for (size_t i = 0; i < band_primitives_.size(); ++i)
          w.memories[i].bind(engine, band_primitives_[i].src, band_primitives_[i].dst, w.acc.data(),
                             band_primitives_[i].scratch);
      }
    } else if (vnni_1x1_) {
      state->acc.resize(static_cast<size_t>(kVnniChunk * out_channels_ * state->threads));
    } else if (vnni_pixels_) {
      state->acc.resize(static_cast<size_t>(g_.out[2] * out_channels_ * state->threads));
      state->levels.resize(static_cast<size_t>(pixels_layer_.staged_bytes()));
    } else if (int_input_) {
      state->acc.resize(results);
      if (u8_src_) state->levels.resize(src_md_.get_size());
    }
    if (!int_input_) state->real.resize(results);
    state->finish.resize(static_cast<size_t>(2 * kTile * out_channels_ * state->threads));
    if (int_input_ && !use_onednn_ && !vnni())
      state->centred.resize(static_cast<size_t>(batch_ * g_.in_plane() * channels_));
    if (reorder_src_) {
      state->src_last.resize(src_md_.get_size() / sizeof(float));
      state->reorder_in = memory(src_plain_md_, engine, nullptr);
      state->reorder_out = memory(src_md_, engine, state->src_last.data());
    }
    if (use_onednn_)
      state->primitive.bind(
          engine, src_md_, dst_md_,
          int_input_ ? static_cast<void*>(state->acc.data()) : static_cast<void*>(state->real.data()),
          scratch_md_);
    slot = std::move(state);
  }
  auto& state = static_cast<ConvState&>(*slot);
  ConvIo io;
  if (q_.output_codes) {
    io.codes = static_cast<int8_t*>(outputs.at(0).handle);
  } else {
    io.y = static_cast<float*>(outputs.at(0).handle);
  }
  if (inputs.size() > 1) {
    if (residual_codes_) {
      io.residual_codes = static_cast<const int8_t*>(inputs[1].handle);
    } else {
      io.residual = static_cast<const float*>(inputs[1].handle);
    }
  }
  if (vnni_1x1_) {
    run_vnni_1x1(state, io, static_cast<const int8_t*>(inputs.at(0).handle));
    return;
  }
  if (vnni_pixels_) {
    run_vnni_pixels(state, io, static_cast<const int8_t*>(inputs.at(0).handle));
    return;
  }
  if (use_onednn_ && reorder_src_) {
    state.reorder_in.set_data_handle(inputs.at(0).handle);
    try {
      src_reorder_.execute(ctx.stream, state.reorder_in, state.reorder_out);
    } catch (const dnnl::error& e) {
      raise(ErrorCode::kInternal, "oneDNN reorder to channels last failed: {}", e.what());
    }
    state.primitive.execute(primitive_, ctx.stream, state.src_last.data(), weights_, impl_);
  } else if (state.plan) {
    run_bands(*state.plan, state, io, static_cast<const int8_t*>(inputs.at(0).handle));
    return;
  } else if (use_onednn_) {
    void* src = inputs.at(0).handle;
    if (u8_src_) {
      flip_to_levels(static_cast<const int8_t*>(src), static_cast<int64_t>(state.levels.size()),
                     state.levels.data());
      src = state.levels.data();
    }
    state.primitive.execute(primitive_, ctx.stream, src, weights_, impl_);
  } else {
    loop_accumulate(static_cast<const int8_t*>(inputs.at(0).handle), state);
  }
  const int64_t plane = g_.out_plane();
  for (int64_t b = 0; b < batch_; ++b)
    finish_pixels(state, io, b, 0, plane, int_input_ ? state.acc.data() + b * plane * out_channels_ : nullptr,
                  state.threads);
}

void QuantizedConvKernel::run_vnni_1x1(ConvState& state, const ConvIo& io, const int8_t* x) const {
  const int64_t plane = g_.out_plane(), chunks = (plane + kVnniChunk - 1) / kVnniChunk;
  const int threads =
      batch_ * plane * out_channels_ * channels_ >= kParallelQuantizedConvMacs ? state.threads : 1;
  parallel_for(threads, batch_ * chunks, [&](int64_t j) {
    const int64_t b = j / chunks, p0 = j % chunks * kVnniChunk, p1 = std::min(plane, p0 + kVnniChunk);
    int32_t* acc = state.acc.data() + omp_get_thread_num() * kVnniChunk * out_channels_;
    vnni_1x1_accumulate(vnni_, x + (b * plane + p0) * channels_, p1 - p0, acc);
    finish_pixels(state, io, b, p0, p1, acc, 1);
  });
}

void QuantizedConvKernel::run_vnni_pixels(ConvState& state, const ConvIo& io, const int8_t* x) const {
  const int64_t plane = g_.out_plane(), width = g_.out[2];
  const int threads =
      plane * out_channels_ * q_.weights.reduction >= kParallelQuantizedConvMacs ? state.threads : 1;
  for (int64_t b = 0; b < batch_; ++b) {
    stage_vnni_pixels(pixels_layer_, x + b * plane * channels_, state.levels.data());
    parallel_for(threads, g_.out[1], [&](int64_t y) {
      int32_t* acc = state.acc.data() + omp_get_thread_num() * width * out_channels_;
      vnni_pixels_row(pixels_layer_, state.levels.data(), y, acc);
      finish_pixels(state, io, b, y * width, (y + 1) * width, acc, 1);
    });
  }
}

void QuantizedConvKernel::run_bands(const BandPlan& plan, ConvState& state, const ConvIo& io,
                                    const int8_t* x) const {
  const int64_t width = g_.out[2];
  const auto run_share = [&](size_t t) {
    BandWorker& w = state.workers[t];
    for (int64_t b = 0; b < batch_; ++b)
      for (const RowBand& band : plan.shares[t]) {
        const int8_t* codes = x + (b * g_.in_plane() + band.src_row * g_.in[2]) * channels_;
        const BandPrimitive& p = band_primitives_[band.primitive];
        void* src = const_cast<int8_t*>(codes);
        if (u8_src_) {
          flip_to_levels(codes, static_cast<int64_t>(p.src.get_size()), w.levels.data());
          src = w.levels.data();
        }
        w.memories[band.primitive].execute(p.primitive, *w.stream, src, p.weights, impl_);
        finish_pixels(state, io, b, band.first_row * width, (band.first_row + band.rows) * width,
                      w.acc.data(), 1);
      }
  };
  if (plan.threads == 1) {
    run_share(0);
    return;
  }
  // Exceptions (oneDNN failures as statuses) must not leave the region: the first one is kept.
  std::exception_ptr error;
#pragma omp parallel num_threads(plan.threads)
  {
    // A smaller team than asked for (nested in another region, a thread limit) shares the work out.
    for (int t = omp_get_thread_num(); t < plan.threads; t += omp_get_num_threads()) {
      try {
        run_share(static_cast<size_t>(t));
      } catch (...) {
#pragma omp critical(octet_conv_band_error)
        if (!error) error = std::current_exception();
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

void QuantizedConvKernel::finish_pixels(ConvState& state, const ConvIo& io, int64_t b, int64_t p_begin,
                                        int64_t p_end, int32_t* acc_begin, int max_threads) const {
  float* y = io.y;
  int8_t* codes = io.codes;
  const float* residual = io.residual;
  const int8_t* residual_codes = io.residual_codes;
  const int64_t plane = g_.out_plane();
  const bool correct = int_input_ && (use_onednn_ || vnni()) && src_zero_ != 0;
  // Pixels are finished kTile at a time into a [pixel][channel] tile, then written per channel as
  // runs of kTile consecutive floats: writing one pixel's channels straight into NCHW would touch
  // `channels` lines a plane apart, which for power-of-two-ish planes fall into a few cache sets.
  static const bool avx2 = __builtin_cpu_supports("avx2");
  const bool vector_store = avx2 && out_channels_ % 8 == 0;
  const int64_t tiles = (p_end - p_begin + kTile - 1) / kTile;
  // Tiles are independent: threads take whole tiles, each finishing into its own tile buffer.
  const int threads =
      std::min(max_threads, loop_threads((p_end - p_begin) * out_channels_, kEpilogueParallelElements));
  parallel_for(threads, tiles, [&](int64_t job) {
    const int64_t p0 = p_begin + job * kTile;
    const int64_t n = std::min(kTile, p_end - p0);
    float* tile = state.finish.data() + omp_get_thread_num() * 2 * kTile * out_channels_;
    // Codes straight from the accumulators: no float row, no second quantization pass; residual
    // codes are read in the same pass, a float residual through a transposed tile.
    const bool float_tile = residual && vector_store && n == kTile;
    float* residual_rows = tile + kTile * out_channels_;
    // Runs of consecutive pixels of the tile with the same correction row (all of them without
    // padding, the interior of each image row with it), each passed to `finish` (first pixel, count,
    // correction row or null) in one call: per pixel, the call's set-up outweighed the arithmetic on
    // 8-64 channels. The pixel's coordinates advance with it (no divisions per pixel).
    const auto for_each_run = [&](auto&& finish) {
      if (!correct || class_count_[0] * class_count_[1] * class_count_[2] == 1) {  // one border class
        finish(0, n, correct ? correction_.data() : nullptr);
        return;
      }
      int64_t ox = p0 % g_.out[2], oy = (p0 / g_.out[2]) % g_.out[1], oz = p0 / (g_.out[2] * g_.out[1]);
      const auto corr_here = [&]() -> const int32_t* {
        return correct ? correction_row(oz, oy, ox) : nullptr;
      };
      const auto advance = [&] {
        if (++ox < g_.out[2]) return;
        ox = 0;
        if (++oy < g_.out[1]) return;
        oy = 0;
        ++oz;
      };
      const int32_t* corr = corr_here();
      for (int64_t t = 0; t < n;) {
        const int32_t* next = corr;
        int64_t run = 0;
        while (t + run < n && next == corr) {
          ++run;
          advance();
          if (t + run < n) next = corr_here();
        }
        finish(t, run, corr);
        t += run;
        corr = next;
      }
    };
    if (codes && direct_codes_ && (float_tile || !residual)) {
      if (float_tile)
        load_tile_avx2(residual + b * out_channels_ * plane + p0, plane, out_channels_, residual_rows);
      for_each_run([&](int64_t t, int64_t run, const int32_t* corr) {
        const int64_t p = p0 + t;
        epilogue_.codes_rows(acc_begin + (p - p_begin) * out_channels_, corr, kCorrectionScale, out_channels_,
                             run, float_tile ? residual_rows + t * out_channels_ : nullptr,
                             codes + (b * plane + p) * out_channels_,
                             residual_codes ? residual_codes + (b * plane + p) * out_channels_ : nullptr);
      });
      return;
    }
    // Otherwise float rows into the tile. A full tile's residual addends are transposed into the
    // second half of the thread's buffer first: read straight from NCHW, one pixel's channels are a
    // plane apart (a TLB miss each); channels-last residual codes are already in that order.
    const bool residual_tile = residual_codes || float_tile;
    if (residual_codes) {
      dequantize_codes(residual_codes + (b * plane + p0) * out_channels_, residual_rows, n * out_channels_,
                       *residual_codes_);
    } else if (residual_tile) {
      load_tile_avx2(residual + b * out_channels_ * plane + p0, plane, out_channels_, residual_rows);
    }
    const int64_t residual_stride = residual_tile ? 1 : plane;
    // The fused epilogue forms finish the tile's rows a run of pixels sharing a correction row at a
    // time (the whole tile for 1x1 and unpadded windows).
    const bool whole_tile = int_input_ && !residual && !residual_codes && epilogue_.can_finish_rows();
    if (whole_tile)
      for_each_run([&](int64_t t, int64_t run, const int32_t* corr) {
        epilogue_.finish_rows(acc_begin + (p0 + t - p_begin) * out_channels_, corr, kCorrectionScale,
                              out_channels_, run, tile + t * out_channels_);
      });
    for (int64_t t = 0; t < (whole_tile ? 0 : n); ++t) {
      const int64_t p = p0 + t;
      const float* r = residual_tile ? residual_rows + t * out_channels_
                       : residual    ? residual + b * out_channels_ * plane + p
                                     : nullptr;
      float* row = tile + t * out_channels_;
      if (!int_input_) {
        epilogue_.float_row(state.real.data() + (b * plane + p) * out_channels_, 0, out_channels_, r,
                            residual_stride, row);
        continue;
      }
      int32_t* acc = acc_begin + (p - p_begin) * out_channels_;
      if (correct) {
        const int64_t ox = p % g_.out[2], oy = (p / g_.out[2]) % g_.out[1], oz = p / (g_.out[2] * g_.out[1]);
        epilogue_.corrected_row(acc, correction_row(oz, oy, ox), kCorrectionScale, out_channels_, r,
                                residual_stride, row);
        continue;
      }
      epilogue_.integer_row(acc, 0, 0, out_channels_, r, residual_stride, row);
    }
    if (split_ >= 0) {  // the split post-op over the tile's rows, then the rest of each row
      exact_activation_row(q_.post_ops[static_cast<size_t>(split_)], tile, n * out_channels_);
      for (int64_t t = 0; t < n; ++t) {
        const int64_t p = p0 + t;
        const float* r = residual_tile ? residual_rows + t * out_channels_
                         : residual    ? residual + b * out_channels_ * plane + p
                                       : nullptr;
        epilogue_.finish_after_split(0, out_channels_, r, residual_stride, tile + t * out_channels_);
      }
    }
    if (codes) {  // channels last: the tile's rows are already in output order
      quantize_codes(tile, codes + (b * plane + p0) * out_channels_, n * out_channels_, *q_.output_codes);
      return;
    }
    if (vector_store && n == kTile) {
      store_tile_avx2(tile, out_channels_, y + b * out_channels_ * plane + p0, plane);
      return;
    }
    for (int64_t o = 0; o < out_channels_; ++o) {
      float* dst = y + (b * out_channels_ + o) * plane + p0;
      for (int64_t t = 0; t < n; ++t) dst[t] = tile[t * out_channels_ + o];
    }
  });
}

}  // namespace

std::unique_ptr<Kernel> make_quantized_conv_kernel(const Node& node, CpuBackend& backend) {
  return std::make_unique<QuantizedConvKernel>(node, backend);
}

}  // namespace cpu
}  // namespace octet
