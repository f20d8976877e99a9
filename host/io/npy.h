// Strict NumPy .npy reader/writer and exact-size raw .bin reader for input and output tensors.
//
// The reader accepts versions 1.0, 2.0 and 3.0, little-endian (or byte-order-free) dtypes from a
// whitelist, C order only, and requires the data to be exactly the size the header declares. It
// validates every header field against the real file size before allocating anything, so a
// hostile file cannot make it allocate more than the file holds (bad-inputs.md row 30).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "host/graph/shape.h"
#include "host/graph/tensor.h"

namespace octet {

// The .npy header cap: numpy itself refuses headers over 10000 bytes by default.
constexpr size_t kMaxNpyHeaderBytes = 64 * 1024;

// Reads a .npy file. Throws Error(kNotFound) if the file does not exist and
// Error(kInvalidArgument) naming the file and the problem for anything malformed or unsupported.
Tensor read_npy_file(const std::string& path);

// Parses a whole .npy file held in memory; `name_for_errors` is used in error messages only.
Tensor parse_npy(const void* data, size_t size, const std::string& name_for_errors);

// The bytes of a .npy file holding `t`: version 1.0 (2.0 if the header would not fit), header
// padded to 64 bytes as numpy does. Throws Error(kUnsupported) for element types numpy has no
// dtype for (i4, u4, u1, bf16).
std::vector<uint8_t> serialize_npy(const Tensor& t);

// Writes serialize_npy(t) to a temporary file next to `path`, then renames it over `path`, so a
// reader never sees a half-written file.
void write_npy_file(const std::string& path, const Tensor& t);

// Reads a raw binary file whose bytes are the tensor's storage (sub-byte types packed). The file
// must be exactly the shape's byte size (bad-inputs.md row 31).
Tensor read_raw_file(const std::string& path, ElementType type, const Dims& shape);

}  // namespace octet
