// Shape helpers shared by the IR reader, shape inference and kernels.
#include "host/graph/shape.h"

#include <algorithm>

#include "host/common/error.h"

namespace octet {

bool is_static(const Dims& dims) {
  return std::all_of(dims.begin(), dims.end(), [](int64_t d) { return d >= 0; });
}

int64_t element_count(const Dims& dims) {
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0) raise(ErrorCode::kModel, "shape {} is not static", to_string(dims));
    if (d > kMaxDim) raise(ErrorCode::kModel, "dimension {} of shape {} is too large", d, to_string(dims));
    if (d != 0 && count > kMaxElements / d)
      raise(ErrorCode::kModel, "shape {} has more than 2^40 elements", to_string(dims));
    count *= d;
  }
  return count;
}

std::string to_string(const Dims& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ",";
    s += dims[i] < 0 ? std::string("?") : std::to_string(dims[i]);
  }
  return s + "]";
}

int64_t normalize_axis(int64_t axis, int64_t rank, const char* what) {
  if (axis < -rank || axis >= rank)
    raise(ErrorCode::kModel, "{} {} is out of range for rank {}", what, axis, rank);
  return axis < 0 ? axis + rank : axis;
}

Dims row_major_strides(const Dims& dims) {
  Dims strides(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
  return strides;
}

Dims broadcast_shapes(const Dims& a, const Dims& b) {
  const size_t rank = std::max(a.size(), b.size());
  Dims out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1) {
      out[i] = da;
    } else if (da == 1) {
      out[i] = db;
    } else if (da < 0 || db < 0) {
      out[i] = kDynamicDim;
    } else {
      raise(ErrorCode::kModel, "shapes {} and {} do not broadcast", to_string(a), to_string(b));
    }
  }
  return out;
}

}  // namespace octet
