// Shape inference tests for Gather, StridedSlice, Slice, Split, VariadicSplit, Pad and Interpolate.
// Expected shapes follow numpy/Python slicing and ir-spec.md 6.5, computed by hand.
#include <limits>

#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using ET = ElementType;
using Attrs = std::map<std::string, std::string>;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(InferGather, Shapes) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kGather, {b.param({5, 6, 7}), b.param({2, 3}, ET::kI32), b.scalar(1)}, {}, 8),
            (Dims{5, 2, 3, 7}));
  EXPECT_EQ(b.infer(OpKind::kGather, {b.param({5, 6, 7}), b.param({2, 3}, ET::kI32), b.ints({-1})}, {}, 8),
            (Dims{5, 6, 2, 3}));
  // batch_dims 1 (or -1 = rank(indices) - 1): data[:1] + indices[1:] + data[2:]
  EXPECT_EQ(b.infer(OpKind::kGather, {b.param({2, 5, 6}), b.param({2, 3}, ET::kI64), b.scalar(1)},
                    {{"batch_dims", "1"}}, 8),
            (Dims{2, 3, 6}));
  EXPECT_EQ(b.infer(OpKind::kGather, {b.param({2, 5, 6}), b.param({2, 3}, ET::kI64), b.scalar(1)},
                    {{"batch_dims", "-1"}}, 7),
            (Dims{2, 3, 6}));
  EXPECT_EQ(b.infer(OpKind::kGather, {b.param({5, 6}), b.ints({2}, ET::kI64, Dims{}), b.scalar(0)}, {}, 1),
            Dims{6});
  // Embedding lookup [V,H] x ids [B,S]
  EXPECT_EQ(b.infer(OpKind::kGather, {b.param({100, 16}), b.param({-1, -1}, ET::kI64), b.scalar(0)}, {}, 8),
            (Dims{-1, -1, 16}));
  // Gather-8 takes negative constant indices down to -dim.
  EXPECT_EQ(b.infer(OpKind::kGather, {b.param({5, 6}), b.ints({-6, 5}), b.scalar(1)}, {}, 8), (Dims{5, 2}));
}

TEST(InferGather, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kGather, {b.param({5, 6}), b.ints({6}), b.scalar(1)}, {}, 8,
                     {"indices", "value 6", "[-6, 6)"});
  expect_model_error(b, OpKind::kGather, {b.param({5, 6}), b.ints({-7}), b.scalar(1)}, {}, 8, {"value -7"});
  expect_model_error(b, OpKind::kGather, {b.param({5, 6}), b.ints({-1}), b.scalar(1)}, {}, 7,
                     {"value -1", "[0, 6)"});
  expect_model_error(b, OpKind::kGather, {b.param({5, 6}), b.ints({0, -1}), b.scalar(0)}, {}, 1,
                     {"value -1 at position 1"});
  expect_model_error(b, OpKind::kGather, {b.param({5, 6}), b.ints({0}), b.scalar(-100000)}, {}, 8,
                     {"axis -100000"});
  expect_model_error(b, OpKind::kGather, {b.param({5, 6}), b.ints({0}), b.scalar(2)}, {}, 8, {"axis 2"});
  expect_model_error(b, OpKind::kGather, {b.param({5, 6}), b.param({1}, ET::kF32), b.scalar(0)}, {}, 8,
                     {"indices", "integer"});
  expect_model_error(b, OpKind::kGather, {b.param({2, 5, 6}), b.param({2, 3}, ET::kI32), b.scalar(0)},
                     {{"batch_dims", "1"}}, 8, {"batch_dims"});
  expect_model_error(b, OpKind::kGather, {b.param({2, 5, 6}), b.param({3, 3}, ET::kI32), b.scalar(1)},
                     {{"batch_dims", "1"}}, 8, {"batch dim 0"});
  expect_model_error(b, OpKind::kGather, {b.param({5, 6}), b.ints({0}), b.ints({0, 1})}, {}, 8,
                     {"one value"});
  Node* n = b.op(OpKind::kGather, {b.param({5, 6}), b.ints({0}), b.param({}, ET::kI64)}, {}, 8);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input 2 (axis) must be constant"});
}

