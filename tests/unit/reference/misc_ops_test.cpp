// Hand-computed cases of the family F8 references: the OpenVINO op specifications' own examples
// (embedding bags and segments, SliceScatter, Bucketize, CTCGreedyDecoderSeqLen's "ABB*B*B"), spec
// corners OpenVINO's CPU plugin departs from or refuses (FakeConvert rounding once, an empty last bag
// with offsets == number of indices, NaN through FakeConvert), and closed forms (2x2 inverses, small
// DFTs, erfinv values from Newton's method on Python's math.erf at the f32 inputs, CTCLoss as aligned
// paths counted by hand).
#include <cmath>
#include <limits>

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

const Tensor kTable = f32({5, 2}, {-0.2f, -0.6f, -0.1f, -0.4f, -1.9f, -1.8f, -1.f, 1.5f, 0.8f, -0.7f});

// ---- Embedding bags and segments (the specs' examples) ----

TEST(ReferenceEmbedding, BagOffsetsSpecExamples) {
  // Example 1: weights 0.5, default_index 0 fills the empty second bag.
  OpCase a(OpKind::kEmbeddingBagOffsets, 15);
  a.attr("reduction", "sum")
      .in(kTable)
      .in(i32({4}, {0, 2, 3, 4}))
      .in(i32({3}, {0, 2, 2}))
      .in(i32({}, {0}))
      .in(f32({4}, {0.5f, 0.5f, 0.5f, 0.5f}));
  expect_floats(a.run1(), {3, 2}, {-1.05f, -1.2f, -0.2f, -0.6f, -0.1f, 0.4f}, 1e-6f);
  // Example 2: default_index -1 gives zeros.
  OpCase b(OpKind::kEmbeddingBagOffsets, 15);
  b.attr("reduction", "sum")
      .in(kTable)
      .in(i32({4}, {0, 2, 3, 4}))
      .in(i32({3}, {0, 2, 2}))
      .in(i32({}, {-1}))
      .in(f32({4}, {0.5f, 0.2f, -2.f, 1.f}));
  expect_floats(b.run1(), {3, 2}, {-0.48f, -0.66f, 0, 0, 2.8f, -3.7f}, 1e-6f);
  // Example 3: mean, no default.
  OpCase c(OpKind::kEmbeddingBagOffsets, 15);
  c.attr("reduction", "mean").in(kTable).in(i32({4}, {0, 2, 3, 4})).in(i32({3}, {0, 2, 2}));
  expect_floats(c.run1(), {3, 2}, {-1.05f, -1.2f, 0, 0, -0.1f, 0.4f}, 1e-6f);
  // The -3 version is example 1 again; an empty last bag (offset = number of indices, which the spec
  // allows) takes the default row; OpenVINO's reference refuses such an offset.
  OpCase d(OpKind::kEmbeddingBagOffsetsSum, 3);
  d.in(kTable).in(i64({4}, {0, 2, 3, 4})).in(i64({3}, {0, 2, 4})).in(i64({}, {1}));
  expect_floats(d.run1(), {3, 2}, {-2.1f, -2.4f, -0.2f, 0.8f, -0.1f, -0.4f}, 1e-6f);
}

TEST(ReferenceEmbedding, BagOffsetsErrors) {
  OpCase a(OpKind::kEmbeddingBagOffsetsSum, 3);
  a.in(kTable).in(i32({4}, {0, 2, 3, 5})).in(i32({2}, {0, 2}));
  EXPECT_THROW(a.run1(), Error);  // index 5 of a 5-row table
  OpCase b(OpKind::kEmbeddingBagOffsetsSum, 3);
  b.in(kTable).in(i32({4}, {0, 2, 3, 4})).in(i32({3}, {0, 3, 2}));
  EXPECT_THROW(b.run1(), Error);  // decreasing offsets
  OpCase c(OpKind::kEmbeddingBagOffsetsSum, 3);
  c.in(kTable).in(i32({4}, {0, 2, 3, 4})).in(i32({2}, {0, 5}));
  EXPECT_THROW(c.run1(), Error);  // offset past the indices (the bag before it must not read past them:
                                  // ASan found that read, tools/sanitize.sh address)
  OpCase d(OpKind::kEmbeddingBagOffsetsSum, 3);
  d.in(kTable).in(i32({4}, {0, 2, 3, 4})).in(i32({3}, {0, 2, 2})).in(i32({}, {-2}));
  EXPECT_THROW(d.run1(), Error);  // negative default_index other than -1
}

