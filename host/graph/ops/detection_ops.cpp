// Shape inference for the SSD/YOLO/Faster-RCNN detection ops: PriorBox-1/8, PriorBoxClustered-1,
// DetectionOutput-1/8, Proposal-1/4, RegionYolo-1 and ReorgYolo-2. Their output sizes follow the
// attributes and input shapes (DetectionOutput and Proposal pad to a fixed row count), except
// PriorBox*, whose grid size is an input value: that input must be constant.
#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

bool known(int64_t d) {
  return d >= 0;
}

// a * b with dynamic dims propagated.
int64_t mul(int64_t a, int64_t b) {
  return known(a) && known(b) ? a * b : kDynamicDim;
}

void expect_float_input(const Node& node, size_t i, const char* what) {
  if (!is_float(node.input_type(i)))
    raise(ErrorCode::kModel, "{}: input {} ({}) must have a floating-point type, has {}", node.describe(), i,
          what, element_type_name(node.input_type(i)));
}

// PriorBox*: [height, width] of the grid (input 0, constant) and of the image (input 1).
std::pair<int64_t, int64_t> prior_grid(const Node& node) {
  expect_inputs(node, 2, 2);
  expect_integer(node, 0, "output_size");
  expect_integer(node, 1, "image_size");
  expect_rank(node, 0, 1, 1);
  expect_rank(node, 1, 1, 1);
  for (size_t i = 0; i < 2; ++i) {
    const int64_t n = node.input_shape(i)[0];
    if (known(n) && n != 2)
      raise(ErrorCode::kModel, "{}: input {} must hold 2 values [height, width], has shape {}",
            node.describe(), i, to_string(node.input_shape(i)));
  }
  // The output size is 4 * height * width * priors: octet needs it before running.
  if (!node.input_constant(0))
    raise(
        ErrorCode::kUnsupported,
        "{}: input 0 (output_size) must be constant: the output shape depends on its values and octet needs "
        "static shapes",
        node.describe());
  const std::vector<int64_t> hw = constant_ints(node, 0, "output_size");
  if (hw.size() != 2 || hw[0] <= 0 || hw[1] <= 0 || hw[0] > kMaxDim || hw[1] > kMaxDim)
    raise(ErrorCode::kModel, "{}: input 0 (output_size) = {} must hold 2 positive values", node.describe(),
          list_string(hw));
  return {hw[0], hw[1]};
}

void set_prior_output(Node& node, int64_t h, int64_t w, int64_t priors) {
  const Dims out = {2, 4 * h * w * priors};
  check_output_shape(node, out);
  set_single_output(node, ElementType::kF32, out);
}

}  // namespace

void infer_PriorBox(Node& node) {
  const auto [h, w] = prior_grid(node);
  set_prior_output(node, h, w, node.attr<PriorBoxAttrs>().priors_per_point());
}

void infer_PriorBoxClustered(Node& node) {
  const auto [h, w] = prior_grid(node);
  set_prior_output(node, h, w, static_cast<int64_t>(node.attr<PriorBoxClusteredAttrs>().widths.size()));
}

