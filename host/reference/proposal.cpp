// Reference Proposal-1/4 (OpenVINO op specification; the algorithm of OpenVINO's reference in f32):
// anchors from base_size x ratio x scale at every feature-map cell, shifted by the predicted deltas,
// clipped, boxes smaller than min_size scored 0, the pre_nms_topn best kept, greedy NMS (IoU with the
// Caffe "+1" pixel convention unless framework is tensorflow), post_nms_topn rois per image.
//
// Output rows past the last roi of an image are zero, and the first of them starts with -1.
// Ties: boxes of equal score are ranked by their enumeration index ((h * W + w) * anchors + anchor);
// OpenVINO's reference uses std::partial_sort, which leaves that order unspecified.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

struct Candidate {
  float x0, y0, x1, y1, score;
};

// Anchor corners relative to a cell's origin: [x0 | y0 | x1 | y1] blocks of `count` each.
std::vector<float> anchors(const ProposalAttrs& a) {
  const size_t ratios = a.ratio.size(), scales = a.scale.size(), count = ratios * scales;
  std::vector<float> out(4 * count);
  const float offset = a.tensorflow ? 0.0f : 1.0f;
  const float base = static_cast<float>(a.base_size);
  const float base_area = static_cast<float>(a.base_size * a.base_size);
  const float center = 0.5f * (base - offset);
  for (size_t r = 0; r < ratios; ++r) {
    float rw = std::sqrt(base_area / a.ratio[r]);
    float rh = rw * a.ratio[r];
    if (!a.tensorflow) {
      rw = std::round(rw);
      rh = std::round(rw * a.ratio[r]);
    }
    for (size_t s = 0; s < scales; ++s) {
      const float sw = 0.5f * (rw * a.scale[s] - offset), sh = 0.5f * (rh * a.scale[s] - offset);
      const size_t k = r * scales + s;
      out[k] = center - sw;
      out[count + k] = center - sh;
      out[2 * count + k] = center + sw;
      out[3 * count + k] = center + sh;
      if (a.tensorflow)
        for (size_t j = 0; j < 4; ++j) out[j * count + k] -= base * 0.5f;
    }
  }
  return out;
}

}  // namespace

