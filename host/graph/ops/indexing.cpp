// Shape inference for Gather, StridedSlice, Slice, Split and VariadicSplit (ir-spec.md 6.5).
#include <algorithm>
#include <limits>

#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

std::vector<int64_t> list_input(const Node& node, size_t i, const char* what) {
  if (node.input_shape(i).size() != 1)
    raise(ErrorCode::kModel, "{}: input {} ({}) must be 1-D, has shape {}", node.describe(), i, what,
          to_string(node.input_shape(i)));
  return constant_ints(node, i, what);
}

// Length of the Python slice [begin:end:step] of a dim of size `dim` (begin/end already resolved and
// clamped by the caller to [0, dim] forward or [-1, dim-1] backward).
int64_t slice_length(int64_t begin, int64_t end, int64_t step) {
  if (step > 0) return end > begin ? 1 + (end - begin - 1) / step : 0;
  // -step would overflow for INT64_MIN; any magnitude >= dim gives the same single element.
  const int64_t magnitude =
      step == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -step;
  return begin > end ? 1 + (begin - end - 1) / magnitude : 0;
}

// Resolves one bound of a Python slice: negatives count from the end, then clamp.
int64_t resolve_bound(int64_t v, int64_t dim, int64_t step) {
  if (v < 0) v += dim;  // no overflow: dim >= 0
  return step > 0 ? std::clamp<int64_t>(v, 0, dim) : std::clamp<int64_t>(v, -1, dim - 1);
}

// A mask as one flag per slice entry (shorter lists are zero-padded, longer truncated; the parse
// function has checked every entry is 0 or 1).
std::vector<bool> mask(const std::vector<int64_t>& raw, size_t n) {
  std::vector<bool> out(n, false);
  for (size_t i = 0; i < raw.size() && i < n; ++i) out[i] = raw[i] == 1;
  return out;
}

void set_split_outputs(Node& node, const Dims& data, size_t axis, const std::vector<int64_t>& lengths) {
  set_outputs(node, lengths.size());
  for (size_t i = 0; i < lengths.size(); ++i) {
    Dims s = data;
    s[axis] = lengths[i];
    node.outputs[i].type = node.input_type(0);
    node.outputs[i].shape = s;
  }
}

int64_t split_axis(const Node& node, const Dims& data) {
  expect_integer(node, 1, "axis");
  return node_axis(node, constant_scalar_int(node, 1, "axis"), static_cast<int64_t>(data.size()), "axis");
}

}  // namespace

void infer_Gather(Node& node) {
  expect_inputs(node, 3, 3);
  expect_integer(node, 1, "indices");
  expect_integer(node, 2, "axis");
  const Dims& data = node.input_shape(0);
  const Dims& indices = node.input_shape(1);
  const int64_t rank = static_cast<int64_t>(data.size());
  const int64_t irank = static_cast<int64_t>(indices.size());
  const int64_t axis = node_axis(node, constant_scalar_int(node, 2, "axis"), rank, "axis");
  int64_t batch_dims = 0;
  if (node.version >= 7) {
    batch_dims = node.attr<GatherAttrs>().batch_dims;
    const int64_t b = batch_dims < 0 ? batch_dims + irank : batch_dims;
    if (b < 0 || b > irank || b > axis)
      fail_attribute(
          node, "batch_dims",
          fmt::format("must lie in [-{}, {}] and not exceed axis {}", irank, std::min(irank, axis), axis));
    batch_dims = b;
    for (int64_t d = 0; d < batch_dims; ++d) {
      const int64_t x = data[static_cast<size_t>(d)], y = indices[static_cast<size_t>(d)];
      if (x >= 0 && y >= 0 && x != y)
        raise(ErrorCode::kModel, "{}: batch dim {} of data {} and indices {} differ", node.describe(), d,
              to_string(data), to_string(indices));
    }
  }
  const int64_t dim = data[static_cast<size_t>(axis)];
  if (const Tensor* values = node.input_constant(1); values && dim >= 0) {
    // Gather-8 counts negative indices from the end; earlier versions take only [0, dim).
    const int64_t lo = node.version >= 8 ? -dim : 0;
    for (int64_t i = 0; i < values->element_count(); ++i) {
      const int64_t v = values->get_as_int64(i);
      if (v < lo || v >= dim)
        raise(ErrorCode::kModel,
              "{}: input 1 (indices) value {} at position {} is out of range [{}, {}) for axis {}",
              node.describe(), v, i, lo, dim, axis);
    }
  }
  Dims out(data.begin(), data.begin() + axis);
  out.insert(out.end(), indices.begin() + batch_dims, indices.end());
  out.insert(out.end(), data.begin() + axis + 1, data.end());
  set_single_output(node, node.input_type(0), out);
}

