// Internal: the .npy prefix and header-dict parser shared by the file and in-memory readers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "host/graph/element_type.h"
#include "host/graph/shape.h"
#include "host/io/npy.h"

namespace octet {
namespace npy_detail {

// Magic (6) + version (2) + the widest header length field (4) + the capped header.
constexpr size_t kMaxPrefixBytes = 12 + kMaxNpyHeaderBytes;
// numpy's own limit is 32 (64 since numpy 2); anything deeper is hostile.
constexpr size_t kMaxRank = 64;

struct NpyHeader {
  ElementType type = ElementType::kUndefined;
  std::string descr;
  Dims shape;
  int64_t count = 0;
  uint64_t data_offset = 0;  // magic + version + length field + header
  uint64_t data_bytes = 0;
};

// Validates the prefix, parses the header dict and checks that the file holds exactly the data
// it declares. `prefix` holds the first min(file_size, kMaxPrefixBytes) bytes of a file of
// `file_size` bytes. Throws Error(kInvalidArgument) with `name` in the message.
NpyHeader parse_npy_header(const uint8_t* prefix, size_t prefix_size, uint64_t file_size,
                           const std::string& name);

// numpy's descr for `type` ("<f4", "|u1"...), or nullptr if numpy has no such dtype.
const char* npy_descr(ElementType type);

}  // namespace npy_detail
}  // namespace octet
