// Shape inference and attribute errors of the detection, vision and image ops (PriorBox-1/8,
// PriorBoxClustered-1, DetectionOutput-1/8, Proposal-1/4, RegionYolo-1, ReorgYolo-2, the ROI
// poolings, GridSample-9, the adaptive pools, ExtractImagePatches-3, DeformableConvolution-1/8,
// BinaryConvolution-1, Col2Im-15 and the NV12/I420 conversions). Expected dims are computed by hand
// from the OpenVINO op specifications and OpenVINO's shape inference (checked with its Python API).
#include "host/graph/op_attrs.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using Attrs = std::map<std::string, std::string>;

// ---- PriorBox, PriorBoxClustered ----

const Attrs kSsdPrior = {
    {"min_size", "12"}, {"max_size", "24"}, {"aspect_ratio", "2"}, {"flip", "true"},
    {"clip", "false"},  {"step", "8"},      {"offset", "0.5"},     {"variance", "0.1,0.1,0.2,0.2"}};

TEST(InferPriorBox, OutputHoldsFourValuesPerBox) {
  Builder b;
  // Ratios {1, 2, 1/2}, one min and one max size: 3 + 1 = 4 boxes per cell; 3 x 4 cells.
  EXPECT_EQ(b.infer(OpKind::kPriorBox, {b.ints({3, 4}), b.ints({32, 40})}, kSsdPrior, 1),
            (Dims{2, 4 * 12 * 4}));
  EXPECT_EQ(b.last->outputs[0].type, ElementType::kF32);
  // Version 8, i32 inputs, the image size need not be constant; two min sizes, ratios {1, 2, 3, 1/2, 1/3}.
  Attrs a = kSsdPrior;
  a["min_size"] = "10, 20";
  a["max_size"] = "20,35";
  a["aspect_ratio"] = "2,3";
  a["min_max_aspect_ratios_order"] = "false";
  EXPECT_EQ(
      b.infer(OpKind::kPriorBox, {b.ints({2, 3}, ElementType::kI32), b.param({2}, ElementType::kI32)}, a, 8),
      (Dims{2, 4 * 6 * (5 * 2 + 2)}));
  // scale_all_sizes false: ratios for the last size only: 3 + 2 - 1.
  Attrs mx = {{"min_size", "0.2,0.35"},
              {"aspect_ratio", "2"},
              {"flip", "true"},
              {"offset", "0.5"},
              {"scale_all_sizes", "false"}};
  EXPECT_EQ(b.infer(OpKind::kPriorBox, {b.ints({4, 5}), b.ints({40, 50})}, mx, 8), (Dims{2, 4 * 20 * 4}));
  // fixed_size with density 2: (ratios {1, 2}) x 2^2.
  Attrs fixed = {{"fixed_size", "8"}, {"density", "2"}, {"aspect_ratio", "2"}, {"offset", "0.5"}};
  EXPECT_EQ(b.infer(OpKind::kPriorBox, {b.ints({2, 2}), b.ints({32, 32})}, fixed, 8), (Dims{2, 4 * 4 * 8}));
}

