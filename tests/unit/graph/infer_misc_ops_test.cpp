// Shape inference and attribute errors of the family F8 ops: Bucketize-3, SearchSorted-15, the
// embedding bags and segments, CTCGreedyDecoder-1/-SeqLen-6, GatherTree-1, SliceScatter-15,
// Inverse-14, STFT-15, ISTFT-16, FakeConvert-13, ConvertPromoteTypes-14 and ErfInv-17. Expected dims
// and types are computed by hand from the OpenVINO op specifications (ConvertPromoteTypes: the
// spec's example table).
#include "host/graph/op_attrs.h"
#include "tests/unit/graph/infer_test_util.h"

namespace octet::test {
namespace {

using Attrs = std::map<std::string, std::string>;
using ET = ElementType;

// Infers a new node and expects `code` naming the layer and the fragments.
void expect_code(Builder& b, ErrorCode code, OpKind kind, std::vector<Node*> inputs, Attrs attrs, int version,
                 std::initializer_list<const char*> fragments) {
  Node* n = b.op(kind, std::move(inputs), std::move(attrs), version);
  const std::string layer = "'" + n->name + "'";
  expect_error([&] { infer_node(*n); }, code, fragments);
  try {
    infer_node(*n);
  } catch (const Error& e) {
    EXPECT_NE(std::strstr(e.what(), layer.c_str()), nullptr) << "layer not named: " << e.what();
  }
}

// ---- Bucketize-3 / SearchSorted-15 ----

TEST(InferMiscOps, Bucketize) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kBucketize, {b.param({2, -1, 5}), b.param({4})},
                    {{"output_type", "i32"}, {"with_right_bound", "false"}}, 3),
            (Dims{2, -1, 5}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
  // Defaults (spec): i64, right bound; integer data with float boundaries is allowed.
  b.infer(OpKind::kBucketize, {b.param({3}, ET::kI32), b.param({2})}, {}, 3);
  EXPECT_EQ(b.last->outputs[0].type, ET::kI64);
  expect_model_error(b, OpKind::kBucketize, {b.param({3}), b.param({2, 2})}, {}, 3, {"buckets", "rank 1"});
  expect_model_error(b, OpKind::kBucketize, {b.param({3}, ET::kBoolean), b.param({2})}, {}, 3, {"numeric"});
  expect_error(
      [&] {
        b.infer(OpKind::kBucketize, {b.param({3}), b.param({2})}, {{"output_type", "f32"}}, 3);
      },
      ErrorCode::kModel, {"output_type", "i32, i64"});
  expect_error(
      [&] {
        b.infer(OpKind::kBucketize, {b.param({3}), b.param({2})}, {{"right", "true"}}, 3);
      },
      ErrorCode::kUnsupported, {"'right'", "Bucketize-3"});
}

TEST(InferMiscOps, SearchSorted) {
  Builder b;
  // A 1-D sequence serves values of any shape; the output has the values' shape.
  EXPECT_EQ(b.infer(OpKind::kSearchSorted, {b.param({9}), b.param({3, 5})}, {{"right_mode", "true"}}, 15),
            (Dims{3, 5}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI64);
  EXPECT_EQ(b.infer(OpKind::kSearchSorted, {b.param({9}), b.param({})}, {}, 15), (Dims{}));
  EXPECT_EQ(b.infer(OpKind::kSearchSorted, {b.param({2, 3, 7}, ET::kI32), b.param({2, 3, 4}, ET::kI32)},
                    {{"output_type", "i32"}}, 15),
            (Dims{2, 3, 4}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
  expect_model_error(b, OpKind::kSearchSorted, {b.param({2, 7}), b.param({3, 4})}, {}, 15, {"leading dims"});
  expect_model_error(b, OpKind::kSearchSorted, {b.param({2, 7}), b.param({4})}, {}, 15, {"rank"});
  expect_model_error(b, OpKind::kSearchSorted, {b.param({}), b.param({4})}, {}, 15, {"scalar"});
  expect_model_error(b, OpKind::kSearchSorted, {b.param({5}), b.param({4}, ET::kI32)}, {}, 15,
                     {"type of input 0"});
}

// ---- Embedding bags and segments ----

TEST(InferMiscOps, EmbeddingBags) {
  Builder b;
  // Output [batch] + emb_table.shape[1:], batch from offsets (or the packed indices' rows).
  EXPECT_EQ(b.infer(OpKind::kEmbeddingBagOffsetsSum,
                    {b.param({10, 2, 3}), b.param({7}, ET::kI32), b.param({4}, ET::kI32),
                     b.param({}, ET::kI32), b.param({7})},
                    {}, 3),
            (Dims{4, 2, 3}));
  EXPECT_EQ(b.infer(OpKind::kEmbeddingBagOffsets,
                    {b.param({10, 3}), b.param({7}, ET::kI64), b.param({5}, ET::kI64)},
                    {{"reduction", "mean"}}, 15),
            (Dims{5, 3}));
  EXPECT_EQ(
      b.infer(OpKind::kEmbeddingBagPackedSum, {b.param({10, 3}, ET::kI32), b.param({4, 6}, ET::kI64)}, {}, 3),
      (Dims{4, 3}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI32);
  EXPECT_EQ(b.infer(OpKind::kEmbeddingBagPacked, {b.param({10}), b.param({2, 6}, ET::kI32), b.param({2, 6})},
                    {{"reduction", "sum"}}, 15),
            (Dims{2}));
  expect_model_error(b, OpKind::kEmbeddingBagOffsetsSum,
                     {b.param({10, 3}), b.param({7}), b.param({4}, ET::kI32)}, {}, 3,
                     {"indices", "i32 or i64"});
  expect_model_error(b, OpKind::kEmbeddingBagOffsetsSum,
                     {b.param({10, 3}), b.param({7}, ET::kI32), b.param({4}, ET::kI64)}, {}, 3,
                     {"offsets", "type of input 1"});
  expect_model_error(
      b, OpKind::kEmbeddingBagOffsetsSum,
      {b.param({10, 3}), b.param({7}, ET::kI32), b.param({4}, ET::kI32), b.param({1}, ET::kI32)}, {}, 3,
      {"default_index", "rank 0"});
  expect_model_error(
      b, OpKind::kEmbeddingBagOffsetsSum,
      {b.param({10, 3}), b.param({7}, ET::kI32), b.param({4}, ET::kI32), b.param({}, ET::kI32), b.param({6})},
      {}, 3, {"per_sample_weights", "shape of indices"});
  // per_sample_weights exist only for sum (spec: mean raises).
  expect_model_error(
      b, OpKind::kEmbeddingBagOffsets,
      {b.param({10, 3}), b.param({7}, ET::kI32), b.param({4}, ET::kI32), b.param({}, ET::kI32), b.param({7})},
      {{"reduction", "mean"}}, 15, {"per_sample_weights", "mean"});
  expect_model_error(b, OpKind::kEmbeddingBagPacked,
                     {b.param({10, 3}), b.param({2, 6}, ET::kI32), b.param({2, 6})}, {{"reduction", "mean"}},
                     15, {"per_sample_weights", "mean"});
  expect_model_error(b, OpKind::kEmbeddingBagPackedSum, {b.param({10, 3}), b.param({6}, ET::kI32)}, {}, 3,
                     {"indices", "rank 2"});
  expect_error(
      [&] {
        b.infer(OpKind::kEmbeddingBagOffsets,
                {b.param({10, 3}), b.param({7}, ET::kI32), b.param({4}, ET::kI32)}, {{"reduction", "max"}},
                15);
      },
      ErrorCode::kModel, {"reduction", "sum, mean"});
}

TEST(InferMiscOps, EmbeddingSegmentsSum) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kEmbeddingSegmentsSum,
                    {b.param({10, 3}), b.param({7}, ET::kI64), b.param({7}, ET::kI64), b.scalar(5)}, {}, 3),
            (Dims{5, 3}));
  // num_segments decides the output shape: a run-time value is refused as data-dependent.
  expect_code(b, ErrorCode::kUnsupported, OpKind::kEmbeddingSegmentsSum,
              {b.param({10, 3}), b.param({7}, ET::kI64), b.param({7}, ET::kI64), b.param({}, ET::kI64)}, {},
              3, {"num_segments", "data-dependent"});
  expect_model_error(b, OpKind::kEmbeddingSegmentsSum,
                     {b.param({10, 3}), b.param({7}, ET::kI64), b.param({6}, ET::kI64), b.scalar(5)}, {}, 3,
                     {"segment_ids", "number of indices"});
  expect_model_error(b, OpKind::kEmbeddingSegmentsSum,
                     {b.param({10, 3}), b.param({7}, ET::kI64), b.param({7}, ET::kI64), b.scalar(-1)}, {}, 3,
                     {"num_segments", "-1"});
}

// ---- Decoders ----

TEST(InferMiscOps, CtcGreedyDecoders) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kCTCGreedyDecoder, {b.param({20, 8, 128}), b.param({20, 8})},
                    {{"ctc_merge_repeated", "true"}}, 1),
            (Dims{8, 20, 1, 1}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
  expect_model_error(b, OpKind::kCTCGreedyDecoder, {b.param({20, 8, 128}), b.param({20, 7})}, {}, 1,
                     {"sequence_mask", "N of data"});
  b.infer(OpKind::kCTCGreedyDecoderSeqLen, {b.param({8, 20, 128}), b.param({8}, ET::kI64), b.ints({120})},
          {{"merge_repeated", "true"}, {"classes_index_type", "i64"}, {"sequence_length_type", "i32"}}, 6);
  ASSERT_EQ(b.last->outputs.size(), 2u);
  EXPECT_EQ(b.last->outputs[0].shape, (Dims{8, 20}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kI64);
  EXPECT_EQ(b.last->outputs[1].shape, (Dims{8}));
  EXPECT_EQ(b.last->outputs[1].type, ET::kI32);
  expect_model_error(b, OpKind::kCTCGreedyDecoderSeqLen,
                     {b.param({8, 20, 128}), b.param({8}, ET::kI64), b.ints({1, 2})}, {}, 6, {"blank_index"});
  expect_model_error(b, OpKind::kCTCGreedyDecoderSeqLen, {b.param({8, 20, 128}), b.param({8})}, {}, 6,
                     {"sequence_length", "i32 or i64"});
  expect_error(
      [&] {
        b.infer(OpKind::kCTCGreedyDecoderSeqLen, {b.param({8, 20, 128}), b.param({8}, ET::kI32)},
                {{"classes_index_type", "u8"}}, 6);
      },
      ErrorCode::kModel, {"classes_index_type"});
}

TEST(InferMiscOps, CtcLoss) {
  Builder b;
  EXPECT_EQ(
      b.infer(
          OpKind::kCTCLoss,
          {b.param({4, 20, 7}), b.param({4}, ET::kI32), b.param({4, 20}, ET::kI64), b.param({4}, ET::kI32),
           b.scalar(6)},
          {{"preprocess_collapse_repeated", "false"}, {"ctc_merge_repeated", "true"}, {"unique", "false"}},
          4),
      (Dims{4}));
  EXPECT_EQ(b.last->outputs[0].type, ET::kF32);
  b.infer(OpKind::kCTCLoss,
          {b.param({2, 5, 3}, ET::kF16), b.param({2}, ET::kI64), b.param({2, 5}, ET::kI64),
           b.param({2}, ET::kI64)},
          {}, 4);
  EXPECT_EQ(b.last->outputs[0].type, ET::kF16);
  expect_model_error(
      b, OpKind::kCTCLoss,
      {b.param({4, 20, 7}), b.param({4}, ET::kI32), b.param({4, 19}, ET::kI32), b.param({4}, ET::kI32)}, {},
      4, {"labels", "T of logits"});
  expect_model_error(
      b, OpKind::kCTCLoss,
      {b.param({4, 20, 7}), b.param({3}, ET::kI32), b.param({4, 20}, ET::kI32), b.param({4}, ET::kI32)}, {},
      4, {"logit_length", "N of logits"});
  expect_model_error(b, OpKind::kCTCLoss,
                     {b.param({4, 20, 7}), b.param({4}), b.param({4, 20}, ET::kI32), b.param({4}, ET::kI32)},
                     {}, 4, {"logit_length", "i32 or i64"});
  expect_model_error(b, OpKind::kCTCLoss,
                     {b.param({4, 20, 7}), b.param({4}, ET::kI32), b.param({4, 20}, ET::kI32),
                      b.param({4}, ET::kI32), b.ints({1, 2})},
                     {}, 4, {"blank_index", "rank 0"});
  expect_model_error(b, OpKind::kCTCLoss,
                     {b.param({4, 20, 7}, ET::kI32), b.param({4}, ET::kI32), b.param({4, 20}, ET::kI32),
                      b.param({4}, ET::kI32)},
                     {}, 4, {});
  expect_error(
      [&] {
        b.infer(
            OpKind::kCTCLoss,
            {b.param({4, 20, 7}), b.param({4}, ET::kI32), b.param({4, 20}, ET::kI32), b.param({4}, ET::kI32)},
            {{"blank_index", "0"}}, 4);
      },
      ErrorCode::kUnsupported, {"blank_index"});  // an attribute CTCLoss-4 does not have
  expect_error(
      [&] {
        b.infer(
            OpKind::kCTCLoss,
            {b.param({4, 20, 7}), b.param({4}, ET::kI32), b.param({4, 20}, ET::kI32), b.param({4}, ET::kI32)},
            {{"unique", "maybe"}}, 4);
      },
      ErrorCode::kModel, {"unique"});
}

TEST(InferMiscOps, GatherTree) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kGatherTree,
                    {b.param({100, 1, 10}, ET::kI32), b.param({100, 1, 10}, ET::kI32), b.param({1}, ET::kI32),
                     b.param({}, ET::kI32)},
                    {}, 1),
            (Dims{100, 1, 10}));
  expect_model_error(b, OpKind::kGatherTree,
                     {b.param({5, 2, 3}), b.param({5, 2, 4}), b.param({2}), b.param({})}, {}, 1,
                     {"parent_ids"});
  expect_model_error(b, OpKind::kGatherTree,
                     {b.param({5, 2, 3}), b.param({5, 2, 3}), b.param({3}), b.param({})}, {}, 1,
                     {"max_seq_len", "BATCH_SIZE"});
  expect_model_error(b, OpKind::kGatherTree,
                     {b.param({5, 2, 3}), b.param({5, 2, 3}), b.param({2}), b.param({}, ET::kI32)}, {}, 1,
                     {"end_token", "type of input 0"});
}

