// OpKind: the enum generated from ops.def, with IR type-name lookup and opset version resolution.
#pragma once

#include <optional>
#include <string>
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
// The op versions octet implements, each named by the opset that introduced it, ascending; empty
// for internal ops.
const std::vector<int>& op_versions(OpKind kind);

// What an IR layer's `type="T" version="opsetN"` means (OpenVINO's reader rules, from its opset
// tables in openvino_opsets.def) and whether octet implements it.
struct IrOpLookup {
  std::optional<OpKind> op;  // set only when octet implements the resolved version
  int version = 0;           // OpenVINO's op version (the opset that introduced it); 0 when none
  std::string error;         // why the layer cannot be read, when `op` is empty
};
IrOpLookup resolve_ir_op(std::string_view type, int opset);
// Why octet deliberately does not implement OpenVINO op `type` (declined_ops.def), or nullptr.
const char* declined_reason(std::string_view type);
// The version OpenVINO's opset `opset` holds for `kind`'s IR type, or nullopt when that opset has
// no such op. (A version octet does not implement may come back: compare with op_versions.)
std::optional<int> openvino_op_version(OpKind kind, int opset);

}  // namespace octet
