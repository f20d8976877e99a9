// Strict attribute parsing.
#include "host/graph/attributes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "host/common/error.h"
#include "host/common/text.h"

namespace octet {
std::optional<int64_t> parse_int64(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_double(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 64) return std::nullopt;
  // GCC 12's from_chars for double is available; strtod would accept hex floats and "nan".
  for (char c : text) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '-' ||
          c == '+'))
      return std::nullopt;
  }
  std::string_view body = text;
  if (body.front() == '+') body.remove_prefix(1);
  double value = 0;
  const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (ec != std::errc() || ptr != body.data() + body.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  const std::string v = lower(trim(text));
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  return std::nullopt;
}

void Attributes::fail(const std::string& key, const std::string& why) const {
  const auto it = values_.find(key);
  if (it == values_.end())
    raise(ErrorCode::kModel, "{}: attribute '{}' {}", owner_.empty() ? "op" : owner_, key, why);
  raise(ErrorCode::kModel, "{}: attribute '{}' = '{}': {}", owner_.empty() ? "op" : owner_, key,
        it->second.size() > 80 ? it->second.substr(0, 80) + "..." : it->second, why);
}

const std::string& Attributes::str(const std::string& key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) fail(key, "is required but missing");
  return it->second;
}

std::string Attributes::str_or(const std::string& key, const std::string& fallback) const {
  const auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

int64_t Attributes::i64(const std::string& key) const {
  const auto v = parse_int64(str(key));
  if (!v) fail(key, "is not an integer");
  return *v;
}

int64_t Attributes::i64_or(const std::string& key, int64_t fallback) const {
  return has(key) ? i64(key) : fallback;
}

double Attributes::f64(const std::string& key) const {
  const auto v = parse_double(str(key));
  if (!v) fail(key, "is not a finite number");
  return *v;
}

double Attributes::f64_or(const std::string& key, double fallback) const {
  return has(key) ? f64(key) : fallback;
}

bool Attributes::boolean(const std::string& key) const {
  const auto v = parse_bool(str(key));
  if (!v) fail(key, "is not a boolean (true/false)");
  return *v;
}

bool Attributes::boolean_or(const std::string& key, bool fallback) const {
  return has(key) ? boolean(key) : fallback;
}

std::vector<int64_t> Attributes::i64_list(const std::string& key) const {
  std::string_view text = trim(str(key));
  if (!text.empty() && text.front() == '[' && text.back() == ']')
    text = trim(text.substr(1, text.size() - 2));
  std::vector<int64_t> out;
  if (text.empty()) return out;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const auto piece =
        text.substr(start, comma == std::string_view::npos ? text.size() - start : comma - start);
    const auto v = parse_int64(piece);
    if (!v) fail(key, "is not a comma-separated list of integers");
    out.push_back(*v);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
    if (out.size() > (1u << 20)) fail(key, "is too long");
  }
  return out;
}

std::vector<int64_t> Attributes::i64_list_or(const std::string& key, std::vector<int64_t> fallback) const {
  return has(key) ? i64_list(key) : fallback;
}

std::string Attributes::enumeration(const std::string& key, const std::vector<std::string>& allowed) const {
  const std::string v = lower(trim(str(key)));
  if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    fail(key, "is not one of: " + list);
  }
  return v;
}

std::string Attributes::enumeration_or(const std::string& key, const std::vector<std::string>& allowed,
                                       const std::string& fallback) const {
  return has(key) ? enumeration(key, allowed) : fallback;
}

}  // namespace octet
