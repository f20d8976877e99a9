// The bodies of the sub-graph ops If-8, Loop-5 and TensorIterator-1 and the port maps joining them
// to the node: the node's payload, made by the IR reader (host/ir/ir_sub_graphs.cpp).
//
// A body is a Graph of its own. Its Parameters take their values from the node's inputs (each
// port-map input names one) and its Results give the node's outputs:
// - If runs bodies[0] (then) when its condition input is true, else bodies[1] (else), once.
// - Loop and TensorIterator run bodies[0] repeatedly. An invariant input feeds the same value to
//   every iteration; a sliced input feeds part i of the input to iteration i; a merged input feeds
//   the outer value to the first iteration and the value of a body Result (its back edge) to each
//   following one. An output is the value of the last iteration or, for a concatenated output, every
//   iteration's value joined along an axis (stride < 0: the last iteration's first).
// - Loop also has a trip count (input 0, -1 = no limit), an execution condition (input 1, whether the
//   first iteration runs), optionally a body Parameter receiving the iteration number (0, 1, ...) and
//   a body Result deciding after each iteration whether the next one runs.
//
// octet needs static shapes: shape inference (graph/ops/control_flow.cpp) binds each body Parameter
// to the type and shape of its input and infers the body with them; a value whose shape would depend
// on run-time data (a Loop concatenating over a data-dependent number of iterations, If branches of
// different shapes under a run-time condition, a back edge changing shape) is refused (kUnsupported).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/graph/graph.h"

namespace octet {

// Bodies nested in bodies deeper than this are refused when reading (bad-inputs.md rows 5 and 10).
constexpr int kMaxBodyDepth = 16;
// A Loop still running after this many iterations is stopped with an error (a runaway condition
// would otherwise hang the request).
constexpr int64_t kMaxLoopIterations = int64_t{1} << 20;

// How a sliced input is cut, or a concatenated output joined, along `axis` (the port_map attributes;
// negative start/end count from the end of the axis, as the TensorIterator spec says).
struct PortSlicing {
  int64_t axis = 0;
  int64_t start = 0, stride = 1, part_size = 1, end = -1;
};

enum class BodyInputKind { kInvariant, kSliced, kMerged };

struct BodyInput {
  BodyInputKind kind = BodyInputKind::kInvariant;
  size_t input = 0;      // index of the node's input
  size_t parameter = 0;  // index into the body's parameters
  size_t back_edge = 0;  // kMerged: index into the body's results, read by the next iteration
  PortSlicing slicing;   // kSliced
};

enum class BodyOutputKind { kLastValue, kConcat };

struct BodyOutput {
  BodyOutputKind kind = BodyOutputKind::kLastValue;
  size_t output = 0;    // index of the node's output
  size_t result = 0;    // index into the body's results
  PortSlicing slicing;  // kConcat: the axis, and the order from the sign of stride
};

struct Body {
  // The node's own graph, shared with no other node: shape inference binds its Parameters and
  // re-infers it (the payload is const, the graph is held by pointer).
  std::shared_ptr<Graph> graph;
  std::vector<BodyInput> inputs;
  std::vector<BodyOutput> outputs;
  std::string label;  // "body", "then_body" or "else_body", for messages
};

struct SubGraphs {
  std::vector<Body> bodies;        // If: then, else; Loop and TensorIterator: one
  int64_t current_iteration = -1;  // Loop: body parameter index of the iteration number, or -1
  int64_t condition = -1;          // Loop: body result index of the condition to go on
};

bool is_sub_graph_op(OpKind op);
// The payload of an If, Loop or TensorIterator node; raises kInternal for any other node or when the
// payload is missing (such nodes come only from the IR reader).
const SubGraphs& sub_graphs(const Node& node);

// Gives each body Parameter fed by the port map the element type and shape of its input (a sliced
// one part_size along its axis). A Parameter whose IR element type differs from its input's is
// refused (kModel); declared dims are checked when the body is inferred. The iteration-number
// Parameter keeps its own type and shape ([1] when the IR left it dynamic).
void bind_body_parameters(const Node& node, const Body& body);

// The parts a sliced input is cut into: `count` parts of `part` elements along `axis`, iteration i
// reading from element first + i * step. Raises naming the node and input port: kModel for an axis
// or range outside the input, kUnsupported where OpenVINO's own readings disagree (|stride| other
// than part_size).
struct SliceWalk {
  int64_t axis = 0, part = 1, count = 0, first = 0, step = 1;
  int64_t offset(int64_t i) const { return first + i * step; }
};
SliceWalk slice_walk(const Node& node, const BodyInput& input, const Dims& input_shape);

// The axis of a concatenated output against the rank of the body value (a scalar counts as [1]).
int64_t concat_axis(const Node& node, const BodyOutput& output, const Dims& body_value_shape);

// A body Result's value (the output its Result reads).
const Value& body_result_value(const Body& body, size_t result);

}  // namespace octet
