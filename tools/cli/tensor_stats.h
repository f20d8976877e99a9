// Element-wise comparison of two tensors for `octet compare`: differences, a tolerance verdict
// |a - b| <= atol + rtol * |b|, and NaN / Inf / zero counts kept apart from the differences.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/cli/cli.h"

namespace octet::cli {

struct Tolerance {
  double atol = 0;
  double rtol = 0;
};

// f32/f64: 1e-4/1e-4, f16: 1e-3/1e-3, bf16: 1e-2/1e-2, integer types: exact.
Tolerance default_tolerance(octet_element_type type);

// Every element as a double (sub-byte types unpacked); CliError for types it cannot read.
std::vector<double> tensor_values(octet_tensor_t tensor);

struct SpecialCounts {
  size_t nan = 0, inf = 0, zero = 0;
};

// Relative differences divide by max(|ref|, floor) with floor = kRelFloorFraction * max|ref| over the
// tensor (and at least kRelFloorMin), so that an element whose reference is ~0 cannot report 1e17:
// near zero the relative difference becomes a difference relative to the tensor's range.
constexpr double kRelFloorFraction = 1e-3;
constexpr double kRelFloorMin = 1e-6;

struct Comparison {
  size_t count = 0;
  size_t within = 0;  // elements meeting the tolerance (equal NaN/Inf positions count as within)
  double max_abs = 0;
  double mean_abs = 0;     // over elements finite on both sides
  double max_rel = 0;      // |a - b| / max(|b|, rel_floor)
  double rel_floor = 0;    // the floor used for max_rel
  double cosine = 1;       // cosine similarity over finite elements; 1 when both are all zero
  size_t worst_index = 0;  // flat index of the element furthest beyond the tolerance, else of max_abs
  double worst_actual = 0, worst_reference = 0;
  size_t special_mismatches = 0;  // NaN/Inf on one side only, or Infs of different sign
  SpecialCounts actual, reference;
  bool pass = true;
};

Comparison compare_values(const std::vector<double>& actual, const std::vector<double>& reference,
                          const Tolerance& tolerance);

// "[0,3,1,2]" for a flat index into `dims`.
std::string index_string(size_t flat, const std::vector<int64_t>& dims);

}  // namespace octet::cli
