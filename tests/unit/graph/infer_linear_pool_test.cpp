// Shape inference tests for Convolution, GroupConvolution, MatMul, MaxPool, AvgPool and the window
// geometry helpers. Expected dims are computed by hand from ir-spec.md 4.3 / 6.4 (and match OpenVINO).
#include "host/graph/ops/conv_geometry.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using Attrs = std::map<std::string, std::string>;

Attrs conv2d(const char* strides, const char* pads_begin, const char* pads_end,
             const char* auto_pad = "explicit", const char* dilations = "1,1") {
  return {{"strides", strides},
          {"pads_begin", pads_begin},
          {"pads_end", pads_end},
          {"auto_pad", auto_pad},
          {"dilations", dilations}};
}

TEST(InferConvolution, Explicit) {
  Builder b;
  // floor((224 + 3 + 3 - 7) / 2) + 1 = 112
  EXPECT_EQ(b.infer(OpKind::kConvolution, {b.param({1, 3, 224, 224}), b.param({64, 3, 7, 7})},
                    conv2d("2,2", "3,3", "3,3")),
            (Dims{1, 64, 112, 112}));
  // Asymmetric pads: H floor((10+1+0-3)/1)+1 = 9, W floor((10+0+2-3)/1)+1 = 10
  EXPECT_EQ(b.infer(OpKind::kConvolution, {b.param({2, 3, 10, 10}), b.param({5, 3, 3, 3})},
                    conv2d("1,1", "1,0", "0,2")),
            (Dims{2, 5, 9, 10}));
  // 1-D and 3-D
  EXPECT_EQ(b.infer(OpKind::kConvolution, {b.param({2, 4, 10}), b.param({8, 4, 3})},
                    {{"strides", "1"}, {"pads_begin", "1"}, {"pads_end", "1"}, {"dilations", "1"}}),
            (Dims{2, 8, 10}));
  EXPECT_EQ(
      b.infer(OpKind::kConvolution, {b.param({1, 2, 8, 9, 10}), b.param({4, 2, 3, 3, 3})},
              {{"strides", "2,2,2"}, {"pads_begin", "0,0,0"}, {"pads_end", "0,0,0"}, {"dilations", "1,1,1"}}),
      (Dims{1, 4, 3, 4, 4}));
  // Dilation 2, kernel 3 -> effective 5: floor((10-5)/2)+1 = 3
  EXPECT_EQ(b.infer(OpKind::kConvolution, {b.param({1, 1, 10, 10}), b.param({1, 1, 3, 3})},
                    conv2d("2,2", "0,0", "0,0", "valid", "2,2")),
            (Dims{1, 1, 3, 3}));
  // Dynamic batch and spatial dims stay dynamic.
  EXPECT_EQ(b.infer(OpKind::kConvolution, {b.param({-1, 3, -1, 8}), b.param({4, 3, 3, 3})},
                    conv2d("1,1", "0,0", "0,0")),
            (Dims{-1, 4, -1, 6}));
}

