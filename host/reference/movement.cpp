// Reference data-movement and shape ops: Concat, Reshape, Transpose, Squeeze, Unsqueeze, ShapeOf,
// Gather and Broadcast (ir-spec.md 5, 6.5). They move bytes, so any byte-sized type works.
#include <algorithm>
#include <cstring>
#include <set>

#include "host/graph/ops/infer_util.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// Same bytes under a new shape (sub-byte types included: the packing is row-major either way).
Outputs same_data(const Tensor& x, const Dims& shape) {
  return {x.clone().reshaped(shape)};
}

}  // namespace

Outputs eval_Concat(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, SIZE_MAX);
  const Dims& s0 = in[0]->shape();
  const int64_t rank = static_cast<int64_t>(s0.size());
  const int64_t axis = normalize_axis(node.attr<AxisAttrs>().axis, rank, "axis");
  Dims out_shape = s0;
  out_shape[static_cast<size_t>(axis)] = 0;
  for (const Tensor* t : in) {
    if (t->type() != in[0]->type() || t->shape().size() != s0.size())
      raise(ErrorCode::kModel, "{}: inputs differ in type or rank", node.describe());
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && t->shape()[static_cast<size_t>(d)] != s0[static_cast<size_t>(d)])
        raise(ErrorCode::kModel, "{}: input shapes {} and {} differ off the axis", node.describe(),
              to_string(t->shape()), to_string(s0));
    out_shape[static_cast<size_t>(axis)] += t->shape()[static_cast<size_t>(axis)];
  }
  const size_t w = byte_width(node, in[0]->type());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= s0[static_cast<size_t>(d)];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= s0[static_cast<size_t>(d)];
  Tensor out(in[0]->type(), out_shape);
  auto* dst = static_cast<uint8_t*>(out.data());
  const size_t out_row = static_cast<size_t>(out_shape[static_cast<size_t>(axis)] * inner) * w;
  size_t offset = 0;
  for (const Tensor* t : in) {
    const size_t row = static_cast<size_t>(t->shape()[static_cast<size_t>(axis)] * inner) * w;
    for (int64_t o = 0; o < outer; ++o)
      if (row) std::memcpy(dst + o * out_row + offset, static_cast<const uint8_t*>(t->data()) + o * row, row);
    offset += row;
  }
  return {out};
}

Outputs eval_Reshape(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const auto target = int_input(node, in, 1);
  const bool special_zero = node.attr<ReshapeAttrs>().special_zero;
  Dims shape;
  int64_t infer_at = -1, known = 1;
  for (size_t i = 0; i < target.size(); ++i) {
    int64_t d = target[i];
    if (d == 0 && special_zero) {
      if (i >= x.shape().size())
        raise(ErrorCode::kModel, "{}: special zero at {} beyond input rank", node.describe(), i);
      d = x.shape()[i];
    }
    if (d == -1) {
      if (infer_at >= 0)
        raise(ErrorCode::kModel, "{}: more than one -1 in the target shape", node.describe());
      infer_at = static_cast<int64_t>(i);
    } else if (d < 0) {
      raise(ErrorCode::kModel, "{}: negative dim {} in the target shape", node.describe(), d);
    } else {
      known *= d;
    }
    shape.push_back(d);
  }
  if (infer_at >= 0) {
    if (known == 0 || x.element_count() % known != 0)
      raise(ErrorCode::kModel, "{}: cannot infer -1 for {} elements", node.describe(), x.element_count());
    shape[static_cast<size_t>(infer_at)] = x.element_count() / known;
  }
  if (element_count(shape) != x.element_count())
    raise(ErrorCode::kModel, "{}: cannot reshape {} to {}", node.describe(), to_string(x.shape()),
          to_string(shape));
  return same_data(x, shape);
}