TEST(InferPriorBox, Errors) {
  Builder b;
  // The grid size is an input value: it must be constant (octet needs static shapes).
  Node* n = b.op(OpKind::kPriorBox, {b.param({2}, ElementType::kI64), b.ints({32, 40})}, kSsdPrior, 8);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported,
               {"input 0 (output_size) must be constant", "static shapes"});
  expect_model_error(b, OpKind::kPriorBox, {b.floats({3, 4}), b.ints({32, 40})}, kSsdPrior, 8,
                     {"input 0 (output_size) must have an integer type"});
  expect_model_error(b, OpKind::kPriorBox, {b.ints({3, 4, 5}), b.ints({32, 40})}, kSsdPrior, 8,
                     {"input 0 must hold 2 values"});
  Attrs bad = kSsdPrior;
  bad["variance"] = "0.1,0.2";
  expect_model_error(b, OpKind::kPriorBox, {b.ints({3, 4}), b.ints({32, 40})}, bad, 8,
                     {"variance", "0, 1 or 4 values"});
  bad = kSsdPrior;
  bad["aspect_ratio"] = "2,x";
  expect_model_error(b, OpKind::kPriorBox, {b.ints({3, 4}), b.ints({32, 40})}, bad, 8,
                     {"aspect_ratio", "'x'"});
  bad = {{"fixed_size", "8,16"}, {"density", "2"}, {"offset", "0.5"}};
  expect_model_error(b, OpKind::kPriorBox, {b.ints({3, 4}), b.ints({32, 40})}, bad, 8,
                     {"density", "each of the 2 fixed_size values"});
  // More max sizes than min sizes: OpenVINO's output size counts boxes its algorithm never writes.
  bad = kSsdPrior;
  bad["max_size"] = "24,30";
  expect_error(
      [&] {
        b.infer(OpKind::kPriorBox, {b.ints({3, 4}), b.ints({32, 40})}, bad, 8);
      },
      ErrorCode::kUnsupported, {"4 prior boxes per point while OpenVINO sizes the output for 5"});
  // offset is required; min_max_aspect_ratios_order is PriorBox-8's only.
  bad = kSsdPrior;
  bad.erase("offset");
  expect_model_error(b, OpKind::kPriorBox, {b.ints({3, 4}), b.ints({32, 40})}, bad, 8,
                     {"offset", "required"});
  bad = kSsdPrior;
  bad["min_max_aspect_ratios_order"] = "true";
  expect_error(
      [&] {
        b.infer(OpKind::kPriorBox, {b.ints({3, 4}), b.ints({32, 40})}, bad, 1);
      },
      ErrorCode::kUnsupported, {"'min_max_aspect_ratios_order'"});
}

TEST(InferPriorBoxClustered, ShapesAndErrors) {
  Builder b;
  const Attrs a = {{"width", "4,8.5,12"}, {"height", "6,3,12.25"}, {"offset", "0.5"}, {"clip", "false"},
                   {"step", "0"},         {"step_w", "0"},         {"step_h", "0"},   {"variance", ""}};
  EXPECT_EQ(b.infer(OpKind::kPriorBoxClustered, {b.ints({3, 5}), b.ints({30, 50})}, a),
            (Dims{2, 4 * 15 * 3}));
  Attrs bad = a;
  bad["height"] = "6,3";
  expect_model_error(b, OpKind::kPriorBoxClustered, {b.ints({3, 5}), b.ints({30, 50})}, bad, 1,
                     {"width", "has 3 values but height has 2"});
}

// ---- DetectionOutput ----

Attrs detout(const char* keep, const char* top_k) {
  return {{"keep_top_k", keep},
          {"top_k", top_k},
          {"nms_threshold", "0.45"},
          {"normalized", "true"},
          {"code_type", "caffe.PriorBoxParameter.CENTER_SIZE"}};
}

TEST(InferDetectionOutput, RowCounts) {
  Builder b;
  // 3 priors, 4 classes, batch 2: keep_top_k per image, else top_k per class, else every prior per class.
  auto infer = [&](Attrs a, int version, std::vector<Node*> extra = {}) {
    if (version == 1) a["num_classes"] = "4";
    std::vector<Node*> in = {b.param({2, 12}), b.param({2, 12}), b.param({1, 2, 12})};
    in.insert(in.end(), extra.begin(), extra.end());
    return b.infer(OpKind::kDetectionOutput, in, a, version);
  };
  EXPECT_EQ(infer(detout("5", "-1"), 8), (Dims{1, 1, 10, 7}));
  EXPECT_EQ(infer(detout("-1", "2"), 8), (Dims{1, 1, 2 * 2 * 4, 7}));
  EXPECT_EQ(infer(detout("-1", "-1"), 1), (Dims{1, 1, 2 * 3 * 4, 7}));
  EXPECT_EQ(infer(detout("0", "-1"), 8), (Dims{1, 1, 2 * 3 * 4, 7}));
  EXPECT_EQ(infer(detout("7,3", "-1"), 8), (Dims{1, 1, 14, 7}));
  EXPECT_EQ(infer(detout("5", "-1"), 8, {b.param({2, 6}), b.param({2, 12})}), (Dims{1, 1, 10, 7}));
  // Per-class locations, pixel priors (5 values each), variance in the target (proposals [1, 1, ...]).
  Attrs a = detout("-1", "-1");
  a["share_location"] = "false";
  a["normalized"] = "false";
  a["variance_encoded_in_target"] = "true";
  EXPECT_EQ(
      b.infer(OpKind::kDetectionOutput, {b.param({1, 48}), b.param({1, 12}), b.param({1, 1, 15})}, a, 8),
      (Dims{1, 1, 12, 7}));
  EXPECT_EQ(b.last->outputs[0].type, ElementType::kF32);
}

