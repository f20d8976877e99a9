// Hand-computed cases of the reference TopK, GatherElements, GatherND and scatters: the OpenVINO spec
// examples, ties (stable order), NaN, duplicate indices under each reduction, per-step rounding,
// boolean and wrapping integer reductions, and the run-time index checks.
#include <initializer_list>
#include <limits>
#include <string>

#include "tests/unit/reference/ref_test_util.h"

namespace octet {
namespace {

using test::expect_floats;
using test::expect_ints;
using test::f32;
using test::i32;
using test::i64;
using test::OpCase;
using ET = ElementType;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// Runs `fn`, expects an octet::Error with `code` whose message contains every fragment.
template <typename Fn>
void expect_error_code(Fn&& fn, ErrorCode code, std::initializer_list<const char*> fragments) {
  try {
    fn();
    ADD_FAILURE() << "no error thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    for (const char* f : fragments)
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << "'" << f << "' not in: " << e.what();
  }
}

// Parses the attributes (as the IR reader does) and runs the reference.
std::vector<Tensor> run(OpCase& c) {
  c.node->parse_attributes();
  return c.run();
}
Tensor run1(OpCase& c) {
  auto out = run(c);
  EXPECT_EQ(out.size(), 1u);
  return out.empty() ? Tensor() : out[0];
}
Tensor run1(OpCase&& c) {
  return run1(c);
}

OpCase topk(Tensor x, int64_t k, const char* axis, const char* mode, const char* sort, int version = 11) {
  OpCase c(OpKind::kTopK, version);
  c.attr("axis", axis).attr("mode", mode).attr("sort", sort);
  c.in(std::move(x)).in(i64({}, {k}));
  return c;
}

TEST(ReferenceTopK, SpecTiesExampleIsStable) {
  // TopK-11 spec: input [5, 3, 1, 2, 5, 5], mode min, sort index, k 4, stable -> [5, 3, 1, 2], [0, 1, 2, 3].
  OpCase c = topk(f32({6}, {5, 3, 1, 2, 5, 5}), 4, "0", "min", "index");
  c.attr("stable", "true");
  auto out = run(c);
  expect_floats(out[0], {4}, {5, 3, 1, 2});
  expect_ints(out[1], ET::kI32, {4}, {0, 1, 2, 3});
  // By value the equal 5s keep input order.
  OpCase v = topk(f32({6}, {5, 3, 1, 2, 5, 5}), 4, "0", "max", "value");
  v.attr("index_element_type", "i64");
  out = run(v);
  expect_floats(out[0], {4}, {5, 5, 5, 3});
  expect_ints(out[1], ET::kI64, {4}, {0, 4, 5, 1});
  OpCase m = topk(f32({6}, {5, 3, 1, 2, 5, 5}), 4, "0", "min", "value");
  out = run(m);
  expect_floats(out[0], {4}, {1, 2, 3, 5});
  expect_ints(out[1], ET::kI32, {4}, {2, 3, 1, 0});
}

TEST(ReferenceTopK, AxisSlicesAndSortModes) {
  // data [2, 3, 2]; per (i, :, k) slice along axis 1.
  const Tensor x = f32({2, 3, 2}, {1, 9, 4, 2, 3, 7, 8, 0, 6, 5, 7, -1});
  OpCase a = topk(x, 2, "1", "max", "value", 1);
  auto out = run(a);
  expect_floats(out[0], {2, 2, 2}, {4, 9, 3, 7, 8, 5, 7, 0});
  expect_ints(out[1], ET::kI32, {2, 2, 2}, {1, 0, 2, 2, 0, 1, 2, 0});
  OpCase i = topk(x, 2, "-2", "max", "index", 3);
  out = run(i);
  expect_floats(out[0], {2, 2, 2}, {4, 9, 3, 7, 8, 0, 7, 5});
  expect_ints(out[1], ET::kI32, {2, 2, 2}, {1, 0, 2, 2, 0, 0, 2, 1});
  // sort "none": octet writes the value order (OpenVINO's CPU plugin does the same).
  OpCase n = topk(x, 2, "1", "min", "none", 3);
  out = run(n);
  expect_floats(out[0], {2, 2, 2}, {1, 2, 3, 7, 6, -1, 7, 0});
  expect_ints(out[1], ET::kI32, {2, 2, 2}, {0, 1, 2, 2, 1, 2, 2, 0});
}

TEST(ReferenceTopK, NaNIsSmallerThanEveryNumber) {
  // TopK-3 spec: NaN counts as smaller than any number.
  OpCase mx = topk(f32({5}, {1, kNaN, 3, -kInf, 2}), 5, "0", "max", "value");
  auto out = run(mx);
  expect_floats(out[0], {5}, {3, 2, 1, -kInf, kNaN});
  expect_ints(out[1], ET::kI32, {5}, {2, 4, 0, 3, 1});
  OpCase mn = topk(f32({5}, {1, kNaN, 3, -kInf, 2}), 2, "0", "min", "value");
  out = run(mn);
  expect_floats(out[0], {2}, {kNaN, -kInf});
  expect_ints(out[1], ET::kI32, {2}, {1, 3});
}

TEST(ReferenceTopK, IntegerAndHalfDataAreCopiedExactly) {
  OpCase c = topk(i64({4}, {INT64_MIN, 9007199254740993, 9007199254740992, -1}), 3, "0", "max", "value");
  auto out = run(c);
  expect_ints(out[0], ET::kI64, {3}, {9007199254740993, 9007199254740992, -1});  // beyond double's precision
  Tensor h(ET::kF16, {3});
  h.data_as<uint16_t>()[0] = 0x3c01;  // 1.0009765625
  h.data_as<uint16_t>()[1] = 0x3c00;  // 1.0
  h.data_as<uint16_t>()[2] = 0xfc00;  // -inf
  OpCase f = topk(h, 2, "0", "min", "value");
  out = run(f);
  ASSERT_EQ(out[0].type(), ET::kF16);
  EXPECT_EQ(out[0].data_as<uint16_t>()[0], 0xfc00);
  EXPECT_EQ(out[0].data_as<uint16_t>()[1], 0x3c00);
}

TEST(ReferenceTopK, KOutOfRangeIsRefused) {
  OpCase c = topk(f32({3}, {1, 2, 3}), 4, "0", "max", "value");
  expect_error_code([&] { run(c); }, ErrorCode::kModel, {"'op'", "(k) is 4", "[1, 3]"});
}

TEST(ReferenceGatherElements, SpecExamples) {
  OpCase a(OpKind::kGatherElements, 6);
  a.attr("axis", "0").in(f32({2, 2}, {1, 2, 3, 4})).in(i64({2, 2}, {0, 1, 0, 0}));
  expect_floats(run1(a), {2, 2}, {1, 4, 1, 2});
  OpCase b(OpKind::kGatherElements, 6);
  b.attr("axis", "1").in(f32({2, 2}, {1, 7, 4, 3})).in(i32({2, 3}, {1, 1, 0, 1, 0, 1}));
  expect_floats(run1(b), {2, 3}, {7, 7, 1, 3, 4, 3});
  OpCase c(OpKind::kGatherElements, 6);
  c.attr("axis", "0").in(i64({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})).in(i64({2, 3}, {1, 0, 1, 1, 2, 0}));
  expect_ints(run1(c), ET::kI64, {2, 3}, {4, 2, 6, 4, 8, 3});
  // Negative indices count from the end (as OpenVINO's CPU plugin does).
  OpCase n(OpKind::kGatherElements, 6);
  n.attr("axis", "-1").in(f32({2, 3}, {1, 2, 3, 4, 5, 6})).in(i64({2, 2}, {-1, -3, 2, -2}));
  expect_floats(run1(n), {2, 2}, {3, 1, 6, 5});
}

TEST(ReferenceGatherElements, OutOfRangeIndexNamesLayerAndValue) {
  OpCase c(OpKind::kGatherElements, 6);
  c.attr("axis", "1").in(f32({2, 3}, {1, 2, 3, 4, 5, 6})).in(i64({2, 1}, {0, 3}));
  expect_error_code([&] { run(c); }, ErrorCode::kInvalidArgument,
                    {"'op'", "input 1 (indices) value 3 at position 1", "[-3, 3)"});
}

std::vector<int64_t> iota64(int64_t first, int64_t n) {
  std::vector<int64_t> v;
  for (int64_t i = 0; i < n; ++i) v.push_back(first + i);
  return v;
}

TEST(ReferenceGatherND, SpecExamples) {
  OpCase e(OpKind::kGatherND, 8);  // elements
  e.in(f32({2, 2}, {1, 2, 3, 4})).in(i64({2, 2}, {0, 0, 1, 0}));
  expect_floats(run1(e), {2}, {1, 3});
  OpCase s(OpKind::kGatherND, 5);  // slices with leading dims
  s.in(f32({2, 2}, {1, 2, 3, 4})).in(i64({2, 1, 1}, {1, 0}));
  expect_floats(run1(s), {2, 1, 2}, {3, 4, 1, 2});
  OpCase b1(OpKind::kGatherND, 5);  // batch_dims 1, slices
  b1.attr("batch_dims", "1").in(i64({2, 3, 4}, iota64(1, 24))).in(i64({2, 1}, {1, 0}));
  expect_ints(run1(b1), ET::kI64, {2, 4}, {5, 6, 7, 8, 13, 14, 15, 16});
  // batch_dims 2: GatherND-5 flattens the batch dims to 6, GatherND-8 keeps [2, 3].
  const std::vector<int64_t> idx = {1, 0, 2, 0, 2, 2};
  OpCase v5(OpKind::kGatherND, 5);
  v5.attr("batch_dims", "2").in(i64({2, 3, 4}, iota64(1, 24))).in(i64({2, 3, 1, 1}, idx));
  expect_ints(run1(v5), ET::kI64, {6, 1}, {2, 5, 11, 13, 19, 23});
  OpCase v8(OpKind::kGatherND, 8);
  v8.attr("batch_dims", "2").in(i64({2, 3, 4}, iota64(1, 24))).in(i64({2, 3, 1, 1}, idx));
  expect_ints(run1(v8), ET::kI64, {2, 3, 1}, {2, 5, 11, 13, 19, 23});
  OpCase b3(OpKind::kGatherND, 8);
  b3.attr("batch_dims", "3").in(i64({1, 2, 2, 4}, iota64(1, 16))).in(i64({1, 2, 2, 1}, {1, 0, 3, 2}));
  expect_ints(run1(b3), ET::kI64, {1, 2, 2}, {2, 5, 12, 15});
}

TEST(ReferenceGatherND, NegativeAndOutOfRangeIndices) {
  OpCase n(OpKind::kGatherND, 8);
  n.in(f32({3, 2}, {1, 2, 3, 4, 5, 6})).in(i32({2, 2}, {-1, -2, 0, 1}));
  expect_floats(run1(n), {2}, {5, 2});
  OpCase bad(OpKind::kGatherND, 8);
  bad.in(f32({3, 2}, {1, 2, 3, 4, 5, 6})).in(i64({2, 2}, {0, 1, 1, 2}));
  expect_error_code([&] { run(bad); }, ErrorCode::kInvalidArgument,
                    {"'op'", "value 2 at position 3", "[-2, 2)"});
}

TEST(ReferenceScatterUpdate, SpecExampleAndScalarIndex) {
  // ScatterUpdate-3 spec example 2 (axis 1, indices [0, 2]).
  OpCase c(OpKind::kScatterUpdate, 3);
  c.in(f32({3, 5}, {-1, 1, -1, 3, 4, -1, 6, -1, 8, 9, -1, 11, 1, 13, 14}))
      .in(i64({2}, {0, 2}))
      .in(f32({3, 2}, {1, 1, 1, 1, 1, 2}))
      .in(i64({1}, {1}));
  expect_floats(run1(c), {3, 5}, {1, 1, 1, 3, 4, 1, 6, 1, 8, 9, 1, 11, 2, 13, 14});
  // A 0-D index replaces one row (OpenVINO's CPU plugin refuses this form, so no zoo case).
  OpCase s(OpKind::kScatterUpdate, 3);
  s.in(i32({4, 2}, {1, 2, 3, 4, 5, 6, 7, 8})).in(i64({}, {2})).in(i32({2}, {-9, -8})).in(i64({}, {0}));
  expect_ints(run1(s), ET::kI32, {4, 2}, {1, 2, 3, 4, -9, -8, 7, 8});
  OpCase neg(OpKind::kScatterUpdate, 3);
  neg.in(i32({4}, {1, 2, 3, 4})).in(i64({1}, {-1})).in(i32({1}, {0})).in(i64({}, {0}));
  expect_error_code([&] { run(neg); }, ErrorCode::kInvalidArgument, {"'op'", "value -1", "[0, 4)"});
}

OpCase seu(Tensor data, Tensor idx, Tensor upd, int64_t axis, const char* reduction, bool init) {
  OpCase c(OpKind::kScatterElementsUpdate, 12);
  c.attr("reduction", reduction).attr("use_init_val", init ? "true" : "false");
  c.in(std::move(data)).in(std::move(idx)).in(std::move(upd)).in(i64({1}, {axis}));
  return c;
}

TEST(ReferenceScatterElementsUpdate, SpecExamples) {
  // Example 1: sum with init and negative indices; example 2: sum without init.
  expect_floats(run1(seu(f32({4}, {2, 3, 4, 6}), i64({6}, {1, 0, 0, -2, -1, 2}),
                         f32({6}, {10, 20, 30, 40, 70, 60}), 0, "sum", true)),
                {4}, {52, 13, 104, 76});
  expect_floats(run1(seu(f32({4}, {2, 3, 4, 6}), i64({6}, {1, 0, 0, 2, 3, 2}),
                         f32({6}, {10, 20, 30, 40, 70, 60}), 0, "sum", false)),
                {4}, {50, 10, 100, 70});
  // Examples 3 to 5 (axis 1): none, sum and prod with a duplicate.
  const std::vector<int64_t> zeros(12, 0), ones(12, 1), twos(12, 2);
  expect_ints(run1(seu(i32({3, 4}, zeros), i64({2, 2}, {1, 2, 0, 3}), i32({2, 2}, {11, 12, 13, 14}), 1,
                       "none", true)),
              ET::kI32, {3, 4}, {0, 11, 12, 0, 13, 0, 0, 14, 0, 0, 0, 0});
  expect_ints(
      run1(seu(i32({3, 4}, ones), i64({2, 2}, {1, 1, 0, 3}), i32({2, 2}, {11, 12, 13, 14}), 1, "sum", true)),
      ET::kI32, {3, 4}, {1, 24, 1, 1, 14, 1, 1, 15, 1, 1, 1, 1});
  expect_ints(
      run1(seu(i32({3, 4}, twos), i64({2, 2}, {1, 1, 0, 3}), i32({2, 2}, {11, 12, 13, 14}), 1, "prod", true)),
      ET::kI32, {3, 4}, {2, 264, 2, 2, 26, 2, 2, 28, 2, 2, 2, 2});
  // Version 3 overwrites; axis 0 of a 2-D tensor.
  OpCase v3(OpKind::kScatterElementsUpdate, 3);
  v3.in(f32({3, 2}, {1, 2, 3, 4, 5, 6})).in(i64({1, 2}, {2, 0})).in(f32({1, 2}, {-7, -8})).in(i64({}, {0}));
  expect_floats(run1(v3), {3, 2}, {1, -8, 3, 4, -7, 6});
}

TEST(ReferenceScatterElementsUpdate, MinMaxMeanWithAndWithoutInit) {
  const Tensor data = f32({3}, {10, 3, -5});
  const Tensor idx = i64({4}, {1, 1, 2, -1});
  const Tensor upd = f32({4}, {7, -8, 2, 0.5f});
  expect_floats(run1(seu(data, idx, upd, 0, "min", true)), {3}, {10, -8, -5});
  expect_floats(run1(seu(data, idx, upd, 0, "min", false)), {3}, {10, -8, 0.5f});
  expect_floats(run1(seu(data, idx, upd, 0, "max", true)), {3}, {10, 7, 2});
  expect_floats(run1(seu(data, idx, upd, 0, "max", false)), {3}, {10, 7, 2});
  // mean: (3 + 7 - 8) / 3 and (-5 + 2 + 0.5) / 3 with init; (7 - 8) / 2 and (2 + 0.5) / 2 without.
  expect_floats(run1(seu(data, idx, upd, 0, "mean", true)), {3}, {10, 2.0f / 3, -2.5f / 3});
  expect_floats(run1(seu(data, idx, upd, 0, "mean", false)), {3}, {10, -0.5f, 1.25f});
  // Without init an element starts from its first update: max(-inf) stays -inf.
  expect_floats(run1(seu(f32({2}, {1, 2}), i64({1}, {0}), f32({1}, {-kInf}), 0, "max", false)), {2},
                {-kInf, 2});
}

TEST(ReferenceScatterElementsUpdate, IntegerMeanRoundsDown) {
  // Spec: integer means round toward -inf. (2 + -3 + -4) / 3 = -5/3 -> -2; (2 - 4) / 2 = -1; 7 / 2 -> 3.
  expect_ints(run1(seu(i64({3}, {2, -3, 0}), i64({3}, {1, 1, 2}), i64({3}, {2, -4, 7}), 0, "mean", true)),
              ET::kI64, {3}, {2, -2, 3});
  expect_ints(run1(seu(i32({3}, {2, -3, 0}), i64({3}, {1, 1, 2}), i32({3}, {2, -4, 7}), 0, "mean", false)),
              ET::kI32, {3}, {2, -1, 7});
  expect_ints(run1(seu(i32({2}, {0, 0}), i64({2}, {0, 0}), i32({2}, {-2, -1}), 0, "mean", false)), ET::kI32,
              {2}, {-2, 0});
}

TEST(ReferenceScatterElementsUpdate, EachStepRoundsToTheDataType) {
  // f16 2048 + 1 + 1: each sum is an f16 element, 2049 rounds (ties to even) to 2048 twice; one rounding
  // of the exact total would give 2050.
  Tensor h(ET::kF16, {1});
  h.data_as<uint16_t>()[0] = 0x6800;  // 2048
  Tensor u(ET::kF16, {2});
  u.data_as<uint16_t>()[0] = u.data_as<uint16_t>()[1] = 0x3c00;  // 1
  expect_floats(run1(seu(h, i64({2}, {0, 0}), u, 0, "sum", true)), {1}, {2048});
  // Integers wrap to the type at each step: u8 250 + 10 = 4; i32 overflow wraps.
  expect_ints(run1(seu(test::ints(ET::kU8, {1}, {250}), i64({1}, {0}), test::ints(ET::kU8, {1}, {10}), 0,
                       "sum", true)),
              ET::kU8, {1}, {4});
  expect_ints(run1(seu(i32({1}, {INT32_MAX}), i64({1}, {0}), i32({1}, {1}), 0, "sum", true)), ET::kI32, {1},
              {INT32_MIN});
  // u8 max compares unsigned.
  expect_ints(run1(seu(test::ints(ET::kU8, {1}, {200}), i64({1}, {0}), test::ints(ET::kU8, {1}, {100}), 0,
                       "max", true)),
              ET::kU8, {1}, {200});
}

TEST(ReferenceScatterElementsUpdate, OutOfRangeIndexIsRefusedAtRunTime) {
  OpCase c = seu(f32({3}, {1, 2, 3}), i64({2}, {0, -4}), f32({2}, {1, 1}), 0, "sum", true);
  expect_error_code([&] { run(c); }, ErrorCode::kInvalidArgument,
                    {"'op'", "value -4 at position 1", "[-3, 3)"});
}

OpCase snd(Tensor data, Tensor idx, Tensor upd, const char* reduction, int version = 15) {
  OpCase c(OpKind::kScatterNDUpdate, version);
  if (version >= 15) c.attr("reduction", reduction);
  c.in(std::move(data)).in(std::move(idx)).in(std::move(upd));
  return c;
}

TEST(ReferenceScatterNDUpdate, SpecExamples) {
  // ScatterNDUpdate-3 example 1 and example 2 (slices).
  expect_floats(run1(snd(f32({8}, {1, 2, 3, 4, 5, 6, 7, 8}), i64({4, 1}, {4, 3, 1, 7}),
                         f32({4}, {9, 10, 11, 12}), "", 4)),
                {8}, {1, 11, 3, 10, 9, 6, 7, 12});
  std::vector<float> data(64), want;
  for (size_t i = 0; i < 64; ++i) data[i] = static_cast<float>(i);
  std::vector<float> upd(32);
  for (size_t i = 0; i < 32; ++i) upd[i] = 100.0f + static_cast<float>(i);
  for (size_t i = 0; i < 64; ++i)
    want.push_back(i < 16 ? upd[i] : (i >= 32 && i < 48 ? upd[i - 16] : data[i]));
  expect_floats(run1(snd(f32({4, 4, 4}, data), i64({2, 1}, {0, 2}), f32({2, 4, 4}, upd), "", 4)), {4, 4, 4},
                want);
  // ScatterNDUpdate-15 examples: [0, 2, -3, -3, 0] into [1, 2, 3, 4] with [10, 20, 30, 40, 50]. (The spec's
  // "none" and "prod" outputs do not follow from its own inputs; these are computed from them.)
  const Tensor d = f32({4}, {1, 2, 3, 4});
  const Tensor idx = i32({5, 1}, {0, 2, -3, -3, 0});
  const Tensor u = f32({5}, {10, 20, 30, 40, 50});
  expect_floats(run1(snd(d, idx, u, "none")), {4}, {50, 40, 20, 4});
  expect_floats(run1(snd(d, idx, u, "sum")), {4}, {61, 72, 23, 4});
  expect_floats(run1(snd(d, idx, u, "prod")), {4}, {500, 2400, 60, 4});
  expect_floats(run1(snd(d, idx, u, "min")), {4}, {1, 2, 3, 4});
  expect_floats(run1(snd(d, idx, u, "max")), {4}, {50, 40, 20, 4});
  expect_ints(run1(snd(i32({4}, {1, 2, 3, 4}), idx, i32({5}, {10, 20, 30, 40, 50}), "sub")), ET::kI32, {4},
              {-59, -68, -17, 4});
}

TEST(ReferenceScatterNDUpdate, ScalarUpdateBooleanAndErrors) {
  // A full tuple with 1-D indices takes a 0-D update (or a [1] one).
  expect_ints(run1(snd(i64({2, 3}, {0, 1, 2, 3, 4, 5}), i64({2}, {1, -1}), i64({}, {9}), "none")), ET::kI64,
              {2, 3}, {0, 1, 2, 3, 4, 9});
  expect_ints(run1(snd(i64({2, 3}, {0, 1, 2, 3, 4, 5}), i64({2}, {0, 1}), i64({1}, {9}), "none", 4)),
              ET::kI64, {2, 3}, {0, 9, 2, 3, 4, 5});
  // Boolean: sum is OR, sub XOR, prod AND.
  const Tensor b = test::ints(ET::kBoolean, {3}, {1, 0, 1});
  const Tensor bi = i64({4, 1}, {0, 1, 1, 2});
  const Tensor bu = test::ints(ET::kBoolean, {4}, {1, 1, 1, 0});
  expect_ints(run1(snd(b, bi, bu, "sum")), ET::kBoolean, {3}, {1, 1, 1});
  expect_ints(run1(snd(b, bi, bu, "sub")), ET::kBoolean, {3}, {0, 0, 1});
  expect_ints(run1(snd(b, bi, bu, "prod")), ET::kBoolean, {3}, {1, 0, 0});
  OpCase bad = snd(f32({2, 3}, {0, 1, 2, 3, 4, 5}), i64({2, 2}, {0, 0, 2, 1}), f32({2}, {1, 1}), "sum");
  expect_error_code([&] { run(bad); }, ErrorCode::kInvalidArgument,
                    {"'op'", "value 2 at position 2", "[-2, 2)"});
}

}  // namespace
}  // namespace octet