Outputs eval_Transpose(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const size_t rank = xs.size();
  auto order = int_input(node, in, 1);
  if (order.empty())
    for (size_t i = 0; i < rank; ++i) order.push_back(static_cast<int64_t>(rank - 1 - i));
  if (order.size() != rank) raise(ErrorCode::kModel, "{}: order length differs from rank", node.describe());
  std::vector<bool> seen(rank, false);
  for (auto& o : order) {
    o = normalize_axis(o, static_cast<int64_t>(rank), "order");
    if (seen[static_cast<size_t>(o)]) raise(ErrorCode::kModel, "{}: order repeats an axis", node.describe());
    seen[static_cast<size_t>(o)] = true;
  }
  Dims out_shape(rank), src_strides(rank);
  const Dims xstr = row_major_strides(xs);
  for (size_t i = 0; i < rank; ++i) {
    out_shape[i] = xs[static_cast<size_t>(order[i])];
    src_strides[i] = xstr[static_cast<size_t>(order[i])];
  }
  const int64_t n = x.element_count();
  std::vector<int64_t> index(static_cast<size_t>(n));
  Dims coord(rank, 0);
  int64_t off = 0;
  for (int64_t i = 0; i < n; ++i) {
    index[static_cast<size_t>(i)] = off;
    for (size_t d = rank; d-- > 0;) {
      if (++coord[d] < out_shape[d]) {
        off += src_strides[d];
        break;
      }
      off -= src_strides[d] * (out_shape[d] - 1);
      coord[d] = 0;
    }
  }
  return {gather_elements(node, x, out_shape, index)};
}

Outputs eval_Squeeze(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 2);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  std::set<int64_t> axes;
  const bool all_ones = in.size() == 1 || in[1]->element_count() == 0;
  if (!all_ones)
    for (int64_t a : int_input(node, in, 1))
      axes.insert(normalize_axis(a, static_cast<int64_t>(xs.size()), "axes"));
  Dims shape;
  for (size_t d = 0; d < xs.size(); ++d) {
    // A listed dim that is not 1 stays (spec since OV 2024.3); with no axes every 1 goes.
    const bool drop = xs[d] == 1 && (all_ones || axes.count(static_cast<int64_t>(d)));
    if (!drop) shape.push_back(xs[d]);
  }
  return same_data(x, shape);
}

Outputs eval_Unsqueeze(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const auto raw = int_input(node, in, 1);
  std::set<int64_t> axes;
  const int64_t out_rank = static_cast<int64_t>(x.shape().size() + raw.size());
  for (int64_t a : raw) axes.insert(normalize_axis(a, out_rank, "axes"));
  const int64_t rank = static_cast<int64_t>(x.shape().size() + axes.size());  // duplicates count once
  Dims shape;
  size_t next = 0;
  for (int64_t d = 0; d < rank; ++d) shape.push_back(axes.count(d) ? 1 : x.shape().at(next++));
  return same_data(x, shape);
}

Outputs eval_ShapeOf(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Dims& xs = in[0]->shape();
  return {make_int_tensor(node.attr<ShapeOfAttrs>().output_type, {static_cast<int64_t>(xs.size())},
                          std::vector<int64_t>(xs.begin(), xs.end()))};
}

