// Byte- and tree-level checks on untrusted XML before the IR reader looks at its content.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <unordered_set>

#include "host/graph/attributes.h"
#include "host/ir/ir_internal.h"
#include "host/ir/ir_reader.h"

namespace octet::ir_detail {
namespace {

// Offset of the first byte that is not part of well-formed UTF-8 (or is NUL), or npos.
size_t find_bad_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0) lo = 0xa0;  // overlong
      if (c == 0xed) hi = 0x9f;  // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0) lo = 0x90;  // overlong
      if (c == 0xf4) hi = 0x8f;  // above U+10FFFF
    } else {
      return i;
    }
    if (n - i < len) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xc0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

bool starts_with_ci(std::string_view s, size_t at, const char* word) {
  const size_t len = std::strlen(word);
  if (s.size() - at < len) return false;
  for (size_t k = 0; k < len; ++k)
    if (std::toupper(static_cast<unsigned char>(s[at + k])) != word[k]) return false;
  return true;
}

// DOCTYPE declarations (and with them entity definitions) are refused outright: real IRs never
// have one, and refusing is simpler to trust than any expansion limit.
size_t find_doctype(std::string_view s) {
  for (size_t at = s.find("<!"); at != std::string_view::npos; at = s.find("<!", at + 2)) {
    if (starts_with_ci(s, at + 2, "DOCTYPE") || starts_with_ci(s, at + 2, "ENTITY")) return at;
  }
  return std::string_view::npos;
}

// Element attributes must have distinct names (XML well-formedness; pugixml does not check).
void check_attributes(const pugi::xml_node& node, std::string_view xml, const std::string& source) {
  size_t count = 0;
  for (auto a = node.first_attribute(); a; a = a.next_attribute()) ++count;
  if (count < 2) return;
  auto fail = [&](const char* name) {
    raise(ErrorCode::kModel, "{}: element <{}> at {} has attribute '{}' twice", source, node.name(),
          text_position(xml, node.offset_debug()), name);
  };
  if (count <= 16) {
    for (auto a = node.first_attribute(); a; a = a.next_attribute())
      for (auto b = a.next_attribute(); b; b = b.next_attribute())
        if (std::strcmp(a.name(), b.name()) == 0) fail(a.name());
    return;
  }
  std::unordered_set<std::string_view> seen;
  seen.reserve(count);
  for (auto a = node.first_attribute(); a; a = a.next_attribute())
    if (!seen.insert(a.name()).second) fail(a.name());
}

}  // namespace

std::string text_position(std::string_view text, ptrdiff_t offset) {
  const size_t end = offset < 0 ? 0 : std::min(static_cast<size_t>(offset), text.size());
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return fmt::format("line {}, column {}", line, end - line_start + 1);
}

std::optional<int64_t> parse_ir_int(std::string_view text) {
  const size_t plus = text.find('+');
  if (plus != std::string_view::npos && plus + 1 < text.size() &&
      !std::isdigit(static_cast<unsigned char>(text[plus + 1])))
    return std::nullopt;
  return parse_int64(text);
}

std::string quoted(std::string_view value) {
  if (value.size() <= 80) return fmt::format("'{}'", value);
  return fmt::format("'{}...' ({} bytes)", value.substr(0, 80), value.size());
}

std::vector<std::string> split_tensor_names(std::string_view text) {
  std::vector<std::string> names;
  std::string current;
  auto flush = [&] {
    if (!current.empty() && std::find(names.begin(), names.end(), current) == names.end())
      names.push_back(current);
    current.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == ',') {
      current += ',';
      ++i;
    } else if (text[i] == ',') {
      flush();
    } else {
      current += text[i];
    }
  }
  flush();
  return names;
}

void parse_xml_document(std::string_view xml, const std::string& source, pugi::xml_document& doc) {
  if (const size_t bad = find_bad_utf8(xml); bad != std::string_view::npos)
    raise(ErrorCode::kModel, "{}: not valid UTF-8 text: byte 0x{:02x} at offset {} ({})", source,
          static_cast<unsigned char>(xml[bad]), bad, text_position(xml, static_cast<ptrdiff_t>(bad)));
  if (const size_t at = find_doctype(xml); at != std::string_view::npos)
    raise(ErrorCode::kModel, "{}: DOCTYPE/ENTITY declarations are not allowed ({})", source,
          text_position(xml, static_cast<ptrdiff_t>(at)));

  const pugi::xml_parse_result result =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
  if (!result)
    raise(ErrorCode::kModel, "{}: XML parse error at {} (byte offset {}): {}", source,
          text_position(xml, result.offset), result.offset, result.description());

  // Iterative pre-order walk (first_child / next_sibling / parent): no recursion, so a deeply
  // nested file cannot exhaust the stack before it is rejected.
  pugi::xml_node node = doc.first_child();
  int depth = 1;
  while (node) {
    if (node.type() == pugi::node_doctype)
      raise(ErrorCode::kModel, "{}: DOCTYPE declarations are not allowed", source);
    if (node.type() == pugi::node_element) {
      if (depth > kMaxXmlDepth)
        raise(ErrorCode::kModel, "{}: nesting too deep: element <{}> at {} is more than {} levels deep",
              source, node.name(), text_position(xml, node.offset_debug()), kMaxXmlDepth);
      check_attributes(node, xml, source);
    }
    if (pugi::xml_node child = node.first_child()) {
      node = child;
      ++depth;
      continue;
    }
    while (node && node != doc && !node.next_sibling()) {
      node = node.parent();
      --depth;
    }
    if (!node || node == doc) break;
    node = node.next_sibling();
  }
}

}  // namespace octet::ir_detail
