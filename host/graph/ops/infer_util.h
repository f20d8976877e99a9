// Helpers shared by the per-op shape inference functions: constant inputs, axes and checks that
// name the layer in their errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/graph/op_attrs.h"
#include "host/graph/ops/op_infer.h"

namespace octet {

// The value of input i. When the producer is not a Constant (the folding pass has already turned every
// subgraph computed from constants and input shapes into one) raises kUnsupported:
//   "<layer>: input 1 (shape) must be constant: it depends on the values of model input 'x' through
//    'a' -> 'b'; octet needs it at compile time: static shapes only (...)".
const Tensor& constant_input(const Node& node, size_t i, const char* what);
// Why input i of `node` is not a Constant, for error messages: "it depends on the values of model input
// 'x' through 'a' -> 'b'" (the nearest model input along value edges; ShapeOf edges carry only shapes),
// "it is the values of model input 'x'", or "it is computed by layer 'c' (Op-v), which octet did not
// fold into a constant".
std::string value_dependency(const Node& node, size_t i);
// The values of an integer constant input (kModel when its type is not an integer type).
std::vector<int64_t> constant_ints(const Node& node, size_t i, const char* what);
// The values of a numeric constant input as doubles.
std::vector<double> constant_doubles(const Node& node, size_t i, const char* what);
// A constant input that must hold exactly one value (scalar or [1]).
int64_t constant_scalar_int(const Node& node, size_t i, const char* what);

// Normalises `axis` against `rank`; raises kModel naming the layer, `what` and the value.
int64_t node_axis(const Node& node, int64_t axis, int64_t rank, const char* what);
// Normalises a list of axes; `unique` rejects duplicates after normalisation.
std::vector<int64_t> node_axes(const Node& node, const std::vector<int64_t>& axes, int64_t rank,
                               const char* what, bool unique);

// Raises kModel unless the input's rank is in [min_rank, max_rank].
void expect_rank(const Node& node, size_t input, size_t min_rank, size_t max_rank);
// Raises kModel unless inputs a and b have the same element type.
void expect_same_type(const Node& node, size_t a, size_t b);
// Raises kModel unless input i has a floating-point element type.
void expect_float(const Node& node, size_t i);
// Raises kModel unless input i has an integer element type.
void expect_integer(const Node& node, size_t i, const char* what);

// numpy broadcast of two shapes with the layer named in the error.
Dims node_broadcast(const Node& node, const Dims& a, const Dims& b);
// Whether `from` broadcasts numpy-style onto `to` without changing it (one-directional).
bool broadcasts_to(const Dims& from, const Dims& to);
// pdpd broadcasting (ir-spec.md 5): `from` with its trailing 1s dropped lines up with the dims of
// `to` from `axis` on (-1: from rank(to) - rank(from), counted before the trim), each dim equal or
// 1 (dynamic dims match anything). Returns `from` padded with 1s to the rank of `to`, or nothing
// when it does not fit.
std::optional<Dims> pdpd_aligned(const Dims& from, const Dims& to, int64_t axis);
// Validates an inferred shape (dims within kMaxDim, element count within kMaxElements when static).
void check_output_shape(const Node& node, const Dims& dims);

// Sets a single output of the given type and shape (keeps IR tensor names).
void set_single_output(Node& node, ElementType type, Dims shape);

// "[1,-1,0]": a list of values for messages (to_string(Dims) would print -1 as '?').
std::string list_string(const std::vector<int64_t>& values);

// Floor and ceiling division for a positive divisor.
int64_t floor_div(int64_t a, int64_t b);
int64_t ceil_div(int64_t a, int64_t b);

}  // namespace octet