TEST(InferDetectionOutput, Errors) {
  Builder b;
  const Attrs a = detout("5", "-1");
  expect_model_error(b, OpKind::kDetectionOutput, {b.param({2, 16}), b.param({2, 12}), b.param({1, 2, 12})},
                     a, 8, {"input 0 (box_logits)", "must have 12 in dim 1"});
  expect_model_error(b, OpKind::kDetectionOutput, {b.param({2, 12}), b.param({2, 13}), b.param({1, 2, 12})},
                     a, 8, {"class_preds", "whole number of classes"});
  expect_model_error(b, OpKind::kDetectionOutput, {b.param({2, 12}), b.param({2, 12}), b.param({1, 1, 12})},
                     a, 8, {"must have 2 in dim 1"});
  expect_model_error(b, OpKind::kDetectionOutput, {b.param({2, 12}), b.param({2, 12}), b.param({3, 2, 12})},
                     a, 8, {"1 or the batch 2"});
  expect_model_error(b, OpKind::kDetectionOutput,
                     {b.param({2, 12}), b.param({2, 12}), b.param({1, 2, 12}), b.param({2, 6})}, a, 8,
                     {"come together"});
  Attrs bad = a;
  bad["code_type"] = "caffe.PriorBoxParameter.CORNER_SIZE";
  expect_model_error(b, OpKind::kDetectionOutput, {b.param({2, 12}), b.param({2, 12}), b.param({1, 2, 12})},
                     bad, 8, {"code_type"});
  // num_classes is DetectionOutput-1's; version 1 requires it.
  expect_model_error(b, OpKind::kDetectionOutput, {b.param({2, 12}), b.param({2, 12}), b.param({1, 2, 12})},
                     a, 1, {"num_classes", "required"});
  bad = a;
  bad["num_classes"] = "4";
  expect_error(
      [&] {
        b.infer(OpKind::kDetectionOutput, {b.param({2, 12}), b.param({2, 12}), b.param({1, 2, 12})}, bad, 8);
      },
      ErrorCode::kUnsupported, {"'num_classes'"});
}

// ---- Proposal ----

const Attrs kProposal = {{"base_size", "16"},   {"pre_nms_topn", "30"}, {"post_nms_topn", "10"},
                         {"nms_thresh", "0.7"}, {"feat_stride", "16"},  {"min_size", "4"},
                         {"ratio", "0.5,1,2"},  {"scale", "2, 4"},      {"framework", ""}};

TEST(InferProposal, Outputs) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kProposal, {b.param({2, 12, 4, 5}), b.param({2, 24, 4, 5}), b.param({3})},
                    kProposal, 1),
            (Dims{20, 5}));
  EXPECT_EQ(b.last->outputs.size(), 1u);
  EXPECT_EQ(b.infer(OpKind::kProposal, {b.param({1, 12, 4, 5}), b.param({1, 24, 4, 5}), b.param({4})},
                    kProposal, 4),
            (Dims{10, 5}));
  ASSERT_EQ(b.last->outputs.size(), 2u);
  EXPECT_EQ(b.last->outputs[1].shape, (Dims{10}));
}

TEST(InferProposal, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kProposal, {b.param({1, 10, 4, 5}), b.param({1, 24, 4, 5}), b.param({3})},
                     kProposal, 4, {"2 * 6 anchors"});
  expect_model_error(b, OpKind::kProposal, {b.param({1, 12, 4, 5}), b.param({1, 24, 4, 6}), b.param({3})},
                     kProposal, 4, {"bbox_deltas [1,24,4,6] does not fit"});
  expect_model_error(b, OpKind::kProposal, {b.param({1, 12, 4, 5}), b.param({1, 24, 4, 5}), b.param({2})},
                     kProposal, 4, {"3 or 4 values"});
  Attrs bad = kProposal;
  bad["framework"] = "caffe2";
  expect_error(
      [&] {
        b.infer(OpKind::kProposal, {b.param({1, 12, 4, 5}), b.param({1, 24, 4, 5}), b.param({3})}, bad, 4);
      },
      ErrorCode::kUnsupported, {"framework", "caffe2"});
  bad = kProposal;
  bad["post_nms_topn"] = "0";
  expect_model_error(b, OpKind::kProposal, {b.param({1, 12, 4, 5}), b.param({1, 24, 4, 5}), b.param({3})},
                     bad, 4, {"post_nms_topn", "positive"});
}

