// Transposed-convolution geometry (conv_backprop_geometry.h).
#include "host/graph/ops/conv_backprop_geometry.h"

#include <algorithm>

#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

// A per-spatial-dim attribute list; an empty optional one means all `fill`.
Dims spatial(const Node& node, const Dims& v, const char* key, size_t rank, bool may_be_empty, int64_t fill) {
  if (v.empty() && may_be_empty) return Dims(rank, fill);
  if (v.size() != rank)
    raise(ErrorCode::kModel, "{}: attribute '{}' has {} values, the data has {} spatial dims",
          node.describe(), key, v.size(), rank);
  return v;
}

}  // namespace

BackpropGeometry conv_backprop_geometry(const Node& node, const Dims& data_spatial, const Dims& kernel,
                                        const std::vector<int64_t>* output_shape) {
  const ConvBackpropAttrs& a = node.attr<ConvBackpropAttrs>();
  const size_t rank = data_spatial.size();
  const bool explicit_pads = a.auto_pad == AutoPad::kExplicit;
  BackpropGeometry g;
  g.strides = spatial(node, a.strides, "strides", rank, false, 1);
  g.dilations = spatial(node, a.dilations, "dilations", rank, false, 1);
  g.output_padding = spatial(node, a.output_padding, "output_padding", rank, true, 0);
  g.pads_begin = explicit_pads ? spatial(node, a.pads_begin, "pads_begin", rank, false, 0) : Dims(rank, 0);
  g.pads_end = explicit_pads ? spatial(node, a.pads_end, "pads_end", rank, false, 0) : Dims(rank, 0);
  g.kernel = kernel;
  g.output.assign(rank, kDynamicDim);
  if (kernel.size() != rank)
    raise(ErrorCode::kInternal, "{}: kernel has {} dims for {} spatial dims", node.describe(), kernel.size(),
          rank);
  if (output_shape && output_shape->size() != rank)
    raise(ErrorCode::kModel, "{}: output_shape {} must have {} values (the spatial dims of the data)",
          node.describe(), list_string(*output_shape), rank);
  for (size_t i = 0; i < rank; ++i) {
    if (kernel[i] <= 0)
      raise(ErrorCode::kModel, "{}: filter spatial dim {} is {}; it must be static and positive",
            node.describe(), i, kernel[i]);
    const int64_t span = (kernel[i] - 1) * g.dilations[i] + 1;
    if (output_shape) {
      const int64_t out = (*output_shape)[i];
      if (out <= 0 || out > kMaxDim)
        raise(ErrorCode::kModel, "{}: output_shape {} has invalid value {}", node.describe(),
              list_string(*output_shape), out);
      g.output[i] = out;
      if (data_spatial[i] < 0) continue;  // same_* pads stay 0 until the data dim is known
      if (a.auto_pad == AutoPad::kSameUpper || a.auto_pad == AutoPad::kSameLower) {
        const int64_t natural = g.strides[i] * (data_spatial[i] - 1) + span;
        const int64_t total = std::max<int64_t>(0, natural - out + g.output_padding[i]);
        const int64_t half = total / 2;
        g.pads_begin[i] = a.auto_pad == AutoPad::kSameUpper ? total - half : half;
        g.pads_end[i] = total - g.pads_begin[i];
      }
      continue;
    }
    if (data_spatial[i] < 0) continue;
    const int64_t out =
        g.strides[i] * (data_spatial[i] - 1) + span - g.pads_begin[i] - g.pads_end[i] + g.output_padding[i];
    if (out <= 0)
      raise(ErrorCode::kModel,
            "{}: spatial dim {} has output size {} (input {}, stride {}, kernel {}, dilation {}, pads {}+{}, "
            "output_padding {})",
            node.describe(), i, out, data_spatial[i], g.strides[i], kernel[i], g.dilations[i],
            g.pads_begin[i], g.pads_end[i], g.output_padding[i]);
    g.output[i] = out;
  }
  return g;
}

}  // namespace octet