TEST(InferConvolution, AutoPadRecomputesZeroedPads) {
  Builder b;
  // The IR writes zero pads for same_*; ceil(10/3) = 4, total = 3*3 + 4 - 10 = 3.
  Node* x = b.param({1, 1, 10, 10});
  Node* w = b.param({1, 1, 4, 4});
  b.infer(OpKind::kConvolution, {x, w}, conv2d("3,3", "0,0", "0,0", "same_upper"));
  EXPECT_EQ(b.last->outputs[0].shape, (Dims{1, 1, 4, 4}));
  ConvGeometry g = conv_geometry(*b.last);
  EXPECT_EQ(g.pads_begin, (Dims{1, 1}));
  EXPECT_EQ(g.pads_end, (Dims{2, 2}));
  EXPECT_EQ(g.kernel, (Dims{4, 4}));
  EXPECT_EQ(g.output, (Dims{4, 4}));
  b.infer(OpKind::kConvolution, {x, w}, conv2d("3,3", "0,0", "0,0", "SAME_LOWER"));
  g = conv_geometry(*b.last);
  EXPECT_EQ(g.pads_begin, (Dims{2, 2}));
  EXPECT_EQ(g.pads_end, (Dims{1, 1}));
  // same_upper, I=224, S=2, K=3: O=112, total = 111*2+3-224 = 1 -> (0, 1)
  b.infer(OpKind::kConvolution, {b.param({1, 3, 224, 224}), b.param({8, 3, 3, 3})},
          conv2d("2,2", "0,0", "0,0", "same_upper"));
  EXPECT_EQ(b.last->outputs[0].shape, (Dims{1, 8, 112, 112}));
  g = conv_geometry(*b.last);
  EXPECT_EQ(g.pads_begin, (Dims{0, 0}));
  EXPECT_EQ(g.pads_end, (Dims{1, 1}));
  // Dilated same: I=7, K=3, D=2 (dk=5), S=1: total = 6+5-7 = 4 -> (2, 2)
  b.infer(OpKind::kConvolution, {b.param({1, 1, 7, 7}), b.param({1, 1, 3, 3})},
          conv2d("1,1", "0,0", "0,0", "same_upper", "2,2"));
  g = conv_geometry(*b.last);
  EXPECT_EQ(g.pads_begin, (Dims{2, 2}));
  EXPECT_EQ(g.pads_end, (Dims{2, 2}));
  EXPECT_EQ(g.dilations, (Dims{2, 2}));
  EXPECT_EQ(b.last->outputs[0].shape, (Dims{1, 1, 7, 7}));
  // valid ignores nonzero IR pads
  b.infer(OpKind::kConvolution, {b.param({1, 1, 6, 6}), b.param({1, 1, 3, 3})},
          conv2d("1,1", "5,5", "5,5", "valid"));
  EXPECT_EQ(b.last->outputs[0].shape, (Dims{1, 1, 4, 4}));
  EXPECT_EQ(conv_geometry(*b.last).pads_begin, (Dims{0, 0}));
}

TEST(InferConvolution, Errors) {
  Builder b;
  auto x = [&] { return b.param({1, 3, 8, 8}); };
  auto w = [&] { return b.param({4, 3, 3, 3}); };
  expect_model_error(b, OpKind::kConvolution, {x(), b.param({4, 2, 3, 3})}, conv2d("1,1", "0,0", "0,0"), 1,
                     {"3 input channels", "[4,2,3,3]"});
  expect_model_error(b, OpKind::kConvolution, {x(), b.param({4, 3, 3})}, conv2d("1,1", "0,0", "0,0"), 1,
                     {"[4,3,3]"});
  expect_model_error(b, OpKind::kConvolution, {x(), w()}, conv2d("0,1", "0,0", "0,0"), 1, {"strides", "0,1"});
  expect_model_error(b, OpKind::kConvolution, {x(), w()}, conv2d("1,1", "0,0", "0,0", "explicit", "1,0"), 1,
                     {"dilations", "1,0"});
  expect_model_error(b, OpKind::kConvolution, {x(), w()}, conv2d("1,1", "-1,0", "0,0"), 1,
                     {"pads_begin", "-1"});
  expect_model_error(b, OpKind::kConvolution, {x(), w()}, conv2d("1", "0,0", "0,0"), 1, {"strides", "2"});
  expect_model_error(b, OpKind::kConvolution, {x(), w()}, conv2d("1,1x", "0,0", "0,0"), 1,
                     {"strides", "1,1x"});
  expect_model_error(b, OpKind::kConvolution, {x(), w()}, conv2d("1,1", "0,0", "0,0", "same"), 1,
                     {"auto_pad", "same"});
  // Kernel 9 on 8 pixels (+0 pads)
  expect_model_error(b, OpKind::kConvolution, {x(), b.param({4, 3, 9, 9})}, conv2d("1,1", "0,0", "0,0"), 1,
                     {"kernel size 9", "padded input size 8"});
  expect_model_error(b, OpKind::kConvolution, {b.param({8, 8}), b.param({8, 8})}, conv2d("1,1", "0,0", "0,0"),
                     1, {"rank"});
  expect_model_error(b, OpKind::kConvolution, {x(), b.param({4, 3, 3, 3}, ElementType::kF16)},
                     conv2d("1,1", "0,0", "0,0"), 1, {"f16"});
  expect_model_error(b, OpKind::kConvolution, {x(), w()}, {{"strides", "1,1"}, {"dilations", "1,1"}}, 1,
                     {"pads_begin", "missing"});
}