// ---- RegionYolo, ReorgYolo ----

Attrs region(const char* softmax, const char* mask, const char* axis = "1", const char* end = "3") {
  return {{"anchors", ""},   {"axis", axis}, {"coords", "4"},         {"classes", "5"},
          {"end_axis", end}, {"num", "3"},   {"do_softmax", softmax}, {"mask", mask}};
}

TEST(InferRegionYolo, Shapes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kRegionYolo, {b.param({2, 30, 5, 6})}, region("true", "0,1,2")), (Dims{2, 900}));
  EXPECT_EQ(b.infer(OpKind::kRegionYolo, {b.param({2, 30, 5, 6})}, region("true", "", "2", "-1")),
            (Dims{2, 30, 30}));
  EXPECT_EQ(b.infer(OpKind::kRegionYolo, {b.param({2, 30, 5, 6})}, region("true", "", "0", "1")),
            (Dims{60, 5, 6}));
  // YOLO v3: the mask picks the regions; the shape is kept.
  EXPECT_EQ(b.infer(OpKind::kRegionYolo, {b.param({1, 20, 4, 4})}, region("false", "1,2")),
            (Dims{1, 20, 4, 4}));
  expect_error(
      [&] {
        b.infer(OpKind::kRegionYolo, {b.param({1, 30, 4, 4})}, region("false", "1,2"));
      },
      ErrorCode::kUnsupported, {"30 channels", "= 20"});
  expect_model_error(b, OpKind::kRegionYolo, {b.param({2, 30, 5, 6})}, region("true", "", "2", "1"), 1,
                     {"end_axis", "before axis"});
  expect_model_error(b, OpKind::kRegionYolo, {b.param({2, 30, 5})}, region("true", ""), 1, {"rank 4"});
}

TEST(InferReorgYolo, Shapes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kReorgYolo, {b.param({1, 8, 4, 6})}, {{"stride", "2"}}, 2), (Dims{1, 32, 2, 3}));
  EXPECT_EQ(b.infer(OpKind::kReorgYolo, {b.param({2, 18, 6, 3}, ElementType::kI32)}, {{"stride", "3,3"}}, 2),
            (Dims{2, 162, 2, 1}));
  expect_model_error(b, OpKind::kReorgYolo, {b.param({1, 8, 5, 6})}, {{"stride", "2"}}, 2,
                     {"divisible by stride 2"});
  expect_error(
      [&] {
        b.infer(OpKind::kReorgYolo, {b.param({1, 6, 4, 4})}, {{"stride", "2"}}, 2);
      },
      ErrorCode::kUnsupported, {"channels divisible by stride^2 = 4"});
  expect_model_error(b, OpKind::kReorgYolo, {b.param({1, 8, 4, 4})}, {{"stride", "2,3"}}, 2,
                     {"stride", "equal"});
}

// ---- ROI poolings ----

