// Output size and auto_pad resolution shared by convolution and pooling (ir-spec.md 4.3, 6.4).
#include "host/graph/ops/conv_geometry.h"

#include <algorithm>

#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

const std::vector<std::string> kAutoPad = {"explicit", "valid", "same_upper", "same_lower", "notset"};

// A per-spatial-dim list attribute; missing optional ones default to `fill`.
Dims spatial_list(const Node& node, const char* key, size_t rank, bool required, int64_t fill) {
  Dims v = required || node.attrs.has(key) ? node.attrs.i64_list(key) : Dims(rank, fill);
  if (v.size() != rank)
    node.attrs.fail(key, fmt::format("must have {} values (one per spatial dim), has {}", rank, v.size()));
  return v;
}

}  // namespace

ConvGeometry window_geometry(const Node& node, const Dims& input, const Dims& kernel, const Dims& strides,
                             const Dims& dilations, const Dims& pads_begin, const Dims& pads_end,
                             const std::string& auto_pad, PoolRounding rounding) {
  const size_t rank = input.size();
  ConvGeometry g{strides, dilations, Dims(rank, 0), Dims(rank, 0), kernel, Dims(rank, kDynamicDim)};
  const bool explicit_pads = auto_pad == "explicit" || auto_pad == "notset";
  for (size_t i = 0; i < rank; ++i) {
    if (strides[i] <= 0) node.attrs.fail("strides", fmt::format("has non-positive value {}", strides[i]));
    if (dilations[i] <= 0)
      node.attrs.fail("dilations", fmt::format("has non-positive value {}", dilations[i]));
    if (kernel[i] <= 0)
      raise(ErrorCode::kModel, "{}: kernel size {} in spatial dim {} must be positive", node.describe(),
            kernel[i], i);
    if (kernel[i] > kMaxDim || dilations[i] > kMaxDim || strides[i] > kMaxDim)
      raise(ErrorCode::kModel, "{}: window of spatial dim {} is too large", node.describe(), i);
    if (explicit_pads) {
      if (pads_begin[i] < 0 || pads_begin[i] > kMaxDim)
        node.attrs.fail("pads_begin", fmt::format("has invalid value {}", pads_begin[i]));
      if (pads_end[i] < 0 || pads_end[i] > kMaxDim)
        node.attrs.fail("pads_end", fmt::format("has invalid value {}", pads_end[i]));
      g.pads_begin[i] = pads_begin[i];
      g.pads_end[i] = pads_end[i];
    }
    const int64_t dk = (kernel[i] - 1) * dilations[i] + 1;
    const int64_t in = input[i];
    if (in < 0) continue;
    if (auto_pad == "same_upper" || auto_pad == "same_lower") {
      const int64_t out = ceil_div(in, strides[i]);
      const int64_t total = std::max<int64_t>(0, (out - 1) * strides[i] + dk - in);
      const int64_t small = total / 2;
      g.pads_begin[i] = auto_pad == "same_upper" ? small : total - small;
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
  const std::string auto_pad = node.attrs.enumeration_or("auto_pad", kAutoPad, "explicit");
  const bool explicit_pads = auto_pad == "explicit" || auto_pad == "notset";
  const Dims strides = spatial_list(node, "strides", rank, true, 1);
  const Dims dilations = spatial_list(node, "dilations", rank, true, 1);
  const Dims pb = spatial_list(node, "pads_begin", rank, explicit_pads, 0);
  const Dims pe = spatial_list(node, "pads_end", rank, explicit_pads, 0);
  const Dims input(data.begin() + 2, data.end());
  return window_geometry(node, input, kernel, strides, dilations, pb, pe, auto_pad, PoolRounding::kFloor);
}

ConvGeometry pool_geometry(const Node& node) {
  const Dims& data = node.input_shape(0);
  if (data.size() < 3)
    raise(ErrorCode::kModel, "{}: data must have rank 3 to 5, has shape {}", node.describe(),
          to_string(data));
  const size_t rank = data.size() - 2;
  const std::string auto_pad = node.attrs.enumeration_or("auto_pad", kAutoPad, "explicit");
  const bool explicit_pads = auto_pad == "explicit" || auto_pad == "notset";
  const Dims kernel = spatial_list(node, "kernel", rank, true, 1);
  const Dims strides = spatial_list(node, "strides", rank, true, 1);
  const bool has_dilations = node.op == OpKind::kMaxPool && node.version >= 8;
  const Dims dilations = has_dilations ? spatial_list(node, "dilations", rank, false, 1) : Dims(rank, 1);
  const Dims pb = spatial_list(node, "pads_begin", rank, explicit_pads, 0);
  const Dims pe = spatial_list(node, "pads_end", rank, explicit_pads, 0);
  std::vector<std::string> roundings = {"floor", "ceil"};
  if (node.version >= 14) roundings.push_back("ceil_torch");
  const std::string r = node.attrs.enumeration_or("rounding_type", roundings, "floor");
  const PoolRounding rounding = r == "floor"  ? PoolRounding::kFloor
                                : r == "ceil" ? PoolRounding::kCeil
                                              : PoolRounding::kCeilTorch;
  const Dims input(data.begin() + 2, data.end());
  return window_geometry(node, input, kernel, strides, dilations, pb, pe, auto_pad, rounding);
}

}  // namespace octet
