// Attribute structs of the detection, vision and image ops.
// Included by host/graph/op_attrs.h; parse functions in vision.cpp. (AdaptiveAvgPool-8 and the
// NV12/I420 colour conversions have no attributes: NoAttrs.)
#pragma once

#include <string>
#include <vector>

#include "host/graph/attr_reader.h"
#include "host/graph/element_type.h"
#include "host/graph/shape.h"

namespace octet {

// PriorBox-1 and -8 (OpenVINO's v0/v8 Attributes; -1 always orders min, max, aspect ratios).
struct PriorBoxAttrs {
  std::vector<float> min_size, max_size, aspect_ratio, density, fixed_ratio, fixed_size, variance;
  bool clip = false, flip = false, scale_all_sizes = true, min_max_aspect_ratios_order = true;
  float step = 0, offset = 0;
  // Priors per grid point (OpenVINO's PriorBox::number_of_priors).
  int64_t priors_per_point() const;
  // The aspect ratios the boxes use, in the order the reference emits them: 1 first, then each
  // new ratio (and its inverse when flip) in attribute order; duplicates within 1e-6 dropped.
  std::vector<float> ordered_aspect_ratios() const;
  static PriorBoxAttrs parse(AttrReader& r);
};

struct PriorBoxClusteredAttrs {
  std::vector<float> widths, heights, variances;
  bool clip = true;
  float step_widths = 0, step_heights = 0, step = 0, offset = 0;
  static PriorBoxClusteredAttrs parse(AttrReader& r);
};

enum class BoxCode { kCorner, kCenterSize };

// DetectionOutput-1 and -8 (-8 has no num_classes: it follows from the class_preds shape).
struct DetectionOutputAttrs {
  int64_t num_classes = -1;  // -1 for version 8
  int64_t background_label_id = 0, top_k = -1;
  std::vector<int64_t> keep_top_k;
  bool variance_encoded_in_target = false, share_location = true, clip_after_nms = false,
       clip_before_nms = false, decrease_label_id = false, normalized = false;
  BoxCode code_type = BoxCode::kCorner;
  float nms_threshold = 0, confidence_threshold = 0, objectness_score = 0;
  int64_t input_height = 1, input_width = 1;
  static DetectionOutputAttrs parse(AttrReader& r);
};

struct RegionYoloAttrs {
  int64_t coords = 4, classes = 0, num = 0, axis = 1, end_axis = 3;
  bool do_softmax = true;
  std::vector<int64_t> mask;
  std::vector<float> anchors;  // read for completeness; the computation does not use them
  static RegionYoloAttrs parse(AttrReader& r);
};

struct ReorgYoloAttrs {
  int64_t stride = 1;
  static ReorgYoloAttrs parse(AttrReader& r);
};

// Proposal-1 and -4. `framework` is "" (Caffe) or "tensorflow".
struct ProposalAttrs {
  int64_t base_size = 0, pre_nms_topn = 0, post_nms_topn = 0, feat_stride = 1, min_size = 1;
  float nms_thresh = 0, box_size_scale = 1, box_coordinate_scale = 1;
  std::vector<float> ratio, scale;
  bool clip_before_nms = true, clip_after_nms = false, normalize = false, tensorflow = false;
  static ProposalAttrs parse(AttrReader& r);
};

enum class RoiPoolingMethod { kMax, kBilinear };

// ROIPooling-2 (OpenVINO's v0 class, written version="opset2").
struct RoiPoolingAttrs {
  int64_t pooled_h = 0, pooled_w = 0;
  float spatial_scale = 0;
  RoiPoolingMethod method = RoiPoolingMethod::kMax;
  static RoiPoolingAttrs parse(AttrReader& r);
};

enum class PsRoiMode { kAverage, kBilinear };

struct PsRoiPoolingAttrs {
  int64_t output_dim = 0, group_size = 1, spatial_bins_x = 1, spatial_bins_y = 1;
  float spatial_scale = 0;
  PsRoiMode mode = PsRoiMode::kAverage;
  static PsRoiPoolingAttrs parse(AttrReader& r);
};

enum class RoiAlignMode { kAvg, kMax };
enum class RoiAlignedMode { kAsymmetric, kHalfPixelForNn, kHalfPixel };

// ROIAlign-3 and -9 (aligned_mode is -9's; -3 is asymmetric).
struct RoiAlignAttrs {
  int64_t pooled_h = 0, pooled_w = 0, sampling_ratio = 0;
  float spatial_scale = 0;
  RoiAlignMode mode = RoiAlignMode::kAvg;
  RoiAlignedMode aligned_mode = RoiAlignedMode::kAsymmetric;
  static RoiAlignAttrs parse(AttrReader& r);
};

struct RoiAlignRotatedAttrs {
  int64_t pooled_h = 0, pooled_w = 0, sampling_ratio = 0;
  float spatial_scale = 0;
  bool clockwise = false;
  static RoiAlignRotatedAttrs parse(AttrReader& r);
};

struct DeformablePsRoiPoolingAttrs {
  int64_t output_dim = 0, group_size = 1, spatial_bins_x = 1, spatial_bins_y = 1, part_size = 1;
  float spatial_scale = 0, trans_std = 1;
  bool bilinear_deformable = false;  // mode: "bilinear_deformable" or "bilinear"
  static DeformablePsRoiPoolingAttrs parse(AttrReader& r);
};

enum class GridSampleMode { kBilinear, kBicubic, kNearest };
enum class GridSamplePadding { kZeros, kBorder, kReflection };

struct GridSampleAttrs {
  bool align_corners = false;
  GridSampleMode mode = GridSampleMode::kBilinear;
  GridSamplePadding padding = GridSamplePadding::kZeros;
  static GridSampleAttrs parse(AttrReader& r);
};

struct AdaptiveMaxPoolAttrs {
  ElementType index_type = ElementType::kI64;
  static AdaptiveMaxPoolAttrs parse(AttrReader& r);
};

// ExtractImagePatches-3: sizes, strides and rates are [rows, cols]; auto_pad is valid, same_upper
// or same_lower.
struct ExtractImagePatchesAttrs {
  Dims sizes, strides, rates;
  AutoPad auto_pad = AutoPad::kExplicit;
  static ExtractImagePatchesAttrs parse(AttrReader& r);
};

// DeformableConvolution-1 and -8 (bilinear_interpolation_pad is -8's).
struct DeformableConvAttrs {
  Dims strides, dilations, pads_begin, pads_end;
  AutoPad auto_pad = AutoPad::kExplicit;
  int64_t group = 1, deformable_group = 1;
  bool bilinear_interpolation_pad = false;
  static DeformableConvAttrs parse(AttrReader& r);
};

struct BinaryConvAttrs {
  Dims strides, dilations, pads_begin, pads_end;
  AutoPad auto_pad = AutoPad::kExplicit;
  float pad_value = 0;
  static BinaryConvAttrs parse(AttrReader& r);
};

struct Col2ImAttrs {
  Dims strides, dilations, pads_begin, pads_end;
  static Col2ImAttrs parse(AttrReader& r);
};

}  // namespace octet