// ---- SliceScatter-15 / Inverse-14 / ErfInv-17 ----

TEST(InferMiscOps, SliceScatterInverseErfInv) {
  Builder b;
  EXPECT_EQ(
      b.infer(OpKind::kSliceScatter,
              {b.param({2, 5}), b.param({2, 3}), b.ints({0}), b.ints({5}), b.ints({2}), b.ints({1})}, {}, 15),
      (Dims{2, 5}));
  expect_model_error(b, OpKind::kSliceScatter,
                     {b.param({2, 5}), b.param({3}), b.ints({0}), b.ints({5}), b.ints({2})}, {}, 15,
                     {"updates", "rank 2"});
  expect_model_error(b, OpKind::kSliceScatter,
                     {b.param({2, 5}), b.param({2, 3}), b.ints({0, 0}), b.ints({5}), b.ints({2})}, {}, 15,
                     {"stop", "length of start"});
  EXPECT_EQ(b.infer(OpKind::kInverse, {b.param({5, 4, 3, 2, 2})}, {{"adjoint", "true"}}, 14),
            (Dims{5, 4, 3, 2, 2}));
  expect_model_error(b, OpKind::kInverse, {b.param({3, 4})}, {}, 14, {"square"});
  expect_model_error(b, OpKind::kInverse, {b.param({4})}, {}, 14, {"square"});
  expect_model_error(b, OpKind::kInverse, {b.param({2, 2}, ET::kI32)}, {}, 14, {"floating-point"});
  EXPECT_EQ(b.infer(OpKind::kErfInv, {b.param({3, 1}, ET::kF16)}, {}, 17), (Dims{3, 1}));
  expect_model_error(b, OpKind::kErfInv, {b.param({3}, ET::kI32)}, {}, 17, {"floating-point"});
}

