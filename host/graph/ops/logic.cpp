// Shape and type inference for the comparison, logical, bitwise, Select and further elementwise math
// ops (Abs ... IsFinite): element types per the OpenVINO op specifications, auto_broadcast per
// ElementwiseAttrs (numpy, none, pdpd with its axis).
#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

const char* type_name(ElementType t) {
  return element_type_name(t);
}

// B broadcast onto A under the pdpd rule (broadcast-rules.rst): B's trailing-1-trimmed shape matches a
// contiguous run of A's dims starting at `axis` (-1: rank(A) - rank(B)); the result is A's shape.
Dims pdpd_onto(const Node& node, const Dims& a, const Dims& b, int64_t axis, const char* what) {
  const int64_t ra = static_cast<int64_t>(a.size());
  if (axis == -1) axis = ra - static_cast<int64_t>(b.size());
  size_t rb = b.size();
  while (rb > 0 && b[rb - 1] == 1) --rb;
  if (axis < 0 || axis + static_cast<int64_t>(rb) > ra)
    raise(ErrorCode::kModel, "{}: {} of shape {} does not pdpd-broadcast onto {} at axis {}", node.describe(),
          what, to_string(b), to_string(a), axis);
  for (size_t i = 0; i < rb; ++i) {
    const int64_t da = a[static_cast<size_t>(axis) + i];
    if (b[i] != 1 && b[i] != da && b[i] >= 0 && da >= 0)
      raise(ErrorCode::kModel, "{}: {} of shape {} does not pdpd-broadcast onto {} at axis {}",
            node.describe(), what, to_string(b), to_string(a), axis);
  }
  return a;
}

// The auto_broadcast result of two shapes; `what` names the second input in errors.
Dims broadcast_pair(const Node& node, const BinaryAttrs& attrs, const Dims& a, const Dims& b,
                    const char* what) {
  switch (attrs.broadcast) {
    case AutoBroadcast::kNone:
      if (a != b)
        raise(ErrorCode::kModel, "{}: auto_broadcast 'none' needs identical shapes, got {} and {} ({})",
              node.describe(), to_string(a), to_string(b), what);
      return a;
    case AutoBroadcast::kPdpd: return pdpd_onto(node, a, b, attrs.pdpd_axis, what);
    case AutoBroadcast::kNumpy: break;
  }
  return node_broadcast(node, a, b);
}

Dims binary_shape(const Node& node) {
  return broadcast_pair(node, node.attr<ElementwiseAttrs>(), node.input_shape(0), node.input_shape(1),
                        "input 1");
}

void expect_defined(const Node& node, size_t i) {
  if (node.input_type(i) == ElementType::kUndefined)
    raise(ErrorCode::kModel, "{}: input {} has no element type", node.describe(), i);
}

void expect_numeric(const Node& node, size_t i) {
  expect_defined(node, i);
  if (node.input_type(i) == ElementType::kBoolean)
    raise(ErrorCode::kModel, "{}: input {} must be numeric, has boolean", node.describe(), i);
}

void expect_boolean(const Node& node, size_t i, const char* what) {
  if (node.input_type(i) != ElementType::kBoolean)
    raise(ErrorCode::kModel, "{}: input {} ({}) must be boolean, has {}", node.describe(), i, what,
          type_name(node.input_type(i)));
}

void expect_integer_or_boolean(const Node& node, size_t i) {
  const ElementType t = node.input_type(i);
  if (!is_integer(t) && t != ElementType::kBoolean)
    raise(ErrorCode::kModel, "{}: input {} must be an integer or boolean type, has {}", node.describe(), i,
          type_name(t));
}

// Equal ... GreaterEqual: any element type, both inputs alike; boolean output.
void infer_comparison(Node& node) {
  expect_inputs(node, 2, 2);
  expect_defined(node, 0);
  expect_same_type(node, 0, 1);
  set_single_output(node, ElementType::kBoolean, binary_shape(node));
}

void infer_logical(Node& node) {
  expect_inputs(node, 2, 2);
  expect_boolean(node, 0, "a");
  expect_boolean(node, 1, "b");
  set_single_output(node, ElementType::kBoolean, binary_shape(node));
}

// Binary arithmetic of this family (Mod, FloorMod): numeric, both inputs alike.
void infer_arith(Node& node) {
  expect_inputs(node, 2, 2);
  expect_numeric(node, 0);
  expect_same_type(node, 0, 1);
  set_single_output(node, node.input_type(0), binary_shape(node));
}

void infer_bitwise(Node& node, bool allow_boolean) {
  expect_inputs(node, 2, 2);
  if (allow_boolean)
    expect_integer_or_boolean(node, 0);
  else
    expect_integer(node, 0, "data");
  expect_same_type(node, 0, 1);
  set_single_output(node, node.input_type(0), binary_shape(node));
}

// Unary ops that keep shape and type. kNumeric: any numeric type; kSigned: floats and signed
// integers; kFloat: floating point only.
enum class UnaryTypes { kNumeric, kSigned, kFloat };

