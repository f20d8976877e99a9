// Tensor shapes: a list of dims, -1 for a dynamic dim; overflow-checked products.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace octet {

using Dims = std::vector<int64_t>;

constexpr int64_t kDynamicDim = -1;
// Dims beyond this are rejected (bad-inputs.md row 15): kernels index with 64-bit sizes, but no
// real tensor comes close, and a cap keeps every product of two dims inside int64.
constexpr int64_t kMaxDim = int64_t{1} << 40;
// Total elements of one tensor; larger shapes are rejected before any allocation (row 16).
constexpr int64_t kMaxElements = int64_t{1} << 40;

bool is_static(const Dims& dims);

// Product of dims; throws Error(kModel) when a dim is negative or the product exceeds kMaxElements.
int64_t element_count(const Dims& dims);

// "[1,3,224,224]", dynamic dims as "?".
std::string to_string(const Dims& dims);

// Normalises an axis in [-rank, rank) to [0, rank); throws Error(kModel) naming `what` otherwise.
int64_t normalize_axis(int64_t axis, int64_t rank, const char* what = "axis");

// Row-major strides (in elements) of a static shape.
Dims row_major_strides(const Dims& dims);

// numpy broadcast of two shapes; throws Error(kModel) if incompatible.
Dims broadcast_shapes(const Dims& a, const Dims& b);

}  // namespace octet
