// Interpolate-4/11 on f32 (fast precision): per-dim tap tables built once at compile time with the
// formulas the reference evaluator uses (host/reference/interpolate_math.h), then loops over them.
// nearest and linear repeat the reference's arithmetic per element in its order (weight products
// left to right over the dims, taps in row-major order): bit-identical to the reference.
// linear_onnx and cubic merge each dim's taps that read the same input index (the reference adds
// them one by one: at clamped borders and in dims of length 1 it weighs one value 0.5 + 0.5) and
// drop zero weights, then sum 2-D planes row by row; that rounds differently, within a few f32 ulps
// of the reference (the zoo's float tolerance is 1e-5 + 1e-4 max|ref|), and a zero-weight tap on an
// infinite input no longer makes a NaN as the reference's 0 * inf does.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "host/reference/interpolate_math.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

enum class Kind { kNearest, kWeighted /*linear_onnx, cubic*/, kNormalized /*linear*/ };

// One dim's taps: output coordinate o uses entries [start[o], start[o + 1]).
struct DimTaps {
  std::vector<int64_t> start;
  std::vector<int64_t> offset;  // input index * the padded input's stride of this dim
  std::vector<float> weight;
  bool weighted = false;  // false: the dim's weights are not multiplied in (non-axis dims of linear)
};

// A partial product over the leading dims: where it reads and its weight so far.
struct Combo {
  int64_t base;
  float weight;
};

class InterpolateKernel : public Kernel {
 public:
  InterpolateKernel(Kind kind, Dims in, Dims padded, Dims out, Dims pads_begin, std::vector<DimTaps> taps)
      : kind_(kind),
        in_(std::move(in)),
        padded_(std::move(padded)),
        out_(std::move(out)),
        pads_begin_(std::move(pads_begin)),
        taps_(std::move(taps)) {
    for (int64_t p : pads_begin_) pad_ = pad_ || p != 0;
    pad_ = pad_ || in_ != padded_;
    const size_t rank = out_.size();
    // Tap k of every output column, column-contiguous, for the vectorisable inner loops; columns
    // with fewer taps (merged ones) get zero weights on their first tap's index.
    const DimTaps& last = taps_.back();
    const size_t cols = static_cast<size_t>(out_.back());
    for (size_t o = 0; o < cols; ++o) per_last_ = std::max(per_last_, last.start[o + 1] - last.start[o]);
    last_offset_.assign(static_cast<size_t>(per_last_) * cols, 0);
    last_weight_.assign(last_offset_.size(), 0.0f);
    for (size_t o = 0; o < cols; ++o)
      for (int64_t k = 0; k < per_last_; ++k) {
        const int64_t n = last.start[o + 1] - last.start[o];
        const size_t e = static_cast<size_t>(last.start[o] + std::min(k, n - 1));
        last_offset_[static_cast<size_t>(k) * cols + o] = last.offset[e];
        last_weight_[static_cast<size_t>(k) * cols + o] = k < n ? last.weight[e] : 0.0f;
      }
    identity_last_ = kind_ == Kind::kNearest && out_.back() == padded_.back();
    for (size_t o = 0; identity_last_ && o < cols; ++o)
      identity_last_ = last_offset_[o] == static_cast<int64_t>(o);
    // Planes: weighted taps in the last two dims only, one tap of weight 1 in every dim before.
    planes_ = kind_ == Kind::kWeighted && rank >= 2 && element_count(padded_) < (int64_t{1} << 31) &&
              per_last_ <= 4;
    for (size_t d = 0; planes_ && d + 2 < rank; ++d) {
      const DimTaps& t = taps_[d];
      for (size_t o = 0; planes_ && o + 1 < t.start.size(); ++o)
        planes_ = t.start[o + 1] - t.start[o] == 1 && t.weight[static_cast<size_t>(t.start[o])] == 1.0f;
    }
    if (planes_) {
      last_offset32_.assign(last_offset_.begin(), last_offset_.end());
      const DimTaps& h = taps_[rank - 2];
      h_offset32_.assign(h.offset.begin(), h.offset.end());
    }
  }