TEST(InferGroupConvolution, ShapesAndChecks) {
  Builder b;
  // Depthwise 3x3, pad 1: spatial unchanged.
  EXPECT_EQ(b.infer(OpKind::kGroupConvolution, {b.param({1, 32, 112, 112}), b.param({32, 1, 1, 3, 3})},
                    conv2d("1,1", "1,1", "1,1")),
            (Dims{1, 32, 112, 112}));
  // G=2, C_out_g=3, C_in_g=4: out channels 6, spatial 5-3+1 = 3; stride 2: floor(2/2)+1 = 2
  EXPECT_EQ(b.infer(OpKind::kGroupConvolution, {b.param({1, 8, 5, 5}), b.param({2, 3, 4, 3, 3})},
                    conv2d("1,2", "0,0", "0,0")),
            (Dims{1, 6, 3, 2}));
  expect_model_error(b, OpKind::kGroupConvolution, {b.param({1, 6, 5, 5}), b.param({2, 3, 4, 3, 3})},
                     conv2d("1,1", "0,0", "0,0"), 1, {"6 channels", "2 groups x 4"});
  expect_model_error(b, OpKind::kGroupConvolution, {b.param({1, 8, 5, 5}), b.param({8, 1, 3, 3})},
                     conv2d("1,1", "0,0", "0,0"), 1, {"must have rank 5"});
}

TEST(InferMatMul, RanksTransposesBroadcast) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kMatMul, {b.param({2, 3, 4}), b.param({4, 5})}), (Dims{2, 3, 5}));
  EXPECT_EQ(b.infer(OpKind::kMatMul, {b.param({2, 3, 4}), b.param({5, 4})}, {{"transpose_b", "true"}}),
            (Dims{2, 3, 5}));
  EXPECT_EQ(b.infer(OpKind::kMatMul, {b.param({4, 3}), b.param({4, 5})}, {{"transpose_a", "true"}}),
            (Dims{3, 5}));
  EXPECT_EQ(b.infer(OpKind::kMatMul, {b.param({4, 3}), b.param({5, 4})},
                    {{"transpose_a", "1"}, {"transpose_b", "1"}}),
            (Dims{3, 5}));
  EXPECT_EQ(b.infer(OpKind::kMatMul, {b.param({5}), b.param({2, 5, 3})}), (Dims{2, 3}));
  EXPECT_EQ(b.infer(OpKind::kMatMul, {b.param({2, 5, 3}), b.param({3})}), (Dims{2, 5}));
  EXPECT_EQ(b.infer(OpKind::kMatMul, {b.param({4}), b.param({4})}), Dims{});
  // Transposes are ignored on rank-1 operands.
  EXPECT_EQ(b.infer(OpKind::kMatMul, {b.param({4}), b.param({4, 2})}, {{"transpose_a", "true"}}), Dims{2});
  EXPECT_EQ(b.infer(OpKind::kMatMul, {b.param({2, 1, 3, 4}), b.param({5, 4, 6})}), (Dims{2, 5, 3, 6}));
  EXPECT_EQ(b.infer(OpKind::kMatMul, {b.param({-1, -1, 8}), b.param({8, 16})}), (Dims{-1, -1, 16}));
}