TEST(ReferenceEmbedding, BagPackedSpecExamples) {
  OpCase a(OpKind::kEmbeddingBagPacked, 15);
  a.attr("reduction", "sum").in(kTable).in(i32({3, 2}, {0, 2, 1, 2, 3, 4}));
  expect_floats(a.run1(), {3, 2}, {-2.1f, -2.4f, -2.f, -2.2f, -0.2f, 0.8f}, 1e-6f);
  OpCase b(OpKind::kEmbeddingBagPackedSum, 3);
  b.in(kTable).in(i64({3, 2}, {0, 2, 1, 2, 3, 4})).in(f32({3, 2}, {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}));
  expect_floats(b.run1(), {3, 2}, {-1.05f, -1.2f, -1.f, -1.1f, -0.1f, 0.4f}, 1e-6f);
  OpCase c(OpKind::kEmbeddingBagPacked, 15);
  c.attr("reduction", "mean").in(kTable).in(i32({3, 2}, {0, 2, 1, 2, 3, 4}));
  expect_floats(c.run1(), {3, 2}, {-1.05f, -1.2f, -1.f, -1.1f, -0.1f, 0.4f}, 1e-6f);
  // An integer table: the mean divides in the table's type (toward zero): 9/2 = 4, -1/2 = 0.
  OpCase d(OpKind::kEmbeddingBagPacked, 15);
  d.attr("reduction", "mean").in(i32({3, 1}, {7, 2, -3})).in(i32({2, 2}, {0, 1, 1, 2}));
  expect_ints(d.run1(), ET::kI32, {2, 1}, {4, 0});
}

TEST(ReferenceEmbedding, SegmentsSumSpecExample) {
  OpCase a(OpKind::kEmbeddingSegmentsSum, 3);
  a.in(kTable)
      .in(i32({4}, {0, 2, 3, 4}))
      .in(i32({4}, {0, 0, 2, 2}))
      .in(i32({}, {3}))
      .in(i32({}, {0}))
      .in(f32({4}, {0.5f, 0.5f, 0.5f, 0.5f}));
  expect_floats(a.run1(), {3, 2}, {-1.05f, -1.2f, -0.2f, -0.6f, -0.1f, 0.4f}, 1e-6f);
  // Without default_index the empty segments are zeros; segment ids need not be sorted to add up.
  OpCase b(OpKind::kEmbeddingSegmentsSum, 3);
  b.in(kTable).in(i64({3}, {4, 1, 4})).in(i64({3}, {3, 0, 3})).in(i64({}, {4}));
  expect_floats(b.run1(), {4, 2}, {-0.1f, -0.4f, 0, 0, 0, 0, 1.6f, -1.4f}, 1e-6f);
  OpCase c(OpKind::kEmbeddingSegmentsSum, 3);
  c.in(kTable).in(i64({2}, {0, 1})).in(i64({2}, {0, 4})).in(i64({}, {4}));
  EXPECT_THROW(c.run1(), Error);  // segment id 4 of 4 segments
}

// ---- Decoders ----

// One-hot logits [N=1, T, C] (or [T, N=1, C]) of the given class per step.
Tensor one_hot(const std::vector<int>& classes, int c) {
  std::vector<float> v(classes.size() * static_cast<size_t>(c), 0.0f);
  for (size_t t = 0; t < classes.size(); ++t)
    v[t * static_cast<size_t>(c) + static_cast<size_t>(classes[t])] = 1;
  return f32({1, static_cast<int64_t>(classes.size()), c}, v);
}

