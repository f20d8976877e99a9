// OpKind: the enum generated from ops.def, with IR type-name lookup and opset version resolution.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace octet {

enum class OpKind {
#define OCTET_OP(name, ir_type, versions, attrs) k##name,
#include "host/graph/ops.def"
#undef OCTET_OP
  kCount
};

// Display name ("Convolution", "QuantizedMatMul").
const char* op_name(OpKind kind);
// Finds the op for an IR `type` attribute, case-insensitively; accepts both OpenVINO's IR spellings
// and its model spellings (Const/Constant, ReLU/Relu, SoftMax/Softmax, PReLU/PRelu).
std::optional<OpKind> op_from_ir_type(std::string_view type);
// Versions (opset numbers) in which the op changed, ascending; empty for internal ops.
const std::vector<int>& op_versions(OpKind kind);
// The op version an IR `version="opsetN"` selects: the newest listed version <= N, or nullopt when
// the op does not exist in that opset.
std::optional<int> resolve_op_version(OpKind kind, int opset);

}  // namespace octet
