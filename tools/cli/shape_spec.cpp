// -shape parsing: a small hand-written scanner so that every malformed string gets a precise message.
#include "tools/cli/shape_spec.h"

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "tools/cli/cli.h"

namespace octet::cli {
namespace {

constexpr int64_t kMaxShapeDim = int64_t(1) << 40;

class ShapeScanner {
 public:
  explicit ShapeScanner(const std::string& text) : text_(text) {}

  std::vector<ShapeSpec> parse() {
    std::vector<ShapeSpec> specs;
    skip_spaces();
    if (at_end()) fail("empty shape");
    while (!at_end()) {
      specs.push_back(spec());
      skip_spaces();
      if (!at_end() && peek() == ',') {
        ++pos_;
        skip_spaces();
        if (at_end()) fail("trailing ','");
      }
    }
    if (specs.size() > 1) {
      for (const ShapeSpec& s : specs)
        if (s.name.empty()) fail("several shapes need input names (\"name[dims],name2[dims]\")");
    }
    return specs;
  }

 private:
  ShapeSpec spec() {
    ShapeSpec result;
    const size_t name_start = pos_;
    while (!at_end() && peek() != '[' && peek() != ']' && peek() != ',') ++pos_;
    result.name = trim(text_.substr(name_start, pos_ - name_start));
    if (at_end() || peek() != '[') fail("expected '['");
    ++pos_;
    skip_spaces();
    if (!at_end() && peek() == ']') {  // "[]": a scalar
      ++pos_;
      return result;
    }
    while (true) {
      result.dims.push_back(dim());
      skip_spaces();
      if (at_end()) fail("missing ']'");
      if (peek() == ']') {
        ++pos_;
        return result;
      }
      if (peek() != ',') fail("expected ',' or ']'");
      ++pos_;
      skip_spaces();
    }
  }

  int64_t dim() {
    if (at_end()) fail("missing dim");
    if (peek() == '?') fail("dynamic dim '?': octet runs static shapes; give a number");
    if (peek() == '[') fail("nested '['");
    if (peek() == '-') fail("negative or dynamic dim: octet runs static shapes; give a number >= 0");
    const int64_t value = number();
    if (text_.compare(pos_, 2, "..") == 0) {
      pos_ += 2;
      const size_t upper_at = pos_;
      const int64_t upper = number();
      if (upper < value) fail(fmt::format("empty range {}..{}", value, upper), upper_at);
      fail("dim range: octet runs static shapes; give one number");
    }
    return value;
  }

  int64_t number() {
    const size_t start = pos_;
    int64_t value = 0;
    while (!at_end() && std::isdigit(static_cast<unsigned char>(peek()))) {
      value = value * 10 + (peek() - '0');
      if (value > kMaxShapeDim) fail("dim larger than 2^40", start);
      ++pos_;
    }
    if (pos_ == start) fail("expected a number");
    return value;
  }

  static std::string trim(const std::string& s) {
    size_t begin = s.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    size_t end = s.find_last_not_of(" \t");
    return s.substr(begin, end - begin + 1);
  }

  void skip_spaces() {
    while (!at_end() && (peek() == ' ' || peek() == '\t')) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  [[noreturn]] void fail(const std::string& what) const { fail(what, pos_); }
  [[noreturn]] void fail(const std::string& what, size_t at) const {
    usage_error(fmt::format("-shape \"{}\": {} at position {}", text_, what, at));
  }

  const std::string& text_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<ShapeSpec> parse_shape_arg(const std::string& text) {
  return ShapeScanner(text).parse();
}

std::vector<ShapeSpec> parse_shape_args(const std::vector<std::string>& args) {
  std::vector<ShapeSpec> all;
  std::set<std::string> seen;
  for (const std::string& arg : args) {
    for (ShapeSpec& spec : parse_shape_arg(arg)) {
      if (!seen.insert(spec.name).second)
        usage_error(spec.name.empty() ? "-shape: more than one shape for all inputs"
                                      : fmt::format("-shape: input '{}' is given twice", spec.name));
      all.push_back(std::move(spec));
    }
  }
  if (seen.count("") && seen.size() > 1)
    usage_error("-shape: mixes a shape for all inputs with named shapes");
  return all;
}

}  // namespace octet::cli
