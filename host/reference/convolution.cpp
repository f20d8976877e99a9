// Reference Convolution-1 and GroupConvolution-1 (ir-spec.md 4.1-4.3), 1-3 spatial dims.
#include "host/graph/ops/conv_geometry.h"
#include "host/reference/quantized_linear.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

// Pads a per-spatial-dim list to 3 entries (leading dims get `fill`), so one loop nest serves 1-3D.
Dims to3(const Dims& d, int64_t fill) {
  Dims r(3 - d.size(), fill);
  r.insert(r.end(), d.begin(), d.end());
  return r;
}

// data [N, G*Cg, spatial...], filters [G, Og, Cg, k...] -> [N, G*Og, out...].
Outputs convolve(const Node& node, const Tensor& data, const Tensor& filters, int64_t groups) {
  const Dims& xs = data.shape();
  const Dims& ws = filters.shape();
  const size_t rank = xs.size();
  if (rank < 3 || rank > 5)
    raise(ErrorCode::kUnsupported, "reference {}: data rank {} (1 to 3 spatial dims supported)",
          node.describe(), rank);
  if (!is_compute_float(data.type()) || filters.type() != data.type()) unsupported_type(node, filters.type());
  const size_t ns = rank - 2;
  const int64_t n_batch = xs[0], c_in = xs[1];
  const int64_t og = ws[ws.size() - ns - 2], cg = ws[ws.size() - ns - 1];
  if (cg * groups != c_in)
    raise(ErrorCode::kModel, "{}: filters {} do not match data channels {}", node.describe(), to_string(ws),
          c_in);
  const Dims in_sp(xs.begin() + 2, xs.end());
  const Dims k_sp(ws.end() - static_cast<int64_t>(ns), ws.end());
  const ConvGeometry geo = conv_window(node, node.attr<ConvAttrs>(), in_sp, k_sp);

  const Dims I = to3(in_sp, 1), K = to3(k_sp, 1), S = to3(geo.strides, 1), D = to3(geo.dilations, 1);
  const Dims P = to3(geo.pads_begin, 0), O = to3(geo.output, 1);
  Dims out_shape = {n_batch, og * groups};
  out_shape.insert(out_shape.end(), geo.output.begin(), geo.output.end());

  const auto x = read_floats(data);
  const auto w = read_floats(filters);
  const int64_t in_plane = I[0] * I[1] * I[2], out_plane = O[0] * O[1] * O[2], k_plane = K[0] * K[1] * K[2];
  std::vector<float> y(static_cast<size_t>(n_batch * og * groups * out_plane), 0.0f);
  for (int64_t n = 0; n < n_batch; ++n) {
    for (int64_t g = 0; g < groups; ++g) {
      for (int64_t o = 0; o < og; ++o) {
        float* out = &y[static_cast<size_t>(((n * groups + g) * og + o) * out_plane)];
        // Per output element the terms are added in (input channel, kd, kh, kw) order, as in the
        // natural nested loop; iterating outputs innermost only changes memory order.
        for (int64_t c = 0; c < cg; ++c) {
          const float* src = &x[static_cast<size_t>((n * c_in + g * cg + c) * in_plane)];
          const float* wk = &w[static_cast<size_t>(((g * og + o) * cg + c) * k_plane)];
          for (int64_t kd = 0; kd < K[0]; ++kd)
            for (int64_t kh = 0; kh < K[1]; ++kh)
              for (int64_t kw = 0; kw < K[2]; ++kw) {
                const float wv = wk[(kd * K[1] + kh) * K[2] + kw];
                for (int64_t od = 0; od < O[0]; ++od) {
                  const int64_t id = od * S[0] - P[0] + kd * D[0];
                  if (id < 0 || id >= I[0]) continue;
                  for (int64_t oh = 0; oh < O[1]; ++oh) {
                    const int64_t ih = oh * S[1] - P[1] + kh * D[1];
                    if (ih < 0 || ih >= I[1]) continue;
                    const float* row = src + (id * I[1] + ih) * I[2];
                    float* orow = out + (od * O[1] + oh) * O[2];
                    for (int64_t ow = 0; ow < O[2]; ++ow) {
                      const int64_t iw = ow * S[2] - P[2] + kw * D[2];
                      if (iw >= 0 && iw < I[2]) orow[ow] += wv * row[iw];
                    }
                  }
                }
              }
        }
      }
    }
  }
  return {make_float_tensor(data.type(), out_shape, y)};
}

}  // namespace

Outputs eval_Convolution(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Dims& ws = in[1]->shape();
  if (ws.size() != in[0]->shape().size())
    raise(ErrorCode::kModel, "{}: filters rank {} differs from data rank", node.describe(), ws.size());
  return convolve(node, *in[0], *in[1], 1);
}

Outputs eval_GroupConvolution(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Dims& ws = in[1]->shape();
  if (ws.size() != in[0]->shape().size() + 1)
    raise(ErrorCode::kModel, "{}: group filters must have data rank + 1 dims", node.describe());
  return convolve(node, *in[0], *in[1], ws[0]);
}

Outputs eval_QuantizedConvolution(const Node& node, const Inputs& in) {
  return evaluate_quantized_linear(node, in);  // exact integer arithmetic, see quantized_linear.h
}

}  // namespace ref
}  // namespace octet
