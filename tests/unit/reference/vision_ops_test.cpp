// Hand-computed cases of the detection, vision and image references: the padding rows and tie
// order of DetectionOutput and Proposal, the corners OpenVINO's CPU plugin cannot run (i64 indices
// of AdaptiveMaxPool), rounding ties (GridSample nearest), and small inputs whose results follow
// from the OpenVINO op specifications by hand (a linear image makes bilinear sampling exact). A
// deformable convolution with zero offsets is checked against a plain convolution computed here.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::expect_ints;
using test::f32;
using test::i32;
using test::i64;
using test::OpCase;

// ---- PriorBox, PriorBoxClustered ----

TEST(ReferencePriorBox, OneCellBoxesInSpecOrder) {
  // Grid 1x1 on a 20x20 image: centre (10, 10); min box 4, max box sqrt(4 * 9) = 6, ratio 2 box
  // 4 * sqrt(2) x 4 / sqrt(2); order min, max, ratios (min_max_aspect_ratios_order).
  OpCase c(OpKind::kPriorBox, 8);
  c.attr("min_size", "4").attr("max_size", "9").attr("aspect_ratio", "2").attr("flip", "false");
  c.attr("clip", "false").attr("step", "0").attr("offset", "0.5").attr("variance", "0.1,0.2,0.3,0.4");
  c.in(i64({2}, {1, 1})).in(i64({2}, {20, 20}));
  const float w = 2 * std::sqrt(2.0f), h = std::sqrt(2.0f);
  expect_floats(c.run1(), {2, 12},
                {0.4f,          0.4f,          0.6f,          0.6f,          0.35f, 0.35f, 0.65f, 0.65f,
                 (10 - w) / 20, (10 - h) / 20, (10 + w) / 20, (10 + h) / 20, 0.1f,  0.2f,  0.3f,  0.4f,
                 0.1f,          0.2f,          0.3f,          0.4f,          0.1f,  0.2f,  0.3f,  0.4f},
                1e-6f);
  // min_max_aspect_ratios_order false puts the ratio box before the max box; clip and one variance.
  OpCase d(OpKind::kPriorBox, 8);
  d.attr("min_size", "4").attr("max_size", "9").attr("aspect_ratio", "2").attr("clip", "true");
  d.attr("offset", "0.5").attr("variance", "0.5").attr("min_max_aspect_ratios_order", "false");
  d.in(i32({2}, {1, 1})).in(i32({2}, {20, 20}));
  expect_floats(d.run1(), {2, 12},
                {0.4f,  0.4f,  0.6f,  0.6f,  (10 - w) / 20, (10 - h) / 20, (10 + w) / 20, (10 + h) / 20,
                 0.35f, 0.35f, 0.65f, 0.65f, 0.5f,          0.5f,          0.5f,          0.5f,
                 0.5f,  0.5f,  0.5f,  0.5f,  0.5f,          0.5f,          0.5f,          0.5f},
                1e-6f);
}

TEST(ReferencePriorBoxClustered, CentredBoxesAndDefaultVariance) {
  // Grid 1x2 on a 10x20 image: step 10, centres (5, 5) and (15, 5); box 4 wide, 2 high.
  OpCase c(OpKind::kPriorBoxClustered);
  c.attr("width", "4").attr("height", "2").attr("offset", "0.5").attr("clip", "false");
  c.in(i64({2}, {1, 2})).in(i64({2}, {10, 20}));
  expect_floats(
      c.run1(), {2, 8},
      {0.15f, 0.4f, 0.35f, 0.6f, 0.65f, 0.4f, 0.85f, 0.6f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f},
      1e-6f);
}

// ---- DetectionOutput ----

