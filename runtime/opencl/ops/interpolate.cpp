// Interpolate-4/11 launcher: the host turns every mode except the Pillow ones into per-dim tap
// tables (the formulas of host/reference/interpolate_math.h, shared with the reference).
#include <algorithm>
#include <array>
#include <cmath>

#include "host/reference/interpolate_math.h"
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

struct Tap {
  int index;  // into the unpadded input; -1 for a zero-padding position
  float weight;
};

using interp::cubic_coeffs;
using interp::nearest_index;
using interp::source_coord;

// Tap tables of every dim (all with the same number of taps per output coordinate within a dim).
struct Tables {
  Dims out;                            // output shape
  std::vector<std::vector<Tap>> taps;  // per dim: out[d] * per[d] entries
  std::vector<int> per;                // taps per output coordinate
};

Tables make_tables(const Node& node) {
  const bool v11 = node.version >= 11;
  const Dims& xs = node.input_shape(0);
  const size_t rank = xs.size();
  const InterpolateAttrs& ia = node.attr<InterpolateAttrs>();
  const InterpolateMode mode = ia.mode;
  const bool sizes_mode = ia.shape_mode == InterpolateShapeMode::kSizes;
  const CoordinateTransform coord = ia.transform;
  const NearestMode nearest_mode = ia.nearest_mode;
  const bool antialias = ia.antialias;
  const float cube = static_cast<float>(ia.cube_coeff);
  std::vector<int64_t> pb = ia.pads_begin, pe = ia.pads_end;
  pb.resize(rank, 0);
  pe.resize(rank, 0);
  Dims in(rank);
  for (size_t d = 0; d < rank; ++d) in[d] = xs[d] + pb[d] + pe[d];
  const size_t axes_input = v11 ? 2 : 3;
  std::vector<int64_t> axes;
  if (node.inputs.size() > axes_input) {
    for (int64_t a : node.input_constant(axes_input)->to_int64_vector())
      axes.push_back(normalize_axis(a, static_cast<int64_t>(rank), "axes"));
  } else {
    for (size_t d = 0; d < rank; ++d) axes.push_back(static_cast<int64_t>(d));
  }
  const Tensor& ss = *node.input_constant(v11 ? 1 : (sizes_mode ? 1 : 2));
  std::vector<float> scale(rank, 1.0f);
  std::vector<bool> is_axis(rank, false);
  Tables t;
  t.out = node.outputs[0].shape;
  for (size_t i = 0; i < axes.size(); ++i) {
    const size_t a = static_cast<size_t>(axes[i]);
    is_axis[a] = true;
    if (sizes_mode)
      scale[a] = static_cast<float>(ss.get_as_int64(static_cast<int64_t>(i))) / static_cast<float>(in[a]);
    else
      scale[a] = static_cast<float>(ss.get_as_double(static_cast<int64_t>(i)));
  }
  bool downsample_any = false;
  for (size_t d = 0; d < rank; ++d) downsample_any = downsample_any || (is_axis[d] && scale[d] < 1.0f);
  const bool aa = antialias && downsample_any && mode == InterpolateMode::kLinear;
  t.taps.resize(rank);
  t.per.assign(rank, 1);
  auto unpadded = [&](size_t d, int64_t i) {
    return i - pb[d] >= 0 && i - pb[d] < xs[d] ? int(i - pb[d]) : -1;
  };
  for (size_t d = 0; d < rank; ++d) {
    std::vector<Tap>& taps = t.taps[d];
    const int64_t len = in[d];
    if (!is_axis[d]) {
      // Identity along this dim (padding may still shift it).
      for (int64_t o = 0; o < t.out[d]; ++o) taps.push_back({unpadded(d, o), 1.0f});
      continue;
    }
    for (int64_t o = 0; o < t.out[d]; ++o) {
      const float c = source_coord(coord, static_cast<float>(o), scale[d], static_cast<float>(t.out[d]),
                                   static_cast<float>(len));
      if (mode == InterpolateMode::kNearest) {
        int64_t i = std::min(std::max<int64_t>(nearest_index(nearest_mode, c, scale[d] < 1.0f), 0), len - 1);
        taps.push_back({unpadded(d, i), 1.0f});
      } else if (mode == InterpolateMode::kLinearOnnx) {
        const float cc = std::max(0.0f, std::min(c, static_cast<float>(len - 1)));
        const int64_t i1 = std::min(static_cast<int64_t>(cc), len - 1), i2 = std::min(i1 + 1, len - 1);
        float d1 = std::fabs(cc - static_cast<float>(i1)), d2 = std::fabs(cc - static_cast<float>(i2));
        if (i1 == i2) d1 = d2 = 0.5f;
        taps.push_back({unpadded(d, i1), d2});
        taps.push_back({unpadded(d, i2), d1});
      } else if (mode == InterpolateMode::kCubic) {
        const float f = std::floor(c);
        const auto w = cubic_coeffs(c - f, cube);
        for (int k = 0; k < 4; ++k) {
          const int64_t i = std::min(std::max<int64_t>(static_cast<int64_t>(f) + k - 1, 0), len - 1);
          taps.push_back({unpadded(d, i), w[static_cast<size_t>(k)]});
        }
      } else {  // linear: triangle filter renormalised over in-range taps (separable per dim)
        const float a = aa ? scale[d] : 1.0f;
        const int64_t r = scale[d] > 1.0f ? 2 : static_cast<int64_t>(std::ceil(2.0f / a));
        const int64_t center = static_cast<int64_t>(std::round(c));
        std::vector<Tap> row;
        float wsum = 0.0f;
        for (int64_t k = 0; k < 2 * r + 1; ++k) {
          const int64_t i = center + k - r;
          float w = 0.0f;
          int src = -1;
          if (i >= 0 && i < len) {
            w = a * std::max(0.0f, 1.0f - std::fabs(a * (c - static_cast<float>(i))));
            src = unpadded(d, i);
          }
          wsum += w;
          row.push_back({src, w});
        }
        for (Tap& tap : row) tap.weight = wsum == 0.0f ? 0.0f : tap.weight / wsum;
        taps.insert(taps.end(), row.begin(), row.end());
      }
    }
    t.per[d] = t.out[d] ? static_cast<int>(taps.size() / static_cast<size_t>(t.out[d])) : 1;
  }
  return t;
}

