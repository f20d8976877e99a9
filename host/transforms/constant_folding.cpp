// Constant folding used by prepare_graph: rules in constant_folding.h, values from the reference.
#include "host/transforms/constant_folding.h"

#include "host/common/error.h"
#include "host/reference/evaluate.h"

namespace octet {
namespace {

bool all_inputs_constant(const Node& node) {
  for (size_t i = 0; i < node.inputs.size(); ++i)
    if (!node.input_constant(i)) return false;
  return true;
}

// A Convert to a float type whose source is a compressed weight type (i8/u8/i4/u4/u1 codes and zero
// points, f16/bf16-compressed weights, 16-bit integers): the quantization pass must see these. Converts
// of i32/i64/boolean values are shape arithmetic (ShapeOf -> Convert(f32) -> Divide for Interpolate
// scales) and fold like the rest of a shape subgraph.
bool is_weight_decompression(const Node& node) {
  if (node.op != OpKind::kConvert || node.outputs.empty() || !is_float(node.outputs[0].type)) return false;
  const ElementType src = node.input_type(0);
  return src != ElementType::kBoolean && element_bits(src) <= 16;
}

}  // namespace

bool is_foldable(const Node& node) {
  switch (node.op) {
    case OpKind::kParameter:
    case OpKind::kResult:
    case OpKind::kConstant:
    case OpKind::kFakeQuantize:
    case OpKind::kQuantizedConvolution:
    case OpKind::kQuantizedMatMul: return false;
    case OpKind::kShapeOf: return !node.inputs.empty() && is_static(node.input_shape(0));
    default: break;
  }
  if (node.outputs.empty() || !all_inputs_constant(node)) return false;
  bool all_int = true;
  int64_t elements = 0;
  for (const Value& v : node.outputs) {
    if (!is_static(v.shape)) return false;
    all_int = all_int && !is_float(v.type);
    elements += element_count(v.shape);
  }
  if (all_int) return true;
  if (is_weight_decompression(node)) return false;
  return elements <= kMaxFoldedElements;
}

bool fold_node(Graph& g, Node& node) {
  if (!is_foldable(node)) return false;
  std::vector<Tensor> values;
  if (node.op == OpKind::kShapeOf) {
    // The input need not be constant: only its (static) shape is read.
    const Dims& dims = node.input_shape(0);
    Tensor t(node.outputs[0].type, {static_cast<int64_t>(dims.size())});
    for (size_t i = 0; i < dims.size(); ++i) {
      if (t.type() == ElementType::kI32)
        t.data_as<int32_t>()[i] = static_cast<int32_t>(dims[i]);
      else
        t.data_as<int64_t>()[i] = dims[i];
    }
    values.push_back(std::move(t));
  } else {
    std::vector<const Tensor*> args;
    for (size_t i = 0; i < node.inputs.size(); ++i) args.push_back(node.input_constant(i));
    values = evaluate_reference(node, args);
  }
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string name = values.size() == 1 ? node.name : node.name + ":" + std::to_string(i);
    Node* c = g.add_constant(name, std::move(values[i]));
    c->outputs[0].names = node.outputs[i].names;
    c->rt_info = node.rt_info;
    g.replace_all_uses({&node, static_cast<int>(i)}, {c, 0});
  }
  return true;
}

}  // namespace octet
