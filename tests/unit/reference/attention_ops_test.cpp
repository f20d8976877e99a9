// Hand-computed cases of the attention, transposed-convolution, Einsum and DFT references where the
// OpenVINO zoo cases cannot reach: spec corners OpenVINO's CPU plugin refuses or gets wrong (RDFT
// zero padding, implicit Einsum traces, blanks in equations), NaN rows, integer types. Closed-form
// expectations were evaluated independently (Python math module).
#include <cmath>

#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::expect_ints;
using test::f32;
using test::i64;
using test::OpCase;

Tensor run(OpCase& c) {
  c.node->parse_attributes();
  return c.run1();
}

// ---- ScaledDotProductAttention-13 ----

TEST(ReferenceSdpa, SoftmaxOfScaledScores) {
  // q [1,1,2], k [1,2,2], v [1,2,2]: scores [1/sqrt(2), 0], p0 = e^0.7071 / (e^0.7071 + 1).
  OpCase c(OpKind::kScaledDotProductAttention, 13);
  c.attr("causal", "false")
      .in(f32({1, 1, 2}, {1, 0}))
      .in(f32({1, 2, 2}, {1, 0, 0, 1}))
      .in(f32({1, 2, 2}, {1, 2, 3, 4}));
  expect_floats(run(c), {1, 1, 2}, {1.6604769f, 2.6604769f}, 1e-6f);
  // Explicit scale 2 and a float mask [0.5, -1]: scores [2.5, -1].
  OpCase m(OpKind::kScaledDotProductAttention, 13);
  m.attr("causal", "false")
      .in(f32({1, 1, 2}, {1, 0}))
      .in(f32({1, 2, 2}, {1, 0, 0, 1}))
      .in(f32({1, 2, 2}, {1, 2, 3, 4}))
      .in(f32({1, 2}, {0.5f, -1}))
      .in(f32({}, {2}));
  expect_floats(run(m), {1, 1, 2}, {1.0586245f, 2.0586245f}, 1e-6f);
  // A sink logit ln(2) next to scores [0, 0] (q = 0): weights 1/4, 1/4 and the dropped 1/2.
  OpCase k(OpKind::kScaledDotProductAttention, 13);
  k.attr("causal", "false")
      .in(f32({1, 1, 2}, {0, 0}))
      .in(f32({1, 2, 2}, {1, 0, 0, 1}))
      .in(f32({1, 2, 2}, {1, 2, 3, 4}))
      .in(f32({}, {0}))
      .in(f32({}, {1}))
      .in(f32({1, 1, 1}, {0.69314718f}));
  expect_floats(run(k), {1, 1, 2}, {1, 1.5f}, 1e-6f);
}

TEST(ReferenceSdpa, CausalAndBooleanMasks) {
  // Causal: row 0 sees only key 0, so it returns value 0 exactly; the mask input is ignored.
  OpCase c(OpKind::kScaledDotProductAttention, 13);
  c.attr("causal", "true")
      .in(f32({1, 2, 2}, {1, 0, 0, 1}))
      .in(f32({1, 2, 2}, {1, 0, 0, 1}))
      .in(f32({1, 2, 2}, {1, 2, 3, 4}))
      .in(test::ints(ElementType::kBoolean, {1, 2, 2}, {0, 0, 0, 0}));
  const Tensor y = run(c);
  EXPECT_EQ(y.to_float_vector()[0], 1.0f);
  EXPECT_EQ(y.to_float_vector()[1], 2.0f);
  // A boolean mask: false -> -inf. Row 0 keeps only key 1; row 1 keeps nothing: softmax of all -inf
  // is NaN, as the spec's pseudo-code gives.
  OpCase b(OpKind::kScaledDotProductAttention, 13);
  b.attr("causal", "false")
      .in(f32({1, 2, 2}, {1, 0, 0, 1}))
      .in(f32({1, 2, 2}, {1, 0, 0, 1}))
      .in(f32({1, 2, 2}, {1, 2, 3, 4}))
      .in(test::ints(ElementType::kBoolean, {2, 2}, {0, 1, 0, 0}));
  const float nan = std::nanf("");
  expect_floats(run(b), {1, 2, 2}, {3, 4, nan, nan});
}

// ---- ConvolutionBackpropData-1 ----

TEST(ReferenceConvBackprop, IntegerScatterAndOutputShape) {
  // x [1,2] * w [3,4], stride 2: [3,4,6,8]; stride 1: [3, 4+6, 8]; output_shape 5 with explicit zero
  // pads keeps the pads and leaves the extra outputs 0.
  auto deconv = [](const char* stride, std::vector<int64_t> out_shape) {
    OpCase c(OpKind::kConvolutionBackpropData);
    c.attr("strides", stride).attr("dilations", "1").attr("pads_begin", "0").attr("pads_end", "0");
    c.in(test::i32({1, 1, 2}, {1, 2})).in(test::i32({1, 1, 2}, {3, 4}));
    if (!out_shape.empty()) c.in(i64({static_cast<int64_t>(out_shape.size())}, out_shape));
    return run(c);
  };
  expect_ints(deconv("2", {}), ElementType::kI32, {1, 1, 4}, {3, 4, 6, 8});
  expect_ints(deconv("1", {}), ElementType::kI32, {1, 1, 3}, {3, 10, 8});
  expect_ints(deconv("1", {5}), ElementType::kI32, {1, 1, 5}, {3, 10, 8, 0, 0});
  // pads_begin 1 drops the first output; output_padding 1 adds one that only pads_end could fill.
  OpCase p(OpKind::kConvolutionBackpropData);
  p.attr("strides", "1").attr("dilations", "1").attr("pads_begin", "1").attr("pads_end", "1");
  p.attr("output_padding", "1");
  p.in(f32({1, 1, 2}, {1, 2})).in(f32({1, 1, 2}, {3, 4}));
  expect_floats(run(p), {1, 1, 2}, {10, 8});
}

