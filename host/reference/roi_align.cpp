// Reference ROIAlign-3/9 and ROIAlignRotated-15 (OpenVINO op specifications; the sampling grid and
// f32 arithmetic of OpenVINO's reference): each bin of a box averages (or, ROIAlign mode max,
// takes the maximum of, starting from 0) bilinear samples on a sampling_ratio^2 grid (0: ceil of the
// bin size per axis). Samples more than one cell outside the map count as 0; the average divides each
// sample by the sample count before adding, as the reference does.
#include <algorithm>
#include <cmath>
#include <functional>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// A box's sampling space: start and size in feature-map cells, and for rotated boxes the centre
// and angle that map a sampling point into the map.
struct Space {
  float x1, y1, w, h;
  bool rotated = false;
  float cx = 0, cy = 0, cos_a = 1, sin_a = 0;
};

struct Sample {
  int64_t y0, x0, y1, x1;
  float w00, w01, w10, w11;
};

Outputs roi_align(const Node& node, const Inputs& in, int64_t box_size, int64_t pooled_h, int64_t pooled_w,
                  int64_t sampling_ratio, bool max_mode, const std::function<Space(const float*)>& space_of) {
  need_inputs(node, in, 3, 3);
  const Tensor &x = *in[0], &rois = *in[1], &batch = *in[2];
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  if (rois.type() != x.type()) unsupported_type(node, rois.type());
  if (!is_integer(batch.type())) unsupported_type(node, batch.type());
  const Dims& s = x.shape();
  const int64_t count = rois.shape().size() == 2 ? rois.shape()[0] : -1;
  if (s.size() != 4 || count < 0 || rois.shape()[1] != box_size || batch.element_count() != count)
    raise(ErrorCode::kModel, "{}: inputs {}, {}, {} must be [N, C, H, W], [R, {}], [R]", node.describe(),
          to_string(s), to_string(rois.shape()), to_string(batch.shape()), box_size);
  const int64_t C = s[1], H = s[2], W = s[3];
  const auto data = read_floats(x), boxes = read_floats(rois);
  const auto ids = read_ints(batch);
  std::vector<float> y(static_cast<size_t>(count * C * pooled_h * pooled_w), 0.0f);
  for (int64_t r = 0; r < count; ++r) {
    const int64_t b = ids[static_cast<size_t>(r)];
    if (b < 0 || b >= s[0])
      raise(ErrorCode::kModel, "{}: batch index {} of box {} is outside [0, {})", node.describe(), b, r,
            s[0]);
    const Space sp = space_of(&boxes[static_cast<size_t>(r * box_size)]);
    const float bin_w = sp.w / static_cast<float>(pooled_w), bin_h = sp.h / static_cast<float>(pooled_h);
    const int64_t sx_n = sampling_ratio == 0 ? static_cast<int64_t>(std::ceil(bin_w)) : sampling_ratio;
    const int64_t sy_n = sampling_ratio == 0 ? static_cast<int64_t>(std::ceil(bin_h)) : sampling_ratio;
    if (sx_n < 0 || sy_n < 0) raise(ErrorCode::kModel, "{}: box {} has a negative size", node.describe(), r);
    const int64_t samples = sx_n * sy_n;
    const float dist_x = bin_w / static_cast<float>(sx_n), dist_y = bin_h / static_cast<float>(sy_n);
    // The samples of every bin, shared by all channels.
    std::vector<Sample> grid;
    grid.reserve(static_cast<size_t>(pooled_h * pooled_w * samples));
    for (int64_t by = 0; by < pooled_h; ++by)
      for (int64_t bx = 0; bx < pooled_w; ++bx)
        for (int64_t iy = 0; iy < sy_n; ++iy) {
          const float pre_y =
              sp.y1 + static_cast<float>(by) * bin_h + dist_y * (static_cast<float>(iy) + 0.5f);
          for (int64_t ix = 0; ix < sx_n; ++ix) {
            const float pre_x =
                sp.x1 + static_cast<float>(bx) * bin_w + dist_x * (static_cast<float>(ix) + 0.5f);
            float sx = pre_x, sy = pre_y;
            if (sp.rotated) {
              sy = pre_y * sp.cos_a - pre_x * sp.sin_a + sp.cy;
              sx = pre_y * sp.sin_a + pre_x * sp.cos_a + sp.cx;
            }
            if (sx < -1.0f || sx > static_cast<float>(W) || sy < -1.0f || sy > static_cast<float>(H)) {
              grid.push_back({0, 0, 0, 0, 0, 0, 0, 0});
              continue;
            }
            sx = std::max(sx, 0.0f);
            sy = std::max(sy, 0.0f);
            int64_t y0 = static_cast<int64_t>(sy), x0 = static_cast<int64_t>(sx), y1, x1;
            if (y0 >= H - 1) {
              y1 = y0 = H - 1;
              sy = static_cast<float>(y0);
            } else {
              y1 = y0 + 1;
            }
            if (x0 >= W - 1) {
              x1 = x0 = W - 1;
              sx = static_cast<float>(x0);
            } else {
              x1 = x0 + 1;
            }
            const float ly = sy - static_cast<float>(y0), lx = sx - static_cast<float>(x0);
            const float hy = 1.0f - ly, hx = 1.0f - lx;
            grid.push_back({y0, x0, y1, x1, hy * hx, hy * lx, ly * hx, ly * lx});
          }
        }
    for (int64_t c = 0; c < C; ++c) {
      const float* plane = &data[static_cast<size_t>((b * C + c) * H * W)];
      size_t k = 0;
      for (int64_t bin = 0; bin < pooled_h * pooled_w; ++bin) {
        float pooled = 0;
        for (int64_t i = 0; i < samples; ++i, ++k) {
          const Sample& p = grid[k];
          const float v = p.w00 * plane[p.y0 * W + p.x0] + p.w01 * plane[p.y0 * W + p.x1] +
                          p.w10 * plane[p.y1 * W + p.x0] + p.w11 * plane[p.y1 * W + p.x1];
          if (max_mode)
            pooled = v > pooled ? v : pooled;
          else
            pooled += v / static_cast<float>(samples);
        }
        y[static_cast<size_t>((r * C + c) * pooled_h * pooled_w + bin)] = pooled;
      }
    }
  }
  return {make_float_tensor(x.type(), {count, C, pooled_h, pooled_w}, y)};
}

}  // namespace

