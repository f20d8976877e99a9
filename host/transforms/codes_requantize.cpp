// Concats of branches on different grids kept as codes, their readers requantizing per channel (see
// codes_requantize.h).
#include "host/transforms/codes_requantize.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "host/graph/codes_ops.h"
#include "host/graph/op_attrs.h"
#include "host/graph/quantized_linear.h"
#include "host/reference/quantized_linear.h"
#include "host/transforms/codes_flow.h"
#include "host/transforms/quantize_grid.h"
#include "host/transforms/quantize_prologue.h"
#include "host/transforms/quantize_util.h"

namespace octet {
namespace {

using Grids = std::vector<ActivationQuant>;

// Below this every float is finite: products and sums of values under it stay under FLT_MAX.
constexpr double kFiniteBound = 1e37;

bool finite_all(const std::vector<float>& v, double* largest) {
  for (float x : v) {
    if (!std::isfinite(x)) return false;
    *largest = std::max(*largest, std::fabs(static_cast<double>(x)));
  }
  return true;
}

// True when the floats a quantized linear node puts into its output FakeQuantize are finite, so
// that FakeQuantize never outputs NaN: integer activations (|level - zero point| <= 255, as are the
// centred weight codes), finite scales and bias, and post-ops that keep a bound.
bool never_nan(const Node& node) {
  const QuantizedLinear& q = quantized_params(node);
  if (!q.input || !q.output || !std::isfinite(q.input->scale)) return false;
  double scale = 0, bias = 0;
  if (!finite_all(q.weights.scale, &scale) || !finite_all(q.bias, &bias)) return false;
  double bound = static_cast<double>(q.weights.reduction) * 255.0 * 255.0 * scale *
                     std::fabs(static_cast<double>(q.input->scale)) +
                 bias;
  for (const PostOp& op : q.post_ops) {
    double largest = 0;
    switch (op.kind) {
      case PostOp::Kind::kScale:
        if (!finite_all(op.values, &largest)) return false;
        bound *= largest;
        break;
      case PostOp::Kind::kFakeQuantize:
        if (!finite_all({op.quant.out_low, op.quant.out_high}, &largest)) return false;
        bound = largest;
        break;
      case PostOp::Kind::kActivation:
        if (op.activation == PostOpCode::kClamp) {
          if (!finite_all({op.alpha, op.beta}, &largest)) return false;
          bound = std::min(bound, largest);
        } else if (op.activation != PostOpCode::kRelu) {
          return false;
        }
        break;
      default: return false;  // a residual addend may be anything
    }
    if (!(bound < kFiniteBound)) return false;
  }
  return bound < kFiniteBound;
}

// The grid of a value that is a grid's FakeQuantize output and never NaN (a leaf of a requantized
// Concat), or nullopt.
std::optional<ActivationQuant> leaf_grid(Output v) {
  const Node* n = v.node;
  bool safe = false;
  if (n->op == OpKind::kQuantizedConvolution && v.index == 0 && n->outputs[0].type == ElementType::kF32)
    safe = never_nan(*n);
  else if (n->op == OpKind::kFakeQuantize && n->input_type(0) == ElementType::kF32)
    safe =
        n->inputs[0].node->op == OpKind::kCodesAvgPool || n->inputs[0].node->op == OpKind::kCodesDequantize;
  if (!safe) return std::nullopt;
  std::string why;
  const auto g = value_grid(v, &why);
  if (!g || g->levels < 2 || g->levels > 256 || !std::isfinite(g->out_low) || !std::isfinite(g->out_high) ||
      !(g->out_low < g->out_high))
    return std::nullopt;
  return g;
}

bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// True when p's result is the same for every float a channel's FakeQuantize can have produced at
// each level: only levels 0 and levels - 1 have two (the clamped out_low / out_high and the
// formula's value).
bool exact(const CodesRequantizeParams& p) {
  for (size_t c = 0; c < p.channel_grids.size(); ++c) {
    const ActivationQuant& g = p.channel_grids[c];
    const auto ch = static_cast<int64_t>(c);
    if (!same_bits(codes_requantize(p, ch, grid_value(0, g)), codes_requantize(p, ch, g.out_low)) ||
        !same_bits(codes_requantize(p, ch, grid_value(g.levels - 1, g)), codes_requantize(p, ch, g.out_high)))
      return false;
  }
  return true;
}

// A reader of `value` (f32 [N, C, spatial...]) that can take its codes instead: a QuantizeActivation
// (channels last, one grid, any prologue), or Multiply? -> Add? -> Relu? -> FakeQuantize with
// per-channel constants and each value between read once. The node whose output the CodesRequantize
// replaces, and its parameters; nullptr when neither.
Node* requantized_reader(const Graph& graph, Output value, Node* user, int port, const Grids& grids,
                         CodesRequantizeParams* params) {
  CodesRequantizeParams p;
  p.channel_grids = grids;
  const Dims shape = value.node->outputs[static_cast<size_t>(value.index)].shape;
  if (user->op == OpKind::kQuantizeActivation) {
    const ActivationQuantize& q = quantize_params(*user);
    if (port != 0 || !q.channels_last || !q.channel_quant.empty() || q.quant.levels > 256) return nullptr;
    p.quantize = q;
  } else {
    Node* node = user;
    Output at = value;
    std::string why;
    auto single = [&](const Node* n) { return graph.consumers({const_cast<Node*>(n), 0}).size() == 1; };
    int data = 0;
    if (node->op == OpKind::kMultiply && channel_constant(*node, shape, &data, &p.quantize.pre_scale) &&
        data == port && single(node))
      at = {node, 0}, node = graph.consumers(at)[0].first, port = graph.consumers(at)[0].second;
    if (node->op == OpKind::kAdd && channel_constant(*node, shape, &data, &p.quantize.pre_shift) &&
        data == port && single(node))
      at = {node, 0}, node = graph.consumers(at)[0].first, port = graph.consumers(at)[0].second;
    if (node->op == OpKind::kRelu && node->outputs[0].shape == shape && single(node)) {
      p.quantize.pre_relu = true;
      at = {node, 0}, node = graph.consumers(at)[0].first, port = graph.consumers(at)[0].second;
    }
    if (node->op != OpKind::kFakeQuantize || port != 0 || node->outputs[0].type != ElementType::kF32 ||
        node->outputs[0].shape != shape)
      return nullptr;
    const auto q = activation_quant(*node, &why, /*require_integer_zero=*/false);
    if (!q) return nullptr;
    p.quantize.quant = *q;
    p.float_output = true;
    user = node;
  }
  if (!exact(p)) return nullptr;
  *params = std::move(p);
  return user;
}

// The per-channel grids of `value` when it can be joined as codes: a candidate Concat's, or a
// leaf's one grid for all its channels.
std::optional<Grids> grids_of(Output value, const std::map<const Node*, Grids>& concats) {
  if (value.node->op == OpKind::kConcat) {
    const auto it = concats.find(value.node);
    return it == concats.end() ? std::nullopt : std::optional<Grids>(it->second);
  }
  const auto g = leaf_grid(value);
  const Dims& s = value.node->outputs[static_cast<size_t>(value.index)].shape;
  if (!g || s.size() < 3) return std::nullopt;
  return Grids(static_cast<size_t>(s[1]), *g);
}

bool channel_concat(const Node& n) {
  if (n.op != OpKind::kConcat || n.outputs[0].type != ElementType::kF32) return false;
  const Dims& s = n.outputs[0].shape;
  const int64_t rank = static_cast<int64_t>(s.size());
  const int64_t axis = n.attr<AxisAttrs>().axis;
  return rank >= 3 && is_static(s) && (axis == 1 || axis == 1 - rank);
}

// A CodesRequantize of `codes` replacing `replaced`'s output, under its name and tensor names (the
// same values: per-layer reports, compare --layers and model outputs keep finding them).
void add_requantize(Graph& graph, Node* replaced, Output codes, CodesRequantizeParams params) {
  Node* r = graph.add(OpKind::kCodesRequantize, replaced->name);
  r->payload = std::make_shared<CodesRequantizeParams>(std::move(params));
  r->inputs = {codes};
  infer_node(*r);
  r->outputs[0].names = replaced->outputs[0].names;
  graph.replace_all_uses({replaced, 0}, {r, 0});
}

}  // namespace

int requantize_concats_on_codes(Graph& graph) {
  const std::vector<Node*> order = graph.topological_order();
  // Concats of leaves and such Concats, with their channels' grids.
  std::map<const Node*, Grids> concats;
  for (Node* n : order) {
    if (!channel_concat(*n)) continue;
    Grids grids;
    bool all = true;
    for (size_t i = 0; all && i < n->inputs.size(); ++i) {
      const auto g = grids_of(n->inputs[i], concats);
      all = g.has_value();
      if (all) grids.insert(grids.end(), g->begin(), g->end());
    }
    if (all) concats.emplace(n, std::move(grids));
  }
  // Readers, last Concat first: a Concat stays float when any reader cannot take codes (a Concat
  // reading it that stays float included).
  std::map<const Node*, std::vector<std::pair<Node*, CodesRequantizeParams>>> readers;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const auto found = concats.find(*it);
    if (found == concats.end()) continue;
    Node* concat = *it;
    bool all = true;
    std::vector<std::pair<Node*, CodesRequantizeParams>> mine;
    for (const auto& [user, port] : graph.consumers({concat, 0})) {
      if (concats.count(user)) continue;
      CodesRequantizeParams p;
      Node* replaced = requantized_reader(graph, {concat, 0}, user, port, found->second, &p);
      if (!replaced) {
        all = false;
        break;
      }
      mine.emplace_back(replaced, std::move(p));
    }
    if (all) {
      readers[concat] = std::move(mine);
    } else {
      concats.erase(found);
    }
  }
  // Until nothing changes, a Concat stays float when a Concat it reads stays float (it needs that
  // input as codes), when a Concat reading it stays float (that one needs its floats), or when a
  // leaf it joins has a reader that keeps floats: the leaf's producer would then write codes and
  // hand the floats back through a CodesDequantize, whose value at a clamped top level may differ
  // by an ulp (codes_flow.h), and this rewrite changes no value.
  const auto keeps_codes = [&](const Node* concat) {
    for (const Output& in : concat->inputs) {
      if (in.node->op == OpKind::kConcat) {
        if (!concats.count(in.node)) return false;
        continue;
      }
      const ActivationQuant grid = *leaf_grid(in);
      const Grids grids(static_cast<size_t>(in.node->outputs[static_cast<size_t>(in.index)].shape[1]), grid);
      for (const auto& [user, port] : graph.consumers(in)) {
        CodesRequantizeParams unused;
        if (user->op == OpKind::kConcat ? !concats.count(user)
                                        : !requantized_reader(graph, in, user, port, grids, &unused))
          return false;
      }
    }
    for (const auto& [user, port] : graph.consumers({const_cast<Node*>(concat), 0}))
      if (user->op == OpKind::kConcat && !concats.count(user)) return false;
    return true;
  };
  for (bool dropped = true; dropped;) {
    dropped = false;
    for (auto it = concats.begin(); it != concats.end();) {
      if (keeps_codes(it->first)) {
        ++it;
      } else {
        it = concats.erase(it), dropped = true;
      }
    }
  }
  if (concats.empty()) return 0;

