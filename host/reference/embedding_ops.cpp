// Reference EmbeddingBagOffsetsSum-3, EmbeddingBagPackedSum-3, EmbeddingSegmentsSum-3,
// EmbeddingBagOffsets-15 and EmbeddingBagPacked-15, as the specs' NumPy snippets: each output row is
// the sum (or mean) of the table rows its bag or segment names, each row times its per-sample weight;
// an empty bag or segment is the default_index row, or zeros without one (default_index -1 too).
// Floats accumulate in double and round once to the table type; integer tables sum in int64 and
// wrap (mean divides truncating toward zero, as the division of the table type does).
#include <cmath>

#include "host/graph/ops/infer_util.h"  // list_string
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// The rows a bag or segment sums: table row indices with their weights (1 without weights).
struct Bag {
  std::vector<int64_t> rows;
  std::vector<int64_t> weight_at;  // index into per_sample_weights, or -1
};

struct Table {
  const Tensor* t = nullptr;
  int64_t rows = 0, width = 1;  // width: elements per row
};

Table table_of(const Node& node, const Tensor& t) {
  if (t.shape().empty()) raise(ErrorCode::kModel, "{}: emb_table must have rank >= 1", node.describe());
  Table tb{&t, t.shape()[0], 1};
  for (size_t d = 1; d < t.shape().size(); ++d) tb.width *= t.shape()[d];
  return tb;
}

void check_row(const Node& node, const Table& tb, int64_t row, const char* what) {
  if (row < 0 || row >= tb.rows)
    raise(ErrorCode::kModel, "{}: {} {} is outside the embedding table's {} rows", node.describe(), what, row,
          tb.rows);
}

// default_index: -1 (or absent) means zeros; any other value must name a table row.
int64_t default_row(const Node& node, const Inputs& in, size_t at, const Table& tb) {
  if (in.size() <= at) return -1;
  const int64_t row = in[at]->get_as_int64(0);
  if (row == -1) return -1;
  check_row(node, tb, row, "default_index");
  return row;
}

// Sums (or averages) the bags into a [bags.size()] + table.shape[1:] tensor.
Tensor reduce_bags(const Node& node, const Table& tb, const std::vector<Bag>& bags, const Tensor* weights,
                   int64_t default_index, bool mean) {
  const Tensor& t = *tb.t;
  const ElementType type = t.type();
  Dims shape = t.shape();
  shape[0] = static_cast<int64_t>(bags.size());
  const size_t n = bags.size() * static_cast<size_t>(tb.width);
  const bool floating = is_float(type);
  if (!floating && !is_integer(type)) unsupported_type(node, type);
  std::vector<double> f(floating ? n : 0, 0.0);
  std::vector<int64_t> iv(floating ? 0 : n, 0);
  for (size_t b = 0; b < bags.size(); ++b) {
    const Bag& bag = bags[b];
    const int64_t out0 = static_cast<int64_t>(b) * tb.width;
    if (bag.rows.empty()) {
      if (default_index < 0) continue;
      for (int64_t e = 0; e < tb.width; ++e) {
        const int64_t src = default_index * tb.width + e;
        if (floating)
          f[static_cast<size_t>(out0 + e)] = t.get_as_double(src);
        else
          iv[static_cast<size_t>(out0 + e)] = t.get_as_int64(src);
      }
      continue;
    }
    for (size_t k = 0; k < bag.rows.size(); ++k) {
      check_row(node, tb, bag.rows[k], "index");
      const int64_t w_at = bag.weight_at[k];
      for (int64_t e = 0; e < tb.width; ++e) {
        const int64_t src = bag.rows[k] * tb.width + e;
        const size_t dst = static_cast<size_t>(out0 + e);
        if (floating) {
          const double w = w_at >= 0 ? weights->get_as_double(w_at) : 1.0;
          f[dst] += t.get_as_double(src) * w;
        } else {
          const int64_t w = w_at >= 0 ? weights->get_as_int64(w_at) : 1;
          iv[dst] =
              static_cast<int64_t>(static_cast<uint64_t>(iv[dst]) +
                                   static_cast<uint64_t>(t.get_as_int64(src)) * static_cast<uint64_t>(w));
        }
      }
    }
    if (mean) {
      const int64_t count = static_cast<int64_t>(bag.rows.size());
      for (int64_t e = 0; e < tb.width; ++e) {
        const size_t dst = static_cast<size_t>(out0 + e);
        if (floating)
          f[dst] /= static_cast<double>(count);
        else
          iv[dst] = wrap_to(type, iv[dst]) / count;
      }
    }
  }
  if (!floating) return make_int_tensor(type, shape, iv);
  if (type == ElementType::kF64) {
    Tensor out(type, shape);
    std::copy(f.begin(), f.end(), out.data_as<double>());
    return out;
  }
  return make_float_tensor(type, shape, std::vector<float>(f.begin(), f.end()));
}

