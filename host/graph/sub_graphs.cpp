// Accessors of the sub-graph payload, body Parameter binding and the slicing arithmetic shared by
// shape inference and the reference evaluators.
#include "host/graph/sub_graphs.h"

#include <algorithm>
#include <cstdlib>

#include "host/common/error.h"

namespace octet {

bool is_sub_graph_op(OpKind op) {
  return op == OpKind::kIf || op == OpKind::kLoop || op == OpKind::kTensorIterator;
}

const SubGraphs& sub_graphs(const Node& node) {
  if (!is_sub_graph_op(node.op) || !node.payload)
    raise(ErrorCode::kInternal, "{}: has no sub-graph bodies (made outside the IR reader?)", node.describe());
  return *static_cast<const SubGraphs*>(node.payload.get());
}

const Value& body_result_value(const Body& body, size_t result) {
  return body.graph->results.at(result)->input_value(0);
}

SliceWalk slice_walk(const Node& node, const BodyInput& input, const Dims& input_shape) {
  const PortSlicing& s = input.slicing;
  const int64_t rank = static_cast<int64_t>(input_shape.size());
  if (s.axis < -rank || s.axis >= rank)
    raise(ErrorCode::kModel, "{}: sliced input {} has axis {}, outside its rank {} (shape {})",
          node.describe(), input.input, s.axis, rank, to_string(input_shape));
  SliceWalk w;
  w.axis = s.axis < 0 ? s.axis + rank : s.axis;
  w.part = s.part_size;
  if (s.stride == 0 || s.part_size < 1)
    raise(ErrorCode::kModel, "{}: sliced input {} has stride {} and part_size {}", node.describe(),
          input.input, s.stride, s.part_size);
  // OpenVINO's shape inference gives the body part_size elements and counts |end - start| + 1 of
  // them per part; its CPU plugin steps by |stride| and gives the body |stride| elements. Only where
  // the two agree is the meaning clear.
  if (std::llabs(s.stride) != s.part_size)
    raise(ErrorCode::kUnsupported,
          "{}: sliced input {} has stride {} and part_size {}; octet slices only with |stride| = part_size "
          "(OpenVINO's shape inference and its CPU plugin read other combinations differently)",
          node.describe(), input.input, s.stride, s.part_size);
  const int64_t dim = input_shape[static_cast<size_t>(w.axis)];
  if (dim < 0) return w;  // dynamic: nothing to count yet
  const int64_t start = s.start < 0 ? dim + s.start : s.start;
  const int64_t end = s.end < 0 ? dim + s.end : s.end;
  if (start < 0 || start >= dim || end < 0 || end >= dim)
    raise(ErrorCode::kModel,
          "{}: sliced input {}: start {} and end {} are outside its axis {} of {} elements", node.describe(),
          input.input, s.start, s.end, w.axis, dim);
  if ((s.stride > 0 && start > end) || (s.stride < 0 && start < end))
    raise(ErrorCode::kModel, "{}: sliced input {}: start {} and end {} run against stride {}",
          node.describe(), input.input, s.start, s.end, s.stride);
  // Both ends are included: parts go from start towards end, the first part ending (reverse:
  // beginning) at start.
  w.count = (std::llabs(end - start) + 1) / w.part;
  w.first = s.stride > 0 ? start : start - w.part + 1;
  w.step = s.stride > 0 ? w.part : -w.part;
  if (w.count == 0)
    raise(ErrorCode::kModel, "{}: sliced input {}: elements {} to {} of axis {} hold no part of {} elements",
          node.describe(), input.input, start, end, w.axis, w.part);
  return w;
}

int64_t concat_axis(const Node& node, const BodyOutput& output, const Dims& body_value_shape) {
  const int64_t rank = std::max<int64_t>(static_cast<int64_t>(body_value_shape.size()), 1);
  const int64_t axis = output.slicing.axis;
  if (axis < -rank || axis >= rank)
    raise(ErrorCode::kModel,
          "{}: concatenated output {} has axis {}, outside the rank {} of its body value {}", node.describe(),
          output.output, axis, rank, to_string(body_value_shape));
  return axis < 0 ? axis + rank : axis;
}

void bind_body_parameters(const Node& node, const Body& body) {
  const Graph& g = *body.graph;
  for (const BodyInput& in : body.inputs) {
    if (in.input >= node.inputs.size() || in.parameter >= g.parameters.size())
      raise(ErrorCode::kInternal, "{}: {} port map refers to input {} / parameter {} out of range",
            node.describe(), body.label, in.input, in.parameter);
    Node* p = g.parameters[in.parameter];
    if (p->outputs.size() != 1)
      raise(ErrorCode::kModel, "{}: {} Parameter '{}' must have one output", node.describe(), body.label,
            p->name);
    const Value& outer = node.input_value(in.input);
    Value& value = p->outputs[0];
    if (value.type != ElementType::kUndefined && value.type != outer.type)
      raise(ErrorCode::kModel, "{}: {} Parameter '{}' (id {}) is {} but input {} feeding it is {}",
            node.describe(), body.label, p->name, p->ir_id, element_type_name(value.type), in.input,
            element_type_name(outer.type));
    value.type = outer.type;
    Dims shape = outer.shape;
    if (in.kind == BodyInputKind::kSliced) {
      const SliceWalk w = slice_walk(node, in, shape);
      shape[static_cast<size_t>(w.axis)] = w.part;
    }
    value.shape = std::move(shape);
  }
  const SubGraphs& s = sub_graphs(node);
  if (s.current_iteration >= 0 && &body == &s.bodies.at(0)) {
    Value& it = g.parameters.at(static_cast<size_t>(s.current_iteration))->outputs.at(0);
    if (!is_static(it.shape)) it.shape = {1};  // as OpenVINO's reference does
  }
}

}  // namespace octet