TEST(ReferenceDecoders, CtcGreedyDecoderSeqLenSpecExample) {
  // "ABB*B*B" (A = 0, B = 1, * = blank = C - 1 = 2): ABBB with merge_repeated, ABBBB without.
  const Tensor x = one_hot({0, 1, 1, 2, 1, 2, 1}, 3);
  OpCase a(OpKind::kCTCGreedyDecoderSeqLen, 6);
  a.attr("merge_repeated", "true").in(x).in(i32({1}, {7}));
  auto out = a.run();
  expect_ints(out[0], ET::kI32, {1, 7}, {0, 1, 1, 1, -1, -1, -1});
  expect_ints(out[1], ET::kI32, {1}, {4});
  OpCase b(OpKind::kCTCGreedyDecoderSeqLen, 6);
  b.attr("merge_repeated", "false").attr("classes_index_type", "i64").in(x).in(i32({1}, {7}));
  out = b.run();
  expect_ints(out[0], ET::kI64, {1, 7}, {0, 1, 1, 1, 1, -1, -1});
  expect_ints(out[1], ET::kI32, {1}, {5});
  // blank_index 1 (B): the blanks between the 2s keep them apart; length 5 cuts the last step.
  OpCase c(OpKind::kCTCGreedyDecoderSeqLen, 6);
  c.attr("merge_repeated", "true").in(x).in(i64({1}, {5})).in(i64({}, {1}));
  out = c.run();
  expect_ints(out[0], ET::kI32, {1, 7}, {0, 2, -1, -1, -1, -1, -1});
  expect_ints(out[1], ET::kI32, {1}, {2});
  OpCase d(OpKind::kCTCGreedyDecoderSeqLen, 6);
  d.in(x).in(i32({1}, {8}));
  EXPECT_THROW(d.run(), Error);  // sequence_length beyond T
}

TEST(ReferenceDecoders, CtcGreedyDecoder) {
  // [T=4, N=1, C=3], classes 0 0 2 0, mask 1 1 1 0: the fourth step is past the sequence.
  const Tensor x = one_hot({0, 0, 2, 0}, 3).reshaped({4, 1, 3});
  OpCase a(OpKind::kCTCGreedyDecoder, 1);
  a.attr("ctc_merge_repeated", "true").in(x).in(f32({4, 1}, {1, 1, 1, 0}));
  expect_floats(a.run1(), {1, 4, 1, 1}, {0, -1, -1, -1});
  OpCase b(OpKind::kCTCGreedyDecoder, 1);
  b.attr("ctc_merge_repeated", "false").in(x).in(f32({4, 1}, {1, 1, 1, 0}));
  expect_floats(b.run1(), {1, 4, 1, 1}, {0, 0, -1, -1});
}

// CTCLoss-4 with equal logits (every class 1/C per step): the loss is ln(C^T / number of aligned paths),
// the paths counted by hand. C = 3, blank = 2, T = 3.
OpCase ctc_loss_case(const std::vector<int64_t>& logit_length, const std::vector<int64_t>& labels,
                     const std::vector<int64_t>& label_length, bool merge = true) {
  const int64_t n = static_cast<int64_t>(logit_length.size());
  OpCase c(OpKind::kCTCLoss, 4);
  c.attr("ctc_merge_repeated", merge ? "true" : "false")
      .in(f32({n, 3, 3}, std::vector<float>(static_cast<size_t>(n * 9), 0.0f)))
      .in(i32({n}, logit_length))
      .in(i32({n, 3}, labels))
      .in(i32({n}, label_length));
  return c;
}

TEST(ReferenceCtcLoss, CountsAlignedPaths) {
  // Merging: "0" in 3 steps has 6 paths (one run of 0s among blanks), "00" only 0b0, "" only bb in
  // 2 steps, "10" 5 paths (100, 110, 1b0, b10, 10b).
  expect_floats(ctc_loss_case({3, 3, 2, 3}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, {1, 2, 0, 2}).run1(), {4},
                {std::log(4.5f), std::log(27.f), std::log(9.f), std::log(27.f / 5)}, 1e-5f);
  // Without merging every non-blank step is a label: "0" 3 paths in 3 steps and 2 in 2, "00" 3 (00b,
  // 0b0, b00), "10" 3 (10b, 1b0, b10).
  expect_floats(ctc_loss_case({3, 2, 3, 3}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}, {1, 1, 2, 2}, false).run1(),
                {4}, {std::log(9.f), std::log(4.5f), std::log(9.f), std::log(9.f)}, 1e-5f);
  // No aligned path: "00" in 2 steps when repeats merge, a target holding the blank.
  expect_floats(ctc_loss_case({2, 3}, {0, 0, 0, 2, 0, 0}, {2, 1}).run1(), {2},
                {std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()});
}

