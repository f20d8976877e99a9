// Shape inference for Pad (1/12) and Interpolate (4/11) (ir-spec.md 6.5).
#include <algorithm>
#include <cmath>

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

// Interpolate's pads attribute: at most one entry per dim (extra zeros allowed), missing entries are
// 0; InterpolateAttrs::parse has checked the values.
std::vector<int64_t> interpolate_pads(const Node& node, std::vector<int64_t> pads, const char* key,
                                      size_t rank) {
  if (pads.size() > rank && std::any_of(pads.begin() + static_cast<std::ptrdiff_t>(rank), pads.end(),
                                        [](int64_t p) { return p != 0; }))
    fail_attribute(node, key, fmt::format("has more entries than the data rank {}", rank));
  pads.resize(rank, 0);
  return pads;
}

}  // namespace

void infer_Pad(Node& node) {
  expect_inputs(node, 3, 4);
  const PadMode mode = node.attr<PadAttrs>().mode;
  const Dims& data = node.input_shape(0);
  const size_t rank = data.size();
  const std::vector<int64_t> begin = list_input(node, 1, "pads_begin");
  const std::vector<int64_t> end = list_input(node, 2, "pads_end");
  if (begin.size() != rank || end.size() != rank)
    raise(ErrorCode::kModel, "{}: pads_begin {} and pads_end {} must have one entry per dim of data {}",
          node.describe(), list_string(begin), list_string(end), to_string(data));
  if (node.inputs.size() == 4) {
    expect_same_type(node, 0, 3);
    if (!node.input_shape(3).empty())
      raise(ErrorCode::kModel, "{}: input 3 (pad_value) must be a scalar, has shape {}", node.describe(),
            to_string(node.input_shape(3)));
  }
  Dims out(rank);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t pb = begin[d], pe = end[d], dim = data[d];
    // Pad-1 only grows; Pad-12 crops with negative pads.
    const bool negative_ok = node.version >= 12;
    if ((!negative_ok && (pb < 0 || pe < 0)) || std::abs(pb) > kMaxDim || std::abs(pe) > kMaxDim)
      raise(ErrorCode::kModel, "{}: pads {}/{} of dim {} are invalid for {}", node.describe(), pb, pe, d,
            node.version >= 12 ? "Pad-12" : "Pad-1 (negative pads need Pad-12)");
    if (dim < 0) {
      out[d] = kDynamicDim;
      continue;
    }
    // Mirroring modes read from the data itself, so a pad may not exceed what the dim holds.
    const int64_t limit = mode == PadMode::kReflect           ? dim - 1
                          : mode == PadMode::kSymmetric       ? dim
                          : mode == PadMode::kEdge && dim > 0 ? kMaxDim
                                                              : 0;
    if (mode != PadMode::kConstant && (pb > limit || pe > limit))
      raise(ErrorCode::kModel, "{}: {} padding of {}/{} exceeds dim {} of size {} (at most {} allowed)",
            node.describe(), to_string(mode), pb, pe, d, dim, std::max<int64_t>(limit, 0));
    out[d] = std::max<int64_t>(dim + pb + pe, 0);
  }
  set_single_output(node, node.input_type(0), out);
}

void infer_Interpolate(Node& node) {
  const bool v11 = node.version >= 11;
  expect_inputs(node, v11 ? 2 : 3, v11 ? 3 : 4);
  const InterpolateAttrs& ia = node.attr<InterpolateAttrs>();  // modes checked per version there
  const bool sizes_mode = ia.shape_mode == InterpolateShapeMode::kSizes;
  const Dims& data = node.input_shape(0);
  const size_t rank = data.size();
  const std::vector<int64_t> pb = interpolate_pads(node, ia.pads_begin, "pads_begin", rank);
  const std::vector<int64_t> pe = interpolate_pads(node, ia.pads_end, "pads_end", rank);
  Dims out(rank);
  for (size_t d = 0; d < rank; ++d) out[d] = data[d] < 0 ? kDynamicDim : data[d] + pb[d] + pe[d];

  const size_t axes_input = v11 ? 2 : 3;
  std::vector<int64_t> axes;
  if (node.inputs.size() > axes_input) {
    expect_integer(node, axes_input, "axes");
    axes = node_axes(node, list_input(node, axes_input, "axes"), static_cast<int64_t>(rank), "axes", true);
  } else {
    for (size_t d = 0; d < rank; ++d) axes.push_back(static_cast<int64_t>(d));
  }
  // v4 keeps sizes and scales in inputs 1 and 2; v11 has one input whose meaning follows the mode.
  const size_t values_input = v11 ? 1 : (sizes_mode ? 1 : 2);
  const char* what = sizes_mode ? "sizes" : "scales";
  if (node.input_shape(values_input).size() != 1)
    raise(ErrorCode::kModel, "{}: input {} ({}) must be 1-D, has shape {}", node.describe(), values_input,
          what, to_string(node.input_shape(values_input)));
  if (sizes_mode) {
    const std::vector<int64_t> sizes = constant_ints(node, values_input, what);
    if (sizes.size() != axes.size())
      raise(ErrorCode::kModel, "{}: input {} (sizes) {} must have one entry per axis ({} axes)",
            node.describe(), values_input, list_string(sizes), axes.size());
    for (size_t i = 0; i < axes.size(); ++i) {
      if (sizes[i] < 0 || sizes[i] > kMaxDim)
        raise(ErrorCode::kModel, "{}: input {} (sizes) {} has invalid value {}", node.describe(),
              values_input, list_string(sizes), sizes[i]);
      out[static_cast<size_t>(axes[i])] = sizes[i];
    }
  } else {
    if (!is_float(node.input_type(values_input)))
      raise(ErrorCode::kModel, "{}: input {} (scales) must have a floating-point type, has {}",
            node.describe(), values_input, element_type_name(node.input_type(values_input)));
    const std::vector<double> scales = constant_doubles(node, values_input, what);
    if (scales.size() != axes.size())
      raise(ErrorCode::kModel, "{}: input {} (scales) has {} entries for {} axes", node.describe(),
            values_input, scales.size(), axes.size());
    for (size_t i = 0; i < axes.size(); ++i) {
      if (!(scales[i] > 0) || !std::isfinite(scales[i]))
        raise(ErrorCode::kModel, "{}: input {} (scales) has invalid value {} at index {}", node.describe(),
              values_input, scales[i], i);
      const size_t a = static_cast<size_t>(axes[i]);
      if (out[a] < 0) continue;
      // OpenVINO adds 1e-6 before truncating so that e.g. 3 * (1/3.f) still gives 1.
      const double v = std::floor(static_cast<double>(out[a]) * scales[i] + 1e-6);
      if (v > static_cast<double>(kMaxDim))
        raise(ErrorCode::kModel, "{}: scale {} makes dim {} too large", node.describe(), scales[i], a);
      out[a] = static_cast<int64_t>(v);
    }
  }
  set_single_output(node, node.input_type(0), out);
}

}  // namespace octet
