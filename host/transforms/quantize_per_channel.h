// Grouped convolutions (depthwise above all) whose activation FakeQuantize has per-channel ranges
// run on int8 codes: every input channel feeds only its own group, so a channel's scale folds into
// that group's weight scales exactly (the integer accumulation is unchanged).
#pragma once

#include <vector>

#include "host/graph/graph.h"
#include "host/transforms/quantize_linear.h"

namespace octet {

// After quantize_linear_ops: each QuantizedConvolution of a GroupConvolution with float activations
// read straight from a per-channel FakeQuantize (ranges along axis 1, one zero point for all
// channels, one scale within each group) reads channels-last codes of a per-channel
// QuantizeActivation instead; its input quantization becomes the unit grid (scale 1, that zero
// point) and each weight scale is multiplied by its group's activation scale. Updates the node's
// entry in `decisions` (the reason when declined).
void quantize_per_channel_inputs(Graph& graph, std::vector<QuantizationDecision>* decisions);

}  // namespace octet
