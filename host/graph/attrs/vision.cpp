// Parse functions of the detection, vision and image attribute structs (vision.h), one per op,
// reading every attribute OpenVINO's serializer writes for the op version.
#include <cmath>
#include <limits>
#include <string_view>

#include "host/common/error.h"
#include "host/common/text.h"
#include "host/graph/graph.h"
#include "host/graph/op_attrs.h"

namespace octet {
namespace {

// A comma-separated float list ("" is empty), values finite, stored as f32 as OpenVINO does.
std::vector<float> float_list(AttrReader& r, const char* key, bool required = false) {
  std::vector<float> v;
  if (!required && !r.has(key)) return v;
  const std::string_view text = r.str(key);
  if (trim(text).empty()) return v;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view item =
        trim(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    const auto value = parse_double(item);
    if (!value || !std::isfinite(*value)) r.fail(key, fmt::format("holds '{}', not a finite number", item));
    v.push_back(static_cast<float>(*value));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return v;
}

float finite_f32(AttrReader& r, const char* key, bool required, double fallback = 0) {
  const double v = required ? r.f64(key) : r.f64_or(key, fallback);
  if (!std::isfinite(v)) r.fail(key, "must be finite");
  return static_cast<float>(v);
}

int64_t positive(AttrReader& r, const char* key, int64_t v) {
  if (v <= 0 || v > kMaxDim) r.fail(key, fmt::format("must be positive, is {}", v));
  return v;
}

Dims list_of_two(AttrReader& r, const char* key, bool positive_values) {
  Dims v = r.i64_list(key);
  if (v.size() != 2) r.fail(key, fmt::format("must have 2 entries, has {}", v.size()));
  for (int64_t x : v)
    if ((positive_values ? x <= 0 : x < 0) || x > kMaxDim)
      r.fail(key, fmt::format("has invalid value {}", x));
  return v;
}

Dims positive_list(AttrReader& r, const char* key) {
  Dims v = r.i64_list(key);
  for (int64_t x : v)
    if (x <= 0 || x > kMaxDim) r.fail(key, fmt::format("has non-positive or huge value {}", x));
  return v;
}

// Pads are ignored (and written as zeros) unless auto_pad is explicit; OpenVINO allows negative
// pads on these convolutions only where the spec says so, so they are refused here.
Dims pad_list(AttrReader& r, const char* key, bool required) {
  Dims v = required ? r.i64_list(key) : r.i64_list_or(key, {});
  for (int64_t x : v)
    if (x < 0 || x > kMaxDim) r.fail(key, fmt::format("has invalid value {}", x));
  return v;
}

AutoPad read_auto_pad(AttrReader& r, bool allow_explicit) {
  const AutoPad p = r.choice_or<AutoPad>("auto_pad",
                                         {{"explicit", AutoPad::kExplicit},
                                          {"notset", AutoPad::kExplicit},
                                          {"valid", AutoPad::kValid},
                                          {"same_upper", AutoPad::kSameUpper},
                                          {"same_lower", AutoPad::kSameLower}},
                                         AutoPad::kExplicit);
  if (!allow_explicit && p == AutoPad::kExplicit)
    r.fail("auto_pad", "must be valid, same_upper or same_lower");
  return p;
}

void check_variance(AttrReader& r, const char* key, const std::vector<float>& v) {
  if (v.size() != 0 && v.size() != 1 && v.size() != 4)
    r.fail(key, fmt::format("must have 0, 1 or 4 values, has {}", v.size()));
}

}  // namespace

// ---- PriorBox ----

std::vector<float> PriorBoxAttrs::ordered_aspect_ratios() const {
  std::vector<float> ratios = {1.0f};
  for (float ar : aspect_ratio) {
    bool exists = false;
    for (float e : ratios) exists = exists || std::fabs(ar - e) < 1e-6f;
    if (exists) continue;
    ratios.push_back(ar);
    if (flip) ratios.push_back(1.0f / ar);
  }
  return ratios;
}

int64_t PriorBoxAttrs::priors_per_point() const {
  // OpenVINO's number_of_priors: unique ratios after rounding to 1e-6 (with their inverses when
  // flipped, and 1), then the counts of the sizes.
  std::vector<float> unique = {1.0f};
  auto add = [&](float v) {
    const float rounded = static_cast<float>(std::round(v * 1e6) / 1e6);
    for (float u : unique)
      if (u == rounded) return;
    unique.push_back(rounded);
  };
  for (float ar : aspect_ratio) {
    add(ar);
    if (flip) add(1.0f / ar);
  }
  const int64_t ratios = static_cast<int64_t>(unique.size());
  int64_t n = scale_all_sizes
                  ? ratios * static_cast<int64_t>(min_size.size()) + static_cast<int64_t>(max_size.size())
                  : ratios + static_cast<int64_t>(min_size.size()) - 1;
  if (!fixed_size.empty()) n = ratios * static_cast<int64_t>(fixed_size.size());
  for (float d : density) {
    const int64_t rd = static_cast<int64_t>(d);
    n += (fixed_ratio.empty() ? ratios : static_cast<int64_t>(fixed_ratio.size())) * (rd * rd - 1);
  }
  return n;
}

PriorBoxAttrs PriorBoxAttrs::parse(AttrReader& r) {
  PriorBoxAttrs a;
  a.min_size = float_list(r, "min_size");
  a.max_size = float_list(r, "max_size");
  a.aspect_ratio = float_list(r, "aspect_ratio");
  a.density = float_list(r, "density");
  a.fixed_ratio = float_list(r, "fixed_ratio");
  a.fixed_size = float_list(r, "fixed_size");
  a.clip = r.boolean_or("clip", false);
  a.flip = r.boolean_or("flip", false);
  a.step = finite_f32(r, "step", false);
  a.offset = finite_f32(r, "offset", true);
  a.variance = float_list(r, "variance");
  a.scale_all_sizes = r.boolean_or("scale_all_sizes", true);
  if (r.version() >= 8) a.min_max_aspect_ratios_order = r.boolean_or("min_max_aspect_ratios_order", true);
  check_variance(r, "variance", a.variance);
  for (float v : a.aspect_ratio)
    if (!(v > 0)) r.fail("aspect_ratio", fmt::format("holds {}; ratios must be positive", v));
  for (float v : a.fixed_ratio)
    if (!(v > 0)) r.fail("fixed_ratio", fmt::format("holds {}; ratios must be positive", v));
  for (float v : a.density)
    if (!(v >= 1)) r.fail("density", fmt::format("holds {}; densities must be at least 1", v));
  if (!a.fixed_size.empty() && a.density.size() < a.fixed_size.size())
    r.fail("density", fmt::format("has {} values; each of the {} fixed_size values needs one",
                                  a.density.size(), a.fixed_size.size()));
  // The boxes the specification's algorithm (OpenVINO's reference) emits per grid point must fill
  // the output size number_of_priors gives, or part of the output would be undefined.
  const int64_t ratios = static_cast<int64_t>(a.ordered_aspect_ratios().size());
  int64_t emitted = 0;
  for (size_t s = 0; s < a.fixed_size.size(); ++s) {
    const int64_t d = static_cast<int64_t>(a.density[s]);
    emitted += a.fixed_ratio.empty() ? ratios * d * d : static_cast<int64_t>(a.fixed_ratio.size()) * d * d;
  }
  for (size_t m = 0; m < a.min_size.size(); ++m) {
    emitted += 1 + (a.max_size.size() > m ? 1 : 0);
    if (a.scale_all_sizes || m + 1 == a.min_size.size()) emitted += ratios - 1;
  }
  const int64_t declared = a.priors_per_point();
  if (emitted != declared || declared <= 0)
    raise(ErrorCode::kUnsupported,
          "{}: these attributes make {} prior boxes per point while OpenVINO sizes the output for {} "
          "(min_size {}, max_size {}, fixed_size {}, fixed_ratio {}, density {} values, scale_all_sizes {})",
          r.node().describe(), emitted, declared, a.min_size.size(), a.max_size.size(), a.fixed_size.size(),
          a.fixed_ratio.size(), a.density.size(), a.scale_all_sizes);
  return a;
}

PriorBoxClusteredAttrs PriorBoxClusteredAttrs::parse(AttrReader& r) {
  PriorBoxClusteredAttrs a;
  a.widths = float_list(r, "width");
  a.heights = float_list(r, "height");
  a.clip = r.boolean_or("clip", true);
  a.step_widths = finite_f32(r, "step_w", false);
  a.step_heights = finite_f32(r, "step_h", false);
  a.step = finite_f32(r, "step", false);
  a.offset = finite_f32(r, "offset", true);
  a.variances = float_list(r, "variance");
  check_variance(r, "variance", a.variances);
  if (a.widths.size() != a.heights.size())
    r.fail("width", fmt::format("has {} values but height has {}", a.widths.size(), a.heights.size()));
  if (a.widths.empty()) r.fail("width", "must not be empty");
  return a;
}

DetectionOutputAttrs DetectionOutputAttrs::parse(AttrReader& r) {
  DetectionOutputAttrs a;
  if (r.version() < 8) a.num_classes = positive(r, "num_classes", r.i64("num_classes"));
  a.background_label_id = r.i64_or("background_label_id", 0);
  a.top_k = r.i64_or("top_k", -1);
  a.variance_encoded_in_target = r.boolean_or("variance_encoded_in_target", false);
  a.keep_top_k = r.i64_list("keep_top_k");
  if (a.keep_top_k.empty()) r.fail("keep_top_k", "must have at least one value");
  const std::string code = r.has("code_type") ? r.str("code_type") : "caffe.PriorBoxParameter.CORNER";
  if (code == "caffe.PriorBoxParameter.CORNER")
    a.code_type = BoxCode::kCorner;
  else if (code == "caffe.PriorBoxParameter.CENTER_SIZE")
    a.code_type = BoxCode::kCenterSize;
  else
    r.fail("code_type", "must be caffe.PriorBoxParameter.CORNER or caffe.PriorBoxParameter.CENTER_SIZE");
  a.share_location = r.boolean_or("share_location", true);
  a.nms_threshold = finite_f32(r, "nms_threshold", true);
  a.confidence_threshold = finite_f32(r, "confidence_threshold", false);
  a.clip_after_nms = r.boolean_or("clip_after_nms", false);
  a.clip_before_nms = r.boolean_or("clip_before_nms", false);
  a.decrease_label_id = r.boolean_or("decrease_label_id", false);
  a.normalized = r.boolean_or("normalized", false);
  a.input_height = positive(r, "input_height", r.i64_or("input_height", 1));
  a.input_width = positive(r, "input_width", r.i64_or("input_width", 1));
  a.objectness_score = finite_f32(r, "objectness_score", false);
  if (a.top_k < -1 || a.top_k > kMaxDim) r.fail("top_k", "must be -1 or a count");
  if (a.keep_top_k[0] < -1 || a.keep_top_k[0] > kMaxDim) r.fail("keep_top_k", "must be -1 or a count");
  return a;
}

RegionYoloAttrs RegionYoloAttrs::parse(AttrReader& r) {
  RegionYoloAttrs a;
  a.anchors = float_list(r, "anchors");
  a.axis = r.i64("axis");
  a.coords = r.i64("coords");
  a.classes = r.i64("classes");
  a.end_axis = r.i64("end_axis");
  a.num = r.i64("num");
  a.do_softmax = r.boolean("do_softmax");
  a.mask = r.i64_list_or("mask", {});
  if (a.coords < 0 || a.coords > kMaxDim) r.fail("coords", "must be non-negative");
  if (a.classes < 0 || a.classes > kMaxDim) r.fail("classes", "must be non-negative");
  if (a.num < 0 || a.num > kMaxDim) r.fail("num", "must be non-negative");
  return a;
}

ReorgYoloAttrs ReorgYoloAttrs::parse(AttrReader& r) {
  // OpenVINO keeps `stride` as a list of equal values; the serializer writes one.
  const Dims v = positive_list(r, "stride");
  if (v.empty()) r.fail("stride", "must not be empty");
  for (int64_t s : v)
    if (s != v[0]) r.fail("stride", "must hold equal values");
  return {v[0]};
}

ProposalAttrs ProposalAttrs::parse(AttrReader& r) {
  ProposalAttrs a;
  a.base_size = positive(r, "base_size", r.i64("base_size"));
  a.pre_nms_topn = positive(r, "pre_nms_topn", r.i64("pre_nms_topn"));
  a.post_nms_topn = positive(r, "post_nms_topn", r.i64("post_nms_topn"));
  a.nms_thresh = finite_f32(r, "nms_thresh", true);
  a.feat_stride = positive(r, "feat_stride", r.i64_or("feat_stride", 1));
  a.min_size = r.i64_or("min_size", 1);
  if (a.min_size < 0 || a.min_size > kMaxDim) r.fail("min_size", "must be non-negative");
  a.ratio = float_list(r, "ratio", true);
  a.scale = float_list(r, "scale", true);
  if (a.ratio.empty()) r.fail("ratio", "must not be empty");
  if (a.scale.empty()) r.fail("scale", "must not be empty");
  for (float v : a.ratio)
    if (!(v > 0)) r.fail("ratio", fmt::format("holds {}; ratios must be positive", v));
  a.clip_before_nms = r.boolean_or("clip_before_nms", true);
  a.clip_after_nms = r.boolean_or("clip_after_nms", false);
  a.normalize = r.boolean_or("normalize", false);
  a.box_size_scale = finite_f32(r, "box_size_scale", false, 1);
  a.box_coordinate_scale = finite_f32(r, "box_coordinate_scale", false, 1);
  const std::string framework = r.has("framework") ? r.str("framework") : "";
  if (framework == "tensorflow")
    a.tensorflow = true;
  else if (!framework.empty() && framework != "caffe")
    raise(ErrorCode::kUnsupported,
          "{}: attribute 'framework' = '{}': octet knows '' (Caffe), 'caffe' and 'tensorflow'",
          r.node().describe(), framework);
  return a;
}

RoiPoolingAttrs RoiPoolingAttrs::parse(AttrReader& r) {
  // OpenVINO visits output_size, output_roi, pooled_h and pooled_w into the same field, in that
  // order: the last one written wins.
  RoiPoolingAttrs a;
  Dims size;
  if (r.has("output_size")) size = list_of_two(r, "output_size", true);
  if (r.has("output_roi")) size = list_of_two(r, "output_roi", true);
  if (size.empty()) size = {0, 0};
  if (r.has("pooled_h")) size[0] = r.i64("pooled_h");
  if (r.has("pooled_w")) size[1] = r.i64("pooled_w");
  a.pooled_h = positive(r, "pooled_h", size[0]);
  a.pooled_w = positive(r, "pooled_w", size[1]);
  a.spatial_scale = finite_f32(r, "spatial_scale", true);
  if (!(a.spatial_scale > 0)) r.fail("spatial_scale", "must be positive");
  a.method = r.choice_or<RoiPoolingMethod>(
      "method", {{"max", RoiPoolingMethod::kMax}, {"bilinear", RoiPoolingMethod::kBilinear}},
      RoiPoolingMethod::kMax);
  return a;
}

PsRoiPoolingAttrs PsRoiPoolingAttrs::parse(AttrReader& r) {
  PsRoiPoolingAttrs a;
  a.output_dim = positive(r, "output_dim", r.i64("output_dim"));
  a.group_size = positive(r, "group_size", r.i64_or("group_size", 1));
  a.spatial_scale = finite_f32(r, "spatial_scale", true);
  if (!(a.spatial_scale > 0)) r.fail("spatial_scale", "must be positive");
  a.mode = r.choice_or<PsRoiMode>(
      "mode", {{"average", PsRoiMode::kAverage}, {"bilinear", PsRoiMode::kBilinear}}, PsRoiMode::kAverage);
  a.spatial_bins_x = positive(r, "spatial_bins_x", r.i64_or("spatial_bins_x", 1));
  a.spatial_bins_y = positive(r, "spatial_bins_y", r.i64_or("spatial_bins_y", 1));
  return a;
}

namespace {

// The sampling grid both ROIAlign versions and ROIAlignRotated share.
template <typename Attrs>
void read_roi_grid(AttrReader& r, Attrs& a) {
  a.pooled_h = positive(r, "pooled_h", r.i64("pooled_h"));
  a.pooled_w = positive(r, "pooled_w", r.i64("pooled_w"));
  a.sampling_ratio = r.i64("sampling_ratio");
  if (a.sampling_ratio < 0 || a.sampling_ratio > kMaxDim)
    r.fail("sampling_ratio", "must be non-negative (0: adaptive)");
  a.spatial_scale = finite_f32(r, "spatial_scale", true);
  if (!(a.spatial_scale > 0)) r.fail("spatial_scale", "must be positive");
}

}  // namespace

RoiAlignAttrs RoiAlignAttrs::parse(AttrReader& r) {
  RoiAlignAttrs a;
  read_roi_grid(r, a);
  a.mode = r.choice<RoiAlignMode>("mode", {{"avg", RoiAlignMode::kAvg}, {"max", RoiAlignMode::kMax}});
  if (r.version() >= 9)
    a.aligned_mode = r.choice_or<RoiAlignedMode>("aligned_mode",
                                                 {{"asymmetric", RoiAlignedMode::kAsymmetric},
                                                  {"half_pixel_for_nn", RoiAlignedMode::kHalfPixelForNn},
                                                  {"half_pixel", RoiAlignedMode::kHalfPixel}},
                                                 RoiAlignedMode::kAsymmetric);
  return a;
}

RoiAlignRotatedAttrs RoiAlignRotatedAttrs::parse(AttrReader& r) {
  RoiAlignRotatedAttrs a;
  read_roi_grid(r, a);
  a.clockwise = r.boolean_or("clockwise_mode", false);
  return a;
}

DeformablePsRoiPoolingAttrs DeformablePsRoiPoolingAttrs::parse(AttrReader& r) {
  DeformablePsRoiPoolingAttrs a;
  a.output_dim = positive(r, "output_dim", r.i64("output_dim"));
  a.spatial_scale = finite_f32(r, "spatial_scale", true);
  if (!(a.spatial_scale > 0)) r.fail("spatial_scale", "must be positive");
  a.group_size = positive(r, "group_size", r.i64_or("group_size", 1));
  a.bilinear_deformable =
      r.choice_or<bool>("mode", {{"bilinear", false}, {"bilinear_deformable", true}}, false);
  a.spatial_bins_x = positive(r, "spatial_bins_x", r.i64_or("spatial_bins_x", 1));
  a.spatial_bins_y = positive(r, "spatial_bins_y", r.i64_or("spatial_bins_y", 1));
  a.trans_std = finite_f32(r, "trans_std", false, 1);
  a.part_size = positive(r, "part_size", r.i64_or("part_size", 1));
  return a;
}

GridSampleAttrs GridSampleAttrs::parse(AttrReader& r) {
  GridSampleAttrs a;
  a.align_corners = r.boolean_or("align_corners", false);
  a.mode = r.choice_or<GridSampleMode>("mode",
                                       {{"bilinear", GridSampleMode::kBilinear},
                                        {"bicubic", GridSampleMode::kBicubic},
                                        {"nearest", GridSampleMode::kNearest}},
                                       GridSampleMode::kBilinear);
  a.padding = r.choice_or<GridSamplePadding>("padding_mode",
                                             {{"zeros", GridSamplePadding::kZeros},
                                              {"border", GridSamplePadding::kBorder},
                                              {"reflection", GridSamplePadding::kReflection}},
                                             GridSamplePadding::kZeros);
  return a;
}

AdaptiveMaxPoolAttrs AdaptiveMaxPoolAttrs::parse(AttrReader& r) {
  AdaptiveMaxPoolAttrs a;
  a.index_type = r.element_type_or("index_element_type", ElementType::kI64);
  if (a.index_type != ElementType::kI64 && a.index_type != ElementType::kI32)
    r.fail("index_element_type", "must be i32 or i64");
  return a;
}

ExtractImagePatchesAttrs ExtractImagePatchesAttrs::parse(AttrReader& r) {
  ExtractImagePatchesAttrs a;
  a.sizes = list_of_two(r, "sizes", true);
  a.strides = list_of_two(r, "strides", true);
  a.rates = list_of_two(r, "rates", true);
  a.auto_pad = read_auto_pad(r, false);
  return a;
}

DeformableConvAttrs DeformableConvAttrs::parse(AttrReader& r) {
  DeformableConvAttrs a;
  a.auto_pad = read_auto_pad(r, true);
  const bool explicit_pads = a.auto_pad == AutoPad::kExplicit;
  a.strides = positive_list(r, "strides");
  a.dilations = positive_list(r, "dilations");
  a.pads_begin = pad_list(r, "pads_begin", explicit_pads);
  a.pads_end = pad_list(r, "pads_end", explicit_pads);
  a.group = positive(r, "group", r.i64_or("group", 1));
  a.deformable_group = positive(r, "deformable_group", r.i64_or("deformable_group", 1));
  if (r.version() >= 8) a.bilinear_interpolation_pad = r.boolean_or("bilinear_interpolation_pad", false);
  return a;
}

BinaryConvAttrs BinaryConvAttrs::parse(AttrReader& r) {
  BinaryConvAttrs a;
  a.auto_pad = read_auto_pad(r, true);
  const bool explicit_pads = a.auto_pad == AutoPad::kExplicit;
  a.strides = positive_list(r, "strides");
  a.dilations = positive_list(r, "dilations");
  a.pads_begin = pad_list(r, "pads_begin", explicit_pads);
  a.pads_end = pad_list(r, "pads_end", explicit_pads);
  r.choice<int>("mode", {{"xnor-popcount", 0}});
  a.pad_value = finite_f32(r, "pad_value", true);
  return a;
}

Col2ImAttrs Col2ImAttrs::parse(AttrReader& r) {
  Col2ImAttrs a;
  a.strides = r.has("strides") ? list_of_two(r, "strides", true) : Dims{1, 1};
  a.dilations = r.has("dilations") ? list_of_two(r, "dilations", true) : Dims{1, 1};
  a.pads_begin = r.has("pads_begin") ? list_of_two(r, "pads_begin", false) : Dims{0, 0};
  a.pads_end = r.has("pads_end") ? list_of_two(r, "pads_end", false) : Dims{0, 0};
  return a;
}

}  // namespace octet
