// Reference ROIPooling-2, PSROIPooling-1 and DeformablePSROIPooling-1 (OpenVINO op specifications;
// the bin geometry and f32 arithmetic of OpenVINO's reference implementations). Boxes are
// [batch_id, x1, y1, x2, y2]; a batch id outside [0, N) is refused (DeformablePSROIPooling: a
// negative one leaves the box's output zero, as the spec says).
#include <algorithm>
#include <cmath>
#include <limits>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

struct Maps {
  int64_t n, c, h, w;
};

Maps check_maps(const Node& node, const Inputs& in, int64_t box_size) {
  const Tensor &x = *in[0], &rois = *in[1];
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  if (rois.type() != x.type()) unsupported_type(node, rois.type());
  const Dims& s = x.shape();
  if (s.size() != 4 || rois.shape().size() != 2 || rois.shape()[1] != box_size)
    raise(ErrorCode::kModel, "{}: feature maps {} and rois {} must be [N, C, H, W] and [R, {}]",
          node.describe(), to_string(s), to_string(rois.shape()), box_size);
  return {s[0], s[1], s[2], s[3]};
}

int64_t batch_of(const Node& node, float id, int64_t n) {
  const int64_t b = static_cast<int64_t>(id);
  if (!(id >= 0) || b >= n)
    raise(ErrorCode::kModel, "{}: roi batch id {} is outside [0, {})", node.describe(), id, n);
  return b;
}

}  // namespace

Outputs eval_ROIPooling(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Maps m = check_maps(node, in, 5);
  const RoiPoolingAttrs& a = node.attr<RoiPoolingAttrs>();
  const auto x = read_floats(*in[0]), rois = read_floats(*in[1]);
  const int64_t count = in[1]->shape()[0], ph_n = a.pooled_h, pw_n = a.pooled_w;
  const float scale = a.spatial_scale;
  std::vector<float> y(static_cast<size_t>(count * m.c * ph_n * pw_n), 0.0f);
  for (int64_t r = 0; r < count; ++r) {
    const float* box = &rois[static_cast<size_t>(r * 5)];
    const int64_t b = batch_of(node, box[0], m.n);
    float* out = &y[static_cast<size_t>(r * m.c * ph_n * pw_n)];
    if (a.method == RoiPoolingMethod::kMax) {
      // Box corners rounded to cells (half away from zero); an inverted box counts as 1x1.
      const int64_t x1 = static_cast<int64_t>(std::round(box[1] * scale));
      const int64_t y1 = static_cast<int64_t>(std::round(box[2] * scale));
      const int64_t x2 = static_cast<int64_t>(std::round(box[3] * scale));
      const int64_t y2 = static_cast<int64_t>(std::round(box[4] * scale));
      const int64_t rh = std::max<int64_t>(y2 - y1 + 1, 1), rw = std::max<int64_t>(x2 - x1 + 1, 1);
      const float bin_h = static_cast<float>(rh) / static_cast<float>(ph_n);
      const float bin_w = static_cast<float>(rw) / static_cast<float>(pw_n);
      for (int64_t c = 0; c < m.c; ++c) {
        const float* plane = &x[static_cast<size_t>((b * m.c + c) * m.h * m.w)];
        for (int64_t ph = 0; ph < ph_n; ++ph)
          for (int64_t pw = 0; pw < pw_n; ++pw) {
            auto clamp = [](int64_t v, int64_t hi) { return std::min(std::max(v, int64_t{0}), hi); };
            const int64_t hs =
                clamp(static_cast<int64_t>(std::floor(static_cast<float>(ph) * bin_h)) + y1, m.h);
            const int64_t ws =
                clamp(static_cast<int64_t>(std::floor(static_cast<float>(pw) * bin_w)) + x1, m.w);
            const int64_t he =
                clamp(static_cast<int64_t>(std::ceil(static_cast<float>(ph + 1) * bin_h)) + y1, m.h);
            const int64_t we =
                clamp(static_cast<int64_t>(std::ceil(static_cast<float>(pw + 1) * bin_w)) + x1, m.w);
            // An empty bin is zero.
            float v = he <= hs || we <= ws ? 0.0f : std::numeric_limits<float>::lowest();
            for (int64_t h = hs; h < he; ++h)
              for (int64_t w = ws; w < we; ++w) v = std::max(plane[h * m.w + w], v);
            out[(c * ph_n + ph) * pw_n + pw] = v;
          }
      }
      continue;
    }
    // Bilinear: box corners are normalised to [0, 1]; bin centres span the box edge to edge.
    const float x1 = box[1], y1 = box[2], x2 = box[3], y2 = box[4];
    const float rh = (y2 - y1) * static_cast<float>(m.h - 1), rw = (x2 - x1) * static_cast<float>(m.w - 1);
    const float sh = ph_n > 1 ? rh / static_cast<float>(ph_n - 1) : 0.0f;
    const float sw = pw_n > 1 ? rw / static_cast<float>(pw_n - 1) : 0.0f;
    for (int64_t c = 0; c < m.c; ++c) {
      const float* plane = &x[static_cast<size_t>((b * m.c + c) * m.h * m.w)];
      for (int64_t ph = 0; ph < ph_n; ++ph)
        for (int64_t pw = 0; pw < pw_n; ++pw) {
          // The last bin sits exactly on the box edge (no accumulated rounding).
          const float iy =
              ph_n > 1 ? (ph == ph_n - 1 ? static_cast<float>(m.h - 1) * y2
                                         : static_cast<float>(ph) * sh + y1 * static_cast<float>(m.h - 1))
                       : static_cast<float>(0.5 * (y1 + y2) * static_cast<double>(m.h - 1));
          const float ix =
              pw_n > 1 ? (pw == pw_n - 1 ? static_cast<float>(m.w - 1) * x2
                                         : static_cast<float>(pw) * sw + x1 * static_cast<float>(m.w - 1))
                       : static_cast<float>(0.5 * (x2 + x1) * static_cast<double>(m.w - 1));
          float& o = out[(c * ph_n + ph) * pw_n + pw];
          if (iy < 0 || iy > static_cast<float>(m.h - 1) || ix < 0 || ix > static_cast<float>(m.w - 1)) {
            o = 0;
            continue;
          }
          const int64_t top = static_cast<int64_t>(std::floor(iy)),
                        left = static_cast<int64_t>(std::floor(ix));
          const int64_t bottom = std::min(static_cast<int64_t>(std::ceil(iy)), m.h - 1);
          const int64_t right = std::min(static_cast<int64_t>(std::ceil(ix)), m.w - 1);
          const float tl = plane[top * m.w + left], tr = plane[top * m.w + right];
          const float bl = plane[bottom * m.w + left], br = plane[bottom * m.w + right];
          const float t = tl + (tr - tl) * (ix - static_cast<float>(left));
          const float bo = bl + (br - bl) * (ix - static_cast<float>(left));
          o = t + (bo - t) * (iy - static_cast<float>(top));
        }
    }
  }
  return {make_float_tensor(in[0]->type(), {count, m.c, ph_n, pw_n}, y)};
}

