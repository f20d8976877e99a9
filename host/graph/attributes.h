// Op attributes as read from an IR <data> element, with strict typed accessors.
//
// Values are kept as the IR's strings; each accessor parses the whole string strictly
// (std::from_chars, range-checked) and throws Error(kModel) naming the owner (the layer) and the
// attribute on any malformed value, e.g. "layer 'conv1' (id 5): attribute 'strides' = '1,x': ...".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace octet {

class Attributes {
 public:
  void set(const std::string& key, std::string value) {
    values_[key] = std::move(value);
    ++generation_;
  }
  // Bumped by every set(): a node's typed attributes parsed at another generation are stale.
  uint64_t generation() const { return generation_; }
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  const std::map<std::string, std::string>& all() const { return values_; }
  // Text naming the owner in error messages, e.g. "layer 'conv1' (id 5)".
  void set_owner(std::string owner) { owner_ = std::move(owner); }
  const std::string& owner() const { return owner_; }

  // Required accessors throw when the attribute is missing; the *_or forms return the default.
  const std::string& str(const std::string& key) const;
  std::string str_or(const std::string& key, const std::string& fallback) const;
  int64_t i64(const std::string& key) const;
  int64_t i64_or(const std::string& key, int64_t fallback) const;
  double f64(const std::string& key) const;
  double f64_or(const std::string& key, double fallback) const;
  bool boolean(const std::string& key) const;
  bool boolean_or(const std::string& key, bool fallback) const;
  // Comma-separated integer list ("1, 1" or "1,1"; "" is the empty list).
  std::vector<int64_t> i64_list(const std::string& key) const;
  std::vector<int64_t> i64_list_or(const std::string& key, std::vector<int64_t> fallback) const;
  // A lower-cased enum value that must be one of `allowed`.
  std::string enumeration(const std::string& key, const std::vector<std::string>& allowed) const;
  std::string enumeration_or(const std::string& key, const std::vector<std::string>& allowed,
                             const std::string& fallback) const;

  [[noreturn]] void fail(const std::string& key, const std::string& why) const;

 private:
  std::map<std::string, std::string> values_;
  std::string owner_;
  uint64_t generation_ = 0;
};

// Strict number parsers shared with the IR reader: the whole string must be consumed (leading
// and trailing blanks allowed), no overflow, no nan/inf. Return nullopt on any problem.
std::optional<int64_t> parse_int64(std::string_view text);
std::optional<double> parse_double(std::string_view text);
std::optional<bool> parse_bool(std::string_view text);

}  // namespace octet
