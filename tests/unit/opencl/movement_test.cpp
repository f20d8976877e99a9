// Data movement, ShapeOf and Interpolate kernels against the spec-exact reference (with the guard
// bytes of ocl_test_util around every output), on odd shapes and every mode the kernels take.
#include <cstring>

#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

using test::i64_tensor;
using test::OpCase;
using test::random_tensor;

Tensor i64s(const std::vector<int64_t>& v) {
  return i64_tensor(v, {static_cast<int64_t>(v.size())});
}

Tensor f32_scalar(float v) {
  Tensor t(ElementType::kF32, {});
  t.data_as<float>()[0] = v;
  return t;
}

Tensor f32s(const std::vector<float>& v) {
  Tensor t(ElementType::kF32, {static_cast<int64_t>(v.size())});
  std::memcpy(t.data(), v.data(), v.size() * sizeof(float));
  return t;
}

TEST(OpenClMovement, ReshapeTransposeSqueeze) {
  OCTET_REQUIRE_OPENCL(backend);
  OpCase r(OpKind::kReshape);
  r.input(random_tensor({2, 3, 5}, 1)).input(i64s({5, -1, 3}), true).attr("special_zero", "false");
  r.finish();
  test::expect_matches_reference(r, "Reshape");
  for (const std::vector<int64_t>& order :
       std::vector<std::vector<int64_t>>{{0, 2, 3, 1}, {3, 1, 0, 2}, {1, 0, 2, 3}}) {
    OpCase t(OpKind::kTranspose);
    t.input(random_tensor({2, 3, 5, 7}, 2)).input(i64s(order), true);
    t.finish();
    test::expect_matches_reference(t, "Transpose " + to_string(order));
  }
  OpCase t5(OpKind::kTranspose);  // rank 6, odd dims
  t5.input(random_tensor({3, 1, 2, 5, 1, 3}, 3)).input(i64s({5, 3, 0, 4, 2, 1}), true);
  t5.finish();
  test::expect_matches_reference(t5, "Transpose rank 6");
  OpCase sq(OpKind::kSqueeze);
  sq.input(random_tensor({1, 3, 1, 5}, 4)).input(i64s({0, -2}), true);
  sq.finish();
  test::expect_matches_reference(sq, "Squeeze");
  OpCase us(OpKind::kUnsqueeze);
  us.input(random_tensor({3, 5}, 5)).input(i64s({0, 3}), true);
  us.finish();
  test::expect_matches_reference(us, "Unsqueeze");
}

TEST(OpenClMovement, ConcatSplitSlices) {
  OCTET_REQUIRE_OPENCL(backend);
  for (int64_t axis : {0, 1, -1}) {
    OpCase c(OpKind::kConcat);
    Dims a = {2, 3, 5}, b = a, d = a;
    size_t ax = static_cast<size_t>(axis < 0 ? axis + 3 : axis);
    b[ax] = 1, d[ax] = 4;
    c.input(random_tensor(a, 6)).input(random_tensor(b, 7), true).input(random_tensor(d, 8));
    c.attr("axis", std::to_string(axis));
    c.finish();
    test::expect_matches_reference(c, "Concat axis " + std::to_string(axis) + " with a constant input");
  }
  OpCase s(OpKind::kSplit);
  s.input(random_tensor({2, 9, 5}, 9)).input(i64_tensor({1}, {}), true).attr("num_splits", "3");
  s.finish();
  test::expect_matches_reference(s, "Split");
  OpCase v(OpKind::kVariadicSplit);
  v.input(random_tensor({2, 9, 5}, 10)).input(i64_tensor({-1}, {}), true).input(i64s({1, -1, 0, 3}), true);
  v.finish();
  test::expect_matches_reference(v, "VariadicSplit with an empty part");
  OpCase sl(OpKind::kSlice, 8);
  sl.input(random_tensor({7, 6, 5}, 11))
      .input(i64s({-1, 1}), true)
      .input(i64s({-100, 5}), true)
      .input(i64s({-2, 3}), true)
      .input(i64s({0, 2}), true);
  sl.finish();
  test::expect_matches_reference(sl, "Slice negative step");
  OpCase ss(OpKind::kStridedSlice);
  ss.input(random_tensor({4, 5, 6, 7}, 12))
      .input(i64s({1, 0, -1}), true)
      .input(i64s({3, 0, -5}), true)
      .input(i64s({1, 1, -2}), true);
  ss.attr("begin_mask", "0,0,0").attr("end_mask", "0,0,0").attr("ellipsis_mask", "0,1,0");
  ss.attr("new_axis_mask", "0,0,0").attr("shrink_axis_mask", "0,0,0");
  ss.finish();
  test::expect_matches_reference(ss, "StridedSlice ellipsis");
  OpCase sm(OpKind::kStridedSlice);
  sm.input(random_tensor({4, 5, 6}, 13))
      .input(i64s({1, 0, 0, 2}), true)
      .input(i64s({3, 0, 0, 6}), true)
      .input(i64s({1, 1, 1, 2}), true);
  sm.attr("begin_mask", "0,0,1,0").attr("end_mask", "0,0,1,0").attr("ellipsis_mask", "0,0,0,0");
  sm.attr("new_axis_mask", "0,1,0,0").attr("shrink_axis_mask", "1,0,0,0");
  sm.finish();
  test::expect_matches_reference(sm, "StridedSlice shrink + new axis");
}

