// Reference PriorBox-1/8 and PriorBoxClustered-1: SSD anchor boxes for every cell of a grid, as
// the OpenVINO op specifications define them (the algorithm of OpenVINO's reference, whose
// f32 arithmetic and emission order are the spec's): output row 0 holds [xmin, ymin, xmax, ymax]
// per box, normalised by the image size; row 1 the variances.
#include <algorithm>
#include <cmath>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

struct Grid {
  int64_t h, w, image_h, image_w;
};

Grid read_grid(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  for (size_t i = 0; i < 2; ++i)
    if (!is_integer(in[i]->type()) || in[i]->element_count() != 2)
      raise(ErrorCode::kModel, "{}: input {} must hold 2 integers, is {} {}", node.describe(), i,
            element_type_name(in[i]->type()), to_string(in[i]->shape()));
  const auto grid = read_ints(*in[0]);
  const auto image = read_ints(*in[1]);
  if (grid[0] <= 0 || grid[1] <= 0 || grid[0] > kMaxDim || grid[1] > kMaxDim)
    raise(ErrorCode::kModel, "{}: output_size [{}, {}] must be positive", node.describe(), grid[0], grid[1]);
  if (image[0] <= 0 || image[1] <= 0)
    raise(ErrorCode::kModel, "{}: image_size [{}, {}] must be positive", node.describe(), image[0], image[1]);
  return {grid[0], grid[1], image[0], image[1]};
}

// Row 1: the variances, one value for every coordinate or four per box; none means 0.1.
void fill_variances(std::vector<float>& out, int64_t row, const std::vector<float>& variance) {
  for (int64_t i = 0; i < row; ++i)
    out[static_cast<size_t>(row + i)] = variance.empty()       ? 0.1f
                                        : variance.size() == 1 ? variance[0]
                                                               : variance[i % 4];
}

}  // namespace

Outputs eval_PriorBox(const Node& node, const Inputs& in) {
  const Grid g = read_grid(node, in);
  const PriorBoxAttrs& a = node.attr<PriorBoxAttrs>();
  const std::vector<float> ratios = a.ordered_aspect_ratios();
  const int64_t priors = a.priors_per_point();
  const int64_t row = 4 * g.h * g.w * priors;
  std::vector<float> out(static_cast<size_t>(2 * row), 0.0f);

  float step = a.step;
  std::vector<float> min_size = a.min_size;
  if (!a.scale_all_sizes) {  // MXNet-style: sizes and step are fractions of the image height
    step = step == -1 ? 1.0f * static_cast<float>(g.image_h) / static_cast<float>(g.h)
                      : step * static_cast<float>(g.image_h);
    for (float& s : min_size) s *= static_cast<float>(g.image_h);
  }
  const float iwi = 1.0f / static_cast<float>(g.image_w), ihi = 1.0f / static_cast<float>(g.image_h);
  const float step_x = step == 0 ? static_cast<float>(g.image_w) / static_cast<float>(g.w) : step;
  const float step_y = step == 0 ? static_cast<float>(g.image_h) / static_cast<float>(g.h) : step;

  size_t idx = 0;
  auto emit = [&](float cx, float cy, float bw, float bh, bool clip) {
    if (idx + 4 > static_cast<size_t>(row))
      raise(ErrorCode::kInternal, "{}: more prior boxes than the output holds", node.describe());
    float v[4] = {(cx - bw) * iwi, (cy - bh) * ihi, (cx + bw) * iwi, (cy + bh) * ihi};
    if (clip) {
      v[0] = std::max(v[0], 0.0f);
      v[1] = std::max(v[1], 0.0f);
      v[2] = std::min(v[2], 1.0f);
      v[3] = std::min(v[3], 1.0f);
    }
    for (float x : v) out[idx++] = x;
  };
  // The densified fixed-size boxes of one grid point: a density x density lattice inside the box.
  auto dense = [&](float cx, float cy, size_t s, float bw, float bh) {
    const int64_t density = static_cast<int64_t>(a.density[s]);
    const uint64_t fixed = static_cast<uint64_t>(a.fixed_size[s]);
    const int64_t shift = static_cast<int64_t>(a.fixed_size[s] / static_cast<float>(density));
    for (int64_t r = 0; r < density; ++r)
      for (int64_t c = 0; c < density; ++c) {
        const float x = cx - static_cast<float>(fixed / 2) + static_cast<float>(shift) / 2.f +
                        static_cast<float>(c * shift);
        const float y = cy - static_cast<float>(fixed / 2) + static_cast<float>(shift) / 2.f +
                        static_cast<float>(r * shift);
        emit(x, y, bw, bh, true);
      }
  };

  for (int64_t h = 0; h < g.h; ++h) {
    for (int64_t w = 0; w < g.w; ++w) {
      float cx, cy;
      if (step == 0) {
        cx = (static_cast<float>(w) + 0.5f) * step_x;
        cy = (static_cast<float>(h) + 0.5f) * step_y;
      } else {
        cx = (a.offset + static_cast<float>(w)) * step;
        cy = (a.offset + static_cast<float>(h)) * step;
      }
      for (size_t s = 0; s < a.fixed_size.size(); ++s) {
        const float half = static_cast<float>(static_cast<uint64_t>(a.fixed_size[s])) * 0.5f;
        if (!a.fixed_ratio.empty()) {
          for (float ar : a.fixed_ratio) {
            const float r = std::sqrt(ar);
            dense(cx, cy, s, a.fixed_size[s] * 0.5f * r, a.fixed_size[s] * 0.5f / r);
          }
          continue;
        }
        if (!a.density.empty()) dense(cx, cy, s, half, half);
        for (float ar : ratios) {
          if (std::fabs(ar - 1.0f) < 1e-6f) continue;
          const float r = std::sqrt(ar);
          dense(cx, cy, s, a.fixed_size[s] * 0.5f * r, a.fixed_size[s] * 0.5f / r);
        }
      }
      for (size_t m = 0; m < min_size.size(); ++m) {
        emit(cx, cy, min_size[m] * 0.5f, min_size[m] * 0.5f, false);
        auto max_box = [&] {
          if (a.max_size.size() <= m) return;
          const float half = std::sqrt(min_size[m] * a.max_size[m]) * 0.5f;
          emit(cx, cy, half, half, false);
        };
        auto ratio_boxes = [&] {
          if (!a.scale_all_sizes && m + 1 != min_size.size()) return;
          const size_t s = a.scale_all_sizes ? m : 0;
          for (float ar : ratios) {
            if (std::fabs(ar - 1.0f) < 1e-6f) continue;
            const float r = std::sqrt(ar);
            emit(cx, cy, min_size[s] * 0.5f * r, min_size[s] * 0.5f / r, false);
          }
        };
        if (a.min_max_aspect_ratios_order) {
          max_box();
          ratio_boxes();
        } else {
          ratio_boxes();
          max_box();
        }
      }
    }
  }
  if (idx != static_cast<size_t>(row))
    raise(ErrorCode::kInternal, "{}: {} prior box values for an output of {}", node.describe(), idx, row);
  if (a.clip)
    for (int64_t i = 0; i < row; ++i)
      out[static_cast<size_t>(i)] = std::min(std::max(out[static_cast<size_t>(i)], 0.0f), 1.0f);
  fill_variances(out, row, a.variance);
  return {make_float_tensor(ElementType::kF32, {2, row}, out)};
}

