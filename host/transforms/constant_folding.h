// Which nodes prepare_graph folds into Constants, and the folding itself.
//
// Folded: ShapeOf of a statically shaped input; any node whose inputs are all Constants and whose
// outputs are integer or boolean (shape subgraphs); float nodes with all-Constant inputs and at most
// kMaxFoldedElements output elements. Never folded, so later passes still see quantized and
// compressed weights: Convert of a Constant of a type of 16 bits or fewer to a float type (weight
// decompression: i8/u8/i4/u4 codes, zero points, and f16-compressed weights; a Convert of i32/i64/
// boolean values is shape arithmetic and folds), FakeQuantize, Parameter/Result/Constant and
// internal ops.
#pragma once

#include <cstdint>

#include "host/graph/graph.h"

namespace octet {

constexpr int64_t kMaxFoldedElements = 4096;

// Whether `node` (already inferred) should be replaced by Constants.
bool is_foldable(const Node& node);
// Evaluates `node` with the reference and rewires its consumers to new Constants carrying the
// same tensor names (the node itself becomes dead). Returns false when it is not foldable.
bool fold_node(Graph& g, Node& node);

}  // namespace octet