Outputs eval_ROIAlign(const Node& node, const Inputs& in) {
  const RoiAlignAttrs& a = node.attr<RoiAlignAttrs>();
  // half_pixel_for_nn shifts the scaled box by -0.5; half_pixel also shifts the input box by +0.5.
  const float src = a.aligned_mode == RoiAlignedMode::kHalfPixel ? 0.5f : 0.0f;
  const float dst = a.aligned_mode == RoiAlignedMode::kAsymmetric ? 0.0f : -0.5f;
  const bool aligned = a.aligned_mode != RoiAlignedMode::kAsymmetric;
  const float scale = a.spatial_scale;
  return roi_align(node, in, 4, a.pooled_h, a.pooled_w, a.sampling_ratio, a.mode == RoiAlignMode::kMax,
                   [&](const float* box) {
                     const float x1 = (box[0] + src) * scale + dst, y1 = (box[1] + src) * scale + dst;
                     const float x2 = (box[2] + src) * scale + dst, y2 = (box[3] + src) * scale + dst;
                     float w = x2 - x1, h = y2 - y1;
                     if (!aligned) {  // asymmetric boxes are at least one cell
                       w = std::max(w, 1.0f);
                       h = std::max(h, 1.0f);
                     }
                     return Space{x1, y1, w, h};
                   });
}

// Boxes [cx, cy, w, h, angle]: sampled in the box's own frame, centred, and rotated into the map by
// the angle (radians, counterclockwise; clockwise_mode negates it).
Outputs eval_ROIAlignRotated(const Node& node, const Inputs& in) {
  const RoiAlignRotatedAttrs& a = node.attr<RoiAlignRotatedAttrs>();
  const float scale = a.spatial_scale;
  return roi_align(node, in, 5, a.pooled_h, a.pooled_w, a.sampling_ratio, false, [&](const float* box) {
    Space sp{};
    sp.rotated = true;
    sp.cx = box[0] * scale - 0.5f;
    sp.cy = box[1] * scale - 0.5f;
    sp.w = box[2] * scale;
    sp.h = box[3] * scale;
    const double angle = a.clockwise ? -static_cast<double>(box[4]) : static_cast<double>(box[4]);
    sp.cos_a = static_cast<float>(std::cos(angle));
    sp.sin_a = static_cast<float>(std::sin(angle));
    sp.x1 = -sp.w / 2.0f;
    sp.y1 = -sp.h / 2.0f;
    return sp;
  });
}

}  // namespace ref
}  // namespace octet
