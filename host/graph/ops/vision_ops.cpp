// Shape inference for the image ops: GridSample-9, AdaptiveAvgPool-8, AdaptiveMaxPool-8,
// ExtractImagePatches-3, DeformableConvolution-1/8, BinaryConvolution-1, Col2Im-15 and the NV12/I420
// to RGB/BGR conversions (-8).
#include "host/common/error.h"
#include "host/graph/op_attrs.h"
#include "host/graph/ops/conv_geometry.h"
#include "host/graph/ops/infer_util.h"

namespace octet {
namespace {

bool known(int64_t d) {
  return d >= 0;
}

// Adaptive pools: data [N, C, spatial...] (rank 3-5) and output_shape (input 1, constant).
Dims adaptive_shape(const Node& node) {
  expect_inputs(node, 2, 2);
  expect_rank(node, 0, 3, 5);
  expect_integer(node, 1, "output_shape");
  const Dims& in = node.input_shape(0);
  if (!node.input_constant(1))
    raise(ErrorCode::kUnsupported,
          "{}: input 1 (output_shape) must be constant: the output shape is its value and octet needs static "
          "shapes",
          node.describe());
  const std::vector<int64_t> sizes = constant_ints(node, 1, "output_shape");
  if (sizes.size() + 2 != in.size())
    raise(ErrorCode::kModel, "{}: output_shape {} must have one value per spatial dim of input 0 {}",
          node.describe(), list_string(sizes), to_string(in));
  Dims out = {in[0], in[1]};
  for (int64_t s : sizes) {
    if (s <= 0 || s > kMaxDim)
      raise(ErrorCode::kModel, "{}: output_shape {} must hold positive values", node.describe(),
            list_string(sizes));
    out.push_back(s);
  }
  check_output_shape(node, out);
  return out;
}

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

// The image size of a colour conversion: input 0 is [N, H, W, 1] (planes given separately) or
// [N, H * 3 / 2, W, 1] (one plane holding Y then the chroma).
void infer_color(Node& node, size_t planes) {
  if (node.inputs.size() != 1 && node.inputs.size() != planes)
    raise(ErrorCode::kModel, "{}: takes 1 or {} inputs, has {}", node.describe(), planes, node.inputs.size());
  const ElementType t = node.input_type(0);
  if (t != ElementType::kU8 && !is_float(t))
    raise(ErrorCode::kModel, "{}: input 0 must be u8 or floating-point, is {}", node.describe(),
          element_type_name(t));
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    expect_same_type(node, 0, i);
    expect_rank(node, i, 4, 4);
  }
  const Dims& y = node.input_shape(0);
  int64_t h = y[1];
  const int64_t w = y[2];
  if (known(y[3]) && y[3] != 1)
    raise(ErrorCode::kModel, "{}: input 0 {} must have 1 channel", node.describe(), to_string(y));
  if (node.inputs.size() == 1 && known(h)) {
    if (h % 3 != 0)
      raise(ErrorCode::kModel, "{}: input {} height must be divisible by 3 (Y plane then chroma)",
            node.describe(), to_string(y));
    h = h * 2 / 3;
  }
  if ((known(h) && h % 2 != 0) || (known(w) && w % 2 != 0))
    raise(ErrorCode::kModel, "{}: image {}x{} must have even height and width", node.describe(), h, w);
  for (size_t i = 1; i < node.inputs.size(); ++i) {
    const Dims& c = node.input_shape(i);
    const Dims want = {y[0], known(h) ? h / 2 : kDynamicDim, known(w) ? w / 2 : kDynamicDim,
                       planes == 2 ? 2 : 1};
    for (size_t d = 0; d < 4; ++d)
      if (known(c[d]) && known(want[d]) && c[d] != want[d])
        raise(ErrorCode::kModel, "{}: input {} {} must be {}", node.describe(), i, to_string(c),
              to_string(want));
  }
  set_single_output(node, t, {y[0], h, w, 3});
}

}  // namespace

// data [N, C, H, W] and grid [N, H_out, W_out, 2] -> [N, C, H_out, W_out].
void infer_GridSample(Node& node) {
  expect_inputs(node, 2, 2);
  expect_float(node, 0);
  expect_float(node, 1);
  expect_rank(node, 0, 4, 4);
  expect_rank(node, 1, 4, 4);
  const Dims &data = node.input_shape(0), &grid = node.input_shape(1);
  if ((known(grid[3]) && grid[3] != 2) || (known(grid[0]) && known(data[0]) && grid[0] != data[0]))
    raise(ErrorCode::kModel, "{}: grid {} must be [N = {}, H_out, W_out, 2]", node.describe(),
          to_string(grid), data[0]);
  set_single_output(node, node.input_type(0),
                    {known(data[0]) ? data[0] : grid[0], data[1], grid[1], grid[2]});
}

