// Reference StridedSlice-1, Slice-8, Split-1, VariadicSplit-1 and Pad-1/12 (ir-spec.md 6.5).
#include <algorithm>
#include <cstring>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// One input dim of a slice: elements start, start+step, ... (count of them).
struct DimSlice {
  int64_t start = 0, step = 1, count = 0;
};

// Python slicing of a dim of size `dim`; `begin`/`end` absent means "from the start/to the end"
// in the direction of `step`.
DimSlice python_slice(int64_t dim, bool has_begin, int64_t begin, bool has_end, int64_t end, int64_t step) {
  DimSlice s;
  s.step = step;
  const int64_t lo = step > 0 ? 0 : -1, hi = step > 0 ? dim : dim - 1;
  auto fix = [&](int64_t v) {
    if (v < 0) v = v < -dim ? -dim - 1 : v + dim;  // keeps INT64_MIN from overflowing
    return std::min(std::max(v, lo), hi);
  };
  const int64_t b = has_begin ? fix(begin) : (step > 0 ? 0 : dim - 1);
  const int64_t e = has_end ? fix(end) : (step > 0 ? dim : -1);
  s.start = b;
  s.count = step > 0 ? std::max<int64_t>(0, (e - b + step - 1) / step)
                     : std::max<int64_t>(0, (b - e - step - 1) / -step);
  return s;
}

// Gathers x at the cartesian product of per-dim slices (one per input dim).
Tensor gather_slices(const Node& node, const Tensor& x, const std::vector<DimSlice>& sl) {
  const Dims& xs = x.shape();
  const Dims str = row_major_strides(xs);
  Dims shape;
  for (const auto& s : sl) shape.push_back(s.count);
  const int64_t n = element_count(shape);
  std::vector<int64_t> index(static_cast<size_t>(n));
  Dims coord(sl.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t off = 0;
    for (size_t d = 0; d < sl.size(); ++d) off += (sl[d].start + coord[d] * sl[d].step) * str[d];
    index[static_cast<size_t>(i)] = off;
    for (size_t d = sl.size(); d-- > 0;) {
      if (++coord[d] < shape[d]) break;
      coord[d] = 0;
    }
  }
  return gather_elements(node, x, shape, index);
}

// A mask with one entry per slice entry (missing ones 0, extra ones dropped).
std::vector<int64_t> mask(std::vector<int64_t> m, size_t len) {
  m.resize(len, 0);
  return m;
}

Outputs split_at(const Node& node, const Tensor& x, int64_t axis, const std::vector<int64_t>& lengths) {
  Outputs out;
  int64_t at = 0;
  for (int64_t len : lengths) {
    std::vector<DimSlice> sl;
    for (size_t d = 0; d < x.shape().size(); ++d)
      sl.push_back(static_cast<int64_t>(d) == axis ? DimSlice{at, 1, len} : DimSlice{0, 1, x.shape()[d]});
    out.push_back(gather_slices(node, x, sl));
    at += len;
  }
  return out;
}

int64_t scalar_axis(const Node& node, const Inputs& in, size_t i, int64_t rank) {
  const auto v = int_input(node, in, i);
  if (v.size() != 1) raise(ErrorCode::kModel, "{}: axis must have one element", node.describe());
  return normalize_axis(v[0], rank, "axis");
}

}  // namespace

