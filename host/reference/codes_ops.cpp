// Reference evaluators of the internal codes ops (host/graph/codes_ops.h).
#include "host/graph/codes_ops.h"

#include <algorithm>

#include "host/common/error.h"
#include "host/reference/quantized_linear.h"
#include "host/reference/ref_ops.h"

namespace octet {
namespace ref {

Outputs eval_CodesMaxPool(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const Tensor& x = *in[0];
  const ConvGeometry& w = codes_max_pool_params(node).window;
  const size_t spatial = w.kernel.size();
  if (x.type() != ElementType::kI8 || x.shape().size() != spatial + 2)
    raise(ErrorCode::kInternal, "{}: input {} {}", node.describe(), element_type_name(x.type()),
          to_string(x.shape()));
  // Spatial dims as 3-D (leading 1s), as the float MaxPool evaluator walks them.
  Dims i3(3, 1), o3(3, 1), k3(3, 1), s3(3, 1), d3(3, 1), p3(3, 0);
  for (size_t i = 0; i < spatial; ++i) {
    const size_t j = 3 - spatial + i;
    i3[j] = x.shape()[1 + i];
    o3[j] = w.output[i];
    k3[j] = w.kernel[i];
    s3[j] = w.strides[i];
    d3[j] = w.dilations[i];
    p3[j] = w.pads_begin[i];
  }
  const int64_t batch = x.shape().front(), channels = x.shape().back();
  Dims out_shape = {batch};
  out_shape.insert(out_shape.end(), w.output.begin(), w.output.end());
  out_shape.push_back(channels);
  Tensor y(ElementType::kI8, out_shape);
  const int8_t* xs = x.data_as<int8_t>();
  int8_t* ys = y.data_as<int8_t>();
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t od = 0; od < o3[0]; ++od)
      for (int64_t oh = 0; oh < o3[1]; ++oh)
        for (int64_t ow = 0; ow < o3[2]; ++ow)
          for (int64_t c = 0; c < channels; ++c) {
            int best = -128;  // level 0: the code of MaxPool's lowest float (a window in the padding)
            for (int64_t kd = 0; kd < k3[0]; ++kd) {
              const int64_t id = od * s3[0] - p3[0] + kd * d3[0];
              if (id < 0 || id >= i3[0]) continue;
              for (int64_t kh = 0; kh < k3[1]; ++kh) {
                const int64_t ih = oh * s3[1] - p3[1] + kh * d3[1];
                if (ih < 0 || ih >= i3[1]) continue;
                for (int64_t kw = 0; kw < k3[2]; ++kw) {
                  const int64_t iw = ow * s3[2] - p3[2] + kw * d3[2];
                  if (iw < 0 || iw >= i3[2]) continue;
                  best =
                      std::max(best, int{xs[(((b * i3[0] + id) * i3[1] + ih) * i3[2] + iw) * channels + c]});
                }
              }
            }
            ys[(((b * o3[0] + od) * o3[1] + oh) * o3[2] + ow) * channels + c] = static_cast<int8_t>(best);
          }
  return {std::move(y)};
}

Outputs eval_CodesAvgPool(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const CodesAvgPoolParams& p = codes_avg_pool_params(node);
  const Tensor& x = *in[0];
  if (x.type() != ElementType::kI8 || x.shape().size() != p.window.kernel.size() + 2)
    raise(ErrorCode::kInternal, "{}: input {} {}", node.describe(), element_type_name(x.type()),
          to_string(x.shape()));
  return {average_pool(activation_values(x, p.quant, /*channels_last=*/true), p.window, p.exclude_pad)};
}

Outputs eval_CodesDequantize(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const CodesDequantizeParams& p = codes_dequantize_params(node);
  return {activation_values(*in[0], p.quant, p.channels_last)};
}

Outputs eval_CodesRequantize(const Node& node, const Inputs& in) {
  need_inputs(node, in, 1, 1);
  const CodesRequantizeParams& p = codes_requantize_params(node);
  const Tensor& x = *in[0];
  const Dims& s = x.shape();  // [N, spatial..., C], checked by inference
  if (x.type() != ElementType::kI8 || s.size() < 3 ||
      s.back() != static_cast<int64_t>(p.channel_grids.size()))
    raise(ErrorCode::kInternal, "{}: input {} {}", node.describe(), element_type_name(x.type()),
          to_string(s));
  const int64_t channels = s.back(), pixels = x.element_count() / std::max<int64_t>(channels, 1);
  const int64_t plane = pixels / std::max<int64_t>(s[0], 1);
  Tensor out(p.float_output ? ElementType::kF32 : ElementType::kI8, node.outputs.at(0).shape);
  const int8_t* xs = x.data_as<int8_t>();
  for (int64_t px = 0; px < pixels; ++px)
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t i = px * channels + c;
      const float v = grid_value(int32_t{xs[i]} + 128, p.channel_grids[static_cast<size_t>(c)]);
      const float r = codes_requantize(p, c, v);
      if (p.float_output)  // plain [N, C, spatial...]
        out.data_as<float>()[(px / plane * channels + c) * plane + px % plane] = r;
      else
        out.data_as<int8_t>()[i] = static_cast<int8_t>(static_cast<int32_t>(r) - 128);
    }
  return {std::move(out)};
}

}  // namespace ref
}  // namespace octet