void infer_AdaptiveAvgPool(Node& node) {
  expect_float(node, 0);
  set_single_output(node, node.input_type(0), adaptive_shape(node));
}

void infer_AdaptiveMaxPool(Node& node) {
  expect_float(node, 0);
  const Dims out = adaptive_shape(node);
  set_outputs(node, 2);
  node.outputs[0].type = node.input_type(0);
  node.outputs[0].shape = out;
  node.outputs[1].type = node.attr<AdaptiveMaxPoolAttrs>().index_type;
  node.outputs[1].shape = out;
}

// [N, C, H, W] -> [N, C * sizes[0] * sizes[1], out_h, out_w].
void infer_ExtractImagePatches(Node& node) {
  expect_inputs(node, 1, 1);
  expect_rank(node, 0, 4, 4);
  const ExtractImagePatchesAttrs& a = node.attr<ExtractImagePatchesAttrs>();
  const Dims& in = node.input_shape(0);
  Dims out = {in[0], known(in[1]) ? in[1] * a.sizes[0] * a.sizes[1] : kDynamicDim, kDynamicDim, kDynamicDim};
  for (size_t d = 0; d < 2; ++d) {
    const int64_t i = in[2 + d];
    if (!known(i)) continue;
    const int64_t span = (a.sizes[d] - 1) * a.rates[d] + 1;
    if (a.auto_pad == AutoPad::kValid)
      out[2 + d] = i >= span ? (i - span) / a.strides[d] + 1 : 0;
    else
      out[2 + d] = ceil_div(i, a.strides[d]);
  }
  if (out[2] == 0 || out[3] == 0)
    raise(ErrorCode::kUnsupported,
          "{}: auto_pad valid with the patch span larger than input {} gives an empty output",
          node.describe(), to_string(in));
  set_single_output(node, node.input_type(0), out);
}

// data [N, C, H, W], offsets [N, dg * 2 * kh * kw, H_out, W_out], filters [C_out, C / group, kh, kw]
// and (version 8) mask [N, dg * kh * kw, H_out, W_out] -> [N, C_out, H_out, W_out].
void infer_DeformableConvolution(Node& node) {
  expect_inputs(node, 3, node.version >= 8 ? 4 : 3);
  const DeformableConvAttrs& a = node.attr<DeformableConvAttrs>();
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    expect_float(node, i);
    expect_same_type(node, 0, i);
    expect_rank(node, i, 4, 4);
  }
  const Dims &x = node.input_shape(0), &off = node.input_shape(1), &w = node.input_shape(2);
  if (known(x[1]) && x[1] % a.group != 0)
    fail_attribute(node, "group", fmt::format("does not divide the {} input channels", x[1]));
  if (known(x[1]) && x[1] % a.deformable_group != 0)
    fail_attribute(node, "deformable_group", fmt::format("does not divide the {} input channels", x[1]));
  if (known(w[0]) && w[0] % a.group != 0)
    fail_attribute(node, "group", fmt::format("does not divide the {} output channels", w[0]));
  if (known(x[1]) && known(w[1]) && w[1] * a.group != x[1])
    raise(ErrorCode::kModel, "{}: filters {} need {} input channels per group, data {} has {} in {} groups",
          node.describe(), to_string(w), w[1], to_string(x), x[1], a.group);
  const ConvGeometry g =
      conv_window(node, conv_attrs(a.strides, a.dilations, a.pads_begin, a.pads_end, a.auto_pad),
                  {x[2], x[3]}, {w[2], w[3]});
  const Dims out = {x[0], w[0], g.output[0], g.output[1]};
  const int64_t taps = known(w[2]) && known(w[3]) ? w[2] * w[3] : kDynamicDim;
  auto check_side = [&](size_t i, int64_t per_tap, const char* what) {
    const Dims& s = node.input_shape(i);
    const Dims want = {x[0], known(taps) ? a.deformable_group * per_tap * taps : kDynamicDim, out[2], out[3]};
    for (size_t d = 0; d < 4; ++d)
      if (known(s[d]) && known(want[d]) && s[d] != want[d])
        raise(ErrorCode::kModel, "{}: {} {} must be {} (deformable_group {}, {} filter taps)",
              node.describe(), what, to_string(s), to_string(want), a.deformable_group, taps);
  };
  check_side(1, 2, "offsets");
  (void)off;
  if (node.inputs.size() == 4) check_side(3, 1, "mask");
  check_output_shape(node, out);
  set_single_output(node, node.input_type(0), out);
}