// StridedSlice on `shape` with begin/end/stride constants and mask attributes.
Dims strided(Builder& b, Dims shape, std::vector<int64_t> begin, std::vector<int64_t> end,
             std::vector<int64_t> stride, Attrs masks) {
  masks.emplace("begin_mask", "");
  masks.emplace("end_mask", "");
  return b.infer(OpKind::kStridedSlice, {b.param(shape), b.ints(begin), b.ints(end), b.ints(stride)}, masks);
}

TEST(InferStridedSlice, NumpySemantics) {
  Builder b;
  EXPECT_EQ(strided(b, {2, 3, 4}, {0, 1}, {2, -1}, {1, 1}, {}), (Dims{2, 1, 4}));  // x[0:2, 1:-1]
  EXPECT_EQ(strided(b, {2, 3, 4}, {1}, {1}, {1}, {}), (Dims{0, 3, 4}));            // begin == end: empty
  EXPECT_EQ(strided(b, {10}, {1}, {10}, {3}, {}), Dims{3});                        // 1, 4, 7
  EXPECT_EQ(strided(b, {10}, {0}, {0}, {-2}, {{"begin_mask", "1"}, {"end_mask", "1"}}),
            Dims{5});                                                            // 9,7,5,3,1
  EXPECT_EQ(strided(b, {10}, {-100}, {100}, {1}, {}), Dims{10});                 // clamped
  EXPECT_EQ(strided(b, {10}, {8}, {2}, {-1}, {}), Dims{6});                      // 8..3
  EXPECT_EQ(strided(b, {10}, {-1}, {-11}, {-4}, {}), Dims{3});                   // 9, 5, 1
  EXPECT_EQ(strided(b, {10}, {kMin}, {0}, {-1}, {{"end_mask", "1"}}), Dims{0});  // starts before 0
  EXPECT_EQ(strided(b, {10}, {0}, {0}, {kMin}, {{"begin_mask", "1"}, {"end_mask", "1"}}), Dims{1});
  EXPECT_EQ(strided(b, {10}, {0}, {kMax}, {kMax}, {}), Dims{1});
  // x[:, ::-1] with masks
  EXPECT_EQ(strided(b, {2, 3, 4}, {0, -1}, {0, 0}, {1, -1}, {{"begin_mask", "1,0"}, {"end_mask", "1,1"}}),
            (Dims{2, 3, 4}));
  // Fewer entries than dims: the rest stay whole. Longer masks are truncated.
  EXPECT_EQ(strided(b, {2, 3, 4}, {1}, {2}, {1}, {{"begin_mask", "0,1,1,1,1"}}), (Dims{1, 3, 4}));
  // x[..., 1:3]
  EXPECT_EQ(strided(b, {2, 3, 4}, {0, 1}, {0, 3}, {1, 1}, {{"ellipsis_mask", "1"}}), (Dims{2, 3, 2}));
  // x[1:2, ..., 0] (shrink after ellipsis)
  EXPECT_EQ(strided(b, {2, 3, 4, 5}, {1, 0, 0}, {2, 0, 1}, {1, 1, 1},
                    {{"ellipsis_mask", "0,1,0"}, {"shrink_axis_mask", "0,0,1"}}),
            (Dims{1, 3, 4}));
  // x[0, None, 1:3]
  EXPECT_EQ(strided(b, {2, 3, 4}, {0, 0, 1}, {0, 0, 3}, {1, 1, 1},
                    {{"new_axis_mask", "0,1,0"}, {"shrink_axis_mask", "1,0,0"}}),
            (Dims{1, 2, 4}));
  // x[-1] shrinks the first dim; new axes may exceed the input rank.
  EXPECT_EQ(strided(b, {2, 3}, {-1}, {0}, {1}, {{"shrink_axis_mask", "1"}}), Dims{3});
  EXPECT_EQ(strided(b, {2}, {0, 0, 0}, {0, 0, 0}, {1, 1, 1},
                    {{"new_axis_mask", "1,1,0"}, {"begin_mask", "0,0,1"}, {"end_mask", "0,0,1"}}),
            (Dims{1, 1, 2}));
  // Stride input is optional (defaults to 1s); dynamic dims stay dynamic.
  EXPECT_EQ(b.infer(OpKind::kStridedSlice, {b.param({-1, 6}), b.ints({0, 2}), b.ints({1, 5})},
                    {{"begin_mask", "0"}, {"end_mask", "0"}}),
            (Dims{-1, 3}));
}

