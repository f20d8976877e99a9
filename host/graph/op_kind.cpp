// Tables behind OpKind, generated from ops.def.
#include "host/graph/op_kind.h"

#include <cctype>
#include <string>

#include "host/common/text.h"

namespace octet {
namespace {

struct OpInfo {
  const char* name;
  const char* ir_type;
  std::vector<int> versions;
};

std::vector<int> parse_versions(const char* text) {
  std::vector<int> versions;
  int value = -1;
  for (const char* p = text;; ++p) {
    if (*p >= '0' && *p <= '9') {
      value = (value < 0 ? 0 : value * 10) + (*p - '0');
    } else {
      if (value >= 0) versions.push_back(value);
      value = -1;
      if (*p == '\0') break;
    }
  }
  return versions;
}

const std::vector<OpInfo>& table() {
  static const std::vector<OpInfo> kTable = {
#define OCTET_OP(name, ir_type, versions, attrs) {#name, ir_type, parse_versions(versions)},
#include "host/graph/ops.def"
#undef OCTET_OP
  };
  return kTable;
}

}  // namespace

const char* op_name(OpKind kind) {
  const auto i = static_cast<size_t>(kind);
  return i < table().size() ? table()[i].name : "?";
}

std::optional<OpKind> op_from_ir_type(std::string_view type) {
  const std::string wanted = lower(type);
  if (wanted.empty()) return std::nullopt;
  const auto& ops = table();
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].versions.empty()) continue;  // internal
    if (wanted == lower(ops[i].ir_type) || wanted == lower(ops[i].name)) return static_cast<OpKind>(i);
  }
  if (wanted == "constant") return OpKind::kConstant;
  return std::nullopt;
}

const std::vector<int>& op_versions(OpKind kind) {
  return table()[static_cast<size_t>(kind)].versions;
}

std::optional<int> resolve_op_version(OpKind kind, int opset) {
  // OpenVINO's opset1 registers LogicalXor-1, whose class names itself "opset2" (what its serializer
  // writes and ops.def lists); an IR saying opset1 means the same op.
  if (kind == OpKind::kLogicalXor && opset == 1) opset = 2;
  std::optional<int> best;
  for (int v : op_versions(kind))
    if (v <= opset) best = v;
  return best;
}

}  // namespace octet
