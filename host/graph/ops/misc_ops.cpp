// Shape inference for the family F8 ops: Bucketize-3, SearchSorted-15, the embedding bags and
// segments (3 and 15), CTCGreedyDecoder-1, CTCGreedyDecoderSeqLen-6, CTCLoss-4, GatherTree-1,
// SliceScatter-15, Inverse-14, STFT-15, ISTFT-16, FakeConvert-13, ConvertPromoteTypes-14, ErfInv-17 and
// SegmentMax-16.
#include <algorithm>

#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"
#include "host/graph/ops/misc_util.h"

namespace octet {
namespace {

void expect_numeric_input(const Node& node, size_t i, const char* what) {
  const ElementType t = node.input_type(i);
  if (!is_float(t) && !is_integer(t))
    raise(ErrorCode::kModel, "{}: input {} ({}) must have a numeric type, has {}", node.describe(), i, what,
          element_type_name(t));
}

// i32 or i64, the only index types the embedding and decoder specs allow.
void expect_index_type(const Node& node, size_t i, const char* what) {
  const ElementType t = node.input_type(i);
  if (t != ElementType::kI32 && t != ElementType::kI64)
    raise(ErrorCode::kModel, "{}: input {} ({}) must be i32 or i64, has {}", node.describe(), i, what,
          element_type_name(t));
}

void expect_input_rank(const Node& node, size_t i, const char* what, size_t rank) {
  if (node.input_shape(i).size() != rank)
    raise(ErrorCode::kModel, "{}: input {} ({}) must have rank {}, has shape {}", node.describe(), i, what,
          rank, to_string(node.input_shape(i)));
}

void expect_type_of(const Node& node, size_t i, const char* what, size_t like, const char* like_what) {
  if (node.input_type(i) != node.input_type(like))
    raise(ErrorCode::kModel, "{}: input {} ({}) has type {}; it must have the type of input {} ({}), {}",
          node.describe(), i, what, element_type_name(node.input_type(i)), like, like_what,
          element_type_name(node.input_type(like)));
}

// Dims a and b agree where both are known.
bool dims_agree(int64_t a, int64_t b) {
  return a < 0 || b < 0 || a == b;
}

void expect_dim(const Node& node, size_t i, const char* what, size_t dim, int64_t want,
                const char* want_what) {
  const int64_t got = node.input_shape(i)[dim];
  if (!dims_agree(got, want))
    raise(ErrorCode::kModel, "{}: input {} ({}) {} has {} at dim {}; it must equal {} ({})", node.describe(),
          i, what, to_string(node.input_shape(i)), got, dim, want, want_what);
}

// An integer constant input that decides the output shape: anything else makes the shape depend on
// run-time values, which octet's static plans cannot hold.
int64_t shape_deciding_scalar(const Node& node, size_t i, const char* what) {
  if (!node.input_constant(i))
    raise(
        ErrorCode::kUnsupported,
        "{}: input {} ({}) is computed at run time, which makes the output shape data-dependent; octet needs "
        "it as a constant (or a shape subgraph that folds to one)",
        node.describe(), i, what);
  return constant_scalar_int(node, i, what);
}

// Output [batch] + emb_table.shape[1:].
Dims embedding_output(const Node& node, int64_t batch) {
  const Dims& table = node.input_shape(0);
  if (table.empty())
    raise(ErrorCode::kModel, "{}: input 0 (emb_table) must have rank >= 1, is a scalar", node.describe());
  Dims out{batch};
  out.insert(out.end(), table.begin() + 1, table.end());
  return out;
}

// The optional default_index (scalar, the indices' type) and per_sample_weights (the indices' shape,
// the table's type) of the embedding ops.
void check_default_and_weights(const Node& node, size_t default_at, size_t weights_at, bool mean) {
  if (node.inputs.size() > default_at) {
    expect_type_of(node, default_at, "default_index", 1, "indices");
    expect_input_rank(node, default_at, "default_index", 0);
  }
  if (node.inputs.size() > weights_at) {
    if (mean)
      raise(ErrorCode::kModel,
            "{}: input {} (per_sample_weights) is given but reduction is mean; the spec allows "
            "it only with sum",
            node.describe(), weights_at);
    expect_type_of(node, weights_at, "per_sample_weights", 0, "emb_table");
    const Dims& w = node.input_shape(weights_at);
    const Dims& idx = node.input_shape(1);
    bool same = w.size() == idx.size();
    for (size_t d = 0; same && d < w.size(); ++d) same = dims_agree(w[d], idx[d]);
    if (!same)
      raise(ErrorCode::kModel, "{}: input {} (per_sample_weights) {} must have the shape of indices {}",
            node.describe(), weights_at, to_string(w), to_string(idx));
  }
}

bool mean_reduction(const Node& node) {
  return node.op != OpKind::kEmbeddingBagOffsetsSum && node.op != OpKind::kEmbeddingBagPackedSum &&
         node.attr<EmbeddingBagAttrs>().reduction == EmbeddingReduction::kMean;
}

// emb_table, indices [N], offsets [batch], default_index, per_sample_weights [N].
void infer_bag_offsets(Node& node) {
  expect_inputs(node, 3, 5);
  expect_numeric_input(node, 0, "emb_table");
  expect_index_type(node, 1, "indices");
  expect_input_rank(node, 1, "indices", 1);
  expect_type_of(node, 2, "offsets", 1, "indices");
  expect_input_rank(node, 2, "offsets", 1);
  check_default_and_weights(node, 3, 4, mean_reduction(node));
  set_single_output(node, node.input_type(0), embedding_output(node, node.input_shape(2)[0]));
}

// emb_table, indices [batch, per_bag], per_sample_weights [batch, per_bag].
void infer_bag_packed(Node& node) {
  expect_inputs(node, 2, 3);
  expect_numeric_input(node, 0, "emb_table");
  expect_index_type(node, 1, "indices");
  expect_input_rank(node, 1, "indices", 2);
  if (node.inputs.size() > 2) {
    if (mean_reduction(node))
      raise(ErrorCode::kModel,
            "{}: input 2 (per_sample_weights) is given but reduction is mean; the spec allows "
            "it only with sum",
            node.describe());
    check_default_and_weights(node, 3, 2, false);
  }
  set_single_output(node, node.input_type(0), embedding_output(node, node.input_shape(1)[0]));
}

}  // namespace

void infer_Bucketize(Node& node) {
  expect_inputs(node, 2, 2);
  expect_numeric_input(node, 0, "data");
  expect_numeric_input(node, 1, "buckets");
  expect_input_rank(node, 1, "buckets", 1);
  set_single_output(node, node.attr<BucketizeAttrs>().output_type, node.input_shape(0));
}

void infer_SearchSorted(Node& node) {
  expect_inputs(node, 2, 2);
  expect_numeric_input(node, 0, "sorted_sequence");
  expect_type_of(node, 1, "values", 0, "sorted_sequence");
  const Dims& sorted = node.input_shape(0);
  const Dims& values = node.input_shape(1);
  if (sorted.empty())
    raise(ErrorCode::kModel, "{}: input 0 (sorted_sequence) must have rank >= 1, is a scalar",
          node.describe());
  if (sorted.size() > 1) {
    // One sorted row per leading index of values: the ranks and all dims but the last agree.
    bool ok = sorted.size() == values.size();
    for (size_t d = 0; ok && d + 1 < sorted.size(); ++d) ok = dims_agree(sorted[d], values[d]);
    if (!ok)
      raise(ErrorCode::kModel,
            "{}: input 1 (values) {} must have the rank and leading dims of sorted_sequence {} (or "
            "sorted_sequence must be 1-D)",
            node.describe(), to_string(values), to_string(sorted));
  }
  set_single_output(node, node.attr<SearchSortedAttrs>().output_type, values);
}

void infer_EmbeddingBagOffsetsSum(Node& node) {
  infer_bag_offsets(node);
}
void infer_EmbeddingBagOffsets(Node& node) {
  infer_bag_offsets(node);
}
void infer_EmbeddingBagPackedSum(Node& node) {
  infer_bag_packed(node);
}
void infer_EmbeddingBagPacked(Node& node) {
  infer_bag_packed(node);
}

// emb_table, indices [N], segment_ids [N], num_segments, default_index, per_sample_weights [N].
void infer_EmbeddingSegmentsSum(Node& node) {
  expect_inputs(node, 4, 6);
  expect_numeric_input(node, 0, "emb_table");
  expect_index_type(node, 1, "indices");
  expect_input_rank(node, 1, "indices", 1);
  expect_type_of(node, 2, "segment_ids", 1, "indices");
  expect_input_rank(node, 2, "segment_ids", 1);
  expect_dim(node, 2, "segment_ids", 0, node.input_shape(1)[0], "the number of indices");
  expect_type_of(node, 3, "num_segments", 1, "indices");
  if (node.input_shape(3).size() > 1 || (node.input_shape(3).size() == 1 && node.input_shape(3)[0] != 1))
    raise(ErrorCode::kModel, "{}: input 3 (num_segments) must be a scalar, has shape {}", node.describe(),
          to_string(node.input_shape(3)));
  const int64_t segments = shape_deciding_scalar(node, 3, "num_segments");
  if (segments < 0 || segments > kMaxDim)
    raise(ErrorCode::kModel, "{}: input 3 (num_segments) is {}; it must be >= 0", node.describe(), segments);
  check_default_and_weights(node, 4, 5, false);
  set_single_output(node, node.input_type(0), embedding_output(node, segments));
}

// data [T, N, C], sequence_mask [T, N] -> [N, T, 1, 1] of the data type.
void infer_CTCGreedyDecoder(Node& node) {
  expect_inputs(node, 2, 2);
  expect_float(node, 0);
  expect_input_rank(node, 0, "data", 3);
  expect_float(node, 1);
  expect_input_rank(node, 1, "sequence_mask", 2);
  const Dims& data = node.input_shape(0);
  expect_dim(node, 1, "sequence_mask", 0, data[0], "T of data");
  expect_dim(node, 1, "sequence_mask", 1, data[1], "N of data");
  set_single_output(node, node.input_type(0), {data[1], data[0], 1, 1});
}

// data [N, T, C], sequence_length [N], blank_index (one value) -> classes [N, T], lengths [N].
void infer_CTCGreedyDecoderSeqLen(Node& node) {
  expect_inputs(node, 2, 3);
  const CtcGreedyDecoderSeqLenAttrs& a = node.attr<CtcGreedyDecoderSeqLenAttrs>();
  expect_float(node, 0);
  expect_input_rank(node, 0, "data", 3);
  expect_index_type(node, 1, "sequence_length");
  expect_input_rank(node, 1, "sequence_length", 1);
  const Dims& data = node.input_shape(0);
  expect_dim(node, 1, "sequence_length", 0, data[0], "N of data");
  if (node.inputs.size() == 3) {
    expect_type_of(node, 2, "blank_index", 1, "sequence_length");
    const Dims& blank = node.input_shape(2);
    if (blank.size() > 1 || (blank.size() == 1 && blank[0] >= 0 && blank[0] != 1))
      raise(ErrorCode::kModel, "{}: input 2 (blank_index) must be a scalar or hold one value, has shape {}",
            node.describe(), to_string(blank));
  }
  check_output_shape(node, {data[0], data[1]});
  set_outputs(node, 2);
  node.outputs[0].type = a.classes_index_type;
  node.outputs[0].shape = {data[0], data[1]};
  node.outputs[1].type = a.sequence_length_type;
  node.outputs[1].shape = {data[0]};
}

// logits [N, T, C], logit_length [N], labels [N, T], label_length [N], blank_index (scalar) -> [N].
void infer_CTCLoss(Node& node) {
  expect_inputs(node, 4, 5);
  expect_float(node, 0);
  expect_input_rank(node, 0, "logits", 3);
  const Dims& logits = node.input_shape(0);
  expect_index_type(node, 1, "logit_length");
  expect_input_rank(node, 1, "logit_length", 1);
  expect_dim(node, 1, "logit_length", 0, logits[0], "N of logits");
  expect_index_type(node, 2, "labels");
  expect_input_rank(node, 2, "labels", 2);
  expect_dim(node, 2, "labels", 0, logits[0], "N of logits");
  expect_dim(node, 2, "labels", 1, logits[1], "T of logits");
  expect_index_type(node, 3, "label_length");
  expect_input_rank(node, 3, "label_length", 1);
  expect_dim(node, 3, "label_length", 0, logits[0], "N of logits");
  if (node.inputs.size() == 5) {
    expect_index_type(node, 4, "blank_index");
    expect_input_rank(node, 4, "blank_index", 0);
  }
  set_single_output(node, node.input_type(0), {logits[0]});
}

// step_ids, parent_ids [T, B, W], max_seq_len [B], end_token (scalar), all of one numeric type.
void infer_GatherTree(Node& node) {
  expect_inputs(node, 4, 4);
  expect_numeric_input(node, 0, "step_ids");
  expect_input_rank(node, 0, "step_ids", 3);
  expect_type_of(node, 1, "parent_ids", 0, "step_ids");
  expect_input_rank(node, 1, "parent_ids", 3);
  expect_type_of(node, 2, "max_seq_len", 0, "step_ids");
  expect_input_rank(node, 2, "max_seq_len", 1);
  expect_type_of(node, 3, "end_token", 0, "step_ids");
  expect_input_rank(node, 3, "end_token", 0);
  const Dims& steps = node.input_shape(0);
  for (size_t d = 0; d < 3; ++d) expect_dim(node, 1, "parent_ids", d, steps[d], "the dim of step_ids");
  expect_dim(node, 2, "max_seq_len", 0, steps[1], "BATCH_SIZE");
  set_single_output(node, node.input_type(0), steps);
}

// data, updates, start, stop, step[, axes]: a copy of data with the slice replaced by updates.
void infer_SliceScatter(Node& node) {
  expect_inputs(node, 5, 6);
  const Dims& data = node.input_shape(0);
  if (data.empty())
    raise(ErrorCode::kModel, "{}: input 0 (data) must have rank >= 1, is a scalar", node.describe());
  expect_type_of(node, 1, "updates", 0, "data");
  expect_input_rank(node, 1, "updates", data.size());
  const char* names[] = {"data", "updates", "start", "stop", "step", "axes"};
  for (size_t i = 2; i < node.inputs.size(); ++i) {
    expect_integer(node, i, names[i]);
    expect_input_rank(node, i, names[i], 1);
    expect_dim(node, i, names[i], 0, node.input_shape(2)[0], "the length of start");
  }
  set_single_output(node, node.input_type(0), data);
}

void infer_Inverse(Node& node) {
  expect_inputs(node, 1, 1);
  expect_float(node, 0);
  const Dims& x = node.input_shape(0);
  if (x.size() < 2 || !dims_agree(x[x.size() - 1], x[x.size() - 2]))
    raise(ErrorCode::kModel, "{}: input 0 {} must hold square matrices in its last two dims", node.describe(),
          to_string(x));
  set_single_output(node, node.input_type(0), x);
}

// signal [S] or [B, S], window [W], frame_size and frame_step (constant scalars).
void infer_STFT(Node& node) {
  expect_inputs(node, 4, 4);
  expect_float(node, 0);
  expect_type_of(node, 1, "window", 0, "signal");
  expect_index_type(node, 2, "frame_size");
  expect_index_type(node, 3, "frame_step");
  const int64_t size = shape_deciding_scalar(node, 2, "frame_size");
  const int64_t step = shape_deciding_scalar(node, 3, "frame_step");
  const StftDims d = stft_dims(node, node.input_shape(0), node.input_shape(1), size, step,
                               node.attr<StftAttrs>().transpose_frames);
  set_single_output(node, node.input_type(0), d.output);
}

// data [B?, bins, frames, 2], window [W], frame_size, frame_step[, signal_length] (constants).
void infer_ISTFT(Node& node) {
  expect_inputs(node, 4, 5);
  expect_float(node, 0);
  expect_type_of(node, 1, "window", 0, "data");
  expect_index_type(node, 2, "frame_size");
  expect_index_type(node, 3, "frame_step");
  const int64_t size = shape_deciding_scalar(node, 2, "frame_size");
  const int64_t step = shape_deciding_scalar(node, 3, "frame_step");
  std::optional<int64_t> length;
  if (node.inputs.size() == 5) {
    expect_index_type(node, 4, "signal_length");
    length = shape_deciding_scalar(node, 4, "signal_length");
  }
  const IstftDims d = istft_dims(node, node.input_shape(0), node.input_shape(1), size, step, length,
                                 node.attr<IstftAttrs>().center);
  set_single_output(node, node.input_type(0), d.output);
}

// data (f32/f16/bf16), scale and shift of its type broadcasting numpy-style onto it.
void infer_FakeConvert(Node& node) {
  expect_inputs(node, 2, 3);
  const ElementType t = node.input_type(0);
  if (t != ElementType::kF32 && t != ElementType::kF16 && t != ElementType::kBF16)
    raise(ErrorCode::kModel, "{}: input 0 (data) must be f32, f16 or bf16, has {}", node.describe(),
          element_type_name(t));
  const Dims& data = node.input_shape(0);
  const char* names[] = {"data", "scale", "shift"};
  for (size_t i = 1; i < node.inputs.size(); ++i) {
    expect_type_of(node, i, names[i], 0, "data");
    if (!broadcasts_to(node.input_shape(i), data))
      raise(ErrorCode::kModel, "{}: input {} ({}) {} does not broadcast onto data {}", node.describe(), i,
            names[i], to_string(node.input_shape(i)), to_string(data));
  }
  set_single_output(node, t, data);
}

void infer_ConvertPromoteTypes(Node& node) {
  expect_inputs(node, 2, 2);
  const ElementType t = promoted_type(node, node.input_type(0), node.input_type(1),
                                      node.input_shape(0).size(), node.input_shape(1).size());
  set_outputs(node, 2);
  for (size_t i = 0; i < 2; ++i) {
    node.outputs[i].type = t;
    node.outputs[i].shape = node.input_shape(i);
  }
}

void infer_ErfInv(Node& node) {
  expect_inputs(node, 1, 1);
  expect_float(node, 0);
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

// data [N, ...], segment_ids [N] (sorted, >= 0), num_segments -> [num_segments, ...]. Without
// num_segments the count is max(segment_ids) + 1, known only when segment_ids is a constant.
void infer_SegmentMax(Node& node) {
  expect_inputs(node, 2, 3);
  expect_numeric_input(node, 0, "data");
  const Dims& data = node.input_shape(0);
  if (data.empty())
    raise(ErrorCode::kModel, "{}: input 0 (data) must have rank >= 1, is a scalar", node.describe());
  expect_index_type(node, 1, "segment_ids");
  expect_input_rank(node, 1, "segment_ids", 1);
  expect_dim(node, 1, "segment_ids", 0, data[0], "the first dim of data");
  int64_t segments;
  if (node.inputs.size() == 3) {
    expect_index_type(node, 2, "num_segments");
    segments = shape_deciding_scalar(node, 2, "num_segments");
    if (segments < 0 || segments > kMaxDim)
      raise(ErrorCode::kModel, "{}: input 2 (num_segments) is {}; it must be >= 0", node.describe(),
            segments);
  } else {
    if (!node.input_constant(1))
      raise(ErrorCode::kUnsupported,
            "{}: without num_segments the output has max(segment_ids) + 1 rows, and segment_ids is computed "
            "at run "
            "time: the output shape is data-dependent, which octet's static plans cannot hold",
            node.describe());
    const std::vector<int64_t> ids = constant_ints(node, 1, "segment_ids");
    segments = ids.empty() ? 0 : *std::max_element(ids.begin(), ids.end()) + 1;
  }
  Dims out = data;
  out[0] = segments;
  set_single_output(node, node.input_type(0), out);
}

}  // namespace octet