TEST(InferMatMul, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kMatMul, {b.param({2, 3}), b.param({4, 5})}, {}, 1, {"inner dims", "3", "4"});
  expect_model_error(b, OpKind::kMatMul, {b.param({2, 3}), b.param({5, 2})}, {{"transpose_b", "true"}}, 1,
                     {"inner dims"});
  expect_model_error(b, OpKind::kMatMul, {b.param({2, 3, 4}), b.param({3, 4, 5})}, {}, 1, {"[2]", "[3]"});
  expect_model_error(b, OpKind::kMatMul, {b.param({}), b.param({4})}, {}, 1, {"rank >= 1"});
  expect_model_error(b, OpKind::kMatMul, {b.param({2, 2}), b.param({2, 2})}, {{"transpose_a", "yes"}}, 1,
                     {"transpose_a", "yes"});
}

Attrs pool(const char* kernel, const char* strides, const char* pb, const char* pe,
           const char* rounding = "floor", const char* auto_pad = "explicit") {
  return {{"kernel", kernel}, {"strides", strides},        {"pads_begin", pb},
          {"pads_end", pe},   {"rounding_type", rounding}, {"auto_pad", auto_pad}};
}

TEST(InferMaxPool, RoundingModes) {
  Builder b;
  // floor((112+2-3)/2)+1 = 56
  EXPECT_EQ(b.infer(OpKind::kMaxPool, {b.param({1, 64, 112, 112})}, pool("3,3", "2,2", "1,1", "1,1")),
            (Dims{1, 64, 56, 56}));
  EXPECT_EQ(b.last->outputs.size(), 1u);
  // I=7, k2, s2, p1+1: ceil((7+2-2)/2)+1 = 5; ceil_torch drops the window starting at 8 >= 7+1 -> 4
  EXPECT_EQ(b.infer(OpKind::kMaxPool, {b.param({1, 1, 7, 7})}, pool("2,2", "2,2", "1,1", "1,1", "ceil"), 14),
            (Dims{1, 1, 5, 5}));
  EXPECT_EQ(
      b.infer(OpKind::kMaxPool, {b.param({1, 1, 7, 7})}, pool("2,2", "2,2", "1,1", "1,1", "ceil_torch"), 14),
      (Dims{1, 1, 4, 4}));
  // ceil_torch equals ceil when the last window starts inside the input: I=8,k3,s2,p1: ceil(7/2)+1 = 5, 8 < 9
  EXPECT_EQ(
      b.infer(OpKind::kMaxPool, {b.param({1, 1, 8, 8})}, pool("3,3", "2,2", "1,1", "1,1", "ceil_torch"), 14),
      (Dims{1, 1, 5, 5}));
  // valid uses the rounding type with zero pads: floor(3/2)+1 = 2, ceil(3/2)+1 = 3
  EXPECT_EQ(
      b.infer(OpKind::kMaxPool, {b.param({1, 1, 6, 6})}, pool("3,3", "2,2", "0,0", "0,0", "floor", "valid")),
      (Dims{1, 1, 2, 2}));
  EXPECT_EQ(
      b.infer(OpKind::kMaxPool, {b.param({1, 1, 6, 6})}, pool("3,3", "2,2", "0,0", "0,0", "ceil", "valid")),
      (Dims{1, 1, 3, 3}));
  // same_upper: ceil(7/3) = 3; total = 2*3+3-7 = 2 -> (1, 1)
  b.infer(OpKind::kMaxPool, {b.param({1, 1, 7, 7})}, pool("3,3", "3,3", "0,0", "0,0", "ceil", "same_upper"));
  EXPECT_EQ(b.last->outputs[0].shape, (Dims{1, 1, 3, 3}));
  const ConvGeometry g = pool_geometry(*b.last);
  EXPECT_EQ(g.pads_begin, (Dims{1, 1}));
  EXPECT_EQ(g.pads_end, (Dims{1, 1}));
}