TEST(InferStridedSlice, Errors) {
  Builder b;
  const Attrs m = {{"begin_mask", "0"}, {"end_mask", "0"}};
  auto ss = [&](Dims shape, std::vector<int64_t> begin, std::vector<int64_t> end, std::vector<int64_t> stride,
                Attrs a, std::initializer_list<const char*> fragments) {
    expect_model_error(b, OpKind::kStridedSlice, {b.param(shape), b.ints(begin), b.ints(end), b.ints(stride)},
                       a, 1, fragments);
  };
  ss({4}, {0}, {4}, {0}, m, {"stride", "zero"});
  Attrs shrink = m;
  shrink["shrink_axis_mask"] = "0,1";
  ss({2, 3, 4}, {0, 5}, {1, 6}, {1, 1}, shrink, {"begin", "value 5", "dim 3"});
  ss({2, 3, 4}, {0, -4}, {1, 6}, {1, 1}, shrink, {"value -4"});
  ss({2, 3, 4}, {0, 0, 0, 0}, {1, 1, 1, 1}, {1, 1, 1, 1}, m, {"4 slice entries", "rank 3"});
  Attrs two = m;
  two["ellipsis_mask"] = "1,1";
  ss({2, 3}, {0, 0}, {1, 1}, {1, 1}, two, {"ellipsis_mask"});
  Attrs bad = {{"begin_mask", "2"}, {"end_mask", "0"}};
  ss({4}, {0}, {4}, {1}, bad, {"begin_mask", "value 2"});
  ss({4, 4}, {0, 0}, {4}, {1, 1}, m, {"same length"});
  expect_model_error(b, OpKind::kStridedSlice, {b.param({4}), b.ints({0}), b.ints({4})},
                     {{"begin_mask", "0"}}, 1, {"end_mask", "missing"});
  Node* n = b.op(OpKind::kStridedSlice, {b.param({4}), b.param({1}, ET::kI64), b.ints({4})}, m);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input 1 (begin) must be constant"});
}

TEST(InferSlice, PythonSlicing) {
  Builder b;
  auto slice = [&](Dims shape, std::vector<int64_t> start, std::vector<int64_t> stop,
                   std::vector<int64_t> step, std::optional<std::vector<int64_t>> axes) {
    std::vector<Node*> in = {b.param(shape), b.ints(start), b.ints(stop), b.ints(step)};
    if (axes) in.push_back(b.ints(*axes));
    return b.infer(OpKind::kSlice, in, {}, 8);
  };
  // axis 0: [-100:MAX] -> all 2; axis 2: [MAX:MIN:-2] -> 3, 1
  EXPECT_EQ(slice({2, 3, 4}, {-100, kMax}, {kMax, kMin}, {1, -2}, std::vector<int64_t>{0, 2}),
            (Dims{2, 3, 2}));
  EXPECT_EQ(slice({2, 3, 4}, {1}, {3}, {1}, std::nullopt), (Dims{1, 3, 4}));
  EXPECT_EQ(slice({2, 3, 4}, {0}, {4}, {3}, std::vector<int64_t>{-1}), (Dims{2, 3, 2}));
  EXPECT_EQ(slice({10}, {-3}, {kMax}, {1}, std::nullopt), Dims{3});
  EXPECT_EQ(slice({10}, {5}, {2}, {1}, std::nullopt), Dims{0});
  EXPECT_EQ(slice({10}, {kMin}, {kMax}, {kMin}, std::nullopt), Dims{0});
  EXPECT_EQ(slice({10}, {kMax}, {kMin}, {kMin}, std::nullopt), Dims{1});
}

TEST(InferSlice, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kSlice, {b.param({4}), b.ints({0}), b.ints({4}), b.ints({0})}, {}, 8,
                     {"step", "zero"});
  expect_model_error(b, OpKind::kSlice,
                     {b.param({4, 4}), b.ints({0, 0}), b.ints({1, 1}), b.ints({1, 1}), b.ints({0, 0})}, {}, 8,
                     {"more than once"});
  expect_model_error(b, OpKind::kSlice,
                     {b.param({4, 4}), b.ints({0}), b.ints({1}), b.ints({1}), b.ints({-100000})}, {}, 8,
                     {"axes -100000"});
  expect_model_error(b, OpKind::kSlice, {b.param({4}), b.ints({0, 0}), b.ints({1}), b.ints({1, 1})}, {}, 8,
                     {"same length"});
  expect_model_error(b, OpKind::kSlice, {b.param({4}), b.ints({0, 0}), b.ints({1, 1}), b.ints({1, 1})}, {}, 8,
                     {"more entries"});
}

