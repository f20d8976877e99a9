// Rewrites f16/bf16 weight-decompression chains to f32 arithmetic (see weight_decompression.h).
#include "host/transforms/weight_decompression.h"

#include <map>
#include <utility>
#include <vector>

namespace octet {
namespace {

bool is_narrow_float(ElementType t) {
  return t == ElementType::kF16 || t == ElementType::kBF16;
}

// How many inputs read each output (Results included).
using UseCounts = std::map<std::pair<const Node*, int>, int>;

UseCounts count_uses(const Graph& graph) {
  UseCounts uses;
  for (const auto& node : graph.nodes())
    for (const Output& in : node->inputs) ++uses[{in.node, in.index}];
  return uses;
}

bool sole_use(const UseCounts& uses, const Node* node) {
  const auto it = uses.find({node, 0});
  return node->outputs.size() == 1 && it != uses.end() && it->second == 1;
}

bool narrow_output(const Node* node) {
  return node->outputs.size() == 1 && is_narrow_float(node->outputs[0].type);
}

// Convert(Constant of integer codes) -> f16/bf16: the start of a chain.
bool is_codes(const Node* node) {
  return node->op == OpKind::kConvert && narrow_output(node) &&
         node->inputs[0].node->op == OpKind::kConstant && is_integer(node->inputs[0].node->constant->type());
}

// The constant behind a zero point or scale operand: a Constant of f16/bf16, or a Convert of a
// Constant (integer zero points only with `allow_integer`) to f16/bf16. Its f32 value is the
// source constant's value, which is what converting straight to f32 gives.
const Tensor* leaf_constant(const Node* node, bool allow_integer) {
  if (!narrow_output(node)) return nullptr;
  if (node->op == OpKind::kConstant) return node->constant.get();
  if (node->op != OpKind::kConvert || node->inputs[0].node->op != OpKind::kConstant) return nullptr;
  const Tensor* t = node->inputs[0].node->constant.get();
  if (is_float(t->type()) || (allow_integer && is_integer(t->type()))) return t;
  return nullptr;
}

bool is_shape_op(const Node* node) {
  switch (node->op) {
    case OpKind::kReshape:
    case OpKind::kSqueeze:
    case OpKind::kUnsqueeze:
    case OpKind::kTranspose: break;
    default: return false;
  }
  for (size_t i = 1; i < node->inputs.size(); ++i)
    if (!node->input_constant(i)) return false;
  return true;
}

Node* f32_constant(Graph& graph, const Node& leaf, const Tensor& value) {
  Tensor t(ElementType::kF32, value.shape());
  float* out = t.data_as<float>();
  for (int64_t i = 0; i < value.element_count(); ++i) out[i] = static_cast<float>(value.get_as_double(i));
  return graph.add_constant(leaf.name, std::move(t));
}

// One chain ending in `last` (Convert(f16/bf16 -> f32)), rewritten when it matches.
bool rewrite_chain(Graph& graph, const UseCounts& uses, Node& last) {
  if (last.op != OpKind::kConvert || last.outputs.size() != 1 || last.outputs[0].type != ElementType::kF32 ||
      last.inputs.size() != 1 || !is_narrow_float(last.input_type(0)))
    return false;
  std::vector<Node*> reinfer;  // producer first after the reverse below
  Node* cur = last.inputs[0].node;
  while (is_shape_op(cur) && narrow_output(cur) && sole_use(uses, cur)) {
    reinfer.push_back(cur);
    cur = cur->inputs[0].node;
  }
  Node* mul = cur;
  if (mul->op != OpKind::kMultiply || mul->inputs.size() != 2 || !narrow_output(mul) || !sole_use(uses, mul))
    return false;
  // The chain side is a Subtract or the codes; the other side is the (float) scale.
  int chain_side = -1;
  const Tensor* scale = nullptr;
  for (int i = 0; i < 2; ++i) {
    const Node* side = mul->inputs[static_cast<size_t>(i)].node;
    const Node* other = mul->inputs[static_cast<size_t>(1 - i)].node;
    if ((side->op == OpKind::kSubtract || is_codes(side)) && (scale = leaf_constant(other, false))) {
      chain_side = i;
      break;
    }
  }
  if (chain_side < 0) return false;
  reinfer.push_back(mul);
  Node* sub = nullptr;
  const Tensor* zero = nullptr;
  Node* codes = mul->inputs[static_cast<size_t>(chain_side)].node;
  if (codes->op == OpKind::kSubtract) {
    sub = codes;
    if (sub->inputs.size() != 2 || !narrow_output(sub) || !sole_use(uses, sub)) return false;
    codes = sub->inputs[0].node;
    zero = leaf_constant(sub->inputs[1].node, true);
    if (!zero) return false;
    reinfer.push_back(sub);
  }
  if (!is_codes(codes) || !sole_use(uses, codes)) return false;

  codes->attrs.set("destination_type", "f32");
  infer_node(*codes);
  if (sub) {
    sub->inputs[1] = {f32_constant(graph, *sub->inputs[1].node, *zero), 0};
  }
  const size_t scale_side = static_cast<size_t>(1 - chain_side);
  mul->inputs[scale_side] = {f32_constant(graph, *mul->inputs[scale_side].node, *scale), 0};
  for (auto it = reinfer.rbegin(); it != reinfer.rend(); ++it) infer_node(**it);
  infer_node(last);
  return true;
}

}  // namespace

int decompress_weights_in_f32(Graph& graph) {
  const UseCounts uses = count_uses(graph);
  std::vector<Node*> converts;
  for (const auto& node : graph.nodes())
    if (node->op == OpKind::kConvert) converts.push_back(node.get());
  int rewritten = 0;
  for (Node* c : converts) rewritten += rewrite_chain(graph, uses, *c) ? 1 : 0;
  if (rewritten) graph.remove_dead_nodes();
  return rewritten;
}

}  // namespace octet
