// Integer reference of QuantizedConvolution / QuantizedMatMul (see quantized_linear.h).
#include "host/reference/quantized_linear.h"

#include <cmath>

#include "host/common/error.h"

namespace octet {
namespace {

int64_t weight_code(const QuantizedWeights& w, int64_t index) {
  return w.codes.get_as_int64(index);
}

// Weight code minus its zero point for output channel o at reduction position r.
int64_t centered_weight(const QuantizedWeights& w, int64_t o, int64_t r) {
  const int64_t code = weight_code(w, o * w.reduction + r);
  if (w.zero_point.empty()) return code;
  const int64_t groups = w.group_size ? w.reduction / w.group_size : 1;
  return code - w.zero_point[static_cast<size_t>(o * groups + (w.group_size ? r / w.group_size : 0))];
}

float weight_scale(const QuantizedWeights& w, int64_t o, int64_t group) {
  const int64_t groups = w.group_size ? w.reduction / w.group_size : 1;
  return w.scale[static_cast<size_t>(o * groups + group)];
}

// Sums of one output element, per weight group: integer when activations are quantized.
struct GroupSums {
  std::vector<int64_t> integer;
  std::vector<float> real;
};

// Applies dequantization, bias, post-ops and output quantization to one output element.
float finish(const QuantizedLinear& q, const GroupSums& sums, int64_t o, const float* residual) {
  const QuantizedWeights& w = q.weights;
  float y = 0;
  const size_t groups = q.input ? sums.integer.size() : sums.real.size();
  for (size_t g = 0; g < groups; ++g) {
    const float s = weight_scale(w, o, static_cast<int64_t>(g));
    y += q.input ? static_cast<float>(sums.integer[g]) * s : sums.real[g] * s;
  }
  if (q.input) y *= q.input->scale;
  if (!q.bias.empty()) y += q.bias[static_cast<size_t>(o)];
  for (const PostOp& op : q.post_ops) {
    if (op.kind == PostOp::Kind::kResidualAdd) {
      y += *residual;
    } else if (op.kind == PostOp::Kind::kScale) {
      y *= op.values[op.values.size() == 1 ? 0 : static_cast<size_t>(o)];
    } else if (op.kind == PostOp::Kind::kFakeQuantize) {
      y = fake_quantize(y, op.quant);
    } else {
      y = apply_activation(op, y);
    }
  }
  if (q.output) y = fake_quantize(y, *q.output);
  return y;
}

}  // namespace

int32_t quantize_level(float x, const ActivationQuant& q) {
  // `!(x > in_low)` also sends NaN to level 0: a code has no NaN, and every kernel agrees on 0.
  if (!(x > q.in_low)) return 0;
  if (x > q.in_high) return q.levels - 1;
  return static_cast<int32_t>(
      std::nearbyint((x - q.in_low) / (q.in_high - q.in_low) * static_cast<float>(q.levels - 1)));
}

float fake_quantize(float x, const ActivationQuant& q) {
  if (x <= std::min(q.in_low, q.in_high)) return q.out_low;
  if (x > std::max(q.in_low, q.in_high)) return q.out_high;
  const float level =
      std::nearbyint((x - q.in_low) / (q.in_high - q.in_low) * static_cast<float>(q.levels - 1));
  return level / static_cast<float>(q.levels - 1) * (q.out_high - q.out_low) + q.out_low;
}

float grid_value(int32_t level, const ActivationQuant& g) {
  return static_cast<float>(level) / static_cast<float>(g.levels - 1) * (g.out_high - g.out_low) + g.out_low;
}

float apply_prologue(const ActivationQuantize& p, int64_t c, float v) {
  const size_t i = static_cast<size_t>(c);
  if (!p.pre_scale.empty()) v = v * p.pre_scale[i];
  if (!p.pre_shift.empty()) v = v + p.pre_shift[i];
  if (p.pre_relu) v = act::relu(v);
  return v;
}

float codes_requantize(const CodesRequantizeParams& p, int64_t c, float v) {
  const float x = apply_prologue(p.quantize, c, v);
  return p.float_output ? fake_quantize(x, p.quantize.quant)
                        : static_cast<float>(quantize_level(x, p.quantize.quant));
}

float apply_activation(const PostOp& op, float x) {
  if (!is_activation(op.activation))
    raise(ErrorCode::kInternal, "post-op code {} is not an activation", static_cast<int>(op.activation));
  // In double, rounded once (Relu, Clamp and Elu's positive side are exact either way).
  return static_cast<float>(act::activation<double>(static_cast<int>(op.activation), op.alpha, op.beta, x));
}

std::vector<Tensor> evaluate_quantized_linear(const Node& node, const std::vector<const Tensor*>& inputs,
                                              std::vector<int64_t>* accumulators) {
  const QuantizedLinear& q = quantized_params(node);
  const QuantizedWeights& w = q.weights;
  const Tensor& x = *inputs.at(0);
  // Input 0 is either f32 (quantized here, NCHW) or the i8 codes q - 128 of a QuantizeActivation
  // (channels last for convolutions).
  const bool codes_input = x.type() == ElementType::kI8;
  if (codes_input && !q.input)
    raise(ErrorCode::kInternal, "{}: i8 input without quantization", node.describe());
  if (!codes_input && x.type() != ElementType::kF32)
    raise(ErrorCode::kUnsupported, "{}: input of type {}", node.describe(), element_type_name(x.type()));
  const float* xs = codes_input ? nullptr : x.data_as<float>();
  const int8_t* xc = codes_input ? x.data_as<int8_t>() : nullptr;
  // A residual addend given as channels-last codes is first turned back into its float values.
  Tensor residual_values;
  const float* residual = nullptr;
  if (inputs.size() > 1) {
    for (const PostOp& op : q.post_ops)
      if (op.residual_codes) residual_values = activation_values(*inputs[1], *op.residual_codes, true);
    residual =
        residual_values.element_count() ? residual_values.data_as<float>() : inputs[1]->data_as<float>();
  }
  Tensor out(ElementType::kF32, quantized_result_shape(node));
  float* ys = out.data_as<float>();
  const int64_t groups = w.group_size ? w.reduction / w.group_size : 1;
  const int64_t group_len = w.group_size ? w.group_size : w.reduction;
  if (accumulators) accumulators->assign(static_cast<size_t>(out.element_count() * groups), 0);

  // Activation value as the integer path sees it: level - zero point (or the float itself).
  // Computed once per input element and weight once per (channel, position): the loops below
  // read each of them once per output element that uses it.
  std::vector<int64_t> codes;
  if (q.input) {
    codes.resize(static_cast<size_t>(x.element_count()));
    for (int64_t i = 0; i < x.element_count(); ++i) {
      const int64_t level = codes_input ? int64_t{xc[i]} + 128 : quantize_level(xs[i], *q.input);
      codes[static_cast<size_t>(i)] = level - q.input->zero_point;
    }
  }
  std::vector<int64_t> centered(static_cast<size_t>(w.output_channels * w.reduction));
  for (int64_t o = 0; o < w.output_channels; ++o)
    for (int64_t r = 0; r < w.reduction; ++r)
      centered[static_cast<size_t>(o * w.reduction + r)] = centered_weight(w, o, r);
  GroupSums sums;
  sums.integer.assign(static_cast<size_t>(groups), 0);
  sums.real.assign(static_cast<size_t>(groups), 0.0f);
  auto reset = [&] {
    std::fill(sums.integer.begin(), sums.integer.end(), 0);
    std::fill(sums.real.begin(), sums.real.end(), 0.0f);
  };
  // Adds activation element i (flat index into input 0) times weight (o, r).
  auto accumulate = [&](int64_t i, int64_t o, int64_t r) {
    const int64_t c = centered[static_cast<size_t>(o * w.reduction + r)];
    const size_t g = groups == 1 ? 0 : static_cast<size_t>(r / group_len);  // no division per MAC
    if (q.input) {
      sums.integer[g] += codes[static_cast<size_t>(i)] * c;
    } else {
      sums.real[g] += xs[i] * static_cast<float>(c);
    }
  };
  auto store = [&](int64_t index, int64_t o) {
    if (accumulators && q.input)
      for (int64_t g = 0; g < groups; ++g)
        (*accumulators)[static_cast<size_t>(index * groups + g)] = sums.integer[static_cast<size_t>(g)];
    ys[index] = finish(q, sums, o, residual ? residual + index : nullptr);
  };

  if (q.base_op == OpKind::kMatMul) {
    const int64_t k_dim = x.shape().back();
    if (k_dim != w.reduction) raise(ErrorCode::kInternal, "{}: K mismatch", node.describe());
    const int64_t rows = x.element_count() / k_dim;
    for (int64_t m = 0; m < rows; ++m) {
      for (int64_t n = 0; n < w.output_channels; ++n) {
        reset();
        for (int64_t k = 0; k < k_dim; ++k) accumulate(m * k_dim + k, n, k);
        store(m * w.output_channels + n, n);
      }
    }
    if (q.output_codes) return {activation_codes(out, *q.output_codes, false)};
    return {std::move(out)};
  }

  // Convolution / GroupConvolution over 1-3 spatial dims, padded positions contributing 0
  // (activation code 0, i.e. the float value 0.0, whatever the zero point).
  const ConvGeometry g = quantized_conv_geometry(node);
  Dims in = x.shape();
  if (codes_input) {  // [N, spatial..., C] -> logical [N, C, spatial...]
    in.insert(in.begin() + 1, in.back());
    in.pop_back();
  }
  const Dims& os = out.shape();
  const size_t spatial = in.size() - 2;
  if (spatial < 1 || spatial > 3)
    raise(ErrorCode::kUnsupported, "{}: {}-D convolution", node.describe(), spatial);
  Dims i3(3, 1), o3(3, 1), k3(3, 1), s3(3, 1), d3(3, 1), p3(3, 0);
  for (size_t i = 0; i < spatial; ++i) {
    const size_t j = 3 - spatial + i;
    i3[j] = in[2 + i];
    o3[j] = os[2 + i];
    k3[j] = g.kernel[i];
    s3[j] = g.strides[i];
    d3[j] = g.dilations[i];
    p3[j] = g.pads_begin[i];
  }
  const bool grouped = q.base_op == OpKind::kGroupConvolution;
  const Dims& ws = w.codes.shape();
  const int64_t groups_conv = grouped ? ws[0] : 1;
  const int64_t out_per_group = grouped ? ws[1] : ws[0];
  const int64_t in_per_group = grouped ? ws[2] : ws[1];
  const int64_t batch = in[0], channels = in[1];
  const int64_t in_plane = i3[0] * i3[1] * i3[2], out_plane = o3[0] * o3[1] * o3[2];
  // Per output pixel, the taps inside the input (reduction position r, input index of group 0's
  // channel), in the order every output channel then sums them: channel, then kernel z, y, x.
  struct Tap {
    int64_t r, index;
  };
  std::vector<Tap> taps;
  const int64_t group_stride = in_per_group * (codes_input ? 1 : in_plane);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t oz = 0; oz < o3[0]; ++oz)
      for (int64_t oy = 0; oy < o3[1]; ++oy)
        for (int64_t ox = 0; ox < o3[2]; ++ox) {
          taps.clear();
          for (int64_t c = 0; c < in_per_group; ++c)
            for (int64_t kz = 0; kz < k3[0]; ++kz)
              for (int64_t ky = 0; ky < k3[1]; ++ky)
                for (int64_t kx = 0; kx < k3[2]; ++kx) {
                  const int64_t iz = oz * s3[0] - p3[0] + kz * d3[0];
                  const int64_t iy = oy * s3[1] - p3[1] + ky * d3[1];
                  const int64_t ix = ox * s3[2] - p3[2] + kx * d3[2];
                  if (iz < 0 || iz >= i3[0] || iy < 0 || iy >= i3[1] || ix < 0 || ix >= i3[2]) continue;
                  const int64_t pixel = (iz * i3[1] + iy) * i3[2] + ix;
                  taps.push_back({((c * k3[0] + kz) * k3[1] + ky) * k3[2] + kx,
                                  codes_input ? (b * in_plane + pixel) * channels + c
                                              : (b * channels + c) * in_plane + pixel});
                }
          const int64_t pixel_out = (oz * o3[1] + oy) * o3[2] + ox;
          for (int64_t o = 0; o < groups_conv * out_per_group; ++o) {
            const int64_t offset = o / out_per_group * group_stride;
            reset();
            for (const Tap& t : taps) accumulate(t.index + offset, o, t.r);
            store((b * groups_conv * out_per_group + o) * out_plane + pixel_out, o);
          }
        }
  if (q.output_codes) return {activation_codes(out, *q.output_codes, true)};
  return {std::move(out)};
}