TEST(InferSplit, EvenAndVariadic) {
  Builder b;
  b.infer(OpKind::kSplit, {b.param({2, 6, 4}), b.scalar(1)}, {{"num_splits", "3"}});
  ASSERT_EQ(b.last->outputs.size(), 3u);
  for (const Value& v : b.last->outputs) EXPECT_EQ(v.shape, (Dims{2, 2, 4}));
  b.infer(OpKind::kSplit, {b.param({2, 6, 4}, ET::kF16), b.ints({-1})}, {{"num_splits", "2"}});
  ASSERT_EQ(b.last->outputs.size(), 2u);
  EXPECT_EQ(b.last->outputs[1].shape, (Dims{2, 6, 2}));
  EXPECT_EQ(b.last->outputs[1].type, ET::kF16);

  b.infer(OpKind::kVariadicSplit, {b.param({2, 6, 4}), b.scalar(1), b.ints({1, -1, 2})});
  ASSERT_EQ(b.last->outputs.size(), 3u);
  EXPECT_EQ(b.last->outputs[0].shape, (Dims{2, 1, 4}));
  EXPECT_EQ(b.last->outputs[1].shape, (Dims{2, 3, 4}));
  EXPECT_EQ(b.last->outputs[2].shape, (Dims{2, 2, 4}));
  b.infer(OpKind::kVariadicSplit, {b.param({2, 6, 4}), b.scalar(-2), b.ints({0, 6}, ET::kI32)});
  EXPECT_EQ(b.last->outputs[0].shape, (Dims{2, 0, 4}));
  EXPECT_EQ(b.last->outputs[1].shape, (Dims{2, 6, 4}));
}

TEST(InferSplit, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kSplit, {b.param({2, 6}), b.scalar(1)}, {{"num_splits", "4"}}, 1,
                     {"does not split evenly", "num_splits=4"});
  expect_model_error(b, OpKind::kSplit, {b.param({2, 6}), b.scalar(1)}, {{"num_splits", "0"}}, 1,
                     {"num_splits"});
  expect_model_error(b, OpKind::kSplit, {b.param({2, 6}), b.scalar(2)}, {{"num_splits", "2"}}, 1, {"axis 2"});
  expect_model_error(b, OpKind::kSplit, {b.param({2, 6}), b.ints({0, 1})}, {{"num_splits", "2"}}, 1,
                     {"one value"});
  expect_model_error(b, OpKind::kVariadicSplit, {b.param({6}), b.scalar(0), b.ints({1, -1, -1})}, {}, 1,
                     {"invalid value -1 at index 2"});
  expect_model_error(b, OpKind::kVariadicSplit, {b.param({6}), b.scalar(0), b.ints({-2, 8})}, {}, 1,
                     {"value -2"});
  expect_model_error(b, OpKind::kVariadicSplit, {b.param({6}), b.scalar(0), b.ints({2, 3})}, {}, 1,
                     {"[2,3]", "does not add up"});
  expect_model_error(b, OpKind::kVariadicSplit, {b.param({6}), b.scalar(0), b.ints({7, -1})}, {}, 1,
                     {"[7,-1]"});
}

TEST(InferPad, ModesAndVersions) {
  Builder b;
  const Attrs constant = {{"pad_mode", "constant"}};
  EXPECT_EQ(b.infer(OpKind::kPad, {b.param({2, 3, 4}), b.ints({0, 1, 2}), b.ints({1, 0, 3})}, constant),
            (Dims{3, 4, 9}));
  EXPECT_EQ(b.infer(OpKind::kPad, {b.param({2, 3}), b.ints({1, 1}), b.ints({1, 1}), b.floats({0.5f}, Dims{})},
                    constant),
            (Dims{4, 5}));
  EXPECT_EQ(b.infer(OpKind::kPad, {b.param({2, 3, 4}), b.ints({0, -1, 0}), b.ints({0, 0, -2})}, constant, 12),
            (Dims{2, 2, 2}));
  EXPECT_EQ(b.infer(OpKind::kPad, {b.param({2, 3, 4}), b.ints({0, -5, 0}), b.ints({0, 0, 0})}, constant, 12),
            (Dims{2, 0, 4}));
  EXPECT_EQ(
      b.infer(OpKind::kPad, {b.param({2, 3}), b.ints({0, 2}), b.ints({0, 2})}, {{"pad_mode", "reflect"}}),
      (Dims{2, 7}));
  EXPECT_EQ(
      b.infer(OpKind::kPad, {b.param({2, 3}), b.ints({0, 3}), b.ints({0, 3})}, {{"pad_mode", "symmetric"}}),
      (Dims{2, 9}));
  EXPECT_EQ(b.infer(OpKind::kPad, {b.param({2, 3}), b.ints({0, 10}), b.ints({0, 0})}, {{"pad_mode", "edge"}}),
            (Dims{2, 13}));
}

