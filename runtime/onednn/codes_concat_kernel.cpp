// Concat along the last axis of one-byte elements (channels-last i8 codes, made by
// host/transforms/codes_flow.h): each pixel's parts are a few dozen bytes, copied by an inline loop
// per part instead of one memcpy call each. Other concatenations return nullptr and take
// make_concat_kernel.
#include <algorithm>
#include <cstring>

#include "host/common/error.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

struct Part {
  const int8_t* x;
  int64_t width;   // bytes per pixel
  int64_t offset;  // within the output pixel
};

template <int W>
inline void copy_part(const Part& part, int8_t* __restrict y, int64_t total, int64_t p0, int64_t p1) {
  const int64_t w = W > 0 ? W : part.width;
  for (int64_t p = p0; p < p1; ++p) {
    const int8_t* __restrict src = part.x + p * w;
    int8_t* __restrict dst = y + p * total + part.offset;
    if (W > 0) {
      std::memcpy(dst, src, W);  // one or two vector moves
    } else if (w >= 16) {        // 16-byte moves, the last one overlapping the one before (24, 40, 48 ...)
      for (int64_t c = 0; c + 16 < w; c += 16) std::memcpy(dst + c, src + c, 16);
      std::memcpy(dst + w - 16, src + w - 16, 16);
    } else {
      for (int64_t c = 0; c < w; ++c) dst[c] = src[c];
    }
  }
}

OCTET_AVX2_CLONES void concat_pixels(const Part* parts, int64_t count, int8_t* __restrict y, int64_t total,
                                     int64_t p0, int64_t p1) {
  for (int64_t i = 0; i < count; ++i) {
    switch (parts[i].width) {
      case 4: copy_part<4>(parts[i], y, total, p0, p1); break;
      case 8: copy_part<8>(parts[i], y, total, p0, p1); break;
      case 16: copy_part<16>(parts[i], y, total, p0, p1); break;
      case 24: copy_part<24>(parts[i], y, total, p0, p1); break;
      case 32: copy_part<32>(parts[i], y, total, p0, p1); break;
      case 40: copy_part<40>(parts[i], y, total, p0, p1); break;
      case 48: copy_part<48>(parts[i], y, total, p0, p1); break;
      case 64: copy_part<64>(parts[i], y, total, p0, p1); break;
      default: copy_part<0>(parts[i], y, total, p0, p1); break;
    }
  }
}

class CodesConcatKernel : public Kernel {
 public:
  CodesConcatKernel(int64_t pixels, std::vector<int64_t> widths)
      : pixels_(pixels), widths_(std::move(widths)) {
    for (int64_t w : widths_) total_ += w;
  }
  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    std::vector<Part> parts(widths_.size());
    int64_t offset = 0;
    for (size_t i = 0; i < widths_.size(); ++i) {
      parts[i] = {static_cast<const int8_t*>(inputs.at(i).handle), widths_[i], offset};
      offset += widths_[i];
    }
    int8_t* y = static_cast<int8_t*>(outputs.at(0).handle);
    constexpr int64_t kChunk = 256;  // pixels per job
    const int threads = loop_threads(pixels_ * total_);
    parallel_for(threads, (pixels_ + kChunk - 1) / kChunk, [&](int64_t j) {
      concat_pixels(parts.data(), static_cast<int64_t>(parts.size()), y, total_, j * kChunk,
                    std::min(pixels_, (j + 1) * kChunk));
    });
  }
  std::string impl_name() const override { return "cpu_concat_last_bytes"; }

 private:
  int64_t pixels_;
  std::vector<int64_t> widths_;
  int64_t total_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> make_codes_concat_kernel(const Node& node) {
  if (node.outputs.size() != 1 || node.inputs.empty()) return nullptr;
  const Dims& ys = node.outputs[0].shape;
  if (element_storage_bytes(node.outputs[0].type, 1) != 1 || !is_static(ys) || ys.size() < 2) return nullptr;
  const int64_t rank = static_cast<int64_t>(ys.size());
  const int64_t axis =
      node.attr<AxisAttrs>().axis < 0 ? node.attr<AxisAttrs>().axis + rank : node.attr<AxisAttrs>().axis;
  // Only narrow pixels: wide ones are long runs the generic block copy handles as well.
  if (axis != rank - 1 || ys.back() > 512 || ys.back() == 0) return nullptr;
  std::vector<int64_t> widths;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Dims& xs = node.input_shape(i);
    if (node.input_constant(i) || node.input_type(i) != node.outputs[0].type || !is_static(xs) ||
        xs.size() != ys.size())
      return nullptr;
    widths.push_back(xs.back());
  }
  return std::make_unique<CodesConcatKernel>(element_count(ys) / ys.back(), std::move(widths));
}

}  // namespace cpu
}  // namespace octet