// ---- STFT-15 / ISTFT-16 ----

TEST(InferMiscOps, Stft) {
  Builder b;
  // The spec's examples: 56 samples, window 7, frame 11, step 3 -> 16 frames of 6 bins.
  EXPECT_EQ(b.infer(OpKind::kSTFT, {b.param({56}), b.param({7}), b.scalar(11), b.scalar(3)},
                    {{"transpose_frames", "false"}}, 15),
            (Dims{16, 6, 2}));
  EXPECT_EQ(b.infer(OpKind::kSTFT, {b.param({3, 56}), b.param({7}), b.scalar(11), b.scalar(3)},
                    {{"transpose_frames", "true"}}, 15),
            (Dims{3, 6, 16, 2}));
  EXPECT_EQ(b.infer(OpKind::kSTFT, {b.param({-1, -1}), b.param({7}), b.scalar(11), b.scalar(3)},
                    {{"transpose_frames", "false"}}, 15),
            (Dims{-1, -1, 6, 2}));
  const Attrs f = {{"transpose_frames", "false"}};
  expect_code(b, ErrorCode::kUnsupported, OpKind::kSTFT,
              {b.param({56}), b.param({7}), b.param({}, ET::kI64), b.scalar(3)}, f, 15,
              {"frame_size", "data-dependent"});
  expect_model_error(b, OpKind::kSTFT, {b.param({56}), b.param({12}), b.scalar(11), b.scalar(3)}, f, 15,
                     {"window", "at most frame_size"});
  expect_model_error(b, OpKind::kSTFT, {b.param({8}), b.param({7}), b.scalar(11), b.scalar(3)}, f, 15,
                     {"longer than the signal"});
  expect_model_error(b, OpKind::kSTFT, {b.param({56}), b.param({7}), b.scalar(11), b.scalar(0)}, f, 15,
                     {"frame_step", "positive"});
  expect_model_error(b, OpKind::kSTFT, {b.param({2, 3, 56}), b.param({7}), b.scalar(11), b.scalar(3)}, f, 15,
                     {"rank 1 or 2"});
  expect_error(
      [&] {
        b.infer(OpKind::kSTFT, {b.param({56}), b.param({7}), b.scalar(11), b.scalar(3)}, {}, 15);
      },
      ErrorCode::kModel, {"transpose_frames", "required"});
}