// Priors A [0,0,.4,.4], B [.1,.1,.5,.5] (IoU with A 0.09 / 0.23 = 0.39) and C [.6,.6,.9,.9]; zero
// box deltas (variance in the target, corner coding), so the decoded boxes are the priors.
OpCase detection(const char* nms, const char* keep, std::vector<float> class1) {
  OpCase c(OpKind::kDetectionOutput, 8);
  c.attr("keep_top_k", keep).attr("nms_threshold", nms).attr("normalized", "true");
  c.attr("variance_encoded_in_target", "true").attr("code_type", "caffe.PriorBoxParameter.CORNER");
  c.attr("background_label_id", "0").attr("confidence_threshold", "0.01");
  std::vector<float> conf;
  for (float s : class1) conf.insert(conf.end(), {1 - s, s});
  c.in(f32({1, 12}, std::vector<float>(12, 0.0f)))
      .in(f32({1, 6}, conf))
      .in(f32({1, 1, 12}, {0, 0, 0.4f, 0.4f, 0.1f, 0.1f, 0.5f, 0.5f, 0.6f, 0.6f, 0.9f, 0.9f}));
  return c;
}

TEST(ReferenceDetectionOutput, NmsAndEndMarker) {
  // IoU(A, B) 0.39 > 0.3: B is suppressed; two detections, then the -1 marker row, then zeros.
  expect_floats(detection("0.3", "4", {0.9f, 0.8f, 0.7f}).run1(), {1, 1, 4, 7},
                {0,  1, 0.9f, 0, 0, 0.4f, 0.4f, 0, 1, 0.7f, 0.6f, 0.6f, 0.9f, 0.9f,  //
                 -1, 0, 0,    0, 0, 0,    0,    0, 0, 0,    0,    0,    0,    0});
  // Threshold 0.5 keeps B; three rows fill the output (no marker).
  expect_floats(detection("0.5", "3", {0.9f, 0.8f, 0.7f}).run1(), {1, 1, 3, 7},
                {0, 1, 0.9f, 0,    0,    0.4f, 0.4f, 0, 1, 0.8f, 0.1f, 0.1f, 0.5f, 0.5f,  //
                 0, 1, 0.7f, 0.6f, 0.6f, 0.9f, 0.9f});
}

TEST(ReferenceDetectionOutput, EqualScoresKeepTheLowerPrior) {
  // B and C tie at 0.8; keep_top_k 2 keeps A and the lower prior index, B.
  expect_floats(detection("0.5", "2", {0.9f, 0.8f, 0.8f}).run1(), {1, 1, 2, 7},
                {0, 1, 0.9f, 0, 0, 0.4f, 0.4f, 0, 1, 0.8f, 0.1f, 0.1f, 0.5f, 0.5f});
  // All three tie: NMS order is prior order, so A is kept and B (IoU 0.39 > 0.3) suppressed.
  expect_floats(detection("0.3", "3", {0.5f, 0.5f, 0.5f}).run1(), {1, 1, 3, 7},
                {0, 1, 0.5f, 0, 0, 0.4f, 0.4f, 0, 1, 0.5f, 0.6f, 0.6f, 0.9f, 0.9f, -1, 0, 0, 0, 0, 0, 0});
}

// ---- Proposal ----

TEST(ReferenceProposal, CaffeAnchorsNmsAndPadding) {
  // base_size 4, ratio 1, scale 1: anchor [0, 0, 3, 3] (centre 1.5, half size 1.5). Cells 0 and 1
  // (stride 4) with zero deltas give [0,0,4,4] and [4,0,8,4] (Caffe's +1 width), the latter clipped
  // to the image's last pixel 7. IoU = 1*5 / (20 + 25 - 5) = 0.125 keeps both; score order
  // 0.9 then 0.3; the third row is the -1 marker.
  OpCase c(OpKind::kProposal, 4);
  c.attr("base_size", "4").attr("pre_nms_topn", "10").attr("post_nms_topn", "3").attr("nms_thresh", "0.7");
  c.attr("feat_stride", "4")
      .attr("min_size", "1")
      .attr("ratio", "1")
      .attr("scale", "1")
      .attr("framework", "");
  c.in(f32({1, 2, 1, 2}, {0.7f, 0.1f, 0.3f, 0.9f})).in(f32({1, 4, 1, 2}, std::vector<float>(8, 0.0f)));
  c.in(f32({3}, {8, 8, 1}));
  const auto out = c.run();
  ASSERT_EQ(out.size(), 2u);
  expect_floats(out[0], {3, 5}, {0, 4, 0, 7, 4, 0, 0, 0, 4, 4, -1, 0, 0, 0, 0});
  expect_floats(out[1], {3}, {0.9f, 0.3f, 0});
}

