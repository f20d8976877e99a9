// ReduceMean / ReduceSum over a trailing block of axes (global pooling's form) on f32, computing
// exactly what the reference does (host/reference/reduce.cpp): a double sum in element order, the
// mean's division in double, one rounding to f32. Other axis sets use the reference kernel.
#include <set>

#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

class ReduceRowsKernel : public Kernel {
 public:
  ReduceRowsKernel(int64_t rows, int64_t length, bool mean) : rows_(rows), length_(length), mean_(mean) {}

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const float* x = static_cast<const float*>(inputs.at(0).handle);
    float* y = static_cast<float*>(outputs.at(0).handle);
    // kRows rows at a time: each row's sum keeps the element order, and the rows' independent
    // chains of double additions overlap.
    constexpr int64_t kRows = 4;
    int64_t r = 0;
    for (; r + kRows <= rows_; r += kRows) {
      double sum[kRows] = {};
      const float* v = x + r * length_;
      for (int64_t i = 0; i < length_; ++i)
        for (int64_t k = 0; k < kRows; ++k) sum[k] += v[k * length_ + i];
      for (int64_t k = 0; k < kRows; ++k) y[r + k] = finish(sum[k]);
    }
    for (; r < rows_; ++r) {
      double sum = 0;
      for (int64_t i = 0; i < length_; ++i) sum += x[r * length_ + i];
      y[r] = finish(sum);
    }
  }

  std::string impl_name() const override { return mean_ ? "cpu_reduce_mean_rows" : "cpu_reduce_sum_rows"; }

 private:
  float finish(double sum) const {
    return static_cast<float>(mean_ ? sum / static_cast<double>(length_) : sum);
  }

  int64_t rows_, length_;
  bool mean_;
};

}  // namespace

std::optional<TrailingRows> trailing_axes_rows(const Node& node) {
  if (node.inputs.size() != 2 || node.outputs.size() != 1 || node.input_type(0) != ElementType::kF32 ||
      node.outputs[0].type != ElementType::kF32 || node.input_constant(0))
    return std::nullopt;
  const Tensor* axes_t = node.input_constant(1);
  if (!axes_t) return std::nullopt;
  const Dims& x = node.input_shape(0);
  const int64_t rank = static_cast<int64_t>(x.size());
  if (rank == 0 || !is_static(x)) return std::nullopt;
  std::set<int64_t> axes;
  for (int64_t a : axes_t->to_int64_vector()) {
    if (a < -rank || a >= rank) return std::nullopt;  // the reference reports the error
    axes.insert(a < 0 ? a + rank : a);
  }
  if (axes.empty() || *axes.rbegin() != rank - 1 ||
      *axes.rbegin() - *axes.begin() + 1 != static_cast<int64_t>(axes.size()))
    return std::nullopt;
  int64_t length = 1;
  for (int64_t a : axes) length *= x[static_cast<size_t>(a)];
  const int64_t count = element_count(x);
  if (length == 0 || count == 0) return std::nullopt;
  return TrailingRows{count / length, length};
}

std::unique_ptr<Kernel> make_reduce_kernel(const Node& node) {
  const auto rows = trailing_axes_rows(node);
  if (!rows) return nullptr;
  return std::make_unique<ReduceRowsKernel>(rows->rows, rows->length, node.op == OpKind::kReduceMean);
}

}  // namespace cpu
}  // namespace octet