TEST(InferRoiOps, Shapes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kROIPooling, {b.param({2, 3, 10, 12}), b.param({5, 5})},
                    {{"pooled_h", "3"}, {"pooled_w", "2"}, {"spatial_scale", "0.5"}, {"method", "max"}}, 2),
            (Dims{5, 3, 3, 2}));
  // OpenVINO's serializer writes output_size and output_roi too; pooled_h / pooled_w are read last.
  EXPECT_EQ(b.infer(OpKind::kROIPooling, {b.param({2, 3, 10, 12}), b.param({5, 5})},
                    {{"output_size", "4, 4"},
                     {"output_roi", "4, 4"},
                     {"pooled_h", "3"},
                     {"pooled_w", "2"},
                     {"spatial_scale", "0.5"},
                     {"method", "bilinear"}},
                    2),
            (Dims{5, 3, 3, 2}));
  EXPECT_EQ(b.infer(OpKind::kPSROIPooling, {b.param({1, 18, 8, 10}), b.param({4, 5})},
                    {{"output_dim", "2"},
                     {"group_size", "3"},
                     {"spatial_scale", "1"},
                     {"mode", "average"},
                     {"spatial_bins_x", "1"},
                     {"spatial_bins_y", "1"}}),
            (Dims{4, 2, 3, 3}));
  EXPECT_EQ(b.infer(OpKind::kPSROIPooling, {b.param({1, 12, 8, 10}), b.param({4, 5})},
                    {{"output_dim", "3"},
                     {"group_size", "2"},
                     {"spatial_scale", "1"},
                     {"mode", "bilinear"},
                     {"spatial_bins_x", "2"},
                     {"spatial_bins_y", "2"}}),
            (Dims{4, 3, 2, 2}));
  const Attrs align = {{"pooled_h", "3"},
                       {"pooled_w", "2"},
                       {"sampling_ratio", "0"},
                       {"spatial_scale", "0.5"},
                       {"mode", "avg"}};
  EXPECT_EQ(b.infer(OpKind::kROIAlign,
                    {b.param({2, 3, 8, 10}), b.param({4, 4}), b.param({4}, ElementType::kI32)}, align, 3),
            (Dims{4, 3, 3, 2}));
  Attrs align9 = align;
  align9["aligned_mode"] = "half_pixel";
  EXPECT_EQ(b.infer(OpKind::kROIAlign,
                    {b.param({2, 3, 8, 10}), b.param({4, 4}), b.param({4}, ElementType::kI64)}, align9, 9),
            (Dims{4, 3, 3, 2}));
  Attrs rotated = align;
  rotated.erase("mode");
  rotated["clockwise_mode"] = "true";
  EXPECT_EQ(b.infer(OpKind::kROIAlignRotated,
                    {b.param({2, 3, 8, 10}), b.param({4, 5}), b.param({4}, ElementType::kI32)}, rotated, 15),
            (Dims{4, 3, 3, 2}));
  const Attrs deform = {{"output_dim", "2"},      {"group_size", "3"},
                        {"spatial_scale", "0.5"}, {"mode", "bilinear_deformable"},
                        {"spatial_bins_x", "2"},  {"spatial_bins_y", "1"},
                        {"trans_std", "0.2"},     {"part_size", "3"}};
  EXPECT_EQ(b.infer(OpKind::kDeformablePSROIPooling, {b.param({1, 18, 8, 8}), b.param({3, 5})}, deform),
            (Dims{3, 2, 3, 3}));
  EXPECT_EQ(b.infer(OpKind::kDeformablePSROIPooling,
                    {b.param({1, 18, 8, 8}), b.param({3, 5}), b.param({3, 2, 3, 3})}, deform),
            (Dims{3, 2, 3, 3}));
}

TEST(InferRoiOps, Errors) {
  Builder b;
  const Attrs pool = {{"pooled_h", "3"}, {"pooled_w", "2"}, {"spatial_scale", "0.5"}, {"method", "max"}};
  expect_model_error(b, OpKind::kROIPooling, {b.param({2, 3, 10, 12}), b.param({5, 4})}, pool, 2,
                     {"input 1 (rois) [5,4] must hold 5 values per box"});
  Attrs bad = pool;
  bad["method"] = "average";
  expect_model_error(b, OpKind::kROIPooling, {b.param({2, 3, 10, 12}), b.param({5, 5})}, bad, 2, {"method"});
  expect_model_error(b, OpKind::kPSROIPooling, {b.param({1, 16, 8, 10}), b.param({4, 5})},
                     {{"output_dim", "2"}, {"group_size", "3"}, {"spatial_scale", "1"}, {"mode", "average"}},
                     1, {"must have 18 channels"});
  const Attrs align = {
      {"pooled_h", "3"}, {"pooled_w", "2"}, {"sampling_ratio", "2"}, {"spatial_scale", "1"}, {"mode", "avg"}};
  expect_model_error(b, OpKind::kROIAlign,
                     {b.param({2, 3, 8, 10}), b.param({4, 4}), b.param({3}, ElementType::kI32)}, align, 3,
                     {"batch_indices [3] must have one entry per box (4)"});
  expect_model_error(b, OpKind::kROIAlign, {b.param({2, 3, 8, 10}), b.param({4, 4}), b.param({4})}, align, 3,
                     {"batch_indices", "integer"});
  // aligned_mode is ROIAlign-9's.
  Attrs extra = align;
  extra["aligned_mode"] = "asymmetric";
  expect_error(
      [&] {
        b.infer(OpKind::kROIAlign, {b.param({2, 3, 8, 10}), b.param({4, 4}), b.param({4}, ElementType::kI32)},
                extra, 3);
      },
      ErrorCode::kUnsupported, {"'aligned_mode'"});
  expect_model_error(b, OpKind::kDeformablePSROIPooling,
                     {b.param({1, 18, 8, 8}), b.param({3, 5}), b.param({3, 2, 2, 2})},
                     {{"output_dim", "2"}, {"group_size", "3"}, {"spatial_scale", "1"}, {"part_size", "3"}},
                     1, {"offsets [3,2,2,2]"});
}