TEST(InferMiscOps, Istft) {
  Builder b;
  const Attrs plain = {{"center", "false"}, {"normalized", "false"}};
  const Attrs center = {{"center", "true"}, {"normalized", "false"}};
  // The spec's examples: 16 frames of 6 bins, frame 11, step 3 -> 56 samples (45 centred).
  EXPECT_EQ(
      b.infer(OpKind::kISTFT, {b.param({6, 16, 2}), b.param({7}), b.scalar(11), b.scalar(3)}, plain, 16),
      (Dims{56}));
  EXPECT_EQ(
      b.infer(OpKind::kISTFT, {b.param({4, 6, 16, 2}), b.param({7}), b.scalar(11), b.scalar(3)}, plain, 16),
      (Dims{4, 56}));
  // Centred: OpenVINO drops frame_size rounded down to even (10 of 11 here; the spec's 45 holds for
  // even frame sizes).
  EXPECT_EQ(
      b.infer(OpKind::kISTFT, {b.param({6, 16, 2}), b.param({7}), b.scalar(11), b.scalar(3)}, center, 16),
      (Dims{46}));
  EXPECT_EQ(
      b.infer(OpKind::kISTFT, {b.param({7, 16, 2}), b.param({7}), b.scalar(12), b.scalar(3)}, center, 16),
      (Dims{45}));
  EXPECT_EQ(b.infer(OpKind::kISTFT,
                    {b.param({6, 16, 2}), b.param({7}), b.scalar(11), b.scalar(3), b.scalar(64)}, plain, 16),
            (Dims{64}));
  expect_model_error(b, OpKind::kISTFT, {b.param({5, 16, 2}), b.param({7}), b.scalar(11), b.scalar(3)}, plain,
                     16, {"frequency bins"});
  expect_model_error(b, OpKind::kISTFT, {b.param({6, 16, 3}), b.param({7}), b.scalar(11), b.scalar(3)}, plain,
                     16, {"end in 2"});
  expect_code(b, ErrorCode::kUnsupported, OpKind::kISTFT,
              {b.param({6, 16, 2}), b.param({7}), b.scalar(11), b.scalar(3), b.param({}, ET::kI64)}, plain,
              16, {"signal_length", "data-dependent"});
}

