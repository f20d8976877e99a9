// Shape inference for TopK, GatherElements, GatherND, ScatterUpdate, ScatterElementsUpdate and
// ScatterNDUpdate (OpenVINO op specs of those versions). Constant indices are range-checked here, so
// a malformed model fails at load naming the layer; the reference repeats the check at run time.
//
// Negative indices: OpenVINO's CPU plugin takes indices in [-s, s) for every op of this file except
// ScatterUpdate-3 (whose spec and plugin both refuse negatives), including the versions whose spec
// text asks for [0, s) (GatherElements-6, GatherND-5, ScatterElementsUpdate-3, ScatterNDUpdate-3).
// OpenVINO's ONNX frontend passes ONNX's negative indices to GatherElements-6 and ScatterNDUpdate-3
// unchanged, so octet follows the plugin: refusing them would refuse models OpenVINO runs.
#include <algorithm>

#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

// Numeric data (TopK compares values; the scatter reductions compute).
void expect_numeric(const Node& node, size_t i, const char* what) {
  const ElementType t = node.input_type(i);
  if (!is_float(t) && !is_integer(t))
    raise(ErrorCode::kModel, "{}: input {} ({}) must have a numeric type, has {}", node.describe(), i, what,
          element_type_name(t));
}

// Checks every value of a constant index input against [lo(s), s) where s is the size of the data dim
// the value addresses: `dim_of(position)` returns that size (-1 when dynamic: not checked).
template <class DimOf>
void check_constant_indices(const Node& node, size_t input, bool negatives, DimOf dim_of) {
  const Tensor* values = node.input_constant(input);
  if (!values) return;
  for (int64_t i = 0; i < values->element_count(); ++i) {
    const int64_t s = dim_of(i);
    if (s < 0) continue;
    const int64_t v = values->get_as_int64(i);
    const int64_t lo = negatives ? -s : 0;
    if (v < lo || v >= s)
      raise(ErrorCode::kModel, "{}: input {} (indices) value {} at position {} is out of range [{}, {})",
            node.describe(), input, v, i, lo, s);
  }
}

// Updates must match `want` where both dims are known (equal rank always).
void expect_updates_shape(const Node& node, size_t input, const Dims& want) {
  const Dims& got = node.input_shape(input);
  bool ok = got.size() == want.size();
  for (size_t d = 0; ok && d < got.size(); ++d) ok = got[d] < 0 || want[d] < 0 || got[d] == want[d];
  if (!ok)
    raise(ErrorCode::kModel, "{}: input {} (updates) has shape {}, expected {}", node.describe(), input,
          to_string(got), to_string(want));
}

// The scatter output: data's type and shape.
void set_data_output(Node& node) {
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

// The last dim of a GatherND/ScatterNDUpdate indices input: the length of each index tuple.
int64_t tuple_length(const Node& node, size_t input) {
  const Dims& idx = node.input_shape(input);
  if (idx.empty())
    raise(ErrorCode::kModel, "{}: input {} (indices) must have rank >= 1, is a scalar", node.describe(),
          input);
  const int64_t k = idx.back();
  if (k < 0)
    raise(ErrorCode::kUnsupported,
          "{}: input {} (indices) {} has a dynamic last dim; the output shape depends on it", node.describe(),
          input, to_string(idx));
  return k;
}

void check_scatter_reduction(const Node& node, ScatterReduction reduction) {
  if (reduction == ScatterReduction::kMean && node.input_type(0) == ElementType::kBoolean)
    raise(ErrorCode::kModel, "{}: reduction 'mean' is not defined for boolean data", node.describe());
  if (reduction != ScatterReduction::kNone && node.input_type(0) != ElementType::kBoolean)
    expect_numeric(node, 0, "data");
}

}  // namespace