TEST(InferPad, Errors) {
  Builder b;
  expect_model_error(b, OpKind::kPad, {b.param({2, 3}), b.ints({0, -1}), b.ints({0, 0})},
                     {{"pad_mode", "constant"}}, 1, {"-1/0", "Pad-12"});
  expect_model_error(b, OpKind::kPad, {b.param({2, 3}), b.ints({0, 3}), b.ints({0, 0})},
                     {{"pad_mode", "reflect"}}, 1, {"reflect", "3/0", "at most 2"});
  expect_model_error(b, OpKind::kPad, {b.param({2, 3}), b.ints({0, 0}), b.ints({0, 4})},
                     {{"pad_mode", "symmetric"}}, 12, {"symmetric", "at most 3"});
  expect_model_error(b, OpKind::kPad, {b.param({2, 0}), b.ints({0, 1}), b.ints({0, 0})},
                     {{"pad_mode", "edge"}}, 1, {"edge"});
  expect_model_error(b, OpKind::kPad, {b.param({2, 3}), b.ints({0, 0, 0}), b.ints({0, 0})},
                     {{"pad_mode", "constant"}}, 1, {"[0,0,0]", "one entry per dim"});
  expect_model_error(b, OpKind::kPad, {b.param({2, 3}), b.ints({0, 0}), b.ints({0, 0})},
                     {{"pad_mode", "wrap"}}, 1, {"pad_mode", "wrap"});
  expect_model_error(b, OpKind::kPad, {b.param({2, 3}), b.ints({0, 0}), b.ints({0, 0}), b.floats({1, 2})},
                     {{"pad_mode", "constant"}}, 1, {"pad_value", "scalar"});
  Node* n = b.op(OpKind::kPad, {b.param({2, 3}), b.param({2}, ET::kI64), b.ints({0, 0})},
                 {{"pad_mode", "constant"}});
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input 1 (pads_begin) must be constant"});
}

TEST(InferInterpolate, ScalesAndSizes) {
  Builder b;
  const Attrs scales = {{"mode", "nearest"}, {"shape_calculation_mode", "scales"}};
  const Attrs sizes = {{"mode", "linear_onnx"}, {"shape_calculation_mode", "sizes"}};
  auto x = [&] { return b.param({1, 3, 10, 7}); };
  // floor(10*0.5) = 5, floor(7*0.5) = 3
  EXPECT_EQ(b.infer(OpKind::kInterpolate, {x(), b.floats({0.5f, 0.5f}), b.ints({2, 3})}, scales, 11),
            (Dims{1, 3, 5, 3}));
  // floor(13.33) = 13, floor(11.9) = 11
  EXPECT_EQ(b.infer(OpKind::kInterpolate, {x(), b.floats({1.333333f, 1.7f}), b.ints({2, 3})}, scales, 11),
            (Dims{1, 3, 13, 11}));
  // 0.7f is 0.69999999; 10 * it is 6.9999999, which the 1e-6 bias lifts to 7 (OpenVINO gives 7). 7*0.7 = 4.9
  // -> 4.
  EXPECT_EQ(b.infer(OpKind::kInterpolate, {x(), b.floats({0.7f, 0.7f}), b.ints({2, 3})}, scales, 11),
            (Dims{1, 3, 7, 4}));
  EXPECT_EQ(b.infer(OpKind::kInterpolate, {x(), b.ints({20, 14}), b.ints({2, 3})}, sizes, 11),
            (Dims{1, 3, 20, 14}));
  // No axes: one size per dim.
  EXPECT_EQ(b.infer(OpKind::kInterpolate, {x(), b.ints({1, 3, 4, 5}, ET::kI32)}, sizes, 11),
            (Dims{1, 3, 4, 5}));
  // Pads apply before resizing; unlisted dims keep the padded size: H 10+1+1, W 7+1+2.
  Attrs padded = scales;
  padded["pads_begin"] = "0,0,1,1";
  padded["pads_end"] = "0,1,1,2";
  EXPECT_EQ(b.infer(OpKind::kInterpolate, {x(), b.floats({1.f, 2.f}), b.ints({2, 3})}, padded, 11),
            (Dims{1, 4, 12, 20}));
  // v4: (data, sizes, scales[, axes]); the mode picks which one counts.
  EXPECT_EQ(
      b.infer(OpKind::kInterpolate, {x(), b.ints({8, 8}), b.floats({2.f, 2.f}), b.ints({2, 3})}, sizes, 4),
      (Dims{1, 3, 8, 8}));
  EXPECT_EQ(
      b.infer(OpKind::kInterpolate, {x(), b.ints({8, 8}), b.floats({2.f, 2.f}), b.ints({2, 3})}, scales, 4),
      (Dims{1, 3, 20, 14}));
  EXPECT_EQ(b.infer(OpKind::kInterpolate, {x(), b.ints({1, 3, 5, 5}), b.floats({1, 1, 1, 1})}, sizes, 4),
            (Dims{1, 3, 5, 5}));
}

