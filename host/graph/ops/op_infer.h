// Declarations of the per-op shape inference functions, one per ops.def line. Each op family
// defines its functions in a file beside this one (elementwise.cpp, convolution.cpp, ...).
#pragma once

#include "host/graph/graph.h"

namespace octet {

#define OCTET_OP(name, ir_type, versions, attrs) void infer_##name(Node& node);
#include "host/graph/ops.def"
#undef OCTET_OP

// Helpers for inference functions.
// Throws Error(kModel) unless the node has between `min` and `max` inputs.
void expect_inputs(const Node& node, size_t min, size_t max);
// Sets outputs to `count` values (types/shapes filled by the caller).
void set_outputs(Node& node, size_t count);

}  // namespace octet
