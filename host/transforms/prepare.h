// Graph preparation: shape/type inference with constant folding of shape subgraphs.
#pragma once

#include "host/graph/graph.h"

namespace octet {

// Walks the graph in topological order, inferring every node (infer_node) and folding foldable
// nodes into Constants (see constant_folding.h); dead nodes are removed at the end. Afterwards
// every node has types and static shapes. A Parameter with a dynamic dim raises kUnsupported
// ("dynamic shapes: give a static shape"); so does any other output left dynamic.
void prepare_graph(Graph& g);

// MaxPool-8/-14 nodes whose indices output nothing reads lose that output, so backends can run
// the plain (faster) max pooling. Not for graphs whose intermediate values are asked for by name.
void drop_unused_pool_indices(Graph& g);

}  // namespace octet
