// Codes through MaxPool, Concat, splits, shuffles and reshapes (see codes_flow.h).
#include "host/transforms/codes_flow.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "host/common/error.h"
#include "host/graph/codes_ops.h"
#include "host/graph/ops/conv_geometry.h"
#include "host/graph/quantized_linear.h"
#include "host/transforms/channel_shuffle.h"
#include "host/transforms/quantize_grid.h"
#include "host/transforms/quantize_util.h"

namespace octet {
namespace {

bool same_quant(const ActivationQuant& a, const ActivationQuant& b) {
  return a.levels == b.levels && a.in_low == b.in_low && a.in_high == b.in_high && a.out_low == b.out_low &&
         a.out_high == b.out_high;
}

bool plain_quantizer(const Node& n) {
  return n.op == OpKind::kQuantizeActivation && quantize_params(n).channel_quant.empty();
}

// True when `user` is a QuantizeActivation of grid `q` in that layout (what the codes replace).
bool takes_codes(const Node& user, const ActivationQuant& q, bool channels_last) {
  return plain_quantizer(user) && quantize_params(user).channels_last == channels_last &&
         same_quant(quantize_params(user).quant, q);
}

bool moves_codes(const Node& op) {
  switch (op.op) {
    case OpKind::kMaxPool:
    case OpKind::kConcat:
    case OpKind::kSplit:
    case OpKind::kVariadicSplit:
    case OpKind::kShuffleChannels:
    case OpKind::kReshape:
    case OpKind::kSqueeze:
    case OpKind::kUnsqueeze: return true;
    default: return false;
  }
}

bool reshapes(const Node& op) {
  return op.op == OpKind::kReshape || op.op == OpKind::kSqueeze || op.op == OpKind::kUnsqueeze;
}

// The number of outputs `op` moves codes through (MaxPool-8's second output holds indices).
size_t data_outputs(const Node& op) {
  return op.op == OpKind::kSplit || op.op == OpKind::kVariadicSplit ? op.outputs.size() : 1;
}

// Why the QuantizeActivations after `op` (all consumers of its data outputs, of `q` in
// `channels_last` layout) cannot move before it; "" when they can.
std::string why_not(const Graph& graph, const Node& op, const ActivationQuant& q, bool channels_last) {
  Node* self = const_cast<Node*>(&op);
  const size_t rank = op.outputs[0].shape.size();
  // A reshape keeps the flat order of the plain layout only: on channels-last codes it would move
  // elements between channels.
  if (reshapes(op) && channels_last) return "a reshape moves plain (not channels-last) codes only";
  if (reshapes(op))
    for (size_t i = 1; i < op.inputs.size(); ++i)
      if (!op.input_constant(i)) return "its shape or axes input is not constant";
  if (channels_last && rank < 3) return "codes of rank below 3";
  if (op.op == OpKind::kMaxPool) {
    if (!channels_last) return "MaxPool codes are channels last only";
    if (rank > 5) return "MaxPool of rank above 5";
    if (op.outputs.size() > 1 && !graph.consumers({self, 1}).empty())
      return "MaxPool's indices output is used";
  }
  if ((op.op == OpKind::kSplit || op.op == OpKind::kVariadicSplit) &&
      (!op.input_constant(1) || (op.op == OpKind::kVariadicSplit && !op.input_constant(2))))
    return "split axis or lengths are not constant";
  if ((op.op == OpKind::kSplit || op.op == OpKind::kVariadicSplit) &&
      ((op.input_constant(1)->type() != ElementType::kI32 &&
        op.input_constant(1)->type() != ElementType::kI64) ||
       op.input_constant(1)->element_count() != 1))
    return "split axis is not one i32/i64 value";
  for (size_t i = 0; i < data_outputs(op); ++i)
    for (const auto& [user, port] : graph.consumers({self, static_cast<int>(i)}))
      // A MaxPool's other float readers get a CodesDequantize, except readers that could move codes
      // themselves (a MaxPool or Concat after it: they move first, on a later pass).
      if (!takes_codes(*user, q, channels_last) &&
          !(op.op == OpKind::kMaxPool && user->op != OpKind::kResult && !moves_codes(*user)))
        return fmt::format("its output also feeds {} ({})", user->name, op_name(user->op));
  std::string why;
  const auto grid = value_grid({self, 0}, &why);
  if (!grid) return why;
  if (!same_quant(*grid, q)) return "its QuantizeActivation is not of the values' own grid";
  return "";
}

// The Concat axis of [N, C, spatial...] in the channels-last layout [N, spatial..., C].
int64_t channels_last_axis(int64_t axis, int64_t rank) {
  if (axis < 0) axis += rank;
  return axis == 0 ? 0 : axis == 1 ? rank - 1 : axis - 1;
}

}  // namespace

Output codes_of(Graph& graph, Output value, const ActivationQuant& quant, bool channels_last) {
  for (const auto& [user, port] : graph.consumers(value))
    if (port == 0 && plain_quantizer(*user) && quantize_params(*user).channels_last == channels_last &&
        same_quant(quantize_params(*user).quant, quant))
      return {user, 0};
  return {add_quantize_activation(graph, value, value.node->name, quant, channels_last), 0};
}

// QuantizeActivation{grid of FQ}(FakeQuantize(x)) -> QuantizeActivation{FQ's ranges}(x): the codes
// are the FakeQuantize's own levels either way (re-quantizing a value on its grid recovers its
// level, which is what every producer writing codes relies on), and the float pass goes away when
// nothing else reads the FakeQuantize. Where codes move through a Concat of FakeQuantize'd
// branches, or through a Reshape after one (a classifier's flatten), this leaves one pass.
void quantize_fake_quantize_inputs(Graph& graph) {
  for (Node* qa : graph.topological_order()) {
    if (!plain_quantizer(*qa)) continue;
    Node* fq = qa->inputs[0].node;
    if (fq->op != OpKind::kFakeQuantize || fq->input_type(0) != ElementType::kF32) continue;
    std::string why;
    const auto grid = value_grid({fq, 0}, &why);
    const auto own = activation_quant(*fq, &why, /*require_integer_zero=*/true);
    if (!grid || !own || !same_quant(*grid, quantize_params(*qa).quant)) continue;
    ActivationQuantize params = quantize_params(*qa);
    params.quant = *own;
    qa->payload = std::make_shared<ActivationQuantize>(params);
    qa->inputs[0] = fq->inputs[0];
  }
  graph.remove_dead_nodes();
}

void average_pools_on_codes(Graph& graph) {
  for (Node* pool : graph.topological_order()) {
    if (pool->op != OpKind::kAvgPool || pool->input_type(0) != ElementType::kF32) continue;
    const Output x = pool->inputs[0];
    const Dims& shape = pool->input_shape(0);
    if (shape.size() < 3 || shape.size() > 5 || !is_static(shape) || !is_static(pool->outputs[0].shape))
      continue;
    // Only where the codes come free: codes read back by a CodesDequantize (a MaxPool on codes), or
    // a convolution that writes this grid, which it does when none of its readers is a model output
    // (emit_codes); elsewhere a QuantizeActivation pass would be added.
    Output codes_in;
    std::optional<ActivationQuant> grid;
    const Node* producer = x.node;
    if (producer->op == OpKind::kCodesDequantize && codes_dequantize_params(*producer).channels_last) {
      codes_in = producer->inputs[0];
      grid = codes_dequantize_params(*producer).quant;
    } else if (producer->op == OpKind::kQuantizedConvolution && x.index == 0) {
      bool result_reader = false;
      for (const auto& [user, port] : graph.consumers(x))
        result_reader = result_reader || user->op == OpKind::kResult;
      std::string why;
      if (result_reader || !(grid = value_grid(x, &why))) continue;
      codes_in = codes_of(graph, x, *grid, /*channels_last=*/true);
    } else {
      continue;
    }
    Node* codes = graph.add(OpKind::kCodesAvgPool, pool->name + "/codes");
    auto payload = std::make_shared<CodesAvgPoolParams>();
    payload->window = pool_geometry(*pool);
    payload->exclude_pad = pool_attrs(*pool).exclude_pad;
    payload->quant = *grid;
    codes->payload = payload;
    codes->inputs = {codes_in};
    infer_node(*codes);
    graph.replace_all_uses({pool, 0}, {codes, 0});
  }
  graph.remove_dead_nodes();
}

std::vector<std::string> move_codes_before_value_ops(Graph& graph) {
  fuse_channel_shuffles(graph);
  // By name: each pass ends by removing the nodes it left dead (a replaced op still counts as its
  // inputs' consumer until then), which frees them.
  std::set<std::string> moved;
  std::map<std::string, std::string> stays;  // op name -> "name (Op): why"

  for (bool changed = true; changed;) {
    changed = false;
    for (Node* qa : graph.topological_order()) {
      if (!plain_quantizer(*qa) || graph.consumers({qa, 0}).empty()) continue;
      Node* op = qa->inputs[0].node;
      if (!moves_codes(*op) || static_cast<size_t>(qa->inputs[0].index) >= data_outputs(*op) ||
          moved.count(op->name))
        continue;
      const ActivationQuantize& p = quantize_params(*qa);
      const std::string why = why_not(graph, *op, p.quant, p.channels_last);
      if (!why.empty()) {
        stays[op->name] = fmt::format("{} ({}): {}", op->name, op_name(op->op), why);
        continue;
      }
      stays.erase(op->name);
      moved.insert(op->name);
      const Output codes_in = codes_of(graph, op->inputs[0], p.quant, p.channels_last);
      const int64_t rank = static_cast<int64_t>(op->input_shape(0).size());
      auto axis_of = [&](int64_t axis) {
        return std::to_string(p.channels_last ? channels_last_axis(axis, rank) : axis);
      };
      Node* codes = nullptr;
      if (op->op == OpKind::kMaxPool) {
        codes = graph.add(OpKind::kCodesMaxPool, op->name + "/codes");
        auto payload = std::make_shared<CodesMaxPoolParams>();
        payload->window = pool_geometry(*op);
        codes->payload = payload;
        codes->inputs = {codes_in};
      } else if (op->op == OpKind::kConcat) {
        codes = graph.add(OpKind::kConcat, op->name + "/codes", op->version);
        codes->attrs.set("axis", axis_of(op->attr<AxisAttrs>().axis));
        for (const Output& in : op->inputs)
          codes->inputs.push_back(codes_of(graph, in, p.quant, p.channels_last));
      } else if (op->op == OpKind::kShuffleChannels) {
        codes = graph.add(OpKind::kShuffleChannels, op->name + "/codes", op->version);
        codes->attrs.set("axis", axis_of(op->attr<ShuffleChannelsAttrs>().axis));
        codes->attrs.set("group", std::to_string(op->attr<ShuffleChannelsAttrs>().group));
        codes->inputs = {codes_in};
      } else if (reshapes(*op)) {  // the same shape/axes constants: plain codes keep the flat order
        codes = graph.add(op->op, op->name + "/codes", op->version);
        codes->attrs = op->attrs;
        codes->inputs = op->inputs;
        codes->inputs[0] = codes_in;
      } else {  // Split / VariadicSplit: a new axis constant (the old one may be shared)
        codes = graph.add(op->op, op->name + "/codes", op->version);
        codes->attrs = op->attrs;
        const Tensor& axis_t = *op->input_constant(1);
        Tensor axis(axis_t.type(), axis_t.shape());
        const int64_t a = std::stoll(axis_of(axis_t.get_as_int64(0)));
        if (axis_t.type() == ElementType::kI32)
          *axis.data_as<int32_t>() = static_cast<int32_t>(a);
        else
          *axis.data_as<int64_t>() = a;
        Node* axis_node = graph.add_constant(op->name + "/codes_axis", std::move(axis));
        codes->inputs = {codes_in, {axis_node, 0}};
        if (op->op == OpKind::kVariadicSplit) codes->inputs.push_back(op->inputs[2]);
      }
      infer_node(*codes);
      // A MaxPool's float readers besides the QuantizeActivations (inception's pool branch, an
      // AvgPool) read the codes' floats back (CodesDequantize): one pass over 1-byte codes instead
      // of the float MaxPool and the QuantizeActivation of its output.
      Node* floats = nullptr;
      for (size_t i = 0; i < data_outputs(*op); ++i)
        for (const auto& [user, port] : graph.consumers({op, static_cast<int>(i)})) {
          if (takes_codes(*user, p.quant, p.channels_last)) {
            graph.replace_all_uses({user, 0}, {codes, static_cast<int>(i)});
            continue;
          }
          if (!floats)
            floats =
                add_codes_dequantize(graph, {codes, 0}, op->name + "/dequantize", p.quant, p.channels_last);
          user->inputs[static_cast<size_t>(port)] = {floats, 0};
        }
      changed = true;
    }
    graph.remove_dead_nodes();
  }
  quantize_fake_quantize_inputs(graph);
  std::vector<std::string> lines;
  for (const auto& [name, line] : stays)
    if (!moved.count(name)) lines.push_back(line);
  return lines;
}

}  // namespace octet
