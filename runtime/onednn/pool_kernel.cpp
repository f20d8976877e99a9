// oneDNN MaxPool and AvgPool kernels, used where oneDNN's divisor and padding rules equal the spec's,
// and a loop kernel for MaxPool-8/-14 with indices (in OpenVINO's form, which oneDNN lacks).
#include <immintrin.h>

#include <array>
#include <limits>

#include "host/common/error.h"
#include "host/graph/ops/conv_geometry.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

// Eight window maxima along the width at once (AVX2), for outputs whose width taps all lie inside the
// input: lane j's taps start at first + j * stride_w. Same scan order and comparison as the scalar
// loop (an ordered `>`, so a NaN never replaces and a leading NaN stays).
__attribute__((target("avx2"))) inline __m256 load_lanes(const float* at, int64_t stride_w) {
  if (stride_w == 1) return _mm256_loadu_ps(at);
  // Stride 2: the even elements of 16 floats.
  const __m256 even =
      _mm256_shuffle_ps(_mm256_loadu_ps(at), _mm256_loadu_ps(at + 8), _MM_SHUFFLE(2, 0, 2, 0));
  return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(even), _MM_SHUFFLE(3, 1, 2, 0)));
}

__attribute__((target("avx2"))) void max8_avx2(const float* plane, int64_t first, int64_t d_count,
                                               int64_t step_d, int64_t h_count, int64_t step_h,
                                               int64_t w_count, int64_t dilation_w, int64_t stride_w,
                                               float* best_out, int32_t* at_out) {
  const __m256i lane = stride_w == 1 ? _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)
                                     : _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14);
  __m256 best = load_lanes(plane + first, stride_w);
  __m256 best_at =
      _mm256_castsi256_ps(_mm256_add_epi32(_mm256_set1_epi32(static_cast<int32_t>(first)), lane));
  for (int64_t kd = 0, d = first; kd < d_count; ++kd, d += step_d)
    for (int64_t kh = 0, h = d; kh < h_count; ++kh, h += step_h)
      for (int64_t kw = 0, at = h; kw < w_count; ++kw, at += dilation_w) {
        const __m256 e = load_lanes(plane + at, stride_w);
        const __m256 take = _mm256_cmp_ps(e, best, _CMP_GT_OQ);
        best = _mm256_blendv_ps(best, e, take);
        const __m256 here =
            _mm256_castsi256_ps(_mm256_add_epi32(_mm256_set1_epi32(static_cast<int32_t>(at)), lane));
        best_at = _mm256_blendv_ps(best_at, here, take);
      }
  _mm256_storeu_ps(best_out, best);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(at_out), _mm256_castps_si256(best_at));
}

