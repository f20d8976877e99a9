// Shared helpers for shape inference (see infer_util.h).
#include "host/graph/ops/infer_util.h"

#include <algorithm>
#include <deque>
#include <map>

#include "host/common/error.h"

namespace octet {

namespace {

std::string quoted(const Node& n) {
  return "'" + n.name + "'";
}

}  // namespace

std::string value_dependency(const Node& node, size_t i) {
  const Node* start = node.inputs.at(i).node;
  // Breadth-first from the producer back through value edges (ShapeOf reads only its input's shape,
  // so it is not followed) to the nearest model input; `via` records each node's successor on the
  // way to `start`, from which the path is read forwards.
  std::map<const Node*, const Node*> via{{start, nullptr}};
  std::deque<const Node*> queue{start};
  const Node* source = nullptr;
  const Node* opaque = nullptr;  // a node with only constant inputs that was not folded
  while (!queue.empty() && !source) {
    const Node* n = queue.front();
    queue.pop_front();
    if (n->op == OpKind::kParameter) {
      source = n;
      break;
    }
    if (n->op == OpKind::kShapeOf) continue;
    bool any = false;
    for (const Output& in : n->inputs) {
      if (!in.node || in.node->op == OpKind::kConstant) continue;
      any = true;
      if (via.emplace(in.node, n).second) queue.push_back(in.node);
    }
    if (!any && !opaque) opaque = n;
  }
  if (!source) {
    const Node* n = opaque ? opaque : start;
    return fmt::format("it is computed by {}, which octet did not fold into a constant", n->describe());
  }
  std::string path;
  for (const Node* n = via.at(source); n; n = via.at(n)) path += (path.empty() ? "" : " -> ") + quoted(*n);
  if (path.empty()) return fmt::format("it is the values of model input {}", quoted(*source));
  return fmt::format("it depends on the values of model input {} through {}", quoted(*source), path);
}

const Tensor& constant_input(const Node& node, size_t i, const char* what) {
  if (i >= node.inputs.size())
    raise(ErrorCode::kModel, "{}: input {} ({}) is missing", node.describe(), i, what);
  const Tensor* t = node.input_constant(i);
  if (!t)
    raise(ErrorCode::kUnsupported,
          "{}: input {} ({}) must be constant: {}; octet needs it at compile time: static shapes only "
          "(shape, axes, pads, scales, sizes and k inputs must follow from constants and the input shapes)",
          node.describe(), i, what, value_dependency(node, i));
  return *t;
}

std::vector<int64_t> constant_ints(const Node& node, size_t i, const char* what) {
  const Tensor& t = constant_input(node, i, what);
  if (!is_integer(t.type()))
    raise(ErrorCode::kModel, "{}: input {} ({}) must have an integer type, has {}", node.describe(), i, what,
          element_type_name(t.type()));
  return t.to_int64_vector();
}

std::vector<double> constant_doubles(const Node& node, size_t i, const char* what) {
  const Tensor& t = constant_input(node, i, what);
  if (t.type() == ElementType::kBoolean || t.type() == ElementType::kUndefined)
    raise(ErrorCode::kModel, "{}: input {} ({}) must be numeric, has {}", node.describe(), i, what,
          element_type_name(t.type()));
  std::vector<double> v(static_cast<size_t>(t.element_count()));
  for (int64_t k = 0; k < t.element_count(); ++k) v[static_cast<size_t>(k)] = t.get_as_double(k);
  return v;
}

int64_t constant_scalar_int(const Node& node, size_t i, const char* what) {
  const std::vector<int64_t> v = constant_ints(node, i, what);
  if (v.size() != 1 || node.input_shape(i).size() > 1)
    raise(ErrorCode::kModel, "{}: input {} ({}) must hold one value, has shape {}", node.describe(), i, what,
          to_string(node.input_shape(i)));
  return v[0];
}

int64_t node_axis(const Node& node, int64_t axis, int64_t rank, const char* what) {
  if (axis < -rank || axis >= rank)
    raise(ErrorCode::kModel, "{}: {} {} is out of range for rank {}", node.describe(), what, axis, rank);
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> node_axes(const Node& node, const std::vector<int64_t>& axes, int64_t rank,
                               const char* what, bool unique) {
  std::vector<int64_t> out;
  out.reserve(axes.size());
  for (int64_t a : axes) {
    const int64_t n = node_axis(node, a, rank, what);
    if (unique && std::find(out.begin(), out.end(), n) != out.end())
      raise(ErrorCode::kModel, "{}: {} lists axis {} more than once (value {})", node.describe(), what, n, a);
    out.push_back(n);
  }
  return out;
}

void expect_rank(const Node& node, size_t input, size_t min_rank, size_t max_rank) {
  const size_t r = node.input_shape(input).size();
  if (r < min_rank || r > max_rank) {
    if (min_rank == max_rank)
      raise(ErrorCode::kModel, "{}: input {} must have rank {}, has shape {}", node.describe(), input,
            min_rank, to_string(node.input_shape(input)));
    raise(ErrorCode::kModel, "{}: input {} must have rank {} to {}, has shape {}", node.describe(), input,
          min_rank, max_rank, to_string(node.input_shape(input)));
  }
}

void expect_same_type(const Node& node, size_t a, size_t b) {
  if (node.input_type(a) != node.input_type(b))
    raise(ErrorCode::kModel, "{}: inputs {} and {} must have the same element type, have {} and {}",
          node.describe(), a, b, element_type_name(node.input_type(a)),
          element_type_name(node.input_type(b)));
}

void expect_float(const Node& node, size_t i) {
  if (!is_float(node.input_type(i)))
    raise(ErrorCode::kModel, "{}: input {} must have a floating-point type, has {}", node.describe(), i,
          element_type_name(node.input_type(i)));
}

void expect_integer(const Node& node, size_t i, const char* what) {
  if (!is_integer(node.input_type(i)))
    raise(ErrorCode::kModel, "{}: input {} ({}) must have an integer type, has {}", node.describe(), i, what,
          element_type_name(node.input_type(i)));
}

Dims node_broadcast(const Node& node, const Dims& a, const Dims& b) {
  Dims out;
  try {
    out = broadcast_shapes(a, b);
  } catch (const Error& e) {
    rethrow_with_context(e, node.describe());
  }
  // A dynamic dim against a static one > 1 can only broadcast to that static dim (broadcast_shapes
  // leaves it dynamic).
  for (size_t i = 0; i < out.size(); ++i) {
    const size_t ia = i + a.size(), ib = i + b.size();
    const int64_t da = ia >= out.size() ? a[ia - out.size()] : 1;
    const int64_t db = ib >= out.size() ? b[ib - out.size()] : 1;
    if (out[i] < 0) out[i] = std::max(da, db) > 1 ? std::max(da, db) : kDynamicDim;
  }
  return out;
}

bool broadcasts_to(const Dims& from, const Dims& to) {
  if (from.size() > to.size()) return false;
  const size_t offset = to.size() - from.size();
  for (size_t i = 0; i < from.size(); ++i) {
    const int64_t f = from[i], t = to[offset + i];
    if (f != 1 && f != t && f >= 0 && t >= 0) return false;
  }
  return true;
}

std::optional<Dims> pdpd_aligned(const Dims& from, const Dims& to, int64_t axis) {
  const int64_t rank = static_cast<int64_t>(to.size());
  if (axis == -1) axis = rank - static_cast<int64_t>(from.size());
  size_t kept = from.size();
  while (kept > 0 && from[kept - 1] == 1) --kept;
  if (axis < 0 || axis + static_cast<int64_t>(kept) > rank) return std::nullopt;
  Dims aligned(to.size(), 1);
  for (size_t i = 0; i < kept; ++i) {
    const int64_t f = from[i], t = to[static_cast<size_t>(axis) + i];
    if (f != 1 && f != t && f >= 0 && t >= 0) return std::nullopt;
    aligned[static_cast<size_t>(axis) + i] = f;
  }
  return aligned;
}

void check_output_shape(const Node& node, const Dims& dims) {
  for (int64_t d : dims) {
    if (d < kDynamicDim)
      raise(ErrorCode::kModel, "{}: inferred output shape {} has a negative dimension", node.describe(),
            to_string(dims));
  }
  if (!is_static(dims)) return;
  try {
    element_count(dims);
  } catch (const Error& e) {
    rethrow_with_context(e, node.describe());
  }
}

void set_single_output(Node& node, ElementType type, Dims shape) {
  check_output_shape(node, shape);
  set_outputs(node, 1);
  node.outputs[0].type = type;
  node.outputs[0].shape = std::move(shape);
}

std::string list_string(const std::vector<int64_t>& values) {
  std::string s = "[";
  for (size_t i = 0; i < values.size() && i < 64; ++i) s += (i ? "," : "") + std::to_string(values[i]);
  return s + (values.size() > 64 ? ",...]" : "]");
}

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

int64_t ceil_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && a > 0) ? q + 1 : q;
}

}  // namespace octet