Outputs eval_PSROIPooling(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Maps m = check_maps(node, in, 5);
  const PsRoiPoolingAttrs& a = node.attr<PsRoiPoolingAttrs>();
  const bool avg = a.mode == PsRoiMode::kAverage;
  const int64_t g = a.group_size, bx = a.spatial_bins_x, by = a.spatial_bins_y, cout = a.output_dim;
  if (m.c != (avg ? cout * g * g : cout * bx * by))
    raise(ErrorCode::kModel, "{}: {} input channels do not fit output_dim {}", node.describe(), m.c, cout);
  const auto x = read_floats(*in[0]), rois = read_floats(*in[1]);
  const int64_t count = in[1]->shape()[0];
  const float scale = a.spatial_scale;
  const int64_t H = m.h, W = m.w;
  std::vector<float> y(static_cast<size_t>(count * cout * g * g), 0.0f);
  for (int64_t r = 0; r < count; ++r) {
    const float* box = &rois[static_cast<size_t>(r * 5)];
    const int64_t b = batch_of(node, box[0], m.n);
    float sw, sh, ew, eh;
    if (avg) {  // whole cells: the box corners rounded, the end cell included
      sw = std::round(box[1]) * scale;
      sh = std::round(box[2]) * scale;
      ew = (std::round(box[3]) + 1.0f) * scale;
      eh = (std::round(box[4]) + 1.0f) * scale;
    } else {
      sw = box[1] * scale;
      sh = box[2] * scale;
      ew = box[3] * scale;
      eh = box[4] * scale;
    }
    const float box_w = ew - sw, box_h = eh - sh;
    float bin_w = box_w / static_cast<float>(g), bin_h = box_h / static_cast<float>(g);
    float width_scale = 0, height_scale = 0;
    if (!avg) {
      bin_w = box_w / static_cast<float>(bx);
      bin_h = box_h / static_cast<float>(by);
      if (g > 1) {
        width_scale = bin_w * static_cast<float>(W - 1) / static_cast<float>(g - 1);
        height_scale = bin_h * static_cast<float>(H - 1) / static_cast<float>(g - 1);
      }
    }
    int64_t c_in = 0;
    for (int64_t co = 0; co < cout; ++co)
      for (int64_t ph = 0; ph < g; ++ph)
        for (int64_t pw = 0; pw < g; ++pw) {
          float& o = y[static_cast<size_t>(((r * cout + co) * g + ph) * g + pw)];
          if (avg) {
            // Bin cells [floor(start), ceil(end)) clipped to the map; the start is kept inside it.
            auto start = [](float v, int64_t size) {
              return v < 0 ? int64_t{0} : std::min(static_cast<int64_t>(std::floor(v)), size - 1);
            };
            const int64_t ws = start(sw + static_cast<float>(pw) * bin_w, W);
            const int64_t hs = start(sh + static_cast<float>(ph) * bin_h, H);
            const int64_t we =
                std::min(static_cast<int64_t>(std::ceil(sw + static_cast<float>(pw + 1) * bin_w)), W);
            const int64_t he =
                std::min(static_cast<int64_t>(std::ceil(sh + static_cast<float>(ph + 1) * bin_h)), H);
            const float* plane = &x[static_cast<size_t>((b * m.c + c_in) * H * W)];
            float sum = 0;
            for (int64_t h = hs; h < he; ++h)
              for (int64_t w = ws; w < we; ++w) sum += plane[h * W + w];
            const int64_t cells = (he - hs) * (we - ws);
            o = cells > 0 ? sum / static_cast<float>(cells) : 0.0f;
            ++c_in;
            continue;
          }
          // Bilinear: one sample per spatial bin, each from its own channel group, averaged.
          float acc = 0;
          int64_t bin = 0;
          for (int64_t sby = 0; sby < by; ++sby)
            for (int64_t sbx = 0; sbx < bx; ++sbx, ++bin) {
              const float bsw = sw + static_cast<float>(sbx) * bin_w,
                          bsh = sh + static_cast<float>(sby) * bin_h;
              const float* plane = &x[static_cast<size_t>((b * m.c + bin * cout + co) * H * W)];
              const float px = g > 1 ? static_cast<float>(pw) * width_scale + bsw * static_cast<float>(W - 1)
                                     : (bsw + bsw + bin_w) * static_cast<float>(W - 1) / 2;
              const float py = g > 1 ? static_cast<float>(ph) * height_scale + bsh * static_cast<float>(H - 1)
                                     : (bsh + bsh + bin_h) * static_cast<float>(H - 1) / 2;
              if (!(px < static_cast<float>(W) && py < static_cast<float>(H) && px >= 0 && py >= 0)) continue;
              const int64_t left = static_cast<int64_t>(std::floor(px)),
                            top = static_cast<int64_t>(std::floor(py));
              const int64_t right = std::min(static_cast<int64_t>(std::ceil(px)), W - 1);
              const int64_t bottom = std::min(static_cast<int64_t>(std::ceil(py)), H - 1);
              const float tl = plane[top * W + left], tr = plane[top * W + right];
              const float bl = plane[bottom * W + left], br = plane[bottom * W + right];
              const float t = tl + (tr - tl) * (px - static_cast<float>(left));
              const float bo = bl + (br - bl) * (px - static_cast<float>(left));
              acc += t + (bo - t) * (py - static_cast<float>(top));
            }
          o = acc / static_cast<float>(bx * by);
        }
  }
  return {make_float_tensor(in[0]->type(), {count, cout, g, g}, y)};
}