// ---- GridSample, adaptive pools, ExtractImagePatches ----

TEST(InferImageOps, GridSampleAndAdaptivePools) {
  Builder b;
  const Attrs gs = {{"align_corners", "false"}, {"mode", "bicubic"}, {"padding_mode", "reflection"}};
  EXPECT_EQ(
      b.infer(OpKind::kGridSample, {b.param({2, 3, 5, 6}), b.param({2, 4, 7, 2}, ElementType::kF16)}, gs, 9),
      (Dims{2, 3, 4, 7}));
  expect_model_error(b, OpKind::kGridSample, {b.param({2, 3, 5, 6}), b.param({2, 4, 7, 3})}, gs, 9,
                     {"grid [2,4,7,3] must be"});
  expect_model_error(b, OpKind::kGridSample, {b.param({2, 3, 5, 6}), b.param({2, 4, 7, 2})},
                     {{"mode", "linear"}}, 9, {"mode"});

  EXPECT_EQ(b.infer(OpKind::kAdaptiveAvgPool, {b.param({1, 2, 5, 6, 7}), b.ints({2, 3, 4})}, {}, 8),
            (Dims{1, 2, 2, 3, 4}));
  EXPECT_EQ(b.infer(OpKind::kAdaptiveMaxPool, {b.param({2, 3, 7}), b.ints({3}, ElementType::kI32)},
                    {{"index_element_type", "i32"}}, 8),
            (Dims{2, 3, 3}));
  ASSERT_EQ(b.last->outputs.size(), 2u);
  EXPECT_EQ(b.last->outputs[1].type, ElementType::kI32);
  EXPECT_EQ(b.last->outputs[1].shape, (Dims{2, 3, 3}));
  expect_model_error(b, OpKind::kAdaptiveAvgPool, {b.param({1, 2, 5, 6}), b.ints({2, 3, 4})}, {}, 8,
                     {"one value per spatial dim"});
  expect_model_error(b, OpKind::kAdaptiveMaxPool, {b.param({1, 2, 5, 6}), b.ints({2, 3})},
                     {{"index_element_type", "f32"}}, 8, {"index_element_type"});
  Node* n = b.op(OpKind::kAdaptiveAvgPool, {b.param({1, 2, 5, 6}), b.param({2}, ElementType::kI64)}, {}, 8);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input 1 (output_shape) must be constant"});
}

