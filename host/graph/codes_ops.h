// Internal ops that move int8 activation codes between quantized layers (issue 15 section 2):
// CodesMaxPool, a MaxPool over the channels-last codes a QuantizeActivation would write of its
// input. quantize_level is monotonic, so the codes of a max are the max of the codes; padded
// positions are skipped as MaxPool skips them (a window wholly in the padding gives level 0, the
// level of MaxPool's lowest float). NaN: a float MaxPool keeps a NaN only when it comes first in
// its window (later ones fail `e > best`), and its code is level 0; the codes path sees level 0
// wherever the NaN is, so it returns the window's largest other code instead. Both backends and
// the reference follow the codes path, so they agree with each other.
#pragma once

#include "host/graph/graph.h"
#include "host/graph/ops/conv_geometry.h"

namespace octet {

// Payload of CodesMaxPool: the window of the MaxPool it replaces (pads resolved, output spatial
// dims), input [N, spatial..., C] i8, output [N, window.output..., C] i8.
struct CodesMaxPoolParams {
  ConvGeometry window;
};

// The payload of a CodesMaxPool node; throws kInternal for other nodes.
const CodesMaxPoolParams& codes_max_pool_params(const Node& node);

}  // namespace octet