// Inputs box_logits [N, P * L * 4], class_preds [N, P * C], proposals [1 or N, 1 or 2, P * S]
// (S = 4 when normalized, else 5; the second dim is 1 when the variance is encoded in the target)
// and, optionally, aux_class_preds [N, P * 2] and aux_box_preds like box_logits.
void infer_DetectionOutput(Node& node) {
  expect_inputs(node, 3, 5);
  if (node.inputs.size() == 4)
    raise(ErrorCode::kModel, "{}: has 4 inputs; aux_class_preds and aux_box_preds come together",
          node.describe());
  const DetectionOutputAttrs& a = node.attr<DetectionOutputAttrs>();
  static const char* kNames[] = {"box_logits", "class_preds", "proposals", "aux_class_preds",
                                 "aux_box_preds"};
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    expect_float_input(node, i, kNames[i]);
    expect_same_type(node, 0, i);
    expect_rank(node, i, i == 2 ? 3 : 2, i == 2 ? 3 : 2);
  }
  const Dims &loc = node.input_shape(0), &conf = node.input_shape(1), &prior = node.input_shape(2);
  const int64_t n = known(loc[0]) ? loc[0] : conf[0];
  const int64_t prior_size = a.normalized ? 4 : 5;
  int64_t priors = kDynamicDim;
  if (known(prior[2])) {
    if (prior[2] % prior_size != 0)
      raise(ErrorCode::kModel, "{}: proposals {} must hold {} values per prior box (normalized = {})",
            node.describe(), to_string(prior), prior_size, a.normalized);
    priors = prior[2] / prior_size;
  }
  if (known(prior[1]) && prior[1] != (a.variance_encoded_in_target ? 1 : 2))
    raise(ErrorCode::kModel, "{}: proposals {} must have {} in dim 1 (variance_encoded_in_target = {})",
          node.describe(), to_string(prior), a.variance_encoded_in_target ? 1 : 2,
          a.variance_encoded_in_target);
  if (known(prior[0]) && known(n) && prior[0] != 1 && prior[0] != n)
    raise(ErrorCode::kModel, "{}: proposals {} must have 1 or the batch {} in dim 0", node.describe(),
          to_string(prior), n);
  int64_t classes = a.num_classes;
  if (node.version >= 8 && known(priors) && known(conf[1])) {
    if (priors == 0 || conf[1] % priors != 0)
      raise(ErrorCode::kModel, "{}: class_preds {} must hold a whole number of classes for {} prior boxes",
            node.describe(), to_string(conf), priors);
    classes = conf[1] / priors;
  }
  const int64_t loc_classes = a.share_location ? 1 : classes;
  auto check = [&](size_t i, int64_t per_prior) {
    const Dims& s = node.input_shape(i);
    if (known(s[0]) && known(n) && s[0] != n)
      raise(ErrorCode::kModel, "{}: input {} ({}) {} must have the batch {} in dim 0", node.describe(), i,
            kNames[i], to_string(s), n);
    const int64_t want = mul(priors, per_prior);
    if (known(s[1]) && known(want) && s[1] != want)
      raise(ErrorCode::kModel, "{}: input {} ({}) {} must have {} in dim 1 ({} prior boxes)", node.describe(),
            i, kNames[i], to_string(s), want, priors);
  };
  check(0, mul(loc_classes, 4));
  check(1, classes);
  if (node.inputs.size() == 5) {
    check(3, 2);
    check(4, mul(loc_classes, 4));
  }
  // OpenVINO's row count: keep_top_k[0] per image, else top_k per class, else every prior per class.
  int64_t rows = kDynamicDim;
  if (a.keep_top_k[0] > 0)
    rows = mul(n, a.keep_top_k[0]);
  else if (a.top_k > 0)
    rows = mul(n, mul(a.top_k, classes));
  else
    rows = mul(n, mul(priors, classes));
  const Dims out = {1, 1, rows, 7};
  check_output_shape(node, out);
  set_single_output(node, node.input_type(0), out);
}

// Inputs class_probs [N, 2A, H, W], bbox_deltas [N, 4A, H, W] and image_shape [3] or [4];
// outputs rois [N * post_nms_topn, 5] and (version 4) their scores [N * post_nms_topn].
void infer_Proposal(Node& node) {
  expect_inputs(node, 3, 3);
  const ProposalAttrs& a = node.attr<ProposalAttrs>();
  for (size_t i = 0; i < 3; ++i) {
    expect_float_input(node, i, i == 0 ? "class_probs" : i == 1 ? "bbox_deltas" : "image_shape");
    expect_same_type(node, 0, i);
  }
  expect_rank(node, 0, 4, 4);
  expect_rank(node, 1, 4, 4);
  expect_rank(node, 2, 1, 1);
  const Dims &probs = node.input_shape(0), &deltas = node.input_shape(1), &image = node.input_shape(2);
  if (known(image[0]) && image[0] != 3 && image[0] != 4)
    raise(ErrorCode::kModel, "{}: image_shape {} must hold 3 or 4 values", node.describe(), to_string(image));
  const int64_t anchors = static_cast<int64_t>(a.ratio.size() * a.scale.size());
  if (known(probs[1]) && probs[1] != 2 * anchors)
    raise(ErrorCode::kModel, "{}: class_probs {} must have 2 * {} anchors (ratio x scale) in dim 1",
          node.describe(), to_string(probs), anchors);
  for (size_t d = 0; d < 4; ++d) {
    const int64_t want = d == 1 ? 4 * anchors : probs[d];
    if (known(deltas[d]) && known(want) && deltas[d] != want)
      raise(ErrorCode::kModel, "{}: bbox_deltas {} does not fit class_probs {} ({} anchors)", node.describe(),
            to_string(deltas), to_string(probs), anchors);
  }
  const int64_t rows = mul(probs[0], a.post_nms_topn);
  const Dims out = {rows, 5};
  check_output_shape(node, out);
  set_outputs(node, node.version >= 4 ? 2 : 1);
  node.outputs[0].type = node.input_type(0);
  node.outputs[0].shape = out;
  if (node.version >= 4) {
    node.outputs[1].type = node.input_type(0);
    node.outputs[1].shape = {rows};
  }
}

