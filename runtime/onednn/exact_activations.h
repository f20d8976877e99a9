// Private to runtime/onednn: Swish and Sigmoid over a row of floats, bit-exact with the reference's
// apply_activation (host/reference/quantized_linear.h: the formula in double, rounded once to f32),
// eight lanes at a time with a vector double exp.
#pragma once

#include <cstdint>

#include "host/graph/quantized_linear.h"

namespace octet {
namespace cpu {

// True for the post-ops exact_activation_row computes.
bool has_exact_activation_row(const PostOp& op);

// row[i] = apply_activation(op, row[i]) for i < n, every result bit-identical to it: each lane's
// double result is computed with a vector exp (relative error below 2^-50, so within 2^-48 of the
// reference's double) and rounded to f32; a lane whose double lies within 2^-40 (relative) of an
// f32 rounding boundary, or whose input is not an ordinary finite value, is recomputed by
// apply_activation itself.
void exact_activation_row(const PostOp& op, float* row, int64_t n);

}  // namespace cpu
}  // namespace octet
