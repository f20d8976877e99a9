// Tables behind OpKind, generated from ops.def.
#include "host/graph/op_kind.h"

#include <fmt/format.h>

#include <algorithm>
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
  // A line for other versions of an op (MVN1 beside MVN) displays as the op's first line, which is
  // also OpenVINO's type name for every version.
  static const std::vector<const char*> kNames = [] {
    const auto& ops = table();
    std::vector<const char*> names;
    for (const OpInfo& op : ops) {
      const char* name = op.name;
      for (const OpInfo& first : ops) {
        if (!op.versions.empty() && !first.versions.empty() && lower(first.ir_type) == lower(op.ir_type)) {
          name = first.name;
          break;
        }
      }
      names.push_back(name);
    }
    return names;
  }();
  const auto i = static_cast<size_t>(kind);
  return i < kNames.size() ? kNames[i] : "?";
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

namespace {

// OpenVINO's opset tables: one row per op class, identified by the opset its serializer writes.
struct OvOpRow {
  const char* type;
  int version;
  const char* opsets;  // "1-13,15"
};

constexpr OvOpRow kOpenVinoOps[] = {
#define OCTET_OV_OP(type, version, opsets) {type, version, opsets},
#include "host/graph/openvino_opsets.def"
#undef OCTET_OV_OP
};

bool in_ranges(const char* ranges, int n) {
  int lo = 0, value = -1;
  for (const char* p = ranges;; ++p) {
    if (*p >= '0' && *p <= '9') {
      value = (value < 0 ? 0 : value * 10) + (*p - '0');
    } else if (*p == '-') {
      lo = value;
      value = -1;
    } else {
      if (value >= 0 && n >= (lo > 0 ? lo : value) && n <= value) return true;
      lo = 0;
      value = -1;
      if (*p == '\0') return false;
    }
  }
}

// OpenVINO's class name for an IR type: the IR spells some ops differently (Const, ReLU, SoftMax,
// PReLU); octet's enum names are OpenVINO's class names.
std::string openvino_type_name(std::string_view type) {
  if (const auto kind = op_from_ir_type(type)) return lower(op_name(*kind));
  return lower(type);
}

// The versions octet implements of an IR type, over all its ops.def lines.
struct DeclinedOp {
  const char* type;
  const char* reason;
};

constexpr DeclinedOp kDeclinedOps[] = {
#define OCTET_DECLINED(type, reason) {type, reason},
#include "host/graph/declined_ops.def"
#undef OCTET_DECLINED
};

std::string implemented_list(const std::string& ir_type) {
  std::string list;
  for (size_t i = 0; i < table().size(); ++i) {
    if (lower(table()[i].ir_type) != ir_type) continue;
    for (int v : table()[i].versions)
      list += fmt::format("{}{}-{}", list.empty() ? "" : ", ", op_name(static_cast<OpKind>(i)), v);
  }
  return list;
}

}  // namespace

const char* declined_reason(std::string_view type) {
  const std::string wanted = lower(type);
  for (const DeclinedOp& d : kDeclinedOps)
    if (lower(d.type) == wanted) return d.reason;
  return nullptr;
}

std::optional<int> openvino_op_version(OpKind kind, int opset) {
  const std::string wanted = lower(op_name(kind));
  for (const OvOpRow& row : kOpenVinoOps)
    if (lower(row.type) == wanted && in_ranges(row.opsets, opset)) return row.version;
  return std::nullopt;
}

IrOpLookup resolve_ir_op(std::string_view type, int opset) {
  IrOpLookup result;
  const std::string wanted = openvino_type_name(type);
  bool known_to_openvino = false;
  for (const OvOpRow& row : kOpenVinoOps) {
    if (lower(row.type) != wanted) continue;
    known_to_openvino = true;
    if (in_ranges(row.opsets, opset)) result.version = row.version;
  }
  const auto kind = op_from_ir_type(type);
  if (!known_to_openvino) {
    result.error = kind ? fmt::format("op '{}' is not in OpenVINO's opsets", type)
                        : fmt::format(
                              "op '{}' is not an OpenVINO opset op octet knows (an extension or a "
                              "custom op?)",
                              type);
    return result;
  }
  if (result.version == 0) {
    result.error = fmt::format("OpenVINO's opset{} has no op '{}'", opset, type);
    return result;
  }
  if (!kind) {
    result.error = fmt::format("op {}-{} (opset{}) is not supported by octet", type, result.version, opset);
    if (const char* why = declined_reason(type)) result.error += fmt::format(": {}", why);
    return result;
  }
  // An op whose versions differ in inputs and attributes can have one ops.def line per version
  // (MVN1 beside MVN): the line that implements the resolved version.
  const auto& ops = table();
  const std::string ir_type = lower(ops[static_cast<size_t>(*kind)].ir_type);
  for (size_t i = 0; i < ops.size(); ++i) {
    if (lower(ops[i].ir_type) != ir_type) continue;
    const auto& implemented = ops[i].versions;
    if (std::find(implemented.begin(), implemented.end(), result.version) != implemented.end()) {
      result.op = static_cast<OpKind>(i);
      return result;
    }
  }
  result.error = fmt::format("op {}-{} (opset{}) is not supported by octet, which implements {}",
                             op_name(*kind), result.version, opset, implemented_list(ir_type));
  return result;
}

}  // namespace octet