TEST(ReferenceCtcLoss, TargetPreprocessing) {
  // "001" collapses to "01" (5 paths in 3 steps); unique turns "010" into "01" as well, where plain
  // "010" has the single path 010.
  OpCase a = ctc_loss_case({3}, {0, 0, 1}, {3});
  a.attr("preprocess_collapse_repeated", "true");
  expect_floats(a.run1(), {1}, {std::log(27.f / 5)}, 1e-5f);
  OpCase b = ctc_loss_case({3, 3}, {0, 1, 0, 0, 1, 0}, {3, 3});
  b.attr("unique", "true");
  expect_floats(b.run1(), {2}, {std::log(27.f / 5), std::log(27.f / 5)}, 1e-5f);
  expect_floats(ctc_loss_case({3}, {0, 1, 0}, {3}).run1(), {1}, {std::log(27.f)}, 1e-5f);
}

TEST(ReferenceCtcLoss, SoftmaxAndBlankIndex) {
  // One step, logits (0, ln 3): p = (1/4, 3/4). blank_index 1: target "0" costs ln 4; blank_index 0:
  // target "1" costs ln 4/3.
  for (int64_t blank : {1, 0}) {
    OpCase c(OpKind::kCTCLoss, 4);
    c.in(f32({1, 1, 2}, {0.0f, std::log(3.0f)}))
        .in(i64({1}, {1}))
        .in(i64({1, 1}, {1 - blank}))
        .in(i64({1}, {1}))
        .in(i64({}, {blank}));
    expect_floats(c.run1(), {1}, {blank == 1 ? std::log(4.f) : std::log(4.f / 3)}, 1e-6f);
  }
}

TEST(ReferenceCtcLoss, RefusesBadLengthsAndLabels) {
  EXPECT_THROW(ctc_loss_case({2}, {0, 1, 0}, {3}).run1(), Error);  // label_length > logit_length
  EXPECT_THROW(ctc_loss_case({4}, {0, 1, 0}, {1}).run1(), Error);  // logit_length > T
  EXPECT_THROW(ctc_loss_case({3}, {3, 1, 0}, {1}).run1(), Error);  // label 3 of C = 3 classes
  OpCase c = ctc_loss_case({3}, {0, 1, 0}, {1});
  c.in(i32({}, {3}));
  EXPECT_THROW(c.run1(), Error);  // blank_index 3 of C = 3 classes
}

TEST(ReferenceDecoders, GatherTree) {
  // T=3, B=1, W=2: beam 0 traces parents 1 then 0 (ids 1 4 5), beam 1 parents 0 then 1 (2 3 6).
  const Tensor steps = i32({3, 1, 2}, {1, 2, 3, 4, 5, 6});
  const Tensor parents = i32({3, 1, 2}, {0, 0, 1, 0, 1, 0});
  OpCase a(OpKind::kGatherTree, 1);
  a.in(steps).in(parents).in(i32({1}, {3})).in(i32({}, {9}));
  expect_ints(a.run1(), ET::kI32, {3, 1, 2}, {1, 2, 4, 3, 5, 6});
  // end_token 4: beam 0 ends at step 1, the rest of it becomes 4.
  OpCase b(OpKind::kGatherTree, 1);
  b.in(steps).in(parents).in(i32({1}, {3})).in(i32({}, {4}));
  expect_ints(b.run1(), ET::kI32, {3, 1, 2}, {1, 2, 4, 3, 4, 6});
  // max_seq_len 2: traced from step 1, the last step holds end_token.
  OpCase c(OpKind::kGatherTree, 1);
  c.in(steps).in(parents).in(i32({1}, {2})).in(i32({}, {9}));
  expect_ints(c.run1(), ET::kI32, {3, 1, 2}, {2, 1, 3, 4, 9, 9});
  // max_seq_len 0: nothing is traced, every step holds end_token (TensorFlow's gather_tree; the spec's
  // pseudo-code would index step -1 there, and OpenVINO's CPU plugin leaves such beams unwritten).
  OpCase z(OpKind::kGatherTree, 1);
  z.in(f32({3, 1, 2}, {1, 2, 3, 4, 5, 6}))
      .in(f32({3, 1, 2}, {0, 0, 1, 0, 1, 0}))
      .in(f32({1}, {0}))
      .in(f32({}, {9}));
  expect_floats(z.run1(), {3, 1, 2}, {9, 9, 9, 9, 9, 9});
  OpCase d(OpKind::kGatherTree, 1);
  d.in(steps).in(i32({3, 1, 2}, {0, 0, 2, 0, 1, 0})).in(i32({1}, {3})).in(i32({}, {9}));
  EXPECT_THROW(d.run1(), Error);  // parent 2 of a beam width 2
}

