// The typed graph: nodes with op kind, attributes, inputs (producer outputs) and typed outputs.
//
// A Graph owns its nodes. Edges are stored on the consumer side (Node::inputs refers to a
// producer's output). Parameters and Results are kept in model order. Example:
//
//   Graph g;
//   Node* x = g.add(OpKind::kParameter, "x");  x->outputs = {{ElementType::kF32, {1, 8}}};
//   Node* r = g.add(OpKind::kRelu, "r");       r->inputs = {{x, 0}};
//   infer_shapes(g);                           // fills r->outputs
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "host/graph/attributes.h"
#include "host/graph/element_type.h"
#include "host/graph/op_kind.h"
#include "host/graph/shape.h"
#include "host/graph/tensor.h"

namespace octet {

struct Node;

// One output port of a node.
struct Output {
  Node* node = nullptr;
  int index = 0;
  bool operator==(const Output& o) const { return node == o.node && index == o.index; }
  bool operator!=(const Output& o) const { return !(*this == o); }
};

// Type, shape and tensor names of one node output.
struct Value {
  ElementType type = ElementType::kUndefined;
  Dims shape;
  std::vector<std::string> names;
  // Port dims as the IR declared them (-1 = dynamic). After inference they are checked against
  // the inferred shape (bad-inputs.md row 18); nodes made by transforms have none.
  bool has_declared_shape = false;
  Dims declared_shape;
};

struct Node {
  OpKind op = OpKind::kParameter;
  int version = 1;  // op version resolved from the IR opset (see ops.def)
  std::string name;
  int64_t ir_id = -1;  // -1 for nodes made by transforms
  Attributes attrs;
  std::vector<Output> inputs;
  std::vector<Value> outputs;
  std::shared_ptr<const Tensor> constant;      // value of a Constant node
  std::map<std::string, std::string> rt_info;  // names of rt_info attributes -> their value
  std::shared_ptr<const void> payload;         // parameters of internal ops (see host/transforms)

  // The typed attributes (op_attrs.h) of the struct the op's ops.def line names, parsed from
  // `attrs` by parse_attributes() (infer_node and the IR reader call it). Raises kInternal when T is
  // not that struct or `attrs` changed since parsing (a transform forgot to re-infer).
  template <class T>
  const T& attr() const {
    if (!typed_attrs_ || *typed_attrs_type_ != typeid(T) || typed_attrs_generation_ != attrs.generation())
      typed_attrs_mismatch(typeid(T));
    return *static_cast<const T*>(typed_attrs_.get());
  }
  // Parses `attrs` into the op's struct, validating values per op version; raises kModel for a
  // malformed value and kUnsupported for an attribute the op version does not have.
  void parse_attributes();
  bool attributes_parsed() const { return typed_attrs_ && typed_attrs_generation_ == attrs.generation(); }

  const Value& input_value(size_t i) const { return inputs.at(i).node->outputs.at(inputs.at(i).index); }
  const Dims& input_shape(size_t i) const { return input_value(i).shape; }
  ElementType input_type(size_t i) const { return input_value(i).type; }
  // The value of input i when its producer is a Constant, else nullptr.
  const Tensor* input_constant(size_t i) const;
  // "layer 'conv1' (id 5, Convolution-1)" for error messages.
  std::string describe() const;

 private:
  [[noreturn]] void typed_attrs_mismatch(const std::type_info& wanted) const;
  std::shared_ptr<const void> typed_attrs_;
  const std::type_info* typed_attrs_type_ = nullptr;
  uint64_t typed_attrs_generation_ = 0;
};

class Graph {
 public:
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  Graph(Graph&&) = default;
  Graph& operator=(Graph&&) = default;

  Node* add(OpKind op, std::string name, int version = 1);
  Node* add_constant(std::string name, Tensor value);
  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }

  // Nodes in an order where producers come first (iterative Kahn sort; no recursion). Throws
  // Error(kModel) "cycle involving layer ..." when the edges form a cycle.
  std::vector<Node*> topological_order() const;
  // Every (consumer, input index) reading `output`.
  std::vector<std::pair<Node*, int>> consumers(Output output) const;
  // Rewires every consumer of `from` to read `to` instead (Results included).
  void replace_all_uses(Output from, Output to);
  // Drops nodes that no Result depends on (Parameters are always kept).
  void remove_dead_nodes();

  std::vector<Node*> parameters;  // model inputs, in IR order
  std::vector<Node*> results;     // model outputs, in IR order
  std::string name;
  int ir_version = 11;
  std::string source;  // model path (or "<memory>") for error messages

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
};

// Runs shape and type inference over the whole graph in topological order, filling every node's
// outputs from its inputs and attributes. Throws Error(kModel) naming the layer on invalid
// attributes or shapes (bad-inputs.md rows 15-19).
void infer_shapes(Graph& graph);
// Inference for one node whose inputs are already typed.
void infer_node(Node& node);

}  // namespace octet
