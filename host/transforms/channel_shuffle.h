// Channel shuffles written out as Reshape -> Transpose -> Reshape (how PyTorch's ShuffleNet exports
// `channel_shuffle`, and what OpenVINO's converter leaves in place when it does not fuse it) become
// one ShuffleChannels node, which the codes flow (codes_flow.h) moves int8 codes through and the
// backends run as one copy instead of three.
#pragma once

#include "host/graph/graph.h"

namespace octet {

// Rewrites every Reshape(x: [.., C, ..] -> [.., G, C/G, ..]) -> Transpose(swapping those two axes,
// every other axis in place) -> Reshape(back to x's shape) into ShuffleChannels(x, axis, group G),
// named after the last Reshape so the output keeps its name. The first two nodes must feed only
// the next one. ShuffleChannels is defined as exactly this composition, so the rewrite is exact for
// any element type. Returns the number of shuffles made. Shapes must be inferred (prepare_graph).
int fuse_channel_shuffles(Graph& graph);

}  // namespace octet
