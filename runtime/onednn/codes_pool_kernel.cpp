// CodesMaxPool on the CPU (host/graph/codes_ops.h): MaxPool over channels-last i8 codes, one output
// pixel's channels at a time as a byte-wise max over the window's valid taps (vectorised over the
// contiguous channels). Exact: the same integer max as the reference, whatever the order.
// CodesAvgPool the same way: each tap's float value from its code, summed per channel in the
// reference's window order and divided by its count, so every output is the reference's float.
#include <algorithm>
#include <vector>

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
  int64_t rows() const { return batch * out[0] * out[1]; }  // output rows: the parallel loop's items
  // Threads for the whole pooling: every output element reads a whole window.
  int threads() const { return loop_threads(rows() * out[2] * channels * kernel[0] * kernel[1] * kernel[2]); }
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

// The window `g` over channels-last codes of shape `x`, as 3-D (leading 1s).
Window window_of(const Node& node, const ConvGeometry& g, const Dims& x) {
  Window w;
  const size_t spatial = g.kernel.size();
  if (x.size() != spatial + 2 || spatial < 1 || spatial > 3)
    raise(ErrorCode::kUnsupported, "{}: {}-D codes pooling", node.describe(), spatial);
  for (size_t i = 0; i < spatial; ++i) {
    const size_t j = 3 - spatial + i;
    w.in[j] = x[1 + i];
    w.out[j] = g.output[i];
    w.kernel[j] = g.kernel[i];
    w.stride[j] = g.strides[i];
    w.dilation[j] = g.dilations.empty() ? 1 : g.dilations[i];
    w.pad[j] = g.pads_begin[i];
  }
  w.batch = x.front();
  w.channels = x.back();
  return w;
}

class CodesMaxPoolKernel : public Kernel {
 public:
  explicit CodesMaxPoolKernel(const Node& node)
      : w_(window_of(node, codes_max_pool_params(node).window, node.input_shape(0))) {}

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const int8_t* x = static_cast<const int8_t*>(inputs.at(0).handle);
    int8_t* y = static_cast<int8_t*>(outputs.at(0).handle);
    parallel_for(w_.threads(), w_.rows(), [&](int64_t r) { pool_row(w_, x, y, r); });
  }

  std::string impl_name() const override { return "cpu_codes_max_pool_nhwc"; }

 private:
  Window w_;
};

// Grid of the codes: value(code) = (code + 128) / steps * range + low, as dequantize_codes.
struct CodesGrid {
  float steps = 255, range = 1, low = 0;
};

// values[i] = the float of codes[i], as dequantize_codes; one long contiguous loop (vectorised).
OCTET_AVX512_CLONES __attribute__((optimize("fp-contract=off"))) void code_values(
    const int8_t* __restrict codes, float* __restrict values, int64_t n, CodesGrid grid) {
  for (int64_t i = 0; i < n; ++i)
    values[i] = static_cast<float>(int32_t{codes[i]} + 128) / grid.steps * grid.range + grid.low;
}

// sum[i] += add[i]: one tap's channels into one output pixel's sums.
OCTET_AVX512_CLONES void add_floats(float* __restrict sum, const float* __restrict add, int64_t n) {
  for (int64_t i = 0; i < n; ++i) sum[i] += add[i];
}

