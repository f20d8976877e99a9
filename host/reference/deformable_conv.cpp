// Reference DeformableConvolution-1/8 and BinaryConvolution-1 (OpenVINO op specifications; the
// arithmetic of OpenVINO's reference implementations).
//
// DeformableConvolution: every filter tap reads the input at its regular position plus a learned
// (dy, dx) offset (offsets channel dg * 2 * taps + 2 * tap + {0: y, 1: x}), bilinearly interpolated
// in f32, times the tap's mask value (version 8; 1 otherwise). Input channels belong to deformable
// group c / (C / deformable_group). A sampling point outside [0, size) is skipped; with
// bilinear_interpolation_pad it is kept while its coordinate truncated toward zero lies in
// [0, size), the missing neighbours reading 0. Terms are added in f32 in (input channel, ky, kx) order.
//
// BinaryConvolution (xnor-popcount): per input channel and window, the count P of taps whose input
// value equals the weight bit (u1, element k at bit 7 - k % 8 of byte k / 8), summed as 2 * P - taps;
// padded taps read pad_value.
#include <cmath>

#include "host/graph/ops/conv_geometry.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

ConvAttrs conv_attrs(const Dims& strides, const Dims& dilations, const Dims& pb, const Dims& pe,
                     AutoPad pad) {
  ConvAttrs c;
  c.strides = strides;
  c.dilations = dilations;
  c.pads_begin = pb;
  c.pads_end = pe;
  c.auto_pad = pad;
  return c;
}

float bilinear(const float* plane, float x, float y, int64_t w, int64_t h, bool pad) {
  const int64_t fy = static_cast<int64_t>(std::floor(y)), fx = static_cast<int64_t>(std::floor(x));
  const int64_t y1 = pad ? fy : std::max<int64_t>(fy, 0), x1 = pad ? fx : std::max<int64_t>(fx, 0);
  const int64_t y2 = pad ? y1 + 1 : std::min(static_cast<int64_t>(std::ceil(y)), h - 1);
  const int64_t x2 = pad ? x1 + 1 : std::min(static_cast<int64_t>(std::ceil(x)), w - 1);
  const float dx = x - static_cast<float>(x1), dy = y - static_cast<float>(y1);
  const float v11 = y1 >= 0 && x1 >= 0 ? plane[y1 * w + x1] : 0.0f;
  const float v21 = y1 >= 0 && x2 < w ? plane[y1 * w + x2] : 0.0f;
  const float v12 = y2 < h && x1 >= 0 ? plane[y2 * w + x1] : 0.0f;
  const float v22 = y2 < h && x2 < w ? plane[y2 * w + x2] : 0.0f;
  return (1 - dx) * (1 - dy) * v11 + (1 - dx) * dy * v12 + dx * (1 - dy) * v21 + dx * dy * v22;
}

}  // namespace