TEST(InferImageOps, ExtractImagePatches) {
  Builder b;
  auto eip = [&](Dims in, const char* sizes, const char* strides, const char* rates, const char* pad) {
    return b.infer(OpKind::kExtractImagePatches, {b.param(in)},
                   {{"sizes", sizes}, {"strides", strides}, {"rates", rates}, {"auto_pad", pad}}, 3);
  };
  // valid: floor((in - span) / stride) + 1 with span = (size - 1) * rate + 1; same_*: ceil(in / stride).
  EXPECT_EQ(eip({1, 2, 7, 9}, "3,2", "2,3", "2,1", "valid"), (Dims{1, 12, 2, 3}));
  EXPECT_EQ(eip({1, 2, 7, 9}, "3,2", "2,3", "2,1", "same_upper"), (Dims{1, 12, 4, 3}));
  EXPECT_EQ(eip({1, 2, 3, 9}, "3,2", "2,3", "2,1", "same_lower"), (Dims{1, 12, 2, 3}));
  expect_error(
      [&] {
        eip({1, 2, 4, 9}, "3,2", "2,3", "2,1", "valid");
      },
      ErrorCode::kUnsupported, {"empty output"});
  expect_model_error(b, OpKind::kExtractImagePatches, {b.param({1, 2, 7, 9})},
                     {{"sizes", "3,2"}, {"strides", "2,3"}, {"rates", "1,1"}, {"auto_pad", "explicit"}}, 3,
                     {"auto_pad", "valid, same_upper or same_lower"});
  expect_model_error(b, OpKind::kExtractImagePatches, {b.param({1, 2, 7, 9})},
                     {{"sizes", "3"}, {"strides", "2,3"}, {"rates", "1,1"}, {"auto_pad", "valid"}}, 3,
                     {"sizes", "2 entries"});
}

// ---- DeformableConvolution, BinaryConvolution, Col2Im ----

Attrs conv(const char* strides, const char* pb, const char* pe, const char* dil, const char* group = "1",
           const char* dg = "1") {
  return {{"strides", strides},     {"pads_begin", pb}, {"pads_end", pe},        {"dilations", dil},
          {"auto_pad", "explicit"}, {"group", group},   {"deformable_group", dg}};
}

TEST(InferConvLike, DeformableConvolution) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kDeformableConvolution,
                    {b.param({2, 4, 7, 7}), b.param({2, 36, 4, 3}), b.param({6, 2, 3, 3})},
                    conv("2,2", "1,0", "1,0", "1,1", "2", "2"), 1),
            (Dims{2, 6, 4, 3}));
  Attrs v8 = conv("1,1", "1,1", "1,1", "1,1", "1", "2");
  v8["bilinear_interpolation_pad"] = "true";
  EXPECT_EQ(
      b.infer(OpKind::kDeformableConvolution,
              {b.param({1, 4, 5, 6}), b.param({1, 36, 5, 6}), b.param({3, 4, 3, 3}), b.param({1, 18, 5, 6})},
              v8, 8),
      (Dims{1, 3, 5, 6}));
  expect_model_error(b, OpKind::kDeformableConvolution,
                     {b.param({1, 4, 5, 6}), b.param({1, 18, 5, 6}), b.param({3, 4, 3, 3})},
                     conv("1,1", "1,1", "1,1", "1,1", "1", "2"), 1,
                     {"offsets [1,18,5,6] must be [1,36,5,6]"});
  expect_model_error(
      b, OpKind::kDeformableConvolution,
      {b.param({1, 4, 5, 6}), b.param({1, 36, 5, 6}), b.param({3, 4, 3, 3}), b.param({1, 9, 5, 6})},
      conv("1,1", "1,1", "1,1", "1,1", "1", "2"), 8, {"mask [1,9,5,6] must be [1,18,5,6]"});
  expect_model_error(b, OpKind::kDeformableConvolution,
                     {b.param({1, 4, 5, 6}), b.param({1, 18, 5, 6}), b.param({3, 4, 3, 3})},
                     conv("1,1", "1,1", "1,1", "1,1", "3"), 1,
                     {"group", "does not divide the 4 input channels"});
  // A mask (fourth input) is DeformableConvolution-8's.
  expect_model_error(
      b, OpKind::kDeformableConvolution,
      {b.param({1, 4, 5, 6}), b.param({1, 18, 5, 6}), b.param({3, 4, 3, 3}), b.param({1, 9, 5, 6})},
      conv("1,1", "1,1", "1,1", "1,1"), 1, {"expects 3 inputs, has 4"});
}

