// Output size and auto_pad resolution shared by convolution and pooling (ir-spec.md 4.3, 6.4).
#include "host/graph/ops/conv_geometry.h"

#include <algorithm>

#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

// A per-spatial-dim list attribute as parsed; an optional one left empty means `fill` everywhere.
Dims spatial_list(const Node& node, const Dims& v, const char* key, size_t rank, bool required,
                  int64_t fill) {
  if (v.empty() && !required) return Dims(rank, fill);
  if (v.size() != rank)
    fail_attribute(node, key,
                   fmt::format("must have {} values (one per spatial dim), has {}", rank, v.size()));
  return v;
}

// The shared formula. The parse functions have checked strides/dilations positive and pads
// non-negative; `input` holds the spatial input dims.
ConvGeometry window_geometry(const Node& node, const Dims& input, const Dims& kernel, const Dims& strides,
                             const Dims& dilations, const Dims& pads_begin, const Dims& pads_end,
                             AutoPad auto_pad, PoolRounding rounding) {
  const size_t rank = input.size();
  ConvGeometry g{strides, dilations, Dims(rank, 0), Dims(rank, 0), kernel, Dims(rank, kDynamicDim)};
  const bool same = auto_pad == AutoPad::kSameUpper || auto_pad == AutoPad::kSameLower;
  for (size_t i = 0; i < rank; ++i) {
    if (kernel[i] <= 0)
      raise(ErrorCode::kModel, "{}: kernel size {} in spatial dim {} must be positive", node.describe(),
            kernel[i], i);
    if (kernel[i] > kMaxDim || dilations[i] > kMaxDim || strides[i] > kMaxDim)
      raise(ErrorCode::kModel, "{}: window of spatial dim {} is too large", node.describe(), i);
    if (auto_pad == AutoPad::kExplicit) {
      g.pads_begin[i] = pads_begin[i];
      g.pads_end[i] = pads_end[i];
    }
    const int64_t dk = (kernel[i] - 1) * dilations[i] + 1;
    const int64_t in = input[i];
    if (in < 0) continue;
    if (same) {
      const int64_t out = ceil_div(in, strides[i]);
      const int64_t total = std::max<int64_t>(0, (out - 1) * strides[i] + dk - in);
      const int64_t small = total / 2;
      g.pads_begin[i] = auto_pad == AutoPad::kSameUpper ? small : total - small;
      g.pads_end[i] = total - g.pads_begin[i];
      g.output[i] = out;
      continue;
    }
    const int64_t span = in + g.pads_begin[i] + g.pads_end[i] - dk;
    if (span < 0)
      raise(ErrorCode::kModel,
            "{}: dilated kernel size {} exceeds the padded input size {} in spatial dim {} (input {}, pads "
            "{}+{})",
            node.describe(), dk, in + g.pads_begin[i] + g.pads_end[i], i, in, g.pads_begin[i], g.pads_end[i]);
    int64_t out = (rounding == PoolRounding::kFloor ? span / strides[i] : ceil_div(span, strides[i])) + 1;
    // PyTorch drops a last window that would start inside the end padding.
    if (rounding == PoolRounding::kCeilTorch && (out - 1) * strides[i] >= in + g.pads_begin[i]) --out;
    g.output[i] = out;
  }
  return g;
}

}  // namespace

ConvGeometry conv_window(const Node& node, const ConvAttrs& a, const Dims& input, const Dims& kernel) {
  const size_t rank = input.size();
  const bool explicit_pads = a.auto_pad == AutoPad::kExplicit;
  const Dims strides = spatial_list(node, a.strides, "strides", rank, true, 1);
  const Dims dilations = spatial_list(node, a.dilations, "dilations", rank, true, 1);
  const Dims pb = spatial_list(node, a.pads_begin, "pads_begin", rank, explicit_pads, 0);
  const Dims pe = spatial_list(node, a.pads_end, "pads_end", rank, explicit_pads, 0);
  return window_geometry(node, input, kernel, strides, dilations, pb, pe, a.auto_pad, PoolRounding::kFloor);
}

ConvGeometry pool_window(const Node& node, const PoolAttrs& a, const Dims& input) {
  const size_t rank = input.size();
  const bool explicit_pads = a.auto_pad == AutoPad::kExplicit;
  const Dims kernel = spatial_list(node, a.kernel, "kernel", rank, true, 1);
  const Dims strides = spatial_list(node, a.strides, "strides", rank, true, 1);
  const Dims dilations = spatial_list(node, a.dilations, "dilations", rank, false, 1);
  const Dims pb = spatial_list(node, a.pads_begin, "pads_begin", rank, explicit_pads, 0);
  const Dims pe = spatial_list(node, a.pads_end, "pads_end", rank, explicit_pads, 0);
  return window_geometry(node, input, kernel, strides, dilations, pb, pe, a.auto_pad, a.rounding);
}

ConvGeometry conv_geometry(const Node& node) {
  return conv_geometry(node, node.op == OpKind::kGroupConvolution);
}

ConvGeometry conv_geometry(const Node& node, bool grouped) {
  const Dims& data = node.input_shape(0);
  const Dims& filters = node.input_shape(1);
  if (data.size() < 3)
    raise(ErrorCode::kModel, "{}: data must have rank 3 to 5, has shape {}", node.describe(),
          to_string(data));
  const size_t rank = data.size() - 2;
  const size_t lead = grouped ? 3 : 2;
  if (filters.size() != rank + lead)
    raise(ErrorCode::kModel, "{}: filters of shape {} must have rank {} for data of shape {}",
          node.describe(), to_string(filters), rank + lead, to_string(data));
  Dims kernel(filters.begin() + static_cast<std::ptrdiff_t>(lead), filters.end());
  for (int64_t k : kernel)
    if (k < 0)
      raise(ErrorCode::kModel, "{}: filters must have a static spatial shape, have {}", node.describe(),
            to_string(filters));
  return conv_window(node, node.attr<ConvAttrs>(), Dims(data.begin() + 2, data.end()), kernel);
}

ConvGeometry pool_geometry(const Node& node) {
  const Dims& data = node.input_shape(0);
  if (data.size() < 3)
    raise(ErrorCode::kModel, "{}: data must have rank 3 to 5, has shape {}", node.describe(),
          to_string(data));
  return pool_window(node, pool_attrs(node), Dims(data.begin() + 2, data.end()));
}

}  // namespace octet
