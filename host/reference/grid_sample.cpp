// Reference GridSample-9 (OpenVINO op specification; OpenVINO's reference arithmetic in f32): each
// output pixel samples data at the grid's normalised (x, y) in [-1, 1], mapped to pixel coordinates
// with or without align_corners. Padding applies to the integer pixel indices the interpolation
// reads (zeros: 0 outside; border: clamped; reflection: mirrored), nearest rounds half to even and
// bicubic uses the A = -0.75 kernel on the 4x4 neighbourhood.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

class Sampler {
 public:
  Sampler(const GridSampleAttrs& a, const float* plane, int64_t h, int64_t w)
      : a_(a), plane_(plane), h_(h), w_(w) {}

  float sample(float xn, float yn) const {
    const float x = denormalize(xn, w_), y = denormalize(yn, h_);
    switch (a_.mode) {
      case GridSampleMode::kNearest:
        return at(static_cast<int64_t>(std::nearbyint(y)), static_cast<int64_t>(std::nearbyint(x)));
      case GridSampleMode::kBilinear: {
        const float y0 = std::floor(y), x0 = std::floor(x), dy = y - y0, dx = x - x0;
        const int64_t iy = static_cast<int64_t>(y0), ix = static_cast<int64_t>(x0);
        const float q0 = (1 - dx) * at(iy, ix) + dx * at(iy, ix + 1);
        const float q1 = (1 - dx) * at(iy + 1, ix) + dx * at(iy + 1, ix + 1);
        return dy * q1 + (1 - dy) * q0;
      }
      case GridSampleMode::kBicubic: {
        const float y0 = std::floor(y), x0 = std::floor(x);
        const auto cy = coeffs(y - y0), cx = coeffs(x - x0);
        const int64_t iy = static_cast<int64_t>(y0) - 1, ix = static_cast<int64_t>(x0) - 1;
        float out = 0;
        for (int64_t j = 0; j < 4; ++j) {
          float row = 0;
          for (int64_t i = 0; i < 4; ++i) row += cx[static_cast<size_t>(i)] * at(iy + j, ix + i);
          out += cy[static_cast<size_t>(j)] * row;
        }
        return out;
      }
    }
    return 0;
  }

 private:
  float denormalize(float v, int64_t range) const {
    const float r = static_cast<float>(range);
    return a_.align_corners ? (v + 1) * (r - 1) / 2 : ((v + 1) * r - 1) / 2;
  }

  // The data value at integer pixel (y, x) under the padding mode.
  float at(int64_t y, int64_t x) const {
    switch (a_.padding) {
      case GridSamplePadding::kZeros:
        if (y < 0 || x < 0 || y >= h_ || x >= w_) return 0;
        break;
      case GridSamplePadding::kBorder:
        y = std::min(std::max<int64_t>(y, 0), h_ - 1);
        x = std::min(std::max<int64_t>(x, 0), w_ - 1);
        break;
      case GridSamplePadding::kReflection:
        y = reflect(y, h_);
        x = reflect(x, w_);
        break;
    }
    return plane_[y * w_ + x];
  }

  // Mirrored about the pixel edges (-0.5 and size - 0.5) without align_corners, about the outer
  // pixel centres (0 and size - 1) with it.
  int64_t reflect(int64_t v, int64_t size) const {
    if (a_.align_corners) {
      const int64_t period = size == 1 ? 1 : 2 * (size - 1);
      v = std::llabs(v) % period;
      return v >= size ? period - v : v;
    }
    const int64_t period = 2 * size;
    v = (v % period + period) % period;
    return v >= size ? period - 1 - v : v;
  }

  static std::array<float, 4> coeffs(float r) {
    const float A = -0.75f;
    return {((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A, ((A + 2) * r - (A + 3)) * r * r + 1,
            ((A + 2) * (1 - r) - (A + 3)) * (1 - r) * (1 - r) + 1,
            ((A * (2 - r) - 5 * A) * (2 - r) + 8 * A) * (2 - r) - 4 * A};
  }

  const GridSampleAttrs& a_;
  const float* plane_;
  int64_t h_, w_;
};

}  // namespace

Outputs eval_GridSample(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor &data = *in[0], &grid = *in[1];
  if (!is_compute_float(data.type())) unsupported_type(node, data.type());
  if (!is_compute_float(grid.type())) unsupported_type(node, grid.type());
  const Dims &ds = data.shape(), &gs = grid.shape();
  if (ds.size() != 4 || gs.size() != 4 || gs[0] != ds[0] || gs[3] != 2)
    raise(ErrorCode::kModel, "{}: data {} and grid {} must be [N, C, H, W] and [N, H_out, W_out, 2]",
          node.describe(), to_string(ds), to_string(gs));
  const GridSampleAttrs& a = node.attr<GridSampleAttrs>();
  const auto x = read_floats(data), g = read_floats(grid);
  const int64_t N = ds[0], C = ds[1], H = ds[2], W = ds[3], HO = gs[1], WO = gs[2];
  std::vector<float> y(static_cast<size_t>(N * C * HO * WO));
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c) {
      const Sampler s(a, &x[static_cast<size_t>((n * C + c) * H * W)], H, W);
      for (int64_t i = 0; i < HO * WO; ++i) {
        const float* xy = &g[static_cast<size_t>((n * HO * WO + i) * 2)];
        y[static_cast<size_t>((n * C + c) * HO * WO + i)] = s.sample(xy[0], xy[1]);
      }
    }
  return {make_float_tensor(data.type(), {N, C, HO, WO}, y)};
}

}  // namespace ref
}  // namespace octet
