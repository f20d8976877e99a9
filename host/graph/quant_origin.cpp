// Nearest quantized source upstream of a tensor (see quant_origin.h).
#include "host/graph/quant_origin.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <unordered_set>
#include <vector>

#include "host/graph/codes_ops.h"
#include "host/graph/op_attrs.h"
#include "host/graph/quantized_linear.h"

namespace octet {
namespace {

bool is_integer_constant(const Node* n) {
  return n && n->op == OpKind::kConstant && !n->outputs.empty() && !is_float(n->outputs[0].type) &&
         n->outputs[0].type != ElementType::kBoolean;
}

// The grid a node puts on its output, or, for a node that computes from quantized data without a
// grid of its own (weight-only compression), quantized with step 0. Nodes of neither kind: nullopt.
std::optional<QuantOrigin> source_of(const Node& n) {
  QuantOrigin o;
  o.quantized = true;
  o.grid_node = n.name;
  switch (n.op) {
    case OpKind::kFakeQuantize: o.step = fake_quantize_step(n); return o;
    case OpKind::kQuantizeActivation: o.step = grid_step(quantize_params(n).quant); return o;
    case OpKind::kCodesDequantize: o.step = grid_step(codes_dequantize_params(n).quant); return o;
    case OpKind::kQuantizedConvolution:
    case OpKind::kQuantizedMatMul: {
      const QuantizedLinear& q = quantized_params(n);
      if (q.output)
        o.step = grid_step(*q.output);
      else if (q.output_codes)
        o.step = grid_step(*q.output_codes);
      else if (q.input)
        o.step = grid_step(*q.input);
      return o;
    }
    case OpKind::kConvert:
      if (!n.inputs.empty() && is_integer_constant(n.inputs[0].node) && is_float(n.outputs[0].type)) return o;
      return std::nullopt;
    default: return std::nullopt;
  }
}

}  // namespace

double grid_step(const ActivationQuant& q) {
  return q.levels > 1 ? std::fabs(double(q.out_high) - double(q.out_low)) / double(q.levels - 1) : 0;
}

double fake_quantize_step(const Node& fq) {
  const int64_t levels = fq.attr<FakeQuantizeAttrs>().levels;
  const Tensor* low = fq.input_constant(3);
  const Tensor* high = fq.input_constant(4);
  if (!low || !high || levels < 2) return 0;
  const std::vector<float> lo = low->to_float_vector(), hi = high->to_float_vector();
  if (lo.empty() || hi.empty()) return 0;
  double widest = 0;
  const size_t n = std::max(lo.size(), hi.size());
  for (size_t i = 0; i < n; ++i) {
    const double l = lo.size() == 1 ? lo[0] : lo[std::min(i, lo.size() - 1)];
    const double h = hi.size() == 1 ? hi[0] : hi[std::min(i, hi.size() - 1)];
    widest = std::max(widest, std::fabs(h - l));
  }
  return widest / double(levels - 1);
}

QuantOrigin quant_origin(const Output& value) {
  // Breadth first, so the first grid met is the nearest; a source without a grid (compressed
  // weights) is remembered but the walk goes on looking for one.
  QuantOrigin weights_only;
  std::deque<const Node*> queue;
  std::unordered_set<const Node*> seen;
  if (value.node) queue.push_back(value.node);
  while (!queue.empty()) {
    const Node* n = queue.front();
    queue.pop_front();
    if (!seen.insert(n).second) continue;
    if (auto o = source_of(*n)) {
      if (o->step > 0) return *o;
      if (!weights_only.quantized) weights_only = *o;
    }
    for (const Output& in : n->inputs)
      if (in.node && in.node->op != OpKind::kConstant) queue.push_back(in.node);
  }
  return weights_only;
}

}  // namespace octet
