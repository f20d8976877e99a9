// CodesMaxPool on the CPU (host/graph/codes_ops.h): MaxPool over channels-last i8 codes, one output
// pixel's channels at a time as a byte-wise max over the window's valid taps (vectorised over the
// contiguous channels). Exact: the same integer max as the reference, whatever the order.
#include "host/common/error.h"
#include "host/graph/codes_ops.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

struct Window {
  int64_t in[3] = {1, 1, 1}, out[3] = {1, 1, 1}, kernel[3] = {1, 1, 1}, stride[3] = {1, 1, 1},
          dilation[3] = {1, 1, 1}, pad[3] = {0, 0, 0};
  int64_t batch = 1, channels = 1;
};

// One output row (all of its pixels' channels), so a dispatch happens once per row and the byte-wise
// max of each tap is vectorised inline. W > 0: the channel count as a compile-time constant (narrow
// pixels such as unet's 8 channels then compile to whole-vector operations).
template <int W>
inline void pool_row_body(const Window& w, const int8_t* __restrict x, int8_t* __restrict y, int64_t r) {
  const int64_t c_count = W > 0 ? W : w.channels;
  const int64_t oh = r % w.out[1], od = (r / w.out[1]) % w.out[0], b = r / (w.out[1] * w.out[0]);
  for (int64_t ow = 0; ow < w.out[2]; ++ow) {
    int8_t* __restrict dst = y + (r * w.out[2] + ow) * c_count;
    for (int64_t c = 0; c < c_count; ++c) dst[c] = -128;  // level 0 (a window in the padding)
    for (int64_t kd = 0; kd < w.kernel[0]; ++kd) {
      const int64_t id = od * w.stride[0] - w.pad[0] + kd * w.dilation[0];
      if (id < 0 || id >= w.in[0]) continue;
      for (int64_t kh = 0; kh < w.kernel[1]; ++kh) {
        const int64_t ih = oh * w.stride[1] - w.pad[1] + kh * w.dilation[1];
        if (ih < 0 || ih >= w.in[1]) continue;
        const int8_t* row = x + ((b * w.in[0] + id) * w.in[1] + ih) * w.in[2] * c_count;
        for (int64_t kw = 0; kw < w.kernel[2]; ++kw) {
          const int64_t iw = ow * w.stride[2] - w.pad[2] + kw * w.dilation[2];
          if (iw < 0 || iw >= w.in[2]) continue;
          const int8_t* __restrict src = row + iw * c_count;
          for (int64_t c = 0; c < c_count; ++c) dst[c] = dst[c] > src[c] ? dst[c] : src[c];
        }
      }
    }
  }
}

OCTET_AVX2_CLONES void pool_row(const Window& w, const int8_t* __restrict x, int8_t* __restrict y,
                                int64_t r) {
  switch (w.channels) {
    case 8: pool_row_body<8>(w, x, y, r); return;
    case 16: pool_row_body<16>(w, x, y, r); return;
    case 32: pool_row_body<32>(w, x, y, r); return;
    case 64: pool_row_body<64>(w, x, y, r); return;
    default: pool_row_body<0>(w, x, y, r); return;
  }
}

class CodesMaxPoolKernel : public Kernel {
 public:
  explicit CodesMaxPoolKernel(const Node& node) {
    const ConvGeometry& g = codes_max_pool_params(node).window;
    const Dims& x = node.input_shape(0);
    const size_t spatial = g.kernel.size();
    if (x.size() != spatial + 2 || spatial < 1 || spatial > 3)
      raise(ErrorCode::kUnsupported, "{}: {}-D codes pooling", node.describe(), spatial);
    for (size_t i = 0; i < spatial; ++i) {
      const size_t j = 3 - spatial + i;
      w_.in[j] = x[1 + i];
      w_.out[j] = g.output[i];
      w_.kernel[j] = g.kernel[i];
      w_.stride[j] = g.strides[i];
      w_.dilation[j] = g.dilations[i];
      w_.pad[j] = g.pads_begin[i];
    }
    w_.batch = x.front();
    w_.channels = x.back();
  }

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const int8_t* x = static_cast<const int8_t*>(inputs.at(0).handle);
    int8_t* y = static_cast<int8_t*>(outputs.at(0).handle);
    const int64_t rows = w_.batch * w_.out[0] * w_.out[1];
    const int threads =
        loop_threads(rows * w_.out[2] * w_.channels * w_.kernel[0] * w_.kernel[1] * w_.kernel[2]);
    parallel_for(threads, rows, [&](int64_t r) { pool_row(w_, x, y, r); });
  }

  std::string impl_name() const override { return "cpu_codes_max_pool_nhwc"; }

 private:
  Window w_;
};

}  // namespace

std::unique_ptr<Kernel> make_codes_max_pool_kernel(const Node& node) {
  return std::make_unique<CodesMaxPoolKernel>(node);
}

}  // namespace cpu
}  // namespace octet
