// Whether a tensor is computed from quantized data, for verdicts: a value downstream of a
// FakeQuantize (or of the nodes the int8 pass makes of one) or of compressed integer weights
// inherits their rounding, so comparing it against another implementation needs the quantized
// models' statistical bound instead of a float tolerance.
#pragma once

#include <string>

#include "host/graph/graph.h"

namespace octet {

struct QuantOrigin {
  bool quantized = false;  // some input of the computation is on a quantization grid
  // (output_high - output_low) / (levels - 1) of the nearest grid upstream (largest over channels),
  // 0 when the only quantized inputs are compressed weights.
  double step = 0;
  std::string grid_node;  // the node holding that grid (or the compressed weights' consumer)
};

// Walks from the producer of `value` towards the inputs, breadth first, and reports the nearest
// quantized source: FakeQuantize, QuantizeActivation, QuantizedConvolution/QuantizedMatMul (their
// output or input grid, or their compressed weights), or a Convert of an integer Constant.
QuantOrigin quant_origin(const Output& value);

// Largest (output_high - output_low) / (levels - 1) of a FakeQuantize node over its channels; 0
// when its ranges are not constants.
double fake_quantize_step(const Node& fq);
struct ActivationQuant;
// |out_high - out_low| / (levels - 1) of one quantization grid (0 below two levels).
double grid_step(const ActivationQuant& q);

}  // namespace octet