  void enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const float* x = static_cast<const float*>(inputs.at(0).handle);
    float* y = static_cast<float*>(outputs.at(0).handle);
    if (pad_) x = pad(context, x);
    const size_t rank = out_.size();
    const int64_t cols = out_.back();
    const int threads = loop_threads(element_count(out_));
    if (planes_ || (kind_ == Kind::kNearest && rank >= 2)) {
      const int64_t rows_out = out_[rank - 2];
      const int64_t planes = element_count(out_) / (rows_out * cols);
      if (threads > 1) {
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int64_t p = 0; p < planes; ++p) plane(x + plane_base(p), y + p * rows_out * cols);
      } else {
        for (int64_t p = 0; p < planes; ++p) plane(x + plane_base(p), y + p * rows_out * cols);
      }
      return;
    }
    const int64_t rows = element_count(out_) / cols;
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
      std::vector<Combo> combos, next;
      Dims oc(rank, 0);
#pragma omp for schedule(static)
      for (int64_t r = 0; r < rows; ++r) {
        // The row's output coordinates over the leading dims.
        int64_t rest = r;
        for (size_t d = rank - 1; d-- > 0;) oc[d] = rest % out_[d], rest /= out_[d];
        combos.assign(1, Combo{0, 1.0f});
        for (size_t d = 0; d + 1 < rank; ++d) {
          const DimTaps& t = taps_[d];
          const int64_t b = t.start[static_cast<size_t>(oc[d])], e = t.start[static_cast<size_t>(oc[d]) + 1];
          if (e - b == 1 && (!t.weighted || t.weight[static_cast<size_t>(b)] == 1.0f)) {
            for (Combo& c : combos) c.base += t.offset[static_cast<size_t>(b)];
            continue;
          }
          next.clear();
          for (const Combo& c : combos)
            for (int64_t k = b; k < e; ++k)
              next.push_back({c.base + t.offset[static_cast<size_t>(k)],
                              t.weighted ? c.weight * t.weight[static_cast<size_t>(k)] : c.weight});
          combos.swap(next);
        }
        row(x, y + r * cols, combos);
      }
    }
  }

  std::string impl_name() const override {
    return kind_ == Kind::kNearest ? "cpu_interpolate_nearest"
           : planes_               ? "cpu_interpolate_planes"
                                   : "cpu_interpolate_taps";
  }

 private:
  struct PadState : KernelState {
    std::vector<float> data;
  };

  // The input with its zero padding, in a per-request buffer (pads are rare).
  const float* pad(ExecContext& context, const float* x) {
    auto& ctx = static_cast<CpuContext&>(context);
    std::unique_ptr<KernelState>& slot = ctx.states[this];
    if (!slot) slot = std::make_unique<PadState>();
    auto& state = static_cast<PadState&>(*slot);
    state.data.assign(static_cast<size_t>(element_count(padded_)), 0.0f);
    const size_t rank = in_.size();
    const Dims ps = row_major_strides(padded_);
    const int64_t cols = in_.back(), rows = element_count(in_) / std::max<int64_t>(cols, 1);
    Dims c(rank, 0);
    for (int64_t r = 0; r < rows; ++r) {
      int64_t rest = r, off = pads_begin_[rank - 1];
      for (size_t d = rank - 1; d-- > 0;)
        c[d] = rest % in_[d], rest /= in_[d], off += (c[d] + pads_begin_[d]) * ps[d];
      std::memcpy(state.data.data() + off, x + r * cols, static_cast<size_t>(cols) * sizeof(float));
    }
    return state.data.data();
  }

  // One output row from its leading-dim combinations, in the reference's per-element order.
  void row(const float* x, float* y, const std::vector<Combo>& combos) const {
    const int64_t cols = out_.back();
    if (kind_ == Kind::kNearest) {
      const float* src = x + combos[0].base;
      if (identity_last_) {
        std::memcpy(y, src, static_cast<size_t>(cols) * sizeof(float));
      } else {
        gather(src, last_offset_.data(), y, cols);
      }
      return;
    }
    if (kind_ == Kind::kWeighted) {
      std::fill(y, y + cols, 0.0f);
      for (const Combo& c : combos)
        for (int64_t k = 0; k < per_last_; ++k)
          accumulate(x + c.base, c.weight, last_offset_.data() + k * cols, last_weight_.data() + k * cols, y,
                     cols);
      return;
    }
    // linear: sum and weight sum over the in-range window, then their quotient.
    const DimTaps& t = taps_.back();
    for (int64_t o = 0; o < cols; ++o) {
      float sum = 0.0f, ws = 0.0f;
      for (const Combo& c : combos)
        for (int64_t k = t.start[static_cast<size_t>(o)]; k < t.start[static_cast<size_t>(o) + 1]; ++k) {
          const float w = t.weighted ? c.weight * t.weight[static_cast<size_t>(k)] : c.weight;
          ws += w;
          sum += w * x[c.base + t.offset[static_cast<size_t>(k)]];
        }
      y[o] = ws == 0.0f ? 0.0f : sum / ws;
    }
  }

  // Input offset of plane p (the leading dims' single taps).
  int64_t plane_base(int64_t p) const {
    int64_t base = 0;
    for (size_t d = out_.size() - 2; d-- > 0;) {
      const int64_t o = p % out_[d];
      p /= out_[d];
      base += taps_[d].offset[static_cast<size_t>(taps_[d].start[static_cast<size_t>(o)])];
    }
    return base;
  }

  // One output plane: per output row, its input rows' weighted sums of the column taps.
  void plane(const float* x, float* y) const {
    const size_t rank = out_.size();
    const DimTaps& h = taps_[rank - 2];
    const int64_t rows = out_[rank - 2], cols = out_[rank - 1];
    if (kind_ == Kind::kNearest) {
      // Copies: a row whose source row is the previous row's repeats that output row.
      for (int64_t r = 0; r < rows; ++r) {
        float* yr = y + r * cols;
        const int64_t src = h.offset[static_cast<size_t>(r)];
        if (r > 0 && src == h.offset[static_cast<size_t>(r) - 1]) {
          std::memcpy(yr, yr - cols, static_cast<size_t>(cols) * sizeof(float));
        } else if (identity_last_) {
          std::memcpy(yr, x + src, static_cast<size_t>(cols) * sizeof(float));
        } else {
          gather(x + src, last_offset_.data(), yr, cols);
        }
      }
      return;
    }
    const int32_t* off = last_offset32_.data();
    const float* wt = last_weight_.data();
    switch (per_last_) {
      case 1:
        plane_k<1>(x, y, rows, cols, h.start.data(), h_offset32_.data(), h.weight.data(), off, wt);
        break;
      case 2:
        plane_k<2>(x, y, rows, cols, h.start.data(), h_offset32_.data(), h.weight.data(), off, wt);
        break;
      case 3:
        plane_k<3>(x, y, rows, cols, h.start.data(), h_offset32_.data(), h.weight.data(), off, wt);
        break;
      default:
        plane_k<4>(x, y, rows, cols, h.start.data(), h_offset32_.data(), h.weight.data(), off, wt);
        break;
    }
  }

  // Output row r = sum over its row taps k of weight[k] * (sum_j col_weight[j][i] * row_k[col_offset[j][i]]).
  template <int K>
  OCTET_AVX2_CLONES static void plane_k(const float* __restrict x, float* __restrict y, int64_t rows,
                                        int64_t cols, const int64_t* __restrict row_start,
                                        const int32_t* __restrict row_offset,
                                        const float* __restrict row_weight, const int32_t* __restrict offset,
                                        const float* __restrict weight) {
    for (int64_t r = 0; r < rows; ++r) {
      float* __restrict yr = y + r * cols;
      const int64_t b = row_start[r], e = row_start[r + 1];
      if (e == b) std::fill(yr, yr + cols, 0.0f);
      for (int64_t k = b; k < e; ++k) {
        const float* __restrict src = x + row_offset[k];
        const float w = row_weight[k];
        if (k == b) {
          for (int64_t i = 0; i < cols; ++i) {
            float s = 0.0f;
            for (int j = 0; j < K; ++j) s += weight[j * cols + i] * src[offset[j * cols + i]];
            yr[i] = w * s;
          }
        } else {
          for (int64_t i = 0; i < cols; ++i) {
            float s = 0.0f;
            for (int j = 0; j < K; ++j) s += weight[j * cols + i] * src[offset[j * cols + i]];
            yr[i] += w * s;
          }
        }
      }
    }
  }

  OCTET_AVX2_CLONES static void gather(const float* __restrict src, const int64_t* __restrict offset,
                                       float* __restrict y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = src[offset[i]];
  }

  // y[i] += (w * weight[i]) * src[offset[i]]: the reference's `result += w * data` with w the
  // product of the dims' weights, left to right (no FMA in these clones: every step rounds).
  OCTET_AVX2_CLONES static void accumulate(const float* __restrict src, float w,
                                           const int64_t* __restrict offset, const float* __restrict weight,
                                           float* __restrict y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] += (w * weight[i]) * src[offset[i]];
  }

  Kind kind_;
  Dims in_, padded_, out_, pads_begin_;
  std::vector<DimTaps> taps_;
  bool pad_ = false, identity_last_ = false, planes_ = false;
  int64_t per_last_ = 1;
  std::vector<int64_t> last_offset_;  // [tap][column]
  std::vector<float> last_weight_;
  std::vector<int32_t> last_offset32_, h_offset32_;  // the plane path's (narrower, gatherable) offsets
};

}  // namespace

