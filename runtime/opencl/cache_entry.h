// The on-disk program cache entry format, with no OpenCL dependency (so it can be fuzzed):
//   "OCTETCL2" "<key bytes> <binary bytes> <FNV-1a 64 of the binary, 16 hex>\n" key binary
// parse_cache_entry accepts only an entry whose lengths add up exactly, whose key is the one asked
// for and whose binary matches its checksum: a damaged entry never reaches a driver.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace octet {

uint64_t fnv1a64(std::string_view bytes);

std::string format_cache_entry(std::string_view key, std::string_view binary);

// The binary inside `entry` (a view into it) when it verifies for `key`; else an empty view and
// `why` saying what is wrong.
std::string_view parse_cache_entry(std::string_view entry, std::string_view key, std::string* why);

}  // namespace octet
