// Label sizes and output shape of Einsum-7 (einsum_dims.h).
#include "host/graph/ops/einsum_dims.h"

#include <algorithm>

#include "host/common/error.h"
#include "host/graph/op_attrs.h"

namespace octet {
namespace {

constexpr int64_t kUnseen = -2;

// numpy broadcast of dim `d` into `into` (kUnseen before the first); false when they do not broadcast.
bool merge(int64_t& into, int64_t d) {
  if (into == kUnseen || into == d || into == 1) {
    into = d;
    return true;
  }
  if (d == 1 || d == kDynamicDim) return true;
  if (into == kDynamicDim) {
    into = d;
    return true;
  }
  return false;
}

}  // namespace

EinsumDims einsum_dims(const Node& node, const std::vector<Dims>& inputs) {
  const EinsumAttrs& a = node.attr<EinsumAttrs>();
  if (inputs.size() != a.inputs.size())
    raise(ErrorCode::kModel, "{}: equation '{}' has {} input subscripts but the node has {} inputs",
          node.describe(), a.equation, a.inputs.size(), inputs.size());
  EinsumDims d;
  d.label_size.fill(kUnseen);
  d.ellipsis_rank.assign(inputs.size(), 0);
  std::vector<Dims> ellipses;
  for (size_t n = 0; n < inputs.size(); ++n) {
    const std::vector<int>& sub = a.inputs[n];
    const Dims& shape = inputs[n];
    const bool has_ellipsis = std::count(sub.begin(), sub.end(), EinsumAttrs::kEllipsis) > 0;
    const size_t named = sub.size() - (has_ellipsis ? 1 : 0);
    if (has_ellipsis ? shape.size() < named : shape.size() != named)
      raise(ErrorCode::kModel, "{}: input {} has shape {} but its subscript in '{}' covers {}{} dims",
            node.describe(), n, to_string(shape), a.equation, has_ellipsis ? "at least " : "", named);
    const size_t covered = shape.size() - named;
    d.ellipsis_rank[n] = has_ellipsis ? covered : 0;
    std::array<int64_t, 52> local;
    local.fill(kUnseen);
    size_t axis = 0;
    for (int label : sub) {
      if (label == EinsumAttrs::kEllipsis) {
        ellipses.emplace_back(shape.begin() + static_cast<std::ptrdiff_t>(axis),
                              shape.begin() + static_cast<std::ptrdiff_t>(axis + covered));
        axis += covered;
        continue;
      }
      const int64_t dim = shape[axis++];
      const int64_t before = local[label];
      if (before != kUnseen && before != kDynamicDim && dim != kDynamicDim && before != dim)
        raise(ErrorCode::kModel, "{}: label '{}' repeats in input {} (shape {}) over dims of sizes {} and {}",
              node.describe(), einsum_label_name(label), n, to_string(shape), before, dim);
      if (before == kUnseen || before == kDynamicDim) local[label] = dim;
    }
    for (int label = 0; label < 52; ++label)
      if (local[label] != kUnseen && !merge(d.label_size[label], local[label]))
        raise(ErrorCode::kModel,
              "{}: label '{}' has size {} in input {} (shape {}) but {} in an earlier input", node.describe(),
              einsum_label_name(label), local[label], n, to_string(shape), d.label_size[label]);
  }
  for (const Dims& e : ellipses) {
    if (e.size() > d.ellipsis.size())
      d.ellipsis.insert(d.ellipsis.begin(), e.size() - d.ellipsis.size(), kUnseen);
    for (size_t i = 0; i < e.size(); ++i) {
      int64_t& into = d.ellipsis[d.ellipsis.size() - e.size() + i];
      if (!merge(into, e[i]))
        raise(ErrorCode::kModel, "{}: the dims covered by '...' do not broadcast ({} vs {})", node.describe(),
              to_string(e), to_string(d.ellipsis));
    }
  }
  for (int64_t& size : d.label_size)
    if (size == kUnseen) size = 0;
  for (int label : a.output) {
    if (label == EinsumAttrs::kEllipsis)
      d.output.insert(d.output.end(), d.ellipsis.begin(), d.ellipsis.end());
    else
      d.output.push_back(d.label_size[label]);
  }
  return d;
}

}  // namespace octet
