// AttrReader: reads one node's IR attributes into its typed attribute struct (op_attrs.h), keeping
// track of every key it was asked for, so that an attribute octet does not understand is an error
// rather than silently ignored (an op version with an extra attribute computes something else).
//
//   PoolAttrs PoolAttrs::parse(AttrReader& r) {
//     PoolAttrs a;
//     a.kernel = r.i64_list("kernel");
//     if (r.version() >= 8) a.dilations = r.i64_list_or("dilations", {});
//     return a;                      // parse_op_attrs() then calls r.finish()
//   }
#pragma once

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "host/graph/attributes.h"
#include "host/graph/element_type.h"

namespace octet {

struct Node;

class AttrReader {
 public:
  explicit AttrReader(const Node& node);

  const Node& node() const { return node_; }
  int version() const;
  bool has(const char* key) const;

  // As Attributes' accessors (strict parsing, errors naming the layer), recording the key as read.
  int64_t i64(const char* key);
  int64_t i64_or(const char* key, int64_t fallback);
  double f64(const char* key);
  double f64_or(const char* key, double fallback);
  bool boolean(const char* key);
  bool boolean_or(const char* key, bool fallback);
  std::vector<int64_t> i64_list(const char* key);
  std::vector<int64_t> i64_list_or(const char* key, std::vector<int64_t> fallback);
  const std::string& str(const char* key);
  ElementType element_type(const char* key);
  ElementType element_type_or(const char* key, ElementType fallback);

  // An enumerated attribute (case-insensitive); any other value is an error listing the choices.
  template <class E>
  E choice(const char* key, std::initializer_list<std::pair<const char*, E>> values) {
    return values.begin()[choice_index(key, names_of(values), true)].second;
  }
  template <class E>
  E choice_or(const char* key, std::initializer_list<std::pair<const char*, E>> values, E fallback) {
    const int i = choice_index(key, names_of(values), false);
    return i < 0 ? fallback : values.begin()[i].second;
  }

  // Marks keys octet reads elsewhere (the IR reader's Parameter/Const fields) as understood.
  void accept(std::initializer_list<const char*> keys);
  [[noreturn]] void fail(const char* key, const std::string& why) const;
  // Raises kUnsupported naming the first attribute never read: octet does not know what it means.
  void finish() const;

 private:
  template <class E>
  static std::vector<const char*> names_of(std::initializer_list<std::pair<const char*, E>> values) {
    std::vector<const char*> names;
    for (const auto& v : values) names.push_back(v.first);
    return names;
  }
  // Index of the value in `names`; -1 when the key is absent and not `required`.
  int choice_index(const char* key, const std::vector<const char*>& names, bool required);
  const Attributes& attrs() const;

  const Node& node_;
  std::set<std::string> read_;
};

}  // namespace octet
