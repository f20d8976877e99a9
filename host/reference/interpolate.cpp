// Reference Interpolate-4/11: nearest, linear, linear_onnx and cubic modes, every coordinate
// transform and nearest rounding mode (ir-spec.md 6.5). Pillow modes are not implemented.
#include <algorithm>
#include <array>
#include <cmath>

#include "host/reference/interpolate_math.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

struct Setup {
  Dims in;                   // padded input shape
  Dims out;                  // output shape
  std::vector<float> scale;  // per dim (1 for dims not in axes)
  std::vector<bool> is_axis;
  CoordinateTransform coord_mode = CoordinateTransform::kHalfPixel;
};

using interp::cubic_coeffs;
using interp::nearest_index;
using interp::source_coord;

// Iterates a row-major odometer over `shape`; returns false after the last coordinate.
bool next(Dims& c, const Dims& shape) {
  for (size_t d = c.size(); d-- > 0;) {
    if (++c[d] < shape[d]) return true;
    c[d] = 0;
  }
  return false;
}

}  // namespace

Outputs eval_Interpolate(const Node& node, const Inputs& in) {
  const bool v11 = node.version >= 11;
  need_inputs(node, in, v11 ? 2 : 3, v11 ? 3 : 4);
  const Tensor& x = *in[0];
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  const Dims& xs = x.shape();
  const size_t rank = xs.size();
  const InterpolateAttrs& ia = node.attr<InterpolateAttrs>();
  const InterpolateMode mode = ia.mode;
  if (mode == InterpolateMode::kBilinearPillow || mode == InterpolateMode::kBicubicPillow)
    raise(ErrorCode::kUnsupported, "reference {}: mode {} is not implemented", node.describe(),
          to_string(mode));
  const bool sizes_mode = ia.shape_mode == InterpolateShapeMode::kSizes;
  const char* calc = sizes_mode ? "sizes" : "scales";
  Setup s;
  s.coord_mode = ia.transform;
  const NearestMode nearest_mode = ia.nearest_mode;
  const bool antialias = ia.antialias;
  const float cube_coeff = static_cast<float>(ia.cube_coeff);
  auto pads_b = ia.pads_begin, pads_e = ia.pads_end;
  pads_b.resize(rank, 0);
  pads_e.resize(rank, 0);

  // Zero padding first; everything below works on the padded input.
  s.in.resize(rank);
  for (size_t d = 0; d < rank; ++d) s.in[d] = xs[d] + pads_b[d] + pads_e[d];
  std::vector<float> data(static_cast<size_t>(element_count(s.in)), 0.0f);
  {
    const auto v = read_floats(x);
    const Dims ps = row_major_strides(s.in);
    Dims c(rank, 0);
    for (size_t i = 0; i < v.size(); ++i) {
      int64_t off = 0;
      for (size_t d = 0; d < rank; ++d) off += (c[d] + pads_b[d]) * ps[d];
      data[static_cast<size_t>(off)] = v[i];
      next(c, xs);
    }
  }
  const size_t axes_input = v11 ? 2 : 3;
  std::vector<int64_t> axes;
  if (in.size() > axes_input) {
    for (int64_t a : int_input(node, in, axes_input))
      axes.push_back(normalize_axis(a, static_cast<int64_t>(rank), "axes"));
  } else {
    for (size_t d = 0; d < rank; ++d) axes.push_back(static_cast<int64_t>(d));
  }
  s.out = s.in;
  s.scale.assign(rank, 1.0f);
  s.is_axis.assign(rank, false);
  const Tensor& sizes_or_scales = *in[v11 ? 1 : (sizes_mode ? 1 : 2)];
  if (sizes_or_scales.element_count() != static_cast<int64_t>(axes.size()))
    raise(ErrorCode::kModel, "{}: {} has {} values for {} axes", node.describe(), calc,
          sizes_or_scales.element_count(), axes.size());
  for (size_t i = 0; i < axes.size(); ++i) {
    const size_t a = static_cast<size_t>(axes[i]);
    s.is_axis[a] = true;
    if (sizes_mode) {
      s.out[a] = sizes_or_scales.get_as_int64(static_cast<int64_t>(i));
      s.scale[a] = static_cast<float>(s.out[a]) / static_cast<float>(s.in[a]);
    } else {
      s.scale[a] = static_cast<float>(sizes_or_scales.get_as_double(static_cast<int64_t>(i)));
      s.out[a] = static_cast<int64_t>(std::floor(static_cast<double>(s.in[a]) * s.scale[a] + 1e-5));
    }
  }
  const Dims in_str = row_major_strides(s.in);
  std::vector<float> y(static_cast<size_t>(element_count(s.out)));
  auto coord_of = [&](size_t d, int64_t o) {
    return source_coord(s.coord_mode, static_cast<float>(o), s.scale[d], static_cast<float>(s.out[d]),
                        static_cast<float>(s.in[d]));
  };
  Dims oc(rank, 0);
  if (y.empty()) return {make_float_tensor(x.type(), s.out, y)};
  bool downsample_any = false;
  for (size_t d = 0; d < rank; ++d) downsample_any = downsample_any || (s.is_axis[d] && s.scale[d] < 1.0f);
  size_t o = 0;
  do {
    float result = 0.0f;
    if (mode == InterpolateMode::kNearest) {
      int64_t off = 0;
      for (size_t d = 0; d < rank; ++d) {
        // Dims not listed in axes copy their index: the transform is not an identity for them
        // (tf_half_pixel_for_nn gives x + 0.5, which round_prefer_ceil and ceil move to x + 1).
        if (!s.is_axis[d]) {
          off += oc[d] * in_str[d];
          continue;
        }
        int64_t i = nearest_index(nearest_mode, coord_of(d, oc[d]), s.scale[d] < 1.0f);
        i = std::min(std::max<int64_t>(i, 0), s.in[d] - 1);
        off += i * in_str[d];
      }
      result = data[static_cast<size_t>(off)];
    } else if (mode == InterpolateMode::kLinearOnnx || mode == InterpolateMode::kCubic) {
      // Separable taps: per dim a list of (index, weight); non-axis dims have one tap of weight 1.
      std::vector<std::vector<std::pair<int64_t, float>>> taps(rank);
      for (size_t d = 0; d < rank; ++d) {
        if (!s.is_axis[d]) {
          taps[d] = {{oc[d], 1.0f}};
          continue;
        }
        const int64_t len = s.in[d];
        float c = coord_of(d, oc[d]);
        if (mode == InterpolateMode::kLinearOnnx) {
          c = std::max(0.0f, std::min(c, static_cast<float>(len - 1)));
          const int64_t i1 = std::min(static_cast<int64_t>(c), len - 1), i2 = std::min(i1 + 1, len - 1);
          float d1 = std::fabs(c - static_cast<float>(i1)), d2 = std::fabs(c - static_cast<float>(i2));
          if (i1 == i2) d1 = d2 = 0.5f;
          taps[d] = {{i1, d2}, {i2, d1}};
        } else {
          const float f = std::floor(c);
          const auto w = cubic_coeffs(c - f, cube_coeff);
          for (int k = 0; k < 4; ++k) {
            const int64_t i = std::min(std::max<int64_t>(static_cast<int64_t>(f) + k - 1, 0), len - 1);
            taps[d].push_back({i, w[static_cast<size_t>(k)]});
          }
        }
      }
      Dims tc(rank, 0), tn(rank);
      for (size_t d = 0; d < rank; ++d) tn[d] = static_cast<int64_t>(taps[d].size());
      do {
        float w = 1.0f;
        int64_t off = 0;
        for (size_t d = 0; d < rank; ++d) {
          w *= taps[d][static_cast<size_t>(tc[d])].second;
          off += taps[d][static_cast<size_t>(tc[d])].first * in_str[d];
        }
        result += w * data[static_cast<size_t>(off)];
      } while (next(tc, tn));
    } else {  // linear: triangle filter with renormalisation over in-range taps
      const bool aa = antialias && downsample_any;
      std::vector<float> c(rank), a(rank, 1.0f);
      Dims r(rank, 0), center(rank, 0), wn(rank, 1), wc(rank, 0);
      for (size_t d = 0; d < rank; ++d) {
        if (!s.is_axis[d]) {
          center[d] = oc[d];
          continue;
        }
        c[d] = coord_of(d, oc[d]);
        a[d] = aa ? s.scale[d] : 1.0f;
        r[d] = s.scale[d] > 1.0f ? 2 : static_cast<int64_t>(std::ceil(2.0f / a[d]));
        center[d] = static_cast<int64_t>(std::round(c[d]));
        wn[d] = 2 * r[d] + 1;
      }
      float sum = 0.0f, wsum = 0.0f;
      do {
        float w = 1.0f;
        int64_t off = 0;
        bool inside = true;
        for (size_t d = 0; d < rank && inside; ++d) {
          const int64_t i = center[d] + wc[d] - r[d];
          if (i < 0 || i >= s.in[d]) inside = false;
          off += i * in_str[d];
          if (s.is_axis[d])
            w *= a[d] * std::max(0.0f, 1.0f - std::fabs(a[d] * (c[d] - static_cast<float>(i))));
        }
        if (!inside) continue;
        wsum += w;
        sum += w * data[static_cast<size_t>(off)];
      } while (next(wc, wn));
      result = wsum == 0.0f ? 0.0f : sum / wsum;
    }
    y[o++] = result;
  } while (next(oc, s.out));
  return {make_float_tensor(x.type(), s.out, y)};
}

}  // namespace ref
}  // namespace octet