// ---- RegionYolo, ReorgYolo ----

float sigmoid(double x) {
  return static_cast<float>(1 / (1 + std::exp(-x)));
}

TEST(ReferenceYolo, RegionV2AndV3) {
  // One region, 1x1 cell: x, y, w, h, objectness, 2 classes.
  const std::vector<float> in = {0, 1, 2, 3, 0.5f, 1, 3};
  OpCase v2(OpKind::kRegionYolo);
  v2.attr("coords", "4").attr("classes", "2").attr("num", "1").attr("do_softmax", "true");
  v2.attr("axis", "1").attr("end_axis", "3").attr("mask", "").attr("anchors", "");
  v2.in(f32({1, 7, 1, 1}, in));
  const float e2 = std::exp(2.0f);
  expect_floats(v2.run1(), {1, 7}, {0.5f, sigmoid(1), 2, 3, sigmoid(0.5), 1 / (1 + e2), e2 / (1 + e2)},
                1e-6f);
  // YOLO v3: no softmax; the class scores go through the logistic function too.
  OpCase v3(OpKind::kRegionYolo);
  v3.attr("coords", "4").attr("classes", "2").attr("num", "3").attr("do_softmax", "false");
  v3.attr("axis", "1").attr("end_axis", "3").attr("mask", "2").attr("anchors", "10,13,16,30,33,23");
  v3.in(f32({1, 7, 1, 1}, in));
  expect_floats(v3.run1(), {1, 7, 1, 1}, {0.5f, sigmoid(1), 2, 3, sigmoid(0.5), sigmoid(1), sigmoid(3)},
                1e-6f);
}

TEST(ReferenceYolo, ReorgIsDarknetReorg) {
  // [1, 4, 2, 2] values 0..15, stride 2: output k (read as [4, 2, 2] at (c, h, w)) is input
  // (2h + c / 2) * 4 + 2w + c % 2 of the input read as [1, 4, 4].
  OpCase c(OpKind::kReorgYolo, 2);
  c.attr("stride", "2");
  std::vector<int64_t> v(16);
  for (int i = 0; i < 16; ++i) v[static_cast<size_t>(i)] = i;
  c.in(i32({1, 4, 2, 2}, v));
  expect_ints(c.run1(), ElementType::kI32, {1, 16, 1, 1},
              {0, 2, 8, 10, 1, 3, 9, 11, 4, 6, 12, 14, 5, 7, 13, 15});
}

// ---- ROI poolings ----

TEST(ReferenceRoi, PoolingBins) {
  std::vector<float> ramp(16);
  for (int i = 0; i < 16; ++i) ramp[static_cast<size_t>(i)] = static_cast<float>(i);
  // ROIPooling max: box cells 1..2 x 1..2 of a 4x4 ramp; maximum 10.
  OpCase m(OpKind::kROIPooling, 2);
  m.attr("pooled_h", "1").attr("pooled_w", "1").attr("spatial_scale", "1").attr("method", "max");
  m.in(f32({1, 1, 4, 4}, ramp)).in(f32({1, 5}, {0, 1, 1, 2, 2}));
  expect_floats(m.run1(), {1, 1, 1, 1}, {10});
  // PSROIPooling average: box [0, 0, 1, 1] covers cells [0, 2) x [0, 2): mean of 0, 1, 4, 5.
  OpCase p(OpKind::kPSROIPooling);
  p.attr("output_dim", "1").attr("group_size", "1").attr("spatial_scale", "1").attr("mode", "average");
  p.in(f32({1, 1, 4, 4}, ramp)).in(f32({1, 5}, {0, 0, 0, 1, 1}));
  expect_floats(p.run1(), {1, 1, 1, 1}, {2.5f});
}

