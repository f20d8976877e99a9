// The sizes behind an Einsum-7 equation for given input shapes: one size per label (broadcast
// across inputs), the ellipsis dims (numpy-broadcast across the inputs that have one) and the output
// shape. Shared by shape inference and the reference.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "host/graph/graph.h"

namespace octet {

struct EinsumDims {
  std::array<int64_t, 52> label_size;  // 0 for labels the equation does not use
  Dims ellipsis;                       // broadcast dims covered by "..."
  std::vector<size_t> ellipsis_rank;   // dims the ellipsis covers in each input (0 without one)
  Dims output;
};

// Validates the input count and ranks against the subscripts and the sizes of each label: equal
// within one input (a repeated label takes the diagonal), numpy-broadcastable across inputs.
// Raises kModel naming the layer, the label and the shapes. Dynamic dims (kDynamicDim) are allowed.
EinsumDims einsum_dims(const Node& node, const std::vector<Dims>& inputs);

}  // namespace octet