// data [N, C, H, W] holding 0/1 values, filters [C_out, C, kh, kw] of type u1 -> [N, C_out, ...].
void infer_BinaryConvolution(Node& node) {
  expect_inputs(node, 2, 2);
  expect_float(node, 0);
  expect_rank(node, 0, 4, 4);
  expect_rank(node, 1, 4, 4);
  if (node.input_type(1) != ElementType::kU1)
    raise(ErrorCode::kUnsupported, "{}: filters must have type u1 (one bit per weight), have {}",
          node.describe(), element_type_name(node.input_type(1)));
  const BinaryConvAttrs& a = node.attr<BinaryConvAttrs>();
  const Dims &x = node.input_shape(0), &w = node.input_shape(1);
  if (known(x[1]) && known(w[1]) && x[1] != w[1])
    raise(ErrorCode::kModel, "{}: filters {} do not match the {} data channels", node.describe(),
          to_string(w), x[1]);
  const ConvGeometry g =
      conv_window(node, conv_attrs(a.strides, a.dilations, a.pads_begin, a.pads_end, a.auto_pad),
                  {x[2], x[3]}, {w[2], w[3]});
  set_single_output(node, node.input_type(0), {x[0], w[0], g.output[0], g.output[1]});
}

// data [N, C * kh * kw, L] or [C * kh * kw, L], output_size and kernel_size (constant [2] each)
// -> [N, C, out_h, out_w] or [C, out_h, out_w].
void infer_Col2Im(Node& node) {
  expect_inputs(node, 3, 3);
  expect_rank(node, 0, 2, 3);
  expect_integer(node, 1, "output_size");
  expect_integer(node, 2, "kernel_size");
  const Col2ImAttrs& a = node.attr<Col2ImAttrs>();
  for (size_t i = 1; i < 3; ++i)
    if (!node.input_constant(i))
      raise(ErrorCode::kUnsupported,
            "{}: input {} ({}) must be constant: the output shape depends on its values and octet needs "
            "static shapes",
            node.describe(), i, i == 1 ? "output_size" : "kernel_size");
  const std::vector<int64_t> size = constant_ints(node, 1, "output_size");
  const std::vector<int64_t> kernel = constant_ints(node, 2, "kernel_size");
  for (const auto* v : {&size, &kernel})
    if (v->size() != 2 || (*v)[0] <= 0 || (*v)[1] <= 0 || (*v)[0] > kMaxDim || (*v)[1] > kMaxDim)
      raise(ErrorCode::kModel, "{}: {} = {} must hold 2 positive values", node.describe(),
            v == &size ? "output_size" : "kernel_size", list_string(*v));
  const Dims& in = node.input_shape(0);
  const bool batched = in.size() == 3;
  const int64_t c = in[batched ? 1 : 0], l = in[batched ? 2 : 1];
  int64_t blocks = 1;
  for (size_t d = 0; d < 2; ++d) {
    const int64_t span = size[d] + a.pads_begin[d] + a.pads_end[d] - (a.dilations[d] * (kernel[d] - 1) + 1);
    if (span < 0)
      raise(ErrorCode::kModel, "{}: dilated kernel {} does not fit the padded output size {} in dim {}",
            node.describe(), a.dilations[d] * (kernel[d] - 1) + 1, size[d] + a.pads_begin[d] + a.pads_end[d],
            d);
    blocks *= span / a.strides[d] + 1;
  }
  if (known(l) && l != blocks)
    raise(ErrorCode::kModel, "{}: input 0 {} must hold {} blocks in its last dim", node.describe(),
          to_string(in), blocks);
  const int64_t k = kernel[0] * kernel[1];
  if (known(c) && c % k != 0)
    raise(ErrorCode::kModel, "{}: input 0 {} channels must be divisible by the kernel size {}",
          node.describe(), to_string(in), k);
  Dims out;
  if (batched) out.push_back(in[0]);
  out.insert(out.end(), {known(c) ? c / k : kDynamicDim, size[0], size[1]});
  set_single_output(node, node.input_type(0), out);
}

void infer_NV12toRGB(Node& node) {
  infer_color(node, 2);
}
void infer_NV12toBGR(Node& node) {
  infer_color(node, 2);
}
void infer_I420toRGB(Node& node) {
  infer_color(node, 3);
}
void infer_I420toBGR(Node& node) {
  infer_color(node, 3);
}

}  // namespace octet
