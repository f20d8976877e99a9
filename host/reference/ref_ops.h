// Private to host/reference: per-op evaluator declarations (one per ops.def line) and helpers.
#pragma once

#include <cstdint>
#include <vector>

#include "host/common/error.h"
#include "host/graph/graph.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/conv_geometry.h"

namespace octet {
namespace ref {

using Inputs = std::vector<const Tensor*>;
using Outputs = std::vector<Tensor>;

#define OCTET_OP(name, ir_type, versions, attrs) Outputs eval_##name(const Node& node, const Inputs& in);
#include "host/graph/ops.def"
#undef OCTET_OP

// f32, f16 and bf16: the types the float evaluators read and write (computing in f32).
bool is_compute_float(ElementType type);
// Element values as f32 (for f32/f16/bf16/f64 tensors) or int64 (any integer or boolean type).
std::vector<float> read_floats(const Tensor& t);
std::vector<int64_t> read_ints(const Tensor& t);
// A new tensor from f32 values, rounded to `type` (f32/f16/bf16, RNE).
Tensor make_float_tensor(ElementType type, const Dims& shape, const std::vector<float>& values);
// A new tensor from int64 values, wrapped modulo 2^bits to an integer `type` (boolean: != 0).
Tensor make_int_tensor(ElementType type, const Dims& shape, const std::vector<int64_t>& values);
// Wraps an int64 value to the range of an integer type (two's complement), as C++ conversion does.
int64_t wrap_to(ElementType type, int64_t value);

// Bytes per element of a byte-addressable type; raises kUnsupported (naming the node) otherwise.
size_t byte_width(const Node& node, ElementType type);
// out[i] = src[index[i]] element-wise for any byte-addressable type.
Tensor gather_elements(const Node& node, const Tensor& src, const Dims& out_shape,
                       const std::vector<int64_t>& index);

// For each element of `out` (row-major), the flat index of the element of `in` that numpy
// broadcasting maps to it. `in` must broadcast to `out` (rank may be lower).
std::vector<int64_t> broadcast_index(const Dims& in, const Dims& out);
// Numpy (or "none") broadcast of the node's two inputs as its auto_broadcast attribute asks
// (BinaryAttrs); pdpd raises kUnsupported (binary_broadcast handles it).
Dims binary_output_shape(const Node& node, const Dims& a, const Dims& b);
// The output shape of a binary op under any auto_broadcast, and its inputs' shapes as
// broadcast_index should read them: pdpd lines `b` up with `a` from BinaryAttrs::pdpd_axis.
struct BinaryBroadcast {
  Dims out, a, b;
};
BinaryBroadcast binary_broadcast(const Node& node, const Dims& a, const Dims& b);

// A required input of a node as int64 values (axes, shapes, indices...).
std::vector<int64_t> int_input(const Node& node, const Inputs& in, size_t i);
// Raises kModel unless the node has between min and max inputs.
void need_inputs(const Node& node, const Inputs& in, size_t min, size_t max);
[[noreturn]] void unsupported_type(const Node& node, ElementType type);
// Convolution/pooling windows: conv_window / pool_window of host/graph/ops/conv_geometry.h.
// AvgPool of x [N, C, spatial...] (1-3 spatial dims, float) over `window` (pads resolved) with
// AvgPool's divisor rules (ir-spec.md 6.4); the sum runs over the window in (depth, row, column)
// order. Shared by AvgPool and CodesAvgPool.
Tensor average_pool(const Tensor& x, const ConvGeometry& window, bool exclude_pad);

}  // namespace ref
}  // namespace octet