namespace {

// Calls f(planar, stored) for every element of a tensor whose logical layout is `logical`
// ([N, C, spatial...]): `planar` indexes that layout, `stored` the channels-last one
// ([N, spatial..., C]) when `transpose`, else the same.
template <typename F>
void for_each_layout_pair(const Dims& logical, bool transpose, F f) {
  const int64_t batch = logical.empty() ? 1 : logical[0], channels = transpose ? logical[1] : 1;
  if (batch * channels == 0) return;
  const int64_t plane = element_count(logical) / (batch * channels);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t i = 0; i < plane; ++i) {
        const int64_t planar = (b * channels + c) * plane + i;
        f(planar, transpose ? (b * plane + i) * channels + c : planar);
      }
}

}  // namespace

Tensor activation_values(const Tensor& codes, const ActivationQuant& quant, bool channels_last) {
  if (codes.type() != ElementType::kI8) raise(ErrorCode::kInternal, "activation values of non-i8 codes");
  Dims shape = codes.shape();
  const bool transpose = channels_last && shape.size() >= 3;
  if (transpose) {  // [N, spatial..., C] -> [N, C, spatial...]
    shape.insert(shape.begin() + 1, shape.back());
    shape.pop_back();
  }
  Tensor out(ElementType::kF32, shape);
  const int8_t* xs = codes.data_as<int8_t>();
  float* ys = out.data_as<float>();
  const float steps = static_cast<float>(quant.levels - 1), range = quant.out_high - quant.out_low;
  for_each_layout_pair(shape, transpose, [&](int64_t planar, int64_t stored) {
    ys[planar] = static_cast<float>(int32_t{xs[stored]} + 128) / steps * range + quant.out_low;
  });
  return out;
}

