// Shape inference for If-8, Loop-5 and TensorIterator-1: bodies inferred with their Parameters bound
// to the node's inputs, outputs taken from the body Results (host/graph/sub_graphs.h). Only static
// shapes: an output whose shape depends on run-time data is refused (kUnsupported) with the reason.
#include <algorithm>
#include <optional>

#include "host/common/error.h"
#include "host/graph/ops/infer_util.h"
#include "host/graph/sub_graphs.h"

namespace octet {
namespace {

// Loop's trip count and current iteration are i32/i64, its conditions boolean; all hold one value
// (a scalar or a 1-D tensor of one element).
void expect_one_value(const Node& node, const Value& v, const std::string& what, bool boolean) {
  const bool type_ok =
      boolean ? v.type == ElementType::kBoolean : v.type == ElementType::kI32 || v.type == ElementType::kI64;
  if (!type_ok)
    raise(ErrorCode::kModel, "{}: {} must be {}, is {}", node.describe(), what,
          boolean ? "boolean" : "i32 or i64", element_type_name(v.type));
  if (v.shape.size() > 1 || (is_static(v.shape) && element_count(v.shape) != 1))
    raise(ErrorCode::kModel, "{}: {} must hold one value (a scalar or [1]), has shape {}", node.describe(),
          what, to_string(v.shape));
}

void infer_body(const Node& node, const Body& body) {
  bind_body_parameters(node, body);
  try {
    infer_shapes(*body.graph);
  } catch (const Error& e) {
    rethrow_with_context(e, fmt::format("{} {}", node.describe(), body.label));
  }
}

std::string body_node_name(const Node* n) {
  return n->ir_id >= 0 ? fmt::format("'{}' (id {})", n->name, n->ir_id) : fmt::format("'{}'", n->name);
}

// A value fed back by a back edge must keep its type and shape, or the body would need inferring
// again at every iteration.
void check_back_edges(const Node& node, const Body& body) {
  for (const BodyInput& in : body.inputs) {
    if (in.kind != BodyInputKind::kMerged) continue;
    const Node* p = body.graph->parameters.at(in.parameter);
    const Node* r = body.graph->results.at(in.back_edge);
    const Value& from = body_result_value(body, in.back_edge);
    const Value& to = p->outputs.at(0);
    if (from.type != to.type)
      raise(ErrorCode::kModel,
            "{}: back edge from {} Result {} to Parameter {}: the Result is {}, the Parameter {}",
            node.describe(), body.label, body_node_name(r), body_node_name(p), element_type_name(from.type),
            element_type_name(to.type));
    if (from.shape != to.shape)
      raise(
          ErrorCode::kUnsupported,
          "{}: back edge from {} Result {} to Parameter {}: the value changes shape from {} (input {}) to {} "
          "between iterations; octet needs static shapes",
          node.describe(), body.label, body_node_name(r), body_node_name(p), to_string(to.shape), in.input,
          to_string(from.shape));
  }
}

// The iteration count when it is known before run time; otherwise why not.
struct IterationCount {
  std::optional<int64_t> count;
  std::string unknown_because;
};

// The value of Loop's body condition when it is the same at every iteration: a Constant, or a
// Parameter fed by a constant input (invariant, or merged with a back edge from the condition itself).
std::optional<bool> constant_body_condition(const Node& node, const SubGraphs& s) {
  const Body& body = s.bodies[0];
  const Output src = body.graph->results.at(static_cast<size_t>(s.condition))->inputs.at(0);
  if (src.node->op == OpKind::kConstant && src.node->constant && src.node->constant->element_count() == 1)
    return src.node->constant->get_as_int64(0) != 0;
  if (src.node->op != OpKind::kParameter) return std::nullopt;
  for (const BodyInput& in : body.inputs) {
    if (body.graph->parameters.at(in.parameter) != src.node) continue;
    const Tensor* c = node.input_constant(in.input);
    if (!c || c->element_count() != 1) return std::nullopt;
    if (in.kind == BodyInputKind::kInvariant ||
        (in.kind == BodyInputKind::kMerged && in.back_edge == static_cast<size_t>(s.condition)))
      return c->get_as_int64(0) != 0;
  }
  return std::nullopt;
}

IterationCount loop_iterations(const Node& node, const SubGraphs& s) {
  const Tensor* trip = node.input_constant(0);
  const Tensor* exec = node.input_constant(1);
  if ((exec && exec->get_as_int64(0) == 0) || (trip && trip->get_as_int64(0) == 0)) return {0, {}};
  if (!exec) return {std::nullopt, "the execution condition (input 1) is not constant"};
  const std::optional<bool> go_on = constant_body_condition(node, s);
  if (!go_on) return {std::nullopt, "the body's condition Result is computed at run time"};
  if (!*go_on) {
    if (!trip) return {std::nullopt, "the trip count (input 0) is not constant"};
    return {1, {}};
  }
  if (!trip) return {std::nullopt, "the trip count (input 0) is not constant"};
  const int64_t n = trip->get_as_int64(0);
  if (n < 0)
    raise(ErrorCode::kModel, "{}: never stops: trip count {} and a body condition that is always true",
          node.describe(), n);
  if (n > kMaxLoopIterations)
    raise(ErrorCode::kUnsupported, "{}: trip count {} is above octet's limit of {} iterations",
          node.describe(), n, kMaxLoopIterations);
  return {n, {}};
}

// Output types and shapes from the body values; concatenated outputs need the iteration count.
void set_loop_outputs(Node& node, const Body& body, const IterationCount& iterations) {
  size_t count = node.outputs.size();
  for (const BodyOutput& o : body.outputs) count = std::max(count, o.output + 1);
  set_outputs(node, count);
  for (const BodyOutput& o : body.outputs) {
    const Value& v = body_result_value(body, o.result);
    Value& out = node.outputs[o.output];
    out.type = v.type;
    out.shape = v.shape;
    if (o.kind == BodyOutputKind::kConcat) {
      if (out.shape.empty()) out.shape = {1};  // scalars are joined as [1] each
      const size_t axis = static_cast<size_t>(concat_axis(node, o, v.shape));
      if (!iterations.count) {
        if (iterations.unknown_because.empty()) {
          out.shape[axis] = kDynamicDim;
        } else {
          raise(
              ErrorCode::kUnsupported,
              "{}: output {} joins the values of every iteration, and the number of iterations is only known "
              "at run time ({}); octet needs static shapes",
              node.describe(), o.output, iterations.unknown_because);
        }
      } else if (out.shape[axis] >= 0) {
        out.shape[axis] *= *iterations.count;  // count <= kMaxLoopIterations: no overflow
      }
    }
    check_output_shape(node, out.shape);
  }
}

// Sliced inputs and the parts they hold; nullopt where an input dim is still dynamic.
std::optional<int64_t> check_sliced_inputs(const Node& node, const Body& body,
                                           std::optional<int64_t> iterations) {
  std::optional<int64_t> parts;
  for (const BodyInput& in : body.inputs) {
    if (in.kind != BodyInputKind::kSliced) continue;
    const Dims& shape = node.input_shape(in.input);
    const SliceWalk w = slice_walk(node, in, shape);
    if (shape[static_cast<size_t>(w.axis)] < 0) return std::nullopt;
    if (iterations && *iterations > w.count)
      raise(ErrorCode::kModel, "{}: runs {} iterations, but sliced input {} holds only {} parts",
            node.describe(), *iterations, in.input, w.count);
    if (parts && *parts != w.count)
      raise(ErrorCode::kModel, "{}: sliced inputs hold different numbers of parts ({} and {} at input {})",
            node.describe(), *parts, w.count, in.input);
    parts = w.count;
  }
  return parts;
}

}  // namespace

void infer_If(Node& node) {
  expect_inputs(node, 1, SIZE_MAX);
  const SubGraphs& s = sub_graphs(node);
  if (s.bodies.size() != 2) raise(ErrorCode::kInternal, "{}: If needs two bodies", node.describe());
  expect_one_value(node, node.input_value(0), "input 0 (condition)", true);
  for (const Body& body : s.bodies) infer_body(node, body);
  size_t count = node.outputs.size();
  for (const Body& body : s.bodies)
    for (const BodyOutput& o : body.outputs) count = std::max(count, o.output + 1);
  std::vector<const Value*> values[2];
  for (size_t b = 0; b < 2; ++b) {
    values[b].assign(count, nullptr);
    for (const BodyOutput& o : s.bodies[b].outputs)
      values[b][o.output] = &body_result_value(s.bodies[b], o.result);
  }
  set_outputs(node, count);
  const Tensor* cond = node.input_constant(0);
  for (size_t k = 0; k < count; ++k) {
    if (!values[0][k] || !values[1][k])
      raise(ErrorCode::kModel, "{}: output {} is given by no Result of {}", node.describe(), k,
            values[0][k] ? s.bodies[1].label : s.bodies[0].label);
    const Value& then_v = *values[0][k];
    const Value& else_v = *values[1][k];
    if (cond) {
      const Value& v = cond->get_as_int64(0) != 0 ? then_v : else_v;
      node.outputs[k].type = v.type;
      node.outputs[k].shape = v.shape;
      continue;
    }
    if (then_v.type != else_v.type)
      raise(ErrorCode::kModel, "{}: output {} is {} from then_body but {} from else_body", node.describe(), k,
            element_type_name(then_v.type), element_type_name(else_v.type));
    if (then_v.shape != else_v.shape)
      raise(ErrorCode::kUnsupported,
            "{}: output {} is {} from then_body but {} from else_body, and the condition (input 0) is only "
            "known "
            "at run time; octet needs static shapes",
            node.describe(), k, to_string(then_v.shape), to_string(else_v.shape));
    node.outputs[k].type = then_v.type;
    node.outputs[k].shape = then_v.shape;
  }
}

void infer_Loop(Node& node) {
  expect_inputs(node, 2, SIZE_MAX);
  const SubGraphs& s = sub_graphs(node);
  if (s.bodies.size() != 1 || s.condition < 0)
    raise(ErrorCode::kInternal, "{}: Loop needs one body and a condition Result", node.describe());
  const Body& body = s.bodies[0];
  expect_one_value(node, node.input_value(0), "input 0 (trip count)", false);
  expect_one_value(node, node.input_value(1), "input 1 (execution condition)", true);
  infer_body(node, body);
  if (s.current_iteration >= 0) {
    const Node* p = body.graph->parameters.at(static_cast<size_t>(s.current_iteration));
    expect_one_value(node, p->outputs.at(0),
                     fmt::format("body Parameter {} (current iteration)", body_node_name(p)), false);
  }
  const Node* cond = body.graph->results.at(static_cast<size_t>(s.condition));
  expect_one_value(node, body_result_value(body, static_cast<size_t>(s.condition)),
                   fmt::format("body Result {} (execution condition)", body_node_name(cond)), true);
  check_back_edges(node, body);
  const IterationCount iterations = loop_iterations(node, s);
  check_sliced_inputs(node, body, iterations.count);
  set_loop_outputs(node, body, iterations);
}

void infer_TensorIterator(Node& node) {
  const SubGraphs& s = sub_graphs(node);
  if (s.bodies.size() != 1) raise(ErrorCode::kInternal, "{}: TensorIterator needs one body", node.describe());
  const Body& body = s.bodies[0];
  bool sliced = false;
  for (const BodyInput& in : body.inputs) sliced = sliced || in.kind == BodyInputKind::kSliced;
  if (!sliced)
    raise(ErrorCode::kUnsupported,
          "{}: has no sliced input, so no input says how many iterations it runs (octet reads the count from "
          "the sliced inputs)",
          node.describe());
  infer_body(node, body);
  check_back_edges(node, body);
  IterationCount iterations;
  iterations.count = check_sliced_inputs(node, body, std::nullopt);  // nullopt: a dynamic input dim
  set_loop_outputs(node, body, iterations);
}

}  // namespace octet
