// Reference DetectionOutput-1/8 (OpenVINO op specification; the algorithm of OpenVINO's reference
// implementation, in f32): decode the box predictions against the prior boxes, per-class greedy NMS
// (Caffe style) or one best class per prior (MXNet style, decrease_label_id), keep the keep_top_k
// best per image, and write [image, label, score, xmin, ymin, xmax, ymax] rows.
//
// Row order: per image, labels ascending; within a label, descending score (NMS order). Rows past
// the last detection are zero, except that the first of them has image id -1 (the end marker).
// Ties: candidates of equal score are taken in ascending prior index (NMS); in the keep_top_k cut
// equal scores keep the order label ascending, then NMS order (a stable sort; OpenVINO's reference
// leaves pairs of equal score and prior index in unspecified order).
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

struct Box {
  float xmin = 0, ymin = 0, xmax = 0, ymax = 0;
};
using LabelBoxes = std::map<int64_t, std::vector<Box>>;

float clip01(float v) {
  return std::max(0.0f, std::min(1.0f, v));
}

float box_size(const Box& b) {
  if (b.xmax < b.xmin || b.ymax < b.ymin) return 0;
  return (b.xmax - b.xmin) * (b.ymax - b.ymin);
}

float jaccard(const Box& a, const Box& b) {
  if (b.xmin > a.xmax || b.xmax < a.xmin || b.ymin > a.ymax || b.ymax < a.ymin) return 0;
  const float w = std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin);
  const float h = std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin);
  if (!(w > 0 && h > 0)) return 0;
  const float inter = w * h;
  return inter / (box_size(a) + box_size(b) - inter);
}

class Detector {
 public:
  Detector(const Node& node, const Inputs& in) : a_(node.attr<DetectionOutputAttrs>()) {
    const Dims &loc = in[0]->shape(), &conf = in[1]->shape(), &prior = in[2]->shape();
    if (loc.size() != 2 || conf.size() != 2 || prior.size() != 3)
      raise(ErrorCode::kModel, "{}: inputs {}, {}, {} must have ranks 2, 2, 3", node.describe(),
            to_string(loc), to_string(conf), to_string(prior));
    images_ = loc[0];
    prior_size_ = a_.normalized ? 4 : 5;
    priors_ = prior[2] / prior_size_;
    prior_batches_ = prior[0];
    classes_ = node.version >= 8 ? (priors_ > 0 ? conf[1] / priors_ : 0) : a_.num_classes;
    loc_classes_ = a_.share_location ? 1 : classes_;
    if (priors_ <= 0 || classes_ <= 0 || prior[2] != priors_ * prior_size_ || conf[0] != images_ ||
        conf[1] != priors_ * classes_ || loc[1] != priors_ * loc_classes_ * 4 ||
        (prior_batches_ != 1 && prior_batches_ != images_) ||
        prior[1] != (a_.variance_encoded_in_target ? 1 : 2))
      raise(ErrorCode::kModel, "{}: inputs {}, {}, {} do not agree on the prior boxes and classes",
            node.describe(), to_string(loc), to_string(conf), to_string(prior));
    if (in.size() == 5 && (in[3]->shape() != Dims{images_, priors_ * 2} || in[4]->shape() != loc))
      raise(ErrorCode::kModel, "{}: aux inputs {}, {} do not fit", node.describe(), to_string(in[3]->shape()),
            to_string(in[4]->shape()));
    if (a_.keep_top_k[0] > 0)
      rows_ = images_ * a_.keep_top_k[0];
    else if (a_.top_k > 0)
      rows_ = images_ * a_.top_k * classes_;
    else
      rows_ = images_ * priors_ * classes_;
  }