Tensor activation_codes(const Tensor& x, const ActivationQuant& quant, bool channels_last) {
  if (x.type() != ElementType::kF32) raise(ErrorCode::kUnsupported, "activation codes of a non-f32 tensor");
  const bool transpose = channels_last && x.shape().size() >= 3;
  Tensor out(ElementType::kI8, transpose ? channels_last_shape(x.shape()) : x.shape());
  const float* xs = x.data_as<float>();
  int8_t* ys = out.data_as<int8_t>();
  for_each_layout_pair(x.shape(), transpose, [&](int64_t planar, int64_t stored) {
    ys[stored] = static_cast<int8_t>(quantize_level(xs[planar], quant) - 128);
  });
  return out;
}

namespace ref {

namespace {

// x with the QuantizeActivation's folded float ops applied per channel (apply_prologue).
Tensor apply_prologue(const Node& node, const Tensor& x, const ActivationQuantize& p) {
  const Dims& s = x.shape();
  const int64_t channels = s.size() >= 2 ? s[1] : 0;
  if (channels == 0 || (!p.pre_scale.empty() && static_cast<int64_t>(p.pre_scale.size()) != channels) ||
      (!p.pre_shift.empty() && static_cast<int64_t>(p.pre_shift.size()) != channels))
    raise(ErrorCode::kInternal, "{}: prologue of {} scales, {} shifts for input shape {}", node.describe(),
          p.pre_scale.size(), p.pre_shift.size(), to_string(s));
  Tensor y(ElementType::kF32, s);
  const int64_t plane = x.element_count() / (s[0] * channels);
  const float* xs = x.data_as<float>();
  float* ys = y.data_as<float>();
  for (int64_t i = 0; i < x.element_count(); ++i) ys[i] = apply_prologue(p, (i / plane) % channels, xs[i]);
  return y;
}

}  // namespace

std::vector<Tensor> eval_QuantizeActivation(const Node& node, const std::vector<const Tensor*>& in) {
  const ActivationQuantize& p = quantize_params(node);
  if (in.at(0)->type() != ElementType::kF32)
    raise(ErrorCode::kUnsupported, "{}: input must be f32", node.describe());
  const Tensor folded = p.has_prologue() ? apply_prologue(node, *in.at(0), p) : Tensor();
  const Tensor& x = p.has_prologue() ? folded : *in.at(0);
  if (p.channel_quant.empty()) return {activation_codes(x, p.quant, p.channels_last)};
  // Per channel (axis 1): each element's level with its channel's ranges.
  const Dims& s = x.shape();
  if (s.size() < 2 || s[1] != static_cast<int64_t>(p.channel_quant.size()))
    raise(ErrorCode::kInternal, "{}: {} channel quantizers for input shape {}", node.describe(),
          p.channel_quant.size(), to_string(s));
  const bool transpose = p.channels_last && s.size() >= 3;
  Tensor out(ElementType::kI8, transpose ? channels_last_shape(s) : s);
  const float* xs = x.data_as<float>();
  int8_t* ys = out.data_as<int8_t>();
  const int64_t channels = s[1], plane = s[0] * channels != 0 ? x.element_count() / (s[0] * channels) : 0;
  for_each_layout_pair(s, transpose, [&](int64_t planar, int64_t stored) {
    const ActivationQuant& q = p.channel_quant[static_cast<size_t>((planar / plane) % channels)];
    ys[stored] = static_cast<int8_t>(quantize_level(xs[planar], q) - 128);
  });
  return {std::move(out)};
}

}  // namespace ref
}  // namespace octet