// ---- SliceScatter-15 (the spec's examples), Bucketize-3, SearchSorted-15 ----

TEST(ReferenceMiscOps, SliceScatterSpecExamples) {
  const Tensor data = f32({2, 5}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  OpCase a(OpKind::kSliceScatter, 15);
  a.in(data)
      .in(f32({1, 5}, {10, 20, 30, 40, 50}))
      .in(i32({1}, {0}))
      .in(i32({1}, {1}))
      .in(i32({1}, {1}))
      .in(i32({1}, {0}));
  expect_floats(a.run1(), {2, 5}, {10, 20, 30, 40, 50, 5, 6, 7, 8, 9});
  OpCase b(OpKind::kSliceScatter, 15);
  b.in(data)
      .in(f32({2, 3}, {10, 20, 30, 40, 50, 60}))
      .in(i32({1}, {-25}))
      .in(i32({1}, {25}))
      .in(i32({1}, {2}))
      .in(i32({1}, {1}));
  expect_floats(b.run1(), {2, 5}, {10, 1, 20, 3, 30, 40, 6, 50, 8, 60});
  OpCase c(OpKind::kSliceScatter, 15);
  c.in(f32({3, 5}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}))
      .in(f32({2, 2}, {50, 60, 70, 80}))
      .in(i64({2}, {0, 1}))
      .in(i64({2}, {3, 5}))
      .in(i64({2}, {2, 2}));
  expect_floats(c.run1(), {3, 5}, {0, 50, 2, 60, 4, 5, 6, 7, 8, 9, 10, 70, 12, 80, 14});
  // A negative step walks backwards: positions 4, 2 of axis 0 (start -1, stop 0, step -2).
  OpCase d(OpKind::kSliceScatter, 15);
  d.in(i32({5}, {0, 1, 2, 3, 4}))
      .in(i32({2}, {7, 8}))
      .in(i32({1}, {-1}))
      .in(i32({1}, {0}))
      .in(i32({1}, {-2}));
  expect_ints(d.run1(), ET::kI32, {5}, {0, 1, 8, 3, 7});
  OpCase e(OpKind::kSliceScatter, 15);
  e.in(data)
      .in(f32({2, 2}, {1, 2, 3, 4}))
      .in(i32({1}, {0}))
      .in(i32({1}, {5}))
      .in(i32({1}, {2}))
      .in(i32({1}, {1}));
  EXPECT_THROW(e.run1(), Error);  // updates [2,2] for a [2,3] slice
}

TEST(ReferenceMiscOps, BucketizeSpecExample) {
  const Tensor x = f32({2, 2}, {3, 50, 10, -1});
  OpCase a(OpKind::kBucketize, 3);
  a.in(x).in(f32({3}, {0, 5, 10}));
  expect_ints(a.run1(), ET::kI64, {2, 2}, {1, 3, 2, 0});
  // Left bound: 10 opens the bucket [10, inf).
  OpCase b(OpKind::kBucketize, 3);
  b.attr("with_right_bound", "false").attr("output_type", "i32").in(x).in(i64({3}, {0, 5, 10}));
  expect_ints(b.run1(), ET::kI32, {2, 2}, {1, 3, 3, 0});
  // No boundaries: every index is 0.
  OpCase c(OpKind::kBucketize, 3);
  c.in(i32({3}, {-5, 0, 5})).in(f32({0}, {}));
  expect_ints(c.run1(), ET::kI64, {3}, {0, 0, 0});
}