TEST(OpenClMovement, GatherBroadcastPad) {
  OCTET_REQUIRE_OPENCL(backend);
  OpCase g(OpKind::kGather, 8);
  g.input(random_tensor({3, 7, 5}, 14))
      .input(i64_tensor({0, -1, 6, 2, 3, -7}, {2, 3}))
      .input(i64_tensor({1}, {}), true);
  g.finish();
  test::expect_matches_reference(g, "Gather-8 negative indices");
  OpCase gb(OpKind::kGather, 8);
  Tensor idx(ElementType::kI32, {3, 2});
  const int32_t iv[] = {0, 4, 1, 1, 3, 2};
  std::memcpy(idx.data(), iv, sizeof(iv));
  gb.input(random_tensor({3, 5, 4}, 15))
      .input(idx, true)
      .input(i64_tensor({1}, {}), true)
      .attr("batch_dims", "1");
  gb.finish();
  test::expect_matches_reference(gb, "Gather-8 batch_dims 1, i32 indices");
  OpCase b(OpKind::kBroadcast, 3);
  b.input(random_tensor({3, 1, 5}, 16)).input(i64s({2, 3, 4, 5}), true).attr("mode", "numpy");
  b.finish();
  test::expect_matches_reference(b, "Broadcast numpy");
  OpCase bb(OpKind::kBroadcast, 3);
  bb.input(random_tensor({3, 1, 5}, 17)).input(i64s({4, 1}), true).attr("mode", "bidirectional");
  bb.finish();
  test::expect_matches_reference(bb, "Broadcast bidirectional");
  OpCase be(OpKind::kBroadcast, 1);
  be.input(random_tensor({3}, 18)).input(i64s({2, 3, 4}), true).input(i64s({1}), true).attr("mode", "none");
  be.finish();
  test::expect_matches_reference(be, "Broadcast-1 none (explicit)");
  for (const char* mode : {"constant", "edge", "reflect", "symmetric"}) {
    OpCase p(OpKind::kPad, 12);
    p.input(random_tensor({2, 3, 4, 5}, 19)).input(i64s({0, 1, 2, 3}), true).input(i64s({1, 0, 3, 2}), true);
    if (std::string(mode) == "constant") p.input(f32_scalar(-2.5f), true);
    p.attr("pad_mode", mode);
    p.finish();
    test::expect_matches_reference(p, std::string("Pad ") + mode);
  }
  OpCase pn(OpKind::kPad, 12);  // negative pads crop (Pad-12)
  pn.input(random_tensor({4, 6}, 20))
      .input(i64s({-1, 2}), true)
      .input(i64s({1, -3}), true)
      .attr("pad_mode", "constant");
  pn.finish();
  test::expect_matches_reference(pn, "Pad-12 negative pads");
}

TEST(OpenClMovement, ShapeOf) {
  OCTET_REQUIRE_OPENCL(backend);
  for (const char* type : {"i64", "i32"}) {
    OpCase s(OpKind::kShapeOf, 3);
    s.input(random_tensor({2, 7, 1, 3}, 21)).attr("output_type", type);
    s.finish();
    test::expect_matches_reference(s, std::string("ShapeOf ") + type);
  }
}