  Tensor run(const Inputs& in, ElementType type) {
    const auto loc = read_floats(*in[0]), conf = read_floats(*in[1]), prior = read_floats(*in[2]);
    const bool arm = in.size() == 5;
    std::vector<float> arm_conf, arm_loc;
    if (arm) {
      arm_conf = read_floats(*in[3]);
      arm_loc = read_floats(*in[4]);
    }
    std::vector<float> out(static_cast<size_t>(rows_ * 7), 0.0f);
    int64_t count = 0;
    for (int64_t i = 0; i < images_; ++i) {
      const int64_t pb = prior_batches_ == 1 ? 0 : i;
      std::vector<Box> prior_boxes;
      std::vector<std::array<float, 4>> variances;
      read_priors(prior, pb, prior_boxes, variances);
      // scores[c][p]
      std::vector<std::vector<float>> scores(static_cast<size_t>(classes_), std::vector<float>(priors_));
      for (int64_t p = 0; p < priors_; ++p) {
        const bool background_only =
            arm && arm_conf[static_cast<size_t>((i * priors_ + p) * 2 + 1)] < a_.objectness_score;
        for (int64_t c = 0; c < classes_; ++c)
          scores[c][p] = background_only ? (c == a_.background_label_id ? 1.0f : 0.0f)
                                         : conf[static_cast<size_t>((i * priors_ + p) * classes_ + c)];
      }
      LabelBoxes decoded;
      for (int64_t c = 0; c < loc_classes_; ++c) {
        const int64_t label = a_.share_location ? -1 : c;
        if (a_.background_label_id > -1 && label == a_.background_label_id) continue;
        std::vector<Box> base = prior_boxes;
        if (arm) base = decode(prior_boxes, variances, predictions(arm_loc, i, c));
        decoded[label] = decode(base, variances, predictions(loc, i, c));
      }
      std::map<int64_t, std::vector<int64_t>> indices;
      int64_t detections = 0;
      if (!a_.decrease_label_id) {
        for (int64_t c = 0; c < classes_; ++c) {
          if (c == a_.background_label_id) continue;
          const auto boxes = decoded.find(a_.share_location ? -1 : c);
          if (boxes == decoded.end()) continue;
          caffe_nms(boxes->second, scores[c], indices[c]);
          detections += static_cast<int64_t>(indices[c].size());
        }
      } else {
        mxnet_nms(decoded, scores, indices);
        for (const auto& kv : indices) detections += static_cast<int64_t>(kv.second.size());
      }
      if (a_.keep_top_k[0] > -1 && detections > a_.keep_top_k[0]) {
        std::vector<std::pair<float, std::pair<int64_t, int64_t>>> pairs;
        for (const auto& [label, idx] : indices)
          for (int64_t p : idx) pairs.push_back({scores[label][p], {label, p}});
        std::stable_sort(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) {
          return x.first > y.first || (x.first == y.first && x.second.second < y.second.second);
        });
        pairs.resize(static_cast<size_t>(a_.keep_top_k[0]));
        indices.clear();
        for (const auto& pr : pairs) indices[pr.second.first].push_back(pr.second.second);
      }
      for (const auto& [label, idx] : indices) {
        const auto boxes = decoded.find(a_.share_location ? -1 : label);
        if (boxes == decoded.end()) continue;
        for (int64_t p : idx) {
          Box b = boxes->second[static_cast<size_t>(p)];
          if (a_.clip_after_nms) b = {clip01(b.xmin), clip01(b.ymin), clip01(b.xmax), clip01(b.ymax)};
          float* row = &out[static_cast<size_t>(count * 7)];
          row[0] = static_cast<float>(i);
          row[1] = static_cast<float>(a_.decrease_label_id ? label - 1 : label);
          row[2] = scores[label][p];
          row[3] = b.xmin;
          row[4] = b.ymin;
          row[5] = b.xmax;
          row[6] = b.ymax;
          ++count;
        }
      }
    }
    if (count < rows_) out[static_cast<size_t>(count * 7)] = -1;
    return make_float_tensor(type, {1, 1, rows_, 7}, out);
  }

 private:
  void read_priors(const std::vector<float>& prior, int64_t batch, std::vector<Box>& boxes,
                   std::vector<std::array<float, 4>>& variances) const {
    const int64_t stride = (a_.variance_encoded_in_target ? 1 : 2) * priors_ * prior_size_;
    const float* data = &prior[static_cast<size_t>(batch * stride)];
    const int64_t offset = a_.normalized ? 0 : 1;
    for (int64_t p = 0; p < priors_; ++p) {
      const float* b = data + p * prior_size_ + offset;
      boxes.push_back({b[0], b[1], b[2], b[3]});
      if (a_.variance_encoded_in_target) continue;
      const float* v = data + priors_ * prior_size_ + p * 4;
      variances.push_back({v[0], v[1], v[2], v[3]});
    }
  }

  // The box predictions of image i and location class c.
  std::vector<Box> predictions(const std::vector<float>& loc, int64_t i, int64_t c) const {
    std::vector<Box> boxes(static_cast<size_t>(priors_));
    for (int64_t p = 0; p < priors_; ++p) {
      const float* b = &loc[static_cast<size_t>(((i * priors_ + p) * loc_classes_ + c) * 4)];
      boxes[static_cast<size_t>(p)] = {b[0], b[1], b[2], b[3]};
    }
    return boxes;
  }

  std::vector<Box> decode(const std::vector<Box>& priors, const std::vector<std::array<float, 4>>& variances,
                          const std::vector<Box>& pred) const {
    std::vector<Box> out(priors.size());
    for (size_t p = 0; p < priors.size(); ++p) {
      Box pr = priors[p];
      if (!a_.normalized) {
        pr.xmin /= static_cast<float>(a_.input_width);
        pr.ymin /= static_cast<float>(a_.input_height);
        pr.xmax /= static_cast<float>(a_.input_width);
        pr.ymax /= static_cast<float>(a_.input_height);
      }
      const std::array<float, 4> v =
          a_.variance_encoded_in_target ? std::array<float, 4>{1, 1, 1, 1} : variances[p];
      const Box& d = pred[p];
      Box& o = out[p];
      if (a_.code_type == BoxCode::kCorner) {
        // Without variances the prediction is added as it is (v == 1 multiplies exactly).
        o = {pr.xmin + v[0] * d.xmin, pr.ymin + v[1] * d.ymin, pr.xmax + v[2] * d.xmax,
             pr.ymax + v[3] * d.ymax};
      } else {
        const float pw = pr.xmax - pr.xmin, ph = pr.ymax - pr.ymin;
        const float pcx = (pr.xmin + pr.xmax) / 2, pcy = (pr.ymin + pr.ymax) / 2;
        const float cx = v[0] * d.xmin * pw + pcx, cy = v[1] * d.ymin * ph + pcy;
        const float w = static_cast<float>(std::exp(static_cast<double>(v[2] * d.xmax))) * pw;
        const float h = static_cast<float>(std::exp(static_cast<double>(v[3] * d.ymax))) * ph;
        o = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
      }
      if (a_.clip_before_nms) o = {clip01(o.xmin), clip01(o.ymin), clip01(o.xmax), clip01(o.ymax)};
    }
    return out;
  }

  // Candidates above confidence_threshold by descending score (ties: lower prior first), the
  // first top_k of them, then greedy suppression of overlaps above nms_threshold.
  void caffe_nms(const std::vector<Box>& boxes, const std::vector<float>& scores,
                 std::vector<int64_t>& kept) const {
    std::vector<std::pair<float, int64_t>> order;
    for (size_t p = 0; p < scores.size(); ++p)
      if (scores[p] > a_.confidence_threshold) order.push_back({scores[p], static_cast<int64_t>(p)});
    std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
      return x.first > y.first || (x.first == y.first && x.second < y.second);
    });
    if (a_.top_k > -1 && static_cast<size_t>(a_.top_k) < order.size())
      order.resize(static_cast<size_t>(a_.top_k));
    for (const auto& [score, p] : order) {
      bool keep = true;
      for (int64_t k : kept)
        if (jaccard(boxes[static_cast<size_t>(p)], boxes[static_cast<size_t>(k)]) > a_.nms_threshold) {
          keep = false;
          break;
        }
      if (keep) kept.push_back(p);
    }
  }

  // MXNet: each prior's best non-background class (class 0 never counts; the first of equal
  // scores wins) at or above confidence_threshold, NMS within each class.
  void mxnet_nms(const LabelBoxes& decoded, const std::vector<std::vector<float>>& scores,
                 std::map<int64_t, std::vector<int64_t>>& indices) const {
    std::vector<std::pair<float, std::pair<int64_t, int64_t>>> order;
    for (int64_t p = 0; p < priors_; ++p) {
      float best = -1;
      int64_t id = 0;
      for (int64_t c = 1; c < classes_; ++c) {
        if (a_.background_label_id > -1 && c == a_.background_label_id) continue;
        if (scores[c][p] > best) {
          best = scores[c][p];
          id = c;
        }
      }
      if (id > 0 && best >= a_.confidence_threshold) order.push_back({best, {id, p}});
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
      return x.first > y.first || (x.first == y.first && x.second.second < y.second.second);
    });
    if (a_.top_k != -1 && order.size() > static_cast<size_t>(a_.top_k))
      order.resize(static_cast<size_t>(a_.top_k));
    for (const auto& [score, cp] : order) {
      const auto [cls, p] = cp;
      const auto found = decoded.find(a_.share_location ? -1 : cls);
      if (found == decoded.end()) continue;
      std::vector<int64_t>& kept = indices[cls];
      bool keep = true;
      for (int64_t k : kept)
        if (jaccard(found->second[static_cast<size_t>(p)], found->second[static_cast<size_t>(k)]) >
            a_.nms_threshold) {
          keep = false;
          break;
        }
      if (keep) kept.push_back(p);
    }
  }

  const DetectionOutputAttrs& a_;
  int64_t images_ = 0, prior_size_ = 4, priors_ = 0, prior_batches_ = 1, classes_ = 0, loc_classes_ = 1,
          rows_ = 0;
};

}  // namespace

Outputs eval_DetectionOutput(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 5);
  if (in.size() == 4) raise(ErrorCode::kModel, "{}: aux inputs come in pairs", node.describe());
  const ElementType type = in[0]->type();
  for (const Tensor* t : in)
    if (!is_compute_float(t->type()) || t->type() != type) unsupported_type(node, t->type());
  Detector d(node, in);
  return {d.run(in, type)};
}

}  // namespace ref
}  // namespace octet
