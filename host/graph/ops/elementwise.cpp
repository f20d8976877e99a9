// Shape inference for elementwise ops: binary arithmetic with auto_broadcast, PReLU, activations and
// FakeQuantize.
#include <algorithm>

#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

// The auto_broadcast result of two input shapes. pdpd broadcasts `b` onto `a` (section 5).
Dims auto_broadcast(const Node& node, const Dims& a, const Dims& b) {
  const BinaryAttrs& spec = binary_attrs(node);
  switch (spec.broadcast) {
    case AutoBroadcast::kNone:
      if (a != b)
        raise(ErrorCode::kModel, "{}: auto_broadcast 'none' needs identical shapes, got {} and {}",
              node.describe(), to_string(a), to_string(b));
      return a;
    case AutoBroadcast::kPdpd:
      if (!pdpd_aligned(b, a, spec.pdpd_axis))
        raise(ErrorCode::kModel, "{}: shape {} does not pdpd-broadcast onto {} at axis {}", node.describe(),
              to_string(b), to_string(a), spec.pdpd_axis);
      return a;
    case AutoBroadcast::kNumpy: break;
  }
  return node_broadcast(node, a, b);
}

void infer_binary(Node& node) {
  expect_inputs(node, 2, 2);
  expect_same_type(node, 0, 1);
  if (node.input_type(0) == ElementType::kBoolean)
    raise(ErrorCode::kModel, "{}: arithmetic on boolean inputs is not defined", node.describe());
  set_single_output(node, node.input_type(0), auto_broadcast(node, node.input_shape(0), node.input_shape(1)));
}

void expect_numeric_input(const Node& node, size_t i) {
  if (node.input_type(i) == ElementType::kBoolean || node.input_type(i) == ElementType::kUndefined)
    raise(ErrorCode::kModel, "{}: input {} must be numeric, has {}", node.describe(), i,
          element_type_name(node.input_type(i)));
}

void infer_unary(Node& node, bool float_only) {
  expect_inputs(node, 1, 1);
  if (float_only)
    expect_float(node, 0);
  else
    expect_numeric_input(node, 0);
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

}  // namespace

void infer_Add(Node& node) {
  infer_binary(node);
}
void infer_Subtract(Node& node) {
  infer_binary(node);
}
void infer_Multiply(Node& node) {
  infer_binary(node);
}
void infer_Divide(Node& node) {
  infer_binary(node);
}
void infer_Maximum(Node& node) {
  infer_binary(node);
}
void infer_Minimum(Node& node) {
  infer_binary(node);
}
void infer_Power(Node& node) {
  infer_binary(node);
}
void infer_SquaredDifference(Node& node) {
  infer_binary(node);
}

// The PReLU-1 spec lists floating-point types; OpenVINO accepts integer data too (and its CPU plugin
// computes it exactly), so octet does: slope * x wraps like Multiply.
void infer_PRelu(Node& node) {
  expect_inputs(node, 2, 2);
  expect_same_type(node, 0, 1);
  expect_numeric_input(node, 0);
  const Dims& x = node.input_shape(0);
  const Dims& slope = node.input_shape(1);
  // A 1-D slope as long as the channel dim applies per channel (axis 1), not numpy-style.
  const bool per_channel = slope.size() == 1 && x.size() >= 2 && slope[0] == x[1];
  if (!per_channel && node_broadcast(node, x, slope) != x)
    raise(ErrorCode::kModel, "{}: slope shape {} does not broadcast to data shape {}", node.describe(),
          to_string(slope), to_string(x));
  set_single_output(node, node.input_type(0), x);
}

void infer_Relu(Node& node) {
  infer_unary(node, false);
}
void infer_Sigmoid(Node& node) {
  infer_unary(node, false);
}
void infer_Tanh(Node& node) {
  infer_unary(node, false);
}
// Exp-1's spec defines floating-point types only, and OpenVINO disagrees with itself on integers (its
// reference truncates e^x, its CPU plugin rounds it), so an integer Exp is refused with the reason.
void infer_Exp(Node& node) {
  expect_inputs(node, 1, 1);
  if (is_integer(node.input_type(0)))
    raise(ErrorCode::kUnsupported,
          "{}: input 0 is {}; the Exp-1 specification defines floating-point types only (OpenVINO's "
          "reference truncates e^x for integers, its CPU plugin rounds it), so octet does not guess: "
          "convert the input to a float type first",
          node.describe(), element_type_name(node.input_type(0)));
  infer_unary(node, false);
}
void infer_Sqrt(Node& node) {
  infer_unary(node, false);
}
void infer_Erf(Node& node) {
  infer_unary(node, false);
}
void infer_HSwish(Node& node) {
  infer_unary(node, true);
}
void infer_HSigmoid(Node& node) {
  infer_unary(node, true);
}

// Clamp's min <= max, Elu's alpha >= 0 and Gelu's mode are checked by their parse functions.
void infer_Clamp(Node& node) {
  infer_unary(node, false);
}

void infer_Elu(Node& node) {
  infer_unary(node, true);
}

void infer_Gelu(Node& node) {
  infer_unary(node, true);
}

void infer_Swish(Node& node) {
  expect_inputs(node, 1, 2);
  expect_float(node, 0);
  if (node.inputs.size() == 2) {
    expect_same_type(node, 0, 1);
    const Dims& beta = node.input_shape(1);
    if (beta.size() > 1 || (beta.size() == 1 && beta[0] != 1))
      raise(ErrorCode::kModel, "{}: input 1 (beta) must be a scalar, has shape {}", node.describe(),
            to_string(beta));
  }
  set_single_output(node, node.input_type(0), node.input_shape(0));
}

void infer_FakeQuantize(Node& node) {
  expect_inputs(node, 5, 5);
  expect_float(node, 0);  // levels are checked by FakeQuantizeAttrs::parse
  const bool equal_shapes = node.attr<FakeQuantizeAttrs>().broadcast == AutoBroadcast::kNone;
  const Dims& x = node.input_shape(0);
  static const char* const kRange[] = {"", "input_low", "input_high", "output_low", "output_high"};
  for (size_t i = 1; i < 5; ++i) {
    expect_same_type(node, 0, i);
    const Dims& r = node.input_shape(i);
    const bool ok = equal_shapes ? r == x : broadcasts_to(r, x);
    if (!ok)
      raise(ErrorCode::kModel, "{}: input {} ({}) of shape {} does not broadcast to data shape {}",
            node.describe(), i, kRange[i], to_string(r), to_string(x));
  }
  set_single_output(node, node.input_type(0), x);
}

}  // namespace octet
