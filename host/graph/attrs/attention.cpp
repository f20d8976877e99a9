// Parse functions of the attention, einsum and signal attribute structs (attention.h).
#include <algorithm>

#include "host/common/error.h"
#include "host/graph/graph.h"
#include "host/graph/op_attrs.h"

namespace octet {
namespace {

Dims positive_list(AttrReader& r, const char* key) {
  Dims v = r.i64_list(key);
  for (int64_t x : v)
    if (x <= 0 || x > kMaxDim) r.fail(key, fmt::format("has non-positive or huge value {}", x));
  return v;
}

Dims non_negative_list(AttrReader& r, const char* key, bool required) {
  Dims v = required ? r.i64_list(key) : r.i64_list_or(key, {});
  for (int64_t x : v)
    if (x < 0 || x > kMaxDim) r.fail(key, fmt::format("has invalid value {}", x));
  return v;
}

int label_number(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return 26 + (c - 'a');
  return -2;
}

// One subscript: letters and at most one "..." (kEllipsis); `equation` is the attribute text.
std::vector<int> parse_subscript(AttrReader& r, const std::string& text, const char* side) {
  std::vector<int> labels;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "...") == 0) {
      if (std::count(labels.begin(), labels.end(), EinsumAttrs::kEllipsis) > 0)
        r.fail("equation", fmt::format("{} subscript '{}' has more than one ellipsis", side, text));
      labels.push_back(EinsumAttrs::kEllipsis);
      i += 3;
      continue;
    }
    const int label = label_number(text[i]);
    if (label < 0)
      r.fail("equation", fmt::format("{} subscript '{}' holds '{}'; labels are letters A-Z, a-z or one '...'",
                                     side, text, text[i]));
    labels.push_back(label);
    ++i;
  }
  return labels;
}

}  // namespace

std::string einsum_label_name(int label) {
  if (label == EinsumAttrs::kEllipsis) return "...";
  return std::string(1, static_cast<char>(label < 26 ? 'A' + label : 'a' + (label - 26)));
}

SdpaAttrs SdpaAttrs::parse(AttrReader& r) {
  return {r.boolean("causal")};
}

ConvBackpropAttrs ConvBackpropAttrs::parse(AttrReader& r) {
  ConvBackpropAttrs a;
  a.auto_pad = r.choice_or<AutoPad>("auto_pad",
                                    {{"explicit", AutoPad::kExplicit},
                                     {"notset", AutoPad::kExplicit},
                                     {"valid", AutoPad::kValid},
                                     {"same_upper", AutoPad::kSameUpper},
                                     {"same_lower", AutoPad::kSameLower}},
                                    AutoPad::kExplicit);
  // Other auto_pad modes compute the pads (the serializer writes zeros then).
  const bool explicit_pads = a.auto_pad == AutoPad::kExplicit;
  a.strides = positive_list(r, "strides");
  a.dilations = positive_list(r, "dilations");
  a.pads_begin = non_negative_list(r, "pads_begin", explicit_pads);
  a.pads_end = non_negative_list(r, "pads_end", explicit_pads);
  a.output_padding = non_negative_list(r, "output_padding", false);
  return a;
}

EinsumAttrs EinsumAttrs::parse(AttrReader& r) {
  EinsumAttrs a;
  a.equation = r.str("equation");
  // The spec allows blanks anywhere they can be removed without changing the meaning.
  std::string eq;
  for (char c : a.equation)
    if (c != ' ') eq.push_back(c);
  const size_t arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  if (arrow != std::string::npos && eq.find("->", arrow + 2) != std::string::npos)
    r.fail("equation", "has more than one '->'");
  for (size_t start = 0;;) {
    const size_t comma = lhs.find(',', start);
    a.inputs.push_back(parse_subscript(r, lhs.substr(start, comma - start), "input"));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  int count[52] = {};
  bool any_ellipsis = false;
  for (const auto& in : a.inputs)
    for (int l : in) {
      if (l == kEllipsis)
        any_ellipsis = true;
      else
        ++count[l];
    }
  if (arrow == std::string::npos) {
    if (any_ellipsis) a.output.push_back(kEllipsis);
    for (int l = 0; l < 52; ++l)
      if (count[l] == 1) a.output.push_back(l);
    return a;
  }
  a.output = parse_subscript(r, eq.substr(arrow + 2), "output");
  bool seen[52] = {};
  for (int l : a.output) {
    if (l == kEllipsis) continue;
    if (count[l] == 0)
      r.fail("equation",
             fmt::format("output label '{}' is not in any input subscript", einsum_label_name(l)));
    // The spec gives a repeated output label no meaning (numpy and OpenVINO refuse it too).
    if (seen[l])
      raise(ErrorCode::kUnsupported, "{}: attribute 'equation' = '{}': output label '{}' appears twice",
            r.node().describe(), a.equation, einsum_label_name(l));
    seen[l] = true;
  }
  return a;
}

}  // namespace octet
