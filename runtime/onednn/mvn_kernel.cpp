// MVN-6 over trailing axes (layer normalisation's form) on f32 rows, computing exactly what the
// reference does (host/reference/normalization.cpp): sums in double in element order, population
// variance, the division in double, one rounding to f32. Other axis sets use the reference kernel.
#include <cmath>

#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

class MvnKernel : public Kernel {
 public:
  MvnKernel(int64_t rows, int64_t length, bool normalize_variance, double eps, bool inside_sqrt)
      : rows_(rows),
        length_(length),
        normalize_variance_(normalize_variance),
        eps_(eps),
        inside_sqrt_(inside_sqrt) {}

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const float* x = static_cast<const float*>(inputs.at(0).handle);
    float* y = static_cast<float*>(outputs.at(0).handle);
    const double group = static_cast<double>(length_);
    // kRows rows at a time: each row's sums keep the reference's element order, but the rows'
    // independent chains of double additions overlap instead of waiting on one another.
    constexpr int64_t kRows = 4;
    int64_t r = 0;
    for (; r + kRows <= rows_; r += kRows) {
      const float* v = x + r * length_;
      double mean[kRows] = {}, var[kRows] = {};
      for (int64_t i = 0; i < length_; ++i)
        for (int64_t k = 0; k < kRows; ++k) mean[k] += v[k * length_ + i];
      for (int64_t k = 0; k < kRows; ++k) mean[k] /= group;
      for (int64_t i = 0; i < length_; ++i)
        for (int64_t k = 0; k < kRows; ++k) {
          const double d = v[k * length_ + i] - mean[k];
          var[k] += d * d;
        }
      for (int64_t k = 0; k < kRows; ++k) {
        var[k] /= group;
        normalise(v + k * length_, y + (r + k) * length_, mean[k], var[k]);
      }
    }
    for (; r < rows_; ++r) {
      const float* v = x + r * length_;
      double mean = 0.0;
      for (int64_t i = 0; i < length_; ++i) mean += v[i];
      mean /= group;
      double var = 0.0;
      for (int64_t i = 0; i < length_; ++i) {
        const double d = v[i] - mean;
        var += d * d;
      }
      var /= group;
      normalise(v, y + r * length_, mean, var);
    }
  }

  std::string impl_name() const override { return "cpu_mvn_rows"; }

 private:
  // One row's output from its mean and population variance, per element as the reference.
  void normalise(const float* v, float* out, double mean, double var) const {
    const double divisor = inside_sqrt_ ? std::sqrt(var + eps_) : std::sqrt(var) + eps_;
    if (normalize_variance_) {
      divide_row(v, out, length_, mean, divisor);
    } else {
      for (int64_t i = 0; i < length_; ++i) out[i] = static_cast<float>(v[i] - mean);
    }
  }

  OCTET_AVX2_CLONES static void divide_row(const float* __restrict v, float* __restrict out, int64_t n,
                                           double mean, double divisor) {
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>((v[i] - mean) / divisor);
  }

  int64_t rows_, length_;
  bool normalize_variance_;
  double eps_;
  bool inside_sqrt_;
};

}  // namespace

std::unique_ptr<Kernel> make_mvn_kernel(const Node& node) {
  const auto rows = trailing_axes_rows(node);
  if (!rows) return nullptr;
  const MvnAttrs& mvn = node.attr<MvnAttrs>();
  return std::make_unique<MvnKernel>(rows->rows, rows->length, mvn.normalize_variance, mvn.eps,
                                     mvn.eps_mode == MvnEpsMode::kInsideSqrt);
}

}  // namespace cpu
}  // namespace octet