bool is_mean(const Node& node) {
  return (node.op == OpKind::kEmbeddingBagOffsets || node.op == OpKind::kEmbeddingBagPacked) &&
         node.attr<EmbeddingBagAttrs>().reduction == EmbeddingReduction::kMean;
}

// Bag i holds indices[offsets[i] : offsets[i + 1]] (the last one up to the end).
Outputs bag_offsets(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 5);
  const Table tb = table_of(node, *in[0]);
  const std::vector<int64_t> indices = int_input(node, in, 1);
  const std::vector<int64_t> offsets = int_input(node, in, 2);
  const int64_t count = static_cast<int64_t>(indices.size());
  const Tensor* weights = in.size() > 4 ? in[4] : nullptr;
  std::vector<Bag> bags(offsets.size());
  for (size_t b = 0; b < offsets.size(); ++b) {
    const int64_t begin = offsets[b], end = b + 1 < offsets.size() ? offsets[b + 1] : count;
    if (begin < 0 || begin > count || end < begin || end > count)
      raise(ErrorCode::kModel,
            "{}: offsets {} do not split {} indices into bags (offsets must be non-decreasing "
            "and at most the number of indices)",
            node.describe(), list_string(offsets), count);
    for (int64_t k = begin; k < end; ++k) {
      bags[b].rows.push_back(indices[static_cast<size_t>(k)]);
      bags[b].weight_at.push_back(weights ? k : -1);
    }
  }
  return {reduce_bags(node, tb, bags, weights, default_row(node, in, 3, tb), is_mean(node))};
}

// Bag i holds row i of the 2-D indices.
Outputs bag_packed(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 3);
  const Table tb = table_of(node, *in[0]);
  const Tensor& idx = *in[1];
  if (idx.shape().size() != 2) raise(ErrorCode::kModel, "{}: indices must have rank 2", node.describe());
  const int64_t batch = idx.shape()[0], per_bag = idx.shape()[1];
  const Tensor* weights = in.size() > 2 ? in[2] : nullptr;
  std::vector<Bag> bags(static_cast<size_t>(batch));
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t k = 0; k < per_bag; ++k) {
      bags[static_cast<size_t>(b)].rows.push_back(idx.get_as_int64(b * per_bag + k));
      bags[static_cast<size_t>(b)].weight_at.push_back(weights ? b * per_bag + k : -1);
    }
  return {reduce_bags(node, tb, bags, weights, -1, is_mean(node))};
}

}  // namespace

Outputs eval_EmbeddingBagOffsetsSum(const Node& node, const Inputs& in) {
  return bag_offsets(node, in);
}
Outputs eval_EmbeddingBagOffsets(const Node& node, const Inputs& in) {
  return bag_offsets(node, in);
}
Outputs eval_EmbeddingBagPackedSum(const Node& node, const Inputs& in) {
  return bag_packed(node, in);
}
Outputs eval_EmbeddingBagPacked(const Node& node, const Inputs& in) {
  return bag_packed(node, in);
}

// Segment s holds the indices whose segment_id is s, in order.
Outputs eval_EmbeddingSegmentsSum(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 6);
  const Table tb = table_of(node, *in[0]);
  const std::vector<int64_t> indices = int_input(node, in, 1);
  const std::vector<int64_t> segment_ids = int_input(node, in, 2);
  const int64_t segments = in[3]->get_as_int64(0);
  if (segment_ids.size() != indices.size())
    raise(ErrorCode::kModel, "{}: {} segment_ids for {} indices", node.describe(), segment_ids.size(),
          indices.size());
  if (segments < 0) raise(ErrorCode::kModel, "{}: num_segments is {}", node.describe(), segments);
  const Tensor* weights = in.size() > 5 ? in[5] : nullptr;
  std::vector<Bag> bags(static_cast<size_t>(segments));
  for (size_t k = 0; k < indices.size(); ++k) {
    const int64_t s = segment_ids[k];
    if (s < 0 || s >= segments)
      raise(ErrorCode::kModel, "{}: segment_ids[{}] is {}, outside [0, num_segments = {})", node.describe(),
            k, s, segments);
    bags[static_cast<size_t>(s)].rows.push_back(indices[k]);
    bags[static_cast<size_t>(s)].weight_at.push_back(weights ? static_cast<int64_t>(k) : -1);
  }
  return {reduce_bags(node, tb, bags, weights, default_row(node, in, 4, tb), false)};
}

}  // namespace ref
}  // namespace octet
