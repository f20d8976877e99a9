// Reports on where a compiled model's nodes run: CPU fallbacks with their reasons, and which nodes
// run int8/int4 kernels (shared by info, compare and bench).
#pragma once

#include <cstdio>

#include "tools/cli/cli.h"

namespace octet::cli {

// "Placement on GPU.0: 14 nodes (9 int8, 5 f32); 2 fell back to CPU" plus one line per fallback and
// the quantized nodes; with `full`, the whole node table.
void print_placement(octet_compiled_model_t compiled, bool full, std::FILE* out = stdout);

}  // namespace octet::cli
