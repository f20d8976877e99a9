// Window geometry of convolutions and poolings (ir-spec.md 4.3 / 6.4): strides, dilations, the
// effective pads after auto_pad, kernel and output spatial dims. Backends call these instead of
// re-deriving pads, because the IR zeroes pads_begin/pads_end whenever auto_pad is not explicit.
//
//   ConvGeometry g = conv_geometry(*conv);   // g.output == spatial part of conv->outputs[0].shape
#pragma once

#include <string>

#include "host/graph/graph.h"

namespace octet {

enum class PoolRounding { kFloor, kCeil, kCeilTorch };

// Every member has one entry per spatial dim. Pads are the ones to apply (auto_pad resolved);
// with a dynamic input dim the output dim is kDynamicDim and same_* pads of that dim are 0.
struct ConvGeometry {
  Dims strides;
  Dims dilations;
  Dims pads_begin;
  Dims pads_end;
  Dims kernel;  // undilated window size
  Dims output;
};

// Geometry of a Convolution or GroupConvolution node (or any node carrying their attributes with
// data at input 0 and [G,] C_out, C_in, spatial... filters at input 1; `grouped` selects the filter
// layout). Validates attributes and raises Error(kModel) naming the layer.
ConvGeometry conv_geometry(const Node& node);
ConvGeometry conv_geometry(const Node& node, bool grouped);
// Geometry of a MaxPool or AvgPool node (kernel from the `kernel` attribute; dilations 1 unless
// MaxPool-8/-14 gives them).
ConvGeometry pool_geometry(const Node& node);

// The shared formula: `input` holds the spatial input dims. auto_pad is one of "explicit", "valid",
// "same_upper", "same_lower" ("notset" is read as explicit).
ConvGeometry window_geometry(const Node& node, const Dims& input, const Dims& kernel, const Dims& strides,
                             const Dims& dilations, const Dims& pads_begin, const Dims& pads_end,
                             const std::string& auto_pad, PoolRounding rounding);

}  // namespace octet