class InterpolateKernel : public OclKernel {
 public:
  InterpolateKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "ocl_interpolate_f32") {
    Tables t = make_tables(node);
    // Entry 0 is an identity tap: the kernel's unused leading dims (coordinate 0, one tap, table
    // offset 0) read it.
    std::vector<cl_int> idx = {0};
    std::vector<float> wt = {1.0f};
    Dims offsets, per;
    for (size_t d = 0; d < t.taps.size(); ++d) {
      offsets.push_back(static_cast<int64_t>(idx.size()));
      per.push_back(t.per[d]);
      for (const Tap& tap : t.taps[d]) idx.push_back(tap.index), wt.push_back(tap.weight);
    }
    rank_ = t.out.size();
    odims_ = dims_arg(t.out);
    per_ = dims_arg(per);
    offsets_ = strides_arg(offsets, rank_);
    strides_ = strides_arg(row_major_strides(node.input_shape(0)), rank_);
    total_ = static_cast<size_t>(element_count(t.out));
    inner_ = rank_ ? static_cast<size_t>(t.out.back()) : 1;
    idx_ = weights(idx.data(), idx.size() * sizeof(cl_int));
    wt_ = weights(wt.data(), wt.size() * sizeof(float));
    kernel_ = make("interpolate_f32.cl", "", "interpolate");
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0), idx_.get(), wt_.get(), odims_, per_, offsets_,
             strides_);
    launch(ctx, kernel_.get(), {inner_, inner_ ? total_ / inner_ : 0, 1}, 2);
  }

 private:
  ocl::ClKernel kernel_;
  ocl::Mem idx_, wt_;
  size_t rank_ = 0, total_ = 0, inner_ = 1;
  Int8Arg odims_, per_, offsets_, strides_;
};

}  // namespace

Support supports_interpolate(const Node& node, const OpenClBackend& backend) {
  Support s = check_float_node(node, {0});
  if (!s.ok) return s;
  if (node.input_shape(0).empty() || node.input_shape(0).size() > 8) return Support::no("rank 0 or above 8");
  const InterpolateMode mode = node.attr<InterpolateAttrs>().mode;
  if (mode == InterpolateMode::kBilinearPillow || mode == InterpolateMode::kBicubicPillow)
    return Support::no(std::string("mode ") + to_string(mode) + " is not implemented");
  for (size_t i = 1; i < node.inputs.size(); ++i)
    if (!node.input_constant(i)) return Support::no("sizes/scales/axes must be constants");
  // Tap tables are built on the host: refuse windows whose tap count would explode (antialiased
  // linear with a tiny scale).
  int64_t taps = 1;
  Tables t = make_tables(node);
  for (int p : t.per) taps *= p;
  if (taps > 4096) return Support::no(fmt::format("{} taps per output is too many", taps));
  return Support::yes();
}

std::unique_ptr<Kernel> compile_interpolate(const Node& node, OpenClBackend& backend) {
  return std::make_unique<InterpolateKernel>(node, backend);
}

}  // namespace octet