TEST(OpenClInterpolate, ModesAndTransforms) {
  OCTET_REQUIRE_OPENCL(backend);
  struct I {
    std::string mode, coord, nearest = "round_prefer_floor";
    Dims sizes;
    bool antialias = false;
    std::string pads = "0,0,0,0";
  };
  std::vector<I> cases = {
      {"nearest", "asymmetric", "floor", {9, 13}},
      {"nearest", "half_pixel", "round_prefer_ceil", {3, 4}},
      {"nearest", "tf_half_pixel_for_nn", "ceil", {8, 3}},
      {"nearest", "align_corners", "simple", {2, 11}},
      {"linear_onnx", "half_pixel", "", {9, 13}},
      {"linear_onnx", "align_corners", "", {4, 3}},
      {"linear_onnx", "pytorch_half_pixel", "", {1, 9}},
      {"cubic", "half_pixel", "", {9, 7}},
      {"cubic", "asymmetric", "", {3, 3}},
      {"linear", "half_pixel", "", {10, 12}},
      {"linear", "half_pixel", "", {3, 2}, true},
      {"linear_onnx", "asymmetric", "", {8, 9}, false, "0,0,1,2"},
  };
  for (const I& k : cases) {
    OpCase c(OpKind::kInterpolate, 11);
    c.input(random_tensor({2, 3, 5, 6}, 22)).input(i64s(k.sizes), true).input(i64s({2, 3}), true);
    c.attr("mode", k.mode)
        .attr("shape_calculation_mode", "sizes")
        .attr("coordinate_transformation_mode", k.coord);
    if (!k.nearest.empty()) c.attr("nearest_mode", k.nearest);
    c.attr("antialias", k.antialias ? "true" : "false")
        .attr("pads_begin", k.pads)
        .attr("pads_end", "0,0,0,0");
    c.finish();
    test::expect_matches_reference(c, "Interpolate-11 " + k.mode + " " + k.coord + " " + to_string(k.sizes) +
                                          (k.antialias ? " antialias" : "") + " pads " + k.pads);
  }
  // Interpolate-4 with scales on all four dims, and a 3-D input.
  OpCase s(OpKind::kInterpolate, 4);
  s.input(random_tensor({1, 2, 4, 5}, 23))
      .input(i64s({1, 2, 6, 7}), true)
      .input(f32s({1.0f, 1.0f, 1.5f, 1.4f}), true);
  s.attr("mode", "linear_onnx")
      .attr("shape_calculation_mode", "scales")
      .attr("coordinate_transformation_mode", "half_pixel");
  s.attr("pads_begin", "0,0,0,0").attr("pads_end", "0,0,0,0");
  s.finish();
  test::expect_matches_reference(s, "Interpolate-4 scales");
  OpCase t(OpKind::kInterpolate, 11);
  t.input(random_tensor({2, 3, 7}, 24)).input(i64s({13}), true).input(i64s({2}), true);
  t.attr("mode", "cubic")
      .attr("shape_calculation_mode", "sizes")
      .attr("coordinate_transformation_mode", "align_corners");
  t.finish();
  test::expect_matches_reference(t, "Interpolate-11 cubic 1-D");
}

TEST(OpenClConvert, PackedI4AndU4) {
  OCTET_REQUIRE_OPENCL(backend);
  for (ElementType type : {ElementType::kI4, ElementType::kU4}) {
    Tensor codes(type, {3, 7});  // 21 codes: the last byte is half used
    auto* p = static_cast<uint8_t*>(codes.data());
    for (size_t i = 0; i < codes.byte_size(); ++i) p[i] = static_cast<uint8_t>(i * 37 + 11);
    OpCase c(OpKind::kConvert);
    c.input(codes, true).attr("destination_type", "f32");
    c.finish();
    test::expect_matches_reference(c, std::string("Convert ") + element_type_name(type) + " -> f32");
  }
}

TEST(OpenClConv, RunTimeFilters) {
  OCTET_REQUIRE_OPENCL(backend);
  // Filters as a Parameter: the kernel reads the graph's layout each run.
  OpCase c(OpKind::kConvolution);
  c.input(random_tensor({1, 5, 9, 8}, 25)).input(random_tensor({6, 5, 3, 2}, 26));
  c.attr("strides", "2,1").attr("dilations", "1,2").attr("pads_begin", "1,0").attr("pads_end", "0,1");
  c.finish();
  test::expect_matches_reference(c, "Convolution, run-time filters");
  OpCase g(OpKind::kGroupConvolution);
  g.input(random_tensor({2, 6, 7, 7}, 27)).input(random_tensor({3, 3, 2, 3, 3}, 28));
  g.attr("strides", "1,1").attr("dilations", "1,1").attr("pads_begin", "1,1").attr("pads_end", "1,1");
  g.finish();
  test::expect_matches_reference(g, "GroupConvolution, run-time filters");
  OpCase d(OpKind::kGroupConvolution);
  d.input(random_tensor({1, 4, 6, 5}, 29)).input(random_tensor({4, 1, 1, 3, 3}, 30));
  d.attr("strides", "2,2").attr("dilations", "1,1").attr("pads_begin", "1,1").attr("pads_end", "1,1");
  d.finish();
  test::expect_matches_reference(d, "depthwise, run-time filters");
}

}  // namespace
}  // namespace octet
