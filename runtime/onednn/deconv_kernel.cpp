// oneDNN kernel for ConvolutionBackpropData-1 and GroupConvolutionBackpropData-1 (f32 transposed
// convolution, reference-exact up to summation order). Geometry from conv_backprop_geometry.h;
// shapes oneDNN cannot express (a negative right pad: output_padding or an output_shape past the
// natural size) return nullptr and run on the reference.
#include "host/graph/ops/conv_backprop_geometry.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

using dnnl::memory;

bool plain_f32(const Value& v) {
  if (v.type != ElementType::kF32 || !is_static(v.shape)) return false;
  for (int64_t d : v.shape)
    if (d == 0) return false;
  return true;
}

// OpenVINO's filters [C_in, C_out, k...] (grouped [G, C_in/G, C_out/G, k...]) as oneDNN's logical
// weights [C_out, C_in, k...] ([G, C_out/G, C_in/G, k...]): the same bytes, swapped strides.
memory::desc openvino_weights(const Dims& w, bool grouped) {
  const size_t lead = grouped ? 1 : 0;
  memory::dims dims(w.begin(), w.end()), strides(w.size(), 1);
  for (size_t i = w.size() - 1; i-- > 0;) strides[i] = strides[i + 1] * w[i + 1];
  std::swap(dims[lead], dims[lead + 1]);
  std::swap(strides[lead], strides[lead + 1]);
  return memory::desc(dims, memory::data_type::f32, strides);
}

}  // namespace

std::unique_ptr<Kernel> make_deconv_kernel(const Node& node, CpuBackend& backend) {
  const bool grouped = node.op == OpKind::kGroupConvolutionBackpropData;
  if (!plain_f32(node.input_value(0)) || !plain_f32(node.input_value(1)) || !plain_f32(node.outputs.at(0)))
    return nullptr;
  const Dims& x = node.input_shape(0);
  const Dims& w = node.input_shape(1);
  const Dims& y = node.outputs[0].shape;
  if (x.size() < 3 || x.size() > 5) return nullptr;
  std::vector<int64_t> output_shape;
  if (node.inputs.size() == 3) {
    const Tensor* t = node.input_constant(2);
    if (!t) return nullptr;
    output_shape = t->to_int64_vector();
  }
  const size_t lead = grouped ? 3 : 2;
  const Dims spatial(x.begin() + 2, x.end());
  const Dims kernel(w.begin() + static_cast<std::ptrdiff_t>(lead), w.end());
  const BackpropGeometry g =
      conv_backprop_geometry(node, spatial, kernel, node.inputs.size() == 3 ? &output_shape : nullptr);
  memory::dims strides, dilations, pad_l, pad_r;
  for (size_t i = 0; i < spatial.size(); ++i) {
    const int64_t natural = (spatial[i] - 1) * g.strides[i] + (kernel[i] - 1) * g.dilations[i] + 1;
    // The right pad that makes oneDNN's output size the inferred one.
    const int64_t right = natural - g.pads_begin[i] - y[i + 2];
    if (right < 0) return nullptr;
    strides.push_back(g.strides[i]);
    dilations.push_back(g.dilations[i] - 1);  // oneDNN counts the gaps between taps
    pad_l.push_back(g.pads_begin[i]);
    pad_r.push_back(right);
  }
  const dnnl::engine& engine = backend.engine();
  const memory::desc w_user = openvino_weights(w, grouped);
  const Tensor* weights = node.input_constant(1);
  const memory::desc w_any(w_user.dims(), memory::data_type::f32, memory::format_tag::any);
  dnnl::deconvolution_forward::desc desc(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::deconvolution_direct, plain_desc(x),
      weights ? w_any : w_user, plain_desc(y), strides, dilations, pad_l, pad_r);
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::deconvolution_forward::primitive_desc pd(desc, attr, engine);
  using Binding = PrimitiveKernel::Binding;
  using Source = PrimitiveKernel::Source;
  std::vector<Binding> bindings;
  bindings.push_back({DNNL_ARG_SRC, Source::kInput, 0, pd.src_desc(), {}});
  bindings.push_back({DNNL_ARG_DST, Source::kOutput, 0, pd.dst_desc(), {}});
  if (weights) {
    // Reordered once, at compile time, into the layout the primitive prefers.
    memory src(w_user, engine, const_cast<void*>(weights->data()));
    memory dst(pd.weights_desc(), engine);
    dnnl::stream stream(engine);
    dnnl::reorder(src, dst).execute(stream, src, dst);
    stream.wait();
    backend.add_weight_bytes(pd.weights_desc().get_size());
    bindings.push_back({DNNL_ARG_WEIGHTS, Source::kConstant, 1, pd.weights_desc(), dst});
  } else {
    bindings.push_back({DNNL_ARG_WEIGHTS, Source::kInput, 1, w_user, {}});
  }
  return std::make_unique<PrimitiveKernel>(dnnl::deconvolution_forward(pd), pd, std::move(bindings));
}

}  // namespace cpu
}  // namespace octet
