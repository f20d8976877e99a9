// Private to host/reference: helpers shared by the gather and scatter evaluators.
#pragma once

#include <cstdint>

#include "host/graph/graph.h"

namespace octet {
namespace ref {

// An index value of input `input` at flat `position`, checked against a dim of `size` and made
// non-negative: [-size, size) when `negatives`, else [0, size). Out of range raises kInvalidArgument
// naming the layer, the value and its position (indices are data, possibly from a model input).
int64_t checked_index(const Node& node, size_t input, int64_t value, int64_t position, int64_t size,
                      bool negatives);
// Product of the dims in [begin, end) (1 for none).
int64_t product(Dims::const_iterator begin, Dims::const_iterator end);

}  // namespace ref
}  // namespace octet
