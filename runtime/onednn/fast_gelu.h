// Private to runtime/onednn: Gelu (erf form) over a row for Precision::kFast, within 1e-6 relative of
// host/reference's double formula.
#pragma once

#include <cstdint>

namespace octet {
namespace cpu {

// row[i] = 0.5 * x * (1 + erf(x / sqrt 2)) in double, rounded to float, as the reference computes
// it, but with glibc's vectorised erf (libmvec, a few double ulps) where the CPU and C library have
// it: results equal the reference's except for rare last-bit differences after rounding to float.
void fast_gelu_erf_row(float* row, int64_t count);

}  // namespace cpu
}  // namespace octet