TEST(ReferenceMiscOps, SearchSorted) {
  OpCase a(OpKind::kSearchSorted, 15);
  a.in(f32({4}, {1, 3, 3, 5})).in(f32({2, 2}, {0, 3, 4, 6}));
  expect_ints(a.run1(), ET::kI64, {2, 2}, {0, 1, 3, 4});
  OpCase b(OpKind::kSearchSorted, 15);
  b.attr("right_mode", "true")
      .attr("output_type", "i32")
      .in(f32({4}, {1, 3, 3, 5}))
      .in(f32({2, 2}, {0, 3, 4, 6}));
  expect_ints(b.run1(), ET::kI32, {2, 2}, {0, 3, 3, 4});
  // One sorted row per leading index.
  OpCase c(OpKind::kSearchSorted, 15);
  c.in(i64({2, 3}, {1, 2, 3, 4, 5, 6})).in(i64({2, 2}, {2, 7, 4, 0}));
  expect_ints(c.run1(), ET::kI64, {2, 2}, {1, 3, 0, 0});
}

// ---- Inverse-14 ----

TEST(ReferenceMiscOps, Inverse) {
  // [[4,7],[2,6]]: det 10, inverse [[0.6,-0.7],[-0.2,0.4]]; adjoint inverts the transpose [[4,2],[7,6]]:
  // [[0.6,-0.2],[-0.7,0.4]].
  OpCase a(OpKind::kInverse, 14);
  a.in(f32({1, 2, 2}, {4, 7, 2, 6}));
  expect_floats(a.run1(), {1, 2, 2}, {0.6f, -0.7f, -0.2f, 0.4f}, 1e-7f);
  OpCase b(OpKind::kInverse, 14);
  b.attr("adjoint", "true").in(f32({2, 2}, {4, 7, 2, 6}));
  expect_floats(b.run1(), {2, 2}, {0.6f, -0.2f, -0.7f, 0.4f}, 1e-7f);
  // A zero pivot needs the row swap: ([[0,2],[1,0]]^T)^-1 = [[0,1],[2,0]]^-1 = [[0,0.5],[1,0]].
  OpCase c(OpKind::kInverse, 14);
  c.attr("adjoint", "true").in(f32({2, 2}, {0, 2, 1, 0}));
  expect_floats(c.run1(), {2, 2}, {0, 0.5f, 1, 0});
}

// ---- FakeConvert-13 ----

TEST(ReferenceFakeConvert, RoundsOnceToNearestEvenAndSaturates) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  // e4m3: 1.0625 is a tie (to even: 1.0), 1.1875 a tie (to 1.25); 1.0625 + 2^-20 is above the tie
  // (1.125) where OpenVINO's CPU plugin rounds to f16 first and lands on the tie (1.0). 2^-10 ties
  // between 0 and the smallest subnormal 2^-9 (to 0); 1.5 * 2^-10 rounds up. Beyond 448 saturates.
  OpCase a(OpKind::kFakeConvert, 13);
  a.attr("destination_type", "f8e4m3")
      .in(f32({10},
              {1.0625f, 1.1875f, 470.f, -1e6f, nan, 1.0625f + 0x1p-20f, 0x1p-10f, 0x1.8p-10f, inf, -0.0f}))
      .in(f32({}, {1}));
  const Tensor ya = a.run1();
  expect_floats(ya, {10}, {1.0f, 1.25f, 448.f, -448.f, nan, 1.125f, 0.f, 0x1p-9f, 448.f, -0.0f});
  EXPECT_TRUE(std::signbit(ya.data_as<float>()[9]));
  // e5m2: subnormals are multiples of 2^-16; 1.375 ties to 1.5 (even); the largest value is 57344.
  OpCase b(OpKind::kFakeConvert, 13);
  b.attr("destination_type", "f8e5m2")
      .in(f32({6}, {0x1p-17f, 0x1.8p-17f, 1.375f, 61440.f, -inf, 1.125f}))
      .in(f32({1}, {1}));
  expect_floats(b.run1(), {6}, {0.f, 0x1p-16f, 1.5f, 57344.f, -57344.f, 1.0f});
  // Scale and shift: (round(2.3 * 1 - 0.1) + 0.1) / 1 = 2.25 + 0.1; (round(3 * 0.5 - 0.25) + 0.25) / 0.5 = 3.
  OpCase c(OpKind::kFakeConvert, 13);
  c.attr("destination_type", "f8e4m3")
      .in(f32({2}, {2.3f, 3.f}))
      .in(f32({2}, {1.f, 0.5f}))
      .in(f32({2}, {0.1f, 0.25f}));
  expect_floats(c.run1(), {2}, {2.25f + 0.1f, 3.f});
  // Just off an f8 tie: the spec rounds once; OpenVINO's CPU plugin (f16 first, then f8 from the tie)
  // gives 1.25, 8, 0 and -1.0 here.
  OpCase d(OpKind::kFakeConvert, 13);
  d.attr("destination_type", "f8e4m3")
      .in(f32({4}, {1.1875f - 0x1p-20f, 8.5f + 0x1p-14f, 0x1p-10f + 0x1p-30f, -1.0625f - 0x1p-20f}))
      .in(f32({1}, {1}));
  expect_floats(d.run1(), {4}, {1.125f, 9.f, 0x1p-9f, -1.125f});
}

