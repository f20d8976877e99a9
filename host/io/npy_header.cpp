// Strict .npy prefix and header parsing: a small recursive-descent parser for the one dict shape
// numpy writes, never a general Python literal evaluator.
#include "host/io/npy_header.h"

#include <cstring>
#include <string_view>

#include "host/common/error.h"

namespace octet {
namespace npy_detail {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicBytes = 6;

struct Dtype {
  const char* code;  // descr without the byte-order character
  ElementType type;
  int bytes;
};

constexpr Dtype kDtypes[] = {
    {"f8", ElementType::kF64, 8}, {"f4", ElementType::kF32, 4}, {"f2", ElementType::kF16, 2},
    {"i8", ElementType::kI64, 8}, {"i4", ElementType::kI32, 4}, {"i2", ElementType::kI16, 2},
    {"i1", ElementType::kI8, 1},  {"u8", ElementType::kU64, 8}, {"u4", ElementType::kU32, 4},
    {"u2", ElementType::kU16, 2}, {"u1", ElementType::kU8, 1},  {"b1", ElementType::kBoolean, 1},
};

// Header text comes from the file, so messages quote at most a short, printable excerpt of it.
std::string excerpt(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 32)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > 32) out += "...";
  return out;
}

// Maps a descr to a dtype: '<' for every type, '|' or '=' for 1-byte types where byte order does
// not exist. '>' is refused outright, and so is '=' for multi-byte types since it means "the
// writer's native order", which the file does not record.
ElementType parse_descr(const std::string& descr, const std::string& name) {
  if (descr.size() == 3) {
    const char order = descr[0];
    for (const Dtype& d : kDtypes) {
      if (descr.compare(1, 2, d.code) != 0) continue;
      if (order == '>' && d.bytes > 1)
        raise(ErrorCode::kInvalidArgument, "'{}': big-endian dtype '{}' is not supported", name, descr);
      if (order == '<' || (d.bytes == 1 && (order == '|' || order == '='))) return d.type;
      break;
    }
  }
  raise(ErrorCode::kInvalidArgument,
        "'{}': unsupported dtype '{}' (supported: <f8 <f4 <f2 <i8 <i4 <i2 |i1 <u8 <u4 <u2 |u1 |b1)", name,
        excerpt(descr));
}

// Parses "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" in any key order, with
// any whitespace, single or double quotes and an optional trailing comma.
class DictParser {
 public:
  DictParser(std::string_view text, const std::string& name) : text_(text), name_(name) {}

  void parse(NpyHeader* header) {
    bool have_descr = false, have_order = false, have_shape = false;
    bool fortran_order = false;
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    expect('{');
    skip_space();
    while (peek() != '}') {
      const size_t key_pos = pos_;
      const std::string key = parse_string();
      skip_space();
      expect(':');
      skip_space();
      if (key == "descr") {
        check_unique(&have_descr, key, key_pos);
        header->descr = parse_string();
      } else if (key == "fortran_order") {
        check_unique(&have_order, key, key_pos);
        fortran_order = parse_bool();
      } else if (key == "shape") {
        check_unique(&have_shape, key, key_pos);
        header->shape = parse_shape();
      } else {
        pos_ = key_pos;
        fail(fmt::format("unknown key '{}'", excerpt(key)));
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        skip_space();
      } else if (peek() != '}') {
        fail("expected ',' or '}'");
      }
    }
    ++pos_;
    // numpy pads with spaces and ends with '\n'; other writers vary in the padding only.
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    if (pos_ != text_.size()) fail("unexpected text after the dict");
    if (!have_descr) fail("missing key 'descr'");
    if (!have_order) fail("missing key 'fortran_order'");
    if (!have_shape) fail("missing key 'shape'");
    if (fortran_order)
      raise(ErrorCode::kInvalidArgument,
            "'{}': fortran_order True is not supported (save a C-ordered array, e.g. np.ascontiguousarray)",
            name_);
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  [[noreturn]] void fail(const std::string& what) const {
    raise(ErrorCode::kInvalidArgument, "'{}': unparsable .npy header: {} at offset {}", name_, what, pos_);
  }

  void expect(char c) {
    if (peek() != c) fail(fmt::format("expected '{}'", c));
    ++pos_;
  }

  void check_unique(bool* seen, const std::string& key, size_t key_pos) {
    if (*seen) {
      pos_ = key_pos;
      fail(fmt::format("duplicate key '{}'", key));
    }
    *seen = true;
  }

  // A quoted string without escapes: no descr or key numpy writes needs one.
  std::string parse_string() {
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a quoted string");
    const size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      const char c = text_[pos_];
      if (c == '\\' || c < 0x20 || c >= 0x7f) fail("unsupported character in a string");
      ++pos_;
    }
    if (pos_ == text_.size()) fail("unterminated string");
    return std::string(text_.substr(start, pos_++ - start));
  }

