// Hand-computed Convolution, GroupConvolution, MatMul, MaxPool and AvgPool cases.
#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::expect_ints;
using test::f32;
using test::OpCase;

const std::vector<float> k1to9 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

OpCase conv(Tensor x, Tensor w, const char* strides, const char* pads, const char* dil = nullptr,
            const char* auto_pad = "explicit") {
  OpCase c(OpKind::kConvolution);
  c.attr("strides", strides).attr("pads_begin", pads).attr("pads_end", pads).attr("auto_pad", auto_pad);
  const bool two_d = std::string(strides).find(',') != std::string::npos;
  c.attr("dilations", dil ? dil : (two_d ? "1,1" : "1"));
  c.in(std::move(x)).in(std::move(w));
  return c;
}

TEST(ReferenceConvolution, DiagonalKernelNoPad) {
  auto y = conv(f32({1, 1, 3, 3}, k1to9), f32({1, 1, 2, 2}, {1, 0, 0, 1}), "1,1", "0,0").run1();
  expect_floats(y, {1, 1, 2, 2}, {6, 8, 12, 14});
}

TEST(ReferenceConvolution, PadsAndStride) {
  auto y = conv(f32({1, 1, 3, 3}, k1to9), f32({1, 1, 2, 2}, {1, 0, 0, 1}), "2,2", "1,1").run1();
  expect_floats(y, {1, 1, 2, 2}, {1, 3, 7, 14});
}

TEST(ReferenceConvolution, Dilation) {
  auto y = conv(f32({1, 1, 3, 3}, k1to9), f32({1, 1, 2, 2}, {1, 0, 0, 1}), "1,1", "0,0", "2,2").run1();
  expect_floats(y, {1, 1, 1, 1}, {10});
}

TEST(ReferenceConvolution, SumsOverInputChannels) {
  auto y = conv(f32({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}), f32({1, 2, 1, 1}, {1, 10}), "1,1", "0,0").run1();
  expect_floats(y, {1, 1, 2, 2}, {51, 62, 73, 84});
}

TEST(ReferenceConvolution, AutoPadSameUpperAndLower1D) {
  auto upper = conv(f32({1, 1, 4}, {1, 2, 3, 4}), f32({1, 1, 2}, {1, 1}), "1", "0", "1", "same_upper").run1();
  expect_floats(upper, {1, 1, 4}, {3, 5, 7, 4});
  auto lower = conv(f32({1, 1, 4}, {1, 2, 3, 4}), f32({1, 1, 2}, {1, 1}), "1", "0", "1", "same_lower").run1();
  expect_floats(lower, {1, 1, 4}, {1, 3, 5, 7});
}

TEST(ReferenceGroupConvolution, DepthwiseAndTwoGroups) {
  OpCase c(OpKind::kGroupConvolution);
  c.attr("strides", "1,1").attr("dilations", "1,1").attr("pads_begin", "0,0").attr("pads_end", "0,0");
  c.in(f32({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})).in(f32({2, 1, 1, 1, 1}, {2, 3}));
  expect_floats(c.run1(), {1, 2, 2, 2}, {2, 4, 6, 8, 15, 18, 21, 24});
  // Two groups, each 1 in -> 2 out channels: group g reads channel g only.
  OpCase d(OpKind::kGroupConvolution);
  d.attr("strides", "1").attr("dilations", "1").attr("pads_begin", "0").attr("pads_end", "0");
  d.in(f32({1, 2, 2}, {1, 2, 10, 20})).in(f32({2, 2, 1, 1}, {1, -1, 2, 3}));
  expect_floats(d.run1(), {1, 4, 2}, {1, 2, -1, -2, 20, 40, 30, 60});
}

