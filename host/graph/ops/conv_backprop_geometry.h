// Output size and pads of ConvolutionBackpropData-1 / GroupConvolutionBackpropData-1 (transposed
// convolution): the attributes resolved per spatial dim, shared by shape inference, the reference
// and the backends. Each input element x[i] adds x[i] * w[k] to output position
// i * stride - pads_begin + k * dilation, for positions inside [0, output).
//
//   BackpropGeometry g = conv_backprop_geometry(node, data_spatial, kernel, output_shape_or_null);
#pragma once

#include <cstdint>
#include <vector>

#include "host/graph/graph.h"

namespace octet {

struct BackpropGeometry {
  Dims strides, dilations, pads_begin, pads_end, output_padding;
  Dims kernel;  // undilated filter size
  Dims output;  // spatial output dims (kDynamicDim where the data dim is dynamic)
};

// `data_spatial` and `kernel` hold the spatial dims of data and filters; `output_shape` is the
// value of the optional output_shape input (nullptr when absent). Per the spec and OpenVINO:
// - without output_shape: pads are the attributes (zero unless auto_pad is explicit) and
//   output = stride * (in - 1) + (kernel - 1) * dilation + 1 - pads_begin - pads_end + output_padding;
// - with output_shape: output = output_shape; same_upper/same_lower split
//   total = max(0, stride * (in - 1) + (kernel - 1) * dilation + 1 - output + output_padding)
//   (the odd one at the start for same_upper, at the end for same_lower), valid uses zero pads and
//   explicit the attribute pads.
// Raises kModel naming the layer for list lengths that do not match and non-positive outputs.
BackpropGeometry conv_backprop_geometry(const Node& node, const Dims& data_spatial, const Dims& kernel,
                                        const std::vector<int64_t>* output_shape);

}  // namespace octet
