// Reference NV12toRGB/BGR-8 and I420toRGB/BGR-8 (OpenVINO op specifications): BT.601 limited-range
// YUV to RGB in f32 with the spec's coefficients,
//   R = 1.164 (Y - 16) + 1.596 (V - 128)
//   G = 1.164 (Y - 16) - 0.391 (U - 128) - 0.813 (V - 128)
//   B = 1.164 (Y - 16) + 2.018 (U - 128)
// clamped to [0, 255] (u8: rounded half away from zero first). One chroma sample covers 2x2 pixels;
// NV12 interleaves U, V in one plane, I420 keeps separate U and V planes. With a single input the
// Y plane is followed by the chroma in the same [N, H * 3 / 2, W, 1] tensor.
#include <algorithm>
#include <cmath>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

Outputs convert(const Node& node, const Inputs& in, bool nv12, bool bgr) {
  const size_t planes = nv12 ? 2 : 3;
  if (in.size() != 1 && in.size() != planes)
    raise(ErrorCode::kModel, "{}: takes 1 or {} inputs, has {}", node.describe(), planes, in.size());
  const ElementType type = in[0]->type();
  const bool u8 = type == ElementType::kU8;
  if (!u8 && !is_compute_float(type)) unsupported_type(node, type);
  for (const Tensor* t : in)
    if (t->type() != type) unsupported_type(node, t->type());
  const Dims& ys = in[0]->shape();
  if (ys.size() != 4 || ys[3] != 1)
    raise(ErrorCode::kModel, "{}: input 0 {} must be [N, H, W, 1]", node.describe(), to_string(ys));
  const int64_t N = ys[0], W = ys[2];
  const int64_t H = in.size() == 1 ? ys[1] * 2 / 3 : ys[1];
  if (H % 2 != 0 || W % 2 != 0 || (in.size() == 1 && ys[1] % 3 != 0))
    raise(ErrorCode::kModel, "{}: input 0 {} does not hold an image of even size", node.describe(),
          to_string(ys));
  for (size_t i = 1; i < in.size(); ++i)
    if (in[i]->shape() != Dims{N, H / 2, W / 2, nv12 ? 2 : 1})
      raise(ErrorCode::kModel, "{}: input {} {} does not fit the Y plane {}", node.describe(), i,
            to_string(in[i]->shape()), to_string(ys));
  std::vector<float> planes_v[3];
  for (size_t i = 0; i < in.size(); ++i) planes_v[i] = read_floats(*in[i]);
  // Offsets of the Y, U and V samples of image n: U/V step 2 apart in NV12's interleaved plane.
  const int64_t frame = in.size() == 1 ? H * W * 3 / 2 : H * W;
  const int64_t chroma = in.size() == 1 ? H * W * 3 / 2 : (nv12 ? H * W / 2 : H * W / 4);
  const float* y_base = planes_v[0].data();
  const float* u_base = in.size() == 1 ? y_base + H * W : planes_v[1].data();
  const float* v_base = in.size() == 1 ? (nv12 ? u_base + 1 : y_base + H * W * 5 / 4)
                                       : (nv12 ? u_base + 1 : planes_v[2].data());
  auto clip = [u8](float v) {
    if (u8) v = std::round(v);
    return std::min(std::max(v, 0.0f), 255.0f);
  };
  std::vector<float> out(static_cast<size_t>(N * H * W * 3));
  for (int64_t n = 0; n < N; ++n)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t w = 0; w < W; ++w) {
        const int64_t p = h * W + w;
        const int64_t c = nv12 ? (h / 2) * W + (w / 2) * 2 : (h / 2) * (W / 2) + w / 2;
        const float yv = y_base[n * frame + p] - 16.f;
        const float u = u_base[n * chroma + c] - 128.f;
        const float v = v_base[n * chroma + c] - 128.f;
        const float b = clip(1.164f * yv + 2.018f * u);
        const float g = clip(1.164f * yv - 0.391f * u - 0.813f * v);
        const float r = clip(1.164f * yv + 1.596f * v);
        float* o = &out[static_cast<size_t>((n * H * W + p) * 3)];
        o[0] = bgr ? b : r;
        o[1] = g;
        o[2] = bgr ? r : b;
      }
  const Dims shape = {N, H, W, 3};
  if (!u8) return {make_float_tensor(type, shape, out)};
  return {make_int_tensor(type, shape, std::vector<int64_t>(out.begin(), out.end()))};
}

}  // namespace

Outputs eval_NV12toRGB(const Node& node, const Inputs& in) {
  return convert(node, in, true, false);
}
Outputs eval_NV12toBGR(const Node& node, const Inputs& in) {
  return convert(node, in, true, true);
}
Outputs eval_I420toRGB(const Node& node, const Inputs& in) {
  return convert(node, in, false, false);
}
Outputs eval_I420toBGR(const Node& node, const Inputs& in) {
  return convert(node, in, false, true);
}

}  // namespace ref
}  // namespace octet
