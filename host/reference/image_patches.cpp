// Reference ExtractImagePatches-3 and Col2Im-15 (OpenVINO op specifications). ExtractImagePatches
// gathers each sizes[0] x sizes[1] patch (dilated by rates) into the channel dim, ordered (kh, kw, c),
// zero outside the image; Col2Im is the inverse scatter, adding overlapping values in f32 in the
// order of the columns (c, kh, kw) and then the block positions.
#include <algorithm>
#include <cmath>

#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {

Outputs eval_ExtractImagePatches(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  const ExtractImagePatchesAttrs& a = node.attr<ExtractImagePatchesAttrs>();
  const Dims& s = x.shape();
  if (s.size() != 4) raise(ErrorCode::kModel, "{}: input {} must have rank 4", node.describe(), to_string(s));
  const int64_t N = s[0], C = s[1], IH = s[2], IW = s[3];
  const int64_t KH = a.sizes[0], KW = a.sizes[1], SH = a.strides[0], SW = a.strides[1], RH = a.rates[0],
                RW = a.rates[1];
  const int64_t span_h = KH + (RH - 1) * (KH - 1), span_w = KW + (RW - 1) * (KW - 1);
  int64_t OH, OW, PT = 0, PL = 0;
  if (a.auto_pad == AutoPad::kValid) {
    OH = IH >= span_h ? (IH - span_h) / SH + 1 : 0;
    OW = IW >= span_w ? (IW - span_w) / SW + 1 : 0;
  } else {
    OH = (IH + SH - 1) / SH;
    OW = (IW + SW - 1) / SW;
    // OpenVINO's padding: the total is split evenly, the odd one to the end (same_upper) or the
    // beginning (same_lower); a total of zero or of at least the span pads nothing.
    auto begin_pad = [&](int64_t in, int64_t stride, int64_t span) -> int64_t {
      const int64_t total =
          static_cast<int64_t>(std::ceil(static_cast<float>(in) / static_cast<float>(stride)) - 1) * stride +
          span - in;
      if (total <= 0 || total >= span) return 0;
      if (total % 2 == 0) return total / 2;
      return a.auto_pad == AutoPad::kSameLower ? (total + 1) / 2 : (total - 1) / 2;
    };
    PT = begin_pad(IH, SH, span_h);
    PL = begin_pad(IW, SW, span_w);
  }
  if (OH <= 0 || OW <= 0)
    raise(ErrorCode::kUnsupported, "{}: the patch span exceeds input {} (empty output)", node.describe(),
          to_string(s));
  const Dims out = {N, C * KH * KW, OH, OW};
  // index -1: a zero (outside the image).
  std::vector<int64_t> index(static_cast<size_t>(element_count(out)), -1);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        int64_t oc = 0;
        for (int64_t kh = 0; kh < KH; ++kh)
          for (int64_t kw = 0; kw < KW; ++kw)
            for (int64_t c = 0; c < C; ++c, ++oc) {
              const int64_t ih = oh * SH - PT + kh * RH, iw = ow * SW - PL + kw * RW;
              if (ih < 0 || ih >= IH || iw < 0 || iw >= IW) continue;
              index[static_cast<size_t>(((n * out[1] + oc) * OH + oh) * OW + ow)] =
                  ((n * C + c) * IH + ih) * IW + iw;
            }
      }
  // Gather through a copy of the input with one zero element appended.
  byte_width(node, x.type());  // raises for sub-byte types
  Tensor padded(x.type(), {x.element_count() + 1});
  std::copy(static_cast<const char*>(x.data()), static_cast<const char*>(x.data()) + x.byte_size(),
            static_cast<char*>(padded.data()));
  for (int64_t& i : index)
    if (i < 0) i = x.element_count();
  return {gather_elements(node, padded, out, index)};
}

Outputs eval_Col2Im(const Node& node, const Inputs& in) {
  need_inputs(node, in, 3, 3);
  const Tensor& x = *in[0];
  const Col2ImAttrs& a = node.attr<Col2ImAttrs>();
  const auto size = int_input(node, in, 1), kernel = int_input(node, in, 2);
  const Dims& s = x.shape();
  if (size.size() != 2 || kernel.size() != 2 || (s.size() != 2 && s.size() != 3) || kernel[0] <= 0 ||
      kernel[1] <= 0 || size[0] <= 0 || size[1] <= 0)
    raise(ErrorCode::kModel, "{}: data {}, output_size {} and kernel_size {} do not fit", node.describe(),
          to_string(s), size.size(), kernel.size());
  const bool batched = s.size() == 3;
  const int64_t N = batched ? s[0] : 1, CK = s[batched ? 1 : 0], L = s[batched ? 2 : 1];
  const int64_t K = kernel[0] * kernel[1];
  int64_t blocks[2];
  for (size_t d = 0; d < 2; ++d)
    blocks[d] =
        (size[d] + a.pads_begin[d] + a.pads_end[d] - (a.dilations[d] * (kernel[d] - 1) + 1)) / a.strides[d] +
        1;
  if (CK % K != 0 || blocks[0] <= 0 || blocks[1] <= 0 || blocks[0] * blocks[1] != L)
    raise(ErrorCode::kModel, "{}: data {} does not fit output_size and kernel_size", node.describe(),
          to_string(s));
  const int64_t C = CK / K, H = size[0], W = size[1];
  const bool is_int = is_integer(x.type());
  if (!is_int && !is_compute_float(x.type())) unsupported_type(node, x.type());
  std::vector<float> fv;
  std::vector<int64_t> iv;
  if (is_int)
    iv = read_ints(x);
  else
    fv = read_floats(x);
  std::vector<float> fy(is_int ? 0 : static_cast<size_t>(N * C * H * W), 0.0f);
  std::vector<int64_t> iy(is_int ? static_cast<size_t>(N * C * H * W) : 0, 0);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t col = 0; col < CK; ++col) {
      const int64_t kw = col % kernel[1], kh = (col / kernel[1]) % kernel[0], c = col / K;
      for (int64_t bh = 0; bh < blocks[0]; ++bh) {
        const int64_t h = bh * a.strides[0] - a.pads_begin[0] + kh * a.dilations[0];
        for (int64_t bw = 0; bw < blocks[1]; ++bw) {
          const int64_t w = bw * a.strides[1] - a.pads_begin[1] + kw * a.dilations[1];
          if (h < 0 || h >= H || w < 0 || w >= W) continue;
          const size_t o = static_cast<size_t>(((n * C + c) * H + h) * W + w);
          const size_t i = static_cast<size_t>(((n * CK + col) * blocks[0] + bh) * blocks[1] + bw);
          if (is_int)
            iy[o] += iv[i];
          else
            fy[o] += fv[i];
        }
      }
    }
  Dims out;
  if (batched) out.push_back(N);
  out.insert(out.end(), {C, H, W});
  return {is_int ? make_int_tensor(x.type(), out, iy) : make_float_tensor(x.type(), out, fy)};
}

}  // namespace ref
}  // namespace octet
