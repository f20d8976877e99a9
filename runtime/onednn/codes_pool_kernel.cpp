// CodesMaxPool on the CPU (host/graph/codes_ops.h): MaxPool over channels-last i8 codes, one output
// pixel's channels at a time as a byte-wise max over the window's valid taps (vectorised over the
// contiguous channels). Exact: the same integer max as the reference, whatever the order.
#include <algorithm>
#include <cstring>

#include "host/common/error.h"
#include "host/graph/codes_ops.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

OCTET_AVX2_CLONES void max_into(int8_t* __restrict y, const int8_t* __restrict x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::max(y[i], x[i]);
}

class CodesMaxPoolKernel : public Kernel {
 public:
  explicit CodesMaxPoolKernel(const Node& node) {
    const ConvGeometry& w = codes_max_pool_params(node).window;
    const Dims& x = node.input_shape(0);
    const size_t spatial = w.kernel.size();
    if (x.size() != spatial + 2 || spatial < 1 || spatial > 3)
      raise(ErrorCode::kUnsupported, "{}: {}-D codes pooling", node.describe(), spatial);
    for (size_t i = 0; i < spatial; ++i) {
      const size_t j = 3 - spatial + i;
      in_[j] = x[1 + i];
      out_[j] = w.output[i];
      kernel_[j] = w.kernel[i];
      stride_[j] = w.strides[i];
      dilation_[j] = w.dilations[i];
      pad_[j] = w.pads_begin[i];
    }
    batch_ = x.front();
    channels_ = x.back();
  }

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const int8_t* x = static_cast<const int8_t*>(inputs.at(0).handle);
    int8_t* y = static_cast<int8_t*>(outputs.at(0).handle);
    const int64_t rows = batch_ * out_[0] * out_[1];
    const int threads = loop_threads(rows * out_[2] * channels_ * kernel_[0] * kernel_[1] * kernel_[2]);
    parallel_for(threads, rows, [&](int64_t r) {
      const int64_t oh = r % out_[1], od = (r / out_[1]) % out_[0], b = r / (out_[1] * out_[0]);
      for (int64_t ow = 0; ow < out_[2]; ++ow) {
        int8_t* dst = y + (r * out_[2] + ow) * channels_;
        std::memset(dst, 0x80, static_cast<size_t>(channels_));  // -128: level 0 (a window in the padding)
        for (int64_t kd = 0; kd < kernel_[0]; ++kd) {
          const int64_t id = od * stride_[0] - pad_[0] + kd * dilation_[0];
          if (id < 0 || id >= in_[0]) continue;
          for (int64_t kh = 0; kh < kernel_[1]; ++kh) {
            const int64_t ih = oh * stride_[1] - pad_[1] + kh * dilation_[1];
            if (ih < 0 || ih >= in_[1]) continue;
            const int8_t* row = x + ((b * in_[0] + id) * in_[1] + ih) * in_[2] * channels_;
            for (int64_t kw = 0; kw < kernel_[2]; ++kw) {
              const int64_t iw = ow * stride_[2] - pad_[2] + kw * dilation_[2];
              if (iw < 0 || iw >= in_[2]) continue;
              max_into(dst, row + iw * channels_, channels_);
            }
          }
        }
      }
    });
  }

  std::string impl_name() const override { return "cpu_codes_max_pool_nhwc"; }

 private:
  int64_t in_[3] = {1, 1, 1}, out_[3] = {1, 1, 1}, kernel_[3] = {1, 1, 1}, stride_[3] = {1, 1, 1},
          dilation_[3] = {1, 1, 1}, pad_[3] = {0, 0, 0};
  int64_t batch_ = 1, channels_ = 1;
};

}  // namespace

std::unique_ptr<Kernel> make_codes_max_pool_kernel(const Node& node) {
  return std::make_unique<CodesMaxPoolKernel>(node);
}

}  // namespace cpu
}  // namespace octet