void infer_same(Node& node, UnaryTypes types) {
  expect_inputs(node, 1, 1);
  expect_numeric(node, 0);
  const ElementType t = node.input_type(0);
  if (types == UnaryTypes::kFloat) expect_float(node, 0);
  if (types == UnaryTypes::kSigned && !is_signed(t))
    raise(ErrorCode::kModel, "{}: input 0 must be a signed type, has {}", node.describe(), type_name(t));
  set_single_output(node, t, node.input_shape(0));
}

// A parameter input of Selu/HardSigmoid: same type as the data, exactly one element.
void expect_one_value(const Node& node, size_t i, const char* what) {
  expect_same_type(node, 0, i);
  const Dims& s = node.input_shape(i);
  const int64_t n = element_count(s);
  if (s.size() > 1 || n != 1)
    raise(ErrorCode::kModel, "{}: input {} ({}) must hold one value, has shape {}", node.describe(), i, what,
          to_string(s));
}

void infer_float_class(Node& node) {
  expect_inputs(node, 1, 1);
  expect_float(node, 0);
  set_single_output(node, ElementType::kBoolean, node.input_shape(0));
}

}  // namespace

void infer_Equal(Node& node) {
  infer_comparison(node);
}
void infer_NotEqual(Node& node) {
  infer_comparison(node);
}
void infer_Less(Node& node) {
  infer_comparison(node);
}
void infer_LessEqual(Node& node) {
  infer_comparison(node);
}
void infer_Greater(Node& node) {
  infer_comparison(node);
}
void infer_GreaterEqual(Node& node) {
  infer_comparison(node);
}

void infer_LogicalAnd(Node& node) {
  infer_logical(node);
}
void infer_LogicalOr(Node& node) {
  infer_logical(node);
}
void infer_LogicalXor(Node& node) {
  infer_logical(node);
}

// The spec says boolean; OpenVINO also accepts a numeric input (output of the same type, 1 where the
// input is 0), so octet does too.
void infer_LogicalNot(Node& node) {
  expect_inputs(node, 1, 1);
  expect_defined(node, 0);
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

// numpy: then, else and cond broadcast to each other (OpenVINO merges all three, as np.where does;
// the spec's one-way cond is a subset). pdpd: else and cond broadcast onto then. none: all equal.
void infer_Select(Node& node) {
  expect_inputs(node, 3, 3);
  expect_boolean(node, 0, "cond");
  expect_defined(node, 1);
  expect_same_type(node, 1, 2);
  const auto& a = node.attr<ElementwiseAttrs>();
  Dims out = broadcast_pair(node, a, node.input_shape(1), node.input_shape(2), "input 2 (else)");
  out = a.broadcast == AutoBroadcast::kNumpy
            ? node_broadcast(node, out, node.input_shape(0))
            : broadcast_pair(node, a, out, node.input_shape(0), "input 0 (cond)");
  set_single_output(node, node.input_type(1), out);
}

void infer_Abs(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Negative(Node& node) {
  infer_same(node, UnaryTypes::kSigned);
}
void infer_Sign(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Floor(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Ceiling(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Round(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Log(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Sin(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Cos(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Tan(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Asin(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Acos(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Atan(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Sinh(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Cosh(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Asinh(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Acosh(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Atanh(Node& node) {
  infer_same(node, UnaryTypes::kNumeric);
}
void infer_Mish(Node& node) {
  infer_same(node, UnaryTypes::kFloat);
}
void infer_SoftPlus(Node& node) {
  infer_same(node, UnaryTypes::kFloat);
}
void infer_SoftSign(Node& node) {
  infer_same(node, UnaryTypes::kFloat);
}

void infer_Selu(Node& node) {
  expect_inputs(node, 3, 3);
  expect_float(node, 0);
  expect_one_value(node, 1, "alpha");
  expect_one_value(node, 2, "lambda");
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

void infer_HardSigmoid(Node& node) {
  expect_inputs(node, 3, 3);
  expect_float(node, 0);
  expect_one_value(node, 1, "alpha");
  expect_one_value(node, 2, "beta");
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

void infer_Mod(Node& node) {
  infer_arith(node);
}
void infer_FloorMod(Node& node) {
  infer_arith(node);
}

// Convert to the element type of input 1 (`like`), keeping input 0's shape.
void infer_ConvertLike(Node& node) {
  expect_inputs(node, 2, 2);
  expect_defined(node, 0);
  expect_defined(node, 1);
  set_single_output(node, node.input_type(1), node.input_shape(0));
}

void infer_BitwiseAnd(Node& node) {
  infer_bitwise(node, true);
}
void infer_BitwiseOr(Node& node) {
  infer_bitwise(node, true);
}
void infer_BitwiseXor(Node& node) {
  infer_bitwise(node, true);
}
void infer_BitwiseNot(Node& node) {
  expect_inputs(node, 1, 1);
  expect_integer_or_boolean(node, 0);
  set_single_output(node, node.input_type(0), node.input_shape(0));
}
void infer_BitwiseLeftShift(Node& node) {
  infer_bitwise(node, false);
}
void infer_BitwiseRightShift(Node& node) {
  infer_bitwise(node, false);
}

void infer_IsNaN(Node& node) {
  infer_float_class(node);
}
void infer_IsInf(Node& node) {
  infer_float_class(node);
}
void infer_IsFinite(Node& node) {
  infer_float_class(node);
}

}  // namespace octet
