// The grid a float activation lies on (see quantize_grid.h).
#include "host/transforms/quantize_grid.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "host/common/error.h"
#include "host/transforms/quantize_util.h"

namespace octet {
namespace {

// Ops whose output `index` holds only values taken from data input 0 (`all_inputs`: from any input
// as for Concat), so values on a quantization grid stay on it.
bool moves_values_only(const Node& node, int index, bool* all_inputs) {
  *all_inputs = false;
  switch (node.op) {
    case OpKind::kReshape:
    case OpKind::kTranspose:
    case OpKind::kSqueeze:
    case OpKind::kUnsqueeze:
    case OpKind::kMaxPool: return index == 0;  // MaxPool-8's output 1 holds indices
    case OpKind::kSplit:
    case OpKind::kVariadicSplit: return true;
    case OpKind::kShuffleChannels:
    case OpKind::kDepthToSpace:
    case OpKind::kSpaceToDepth: return index == 0;
    case OpKind::kConcat: return *all_inputs = true;
    default: return false;
  }
}

std::string describe_grid(const ActivationQuant& q) {
  return fmt::format("levels {} [{}, {}]", q.levels, q.out_low, q.out_high);
}

// The grid a node puts on its output (a leaf of the walk), or nullopt with the reason.
std::optional<ActivationQuant> source_grid(Output value, std::string* why) {
  const Node* node = value.node;
  std::optional<ActivationQuant> q;
  if (node->op == OpKind::kFakeQuantize) {
    q = activation_quant(*node, why, /*require_integer_zero=*/true);
    if (!q) *why = node->name + ": " + *why;
  } else if ((node->op == OpKind::kQuantizedConvolution || node->op == OpKind::kQuantizedMatMul) &&
             value.index == 0) {
    q = quantized_params(*node).output;
    if (!q) return *why = "activation is not fake-quantized", std::nullopt;
    const double zero = -static_cast<double>(q->out_low) / q->scale;
    if (std::fabs(zero - std::nearbyint(zero)) > 1e-3 || q->zero_point != std::nearbyint(zero))
      return *why = "zero is not on a quantization level of the producer's output", std::nullopt;
  } else {
    return *why = "activation is not fake-quantized", std::nullopt;
  }
  return q;
}

}  // namespace

bool same_grid(const ActivationQuant& a, const ActivationQuant& b) {
  return a.levels == b.levels && std::memcmp(&a.out_low, &b.out_low, sizeof(float)) == 0 &&
         std::memcmp(&a.out_high, &b.out_high, sizeof(float)) == 0;
}

std::optional<ActivationQuant> value_grid(Output value, std::string* why) {
  // Depth-first over the values feeding `value` (a worklist, no recursion: IR chains can be long);
  // every leaf must be a grid source, and all leaves must agree.
  std::optional<ActivationQuant> grid;
  std::string grid_source;
  std::vector<Output> pending{value};
  size_t visited = 0;
  while (!pending.empty()) {
    Output v = pending.back();
    pending.pop_back();
    if (++visited > 4096) return *why = "too many values between the activation and its grid", std::nullopt;
    bool all_inputs = false;
    while (moves_values_only(*v.node, v.index, &all_inputs) && !all_inputs) v = v.node->inputs.at(0);
    if (all_inputs) {
      for (const Output& in : v.node->inputs) pending.push_back(in);
      continue;
    }
    auto q = source_grid(v, why);
    if (!q) {
      if (v.node != value.node) *why += " (behind " + value.node->name + ")";
      return std::nullopt;
    }
    if (grid && !same_grid(*grid, *q)) {
      *why = fmt::format("concatenated values lie on different grids: {} ({}) and {} ({})", grid_source,
                         describe_grid(*grid), v.node->name, describe_grid(*q));
      return std::nullopt;
    }
    if (!grid) grid = q, grid_source = v.node->name;
  }
  if (!grid) return *why = "activation is not fake-quantized", std::nullopt;
  grid->in_low = grid->out_low;
  grid->in_high = grid->out_high;
  return grid;
}

}  // namespace octet