// ---- ErfInv-17 ----

TEST(ReferenceMiscOps, ErfInv) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  OpCase a(OpKind::kErfInv, 17);
  a.in(f32({10}, {0.5f, -0.9f, 0.999f, 0.125f, 1e-3f, 0.f, 1.f, -1.f, 1.5f, nan}));
  expect_floats(a.run1(), {10},
                {0.4769362807273865f, -1.1630871295928955f, 2.326756238937378f, 0.11123545467853546f,
                 0.0008862271788530052f, 0.f, inf, -inf, nan, nan});
  // The tails (Newton's method on Python's math.erfc, 1 - x being exact there), where OpenVINO's CPU
  // plugin is off by up to 0.019: 1 - 2^-24 gives 3.8139 on it.
  OpCase b(OpKind::kErfInv, 17);
  b.in(f32({3}, {0.99999994f, -0.999999f, -0.9999f}));
  expect_floats(b.run1(), {3}, {3.832506856900711f, -3.45707472603595f, -2.7510354379032873f}, 2e-6f);
}

// ---- STFT-15 / ISTFT-16 ----

TEST(ReferenceSignal, StftOfSmallFrames) {
  // Frames [1,2,3,4] and [3,4,5,6]: X = [10, -2+2i, -2] and [18, -2+2i, -2].
  OpCase a(OpKind::kSTFT, 15);
  a.attr("transpose_frames", "false")
      .in(f32({6}, {1, 2, 3, 4, 5, 6}))
      .in(f32({4}, {1, 1, 1, 1}))
      .in(i64({}, {4}))
      .in(i64({}, {2}));
  expect_floats(a.run1(), {2, 3, 2}, {10, 0, -2, 2, -2, 0, 18, 0, -2, 2, -2, 0}, 1e-6f);
  // A window of 2 sits in the middle of the frame of 4: [0, 2, 3, 0] -> [5, -3-2i, 1].
  OpCase b(OpKind::kSTFT, 15);
  b.attr("transpose_frames", "true")
      .in(f32({1, 4}, {1, 2, 3, 4}))
      .in(f32({2}, {1, 1}))
      .in(i32({}, {4}))
      .in(i32({}, {4}));
  expect_floats(b.run1(), {1, 3, 1, 2}, {5, 0, -3, -2, 1, 0}, 1e-6f);
}

