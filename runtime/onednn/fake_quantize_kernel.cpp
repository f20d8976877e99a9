// FakeQuantize on f32 data with constant per-tensor or per-channel (axis 1) ranges, computing the
// spec formula with exactly the reference's float operations (host/reference/fake_quantize.cpp),
// so it serves both precisions; other range layouts use the reference kernel.
#include <algorithm>
#include <cmath>

#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

struct Ranges {
  float il, ih, ol, oh;
};

class FakeQuantizeKernel : public Kernel {
 public:
  FakeQuantizeKernel(std::vector<Ranges> ranges, int64_t outer, int64_t inner, int64_t levels)
      : ranges_(std::move(ranges)), outer_(outer), inner_(inner), steps_(static_cast<float>(levels - 1)) {}

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    const float* x = static_cast<const float*>(inputs.at(0).handle);
    float* y = static_cast<float*>(outputs.at(0).handle);
    const int64_t channels = static_cast<int64_t>(ranges_.size());
    // Jobs of up to kChunk values of one channel, shared among the threads when there are many.
    constexpr int64_t kChunk = 1 << 14;
    const int64_t chunks = (inner_ + kChunk - 1) / kChunk, jobs = outer_ * channels * chunks;
    const int threads = loop_threads(outer_ * channels * inner_);
    parallel_for(threads, jobs, [&](int64_t job) {
      const int64_t slice = job / chunks, i0 = job % chunks * kChunk;
      const int64_t base = slice * inner_ + i0;
      quantize(x + base, y + base, std::min(kChunk, inner_ - i0),
               ranges_[static_cast<size_t>(slice % channels)], steps_);
    });
  }

  std::string impl_name() const override { return ranges_.size() > 1 ? "cpu_fq_per_channel" : "cpu_fq"; }

 private:
  // Locals only inside the loop, so it vectorises (no value may alias the output).
  OCTET_AVX2_CLONES __attribute__((optimize("no-trapping-math"))) static void quantize(
      const float* __restrict x, float* __restrict y, int64_t n, Ranges r, float steps) {
    const float il = r.il, ol = r.ol, oh = r.oh;
    const float lo = std::min(r.il, r.ih), hi = std::max(r.il, r.ih);
    const float in_range = r.ih - r.il, out_range = r.oh - r.ol;
    constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: round half to even for |v| < 2^22
    for (int64_t i = 0; i < n; ++i) {
      const float v = x[i];
      // (v - il) / (ih - il) lies in [0, 1] inside the range, so the level is in [0, steps].
      const float level = ((v - il) / in_range * steps + kRound) - kRound;
      float out = level / steps * out_range + ol;
      out = v > hi ? oh : out;
      out = v <= lo ? ol : out;
      y[i] = out;
    }
  }

  std::vector<Ranges> ranges_;
  int64_t outer_, inner_;
  float steps_;
};

// The value of range tensor `t` for channel c, or false when it varies along another axis.
bool channel_values(const Tensor& t, const Dims& x, int64_t channels, std::vector<float>* out) {
  const Dims& s = t.shape();
  if (s.size() > x.size()) return false;
  const size_t offset = x.size() - s.size();
  int64_t along = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == 1) continue;
    if (i + offset != 1 || s[i] != channels) return false;
    along = s[i];
  }
  out->resize(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c)
    (*out)[static_cast<size_t>(c)] = static_cast<float>(t.get_as_double(along == 1 ? 0 : c));
  return true;
}

}  // namespace

std::unique_ptr<Kernel> make_fake_quantize_kernel(const Node& node) {
  if (node.inputs.size() != 5 || node.outputs.size() != 1 || node.input_type(0) != ElementType::kF32 ||
      node.outputs[0].type != ElementType::kF32 || node.input_constant(0))
    return nullptr;
  const FakeQuantizeAttrs& fq = node.attr<FakeQuantizeAttrs>();
  if (fq.broadcast != AutoBroadcast::kNumpy) return nullptr;
  const int64_t levels = fq.levels;
  if (levels > 65536) return nullptr;
  const Dims& x = node.input_shape(0);
  const int64_t channels = x.size() >= 2 ? x[1] : 1;
  std::vector<float> v[4];
  bool per_channel = false;
  for (int k = 0; k < 4; ++k) {
    const Tensor* t = node.input_constant(static_cast<size_t>(k + 1));
    if (!t || !is_float(t->type()) || !channel_values(*t, x, channels, &v[k])) return nullptr;
    per_channel = per_channel || t->element_count() > 1;
  }
  const int64_t count = element_count(x);
  const int64_t used = per_channel ? channels : 1;
  if (used == 0 || count == 0) return nullptr;
  std::vector<Ranges> ranges(static_cast<size_t>(used));
  for (int64_t c = 0; c < used; ++c) ranges[static_cast<size_t>(c)] = {v[0][c], v[1][c], v[2][c], v[3][c]};
  const int64_t outer = per_channel ? x[0] : 1;
  const int64_t inner = per_channel ? count / (outer * channels) : count;
  return std::make_unique<FakeQuantizeKernel>(std::move(ranges), outer, inner, levels);
}

}  // namespace cpu
}  // namespace octet
