// LRN-1 on f32 (fast precision). Squares are summed in double as the reference does (host/reference/
// normalization_ops.cpp); along one axis as running window sums (add the entering row, subtract the
// leaving one), over several axes window by window in the reference's order. The power is the
// reference's std::pow(bias + scale * sum, beta) in double, except beta = 0.75 (AlexNet/GoogLeNet),
// computed in f32 as sqrt(t) * sqrt(sqrt(t)). Results are within a few f32 ulps of the reference
// (bit-identical for other betas over several axes). oneDNN's LRN is not used: it sums in f32 and
// needs blocked layouts for its jit code.
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "host/graph/attrs/normalization.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

class LrnKernel : public Kernel {
 public:
  LrnKernel(Dims shape, std::vector<bool> windowed, int64_t half, double bias, double scale, double beta)
      : shape_(std::move(shape)),
        windowed_(std::move(windowed)),
        half_(half),
        bias_(bias),
        scale_(scale),
        beta_(beta) {
    int count = 0;
    for (size_t d = 0; d < shape_.size(); ++d)
      if (windowed_[d]) ++count, axis_ = d;
    single_axis_ = count == 1;
  }

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const float* x = static_cast<const float*>(inputs.at(0).handle);
    float* y = static_cast<float*>(outputs.at(0).handle);
    if (single_axis_) {
      one_axis(x, y);
    } else {
      any_axes(x, y);
    }
  }

  std::string impl_name() const override { return single_axis_ ? "cpu_lrn_axis" : "cpu_lrn"; }

 private:
  // One windowed axis: x as [outer, len, inner]. Each slice of columns keeps running window sums
  // of squares in double, adding the row that enters and subtracting the one that leaves (the
  // reference sums each window afresh; the difference is a few double ulps of the largest sum).
  void one_axis(const float* x, float* y) const {
    int64_t outer = 1, inner = 1;
    for (size_t d = 0; d < axis_; ++d) outer *= shape_[d];
    for (size_t d = axis_ + 1; d < shape_.size(); ++d) inner *= shape_[d];
    const int64_t len = shape_[axis_];
    constexpr int64_t kSlice = 1024;
    const int64_t slices = (inner + kSlice - 1) / kSlice;
    const int threads = loop_threads(element_count(shape_));
    auto run = [&](int64_t task, std::vector<double>& sum) {
      const int64_t o = task / slices, i0 = task % slices * kSlice, n = std::min(kSlice, inner - i0);
      const float* xo = x + o * len * inner + i0;
      float* yo = y + o * len * inner + i0;
      std::fill(sum.begin(), sum.begin() + n, 0.0);
      int64_t added = 0, removed = 0;  // rows [removed, added) are in the sums
      for (int64_t l = 0; l < len; ++l) {
        const int64_t lo = std::max<int64_t>(0, l - half_), hi = std::min<int64_t>(len - 1, l + half_);
        for (; added <= hi; ++added) add_squares(xo + added * inner, sum.data(), n);
        for (; removed < lo; ++removed) sub_squares(xo + removed * inner, sum.data(), n);
        finish(xo + l * inner, sum.data(), yo + l * inner, n);
      }
    };
    const size_t width = static_cast<size_t>(std::min(inner, kSlice));
    if (threads == 1) {  // no OpenMP region: even a one-thread team costs about a microsecond
      std::vector<double> sum(width);
      for (int64_t task = 0; task < outer * slices; ++task) run(task, sum);
      return;
    }
#pragma omp parallel num_threads(threads)
    {
      std::vector<double> sum(width);
#pragma omp for schedule(static)
      for (int64_t task = 0; task < outer * slices; ++task) run(task, sum);
    }
  }

  // Any set of axes: every element walks its window as the reference does.
  void any_axes(const float* x, float* y) const {
    const size_t rank = shape_.size();
    const Dims strides = row_major_strides(shape_);
    const int64_t n = element_count(shape_);
    std::vector<double> sums(static_cast<size_t>(n));
    Dims c(rank, 0), lo(rank), hi(rank), w(rank);
    for (int64_t i = 0; i < n; ++i) {
      for (size_t d = 0; d < rank; ++d) {
        lo[d] = windowed_[d] ? std::max<int64_t>(0, c[d] - half_) : c[d];
        hi[d] = windowed_[d] ? std::min<int64_t>(shape_[d] - 1, c[d] + half_) : c[d];
        w[d] = lo[d];
      }
      double sum = 0;
      while (true) {
        int64_t flat = 0;
        for (size_t d = 0; d < rank; ++d) flat += w[d] * strides[d];
        const double e = x[flat];
        sum += e * e;
        size_t d = rank;
        while (d-- > 0) {
          if (++w[d] <= hi[d]) break;
          w[d] = lo[d];
        }
        if (d == static_cast<size_t>(-1)) break;
      }
      sums[static_cast<size_t>(i)] = sum;
      for (size_t d = rank; d-- > 0;) {
        if (++c[d] < shape_[d]) break;
        c[d] = 0;
      }
    }
    finish(x, sums.data(), y, n);
  }

  OCTET_AVX2_CLONES static void add_squares(const float* __restrict x, double* __restrict sum, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      const double e = x[i];
      sum[i] += e * e;
    }
  }

  OCTET_AVX2_CLONES static void sub_squares(const float* __restrict x, double* __restrict sum, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      const double e = x[i];
      sum[i] -= e * e;
    }
  }

  void finish(const float* x, const double* sum, float* y, int64_t n) const {
    if (beta_ == 0.75) {
      finish_075(x, sum, y, n, bias_, scale_);
    } else if (beta_ == 1.0) {
      for (int64_t i = 0; i < n; ++i) y[i] = static_cast<float>(x[i] / (bias_ + scale_ * sum[i]));
    } else {
      for (int64_t i = 0; i < n; ++i)
        y[i] = static_cast<float>(x[i] / std::pow(bias_ + scale_ * sum[i], beta_));
    }
  }

  // t^0.75 = sqrt(t) * sqrt(sqrt(t)) in f32 (hardware square roots instead of pow): three f32
  // roundings after t's, so within a few f32 ulps of the reference's double pow.
  static void finish_075(const float* x, const double* sum, float* y, int64_t n, double bias, double scale) {
    static const bool avx2 = __builtin_cpu_supports("avx2");
    int64_t i = avx2 ? finish_075_avx2(x, sum, y, n, bias, scale) : 0;
    for (; i < n; ++i) {
      const float q = std::sqrt(static_cast<float>(bias + scale * sum[i]));
      y[i] = x[i] / (q * std::sqrt(q));
    }
  }

  // The same 8 at a time (std::sqrt's errno check keeps GCC from vectorising it); returns how far
  // it got. No FMA in this target: bias + scale * sum rounds twice, as above.
  __attribute__((target("avx2"))) static int64_t finish_075_avx2(const float* x, const double* sum, float* y,
                                                                 int64_t n, double bias, double scale) {
    const __m256d b = _mm256_set1_pd(bias), s = _mm256_set1_pd(scale);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const __m128 lo = _mm256_cvtpd_ps(_mm256_add_pd(b, _mm256_mul_pd(s, _mm256_loadu_pd(sum + i))));
      const __m128 hi = _mm256_cvtpd_ps(_mm256_add_pd(b, _mm256_mul_pd(s, _mm256_loadu_pd(sum + i + 4))));
      const __m256 q = _mm256_sqrt_ps(_mm256_insertf128_ps(_mm256_castps128_ps256(lo), hi, 1));
      _mm256_storeu_ps(y + i, _mm256_div_ps(_mm256_loadu_ps(x + i), _mm256_mul_ps(q, _mm256_sqrt_ps(q))));
    }
    return i;
  }

  Dims shape_;
  std::vector<bool> windowed_;
  int64_t half_;
  double bias_, scale_, beta_;
  size_t axis_ = 0;
  bool single_axis_ = false;
};

}  // namespace