// ---- FakeConvert-13 / ConvertPromoteTypes-14 ----

TEST(InferMiscOps, FakeConvert) {
  Builder b;
  EXPECT_EQ(b.infer(OpKind::kFakeConvert, {b.param({2, 4, 3}), b.param({1, 4, 1}), b.param({4, 1})},
                    {{"destination_type", "f8e5m2"}}, 13),
            (Dims{2, 4, 3}));
  expect_model_error(b, OpKind::kFakeConvert, {b.param({2, 4, 3}), b.param({5, 1})}, {}, 13,
                     {"scale", "does not broadcast"});
  expect_model_error(b, OpKind::kFakeConvert, {b.param({2, 4}), b.param({1}, ET::kF16)}, {}, 13,
                     {"scale", "type of input 0"});
  expect_model_error(b, OpKind::kFakeConvert, {b.param({2, 4}, ET::kI32), b.param({1}, ET::kI32)}, {}, 13,
                     {"f32, f16 or bf16"});
  expect_error(
      [&] {
        b.infer(OpKind::kFakeConvert, {b.param({2}), b.param({1})}, {{"destination_type", "f8e8m0"}}, 13);
      },
      ErrorCode::kModel, {"destination_type", "f8e4m3, f8e5m2"});
}

ET promote(Builder& b, ET x, ET y, Attrs attrs, Dims xs = {3}, Dims ys = {3}) {
  b.infer(OpKind::kConvertPromoteTypes, {b.param(xs, x), b.param(ys, y)}, std::move(attrs), 14);
  EXPECT_EQ(b.last->outputs[0].type, b.last->outputs[1].type);
  EXPECT_EQ(b.last->outputs[1].shape, ys);
  return b.last->outputs[0].type;
}

