// Private to host/reference: the grouping behind reductions and normalisations over a set of axes.
// Every element of a row-major tensor belongs to the group named by its coordinate with the reduced
// axes dropped; groups are numbered row-major in the shape with reduced axes set to 1.
#pragma once

#include <cstdint>
#include <vector>

#include "host/graph/shape.h"

namespace octet {
namespace ref {

struct AxisGroups {
  std::vector<int64_t> slot;  // group of each element
  int64_t groups = 0;         // number of groups (elements of the kept shape)
  int64_t group_size = 0;     // elements per group (product of the reduced dims)
  Dims kept_shape;            // the shape with reduced dims as 1
};

// `reduced[d]` says whether axis d is reduced; its size is the rank of `shape`.
inline AxisGroups group_by_axes(const Dims& shape, const std::vector<bool>& reduced) {
  AxisGroups g;
  const size_t rank = shape.size();
  g.kept_shape = shape;
  g.group_size = 1;
  for (size_t d = 0; d < rank; ++d)
    if (reduced[d]) {
      g.group_size *= shape[d];
      g.kept_shape[d] = 1;
    }
  g.groups = element_count(g.kept_shape);
  const Dims strides = row_major_strides(g.kept_shape);
  const int64_t n = element_count(shape);
  g.slot.resize(static_cast<size_t>(n));
  Dims coord(rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t s = 0;
    for (size_t d = 0; d < rank; ++d)
      if (!reduced[d]) s += coord[d] * strides[d];
    g.slot[static_cast<size_t>(i)] = s;
    for (size_t d = rank; d-- > 0;) {
      if (++coord[d] < shape[d]) break;
      coord[d] = 0;
    }
  }
  return g;
}

}  // namespace ref
}  // namespace octet