// Input [N, C, H, W] with C = regions * (coords + classes + 1), regions = num (do_softmax, YOLO v2:
// output flattened from axis to end_axis) or the mask size (YOLO v3: output [N, C, H, W]).
void infer_RegionYolo(Node& node) {
  expect_inputs(node, 1, 1);
  expect_float_input(node, 0, "data");
  expect_rank(node, 0, 4, 4);
  const RegionYoloAttrs& a = node.attr<RegionYoloAttrs>();
  const Dims& in = node.input_shape(0);
  const int64_t per_region = a.coords + a.classes + 1;
  const int64_t regions = a.do_softmax ? a.num : static_cast<int64_t>(a.mask.size());
  if (known(in[1]) && in[1] != regions * per_region)
    raise(ErrorCode::kUnsupported,
          "{}: input {} has {} channels; octet needs {} regions x (coords {} + classes {} + 1) = {} ({})",
          node.describe(), to_string(in), in[1], regions, a.coords, a.classes, regions * per_region,
          a.do_softmax ? "num" : "mask size");
  if (!a.do_softmax) {
    for (int64_t m : a.mask)
      if (m < 0) fail_attribute(node, "mask", fmt::format("holds {}; mask entries index anchors", m));
    set_single_output(node, node.input_type(0), in);
    return;
  }
  const int64_t axis = node_axis(node, a.axis, 4, "axis");
  const int64_t end = node_axis(node, a.end_axis, 4, "end_axis");
  if (end < axis) fail_attribute(node, "end_axis", fmt::format("is before axis {}", a.axis));
  Dims out(in.begin(), in.begin() + axis);
  int64_t flat = 1;
  for (int64_t d = axis; d <= end; ++d) flat = mul(flat, in[static_cast<size_t>(d)]);
  out.push_back(flat);
  out.insert(out.end(), in.begin() + end + 1, in.end());
  set_single_output(node, node.input_type(0), out);
}

// [N, C, H, W] -> [N, C * s * s, H / s, W / s].
void infer_ReorgYolo(Node& node) {
  expect_inputs(node, 1, 1);
  expect_rank(node, 0, 4, 4);
  const int64_t s = node.attr<ReorgYoloAttrs>().stride;
  const Dims& in = node.input_shape(0);
  for (size_t d = 2; d < 4; ++d)
    if (known(in[d]) && in[d] % s != 0)
      raise(ErrorCode::kModel, "{}: input {}: H and W must be divisible by stride {}", node.describe(),
            to_string(in), s);
  // The specification's permutation reads the input as [N, C / s^2, H * s, W * s].
  if (known(in[1]) && in[1] % (s * s) != 0)
    raise(ErrorCode::kUnsupported, "{}: input {}: octet needs the channels divisible by stride^2 = {}",
          node.describe(), to_string(in), s * s);
  const Dims out = {in[0], mul(in[1], s * s), known(in[2]) ? in[2] / s : kDynamicDim,
                    known(in[3]) ? in[3] / s : kDynamicDim};
  set_single_output(node, node.input_type(0), out);
}

}  // namespace octet