// ---- Einsum-7 ----

TEST(ReferenceEinsum, ImplicitTracesAndBlanks) {
  // Implicit "ii" sums the repeated label: the trace (OpenVINO's CPU plugin fails on it).
  OpCase t(OpKind::kEinsum, 7);
  t.attr("equation", "ii").in(f32({2, 2}, {1, 2, 3, 4}));
  expect_floats(run(t), {}, {5});
  OpCase e(OpKind::kEinsum, 7);
  e.attr("equation", "...ii").in(f32({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}));
  expect_floats(run(e), {2}, {5, 13});
  OpCase s(OpKind::kEinsum, 7);
  s.attr("equation", " i j -> j i ").in(f32({2, 3}, {1, 2, 3, 4, 5, 6}));
  expect_floats(run(s), {3, 2}, {1, 4, 2, 5, 3, 6});
  // The spec's example 6: "a...->..." sums rows.
  OpCase r(OpKind::kEinsum, 7);
  r.attr("equation", "a...->...").in(f32({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
  expect_floats(run(r), {3}, {12, 15, 18});
}

TEST(ReferenceEinsum, IntegersWrap) {
  // 100*2 + 100*1 = 300 wraps to 44 in i8.
  OpCase c(OpKind::kEinsum, 7);
  c.attr("equation", "i,i->")
      .in(test::ints(ElementType::kI8, {2}, {100, 100}))
      .in(test::ints(ElementType::kI8, {2}, {2, 1}));
  expect_ints(run(c), ElementType::kI8, {}, {44});
  // A size-1 label broadcasts: "ij,jk" with j of sizes 1 and 2.
  OpCase b(OpKind::kEinsum, 7);
  b.attr("equation", "ij,jk->ik").in(i64({2, 1}, {1, 2})).in(i64({2, 2}, {1, 2, 3, 4}));
  expect_ints(run(b), ElementType::kI64, {2, 2}, {4, 6, 8, 12});
}

// ---- DFT family ----

TEST(ReferenceDft, ImpulseAndConstant) {
  // DFT of an impulse is all ones; of a constant, a spike; IDFT inverts it (divides by n).
  OpCase d(OpKind::kDFT, 7);
  d.in(f32({4, 2}, {1, 0, 0, 0, 0, 0, 0, 0})).in(i64({1}, {0}));
  expect_floats(run(d), {4, 2}, {1, 0, 1, 0, 1, 0, 1, 0}, 1e-7f);
  OpCase i(OpKind::kIDFT, 7);
  i.in(f32({4, 2}, {4, 0, 0, 0, 0, 0, 0, 0})).in(i64({1}, {0}));
  expect_floats(run(i), {4, 2}, {1, 0, 1, 0, 1, 0, 1, 0}, 1e-7f);
}

// RDFT of [1, 2] zero-padded to 8 (OpenVINO's CPU plugin refuses padding): X[m] = 1 + 2 e^(-i pi m / 4).
const std::vector<float> kHalfSpectrum = {3,           0,  2.4142136f, -1.4142136f, 1, -2, -0.41421356f,
                                          -1.4142136f, -1, 0};

TEST(ReferenceDft, RdftPaddingAndDefaultSizes) {
  OpCase r(OpKind::kRDFT, 9);
  r.in(f32({2}, {1, 2})).in(i64({1}, {0})).in(i64({1}, {8}));
  expect_floats(run(r), {5, 2}, kHalfSpectrum, 1e-6f);
  // signal_size -1 is the input length: [1, 2] -> [3, -1].
  OpCase m(OpKind::kRDFT, 9);
  m.in(f32({2}, {1, 2})).in(i64({1}, {0})).in(i64({1}, {-1}));
  expect_floats(run(m), {2, 2}, {3, 0, -1, 0}, 1e-7f);
}

TEST(ReferenceDft, IrdftInvertsRdft) {
  OpCase c(OpKind::kIRDFT, 9);
  c.in(f32({5, 2}, kHalfSpectrum)).in(i64({1}, {0})).in(i64({1}, {8}));
  expect_floats(run(c), {8}, {1, 2, 0, 0, 0, 0, 0, 0}, 1e-6f);
  // Odd length 3 from x = [1, 2, 3]: X0 = 6, X1 = -1.5 + 0.8660254i. The DC imaginary part does not
  // reach the (real) output.
  OpCase o(OpKind::kIRDFT, 9);
  o.in(f32({2, 2}, {6, 5, -1.5f, 0.8660254f})).in(i64({1}, {-1})).in(i64({1}, {3}));
  expect_floats(run(o), {3}, {1, 2, 3}, 1e-6f);
  // Default size 2 * (3 - 1) = 4 from the spectrum of [1, 0, 0, 0] (all ones).
  OpCase d(OpKind::kIRDFT, 9);
  d.in(f32({3, 2}, {1, 0, 1, 0, 1, 0})).in(i64({1}, {0}));
  expect_floats(run(d), {4}, {1, 0, 0, 0}, 1e-7f);
}

}  // namespace
}  // namespace octet