std::unique_ptr<Kernel> make_interpolate_kernel(const Node& node) {
  using interp::cubic_coeffs;
  using interp::nearest_index;
  using interp::source_coord;
  const bool v11 = node.version >= 11;
  if (node.inputs.size() < (v11 ? 2u : 3u) || node.outputs.size() != 1) return nullptr;
  if (node.input_type(0) != ElementType::kF32 || node.outputs[0].type != ElementType::kF32 ||
      node.input_constant(0))
    return nullptr;
  const Dims& xs = node.input_shape(0);
  const Dims& ys = node.outputs[0].shape;
  const size_t rank = xs.size();
  if (rank == 0 || !is_static(xs) || !is_static(ys) || ys.size() != rank || element_count(ys) == 0 ||
      element_count(xs) == 0)
    return nullptr;
  const InterpolateAttrs& ia = node.attr<InterpolateAttrs>();
  Kind kind;
  switch (ia.mode) {
    case InterpolateMode::kNearest: kind = Kind::kNearest; break;
    case InterpolateMode::kLinearOnnx:
    case InterpolateMode::kCubic: kind = Kind::kWeighted; break;
    case InterpolateMode::kLinear: kind = Kind::kNormalized; break;
    default: return nullptr;  // Pillow modes: the reference reports them
  }
  const bool sizes_mode = ia.shape_mode == InterpolateShapeMode::kSizes;
  const size_t axes_input = v11 ? 2 : 3;
  const Tensor* ss = node.input_constant(v11 ? 1 : (sizes_mode ? 1 : 2));
  if (!ss) return nullptr;
  std::vector<int64_t> axes;
  if (node.inputs.size() > axes_input) {
    const Tensor* at = node.input_constant(axes_input);
    if (!at) return nullptr;
    for (int64_t a : at->to_int64_vector()) {
      if (a < -static_cast<int64_t>(rank) || a >= static_cast<int64_t>(rank)) return nullptr;
      axes.push_back(a < 0 ? a + static_cast<int64_t>(rank) : a);
    }
  } else {
    for (size_t d = 0; d < rank; ++d) axes.push_back(static_cast<int64_t>(d));
  }
  if (ss->element_count() != static_cast<int64_t>(axes.size())) return nullptr;
  Dims pb = ia.pads_begin, pe = ia.pads_end;
  pb.resize(rank, 0);
  pe.resize(rank, 0);
  Dims in(rank);
  for (size_t d = 0; d < rank; ++d) {
    if (pb[d] < 0 || pe[d] < 0) return nullptr;  // the reference reports it
    in[d] = xs[d] + pb[d] + pe[d];
  }
  // Scales as the reference computes them; its output shape must be the node's.
  std::vector<float> scale(rank, 1.0f);
  std::vector<bool> is_axis(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    const size_t a = static_cast<size_t>(axes[i]);
    is_axis[a] = true;
    int64_t len;
    if (sizes_mode) {
      len = ss->get_as_int64(static_cast<int64_t>(i));
      scale[a] = static_cast<float>(len) / static_cast<float>(in[a]);
    } else {
      scale[a] = static_cast<float>(ss->get_as_double(static_cast<int64_t>(i)));
      len = static_cast<int64_t>(std::floor(static_cast<double>(in[a]) * scale[a] + 1e-5));
    }
    if (len != ys[a]) return nullptr;
  }
  for (size_t d = 0; d < rank; ++d)
    if (!is_axis[d] && ys[d] != in[d]) return nullptr;
  bool downsample_any = false;
  for (size_t d = 0; d < rank; ++d) downsample_any = downsample_any || (is_axis[d] && scale[d] < 1.0f);
  const bool aa = ia.antialias && downsample_any;
  const float cube = static_cast<float>(ia.cube_coeff);
  const Dims strides = row_major_strides(in);
  std::vector<DimTaps> taps(rank);
  int64_t taps_per_output = 1;
  for (size_t d = 0; d < rank; ++d) {
    DimTaps& t = taps[d];
    const int64_t len = in[d];
    t.weighted = kind != Kind::kNearest && (kind == Kind::kWeighted || is_axis[d]);
    int64_t most = 1;
    for (int64_t o = 0; o < ys[d]; ++o) {
      t.start.push_back(static_cast<int64_t>(t.offset.size()));
      auto add = [&](int64_t i, float w) {
        t.offset.push_back(i * strides[d]);
        t.weight.push_back(w);
      };
      if (!is_axis[d]) {
        add(o, 1.0f);
        continue;
      }
      const float c = source_coord(ia.transform, static_cast<float>(o), scale[d], static_cast<float>(ys[d]),
                                   static_cast<float>(len));
      if (kind == Kind::kNearest) {
        add(std::min(std::max<int64_t>(nearest_index(ia.nearest_mode, c, scale[d] < 1.0f), 0), len - 1),
            1.0f);
      } else if (ia.mode == InterpolateMode::kLinearOnnx) {
        const float cc = std::max(0.0f, std::min(c, static_cast<float>(len - 1)));
        const int64_t i1 = std::min(static_cast<int64_t>(cc), len - 1), i2 = std::min(i1 + 1, len - 1);
        float d1 = std::fabs(cc - static_cast<float>(i1)), d2 = std::fabs(cc - static_cast<float>(i2));
        if (i1 == i2) d1 = d2 = 0.5f;
        add(i1, d2);
        add(i2, d1);
      } else if (kind == Kind::kWeighted) {  // cubic
        const float f = std::floor(c);
        const auto w = cubic_coeffs(c - f, cube);
        for (int k = 0; k < 4; ++k)
          add(std::min(std::max<int64_t>(static_cast<int64_t>(f) + k - 1, 0), len - 1),
              w[static_cast<size_t>(k)]);
      } else {  // linear: the in-range positions of the window, zero weights included (0 * inf is NaN)
        const float a = aa ? scale[d] : 1.0f;
        const int64_t r = scale[d] > 1.0f ? 2 : static_cast<int64_t>(std::ceil(2.0f / a));
        const int64_t center = static_cast<int64_t>(std::round(c));
        for (int64_t k = 0; k < 2 * r + 1; ++k) {
          const int64_t i = center + k - r;
          if (i >= 0 && i < len)
            add(i, a * std::max(0.0f, 1.0f - std::fabs(a * (c - static_cast<float>(i)))));
        }
      }
      most = std::max(most, static_cast<int64_t>(t.offset.size()) - t.start.back());
    }
    t.start.push_back(static_cast<int64_t>(t.offset.size()));
    if (kind == Kind::kWeighted) {
      // Taps reading the same index merged (weights summed), zero weights dropped.
      DimTaps m;
      m.weighted = true;
      most = 1;
      for (size_t o = 0; o + 1 < t.start.size(); ++o) {
        const size_t first = m.offset.size();
        m.start.push_back(static_cast<int64_t>(first));
        for (int64_t k = t.start[o]; k < t.start[o + 1]; ++k) {
          const size_t e = static_cast<size_t>(k);
          size_t j = first;
          while (j < m.offset.size() && m.offset[j] != t.offset[e]) ++j;
          if (j == m.offset.size()) m.offset.push_back(t.offset[e]), m.weight.push_back(0.0f);
          m.weight[j] += t.weight[e];
        }
        for (size_t j = first; j < m.offset.size();) {
          if (m.weight[j] == 0.0f && m.offset.size() - first > 1) {
            m.offset.erase(m.offset.begin() + static_cast<std::ptrdiff_t>(j));
            m.weight.erase(m.weight.begin() + static_cast<std::ptrdiff_t>(j));
          } else {
            ++j;
          }
        }
        most = std::max(most, static_cast<int64_t>(m.offset.size() - first));
      }
      m.start.push_back(static_cast<int64_t>(m.offset.size()));
      t = std::move(m);
    }
    taps_per_output *= most;
  }
  // A window that large (antialiased linear at a tiny scale) would explode the per-row tap lists.
  if (taps_per_output > 4096) return nullptr;
  return std::make_unique<InterpolateKernel>(kind, xs, in, ys, pb, std::move(taps));
}

}  // namespace cpu
}  // namespace octet