Outputs eval_DeformablePSROIPooling(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 3);
  const Maps m = check_maps(node, in, 5);
  const DeformablePsRoiPoolingAttrs& a = node.attr<DeformablePsRoiPoolingAttrs>();
  const int64_t g = a.group_size, cout = a.output_dim, part = a.part_size;
  if (m.c != cout * g * g)
    raise(ErrorCode::kModel, "{}: {} input channels must be output_dim * group_size^2", node.describe(), m.c);
  const auto x = read_floats(*in[0]), rois = read_floats(*in[1]);
  std::vector<float> offsets;
  int64_t offset_classes = 0;
  const int64_t count = in[1]->shape()[0];
  if (in.size() == 3) {
    if (in[2]->type() != in[0]->type()) unsupported_type(node, in[2]->type());
    const Dims& os = in[2]->shape();
    if (os.size() != 4 || os[0] != count || os[1] % 2 != 0 || os[1] == 0 || cout % (os[1] / 2) != 0 ||
        os[2] != part || os[3] != part)
      raise(ErrorCode::kModel, "{}: offsets {} do not fit", node.describe(), to_string(os));
    offsets = read_floats(*in[2]);
    offset_classes = os[1] / 2;
  }
  const float scale = a.spatial_scale;
  const int64_t H = m.h, W = m.w;
  std::vector<float> y(static_cast<size_t>(count * cout * g * g), 0.0f);
  for (int64_t r = 0; r < count; ++r) {
    const float* box = &rois[static_cast<size_t>(r * 5)];
    const int64_t b = static_cast<int64_t>(box[0]);
    if (b < 0) continue;
    if (b >= m.n)
      raise(ErrorCode::kModel, "{}: roi batch id {} is outside [0, {})", node.describe(), box[0], m.n);
    const float x1 = std::round(box[1]) * scale - 0.5f, y1 = std::round(box[2]) * scale - 0.5f;
    const float x2 = (std::round(box[3]) + 1.0f) * scale - 0.5f,
                y2 = (std::round(box[4]) + 1.0f) * scale - 0.5f;
    const float rw = std::max(x2 - x1, 0.1f), rh = std::max(y2 - y1, 0.1f);
    const float bin_w = rw / static_cast<float>(g), bin_h = rh / static_cast<float>(g);
    int64_t c_in = 0;
    for (int64_t co = 0; co < cout; ++co)
      for (int64_t ph = 0; ph < g; ++ph)
        for (int64_t pw = 0; pw < g; ++pw, ++c_in) {
          float bx1 = x1 + static_cast<float>(pw) * bin_w, by1 = y1 + static_cast<float>(ph) * bin_h;
          if (!offsets.empty()) {
            const int64_t per_class = cout / offset_classes, cls = co / per_class;
            const int64_t ow = pw * part / g, oh = ph * part / g;
            const int64_t ch = (r * offset_classes + cls) * 2;
            const float dx = offsets[static_cast<size_t>((ch * part + oh) * part + ow)] * a.trans_std;
            const float dy = offsets[static_cast<size_t>(((ch + 1) * part + oh) * part + ow)] * a.trans_std;
            bx1 += dx * rw;
            by1 += dy * rh;
          }
          const float sub_w = bin_w / static_cast<float>(a.spatial_bins_x);
          const float sub_h = bin_h / static_cast<float>(a.spatial_bins_y);
          const float* plane = &x[static_cast<size_t>((b * m.c + c_in) * H * W)];
          float sum = 0;
          int64_t n = 0;
          for (int64_t sy = 0; sy < a.spatial_bins_y; ++sy) {
            float py = by1 + static_cast<float>(sy) * sub_h;
            if (py < -0.5f || py > static_cast<float>(H) - 0.5f) continue;
            py = std::min(std::max(py, 0.0f), static_cast<float>(H) - 1.0f);
            for (int64_t sx = 0; sx < a.spatial_bins_x; ++sx) {
              float px = bx1 + static_cast<float>(sx) * sub_w;
              if (px < -0.5f || px > static_cast<float>(W) - 0.5f) continue;
              px = std::min(std::max(px, 0.0f), static_cast<float>(W) - 1.0f);
              const int64_t left = static_cast<int64_t>(std::floor(px)),
                            right = static_cast<int64_t>(std::ceil(px));
              const int64_t top = static_cast<int64_t>(std::floor(py)),
                            bottom = static_cast<int64_t>(std::ceil(py));
              const float tl = plane[top * W + left], tr = plane[top * W + right];
              const float bl = plane[bottom * W + left], br = plane[bottom * W + right];
              const float dx = std::fabs(px - static_cast<float>(left)),
                          dy = std::fabs(py - static_cast<float>(top));
              const float t = tl + (tr - tl) * dx, bo = bl + (br - bl) * dx;
              sum += t + (bo - t) * dy;
              ++n;
            }
          }
          if (n) y[static_cast<size_t>(((r * cout + co) * g + ph) * g + pw)] = sum / static_cast<float>(n);
        }
  }
  return {make_float_tensor(in[0]->type(), {count, cout, g, g}, y)};
}

}  // namespace ref
}  // namespace octet
