// oneDNN MaxPool and AvgPool kernels, used where oneDNN's divisor and padding rules equal the spec's.
#include "host/graph/ops/conv_geometry.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {

std::unique_ptr<Kernel> make_pool_kernel(const Node& node, CpuBackend& backend) {
  // MaxPool-8/-14 also produce indices, which oneDNN does not compute in OpenVINO's form.
  if (node.outputs.size() != 1 || node.inputs.size() != 1 || !all_f32(node)) return nullptr;
  const Dims& x = node.input_shape(0);
  const Dims& y = node.outputs[0].shape;
  if (x.size() < 3 || x.size() > 5) return nullptr;
  const ConvGeometry g = pool_geometry(node);
  dnnl::memory::dims strides, kernel, dilations, pad_l, pad_r;
  bool overhang = false, zero_pads = true;
  for (size_t i = 0; i + 2 < x.size(); ++i) {
    const int64_t span = (g.kernel[i] - 1) * g.dilations[i] + 1;
    // Ceil rounding lets the last window run past the end padding; oneDNN sees that as more padding.
    const int64_t right = (y[i + 2] - 1) * g.strides[i] + span - x[i + 2] - g.pads_begin[i];
    if (g.pads_begin[i] >= span || right >= span) return nullptr;  // a window made only of padding
    overhang = overhang || right > g.pads_end[i];
    zero_pads = zero_pads && g.pads_begin[i] == 0 && g.pads_end[i] == 0;
    strides.push_back(g.strides[i]);
    kernel.push_back(g.kernel[i]);
    dilations.push_back(g.dilations[i] - 1);
    pad_l.push_back(g.pads_begin[i]);
    pad_r.push_back(right);
  }
  dnnl::algorithm algorithm = dnnl::algorithm::pooling_max;
  if (node.op == OpKind::kAvgPool) {
    // Spec divisors: exclude-pad counts in-bounds positions; otherwise the full kernel when some pad
    // is non-zero, and the in-bounds positions when all pads are zero.
    if (node.attrs.boolean("exclude-pad") || zero_pads) {
      algorithm = dnnl::algorithm::pooling_avg_exclude_padding;
    } else if (!overhang) {
      algorithm = dnnl::algorithm::pooling_avg_include_padding;
    } else {
      return nullptr;  // padded window clipped by ceil rounding: the reference's divisor rule applies
    }
  }
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::pooling_v2_forward::desc desc(dnnl::prop_kind::forward_inference, algorithm, plain_desc(x),
                                      plain_desc(y), strides, kernel, dilations, pad_l, pad_r);
  dnnl::pooling_v2_forward::primitive_desc pd(desc, attr, backend.engine());
  std::vector<PrimitiveKernel::Binding> bindings;
  bindings.push_back({DNNL_ARG_SRC, PrimitiveKernel::Source::kInput, 0, pd.src_desc(), {}});
  bindings.push_back({DNNL_ARG_DST, PrimitiveKernel::Source::kOutput, 0, pd.dst_desc(), {}});
  return std::make_unique<PrimitiveKernel>(dnnl::pooling_v2_forward(pd), pd, std::move(bindings));
}

}  // namespace cpu
}  // namespace octet