Outputs eval_StridedSlice(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 4);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const int64_t rank = static_cast<int64_t>(xs.size());
  const auto begin = int_input(node, in, 1), end = int_input(node, in, 2);
  const size_t len = begin.size();
  const auto stride = in.size() == 4 ? int_input(node, in, 3) : std::vector<int64_t>(len, 1);
  if (end.size() != len || stride.size() != len)
    raise(ErrorCode::kModel, "{}: begin, end and stride lengths differ", node.describe());
  const StridedSliceAttrs& masks = node.attr<StridedSliceAttrs>();
  const auto bm = mask(masks.begin_mask, len), em = mask(masks.end_mask, len);
  const auto nm = mask(masks.new_axis_mask, len), sm = mask(masks.shrink_axis_mask, len);
  const auto elm = mask(masks.ellipsis_mask, len);
  int64_t consuming = 0;  // entries that consume an input dim (not new axes, not the ellipsis)
  bool seen_ellipsis = false;
  for (size_t i = 0; i < len; ++i) {
    if (elm[i] && !seen_ellipsis)
      seen_ellipsis = true;
    else if (!nm[i])
      ++consuming;
  }
  std::vector<DimSlice> sl;
  Dims out_shape;
  int64_t d = 0;
  seen_ellipsis = false;
  for (size_t i = 0; i < len; ++i) {
    if (elm[i] && !seen_ellipsis) {
      seen_ellipsis = true;
      for (int64_t k = 0; k < rank - consuming && d < rank; ++k, ++d) {
        sl.push_back({0, 1, xs[static_cast<size_t>(d)]});
        out_shape.push_back(xs[static_cast<size_t>(d)]);
      }
      continue;
    }
    if (nm[i]) {
      out_shape.push_back(1);
      continue;
    }
    if (d >= rank) raise(ErrorCode::kModel, "{}: slice has more entries than data dims", node.describe());
    const int64_t dim = xs[static_cast<size_t>(d++)];
    if (sm[i]) {
      int64_t b = begin[i] < 0 ? begin[i] + dim : begin[i];
      if (b < 0 || b >= dim)
        raise(ErrorCode::kModel, "{}: shrink index {} out of range", node.describe(), begin[i]);
      sl.push_back({b, 1, 1});
      continue;
    }
    if (stride[i] == 0) raise(ErrorCode::kModel, "{}: stride 0", node.describe());
    sl.push_back(python_slice(dim, !bm[i], begin[i], !em[i], end[i], stride[i]));
    out_shape.push_back(sl.back().count);
  }
  for (; d < rank; ++d) {
    sl.push_back({0, 1, xs[static_cast<size_t>(d)]});
    out_shape.push_back(xs[static_cast<size_t>(d)]);
  }
  return {gather_slices(node, x, sl).reshaped(out_shape)};
}