Outputs eval_Proposal(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const ProposalAttrs& a = node.attr<ProposalAttrs>();
  const ElementType type = in[0]->type();
  for (const Tensor* t : in)
    if (!is_compute_float(t->type()) || t->type() != type) unsupported_type(node, t->type());
  const Dims &ps = in[0]->shape(), &ds = in[1]->shape();
  const int64_t count = static_cast<int64_t>(a.ratio.size() * a.scale.size());
  if (ps.size() != 4 || ds.size() != 4 || ps[1] != 2 * count || ds != Dims{ps[0], 4 * count, ps[2], ps[3]} ||
      (in[2]->element_count() != 3 && in[2]->element_count() != 4))
    raise(ErrorCode::kModel, "{}: inputs {}, {}, {} do not fit {} anchors", node.describe(), to_string(ps),
          to_string(ds), to_string(in[2]->shape()), count);
  const auto probs = read_floats(*in[0]), deltas = read_floats(*in[1]), image = read_floats(*in[2]);
  const int64_t batch = ps[0], fh = ps[2], fw = ps[3], area = fh * fw, total = area * count;
  const int64_t post = a.post_nms_topn, pre = std::min(total, a.pre_nms_topn);
  const float img_h = image[0], img_w = image[1];
  // [height, width, scale] or [height, width, scale_h, scale_w].
  const float scale_h = image[2], scale_w = image.size() == 4 ? image[3] : image[2];
  const float min_h = static_cast<float>(a.min_size) * scale_h,
              min_w = static_cast<float>(a.min_size) * scale_w;
  const float offset = a.tensorflow ? 0.0f : 1.0f;
  const std::vector<float> anchor = anchors(a);

  std::vector<float> rois(static_cast<size_t>(batch * post * 5), 0.0f),
      scores(static_cast<size_t>(batch * post), 0.0f);
  for (int64_t b = 0; b < batch; ++b) {
    std::vector<Candidate> boxes(static_cast<size_t>(total));
    const float* score_map = &probs[static_cast<size_t>((b * 2 * count + count) * area)];  // foreground half
    const float* delta_map = &deltas[static_cast<size_t>(b * 4 * count * area)];
    for (int64_t h = 0; h < fh; ++h)
      for (int64_t w = 0; w < fw; ++w) {
        const float x = static_cast<float>((a.tensorflow ? h : w) * a.feat_stride);
        const float y = static_cast<float>((a.tensorflow ? w : h) * a.feat_stride);
        for (int64_t k = 0; k < count; ++k) {
          const float* d = delta_map + h * fw + w;
          const float dx = d[(k * 4 + 0) * area] / a.box_coordinate_scale;
          const float dy = d[(k * 4 + 1) * area] / a.box_coordinate_scale;
          const float dw = d[(k * 4 + 2) * area] / a.box_size_scale;
          const float dh = d[(k * 4 + 3) * area] / a.box_size_scale;
          float x0 = x + anchor[static_cast<size_t>(k)], y0 = y + anchor[static_cast<size_t>(count + k)];
          float x1 = x + anchor[static_cast<size_t>(2 * count + k)],
                y1 = y + anchor[static_cast<size_t>(3 * count + k)];
          if (a.tensorflow) {
            x0 = std::max(0.0f, std::min(x0, img_w));
            y0 = std::max(0.0f, std::min(y0, img_h));
            x1 = std::max(0.0f, std::min(x1, img_w));
            y1 = std::max(0.0f, std::min(y1, img_h));
          }
          const float ww = x1 - x0 + offset, hh = y1 - y0 + offset;
          const float cx = x0 + 0.5f * ww, cy = y0 + 0.5f * hh;
          const float pcx = dx * ww + cx, pcy = dy * hh + cy;
          const float pw = static_cast<float>(std::exp(static_cast<double>(dw))) * ww;
          const float ph = static_cast<float>(std::exp(static_cast<double>(dh))) * hh;
          x0 = pcx - 0.5f * pw;
          y0 = pcy - 0.5f * ph;
          x1 = pcx + 0.5f * pw;
          y1 = pcy + 0.5f * ph;
          if (a.clip_before_nms) {
            x0 = std::max(0.0f, std::min(x0, img_w - offset));
            y0 = std::max(0.0f, std::min(y0, img_h - offset));
            x1 = std::max(0.0f, std::min(x1, img_w - offset));
            y1 = std::max(0.0f, std::min(y1, img_h - offset));
          }
          const float bw = x1 - x0 + offset, bh = y1 - y0 + offset;
          const float s = score_map[k * area + h * fw + w];
          boxes[static_cast<size_t>((h * fw + w) * count + k)] = {
              x0, y0, x1, y1, (min_w <= bw && min_h <= bh) ? s : 0.0f * s};
        }
      }
    std::vector<int64_t> order(static_cast<size_t>(total));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t i, int64_t j) {
      return boxes[static_cast<size_t>(i)].score > boxes[static_cast<size_t>(j)].score;
    });
    order.resize(static_cast<size_t>(pre));
    // Greedy NMS over the pre_nms_topn best, in score order.
    std::vector<char> dead(order.size(), 0);
    std::vector<int64_t> kept;
    for (size_t i = 0; i < order.size() && static_cast<int64_t>(kept.size()) < post; ++i) {
      if (dead[i]) continue;
      kept.push_back(order[i]);
      if (static_cast<int64_t>(kept.size()) == post) break;
      const Candidate& p = boxes[static_cast<size_t>(order[i])];
      for (size_t j = i + 1; j < order.size(); ++j) {
        const Candidate& q = boxes[static_cast<size_t>(order[j])];
        float iou = 0.0f;
        if (p.x0 <= q.x1 && p.y0 <= q.y1 && q.x0 <= p.x1 && q.y0 <= p.y1) {
          const float iw = std::max(0.0f, std::min(p.x1, q.x1) - std::max(p.x0, q.x0) + offset);
          const float ih = std::max(0.0f, std::min(p.y1, q.y1) - std::max(p.y0, q.y0) + offset);
          const float inter = iw * ih;
          const float pa = (p.x1 - p.x0 + offset) * (p.y1 - p.y0 + offset);
          const float qa = (q.x1 - q.x0 + offset) * (q.y1 - q.y0 + offset);
          iou = inter / (pa + qa - inter);
        }
        if (a.nms_thresh < iou) dead[j] = 1;
      }
    }
    float* out = &rois[static_cast<size_t>(b * post * 5)];
    for (size_t r = 0; r < kept.size(); ++r) {
      Candidate c = boxes[static_cast<size_t>(kept[r])];
      if (a.clip_after_nms) {
        c.x0 = std::max(0.0f, std::min(c.x0, img_w));
        c.y0 = std::max(0.0f, std::min(c.y0, img_h));
        c.x1 = std::max(0.0f, std::min(c.x1, img_w));
        c.y1 = std::max(0.0f, std::min(c.y1, img_h));
      }
      if (a.normalize) {
        c.x0 /= img_w;
        c.y0 /= img_h;
        c.x1 /= img_w;
        c.y1 /= img_h;
      }
      const float row[5] = {static_cast<float>(b), c.x0, c.y0, c.x1, c.y1};
      std::copy(row, row + 5, out + r * 5);
      scores[static_cast<size_t>(b * post) + r] = c.score;
    }
    if (static_cast<int64_t>(kept.size()) < post) out[kept.size() * 5] = -1;
  }
  Outputs result = {make_float_tensor(type, {batch * post, 5}, rois)};
  if (node.version >= 4) result.push_back(make_float_tensor(type, {batch * post}, scores));
  return result;
}

}  // namespace ref
}  // namespace octet
