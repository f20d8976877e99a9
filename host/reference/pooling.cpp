// Reference MaxPool-1/8/14 (values and indices) and AvgPool-1/14 with OV's divisor rules (ir-spec.md 6.4).
#include <algorithm>
#include <limits>

#include "host/graph/ops/conv_geometry.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

struct Pool {
  Dims in, kernel, strides, dilations, pads_begin, pads_end, out;  // spatial, padded to 3 dims
  Dims out_shape;
  int64_t planes = 0;  // N * C
};

Dims to3(const Dims& d, int64_t fill) {
  Dims r(3 - d.size(), fill);
  r.insert(r.end(), d.begin(), d.end());
  return r;
}

// The window `g` (pads resolved) over x's spatial dims, as 3-D.
Pool pool_of(const Tensor& x, const ConvGeometry& g) {
  const Dims& xs = x.shape();
  Pool p;
  p.in = to3(Dims(xs.begin() + 2, xs.end()), 1);
  p.kernel = to3(g.kernel, 1);
  p.strides = to3(g.strides, 1);
  p.dilations = to3(g.dilations, 1);
  p.pads_begin = to3(g.pads_begin, 0);
  p.pads_end = to3(g.pads_end, 0);
  p.out = to3(g.output, 1);
  p.out_shape = {xs[0], xs[1]};
  p.out_shape.insert(p.out_shape.end(), g.output.begin(), g.output.end());
  p.planes = xs[0] * xs[1];
  return p;
}

// The pooling node's window over x, after checking x's rank and type.
ConvGeometry window_of(const Node& node, const Tensor& x) {
  const Dims& xs = x.shape();
  if (xs.size() < 3 || xs.size() > 5)
    raise(ErrorCode::kUnsupported, "reference {}: data rank {} (1 to 3 spatial dims supported)",
          node.describe(), xs.size());
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  return pool_window(node, pool_attrs(node), Dims(xs.begin() + 2, xs.end()));
}

Pool pool_geometry(const Node& node, const Tensor& x) {
  return pool_of(x, window_of(node, x));
}

}  // namespace

Outputs eval_MaxPool(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  const bool v8 = node.version >= 8;
  const Pool p = pool_geometry(node, x);
  const auto v = read_floats(x);
  const int64_t in_plane = p.in[0] * p.in[1] * p.in[2], out_plane = p.out[0] * p.out[1] * p.out[2];
  // Indices count from `axis` (MaxPool-8): the flat index modulo the size of dims [axis, rank).
  const int64_t rank = static_cast<int64_t>(x.shape().size());
  const int64_t axis = v8 ? normalize_axis(pool_attrs(node).axis, rank, "axis") : 0;
  int64_t index_span = 1;
  for (int64_t d = axis; d < rank; ++d) index_span *= x.shape()[static_cast<size_t>(d)];
  std::vector<float> y(static_cast<size_t>(p.planes * out_plane));
  std::vector<int64_t> idx(y.size());
  for (int64_t pl = 0; pl < p.planes; ++pl) {
    for (int64_t od = 0; od < p.out[0]; ++od)
      for (int64_t oh = 0; oh < p.out[1]; ++oh)
        for (int64_t ow = 0; ow < p.out[2]; ++ow) {
          float best = std::numeric_limits<float>::lowest();
          int64_t best_i = 0;
          bool found = false;
          for (int64_t kd = 0; kd < p.kernel[0]; ++kd) {
            const int64_t id = od * p.strides[0] - p.pads_begin[0] + kd * p.dilations[0];
            if (id < 0 || id >= p.in[0]) continue;
            for (int64_t kh = 0; kh < p.kernel[1]; ++kh) {
              const int64_t ih = oh * p.strides[1] - p.pads_begin[1] + kh * p.dilations[1];
              if (ih < 0 || ih >= p.in[1]) continue;
              for (int64_t kw = 0; kw < p.kernel[2]; ++kw) {
                const int64_t iw = ow * p.strides[2] - p.pads_begin[2] + kw * p.dilations[2];
                if (iw < 0 || iw >= p.in[2]) continue;
                const int64_t flat = pl * in_plane + (id * p.in[1] + ih) * p.in[2] + iw;
                const float e = v[static_cast<size_t>(flat)];
                if (!found || e > best) {  // the first maximum in window order wins ties
                  best = e;
                  best_i = flat;
                  found = true;
                }
              }
            }
          }
          const size_t o = static_cast<size_t>(pl * out_plane + (od * p.out[1] + oh) * p.out[2] + ow);
          y[o] = best;
          idx[o] = best_i % index_span;
        }
  }
  Outputs out = {make_float_tensor(x.type(), p.out_shape, y)};
  if (v8) {
    out.push_back(make_int_tensor(pool_attrs(node).index_type, p.out_shape, idx));
  }
  return out;
}

Outputs eval_AvgPool(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  return {average_pool(x, window_of(node, x), pool_attrs(node).exclude_pad)};
}

Tensor average_pool(const Tensor& x, const ConvGeometry& window, bool exclude_pad) {
  const Pool p = pool_of(x, window);
  const bool include_pad = !exclude_pad;
  bool pads_present = false;
  for (size_t i = 0; i < 3; ++i) pads_present = pads_present || p.pads_begin[i] != 0 || p.pads_end[i] != 0;
  const int64_t kernel_size = p.kernel[0] * p.kernel[1] * p.kernel[2];
  const auto v = read_floats(x);
  const int64_t in_plane = p.in[0] * p.in[1] * p.in[2], out_plane = p.out[0] * p.out[1] * p.out[2];
  std::vector<float> y(static_cast<size_t>(p.planes * out_plane));
  for (int64_t pl = 0; pl < p.planes; ++pl) {
    for (int64_t od = 0; od < p.out[0]; ++od)
      for (int64_t oh = 0; oh < p.out[1]; ++oh)
        for (int64_t ow = 0; ow < p.out[2]; ++ow) {
          const int64_t o3[3] = {od, oh, ow};
          int64_t lo[3], hi[3];  // window in input coordinates, clipped to the padded extent
          for (int d = 0; d < 3; ++d) {
            lo[d] = o3[d] * p.strides[d] - p.pads_begin[d];
            hi[d] = std::min(lo[d] + p.kernel[d], p.in[d] + p.pads_end[d]);
          }
          float sum = 0.0f;
          int64_t count = 0;
          for (int64_t id = lo[0]; id < hi[0]; ++id)
            for (int64_t ih = lo[1]; ih < hi[1]; ++ih)
              for (int64_t iw = lo[2]; iw < hi[2]; ++iw) {
                const bool inside =
                    id >= 0 && id < p.in[0] && ih >= 0 && ih < p.in[1] && iw >= 0 && iw < p.in[2];
                if (!inside) continue;
                sum += v[static_cast<size_t>(pl * in_plane + (id * p.in[1] + ih) * p.in[2] + iw)];
                ++count;
              }
          // exclude-pad=false with padding divides by the whole kernel even where the window is
          // clipped; otherwise by the in-bounds count (ir-spec.md 6.4).
          if (include_pad && pads_present) count = kernel_size;
          y[static_cast<size_t>(pl * out_plane + (od * p.out[1] + oh) * p.out[2] + ow)] =
              count ? sum / static_cast<float>(count) : 0.0f;
        }
  }
  return make_float_tensor(x.type(), p.out_shape, y);
}

}  // namespace ref
}  // namespace octet
