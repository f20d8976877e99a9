// Window geometry of convolutions and poolings (ir-spec.md 4.3 / 6.4): strides, dilations, the
// effective pads after auto_pad, kernel and output spatial dims. Backends call these instead of
// re-deriving pads, because the IR zeroes pads_begin/pads_end whenever auto_pad is not explicit.
//
//   ConvGeometry g = conv_geometry(*conv);   // g.output == spatial part of conv->outputs[0].shape
#pragma once

#include "host/graph/graph.h"
#include "host/graph/op_attrs.h"

namespace octet {

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

// Geometry of a Convolution or GroupConvolution node (data at input 0 and [G,] C_out, C_in,
// spatial... filters at input 1; `grouped` selects the filter layout). Raises Error(kModel) naming
// the layer for shapes or attribute lists that do not fit.
ConvGeometry conv_geometry(const Node& node);
ConvGeometry conv_geometry(const Node& node, bool grouped);
// Geometry of a MaxPool or AvgPool node (dilations 1 unless MaxPool-8/-14 gives them).
ConvGeometry pool_geometry(const Node& node);

// The same from typed attributes and spatial dims held elsewhere: `input` the data's spatial dims,
// `kernel` the window's (a quantized convolution keeps its filters in the payload; the reference
// reads the tensors it is given). Each list must have one entry per spatial dim; `node` names the
// layer in errors.
ConvGeometry conv_window(const Node& node, const ConvAttrs& attrs, const Dims& input, const Dims& kernel);
ConvGeometry pool_window(const Node& node, const PoolAttrs& attrs, const Dims& input);

}  // namespace octet