TEST(InferInterpolate, Errors) {
  Builder b;
  const Attrs scales = {{"mode", "nearest"}, {"shape_calculation_mode", "scales"}};
  const Attrs sizes = {{"mode", "nearest"}, {"shape_calculation_mode", "sizes"}};
  auto x = [&] { return b.param({1, 3, 10, 7}); };
  expect_model_error(b, OpKind::kInterpolate, {x(), b.floats({2.f}), b.ints({2, 3})}, scales, 11,
                     {"1 entries for 2 axes"});
  expect_model_error(b, OpKind::kInterpolate, {x(), b.floats({2.f, 0.f}), b.ints({2, 3})}, scales, 11,
                     {"invalid value 0"});
  expect_model_error(b, OpKind::kInterpolate, {x(), b.ints({2, 3}), b.ints({2, 3})}, scales, 11,
                     {"floating-point"});
  expect_model_error(b, OpKind::kInterpolate, {x(), b.ints({4, -4}), b.ints({2, 3})}, sizes, 11,
                     {"invalid value -4"});
  expect_model_error(b, OpKind::kInterpolate, {x(), b.ints({4, 4}), b.ints({2, 2})}, sizes, 11,
                     {"more than once"});
  expect_model_error(b, OpKind::kInterpolate, {x(), b.ints({4, 4}), b.ints({2, 4})}, sizes, 11, {"axes 4"});
  Attrs bad = sizes;
  bad["mode"] = "bilinear_pillow";
  expect_model_error(b, OpKind::kInterpolate, {x(), b.ints({4, 4}), b.floats({1, 1}), b.ints({2, 3})}, bad, 4,
                     {"mode", "bilinear_pillow"});
  bad = sizes;
  bad["pads_begin"] = "0,0,-1,0";
  expect_model_error(b, OpKind::kInterpolate, {x(), b.ints({4, 4}), b.ints({2, 3})}, bad, 11,
                     {"pads_begin", "-1"});
  bad = sizes;
  bad.erase("shape_calculation_mode");
  expect_model_error(b, OpKind::kInterpolate, {x(), b.ints({4, 4}), b.ints({2, 3})}, bad, 11,
                     {"shape_calculation_mode", "missing"});
  bad = sizes;
  bad["nearest_mode"] = "nearest";
  expect_model_error(b, OpKind::kInterpolate, {x(), b.ints({4, 4}), b.ints({2, 3})}, bad, 11,
                     {"nearest_mode"});
  Node* n = b.op(OpKind::kInterpolate, {x(), b.param({2}, ET::kI64), b.ints({2, 3})}, sizes, 11);
  expect_error([&] { infer_node(*n); }, ErrorCode::kUnsupported, {"input 1 (sizes) must be constant"});
}

}  // namespace
}  // namespace octet::test