TEST(ReferenceSignal, IstftInvertsStft) {
  // The spectra above as ISTFT data [bins, frames, 2] give the signal back; overlapping samples are
  // averaged by the squared-window sum.
  const Tensor spec = f32({3, 2, 2}, {10, 0, 18, 0, -2, 2, -2, 2, -2, 0, -2, 0});
  OpCase a(OpKind::kISTFT, 16);
  a.attr("center", "false")
      .attr("normalized", "false")
      .in(spec)
      .in(f32({4}, {1, 1, 1, 1}))
      .in(i64({}, {4}))
      .in(i64({}, {2}));
  expect_floats(a.run1(), {6}, {1, 2, 3, 4, 5, 6}, 1e-6f);
  // center drops frame_size / 2 samples at each end; normalized multiplies by sqrt(frame_size).
  OpCase b(OpKind::kISTFT, 16);
  b.attr("center", "true")
      .attr("normalized", "true")
      .in(spec)
      .in(f32({4}, {1, 1, 1, 1}))
      .in(i64({}, {4}))
      .in(i64({}, {2}));
  expect_floats(b.run1(), {2}, {6, 8}, 1e-6f);
  // A longer signal_length pads with zeros.
  OpCase c(OpKind::kISTFT, 16);
  c.attr("center", "false")
      .attr("normalized", "false")
      .in(spec)
      .in(f32({4}, {1, 1, 1, 1}))
      .in(i64({}, {4}))
      .in(i64({}, {2}))
      .in(i64({}, {8}));
  expect_floats(c.run1(), {8}, {1, 2, 3, 4, 5, 6, 0, 0}, 1e-6f);
}

// ---- ConvertPromoteTypes-14 ----

TEST(ReferenceMiscOps, ConvertPromoteTypes) {
  OpCase a(OpKind::kConvertPromoteTypes, 14);
  a.attr("promote_unsafe", "true")
      .in(test::ints(ET::kI8, {2}, {-1, 100}))
      .in(test::ints(ET::kU8, {2}, {255, 3}));
  const auto out = a.run();
  expect_ints(out[0], ET::kI16, {2}, {-1, 100});
  expect_ints(out[1], ET::kI16, {2}, {255, 3});
}

// ---- SegmentMax-16 (the spec's examples, with data chosen here) ----

TEST(ReferenceMiscOps, SegmentMax) {
  const Tensor data = f32({5}, {1, 5, 3, 2, 4});
  // Example 1: ids [0, 0, 2, 3, 3] with num_segments 2 leave segments 2 and 3 out.
  OpCase a(OpKind::kSegmentMax, 16);
  a.attr("fill_mode", "ZERO").in(data).in(i32({5}, {0, 0, 2, 3, 3})).in(i64({}, {2}));
  expect_floats(a.run1(), {2}, {5, 0});
  // Example 2: num_segments 8 pads with empty segments.
  OpCase b(OpKind::kSegmentMax, 16);
  b.attr("fill_mode", "ZERO").in(data).in(i32({5}, {0, 0, 2, 3, 3})).in(i64({}, {8}));
  expect_floats(b.run1(), {8}, {5, 0, 3, 4, 0, 0, 0, 0});
  // Example 3 (no num_segments, LOWEST): rows [0] and [1, 2] of an i32 [3, 2]; f32 fills with -FLT_MAX.
  OpCase c(OpKind::kSegmentMax, 16);
  c.attr("fill_mode", "LOWEST").in(i32({3, 2}, {1, -7, 4, -9, -2, 8})).in(i64({3}, {0, 1, 1}));
  expect_ints(c.run1(), ET::kI32, {2, 2}, {1, -7, 4, 8});
  OpCase d(OpKind::kSegmentMax, 16);
  d.attr("fill_mode", "LOWEST").in(data).in(i32({5}, {1, 1, 1, 1, 1})).in(i32({}, {2}));
  expect_floats(d.run1(), {2}, {-std::numeric_limits<float>::max(), 5});
  OpCase e(OpKind::kSegmentMax, 16);
  e.attr("fill_mode", "ZERO").in(data).in(i32({5}, {0, 2, 1, 3, 3})).in(i32({}, {4}));
  EXPECT_THROW(e.run1(), Error);  // unsorted ids
  // f16 fills with its own lowest value, -65504 (OpenVINO's CPU plugin, computing in f32, gives -inf).
  Tensor half(ElementType::kF16, {2});
  half.data_as<uint16_t>()[0] = 0x3C00;  // 1
  half.data_as<uint16_t>()[1] = 0x4500;  // 5
  OpCase f(OpKind::kSegmentMax, 16);
  f.attr("fill_mode", "LOWEST").in(half).in(i32({2}, {1, 1})).in(i32({}, {2}));
  expect_floats(f.run1(), {2}, {-65504.f, 5});
}

}  // namespace
}  // namespace octet