TEST(InferConvLike, BinaryConvolutionAndCol2Im) {
  Builder b;
  const Attrs bin = {{"strides", "2,1"},      {"pads_begin", "1,0"},     {"pads_end", "1,1"},
                     {"dilations", "1,1"},    {"mode", "xnor-popcount"}, {"pad_value", "1"},
                     {"auto_pad", "explicit"}};
  EXPECT_EQ(b.infer(OpKind::kBinaryConvolution,
                    {b.param({2, 5, 7, 6}), b.param({3, 5, 3, 2}, ElementType::kU1)}, bin),
            (Dims{2, 3, 4, 6}));
  expect_error(
      [&] {
        b.infer(OpKind::kBinaryConvolution, {b.param({2, 5, 7, 6}), b.param({3, 5, 3, 2})}, bin);
      },
      ErrorCode::kUnsupported, {"filters must have type u1"});
  Attrs bad = bin;
  bad["mode"] = "xor-popcount";
  expect_model_error(b, OpKind::kBinaryConvolution,
                     {b.param({2, 5, 7, 6}), b.param({3, 5, 3, 2}, ElementType::kU1)}, bad, 1, {"mode"});

  const Attrs c2i = {{"strides", "2,2"}, {"dilations", "1,1"}, {"pads_begin", "1,0"}, {"pads_end", "1,2"}};
  // Blocks: ((6 + 2 - 2) / 2 + 1) x ((7 + 2 - 3) / 2 + 1) = 4 x 4.
  EXPECT_EQ(b.infer(OpKind::kCol2Im, {b.param({18, 16}), b.ints({6, 7}), b.ints({2, 3})}, c2i, 15),
            (Dims{3, 6, 7}));
  EXPECT_EQ(b.infer(OpKind::kCol2Im, {b.param({2, 18, 16}), b.ints({6, 7}), b.ints({2, 3})}, c2i, 15),
            (Dims{2, 3, 6, 7}));
  expect_model_error(b, OpKind::kCol2Im, {b.param({2, 18, 15}), b.ints({6, 7}), b.ints({2, 3})}, c2i, 15,
                     {"must hold 16 blocks"});
  expect_model_error(b, OpKind::kCol2Im, {b.param({2, 16, 16}), b.ints({6, 7}), b.ints({2, 3})}, c2i, 15,
                     {"divisible by the kernel size 6"});
  Node* n =
      b.op(OpKind::kCol2Im, {b.param({2, 18, 16}), b.param({2}, ElementType::kI64), b.ints({2, 3})}, c2i, 15);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input 1 (output_size) must be constant"});
}

// ---- NV12 / I420 ----

TEST(InferColor, Planes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kNV12toRGB, {b.param({1, 6, 6, 1}, ElementType::kU8)}, {}, 8),
            (Dims{1, 4, 6, 3}));
  EXPECT_EQ(b.last->outputs[0].type, ElementType::kU8);
  EXPECT_EQ(b.infer(OpKind::kNV12toBGR, {b.param({2, 4, 6, 1}), b.param({2, 2, 3, 2})}, {}, 8),
            (Dims{2, 4, 6, 3}));
  EXPECT_EQ(b.infer(OpKind::kI420toRGB,
                    {b.param({1, 4, 4, 1}, ElementType::kF16), b.param({1, 2, 2, 1}, ElementType::kF16),
                     b.param({1, 2, 2, 1}, ElementType::kF16)},
                    {}, 8),
            (Dims{1, 4, 4, 3}));
  EXPECT_EQ(b.infer(OpKind::kI420toBGR, {b.param({1, 12, 4, 1})}, {}, 8), (Dims{1, 8, 4, 3}));
  expect_model_error(b, OpKind::kNV12toRGB, {b.param({1, 4, 6, 1})}, {}, 8, {"divisible by 3"});
  expect_model_error(b, OpKind::kNV12toRGB, {b.param({1, 6, 5, 1})}, {}, 8, {"even height and width"});
  expect_model_error(b, OpKind::kNV12toRGB, {b.param({1, 4, 6, 1}), b.param({1, 2, 3, 1})}, {}, 8,
                     {"input 1 [1,2,3,1] must be [1,2,3,2]"});
  expect_model_error(b, OpKind::kI420toRGB, {b.param({1, 4, 4, 1}), b.param({1, 2, 2, 1})}, {}, 8,
                     {"takes 1 or 3 inputs"});
  expect_model_error(b, OpKind::kNV12toRGB, {b.param({1, 6, 6, 1}, ElementType::kI32)}, {}, 8,
                     {"u8 or floating"});
}

}  // namespace
}  // namespace octet::test