// MaxPool values and indices exactly as host/reference/pooling.cpp computes them: windows scanned
// in (depth, height, width) order, the first maximum wins ties (and a leading NaN stays), an
// all-padding window gives the lowest float and index 0, indices count from `axis`. The taps inside
// the input are found once per output coordinate, so the inner loops have no bounds tests.
class MaxPoolWithIndicesKernel : public Kernel {
 public:
  MaxPoolWithIndicesKernel(const Node& node, const ConvGeometry& g) {
    const Dims& x = node.input_shape(0);
    const Dims& y = node.outputs[0].shape;
    const size_t n = x.size() - 2;
    planes_ = x[0] * x[1];
    for (size_t i = 0; i < n; ++i) {
      const size_t d = 3 - n + i;
      in_[d] = x[2 + i];
      out_[d] = y[2 + i];
    }
    in_plane_ = in_[0] * in_[1] * in_[2];
    out_plane_ = out_[0] * out_[1] * out_[2];
    for (size_t i = 0; i < n; ++i) {
      const size_t d = 3 - n + i;
      dilation_[d] = g.dilations[i];
      taps_[d].resize(static_cast<size_t>(out_[d]));
      for (int64_t o = 0; o < out_[d]; ++o) {
        Taps& t = taps_[d][static_cast<size_t>(o)];
        for (int64_t k = 0; k < g.kernel[i]; ++k) {
          const int64_t at = o * g.strides[i] - g.pads_begin[i] + k * g.dilations[i];
          if (at < 0 || at >= in_[d]) continue;
          if (t.count++ == 0) t.first = at;
        }
      }
    }
    for (size_t d = 0; d < 3 - n; ++d) taps_[d] = {Taps{0, 1}};
    // Outputs whose width taps are all inside the input, for max8_avx2 (width stride 1 or 2).
    const int64_t kw = g.kernel[n - 1], sw = g.strides[n - 1];
    for (int64_t o = 0; o < out_[2]; ++o) {
      const Taps& t = taps_[2][static_cast<size_t>(o)];
      if (t.count != kw || t.first != o * sw - g.pads_begin[n - 1]) continue;
      if (interior_end_ == 0) interior_begin_ = o;
      interior_end_ = o + 1;
    }
    kernel_w_ = kw;
    stride_w_ = sw;
    vector_ =
        __builtin_cpu_supports("avx2") && (sw == 1 || sw == 2) && planes_ * in_plane_ < (int64_t{1} << 30);
    const int64_t rank = static_cast<int64_t>(x.size());
    int64_t axis = pool_attrs(node).axis;
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) raise(ErrorCode::kUnsupported, "{}: axis", node.describe());
    index_span_ = 1;
    for (int64_t d = axis; d < rank; ++d) index_span_ *= x[static_cast<size_t>(d)];
    i32_ = node.outputs[1].type == ElementType::kI32;
  }

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    if (i32_) {
      run(static_cast<const float*>(inputs.at(0).handle), static_cast<float*>(outputs.at(0).handle),
          static_cast<int32_t*>(outputs.at(1).handle));
    } else {
      run(static_cast<const float*>(inputs.at(0).handle), static_cast<float*>(outputs.at(0).handle),
          static_cast<int64_t*>(outputs.at(1).handle));
    }
  }

  std::string impl_name() const override { return "cpu_maxpool_indices"; }

 private:
  template <typename Index>
  void run(const float* x, float* y, Index* indices) const {
    const bool whole_planes = index_span_ % in_plane_ == 0;
    const int64_t step_h = dilation_[1] * in_[2], step_d = dilation_[0] * in_[1] * in_[2];
    for (int64_t pl = 0; pl < planes_; ++pl) {
      const float* plane = x + pl * in_plane_;
      const int64_t base = pl * in_plane_;
      const int64_t base_index = whole_planes ? base % index_span_ : 0;
      float* yp = y + pl * out_plane_;
      Index* ip = indices + pl * out_plane_;
      for (int64_t od = 0; od < out_[0]; ++od) {
        const Taps td = taps_[0][static_cast<size_t>(od)];
        for (int64_t oh = 0; oh < out_[1]; ++oh) {
          const Taps th = taps_[1][static_cast<size_t>(oh)];
          const int64_t o0 = (od * out_[1] + oh) * out_[2];
          for (int64_t ow = 0; ow < out_[2]; ++ow) {
            if (vector_ && whole_planes && td.count && th.count && ow >= interior_begin_ &&
                ow + 8 <= interior_end_) {
              const int64_t first =
                  (td.first * in_[1] + th.first) * in_[2] + taps_[2][static_cast<size_t>(ow)].first;
              const int64_t last = first + (td.count - 1) * step_d + (th.count - 1) * step_h +
                                   (kernel_w_ - 1) * dilation_[2] + 8 * stride_w_;
              if (last <= (planes_ - pl) * in_plane_) {  // the loads stay inside the input
                float best[8];
                int32_t at[8];
                max8_avx2(plane, first, td.count, step_d, th.count, step_h, kernel_w_, dilation_[2],
                          stride_w_, best, at);
                for (int64_t j = 0; j < 8; ++j) {
                  yp[o0 + ow + j] = best[j];
                  ip[o0 + ow + j] = static_cast<Index>(base_index + at[j]);
                }
                ow += 7;
                continue;
              }
            }
            const Taps tw = taps_[2][static_cast<size_t>(ow)];
            if (td.count == 0 || th.count == 0 || tw.count == 0) {
              yp[o0 + ow] = std::numeric_limits<float>::lowest();
              ip[o0 + ow] = 0;
              continue;
            }
            const int64_t first = (td.first * in_[1] + th.first) * in_[2] + tw.first;
            float best = plane[first];
            int64_t best_at = first;
            // Selects instead of branches: which tap wins is data-dependent and unpredictable.
            for (int64_t kd = 0, d = first; kd < td.count; ++kd, d += step_d)
              for (int64_t kh = 0, h = d; kh < th.count; ++kh, h += step_h)
                for (int64_t kw = 0, at = h; kw < tw.count; ++kw, at += dilation_[2]) {
                  const float e = plane[at];
                  const bool take = e > best;
                  best = take ? e : best;
                  best_at = take ? at : best_at;
                }
            yp[o0 + ow] = best;
            ip[o0 + ow] =
                static_cast<Index>(whole_planes ? base_index + best_at : (base + best_at) % index_span_);
          }
        }
      }
    }
  }

  // The taps of one output coordinate inside the input: first input coordinate and how many.
  struct Taps {
    int64_t first = 0, count = 0;
  };

  int64_t planes_ = 0, in_plane_ = 1, out_plane_ = 1, index_span_ = 1;
  std::array<int64_t, 3> in_{1, 1, 1}, out_{1, 1, 1};
  std::array<int64_t, 3> dilation_{1, 1, 1};
  std::array<std::vector<Taps>, 3> taps_;  // per dim and output coordinate
  int64_t interior_begin_ = 0, interior_end_ = 0, kernel_w_ = 1, stride_w_ = 1;
  bool vector_ = false;
  bool i32_ = false;
};