Outputs eval_PriorBoxClustered(const Node& node, const Inputs& in) {
  const Grid g = read_grid(node, in);
  const PriorBoxClusteredAttrs& a = node.attr<PriorBoxClusteredAttrs>();
  const int64_t priors = static_cast<int64_t>(a.widths.size());
  const int64_t row = 4 * g.h * g.w * priors;
  std::vector<float> out(static_cast<size_t>(2 * row), 0.0f);
  float step_w = a.step_widths == 0 ? a.step : a.step_widths;
  float step_h = a.step_heights == 0 ? a.step : a.step_heights;
  if (step_w == 0 && step_h == 0) {
    step_w = static_cast<float>(g.image_w) / static_cast<float>(g.w);
    step_h = static_cast<float>(g.image_h) / static_cast<float>(g.h);
  }
  const float iw = static_cast<float>(g.image_w), ih = static_cast<float>(g.image_h);
  size_t idx = 0;
  for (int64_t h = 0; h < g.h; ++h)
    for (int64_t w = 0; w < g.w; ++w) {
      const float cx = (static_cast<float>(w) + a.offset) * step_w;
      const float cy = (static_cast<float>(h) + a.offset) * step_h;
      for (int64_t s = 0; s < priors; ++s) {
        const float bw = a.widths[static_cast<size_t>(s)], bh = a.heights[static_cast<size_t>(s)];
        float v[4] = {(cx - bw / 2.0f) / iw, (cy - bh / 2.0f) / ih, (cx + bw / 2.0f) / iw,
                      (cy + bh / 2.0f) / ih};
        for (float x : v) out[idx++] = a.clip ? std::min(std::max(x, 0.0f), 1.0f) : x;
      }
    }
  fill_variances(out, row, a.variances);
  return {make_float_tensor(ElementType::kF32, {2, row}, out)};
}

}  // namespace ref
}  // namespace octet
