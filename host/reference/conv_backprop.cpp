// Reference ConvolutionBackpropData-1 and GroupConvolutionBackpropData-1 (transposed convolution),
// 1-3 spatial dims: y[o] += x[i] * w[k] for every o = i * stride - pads_begin + k * dilation inside
// the output (geometry in host/graph/ops/conv_backprop_geometry.h).
//
// Numerics as Convolution (evaluate.h): float types accumulate in f32, per output element in
// (input channel, kernel position) order; integer types in int64, wrapped to the type once.
#include "host/graph/ops/conv_backprop_geometry.h"
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

// data [N, G*Cg, in...], filters [G, Cg, Og, k...] -> y [N, G*Og, out...] (y zero-initialised).
template <class T>
void scatter(const std::vector<T>& x, const std::vector<T>& w, std::vector<T>& y, int64_t n_batch,
             int64_t groups, int64_t cg, int64_t og, const Dims& I, const Dims& K, const Dims& O,
             const Dims& S, const Dims& D, const Dims& P) {
  const int64_t in_plane = I[0] * I[1] * I[2], out_plane = O[0] * O[1] * O[2], k_plane = K[0] * K[1] * K[2];
  for (int64_t n = 0; n < n_batch; ++n)
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t o = 0; o < og; ++o) {
        T* out = &y[static_cast<size_t>(((n * groups + g) * og + o) * out_plane)];
        for (int64_t c = 0; c < cg; ++c) {
          const T* src = &x[static_cast<size_t>(((n * groups + g) * cg + c) * in_plane)];
          const T* wk = &w[static_cast<size_t>(((g * cg + c) * og + o) * k_plane)];
          for (int64_t kd = 0; kd < K[0]; ++kd)
            for (int64_t kh = 0; kh < K[1]; ++kh)
              for (int64_t kw = 0; kw < K[2]; ++kw) {
                const T wv = wk[(kd * K[1] + kh) * K[2] + kw];
                for (int64_t id = 0; id < I[0]; ++id) {
                  const int64_t od = id * S[0] - P[0] + kd * D[0];
                  if (od < 0 || od >= O[0]) continue;
                  for (int64_t ih = 0; ih < I[1]; ++ih) {
                    const int64_t oh = ih * S[1] - P[1] + kh * D[1];
                    if (oh < 0 || oh >= O[1]) continue;
                    const T* row = src + (id * I[1] + ih) * I[2];
                    T* orow = out + (od * O[1] + oh) * O[2];
                    for (int64_t iw = 0; iw < I[2]; ++iw) {
                      const int64_t ow = iw * S[2] - P[2] + kw * D[2];
                      if (ow >= 0 && ow < O[2]) orow[ow] += wv * row[iw];
                    }
                  }
                }
              }
        }
      }
}

Outputs backprop(const Node& node, const Inputs& in, bool grouped) {
  need_inputs(node, in, 2, 3);
  const Tensor &data = *in[0], &filters = *in[1];
  const Dims &xs = data.shape(), &ws = filters.shape();
  const size_t lead = grouped ? 3 : 2;
  if (xs.size() < 3 || xs.size() > 5 || ws.size() != xs.size() - 2 + lead)
    raise(ErrorCode::kModel, "{}: data {} and filters {} do not make a 1-3D transposed convolution",
          node.describe(), to_string(xs), to_string(ws));
  if (filters.type() != data.type()) unsupported_type(node, filters.type());
  const int64_t groups = grouped ? ws[0] : 1, cg = ws[lead - 2], og = ws[lead - 1];
  if (groups <= 0 || cg * groups != xs[1])
    raise(ErrorCode::kModel, "{}: filters {} do not match data channels {}", node.describe(), to_string(ws),
          xs[1]);
  std::vector<int64_t> output_shape;
  if (in.size() == 3) output_shape = int_input(node, in, 2);
  const Dims in_sp(xs.begin() + 2, xs.end());
  const Dims k_sp(ws.begin() + static_cast<std::ptrdiff_t>(lead), ws.end());
  const BackpropGeometry g =
      conv_backprop_geometry(node, in_sp, k_sp, in.size() == 3 ? &output_shape : nullptr);

  const Dims I = to3(in_sp, 1), K = to3(k_sp, 1), O = to3(g.output, 1);
  const Dims S = to3(g.strides, 1), D = to3(g.dilations, 1), P = to3(g.pads_begin, 0);
  Dims out_shape = {xs[0], groups * og};
  out_shape.insert(out_shape.end(), g.output.begin(), g.output.end());
  const size_t out_count = static_cast<size_t>(element_count(out_shape));
  const ElementType type = data.type();
  if (is_compute_float(type)) {
    std::vector<float> y(out_count, 0.0f);
    scatter(read_floats(data), read_floats(filters), y, xs[0], groups, cg, og, I, K, O, S, D, P);
    return {make_float_tensor(type, out_shape, y)};
  }
  if (!is_integer(type)) unsupported_type(node, type);
  std::vector<int64_t> y(out_count, 0);
  // int64 products wrap like the type's own arithmetic once reduced modulo 2^bits.
  std::vector<int64_t> x = read_ints(data), w = read_ints(filters);
  std::vector<uint64_t> yu(out_count, 0);
  std::vector<uint64_t> xu(x.begin(), x.end()), wu(w.begin(), w.end());
  scatter(xu, wu, yu, xs[0], groups, cg, og, I, K, O, S, D, P);
  for (size_t i = 0; i < out_count; ++i) y[i] = static_cast<int64_t>(yu[i]);
  return {make_int_tensor(type, out_shape, y)};
}

}  // namespace

Outputs eval_ConvolutionBackpropData(const Node& node, const Inputs& in) {
  return backprop(node, in, false);
}

Outputs eval_GroupConvolutionBackpropData(const Node& node, const Inputs& in) {
  return backprop(node, in, true);
}

}  // namespace ref
}  // namespace octet
