// Reference AdaptiveAvgPool-8 and AdaptiveMaxPool-8 (OpenVINO op specifications): output cell i of
// a spatial dim of size `in` pooled to `out` covers input cells [floor(i * in / out),
// ceil((i + 1) * in / out)). The average sums in f32 in row-major window order; the maximum takes
// the first largest value in that order and returns its flat index within the [spatial...] plane.
#include <cmath>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

struct Windows {
  Dims in, out;  // spatial dims padded in front with 1s to 3
  int64_t planes = 0;
  Dims shape;  // full output shape
};

Windows windows(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 2);
  const Tensor& x = *in[0];
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  const Dims& s = x.shape();
  const auto sizes = int_input(node, in, 1);
  if (s.size() < 3 || s.size() > 5 || sizes.size() + 2 != s.size())
    raise(ErrorCode::kModel, "{}: output_shape {} does not fit data {}", node.describe(), sizes.size(),
          to_string(s));
  Windows w;
  w.in = Dims(5 - s.size(), 1);
  w.out = w.in;
  w.shape = {s[0], s[1]};
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] <= 0) raise(ErrorCode::kModel, "{}: output_shape holds {}", node.describe(), sizes[d]);
    w.in.push_back(s[2 + d]);
    w.out.push_back(sizes[d]);
    w.shape.push_back(sizes[d]);
  }
  w.planes = s[0] * s[1];
  return w;
}

int64_t start(int64_t i, int64_t in, int64_t out) {
  return i * in / out;
}
int64_t end(int64_t i, int64_t in, int64_t out) {
  return static_cast<int64_t>(std::ceil(static_cast<double>((i + 1) * in) / static_cast<double>(out)));
}

// Calls f(out_index, d0, d1, h0, h1, w0, w1) for every output cell of one plane.
template <class F>
void each_window(const Windows& w, F&& f) {
  int64_t o = 0;
  for (int64_t i = 0; i < w.out[0]; ++i)
    for (int64_t j = 0; j < w.out[1]; ++j)
      for (int64_t k = 0; k < w.out[2]; ++k)
        f(o++, start(i, w.in[0], w.out[0]), end(i, w.in[0], w.out[0]), start(j, w.in[1], w.out[1]),
          end(j, w.in[1], w.out[1]), start(k, w.in[2], w.out[2]), end(k, w.in[2], w.out[2]));
}

}  // namespace

Outputs eval_AdaptiveAvgPool(const Node& node, const Inputs& in) {
  const Windows w = windows(node, in);
  const auto x = read_floats(*in[0]);
  const int64_t in_plane = w.in[0] * w.in[1] * w.in[2], out_plane = w.out[0] * w.out[1] * w.out[2];
  std::vector<float> y(static_cast<size_t>(w.planes * out_plane));
  for (int64_t p = 0; p < w.planes; ++p) {
    const float* src = &x[static_cast<size_t>(p * in_plane)];
    each_window(w, [&](int64_t o, int64_t d0, int64_t d1, int64_t h0, int64_t h1, int64_t w0, int64_t w1) {
      float sum = 0;
      for (int64_t d = d0; d < d1; ++d)
        for (int64_t h = h0; h < h1; ++h)
          for (int64_t c = w0; c < w1; ++c) sum += src[(d * w.in[1] + h) * w.in[2] + c];
      y[static_cast<size_t>(p * out_plane + o)] = sum / static_cast<float>((d1 - d0) * (h1 - h0) * (w1 - w0));
    });
  }
  return {make_float_tensor(in[0]->type(), w.shape, y)};
}

Outputs eval_AdaptiveMaxPool(const Node& node, const Inputs& in) {
  const Windows w = windows(node, in);
  const auto x = read_floats(*in[0]);
  const int64_t in_plane = w.in[0] * w.in[1] * w.in[2], out_plane = w.out[0] * w.out[1] * w.out[2];
  std::vector<float> y(static_cast<size_t>(w.planes * out_plane));
  std::vector<int64_t> idx(y.size());
  for (int64_t p = 0; p < w.planes; ++p) {
    const float* src = &x[static_cast<size_t>(p * in_plane)];
    each_window(w, [&](int64_t o, int64_t d0, int64_t d1, int64_t h0, int64_t h1, int64_t w0, int64_t w1) {
      int64_t best = (d0 * w.in[1] + h0) * w.in[2] + w0;
      for (int64_t d = d0; d < d1; ++d)
        for (int64_t h = h0; h < h1; ++h)
          for (int64_t c = w0; c < w1; ++c) {
            const int64_t i = (d * w.in[1] + h) * w.in[2] + c;
            if (src[i] > src[best]) best = i;
          }
      y[static_cast<size_t>(p * out_plane + o)] = src[best];
      idx[static_cast<size_t>(p * out_plane + o)] = best;
    });
  }
  return {make_float_tensor(in[0]->type(), w.shape, y),
          make_int_tensor(node.attr<AdaptiveMaxPoolAttrs>().index_type, w.shape, idx)};
}

}  // namespace ref
}  // namespace octet