std::unique_ptr<Kernel> make_lrn_kernel(const Node& node) {
  if (node.inputs.size() != 2 || node.outputs.size() != 1 || node.input_constant(0)) return nullptr;
  if (node.input_type(0) != ElementType::kF32 || node.outputs[0].type != ElementType::kF32) return nullptr;
  const Dims& xs = node.input_shape(0);
  if (!is_static(xs) || element_count(xs) == 0 || node.outputs[0].shape != xs) return nullptr;
  const Tensor* axes_t = node.input_constant(1);
  if (!axes_t) return nullptr;
  std::vector<bool> windowed(xs.size(), false);
  int64_t count = 0;
  for (int64_t a : axes_t->to_int64_vector()) {
    if (a < 0 || a >= static_cast<int64_t>(xs.size())) return nullptr;  // the reference reports it
    if (!windowed[static_cast<size_t>(a)]) ++count;
    windowed[static_cast<size_t>(a)] = true;
  }
  const LrnAttrs& a = node.attr<LrnAttrs>();
  // The reference's constants, computed the same way.
  const double scale = a.alpha / std::pow(static_cast<double>(a.size), static_cast<double>(count));
  return std::make_unique<LrnKernel>(xs, std::move(windowed), (a.size - 1) / 2, a.bias, scale, a.beta);
}

}  // namespace cpu
}  // namespace octet
