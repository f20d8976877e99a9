// Program cache entries: formatting and strict verification (see cache_entry.h).
#include "runtime/opencl/cache_entry.h"

#include <fmt/format.h>

#include <cstdio>

namespace octet {
namespace {

constexpr std::string_view kMagic = "OCTETCL2";

// A non-negative decimal or hex number filling `text` exactly (no sign, no blanks, no overflow). A
// decimal has no leading zero: the header has one spelling per entry, the one format_cache_entry writes.
bool parse_number(std::string_view text, int base, uint64_t* value) {
  if (text.empty() || text.size() > 20) return false;
  if (base == 10 && text.size() > 1 && text[0] == '0') return false;
  uint64_t v = 0;
  for (char c : text) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    if (d < 0 || d >= base) return false;
    if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) return false;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  *value = v;
  return true;
}

}  // namespace

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string format_cache_entry(std::string_view key, std::string_view binary) {
  std::string out(kMagic);
  out += fmt::format("{} {} {:016x}\n", key.size(), binary.size(), fnv1a64(binary));
  out += key;
  out += binary;
  return out;
}

std::string_view parse_cache_entry(std::string_view entry, std::string_view key, std::string* why) {
  if (entry.size() < kMagic.size() || entry.substr(0, kMagic.size()) != kMagic) {
    *why = "not an entry of this octet version (bad magic)";
    return {};
  }
  const size_t nl = entry.find('\n', kMagic.size());
  if (nl == std::string_view::npos || nl - kMagic.size() > 64) {
    *why = "truncated header";
    return {};
  }
  const std::string_view header = entry.substr(kMagic.size(), nl - kMagic.size());
  const size_t s1 = header.find(' ');
  const size_t s2 = s1 == std::string_view::npos ? s1 : header.find(' ', s1 + 1);
  uint64_t key_len = 0, bin_len = 0, checksum = 0;
  if (s2 == std::string_view::npos || !parse_number(header.substr(0, s1), 10, &key_len) ||
      !parse_number(header.substr(s1 + 1, s2 - s1 - 1), 10, &bin_len) || header.size() - s2 - 1 != 16 ||
      !parse_number(header.substr(s2 + 1), 16, &checksum)) {
    *why = "malformed header";
    return {};
  }
  const size_t body = nl + 1;
  const uint64_t available = entry.size() - body;
  if (key_len > available || bin_len > available - key_len || key_len + bin_len != available) {
    *why = fmt::format("length mismatch (header says {} + {} bytes, file holds {})", key_len, bin_len,
                       available);
    return {};
  }
  if (entry.substr(body, key_len) != key) {
    *why = "written for another source, options, device or driver version";
    return {};
  }
  const std::string_view binary = entry.substr(body + key_len);
  if (binary.empty()) {
    *why = "empty binary";
    return {};
  }
  if (fnv1a64(binary) != checksum) {
    *why = "checksum mismatch (the binary was altered)";
    return {};
  }
  return binary;
}

}  // namespace octet
