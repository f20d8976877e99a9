// Interpolate's per-dim coordinate formulas (OpenVINO Interpolate-4/11 spec), shared by the reference
// evaluator and the OpenCL backend's host-side tap tables so that both index the input identically.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

#include "host/graph/op_attrs.h"

namespace octet::interp {

// Source coordinate of output index x along a dim, in f32 arithmetic as OpenVINO's reference.
inline float source_coord(CoordinateTransform mode, float x, float scale, float out_len, float in_len) {
  switch (mode) {
    case CoordinateTransform::kHalfPixel: return (x + 0.5f) / scale - 0.5f;
    case CoordinateTransform::kPytorchHalfPixel: return out_len > 1 ? (x + 0.5f) / scale - 0.5f : 0.0f;
    case CoordinateTransform::kAsymmetric: return x / scale;
    case CoordinateTransform::kTfHalfPixelForNn: return (x + 0.5f) / scale;
    case CoordinateTransform::kAlignCorners: break;
  }
  return out_len == 1 ? 0.0f : x * (in_len - 1) / (out_len - 1);  // align_corners
}

// Input index picked by nearest mode for source coordinate x.
inline int64_t nearest_index(NearestMode mode, float x, bool downsample) {
  switch (mode) {
    case NearestMode::kRoundPreferFloor:
      if (x == static_cast<float>(static_cast<int64_t>(x)) + 0.5f) return static_cast<int64_t>(std::floor(x));
      return static_cast<int64_t>(std::round(x));
    case NearestMode::kRoundPreferCeil: return static_cast<int64_t>(std::round(x));
    case NearestMode::kFloor: return static_cast<int64_t>(std::floor(x));
    case NearestMode::kCeil: return static_cast<int64_t>(std::ceil(x));
    case NearestMode::kSimple: break;
  }
  return downsample ? static_cast<int64_t>(std::ceil(x)) : static_cast<int64_t>(x);  // simple
}

// The four cubic weights for fractional offset s and coefficient a.
inline std::array<float, 4> cubic_coeffs(float s, float a) {
  return {((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a, ((a + 2) * s - (a + 3)) * s * s + 1,
          ((a + 2) * (1 - s) - (a + 3)) * (1 - s) * (1 - s) + 1,
          ((a * (2 - s) - 5 * a) * (2 - s) + 8 * a) * (2 - s) - 4 * a};
}

}  // namespace octet::interp