Outputs eval_Gather(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const Dims& is = in[1]->shape();
  const auto indices = int_input(node, in, 1);
  const auto axis_v = int_input(node, in, 2);
  if (axis_v.size() != 1) raise(ErrorCode::kModel, "{}: axis must have one element", node.describe());
  const int64_t rank = static_cast<int64_t>(xs.size()), irank = static_cast<int64_t>(is.size());
  const int64_t axis = normalize_axis(axis_v[0], rank, "axis");
  int64_t batch_dims = node.attr<GatherAttrs>().batch_dims;  // 0 before Gather-7
  if (batch_dims < 0) batch_dims += irank;
  if (batch_dims < 0 || batch_dims > axis || batch_dims > irank)
    raise(ErrorCode::kModel, "{}: batch_dims {} invalid for axis {}", node.describe(), batch_dims, axis);
  // out = data[:axis] + indices[batch_dims:] + data[axis+1:]
  int64_t batch = 1, outer = 1, inner = 1, per_batch = 1;
  for (int64_t d = 0; d < batch_dims; ++d) batch *= xs[static_cast<size_t>(d)];
  for (int64_t d = batch_dims; d < axis; ++d) outer *= xs[static_cast<size_t>(d)];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= xs[static_cast<size_t>(d)];
  for (int64_t d = batch_dims; d < irank; ++d) per_batch *= is[static_cast<size_t>(d)];
  const int64_t len = xs[static_cast<size_t>(axis)];
  Dims out_shape(xs.begin(), xs.begin() + axis);
  out_shape.insert(out_shape.end(), is.begin() + batch_dims, is.end());
  out_shape.insert(out_shape.end(), xs.begin() + axis + 1, xs.end());
  const size_t w = byte_width(node, x.type());
  Tensor out(x.type(), out_shape);  // zero-filled: out-of-range indices leave zeros (Gather-8)
  const auto* src = static_cast<const uint8_t*>(x.data());
  auto* dst = static_cast<uint8_t*>(out.data());
  const size_t chunk = static_cast<size_t>(inner) * w;
  size_t o = 0;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t u = 0; u < outer; ++u)
      for (int64_t j = 0; j < per_batch; ++j, o += chunk) {
        int64_t idx = indices[static_cast<size_t>(b * per_batch + j)];
        if (idx < 0) idx += len;
        if (idx < 0 || idx >= len) continue;
        std::memcpy(dst + o, src + static_cast<size_t>(((b * outer + u) * len + idx) * inner) * w, chunk);
      }
  return {out};
}

Outputs eval_Broadcast(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 3);
  const Tensor& x = *in[0];
  const auto target = int_input(node, in, 1);
  const BroadcastAttrs& spec = node.attr<BroadcastAttrs>();
  Dims out_shape(target.begin(), target.end()), aligned;
  if (spec.mode == BroadcastMode::kNumpy) {
    if (broadcast_shapes(x.shape(), out_shape) != out_shape)
      raise(ErrorCode::kModel, "{}: {} does not broadcast to {}", node.describe(), to_string(x.shape()),
            to_string(out_shape));
    aligned = x.shape();
  } else if (spec.mode == BroadcastMode::kBidirectional) {
    out_shape = broadcast_shapes(x.shape(), out_shape);
    aligned = x.shape();
  } else if (spec.mode == BroadcastMode::kExplicit) {
    const auto mapping = int_input(node, in, 2);
    if (mapping.size() != x.shape().size())
      raise(ErrorCode::kModel, "{}: axes_mapping needs one entry per data dim", node.describe());
    aligned.assign(out_shape.size(), 1);
    for (size_t i = 0; i < mapping.size(); ++i) {
      const int64_t a = mapping[i];
      if (a < 0 || a >= static_cast<int64_t>(out_shape.size()) ||
          (x.shape()[i] != 1 && x.shape()[i] != out_shape[static_cast<size_t>(a)]))
        raise(ErrorCode::kModel, "{}: axes_mapping entry {} invalid", node.describe(), a);
      aligned[static_cast<size_t>(a)] = x.shape()[i];
    }
  } else {  // pdpd: the data's dims line up with the target's from pdpd_axis on
    const std::optional<Dims> pdpd = pdpd_aligned(x.shape(), out_shape, spec.pdpd_axis);
    if (!pdpd)
      raise(ErrorCode::kModel, "{}: {} does not pdpd-broadcast to {} at axis {}", node.describe(),
            to_string(x.shape()), to_string(out_shape), spec.pdpd_axis);
    aligned = *pdpd;
  }
  return {gather_elements(node, x, out_shape, broadcast_index(aligned, out_shape))};
}

}  // namespace ref
}  // namespace octet
