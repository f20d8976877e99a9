// Reference FakeConvert-13: y = (Convert(x * scale - shift, f8) + shift) / scale in the data type, as
// the spec's three lines, with scale and shift broadcast numpy-style onto the data.
// The conversion to f8 rounds the intermediate once, to nearest with ties to even, including into
// the subnormals (e4m3: multiples of 2^-9, e5m2: of 2^-16). Finite values beyond the format and
// infinities saturate to +-448 (e4m3) / +-57344 (e5m2), as OpenVINO's FakeConvert does; NaN stays NaN.
// f32 data computes in f32; f16 and bf16 compute each line in f32 and round its result to the data
// type (the spec's intermediate tensor has the data type).
#include <algorithm>
#include <cmath>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {
namespace {

double round_to_fp8(double v, Fp8Format format) {
  const bool e4m3 = format == Fp8Format::kE4M3;
  const int mantissa_bits = e4m3 ? 3 : 2;
  const int min_normal_exp = e4m3 ? -6 : -14;  // 1 - bias (7 and 15)
  const double largest = e4m3 ? 448.0 : 57344.0;
  if (std::isnan(v)) return v;
  if (std::isinf(v)) return std::copysign(largest, v);
  const double a = std::fabs(v);
  if (a == 0) return v;
  int e;
  std::frexp(a, &e);  // a in [2^(e-1), 2^e)
  const int exp = std::max(e - 1, min_normal_exp);
  const double quantum = std::ldexp(1.0, exp - mantissa_bits);
  const double r = std::nearbyint(a / quantum) * quantum;  // exact scaling; ties to even
  return std::copysign(std::min(r, largest), v);
}

// A value rounded to a compute-float type (f32 exactly as float, f16/bf16 through their rounding).
float round_to(ElementType type, float v) {
  if (type == ElementType::kF16) return half_to_float(float_to_half(v));
  if (type == ElementType::kBF16) return bf16_to_float(float_to_bf16(v));
  return v;
}

}  // namespace

Outputs eval_FakeConvert(const Node& node, const Inputs& in) {
  need_inputs(node, in, 2, 3);
  const Tensor& x = *in[0];
  const ElementType type = x.type();
  if (!is_compute_float(type)) unsupported_type(node, type);
  const Fp8Format format = node.attr<FakeConvertAttrs>().destination;
  const std::vector<float> xs = read_floats(x), scale = read_floats(*in[1]);
  const std::vector<float> shift = in.size() == 3 ? read_floats(*in[2]) : std::vector<float>{0.0f};
  const std::vector<int64_t> si = broadcast_index(in[1]->shape(), x.shape());
  const std::vector<int64_t> oi =
      in.size() == 3 ? broadcast_index(in[2]->shape(), x.shape()) : std::vector<int64_t>(xs.size(), 0);
  const bool has_shift = in.size() == 3;
  std::vector<float> out(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) {
    const float s = scale[static_cast<size_t>(si[i])], o = shift[static_cast<size_t>(oi[i])];
    // Without a shift input nothing is added or subtracted (x * 1 - 0 would turn -0 into +0).
    const float product = xs[i] * s;
    const float scaled = round_to(type, has_shift ? product - o : product);
    const float converted = static_cast<float>(round_to_fp8(scaled, format));
    const float sum = has_shift ? converted + o : converted;
    out[i] = sum / s;
  }
  return {make_float_tensor(type, x.shape(), out)};
}

}  // namespace ref
}  // namespace octet