// One output row of CodesAvgPool, as the reference AvgPool (host/reference/pooling.cpp) computes
// each output: the window's in-bounds taps summed from 0 in (depth, row, column) order, divided by
// their count or by `whole`. Looping over the window's input rows outside the output pixels keeps
// that order for every pixel while each input row is turned into floats once (`values`, [IW][C])
// and every add runs over a pixel's contiguous channels. `acc` holds the row's [OW][C] sums; each
// channel's run of OW averages then goes to the plain output.
void average_row(const Window& w, const CodesGrid& grid, int64_t whole, const int8_t* __restrict x,
                 float* __restrict y, float* __restrict acc, float* __restrict values, int64_t r) {
  const int64_t channels = w.channels, out_w = w.out[2];
  const int64_t oh = r % w.out[1], od = (r / w.out[1]) % w.out[0], b = r / (w.out[1] * w.out[0]);
  const int64_t lo_d = od * w.stride[0] - w.pad[0], lo_h = oh * w.stride[1] - w.pad[1];
  const int64_t hi_d = std::min(lo_d + w.kernel[0], w.in[0]), hi_h = std::min(lo_h + w.kernel[1], w.in[1]);
  std::fill(acc, acc + out_w * channels, 0.0f);
  int64_t rows_in = 0;
  for (int64_t id = std::max<int64_t>(lo_d, 0); id < hi_d; ++id)
    for (int64_t ih = std::max<int64_t>(lo_h, 0); ih < hi_h; ++ih) {
      ++rows_in;
      code_values(x + ((b * w.in[0] + id) * w.in[1] + ih) * w.in[2] * channels, values, w.in[2] * channels,
                  grid);
      for (int64_t ow = 0; ow < out_w; ++ow) {
        const int64_t lo_w = ow * w.stride[2] - w.pad[2], hi_w = std::min(lo_w + w.kernel[2], w.in[2]);
        for (int64_t iw = std::max<int64_t>(lo_w, 0); iw < hi_w; ++iw)
          add_floats(acc + ow * channels, values + iw * channels, channels);
      }
    }
  const int64_t out_plane = w.out[0] * w.out[1] * out_w;
  for (int64_t ow = 0; ow < out_w; ++ow) {
    const int64_t lo_w = ow * w.stride[2] - w.pad[2];
    const int64_t taps =
        rows_in * std::max<int64_t>(0, std::min(lo_w + w.kernel[2], w.in[2]) - std::max<int64_t>(lo_w, 0));
    const int64_t count = whole > 0 ? whole : taps;
    const float divisor = static_cast<float>(count);
    // y is [N, C, OD, OH, OW]: channel c's row starts at ((b * C + c) * OD + od) * OH + oh rows.
    float* dst = y + b * channels * out_plane + (od * w.out[1] + oh) * out_w + ow;
    const float* sum = acc + ow * channels;
    for (int64_t c = 0; c < channels; ++c) dst[c * out_plane] = count ? sum[c] / divisor : 0.0f;
  }
}

class CodesAvgPoolKernel : public Kernel {
 public:
  explicit CodesAvgPoolKernel(const Node& node)
      : w_(window_of(node, codes_avg_pool_params(node).window, node.input_shape(0))) {
    const CodesAvgPoolParams& p = codes_avg_pool_params(node);
    whole_ = codes_avg_pool_whole_divisor(p);
    grid_.steps = static_cast<float>(p.quant.levels - 1);
    grid_.range = p.quant.out_high - p.quant.out_low;
    grid_.low = p.quant.out_low;
  }

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const int8_t* x = static_cast<const int8_t*>(inputs.at(0).handle);
    float* y = static_cast<float*>(outputs.at(0).handle);
    const size_t sums = static_cast<size_t>(w_.out[2] * w_.channels);
    const size_t values = static_cast<size_t>(w_.in[2] * w_.channels);
    parallel_for(w_.threads(), w_.rows(), [&](int64_t r) {
      thread_local std::vector<float> scratch;  // the row's sums, then one input row's floats
      if (scratch.size() < sums + values) scratch.resize(sums + values);
      average_row(w_, grid_, whole_, x, y, scratch.data(), scratch.data() + sums, r);
    });
  }

  std::string impl_name() const override { return "cpu_codes_avg_pool_nhwc"; }

 private:
  Window w_;
  CodesGrid grid_;
  int64_t whole_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> make_codes_avg_pool_kernel(const Node& node) {
  return std::make_unique<CodesAvgPoolKernel>(node);
}

std::unique_ptr<Kernel> make_codes_max_pool_kernel(const Node& node) {
  return std::make_unique<CodesMaxPoolKernel>(node);
}

}  // namespace cpu
}  // namespace octet
