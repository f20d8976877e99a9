// Reshape -> Transpose -> Reshape as ShuffleChannels (see channel_shuffle.h).
#include "host/transforms/channel_shuffle.h"

#include <string>
#include <vector>

namespace octet {
namespace {

bool only_consumer_is(const Graph& graph, const Node& producer, const Node& consumer) {
  const auto users = graph.consumers({const_cast<Node*>(&producer), 0});
  return users.size() == 1 && users[0].first == &consumer && users[0].second == 0;
}

// The axis a of `in` that `split` divides into two axes (a, a + 1), every other dim unchanged;
// -1 when it is not such a split.
int64_t split_axis(const Dims& in, const Dims& split) {
  if (split.size() != in.size() + 1) return -1;
  for (size_t a = 0; a < in.size(); ++a) {
    bool same = split[a] * split[a + 1] == in[a];
    for (size_t i = 0; i < a && same; ++i) same = split[i] == in[i];
    for (size_t i = a + 1; i < in.size() && same; ++i) same = split[i + 1] == in[i];
    if (same) return static_cast<int64_t>(a);
  }
  return -1;
}

// True when the constant permutation swaps axes a and a + 1 and leaves the others in place.
bool swaps_pair(const Tensor* perm, int64_t a, size_t rank) {
  if (perm == nullptr || static_cast<size_t>(perm->element_count()) != rank) return false;
  for (size_t i = 0; i < rank; ++i) {
    const int64_t want = static_cast<int64_t>(i) == a       ? a + 1
                         : static_cast<int64_t>(i) == a + 1 ? a
                                                            : static_cast<int64_t>(i);
    if (perm->get_as_int64(static_cast<int64_t>(i)) != want) return false;
  }
  return true;
}

}  // namespace

int fuse_channel_shuffles(Graph& graph) {
  int made = 0;
  for (Node* last : graph.topological_order()) {
    if (last->op != OpKind::kReshape) continue;
    Node* transpose = last->inputs[0].node;
    if (transpose->op != OpKind::kTranspose || last->inputs[0].index != 0) continue;
    Node* first = transpose->inputs[0].node;
    if (first->op != OpKind::kReshape || transpose->inputs[0].index != 0) continue;
    if (!only_consumer_is(graph, *first, *transpose) || !only_consumer_is(graph, *transpose, *last)) continue;
    const Dims& in = first->input_shape(0);
    const Dims& split = first->outputs[0].shape;
    const int64_t a = split_axis(in, split);
    if (a < 0 || last->outputs[0].shape != in || split[a] < 1) continue;
    if (!swaps_pair(transpose->input_constant(1), a, split.size())) continue;
    Node* shuffle = graph.add(OpKind::kShuffleChannels, last->name);
    shuffle->attrs.set("axis", std::to_string(a));
    shuffle->attrs.set("group", std::to_string(split[a]));
    shuffle->inputs = {first->inputs[0]};
    infer_node(*shuffle);
    shuffle->outputs[0].names = last->outputs[0].names;
    graph.replace_all_uses({last, 0}, {shuffle, 0});
    ++made;
  }
  if (made > 0) graph.remove_dead_nodes();
  return made;
}

}  // namespace octet