// ROIAlign on the linear image f(x, y) = x + 2y (bilinear sampling is exact): box [0, 0, 2, 2] at
// scale 0.5, one bin, 2x2 samples.
OpCase roi_align(int version, const char* mode, const char* aligned) {
  OpCase c(OpKind::kROIAlign, version);
  c.attr("pooled_h", "1").attr("pooled_w", "1").attr("sampling_ratio", "2").attr("spatial_scale", "0.5");
  c.attr("mode", mode);
  if (version == 9) c.attr("aligned_mode", aligned);
  c.in(f32({1, 1, 2, 2}, {0, 1, 2, 3})).in(f32({1, 4}, {0, 0, 2, 2})).in(i32({1}, {0}));
  return c;
}

TEST(ReferenceRoi, AlignModes) {
  // asymmetric: box [0, 1]^2, samples at 0.25 and 0.75: average f = 0.5 + 2 * 0.5.
  expect_floats(roi_align(3, "avg", "").run1(), {1, 1, 1, 1}, {1.5f}, 1e-6f);
  // max: the largest sample f(0.75, 0.75).
  expect_floats(roi_align(3, "max", "").run1(), {1, 1, 1, 1}, {2.25f}, 1e-6f);
  // half_pixel: box [(0 + .5) * .5 - .5, ...] = [-0.25, 0.75]^2: samples 0 and 0.5 (the first
  // clamped from -0.0): mean coordinate 0.25 -> 0.75.
  expect_floats(roi_align(9, "avg", "half_pixel").run1(), {1, 1, 1, 1}, {0.75f}, 1e-6f);
  // half_pixel_for_nn: [-0.5, 0.5]^2: samples -0.25 (clamped to 0) and 0.25: mean 0.125 -> 0.375.
  expect_floats(roi_align(9, "avg", "half_pixel_for_nn").run1(), {1, 1, 1, 1}, {0.375f}, 1e-6f);
}

// ---- GridSample ----

TEST(ReferenceGridSample, NearestRoundsHalfToEvenAndReflection) {
  // W = 4 without align_corners: x = ((xn + 1) * 4 - 1) / 2, so xn -0.5, 0, 0.5 land on 0.5, 1.5,
  // 2.5, rounded half to even to pixels 0, 2, 2.
  OpCase c(OpKind::kGridSample, 9);
  c.attr("align_corners", "false").attr("mode", "nearest").attr("padding_mode", "zeros");
  c.in(f32({1, 1, 1, 4}, {10, 20, 30, 40})).in(f32({1, 1, 3, 2}, {-0.5f, 0, 0, 0, 0.5f, 0}));
  expect_floats(c.run1(), {1, 1, 1, 3}, {10, 30, 30});
  // Bilinear reflection (indices mirrored about the pixel edges): xn 1.5 on W = 3 is x = 3.25;
  // pixels 3 and 4 mirror to 2 and 1: 0.75 * 4 + 0.25 * 2.
  OpCase r(OpKind::kGridSample, 9);
  r.attr("align_corners", "false").attr("mode", "bilinear").attr("padding_mode", "reflection");
  r.in(f32({1, 1, 1, 3}, {1, 2, 4})).in(f32({1, 1, 1, 2}, {1.5f, 0}));
  expect_floats(r.run1(), {1, 1, 1, 1}, {3.5f}, 1e-6f);
}

// ---- Adaptive pools ----

TEST(ReferenceAdaptivePool, WindowsAndI64Indices) {
  // 5 -> 2: windows [0, 3) and [2, 5).
  OpCase m(OpKind::kAdaptiveMaxPool, 8);
  m.attr("index_element_type", "i64");
  m.in(f32({1, 1, 5}, {3, 7, 7, 2, 9})).in(i64({1}, {2}));
  const auto out = m.run();
  ASSERT_EQ(out.size(), 2u);
  expect_floats(out[0], {1, 1, 2}, {7, 9});
  expect_ints(out[1], ElementType::kI64, {1, 1, 2}, {1, 4});  // the first 7 wins
  // 5 -> 3: windows [0, 2), [1, 4), [3, 5).
  OpCase a(OpKind::kAdaptiveAvgPool, 8);
  a.in(f32({1, 1, 5}, {3, 7, 7, 2, 9})).in(i32({1}, {3}));
  expect_floats(a.run1(), {1, 1, 3}, {5, 16.0f / 3, 5.5f}, 1e-6f);
}

