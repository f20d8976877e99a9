// CodesDequantize on the CPU (host/graph/codes_ops.h): i8 codes of a grid to their float values,
// channels-last codes back to the plain layout. The 256 values come from dequantize_codes (the
// reference's formula, bit for bit), so each element is one table lookup.
#include <array>

#include "host/common/error.h"
#include "host/graph/codes_ops.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

class CodesDequantizeKernel : public Kernel {
 public:
  explicit CodesDequantizeKernel(const Node& node) {
    const CodesDequantizeParams& p = codes_dequantize_params(node);
    std::array<int8_t, 256> codes{};
    for (int i = 0; i < 256; ++i) codes[static_cast<size_t>(i)] = static_cast<int8_t>(i - 128);
    dequantize_codes(codes.data(), table_.data(), 256, p.quant);
    const Dims& y = node.outputs.at(0).shape;  // plain [N, C, spatial...]
    count_ = element_count(y);
    transpose_ = p.channels_last && y.size() >= 3;
    if (transpose_) {
      batch_ = y[0];
      channels_ = y[1];
      plane_ = batch_ * channels_ != 0 ? count_ / (batch_ * channels_) : 0;
    }
  }

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const int8_t* x = static_cast<const int8_t*>(inputs.at(0).handle);
    float* y = static_cast<float*>(outputs.at(0).handle);
    const float* table = table_.data() + 128;  // indexed by the code itself
    if (!transpose_) {
      parallel_for(loop_threads(count_), count_, [&](int64_t i) { y[i] = table[x[i]]; });
      return;
    }
    // One (image, channel) plane per task: strided reads of the channels-last codes, contiguous writes.
    const int64_t planes = batch_ * channels_;
    parallel_for(loop_threads(count_), planes, [&](int64_t row) {
      const int64_t n = row / channels_, c = row % channels_;
      const int8_t* src = x + n * plane_ * channels_ + c;
      float* dst = y + row * plane_;
      for (int64_t p = 0; p < plane_; ++p) dst[p] = table[src[p * channels_]];
    });
  }

  std::string impl_name() const override {
    return transpose_ ? "cpu_codes_dequantize_nhwc" : "cpu_codes_dequantize";
  }

 private:
  std::array<float, 256> table_{};
  bool transpose_ = false;
  int64_t count_ = 0, batch_ = 1, channels_ = 1, plane_ = 1;
};

}  // namespace

std::unique_ptr<Kernel> make_codes_dequantize_kernel(const Node& node) {
  return std::make_unique<CodesDequantizeKernel>(node);
}

}  // namespace cpu
}  // namespace octet