void infer_StridedSlice(Node& node) {
  expect_inputs(node, 3, 4);
  const Dims& data = node.input_shape(0);
  const int64_t rank = static_cast<int64_t>(data.size());
  const std::vector<int64_t> begin = list_input(node, 1, "begin");
  const std::vector<int64_t> end = list_input(node, 2, "end");
  const size_t n = begin.size();
  std::vector<int64_t> stride(n, 1);
  if (node.inputs.size() == 4) stride = list_input(node, 3, "stride");
  if (end.size() != n || stride.size() != n)
    raise(ErrorCode::kModel, "{}: begin {}, end {} and stride {} must have the same length", node.describe(),
          list_string(begin), list_string(end), list_string(stride));
  const StridedSliceAttrs& masks = node.attr<StridedSliceAttrs>();
  const std::vector<bool> begin_mask = mask(masks.begin_mask, n);
  const std::vector<bool> end_mask = mask(masks.end_mask, n);
  const std::vector<bool> new_axis = mask(masks.new_axis_mask, n);
  const std::vector<bool> shrink = mask(masks.shrink_axis_mask, n);
  const std::vector<bool> ellipsis = mask(masks.ellipsis_mask, n);
  // Slice entries that consume an input dim (everything but new axes and the ellipsis).
  int64_t consuming = 0;
  for (size_t i = 0; i < n; ++i) consuming += !new_axis[i] && !ellipsis[i];
  if (consuming > rank)
    raise(ErrorCode::kModel, "{}: {} slice entries address dims of data of rank {} ({})", node.describe(),
          consuming, rank, to_string(data));
  Dims out;
  size_t in = 0;
  for (size_t i = 0; i < n; ++i) {
    if (ellipsis[i]) {
      int64_t after = 0;
      for (size_t j = i + 1; j < n; ++j) after += !new_axis[j];
      const size_t covered = static_cast<size_t>(rank - static_cast<int64_t>(in) - after);
      for (size_t k = 0; k < covered; ++k) out.push_back(data[in++]);
      continue;
    }
    if (new_axis[i]) {
      out.push_back(1);
      continue;
    }
    const int64_t dim = data[in++];
    if (stride[i] == 0)
      raise(ErrorCode::kModel, "{}: input 3 (stride) {} has a zero at index {}", node.describe(),
            list_string(stride), i);
    if (shrink[i]) {
      const int64_t b = begin[i] < 0 && dim >= 0 ? begin[i] + dim : begin[i];
      if (dim >= 0 && (b < 0 || b >= dim))
        raise(ErrorCode::kModel,
              "{}: input 1 (begin) value {} at index {} (shrink axis) is out of range for dim {}",
              node.describe(), begin[i], i, dim);
      continue;
    }
    if (dim < 0) {
      out.push_back(kDynamicDim);
      continue;
    }
    const int64_t s = stride[i];
    const int64_t b = begin_mask[i] ? (s > 0 ? 0 : dim - 1) : resolve_bound(begin[i], dim, s);
    const int64_t e = end_mask[i] ? (s > 0 ? dim : -1) : resolve_bound(end[i], dim, s);
    out.push_back(slice_length(b, e, s));
  }
  while (in < data.size()) out.push_back(data[in++]);
  set_single_output(node, node.input_type(0), out);
}