void infer_TopK(Node& node) {
  expect_inputs(node, 2, 2);
  const TopKAttrs& a = node.attr<TopKAttrs>();
  expect_numeric(node, 0, "data");
  expect_integer(node, 1, "k");
  const Dims& data = node.input_shape(0);
  const int64_t axis = node_axis(node, a.axis, static_cast<int64_t>(data.size()), "axis");
  if (!node.input_constant(1))
    raise(ErrorCode::kUnsupported,
          "{}: input 1 (k) must be constant: {}; k sets the output shape, so octet needs it at compile time: "
          "static shapes only (a k computed from input shapes folds once they are given)",
          node.describe(), value_dependency(node, 1));
  const int64_t k = constant_scalar_int(node, 1, "k");
  const int64_t dim = data[static_cast<size_t>(axis)];
  // The spec accepts k in [1, shape[axis]] and leaves anything else undefined; OpenVINO's CPU plugin
  // refuses such a k as well.
  if (k < 1 || (dim >= 0 && k > dim))
    raise(ErrorCode::kModel, "{}: input 1 (k) is {}; it must lie in [1, {}] (dim {} of data {})",
          node.describe(), k, dim >= 0 ? std::to_string(dim) : std::string("shape[axis]"), axis,
          to_string(data));
  Dims out = data;
  out[static_cast<size_t>(axis)] = k;
  check_output_shape(node, out);
  set_outputs(node, 2);
  node.outputs[0].type = node.input_type(0);
  node.outputs[0].shape = out;
  node.outputs[1].type = a.index_type;
  node.outputs[1].shape = out;
}

void infer_GatherElements(Node& node) {
  expect_inputs(node, 2, 2);
  expect_integer(node, 1, "indices");
  const Dims& data = node.input_shape(0);
  const Dims& idx = node.input_shape(1);
  if (data.empty())
    raise(ErrorCode::kModel, "{}: input 0 (data) must have rank >= 1, is a scalar", node.describe());
  if (idx.size() != data.size())
    raise(ErrorCode::kModel, "{}: input 1 (indices) {} must have the rank of data {}", node.describe(),
          to_string(idx), to_string(data));
  const int64_t rank = static_cast<int64_t>(data.size());
  const size_t axis = static_cast<size_t>(node_axis(node, node.attr<AxisAttrs>().axis, rank, "axis"));
  Dims out = idx;
  for (size_t d = 0; d < data.size(); ++d) {
    if (d == axis) continue;
    if (data[d] >= 0 && idx[d] >= 0 && data[d] != idx[d])
      raise(ErrorCode::kModel, "{}: indices {} and data {} differ in dim {} (only the axis {} may differ)",
            node.describe(), to_string(idx), to_string(data), d, axis);
    out[d] = idx[d] >= 0 ? idx[d] : data[d];
  }
  check_constant_indices(node, 1, true, [&](int64_t) { return data[axis]; });
  set_single_output(node, node.input_type(0), out);
}

void infer_GatherND(Node& node) {
  expect_inputs(node, 2, 2);
  expect_integer(node, 1, "indices");
  const Dims& data = node.input_shape(0);
  const Dims& idx = node.input_shape(1);
  const size_t b = static_cast<size_t>(node.attr<GatherNDAttrs>().batch_dims);
  if (data.empty())
    raise(ErrorCode::kModel, "{}: input 0 (data) must have rank >= 1, is a scalar", node.describe());
  const size_t k = static_cast<size_t>(tuple_length(node, 1));
  if (b >= std::min(data.size(), idx.size()))
    node.attrs.fail("batch_dims", fmt::format("is {}; it must be below the ranks of data {} and indices {}",
                                              b, to_string(data), to_string(idx)));
  if (k > data.size() - b)
    raise(ErrorCode::kModel,
          "{}: input 1 (indices) {} has tuples of length {}, more than the {} dims of data {} after {} batch "
          "dims",
          node.describe(), to_string(idx), k, data.size() - b, to_string(data), b);
  // The spec says batch dims broadcast (1 against n); OpenVINO's shape inference requires them equal.
  Dims batch(b);
  for (size_t d = 0; d < b; ++d) {
    if (data[d] >= 0 && idx[d] >= 0 && data[d] != idx[d])
      raise(data[d] == 1 || idx[d] == 1 ? ErrorCode::kUnsupported : ErrorCode::kModel,
            "{}: batch dim {} of data {} and indices {} differ (OpenVINO requires equal batch dims)",
            node.describe(), d, to_string(data), to_string(idx));
    batch[d] = idx[d] >= 0 ? idx[d] : data[d];
  }
  Dims out;
  if (node.version >= 8 || b == 0) {
    out = batch;
  } else {
    // GatherND-5 flattens the batch dims into one.
    int64_t product = 1;
    for (int64_t d : batch) product = (d < 0 || product < 0) ? kDynamicDim : product * d;
    out.push_back(product);
  }
  out.insert(out.end(), idx.begin() + static_cast<std::ptrdiff_t>(b), idx.end() - 1);
  out.insert(out.end(), data.begin() + static_cast<std::ptrdiff_t>(b + k), data.end());
  check_constant_indices(node, 1, true, [&](int64_t i) { return data[b + static_cast<size_t>(i) % k]; });
  set_single_output(node, node.input_type(0), out);
}

