// A guard for code that does not survive running out of address space: oneDNN's JIT code
// generation segfaults (in __itt_pt_write) when its code buffer cannot be mapped, and PoCL's LLVM
// aborts with "LLVM ERROR: out of memory". Before calling into them, octet checks that a margin of
// address space can still be mapped, and raises kOutOfMemory otherwise. It narrows the window rather
// than closing it: the library may still need more than the margin (bad-inputs.md row 43).
#pragma once

#include <cstddef>

namespace octet {

// Whether `bytes` of fresh address space can be mapped right now (mapped and unmapped at once).
bool address_space_available(size_t bytes);

// Raises Error(kOutOfMemory) naming `what` unless `bytes` of address space can be mapped.
void reserve_address_space(size_t bytes, const char* what);

// Margins: what a oneDNN primitive's JIT code and descriptors, and a PoCL program build, may need.
constexpr size_t kOneDnnPrimitiveMargin = size_t{8} << 20;
constexpr size_t kOpenClBuildMargin = size_t{256} << 20;

}  // namespace octet