TEST(InferMaxPool, Version8IndicesAndDilations) {
  Builder b;
  Attrs a = pool("3,3", "1,1", "0,0", "0,0");
  a["dilations"] = "2,1";
  a["index_element_type"] = "i32";
  // H: dk = 5 -> 9-5+1 = 5; W: 9-3+1 = 7
  b.infer(OpKind::kMaxPool, {b.param({2, 3, 9, 9})}, a, 8);
  ASSERT_EQ(b.last->outputs.size(), 2u);
  EXPECT_EQ(b.last->outputs[0].shape, (Dims{2, 3, 5, 7}));
  EXPECT_EQ(b.last->outputs[1].shape, (Dims{2, 3, 5, 7}));
  EXPECT_EQ(b.last->outputs[0].type, ElementType::kF32);
  EXPECT_EQ(b.last->outputs[1].type, ElementType::kI32);
  b.infer(OpKind::kMaxPool, {b.param({1, 1, 4, 4})}, pool("2,2", "2,2", "0,0", "0,0"), 8);
  EXPECT_EQ(b.last->outputs[1].type, ElementType::kI64);
  EXPECT_EQ(pool_geometry(*b.last).dilations, (Dims{1, 1}));
}

TEST(InferPooling, Errors) {
  Builder b;
  auto x = [&] { return b.param({1, 3, 8, 8}); };
  expect_model_error(b, OpKind::kMaxPool, {x()}, pool("2,2", "2,2", "0,0", "0,0", "ceil_torch"), 1,
                     {"rounding_type", "ceil_torch"});
  Attrs a = pool("2,2", "2,2", "0,0", "0,0");
  a["axis"] = "7";
  expect_model_error(b, OpKind::kMaxPool, {x()}, a, 8, {"axis", "7"});
  a = pool("2,2", "2,2", "0,0", "0,0");
  a["index_element_type"] = "f32";
  expect_model_error(b, OpKind::kMaxPool, {x()}, a, 8, {"index_element_type", "f32"});
  expect_model_error(b, OpKind::kMaxPool, {x()}, pool("0,3", "1,1", "0,0", "0,0"), 1, {"'kernel'", "value 0"});
  expect_model_error(b, OpKind::kMaxPool, {x()}, pool("3,3", "1,0", "0,0", "0,0"), 1, {"strides", "1,0"});
  expect_model_error(b, OpKind::kMaxPool, {x()}, pool("3", "1,1", "0,0", "0,0"), 1,
                     {"kernel", "one per spatial dim"});
  expect_model_error(b, OpKind::kMaxPool, {x()}, pool("9,9", "1,1", "0,0", "0,0"), 1, {"kernel size 9"});
  expect_model_error(b, OpKind::kMaxPool, {b.param({8, 8})}, pool("2,2", "1,1", "0,0", "0,0"), 1,
                     {"rank 3 to 5"});
  Attrs avg = pool("2,2", "1,1", "3,3", "0,0");
  expect_model_error(b, OpKind::kAvgPool, {x()}, avg, 1, {"exclude-pad", "missing"});
  avg["exclude-pad"] = "true";
  // A window wholly inside the 3-pixel padding would average nothing.
  expect_model_error(b, OpKind::kAvgPool, {x()}, avg, 1, {"pads 3+0", "kernel size 2"});
}

TEST(InferAvgPool, Shapes) {
  Builder b;
  Attrs a = pool("2,2", "1,1", "3,3", "0,0");
  a["exclude-pad"] = "false";
  // (10+3-2)+1 = 12, (7+3-2)+1 = 9 (OpenVINO gives [1,3,12,9] too)
  EXPECT_EQ(b.infer(OpKind::kAvgPool, {b.param({1, 3, 10, 7})}, a), (Dims{1, 3, 12, 9}));
  a = pool("3,3", "2,2", "0,0", "0,0", "ceil_torch");
  a["exclude-pad"] = "true";
  // ceil((7-3)/2)+1 = 3; last window starts at 4 < 7: kept
  EXPECT_EQ(b.infer(OpKind::kAvgPool, {b.param({1, 3, 7, 7})}, a, 14), (Dims{1, 3, 3, 3}));
  EXPECT_EQ(
      b.infer(
          OpKind::kAvgPool, {b.param({1, 3, 7})},
          {{"kernel", "7"}, {"strides", "1"}, {"pads_begin", "0"}, {"pads_end", "0"}, {"exclude-pad", "1"}}),
      (Dims{1, 3, 1}));
}

}  // namespace
}  // namespace octet::test