// ---- ExtractImagePatches, Col2Im ----

TEST(ReferencePatches, ExtractAndFold) {
  const std::vector<float> img = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  auto patches = [&](const char* pad, const char* stride) {
    OpCase c(OpKind::kExtractImagePatches, 3);
    c.attr("sizes", "2,2").attr("strides", stride).attr("rates", "1,1").attr("auto_pad", pad);
    c.in(f32({1, 1, 3, 3}, img));
    return c.run1();
  };
  // Channels (kh, kw): the pixel at (oh + kh, ow + kw).
  expect_floats(patches("valid", "1,1"), {1, 4, 2, 2}, {1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9});
  // Stride 2 on 3 pixels pads 1: same_upper at the end, same_lower at the start (zeros).
  expect_floats(patches("same_upper", "2,2"), {1, 4, 2, 2}, {1, 3, 7, 9, 2, 0, 8, 0, 4, 6, 0, 0, 5, 0, 0, 0});
  expect_floats(patches("same_lower", "2,2"), {1, 4, 2, 2}, {0, 0, 0, 5, 0, 0, 4, 6, 0, 2, 0, 8, 1, 3, 7, 9});
  // Col2Im of all-ones 2x2 columns over a 3x3 image: each pixel counts the windows covering it.
  OpCase f(OpKind::kCol2Im, 15);
  f.in(f32({4, 4}, std::vector<float>(16, 1.0f))).in(i64({2}, {3, 3})).in(i64({2}, {2, 2}));
  expect_floats(f.run1(), {1, 3, 3}, {1, 2, 1, 2, 4, 2, 1, 2, 1});
}

// ---- DeformableConvolution, BinaryConvolution ----

TEST(ReferenceDeformableConv, ZeroOffsetsIsConvolutionAndMaskScales) {
  // data [1, 2, 4, 5], filters [3, 2, 3, 3], pads 1: with zero offsets every tap reads its regular
  // pixel, so the result is a plain convolution (computed here).
  const int64_t C = 2, H = 4, W = 5, O = 3;
  std::vector<float> x(C * H * W), w(O * C * 9);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.7f * static_cast<float>(i));
  for (size_t i = 0; i < w.size(); ++i) w[i] = std::cos(0.3f * static_cast<float>(i));
  std::vector<float> want(O * H * W, 0.0f);
  for (int64_t o = 0; o < O; ++o)
    for (int64_t oy = 0; oy < H; ++oy)
      for (int64_t ox = 0; ox < W; ++ox) {
        double s = 0;
        for (int64_t c = 0; c < C; ++c)
          for (int64_t ky = 0; ky < 3; ++ky)
            for (int64_t kx = 0; kx < 3; ++kx) {
              const int64_t iy = oy - 1 + ky, ix = ox - 1 + kx;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              s += static_cast<double>(x[static_cast<size_t>((c * H + iy) * W + ix)]) *
                   w[static_cast<size_t>(((o * C + c) * 3 + ky) * 3 + kx)];
            }
        want[static_cast<size_t>((o * H + oy) * W + ox)] = static_cast<float>(s);
      }
  auto run = [&](int version, bool mask) {
    OpCase c(OpKind::kDeformableConvolution, version);
    c.attr("strides", "1,1").attr("pads_begin", "1,1").attr("pads_end", "1,1").attr("dilations", "1,1");
    c.attr("auto_pad", "explicit").attr("group", "1").attr("deformable_group", "1");
    c.in(f32({1, C, H, W}, x))
        .in(f32({1, 18, H, W}, std::vector<float>(18 * H * W, 0.0f)))
        .in(f32({O, C, 3, 3}, w));
    if (mask) c.in(f32({1, 9, H, W}, std::vector<float>(9 * H * W, 0.5f)));
    return c.run1();
  };
  expect_floats(run(1, false), {1, O, H, W}, want, 1e-5f);
  std::vector<float> half = want;
  for (float& v : half) v *= 0.5f;
  expect_floats(run(8, true), {1, O, H, W}, half, 1e-5f);
}

