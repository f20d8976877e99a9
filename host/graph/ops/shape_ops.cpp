// Shape inference for ops that rearrange or re-describe shapes: Concat, Reshape, Transpose,
// Squeeze, Unsqueeze, ShapeOf and Broadcast (ir-spec.md 5, 6.5).
#include <algorithm>
#include <set>

#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

// A constant 1-D (or scalar, when `allow_scalar`) integer input.
std::vector<int64_t> vector_input(const Node& node, size_t i, const char* what, bool allow_scalar) {
  const size_t r = node.input_shape(i).size();
  if (r > 1 || (r == 0 && !allow_scalar))
    raise(ErrorCode::kModel, "{}: input {} ({}) must be {}, has shape {}", node.describe(), i, what,
          allow_scalar ? "a scalar or 1-D" : "1-D", to_string(node.input_shape(i)));
  return constant_ints(node, i, what);
}

}  // namespace

void infer_Concat(Node& node) {
  if (node.inputs.empty()) raise(ErrorCode::kModel, "{}: expects at least 1 input, has 0", node.describe());
  const Dims& first = node.input_shape(0);
  const int64_t rank = static_cast<int64_t>(first.size());
  if (rank == 0) raise(ErrorCode::kModel, "{}: cannot concatenate scalars", node.describe());
  const int64_t axis = node.attr<AxisAttrs>().axis;
  if (axis < -rank || axis >= rank)
    fail_attribute(node, "axis", fmt::format("is out of range for inputs of rank {}", rank));
  const size_t a = static_cast<size_t>(axis < 0 ? axis + rank : axis);
  Dims out = first;
  for (size_t i = 1; i < node.inputs.size(); ++i) {
    expect_same_type(node, 0, i);
    const Dims& s = node.input_shape(i);
    if (s.size() != first.size())
      raise(ErrorCode::kModel, "{}: input {} has shape {}, of a different rank than input 0 shape {}",
            node.describe(), i, to_string(s), to_string(first));
    for (size_t d = 0; d < s.size(); ++d) {
      if (d == a) {
        out[d] = out[d] < 0 || s[d] < 0 ? kDynamicDim : out[d] + s[d];
      } else if (s[d] >= 0 && out[d] >= 0 && s[d] != out[d]) {
        raise(ErrorCode::kModel, "{}: input {} shape {} differs from input 0 shape {} in dim {} (axis is {})",
              node.describe(), i, to_string(s), to_string(first), d, a);
      } else if (out[d] < 0) {
        out[d] = s[d];
      }
    }
  }
  set_single_output(node, node.input_type(0), out);
}

void infer_Reshape(Node& node) {
  expect_inputs(node, 2, 2);
  const bool special_zero = node.attr<ReshapeAttrs>().special_zero;
  const Dims& data = node.input_shape(0);
  const std::vector<int64_t> target = vector_input(node, 1, "target shape", true);
  Dims out(target.size());
  int64_t minus_one = -1;
  bool dynamic = false;
  int64_t known = 1;  // product of the output dims other than -1
  for (size_t i = 0; i < target.size(); ++i) {
    const int64_t v = target[i];
    if (v == -1) {
      if (minus_one >= 0)
        raise(ErrorCode::kModel, "{}: target shape {} has more than one -1 (at {} and {})", node.describe(),
              list_string(target), minus_one, i);
      minus_one = static_cast<int64_t>(i);
      continue;
    }
    if (v < -1 || v > kMaxDim)
      raise(ErrorCode::kModel, "{}: target shape has invalid value {} at index {}", node.describe(), v, i);
    if (v == 0 && special_zero) {
      if (i >= data.size())
        raise(ErrorCode::kModel, "{}: target shape entry {} is 0 (copy) but the input {} has no dim {}",
              node.describe(), i, to_string(data), i);
      out[i] = data[i];
    } else {
      out[i] = v;
    }
    if (out[i] < 0) {
      dynamic = true;
    } else if (out[i] != 0 && known > kMaxElements / out[i]) {
      raise(ErrorCode::kModel, "{}: target shape {} is too large", node.describe(), list_string(target));
    } else {
      known *= out[i];
    }
  }
  if (!is_static(data) || dynamic) {
    if (minus_one >= 0) out[static_cast<size_t>(minus_one)] = kDynamicDim;
    set_single_output(node, node.input_type(0), out);
    return;
  }
  const int64_t count = element_count(data);
  if (minus_one >= 0) {
    int64_t fill = 0;
    if (known == 0) {
      if (count != 0)
        raise(ErrorCode::kModel,
              "{}: cannot infer the -1 of target shape {} when other dims are 0 (input {})", node.describe(),
              list_string(target), to_string(data));
      fill = 1;
    } else if (count % known != 0) {
      raise(ErrorCode::kModel, "{}: input {} ({} elements) cannot be reshaped to {}", node.describe(),
            to_string(data), count, list_string(target));
    } else {
      fill = count / known;
    }
    out[static_cast<size_t>(minus_one)] = fill;
  } else if (known != count) {
    raise(ErrorCode::kModel, "{}: input {} has {} elements but target shape {} (special_zero={}) gives {}",
          node.describe(), to_string(data), count, list_string(target), special_zero, known);
  }
  set_single_output(node, node.input_type(0), out);
}