std::unique_ptr<Kernel> make_max_pool_with_indices_kernel(const Node& node) {
  if (node.outputs.size() != 2 || node.inputs.size() != 1) return nullptr;
  if (node.input_type(0) != ElementType::kF32 || node.outputs[0].type != ElementType::kF32) return nullptr;
  const ElementType it = node.outputs[1].type;
  if (it != ElementType::kI32 && it != ElementType::kI64) return nullptr;
  const Dims& x = node.input_shape(0);
  if (!is_static(x) || !is_static(node.outputs[0].shape) || x.size() < 3 || x.size() > 5) return nullptr;
  if (element_count(x) == 0 || element_count(node.outputs[0].shape) == 0) return nullptr;
  return std::make_unique<MaxPoolWithIndicesKernel>(node, pool_geometry(node));
}

}  // namespace

std::unique_ptr<Kernel> make_pool_kernel(const Node& node, CpuBackend& backend) {
  if (node.op == OpKind::kMaxPool && node.outputs.size() == 2) return make_max_pool_with_indices_kernel(node);
  if (node.outputs.size() != 1 || node.inputs.size() != 1 || !all_f32(node)) return nullptr;
  const Dims& x = node.input_shape(0);
  const Dims& y = node.outputs[0].shape;
  if (x.size() < 3 || x.size() > 5) return nullptr;
  const ConvGeometry g = pool_geometry(node);
  dnnl::memory::dims strides, kernel, dilations, pad_l, pad_r;
  bool overhang = false, zero_pads = true;
  for (size_t i = 0; i + 2 < x.size(); ++i) {
    const int64_t span = (g.kernel[i] - 1) * g.dilations[i] + 1;
    // Ceil rounding lets the last window run past the end padding; oneDNN sees that as more padding.
    const int64_t right = (y[i + 2] - 1) * g.strides[i] + span - x[i + 2] - g.pads_begin[i];
    if (g.pads_begin[i] >= span || right >= span) return nullptr;  // a window made only of padding
    overhang = overhang || right > g.pads_end[i];
    zero_pads = zero_pads && g.pads_begin[i] == 0 && g.pads_end[i] == 0;
    strides.push_back(g.strides[i]);
    kernel.push_back(g.kernel[i]);
    dilations.push_back(g.dilations[i] - 1);
    pad_l.push_back(g.pads_begin[i]);
    pad_r.push_back(right);
  }
  dnnl::algorithm algorithm = dnnl::algorithm::pooling_max;
  if (node.op == OpKind::kAvgPool) {
    // Spec divisors: exclude-pad counts in-bounds positions; otherwise the full kernel when some pad
    // is non-zero, and the in-bounds positions when all pads are zero.
    if (pool_attrs(node).exclude_pad || zero_pads) {
      algorithm = dnnl::algorithm::pooling_avg_exclude_padding;
    } else if (!overhang) {
      algorithm = dnnl::algorithm::pooling_avg_include_padding;
    } else {
      return nullptr;  // padded window clipped by ceil rounding: the reference's divisor rule applies
    }
  }
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::pooling_v2_forward::desc desc(dnnl::prop_kind::forward_inference, algorithm, plain_desc(x),
                                      plain_desc(y), strides, kernel, dilations, pad_l, pad_r);
  dnnl::pooling_v2_forward::primitive_desc pd(desc, attr, backend.engine());
  std::vector<PrimitiveKernel::Binding> bindings;
  bindings.push_back({DNNL_ARG_SRC, PrimitiveKernel::Source::kInput, 0, pd.src_desc(), {}});
  bindings.push_back({DNNL_ARG_DST, PrimitiveKernel::Source::kOutput, 0, pd.dst_desc(), {}});
  return std::make_unique<PrimitiveKernel>(dnnl::pooling_v2_forward(pd), pd, std::move(bindings));
}

}  // namespace cpu
}  // namespace octet