TEST(ReferenceMatMul, PlainTransposedRank1AndBatch) {
  OpCase a(OpKind::kMatMul);
  a.in(f32({2, 3}, {1, 2, 3, 4, 5, 6})).in(f32({3, 2}, {1, 0, 0, 1, 1, 1}));
  expect_floats(a.run1(), {2, 2}, {4, 5, 10, 11});
  OpCase b(OpKind::kMatMul);
  b.attr("transpose_b", "true").in(f32({2, 3}, {1, 2, 3, 4, 5, 6})).in(f32({2, 3}, {1, 0, 1, 0, 1, 1}));
  expect_floats(b.run1(), {2, 2}, {4, 5, 10, 11});
  OpCase c(OpKind::kMatMul);
  c.attr("transpose_a", "true").in(f32({3, 2}, {1, 4, 2, 5, 3, 6})).in(f32({3, 2}, {1, 0, 0, 1, 1, 1}));
  expect_floats(c.run1(), {2, 2}, {4, 5, 10, 11});
  OpCase d(OpKind::kMatMul);
  d.in(f32({3}, {1, 2, 3})).in(f32({3, 2}, {1, 0, 0, 1, 1, 1}));
  expect_floats(d.run1(), {2}, {4, 5});
  OpCase e(OpKind::kMatMul);
  e.in(f32({2, 1, 3}, {1, 2, 3, 4, 5, 6})).in(f32({3, 2}, {1, 0, 0, 1, 1, 1}));
  expect_floats(e.run1(), {2, 1, 2}, {4, 5, 10, 11});
  OpCase f(OpKind::kMatMul);
  f.in(f32({3}, {1, 2, 3})).in(f32({3}, {4, 5, 6}));
  expect_floats(f.run1(), {}, {32});
}

OpCase pool(OpKind op, int version, Tensor x, const char* kernel, const char* strides, const char* pb,
            const char* pe, const char* rounding = "floor") {
  OpCase c(op, version);
  c.attr("kernel", kernel).attr("strides", strides).attr("pads_begin", pb).attr("pads_end", pe);
  c.attr("rounding_type", rounding).in(std::move(x));
  return c;
}

const std::vector<float> kPoolIn = {1, 5, 3, 4, 2, 9, 7, 8, 6};

TEST(ReferenceMaxPool, ValuesAndIndicesV8) {
  std::vector<float> two = kPoolIn;
  for (float v : kPoolIn) two.push_back(v + 10);
  auto c = pool(OpKind::kMaxPool, 8, f32({2, 1, 3, 3}, two), "2,2", "1,1", "0,0", "0,0");
  c.attr("dilations", "1,1");
  auto out = c.run();
  ASSERT_EQ(out.size(), 2u);
  expect_floats(out[0], {2, 1, 2, 2}, {5, 9, 8, 9, 15, 19, 18, 19});
  expect_ints(out[1], ElementType::kI64, {2, 1, 2, 2}, {1, 5, 7, 5, 10, 14, 16, 14});
  c.attr("axis", "2").attr("index_element_type", "i32");
  out = c.run();
  expect_ints(out[1], ElementType::kI32, {2, 1, 2, 2}, {1, 5, 7, 5, 1, 5, 7, 5});
}

TEST(ReferenceMaxPool, CeilRoundingAndV1SingleOutput) {
  auto out = pool(OpKind::kMaxPool, 1, f32({1, 1, 3, 3}, kPoolIn), "2,2", "2,2", "0,0", "0,0", "ceil").run();
  ASSERT_EQ(out.size(), 1u);
  expect_floats(out[0], {1, 1, 2, 2}, {5, 9, 8, 6});
  auto floor = pool(OpKind::kMaxPool, 1, f32({1, 1, 3, 3}, kPoolIn), "2,2", "2,2", "0,0", "0,0").run1();
  expect_floats(floor, {1, 1, 1, 1}, {5});
}

TEST(ReferenceMaxPool, PaddingNeverWins) {
  auto y = pool(OpKind::kMaxPool, 1, f32({1, 1, 1, 2}, {-3, -4}), "1,2", "1,1", "0,1", "0,1").run1();
  expect_floats(y, {1, 1, 1, 3}, {-3, -3, -4});
}

TEST(ReferenceAvgPool, DivisorRules) {
  auto ex = pool(OpKind::kAvgPool, 1, f32({1, 1, 3, 3}, k1to9), "2,2", "2,2", "0,0", "1,1");
  ex.attr("exclude-pad", "true");
  expect_floats(ex.run1(), {1, 1, 2, 2}, {3, 4.5f, 7.5f, 9});
  auto inc = pool(OpKind::kAvgPool, 1, f32({1, 1, 3, 3}, k1to9), "2,2", "2,2", "0,0", "1,1");
  inc.attr("exclude-pad", "false");
  expect_floats(inc.run1(), {1, 1, 2, 2}, {3, 2.25f, 3.75f, 2.25f});
  // No pads but a ceil overhang: the divisor counts only in-bounds elements.
  auto ceil = pool(OpKind::kAvgPool, 1, f32({1, 1, 3, 3}, k1to9), "2,2", "2,2", "0,0", "0,0", "ceil");
  ceil.attr("exclude-pad", "false");
  expect_floats(ceil.run1(), {1, 1, 2, 2}, {3, 4.5f, 7.5f, 9});
}

}  // namespace
}  // namespace octet