TEST(InferMiscOps, ConvertPromoteTypes) {
  Builder b;
  const Attrs safe = {{"promote_unsafe", "false"},
                      {"pytorch_scalar_promotion", "false"},
                      {"u64_integer_promotion_target", "f32"}};
  Attrs unsafe = safe;
  unsafe["promote_unsafe"] = "true";
  // The spec's examples.
  EXPECT_EQ(promote(b, ET::kI8, ET::kF32, safe), ET::kF32);
  EXPECT_EQ(promote(b, ET::kI32, ET::kU8, safe), ET::kI32);
  EXPECT_EQ(promote(b, ET::kF16, ET::kI64, unsafe), ET::kF16);
  EXPECT_EQ(promote(b, ET::kF64, ET::kU64, unsafe), ET::kF64);
  EXPECT_EQ(promote(b, ET::kI8, ET::kU8, unsafe), ET::kI16);
  EXPECT_EQ(promote(b, ET::kF16, ET::kBF16, unsafe), ET::kF32);
  EXPECT_EQ(promote(b, ET::kU64, ET::kI8, unsafe), ET::kF32);
  EXPECT_EQ(promote(b, ET::kI16, ET::kU32, unsafe), ET::kI64);
  // Boolean yields to the other type; equal types stay.
  EXPECT_EQ(promote(b, ET::kBoolean, ET::kU16, safe), ET::kU16);
  EXPECT_EQ(promote(b, ET::kBF16, ET::kBF16, safe), ET::kBF16);
  Attrs u64_i64 = unsafe;
  u64_i64["u64_integer_promotion_target"] = "i64";
  EXPECT_EQ(promote(b, ET::kI32, ET::kU64, u64_i64), ET::kI64);
  // PyTorch mode: the dimensioned tensor's type among same-kind inputs (the spec's S(i64), D(u8)).
  Attrs torch = unsafe;
  torch["pytorch_scalar_promotion"] = "true";
  EXPECT_EQ(promote(b, ET::kI64, ET::kU8, torch, {}, {2, 3}), ET::kU8);
  EXPECT_EQ(promote(b, ET::kF16, ET::kI8, torch, {}, {2}), ET::kF16);
  torch["promote_unsafe"] = "false";
  EXPECT_EQ(promote(b, ET::kI8, ET::kI32, torch, {}, {2}), ET::kI32);
  // Safe mode refuses what may lose values.
  for (auto [x, y] : {std::pair{ET::kF16, ET::kI64},
                      {ET::kI8, ET::kU8},
                      {ET::kF16, ET::kBF16},
                      {ET::kU64, ET::kI8},
                      {ET::kF32, ET::kI32}})
    expect_model_error(b, OpKind::kConvertPromoteTypes, {b.param({3}, x), b.param({3}, y)}, safe, 14,
                       {element_type_name(x), element_type_name(y)});
  expect_model_error(b, OpKind::kConvertPromoteTypes, {b.param({}, ET::kI64), b.param({2}, ET::kU8)}, torch,
                     14, {"PyTorch"});
}