TEST(ReferenceBinaryConv, XnorPopcountWithPadValue) {
  // data [[1, 0], [0, 1]], filter bits 1 1 / 0 1 (byte 0b1101'0000), 2x2 window, one column of end
  // padding: window 0 matches 3 of 4 taps (2 * 3 - 4 = 2); window 1 reads [0, pad; 1, pad].
  auto run = [](const char* pad_value) {
    OpCase c(OpKind::kBinaryConvolution);
    c.attr("strides", "1,1").attr("pads_begin", "0,0").attr("pads_end", "0,1").attr("dilations", "1,1");
    c.attr("mode", "xnor-popcount").attr("pad_value", pad_value).attr("auto_pad", "explicit");
    Tensor bits(ElementType::kU1, {1, 1, 2, 2});
    static_cast<uint8_t*>(bits.data())[0] = 0xD0;
    c.in(f32({1, 1, 2, 2}, {1, 0, 0, 1})).in(std::move(bits));
    return c.run1();
  };
  expect_floats(run("1"), {1, 1, 1, 2}, {2, 0});   // pad 1 matches weights 1: 0 1 1 1 vs 1 1 0 1
  expect_floats(run("0"), {1, 1, 1, 2}, {2, -4});  // pad 0: 0 0 1 0 vs 1 1 0 1
}

// ---- NV12 / I420 ----

TEST(ReferenceColor, Bt601Conversion) {
  // A 2x2 image: Y 16, 100, 150, 235 with one chroma sample U 90, V 200.
  auto expected = [](bool bgr, bool round) {
    std::vector<float> out;
    for (float y : {16.f, 100.f, 150.f, 235.f}) {
      const float c = y - 16, d = 90.f - 128, e = 200.f - 128;
      auto clip = [round](float v) { return std::min(std::max(round ? std::round(v) : v, 0.0f), 255.0f); };
      const float r = clip(1.164f * c + 1.596f * e), g = clip(1.164f * c - 0.391f * d - 0.813f * e),
                  b = clip(1.164f * c + 2.018f * d);
      out.insert(out.end(), {bgr ? b : r, g, bgr ? r : b});
    }
    return out;
  };
  OpCase nv(OpKind::kNV12toBGR, 8);
  nv.in(f32({1, 3, 2, 1}, {16, 100, 150, 235, 90, 200}));
  expect_floats(nv.run1(), {1, 2, 2, 3}, expected(true, false), 1e-4f);
  OpCase i420(OpKind::kI420toRGB, 8);
  i420.in(test::ints(ElementType::kU8, {1, 2, 2, 1}, {16, 100, 150, 235}))
      .in(test::ints(ElementType::kU8, {1, 1, 1, 1}, {90}))
      .in(test::ints(ElementType::kU8, {1, 1, 1, 1}, {200}));
  const auto want = expected(false, true);
  expect_ints(i420.run1(), ElementType::kU8, {1, 2, 2, 3}, std::vector<int64_t>(want.begin(), want.end()));
}

TEST(ReferenceColor, U8TiesRoundHalfAwayFromZero) {
  // Y 9, V 166: R = 1.164 * -7 + 1.596 * 38 = -8.148 + 60.648 = 52.5 exactly in f32. The spec's
  // reference rounds with std::round (53); OpenVINO's CPU plugin gives 52 (ties to even). G and B
  // are negative and clamp to 0.
  OpCase c(OpKind::kI420toRGB, 8);
  c.in(test::ints(ElementType::kU8, {1, 3, 2, 1}, {9, 9, 9, 9, 128, 166}));
  expect_ints(c.run1(), ElementType::kU8, {1, 2, 2, 3}, {53, 0, 0, 53, 0, 0, 53, 0, 0, 53, 0, 0});
}

}  // namespace
}  // namespace octet
