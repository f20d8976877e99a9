// Per-channel activation quantization folded into grouped convolutions (see quantize_per_channel.h).
#include "host/transforms/quantize_per_channel.h"

#include <cstring>
#include <memory>

#include "host/common/error.h"
#include "host/transforms/quantize_util.h"

namespace octet {
namespace {

// Channel c's quantization of a FakeQuantize whose ranges vary along axis 1 only (of an input with
// `channels` channels), or nullopt with the reason.
std::optional<std::vector<ActivationQuant>> channel_quants(const Node& fq, int64_t channels,
                                                           std::string* why) {
  if (fq.inputs.size() != 5) return *why = "not a FakeQuantize", std::nullopt;
  const size_t rank = fq.input_shape(0).size();
  const Tensor* ranges[4];
  for (int i = 0; i < 4; ++i) {
    ranges[i] = constant_through_convert(fq.inputs[static_cast<size_t>(i + 1)]);
    if (!ranges[i]) return *why = "ranges are not constant", std::nullopt;
    const Dims& s = ranges[i]->shape();
    if (s.size() > rank) return *why = "ranges of higher rank than the activation", std::nullopt;
    for (size_t d = 0; d < s.size(); ++d) {
      const bool channel_axis = d + rank - s.size() == 1;
      if (s[d] != 1 && !(channel_axis && s[d] == channels))
        return *why = "ranges vary along an axis other than the channels", std::nullopt;
    }
  }
  const int64_t levels = fq.attr<FakeQuantizeAttrs>().levels;
  std::vector<ActivationQuant> out;
  for (int64_t c = 0; c < channels; ++c) {
    float r[4];
    for (int i = 0; i < 4; ++i)
      r[i] = static_cast<float>(ranges[i]->get_as_double(ranges[i]->element_count() == 1 ? 0 : c));
    auto q = affine_quant(levels, r, why, /*require_integer_zero=*/true);
    if (!q) return *why = "channel " + std::to_string(c) + ": " + *why, std::nullopt;
    out.push_back(*q);
  }
  return out;
}

bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Why `node`'s activation cannot be folded per channel, or "" after rewriting it.
std::string fold(Graph& graph, Node* node) {
  const QuantizedLinear& q = quantized_params(*node);
  const Node* fq = node->inputs[0].node;
  if (fq->op != OpKind::kFakeQuantize || node->inputs[0].index != 0)
    return "activation is not fake-quantized";
  const Dims& x = fq->input_shape(0);
  const Dims& ws = q.weights.codes.shape();  // [G, O/G, C/G, k...]
  if (x.size() < 3 || ws.size() < 4 || q.weights.group_size != 0)
    return "per-channel ranges on an unexpected layout";
  const int64_t groups = ws[0], out_per_group = ws[1], in_per_group = ws[2];
  std::string why;
  auto channels = channel_quants(*fq, x[1], &why);
  if (!channels) return "per-channel ranges: " + why;
  const int32_t zero = channels->front().zero_point;
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t c = g * in_per_group; c < (g + 1) * in_per_group; ++c) {
      const ActivationQuant& a = (*channels)[static_cast<size_t>(c)];
      if (a.zero_point != zero) return "per-channel ranges with different zero points";
      if (!same_bits(a.scale, (*channels)[static_cast<size_t>(g * in_per_group)].scale))
        return "per-channel scales differ inside a group of the convolution";
    }
  // The unit grid: codes are levels, zero at `zero`, and the scale lives in the weights.
  const int levels = channels->front().levels;
  ActivationQuant unit;
  unit.levels = levels;
  unit.in_low = unit.out_low = static_cast<float>(-zero);
  unit.in_high = unit.out_high = static_cast<float>(levels - 1 - zero);
  unit.scale = 1.0f;
  unit.zero_point = zero;
  auto folded = std::make_shared<QuantizedLinear>(q);
  folded->input = unit;
  for (int64_t o = 0; o < groups * out_per_group; ++o)
    folded->weights.scale[static_cast<size_t>(o)] *=
        (*channels)[static_cast<size_t>((o / out_per_group) * in_per_group)].scale;
  folded->fused_names.insert(folded->fused_names.begin(), fq->name);

  auto payload = std::make_shared<ActivationQuantize>();
  payload->channels_last = true;
  payload->channel_quant = *channels;
  payload->quant = channels->front();
  for (const ActivationQuant& a : *channels)
    if (a.scale > payload->quant.scale) payload->quant = a;
  Node* codes = graph.add(OpKind::kQuantizeActivation, fq->name + "/codes_nhwc");
  codes->inputs = {fq->inputs[0]};
  codes->payload = payload;
  infer_node(*codes);
  node->inputs[0] = {codes, 0};
  node->payload = folded;
  return "";
}

}  // namespace

void quantize_per_channel_inputs(Graph& graph, std::vector<QuantizationDecision>* decisions) {
  bool changed = false;
  for (Node* node : graph.topological_order()) {
    if (node->op != OpKind::kQuantizedConvolution || node->input_type(0) != ElementType::kF32) continue;
    const QuantizedLinear& q = quantized_params(*node);
    if (q.input || q.base_op != OpKind::kGroupConvolution) continue;
    const std::string why = fold(graph, node);
    for (QuantizationDecision& d : *decisions) {
      if (d.node_name != node->name) continue;
      if (!why.empty()) {
        d.reason = "activations stay float: " + why;
        break;
      }
      const QuantizedLinear& f = quantized_params(*node);
      d.precision =
          std::string(f.weights.type == ElementType::kI4 || f.weights.type == ElementType::kU4 ? "int4"
                                                                                               : "int8") +
          (f.input->is_signed() ? " (i8 act)" : " (u8 act)");
      d.reason.clear();
      d.fused.insert(d.fused.begin(), f.fused_names.front());
    }
    changed = changed || why.empty();
  }
  if (changed) graph.remove_dead_nodes();
}

}  // namespace octet