  int rewritten = 0;
  std::map<const Node*, Output> codes;  // requantized Concat -> its codes Concat
  std::set<std::pair<const Node*, int>> leaves;
  for (Node* n : order) {
    if (!concats.count(n)) continue;
    const int64_t rank = static_cast<int64_t>(n->outputs[0].shape.size());
    Node* joined = graph.add(OpKind::kConcat, n->name + "/codes", n->version);
    joined->attrs.set("axis", std::to_string(rank - 1));
    for (const Output& in : n->inputs) {
      if (in.node->op == OpKind::kConcat) {
        joined->inputs.push_back(codes.at(in.node));
        continue;
      }
      joined->inputs.push_back(codes_of(graph, in, *leaf_grid(in), /*channels_last=*/true));
      leaves.insert({in.node, in.index});
    }
    infer_node(*joined);
    codes[n] = {joined, 0};
    for (auto& [replaced, params] : readers.at(n)) {
      add_requantize(graph, replaced, {joined, 0}, std::move(params));
      ++rewritten;
    }
  }
  // The leaves' other readers (all of the kinds above: keeps_codes) read the leaves' codes too
  // (DenseNet's first dense layer reads the block's input directly), so the producers write codes
  // only.
  for (const auto& [node, index] : leaves) {
    const Output leaf{const_cast<Node*>(node), index};
    const ActivationQuant grid = *leaf_grid(leaf);
    const Output leaf_codes = codes_of(graph, leaf, grid, /*channels_last=*/true);
    const Grids grids(static_cast<size_t>(node->outputs[static_cast<size_t>(index)].shape[1]), grid);
    for (const auto& [user, port] : graph.consumers(leaf)) {
      if (user == leaf_codes.node || user->op == OpKind::kConcat) continue;
      CodesRequantizeParams p;
      if (Node* replaced = requantized_reader(graph, leaf, user, port, grids, &p)) {
        add_requantize(graph, replaced, leaf_codes, std::move(p));
        ++rewritten;
      }
    }
  }
  graph.remove_dead_nodes();
  quantize_fake_quantize_inputs(graph);
  return rewritten;
}

}  // namespace octet
