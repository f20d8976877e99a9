// Which quantization grid a float activation lies on, seen through ops that only move values
// (reshapes, transposes, max pooling, splits, channel shuffles, and concatenations of values that
// all lie on one grid).
#pragma once

#include <optional>
#include <string>

#include "host/graph/graph.h"
#include "host/graph/quantized_linear.h"

namespace octet {

// The grid of `value` when every element is known to lie on it: the output of a FakeQuantize (with
// zero on a level), or of a quantized linear node with a fused output FakeQuantize, seen through
// ops whose outputs hold only values taken from their inputs. A Concat qualifies only when all of
// its inputs lie on grids with the same levels and bitwise-identical output ranges (NNCF unifies
// the quantizers of concatenated branches): Concat(FQ(a), FQ(b)) is then FQ-valued elementwise.
// The result quantizes those values back to their own levels (input range = output range).
// Returns nullopt with the reason otherwise.
std::optional<ActivationQuant> value_grid(Output value, std::string* why);

// True when `a` and `b` put values on the same grid: equal levels, bitwise-equal output ranges.
bool same_grid(const ActivationQuant& a, const ActivationQuant& b);

}  // namespace octet