  bool parse_bool() {
    for (const auto& [word, value] : {std::pair<std::string_view, bool>{"True", true}, {"False", false}}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return value;
      }
    }
    fail("fortran_order must be True or False");
  }

  // A Python tuple of non-negative decimal integers: "()", "(5,)", "(2, 3)", "(2, 3,)".
  Dims parse_shape() {
    if (peek() != '(') fail("shape must be a tuple");
    ++pos_;
    skip_space();
    Dims dims;
    bool trailing_comma = false;
    while (peek() != ')') {
      if (dims.size() == kMaxRank) fail(fmt::format("shape has more than {} dimensions", kMaxRank));
      dims.push_back(parse_dim());
      skip_space();
      trailing_comma = false;
      if (peek() == ',') {
        ++pos_;
        trailing_comma = true;
        skip_space();
      } else if (peek() != ')') {
        fail("expected ',' or ')' in shape");
      }
    }
    // "(5)" is the integer 5 in Python, not a tuple.
    if (dims.size() == 1 && !trailing_comma) fail("shape must be a tuple");
    ++pos_;
    return dims;
  }

  int64_t parse_dim() {
    if (peek() == '-') fail("negative dimension in shape");
    if (!is_digit(peek())) fail("shape dimension is not an integer");
    const size_t start = pos_;
    int64_t value = 0;
    while (is_digit(peek())) {
      value = value * 10 + (peek() - '0');
      if (value > kMaxDim) fail("shape dimension exceeds 2^40");
      ++pos_;
    }
    // Python 3 forbids leading zeros; 'L' is the long suffix of files written by Python 2.
    if (text_[start] == '0' && pos_ - start > 1) fail("shape dimension has a leading zero");
    if (peek() == 'L') ++pos_;
    const char next = peek();
    if (next != ',' && next != ')' && !is_space(next)) fail("shape dimension is not an integer");
    return value;
  }

  std::string_view text_;
  const std::string& name_;
  size_t pos_ = 0;
};

uint64_t load_le(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

NpyHeader parse_npy_header(const uint8_t* prefix, size_t prefix_size, uint64_t file_size,
                           const std::string& name) {
  if (prefix_size < kMagicBytes || std::memcmp(prefix, kMagic, kMagicBytes) != 0)
    raise(ErrorCode::kInvalidArgument, "'{}': not a .npy file (bad magic)", name);
  if (prefix_size < kMagicBytes + 2)
    raise(ErrorCode::kInvalidArgument, "'{}': .npy file truncated in its version field", name);
  const int major = prefix[6], minor = prefix[7];
  if (major < 1 || major > 3 || minor != 0)
    raise(ErrorCode::kInvalidArgument, "'{}': unsupported .npy version {}.{} (supported: 1.0, 2.0, 3.0)",
          name, major, minor);
  const int length_bytes = major == 1 ? 2 : 4;
  const size_t header_start = kMagicBytes + 2 + length_bytes;
  if (prefix_size < header_start)
    raise(ErrorCode::kInvalidArgument, "'{}': .npy file truncated in its header length field", name);
  const uint64_t header_len = load_le(prefix + 8, length_bytes);
  if (header_len > kMaxNpyHeaderBytes)
    raise(ErrorCode::kInvalidArgument, "'{}': .npy header length {} exceeds the {} byte cap", name,
          header_len, kMaxNpyHeaderBytes);
  if (header_start + header_len > file_size)
    raise(ErrorCode::kInvalidArgument, "'{}': .npy header length {} runs past the end of the file ({} bytes)",
          name, header_len, file_size);
  if (header_start + header_len > prefix_size)
    raise(ErrorCode::kInternal, "'{}': .npy prefix buffer too short", name);

  NpyHeader header;
  // Version 3 headers are UTF-8 and older ones latin-1, but the dict grammar is pure ASCII, so
  // any other byte is rejected by the parser either way.
  const std::string_view text(reinterpret_cast<const char*>(prefix + header_start), header_len);
  DictParser(text, name).parse(&header);
  header.type = parse_descr(header.descr, name);
  try {
    header.count = element_count(header.shape);
  } catch (const Error& e) {
    raise(ErrorCode::kInvalidArgument, "'{}': {}", name, e.what());
  }
  header.data_offset = header_start + header_len;
  header.data_bytes = element_storage_bytes(header.type, header.count);
  const uint64_t actual = file_size - header.data_offset;
  if (actual != header.data_bytes)
    raise(ErrorCode::kInvalidArgument, "'{}': data is {} bytes, shape {} of {} needs {}", name, actual,
          to_string(header.shape), header.descr, header.data_bytes);
  return header;
}

const char* npy_descr(ElementType type) {
  switch (type) {
    case ElementType::kF64: return "<f8";
    case ElementType::kF32: return "<f4";
    case ElementType::kF16: return "<f2";
    case ElementType::kI64: return "<i8";
    case ElementType::kI32: return "<i4";
    case ElementType::kI16: return "<i2";
    case ElementType::kI8: return "|i1";
    case ElementType::kU64: return "<u8";
    case ElementType::kU32: return "<u4";
    case ElementType::kU16: return "<u2";
    case ElementType::kU8: return "|u1";
    case ElementType::kBoolean: return "|b1";
    default: return nullptr;
  }
}

}  // namespace npy_detail
}  // namespace octet