Outputs eval_Slice(const Node& node, const Inputs& in) {
  need_inputs(node, in, 4, 5);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const int64_t rank = static_cast<int64_t>(xs.size());
  const auto start = int_input(node, in, 1), stop = int_input(node, in, 2), step = int_input(node, in, 3);
  std::vector<int64_t> axes;
  if (in.size() == 5)
    axes = int_input(node, in, 4);
  else
    for (size_t i = 0; i < start.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (stop.size() != start.size() || step.size() != start.size() || axes.size() != start.size())
    raise(ErrorCode::kModel, "{}: start, stop, step and axes lengths differ", node.describe());
  std::vector<DimSlice> sl;
  for (int64_t d = 0; d < rank; ++d) sl.push_back({0, 1, xs[static_cast<size_t>(d)]});
  std::vector<bool> used(static_cast<size_t>(rank), false);
  for (size_t i = 0; i < axes.size(); ++i) {
    const int64_t a = normalize_axis(axes[i], rank, "axes");
    if (used[static_cast<size_t>(a)]) raise(ErrorCode::kModel, "{}: axis {} repeated", node.describe(), a);
    used[static_cast<size_t>(a)] = true;
    if (step[i] == 0) raise(ErrorCode::kModel, "{}: step 0", node.describe());
    sl[static_cast<size_t>(a)] =
        python_slice(xs[static_cast<size_t>(a)], true, start[i], true, stop[i], step[i]);
  }
  return {gather_slices(node, x, sl)};
}

Outputs eval_Split(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  const int64_t axis = scalar_axis(node, in, 1, static_cast<int64_t>(x.shape().size()));
  const int64_t parts = node.attr<SplitAttrs>().num_splits;
  const int64_t dim = x.shape()[static_cast<size_t>(axis)];
  if (parts <= 0 || dim % parts != 0)
    raise(ErrorCode::kModel, "{}: dim {} does not split into {} parts", node.describe(), dim, parts);
  return split_at(node, x, axis, std::vector<int64_t>(static_cast<size_t>(parts), dim / parts));
}

Outputs eval_VariadicSplit(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const Tensor& x = *in[0];
  const int64_t axis = scalar_axis(node, in, 1, static_cast<int64_t>(x.shape().size()));
  auto lengths = int_input(node, in, 2);
  const int64_t dim = x.shape()[static_cast<size_t>(axis)];
  int64_t known = 0, infer_at = -1;
  for (size_t i = 0; i < lengths.size(); ++i) {
    if (lengths[i] == -1 && infer_at < 0)
      infer_at = static_cast<int64_t>(i);
    else if (lengths[i] < 0)
      raise(ErrorCode::kModel, "{}: invalid split length {}", node.describe(), lengths[i]);
    else
      known += lengths[i];
  }
  if (infer_at >= 0) lengths[static_cast<size_t>(infer_at)] = dim - known;
  if ((infer_at >= 0 && known > dim) || (infer_at < 0 && known != dim))
    raise(ErrorCode::kModel, "{}: split lengths do not sum to {}", node.describe(), dim);
  return split_at(node, x, axis, lengths);
}

Outputs eval_Pad(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 4);
  const Tensor& x = *in[0];
  const Dims& xs = x.shape();
  const size_t rank = xs.size();
  const auto pb = int_input(node, in, 1), pe = int_input(node, in, 2);
  if (pb.size() != rank || pe.size() != rank)
    raise(ErrorCode::kModel, "{}: pads need {} entries", node.describe(), rank);
  const PadMode mode = node.attr<PadAttrs>().mode;
  Dims out_shape(rank);
  for (size_t d = 0; d < rank; ++d) {
    if (node.version < 12 && (pb[d] < 0 || pe[d] < 0))
      raise(ErrorCode::kModel, "{}: negative pads need Pad-12", node.describe());
    out_shape[d] = std::max<int64_t>(0, pb[d] + xs[d] + pe[d]);
    if (mode == PadMode::kReflect && (pb[d] > xs[d] - 1 || pe[d] > xs[d] - 1) && out_shape[d] > 0)
      raise(ErrorCode::kModel, "{}: reflect pad larger than dim - 1", node.describe());
    if (mode == PadMode::kSymmetric && (pb[d] > xs[d] || pe[d] > xs[d]))
      raise(ErrorCode::kModel, "{}: symmetric pad larger than dim", node.describe());
  }
  // Build the output as a gather from [x, pad_value]: index n (one past x) is the pad value.
  const size_t w = byte_width(node, x.type());
  Tensor ext(x.type(), {x.element_count() + 1});
  std::memcpy(ext.data(), x.data(), x.byte_size());
  if (mode == PadMode::kConstant && in.size() == 4) {
    if (in[3]->type() != x.type() || in[3]->element_count() != 1)
      raise(ErrorCode::kModel, "{}: pad_value must be a scalar of the data type", node.describe());
    std::memcpy(static_cast<uint8_t*>(ext.data()) + x.element_count() * w, in[3]->data(), w);
  }
  const Dims str = row_major_strides(xs);
  const int64_t n = element_count(out_shape);
  std::vector<int64_t> index(static_cast<size_t>(n));
  Dims coord(rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t off = 0;
    bool pad = false;
    for (size_t d = 0; d < rank; ++d) {
      int64_t s = coord[d] - pb[d];
      const int64_t dim = xs[d];
      if (s < 0 || s >= dim) {
        if (mode == PadMode::kConstant)
          pad = true;
        else if (mode == PadMode::kEdge)
          s = s < 0 ? 0 : dim - 1;
        else if (mode == PadMode::kReflect)
          s = s < 0 ? -s : 2 * (dim - 1) - s;
        else
          s = s < 0 ? -s - 1 : 2 * dim - 1 - s;
      }
      off += s * str[d];
    }
    index[static_cast<size_t>(i)] = pad ? x.element_count() : off;
    for (size_t d = rank; d-- > 0;) {
      if (++coord[d] < out_shape[d]) break;
      coord[d] = 0;
    }
  }
  return {gather_elements(node, ext, out_shape, index)};
}

}  // namespace ref
}  // namespace octet
