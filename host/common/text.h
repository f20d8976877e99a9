// Small ASCII text helpers shared by the attribute parser, the op table and the IR reader.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace octet {

// `s` without leading and trailing ASCII whitespace.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// `s` lower-cased byte by byte (IR type names and enum values are ASCII and case-insensitive).
inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace octet
