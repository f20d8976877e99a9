// Reports on where a compiled model's nodes run: CPU fallbacks with their reasons, and which nodes
// run int8/int4 kernels (shared by info, compare and bench).
#pragma once

#include <cstdio>
#include <string>

#include "tools/cli/cli.h"

namespace octet::cli {

// "Placement on GPU.0: 14 nodes (9 int8, 5 f32); 2 fell back to CPU" plus one line per fallback and
// the quantized nodes; with `full`, the whole node table.
void print_placement(octet_compiled_model_t compiled, bool full, std::FILE* out = stdout);

// True for a kernel that is one of oneDNN's reference implementations ("onednn_ref:any",
// "onednn_f32_dequant:ref:any"): a case oneDNN has no jit code for, typically 10-1000x slower. The
// CPU backend names its oneDNN kernels "onednn_<what>:" + oneDNN's impl_info_str(); octet's own
// reference evaluator kernel is plain "ref" and is not one of these.
bool is_onednn_reference(const std::string& impl);

}  // namespace octet::cli
