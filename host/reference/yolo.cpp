// Reference RegionYolo-1 and ReorgYolo-2 (OpenVINO op specifications). RegionYolo applies the
// logistic function to the box centres, the objectness (and, YOLO v3, the class scores) and, YOLO v2
// (do_softmax), a softmax across the classes of each region and cell; the rest is copied.
// Transcendentals are evaluated in double and rounded once (evaluate.h).
#include <algorithm>
#include <cmath>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {

Outputs eval_RegionYolo(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  if (!is_compute_float(x.type())) unsupported_type(node, x.type());
  const RegionYoloAttrs& a = node.attr<RegionYoloAttrs>();
  const Dims& s = x.shape();
  if (s.size() != 4) raise(ErrorCode::kModel, "{}: input {} must have rank 4", node.describe(), to_string(s));
  const int64_t per_region = a.coords + a.classes + 1;
  const int64_t regions = a.do_softmax ? a.num : static_cast<int64_t>(a.mask.size());
  if (s[1] != regions * per_region)
    raise(ErrorCode::kUnsupported, "{}: input {} must have {} channels", node.describe(), to_string(s),
          regions * per_region);
  const int64_t area = s[2] * s[3];
  std::vector<float> v = read_floats(x);
  auto sigmoid = [](float e) { return static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(e)))); };
  for (int64_t b = 0; b < s[0]; ++b)
    for (int64_t n = 0; n < regions; ++n) {
      float* region = &v[static_cast<size_t>((b * regions + n) * per_region * area)];
      // x and y; then the objectness alone (v2) or with the class scores (v3).
      for (int64_t i = 0; i < 2 * area; ++i) region[i] = sigmoid(region[i]);
      const int64_t count = a.do_softmax ? area : area * (a.classes + 1);
      for (int64_t i = 0; i < count; ++i) region[a.coords * area + i] = sigmoid(region[a.coords * area + i]);
      if (!a.do_softmax || a.classes == 0) continue;
      float* cls = region + (a.coords + 1) * area;
      for (int64_t p = 0; p < area; ++p) {
        double mx = cls[p];
        for (int64_t c = 1; c < a.classes; ++c) mx = std::max(mx, static_cast<double>(cls[c * area + p]));
        double sum = 0;
        for (int64_t c = 0; c < a.classes; ++c) sum += std::exp(static_cast<double>(cls[c * area + p]) - mx);
        for (int64_t c = 0; c < a.classes; ++c)
          cls[c * area + p] = static_cast<float>(std::exp(static_cast<double>(cls[c * area + p]) - mx) / sum);
      }
    }
  Dims out = s;
  if (a.do_softmax) {
    const int64_t axis = a.axis < 0 ? a.axis + 4 : a.axis, end = a.end_axis < 0 ? a.end_axis + 4 : a.end_axis;
    if (axis < 0 || end >= 4 || end < axis)
      raise(ErrorCode::kModel, "{}: axis {} and end_axis {} do not fit rank 4", node.describe(), a.axis,
            a.end_axis);
    out = Dims(s.begin(), s.begin() + axis);
    int64_t flat = 1;
    for (int64_t d = axis; d <= end; ++d) flat *= s[static_cast<size_t>(d)];
    out.push_back(flat);
    out.insert(out.end(), s.begin() + end + 1, s.end());
  }
  return {make_float_tensor(x.type(), out, v)};
}

// OpenVINO's reorg_yolo, which the spec's example follows: output element k, with k taken as the
// flat index of an [N, C, H, W] (input-shaped) array at (n, c, h, w), is the input element at flat
// index ((n * C' + c % C') * H*s + h*s + (c / C') / s) * W*s + w*s + (c / C') % s, C' = C / s^2
// (Darknet's reorg: the input read as [N, C', H*s, W*s]).
Outputs eval_ReorgYolo(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  const int64_t st = node.attr<ReorgYoloAttrs>().stride;
  const Dims& s = x.shape();
  if (s.size() != 4 || s[2] % st != 0 || s[3] % st != 0 || s[1] % (st * st) != 0)
    raise(ErrorCode::kModel, "{}: input {} does not fit stride {}", node.describe(), to_string(s), st);
  const Dims out = {s[0], s[1] * st * st, s[2] / st, s[3] / st};
  const int64_t ci = s[1] / (st * st), hi = s[2] * st, wi = s[3] * st;
  std::vector<int64_t> index(static_cast<size_t>(element_count(out)));
  size_t k = 0;
  for (int64_t n = 0; n < s[0]; ++n)
    for (int64_t c = 0; c < s[1]; ++c)
      for (int64_t h = 0; h < s[2]; ++h)
        for (int64_t w = 0; w < s[3]; ++w) {
          const int64_t offset = c / ci, ic = c % ci;
          const int64_t ih = h * st + offset / st, iw = w * st + offset % st;
          index[k++] = ((n * ci + ic) * hi + ih) * wi + iw;
        }
  return {gather_elements(node, x, out, index)};
}

}  // namespace ref
}  // namespace octet