void infer_Slice(Node& node) {
  expect_inputs(node, 4, 5);
  const Dims& data = node.input_shape(0);
  const int64_t rank = static_cast<int64_t>(data.size());
  const std::vector<int64_t> start = list_input(node, 1, "start");
  const std::vector<int64_t> stop = list_input(node, 2, "stop");
  const std::vector<int64_t> step = list_input(node, 3, "step");
  const size_t n = start.size();
  if (stop.size() != n || step.size() != n)
    raise(ErrorCode::kModel, "{}: start {}, stop {} and step {} must have the same length", node.describe(),
          list_string(start), list_string(stop), list_string(step));
  std::vector<int64_t> axes;
  if (node.inputs.size() == 5) {
    axes = node_axes(node, list_input(node, 4, "axes"), rank, "axes", true);
    if (axes.size() != n)
      raise(ErrorCode::kModel, "{}: input 4 (axes) {} must have {} entries like start", node.describe(),
            list_string(axes), n);
  } else {
    if (static_cast<int64_t>(n) > rank)
      raise(ErrorCode::kModel, "{}: start {} has more entries than data {} has dims", node.describe(),
            list_string(start), to_string(data));
    for (size_t i = 0; i < n; ++i) axes.push_back(static_cast<int64_t>(i));
  }
  Dims out = data;
  for (size_t i = 0; i < n; ++i) {
    if (step[i] == 0)
      raise(ErrorCode::kModel, "{}: input 3 (step) {} has a zero at index {}", node.describe(),
            list_string(step), i);
    const size_t a = static_cast<size_t>(axes[i]);
    const int64_t dim = data[a];
    if (dim < 0) continue;
    out[a] =
        slice_length(resolve_bound(start[i], dim, step[i]), resolve_bound(stop[i], dim, step[i]), step[i]);
  }
  set_single_output(node, node.input_type(0), out);
}

void infer_Split(Node& node) {
  expect_inputs(node, 2, 2);
  const Dims& data = node.input_shape(0);
  const int64_t num = node.attr<SplitAttrs>().num_splits;  // positive (SplitAttrs::parse)
  const size_t axis = static_cast<size_t>(split_axis(node, data));
  const int64_t dim = data[axis];
  if (dim >= 0 && dim % num != 0)
    raise(ErrorCode::kModel, "{}: dim {} of size {} (shape {}) does not split evenly into num_splits={}",
          node.describe(), axis, dim, to_string(data), num);
  set_split_outputs(node, data, axis,
                    std::vector<int64_t>(static_cast<size_t>(num), dim < 0 ? kDynamicDim : dim / num));
}

void infer_VariadicSplit(Node& node) {
  expect_inputs(node, 3, 3);
  const Dims& data = node.input_shape(0);
  const size_t axis = static_cast<size_t>(split_axis(node, data));
  std::vector<int64_t> lengths = list_input(node, 2, "split_lengths");
  const int64_t dim = data[axis];
  int64_t fill = -1, sum = 0;
  for (size_t i = 0; i < lengths.size(); ++i) {
    const int64_t v = lengths[i];
    if (v == -1 && fill < 0) {
      fill = static_cast<int64_t>(i);
      continue;
    }
    if (v < 0 || v > kMaxDim)
      raise(ErrorCode::kModel, "{}: input 2 (split_lengths) {} has invalid value {} at index {}",
            node.describe(), list_string(lengths), v, i);
    sum += v;
  }
  if (dim >= 0) {
    if (fill >= 0 ? sum > dim : sum != dim)
      raise(ErrorCode::kModel,
            "{}: input 2 (split_lengths) {} does not add up to dim {} of size {} (shape {})", node.describe(),
            list_string(lengths), axis, dim, to_string(data));
    if (fill >= 0) lengths[static_cast<size_t>(fill)] = dim - sum;
  } else if (fill >= 0) {
    lengths[static_cast<size_t>(fill)] = kDynamicDim;
  }
  set_split_outputs(node, data, axis, lengths);
}

}  // namespace octet
