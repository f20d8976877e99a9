// ShuffleChannels over the last axis of one-byte elements (channels-last i8 codes, made by
// host/transforms/codes_flow.h): each pixel's C bytes are permuted in registers, out[k * G + g] =
// in[g * C/G + k], instead of the generic block copy's one-byte blocks. Other shuffles return
// nullptr and take make_shuffle_channels_kernel.
#include "host/common/error.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

// Pixels [p0, p1) of `channels` bytes each, `groups` groups.
OCTET_AVX2_CLONES void shuffle_pixels(const int8_t* __restrict x, int8_t* __restrict y, int64_t p0,
                                      int64_t p1, int64_t channels, int64_t groups) {
  const int64_t per = channels / groups;
  if (groups == 2) {  // ShuffleNet's case: interleave the two halves
    for (int64_t p = p0; p < p1; ++p) {
      const int8_t* __restrict a = x + p * channels;
      const int8_t* __restrict b = a + per;
      int8_t* __restrict d = y + p * channels;
      for (int64_t k = 0; k < per; ++k) {
        d[2 * k] = a[k];
        d[2 * k + 1] = b[k];
      }
    }
    return;
  }
  for (int64_t p = p0; p < p1; ++p)
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t k = 0; k < per; ++k) y[p * channels + k * groups + g] = x[p * channels + g * per + k];
}

class CodesShuffleKernel : public Kernel {
 public:
  CodesShuffleKernel(int64_t pixels, int64_t channels, int64_t groups)
      : pixels_(pixels), channels_(channels), groups_(groups) {}
  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const int8_t* x = static_cast<const int8_t*>(inputs.at(0).handle);
    int8_t* y = static_cast<int8_t*>(outputs.at(0).handle);
    constexpr int64_t kChunk = 256;  // pixels per job
    const int threads = loop_threads(pixels_ * channels_);
    parallel_for(threads, (pixels_ + kChunk - 1) / kChunk, [&](int64_t j) {
      shuffle_pixels(x, y, j * kChunk, std::min(pixels_, (j + 1) * kChunk), channels_, groups_);
    });
  }
  std::string impl_name() const override { return "cpu_shuffle_channels_last_bytes"; }

 private:
  int64_t pixels_, channels_, groups_;
};

}  // namespace

std::unique_ptr<Kernel> make_codes_shuffle_kernel(const Node& node) {
  if (node.inputs.size() != 1 || node.outputs.size() != 1 || node.input_constant(0)) return nullptr;
  const Dims& xs = node.input_shape(0);
  if (element_storage_bytes(node.input_type(0), 1) != 1 || !is_static(xs) || xs.size() < 2 ||
      node.outputs[0].shape != xs || node.outputs[0].type != node.input_type(0))
    return nullptr;
  const ShuffleChannelsAttrs& a = node.attr<ShuffleChannelsAttrs>();
  const int64_t rank = static_cast<int64_t>(xs.size());
  const int64_t axis = a.axis < 0 ? a.axis + rank : a.axis;
  const int64_t channels = xs.back();
  if (axis != rank - 1 || a.group <= 1 || channels % a.group != 0) return nullptr;
  return std::make_unique<CodesShuffleKernel>(element_count(xs) / channels, channels, a.group);
}

}  // namespace cpu
}  // namespace octet