void infer_Transpose(Node& node) {
  expect_inputs(node, 2, 2);
  const Dims& data = node.input_shape(0);
  const int64_t rank = static_cast<int64_t>(data.size());
  std::vector<int64_t> order = vector_input(node, 1, "order", false);
  if (order.empty()) {
    for (int64_t i = rank - 1; i >= 0; --i) order.push_back(i);
  }
  if (static_cast<int64_t>(order.size()) != rank)
    raise(ErrorCode::kModel, "{}: input 1 (order) {} has {} entries for data of rank {}", node.describe(),
          list_string(order), order.size(), rank);
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  Dims out;
  for (int64_t v : order) {
    if (v < 0 || v >= rank || seen[static_cast<size_t>(v)])
      raise(ErrorCode::kModel, "{}: input 1 (order) {} is not a permutation of 0..{} (bad value {})",
            node.describe(), list_string(order), rank - 1, v);
    seen[static_cast<size_t>(v)] = true;
    out.push_back(data[static_cast<size_t>(v)]);
  }
  set_single_output(node, node.input_type(0), out);
}

void infer_Squeeze(Node& node) {
  expect_inputs(node, 1, 2);
  const Dims& data = node.input_shape(0);
  const int64_t rank = static_cast<int64_t>(data.size());
  std::vector<bool> drop(data.size(), false);
  if (node.inputs.size() == 2) {
    // Repeated axes are accepted (OpenVINO does); a listed dim other than 1 stays (spec >= 2024.3).
    for (int64_t a : node_axes(node, vector_input(node, 1, "axes", true), rank, "axes", false)) {
      const int64_t d = data[static_cast<size_t>(a)];
      if (d < 0)
        raise(ErrorCode::kUnsupported, "{}: cannot squeeze dynamic dim {} of {}", node.describe(), a,
              to_string(data));
      drop[static_cast<size_t>(a)] = d == 1;
    }
  } else {
    for (size_t d = 0; d < data.size(); ++d) {
      if (data[d] < 0)
        raise(ErrorCode::kUnsupported, "{}: cannot squeeze {} without axes: dim {} is dynamic",
              node.describe(), to_string(data), d);
      drop[d] = data[d] == 1;
    }
  }
  Dims out;
  for (size_t d = 0; d < data.size(); ++d)
    if (!drop[d]) out.push_back(data[d]);
  set_single_output(node, node.input_type(0), out);
}

void infer_Unsqueeze(Node& node) {
  expect_inputs(node, 2, 2);
  const Dims& data = node.input_shape(0);
  const std::vector<int64_t> raw = vector_input(node, 1, "axes", true);
  // Axes index the output, whose rank counts every listed axis; repeats collapse (as in OpenVINO).
  const int64_t out_rank = static_cast<int64_t>(data.size() + raw.size());
  const std::vector<int64_t> axes = node_axes(node, raw, out_rank, "axes", false);
  const std::set<int64_t> unique(axes.begin(), axes.end());
  const size_t rank = data.size() + unique.size();
  Dims out;
  size_t next = 0;
  for (size_t d = 0; d < rank; ++d) {
    if (unique.count(static_cast<int64_t>(d))) {
      out.push_back(1);
    } else if (next < data.size()) {
      out.push_back(data[next++]);
    } else {
      raise(ErrorCode::kModel, "{}: axes {} are out of range for the output rank {}", node.describe(),
            list_string(raw), rank);
    }
  }
  set_single_output(node, node.input_type(0), out);
}

void infer_ShapeOf(Node& node) {
  expect_inputs(node, 1, 1);
  set_single_output(node, node.attr<ShapeOfAttrs>().output_type,
                    {static_cast<int64_t>(node.input_shape(0).size())});
}

void infer_Broadcast(Node& node) {
  const BroadcastAttrs& spec = node.attr<BroadcastAttrs>();
  const BroadcastMode mode = spec.mode;
  if (mode == BroadcastMode::kExplicit) {
    expect_inputs(node, 3, 3);
  } else {
    expect_inputs(node, 2, 3);
  }
  const Dims& data = node.input_shape(0);
  const Dims target = vector_input(node, 1, "target shape", false);
  for (int64_t v : target)
    if (v < 0 || v > kMaxDim)
      raise(ErrorCode::kModel, "{}: input 1 (target shape) {} has invalid value {}", node.describe(),
            list_string(target), v);
  Dims out = target;
  if (mode == BroadcastMode::kNumpy) {
    if (!broadcasts_to(data, target))
      raise(ErrorCode::kModel, "{}: data shape {} does not broadcast to target shape {}", node.describe(),
            to_string(data), list_string(target));
  } else if (mode == BroadcastMode::kBidirectional) {
    out = node_broadcast(node, data, target);
  } else if (mode == BroadcastMode::kPdpd) {
    if (!pdpd_aligned(data, target, spec.pdpd_axis))
      raise(ErrorCode::kModel, "{}: data shape {} does not pdpd-broadcast to {} at axis {}", node.describe(),
            to_string(data), list_string(target), spec.pdpd_axis);
  } else {
    const std::vector<int64_t> axes = vector_input(node, 2, "axes_mapping", false);
    if (axes.size() != data.size())
      raise(ErrorCode::kModel, "{}: input 2 (axes_mapping) {} must have one entry per data dim of {}",
            node.describe(), list_string(axes), to_string(data));
    for (size_t i = 0; i < axes.size(); ++i) {
      const int64_t a = axes[i];
      if (a < 0 || a >= static_cast<int64_t>(target.size()) || (i > 0 && a <= axes[i - 1]))
        raise(ErrorCode::kModel,
              "{}: input 2 (axes_mapping) {} must be increasing axes of target shape {} (bad value {})",
              node.describe(), list_string(axes), list_string(target), a);
      const int64_t d = data[i];
      if (d != 1 && d >= 0 && d != target[static_cast<size_t>(a)])
        raise(ErrorCode::kModel, "{}: data dim {} ({}) does not match target dim {} ({}) of {}",
              node.describe(), i, d, a, target[static_cast<size_t>(a)], list_string(target));
    }
  }
  set_single_output(node, node.input_type(0), out);
}

}  // namespace octet