Outputs eval_DeformableConvolution(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, node.version >= 8 ? 4 : 3);
  const DeformableConvAttrs& a = node.attr<DeformableConvAttrs>();
  const ElementType type = in[0]->type();
  for (const Tensor* t : in)
    if (!is_compute_float(t->type()) || t->type() != type) unsupported_type(node, t->type());
  const Dims &xs = in[0]->shape(), &os = in[1]->shape(), &ws = in[2]->shape();
  if (xs.size() != 4 || os.size() != 4 || ws.size() != 4)
    raise(ErrorCode::kUnsupported, "reference {}: 2-D deformable convolution only (data {})", node.describe(),
          to_string(xs));
  const int64_t N = xs[0], C = xs[1], H = xs[2], W = xs[3], CO = ws[0], CG = ws[1], KH = ws[2], KW = ws[3];
  const int64_t G = a.group, DG = a.deformable_group, K = KH * KW;
  if (CG * G != C || CO % G != 0 || C % DG != 0)
    raise(ErrorCode::kModel, "{}: filters {} do not fit data {} in {} groups", node.describe(), to_string(ws),
          to_string(xs), G);
  const ConvGeometry geo = conv_window(
      node, conv_attrs(a.strides, a.dilations, a.pads_begin, a.pads_end, a.auto_pad), {H, W}, {KH, KW});
  const int64_t OH = geo.output[0], OW = geo.output[1], area = OH * OW;
  if (os != Dims{N, DG * 2 * K, OH, OW})
    raise(ErrorCode::kModel, "{}: offsets {} must be [{}, {}, {}, {}]", node.describe(), to_string(os), N,
          DG * 2 * K, OH, OW);
  const bool has_mask = in.size() == 4;
  if (has_mask && in[3]->shape() != Dims{N, DG * K, OH, OW})
    raise(ErrorCode::kModel, "{}: mask {} must be [{}, {}, {}, {}]", node.describe(),
          to_string(in[3]->shape()), N, DG * K, OH, OW);
  const auto x = read_floats(*in[0]), off = read_floats(*in[1]), w = read_floats(*in[2]);
  const std::vector<float> mask = has_mask ? read_floats(*in[3]) : std::vector<float>();
  const bool pad = a.bilinear_interpolation_pad;
  const int64_t cog = CO / G;
  std::vector<float> y(static_cast<size_t>(N * CO * area));
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < CO; ++o) {
      const int64_t g = o / cog;
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          const int64_t iy = oy * geo.strides[0] - geo.pads_begin[0],
                        ix = ox * geo.strides[1] - geo.pads_begin[1];
          const int64_t pos = oy * OW + ox;
          float sum = 0;
          for (int64_t fc = 0; fc < CG; ++fc) {
            const int64_t c = g * CG + fc, dg = c / (C / DG);
            const float* plane = &x[static_cast<size_t>((n * C + c) * H * W)];
            for (int64_t ky = 0; ky < KH; ++ky)
              for (int64_t kx = 0; kx < KW; ++kx) {
                const int64_t k = ky * KW + kx;
                const int64_t oc = (n * DG + dg) * 2 * K + 2 * k;
                const float ry = static_cast<float>(iy + ky * geo.dilations[0]) +
                                 off[static_cast<size_t>(oc * area + pos)];
                const float rx = static_cast<float>(ix + kx * geo.dilations[1]) +
                                 off[static_cast<size_t>((oc + 1) * area + pos)];
                const bool inside =
                    pad ? static_cast<int64_t>(rx) > -1 &&
                              static_cast<int64_t>(rx)<W&& static_cast<int64_t>(ry)> - 1 &&
                              static_cast<int64_t>(ry) < H
                        : rx >= 0 && rx < static_cast<float>(W) && ry >= 0 && ry < static_cast<float>(H);
                if (!inside) continue;
                const float m =
                    has_mask ? mask[static_cast<size_t>(((n * DG + dg) * K + k) * area + pos)] : 1.0f;
                sum += bilinear(plane, rx, ry, W, H, pad) *
                       w[static_cast<size_t>(((o * CG + fc) * KH + ky) * KW + kx)] * m;
              }
          }
          y[static_cast<size_t>((n * CO + o) * area + pos)] = sum;
        }
    }
  return {make_float_tensor(type, {N, CO, OH, OW}, y)};
}

Outputs eval_BinaryConvolution(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const BinaryConvAttrs& a = node.attr<BinaryConvAttrs>();
  const Tensor &xt = *in[0], &wt = *in[1];
  if (!is_compute_float(xt.type())) unsupported_type(node, xt.type());
  if (wt.type() != ElementType::kU1) unsupported_type(node, wt.type());
  const Dims &xs = xt.shape(), &ws = wt.shape();
  if (xs.size() != 4 || ws.size() != 4 || ws[1] != xs[1])
    raise(ErrorCode::kModel, "{}: data {} and filters {} do not fit", node.describe(), to_string(xs),
          to_string(ws));
  const int64_t N = xs[0], C = xs[1], H = xs[2], W = xs[3], CO = ws[0], KH = ws[2], KW = ws[3], K = KH * KW;
  const ConvGeometry geo = conv_window(
      node, conv_attrs(a.strides, a.dilations, a.pads_begin, a.pads_end, a.auto_pad), {H, W}, {KH, KW});
  const int64_t OH = geo.output[0], OW = geo.output[1];
  const auto x = read_floats(xt);
  const auto* bits = static_cast<const uint8_t*>(wt.data());
  auto weight = [&](int64_t i) { return static_cast<float>((bits[i / 8] >> (7 - i % 8)) & 1); };
  std::vector<float> y(static_cast<size_t>(N * CO * OH * OW));
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < CO; ++o)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          float sum = 0;
          for (int64_t c = 0; c < C; ++c) {
            float pop = 0;
            for (int64_t ky = 0; ky < KH; ++ky)
              for (int64_t kx = 0; kx < KW; ++kx) {
                const int64_t iy = oy * geo.strides[0] - geo.pads_begin[0] + ky * geo.dilations[0];
                const int64_t ix = ox * geo.strides[1] - geo.pads_begin[1] + kx * geo.dilations[1];
                const float v = iy < 0 || iy >= H || ix < 0 || ix >= W
                                    ? a.pad_value
                                    : x[static_cast<size_t>(((n * C + c) * H + iy) * W + ix)];
                if (v == weight(((o * C + c) * KH + ky) * KW + kx)) pop += 1;
              }
            sum += 2 * pop - static_cast<float>(K);
          }
          y[static_cast<size_t>(((n * CO + o) * OH + oy) * OW + ox)] = sum;
        }
  return {make_float_tensor(xt.type(), {N, CO, OH, OW}, y)};
}

}  // namespace ref
}  // namespace octet