// ---- SegmentMax-16 ----

TEST(InferMiscOps, SegmentMax) {
  Builder b;
  const Attrs zero = {{"fill_mode", "ZERO"}};
  EXPECT_EQ(b.infer(OpKind::kSegmentMax, {b.param({5, 2, 3}), b.param({5}, ET::kI32), b.scalar(8)}, zero, 16),
            (Dims{8, 2, 3}));
  // Without num_segments the count is max(segment_ids) + 1: known for constant ids only.
  EXPECT_EQ(b.infer(OpKind::kSegmentMax, {b.param({3, 4}, ET::kI32), b.ints({0, 1, 1})},
                    {{"fill_mode", "lowest"}}, 16),
            (Dims{2, 4}));
  expect_code(b, ErrorCode::kUnsupported, OpKind::kSegmentMax, {b.param({3, 4}), b.param({3}, ET::kI64)},
              zero, 16, {"segment_ids", "data-dependent"});
  expect_code(b, ErrorCode::kUnsupported, OpKind::kSegmentMax,
              {b.param({3, 4}), b.param({3}, ET::kI64), b.param({}, ET::kI64)}, zero, 16,
              {"num_segments", "data-dependent"});
  expect_model_error(b, OpKind::kSegmentMax, {b.param({3, 4}), b.param({4}, ET::kI64), b.scalar(2)}, zero, 16,
                     {"segment_ids", "first dim of data"});
  expect_error(
      [&] {
        b.infer(OpKind::kSegmentMax, {b.param({3}), b.ints({0, 0, 1}), b.scalar(2)}, {}, 16);
      },
      ErrorCode::kModel, {"fill_mode", "required"});
}

}  // namespace
}  // namespace octet::test
