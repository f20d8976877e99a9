// The host memory budget a compiled model's activation plan must fit in (bad-inputs.md row 21).
#pragma once

#include <cstddef>

namespace octet {

// $OCTET_MEMORY_LIMIT_MB when set to a positive integer, else 3/4 of physical memory.
size_t memory_budget_bytes();

// Throws Error(kOutOfMemory) naming `what` when `bytes` exceeds memory_budget_bytes().
void check_memory_budget(size_t bytes, const char* what);

}  // namespace octet
