// Private to host/reference/logic.cpp and math.cpp: element values as doubles (exact for every float
// type and for integers up to 2^53) and back, rounded once to the output type.
#pragma once

#include <cstring>
#include <vector>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {

inline std::vector<double> read_doubles(const Tensor& t) {
  std::vector<double> v(static_cast<size_t>(t.element_count()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = t.get_as_double(static_cast<int64_t>(i));
  return v;
}

// A tensor of a float type from doubles, rounded once to the type (f64 kept as is).
inline Tensor make_from_doubles(ElementType type, const Dims& shape, const std::vector<double>& v) {
  if (type == ElementType::kF64) {
    Tensor t(type, shape);
    if (!v.empty()) std::memcpy(t.data(), v.data(), v.size() * sizeof(double));
    return t;
  }
  std::vector<float> f(v.size());
  for (size_t i = 0; i < v.size(); ++i) f[i] = static_cast<float>(v[i]);
  return make_float_tensor(type, shape, f);
}

}  // namespace ref
}  // namespace octet