void infer_ScatterUpdate(Node& node) {
  expect_inputs(node, 4, 4);
  expect_integer(node, 1, "indices");
  expect_integer(node, 3, "axis");
  expect_same_type(node, 0, 2);
  const Dims& data = node.input_shape(0);
  const Dims& idx = node.input_shape(1);
  const size_t axis = static_cast<size_t>(
      node_axis(node, constant_scalar_int(node, 3, "axis"), static_cast<int64_t>(data.size()), "axis"));
  Dims want(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(axis));
  want.insert(want.end(), idx.begin(), idx.end());
  want.insert(want.end(), data.begin() + static_cast<std::ptrdiff_t>(axis) + 1, data.end());
  expect_updates_shape(node, 2, want);
  check_constant_indices(node, 1, false, [&](int64_t) { return data[axis]; });
  set_data_output(node);
}

void infer_ScatterElementsUpdate(Node& node) {
  expect_inputs(node, 4, 4);
  expect_integer(node, 1, "indices");
  expect_integer(node, 3, "axis");
  expect_same_type(node, 0, 2);
  check_scatter_reduction(node, node.attr<ScatterElementsUpdateAttrs>().reduction);
  const Dims& data = node.input_shape(0);
  const Dims& idx = node.input_shape(1);
  if (data.empty())
    raise(ErrorCode::kModel, "{}: input 0 (data) must have rank >= 1, is a scalar", node.describe());
  if (idx.size() != data.size())
    raise(ErrorCode::kModel, "{}: input 1 (indices) {} must have the rank of data {}", node.describe(),
          to_string(idx), to_string(data));
  const size_t axis = static_cast<size_t>(
      node_axis(node, constant_scalar_int(node, 3, "axis"), static_cast<int64_t>(data.size()), "axis"));
  // Off the axis each update addresses its own position, so those dims cannot exceed data's.
  for (size_t d = 0; d < data.size(); ++d)
    if (d != axis && data[d] >= 0 && idx[d] > data[d])
      raise(ErrorCode::kModel, "{}: indices {} exceed data {} in dim {} (only the axis {} may)",
            node.describe(), to_string(idx), to_string(data), d, axis);
  expect_updates_shape(node, 2, idx);
  check_constant_indices(node, 1, true, [&](int64_t) { return data[axis]; });
  set_data_output(node);
}

void infer_ScatterNDUpdate(Node& node) {
  expect_inputs(node, 3, 3);
  expect_integer(node, 1, "indices");
  expect_same_type(node, 0, 2);
  check_scatter_reduction(node, node.attr<ScatterNDUpdateAttrs>().reduction);
  const Dims& data = node.input_shape(0);
  const Dims& idx = node.input_shape(1);
  if (data.empty())
    raise(ErrorCode::kModel, "{}: input 0 (data) must have rank >= 1, is a scalar", node.describe());
  const size_t k = static_cast<size_t>(tuple_length(node, 1));
  if (k > data.size())
    raise(ErrorCode::kModel,
          "{}: input 1 (indices) {} has tuples of length {}, more than the rank of data {}", node.describe(),
          to_string(idx), k, to_string(data));
  Dims want(idx.begin(), idx.end() - 1);
  want.insert(want.end(), data.begin() + static_cast<std::ptrdiff_t>(k), data.end());
  // "If expected updates rank is 0D it can be a tensor with single element."
  const Dims& upd = node.input_shape(2);
  if (!(want.empty() && upd.size() == 1 && upd[0] == 1)) expect_updates_shape(node, 2, want);
  if (k > 0)
    check_constant_indices(node, 1, true, [&](int64_t i) { return data[static_cast<size_t>(i) % k]; });
  set_data_output(node);
}

}  // namespace octet
