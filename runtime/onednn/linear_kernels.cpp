// oneDNN Convolution, GroupConvolution and MatMul kernels (f32, reference-exact up to summation order).
#include "host/graph/ops/conv_geometry.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

using dnnl::memory;
using Binding = PrimitiveKernel::Binding;
using Source = PrimitiveKernel::Source;

dnnl::primitive_attr user_scratchpad() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

// Reorders a Constant input into the layout the primitive prefers, once, at compile time.
memory reorder_constant(const Node& node, size_t input, const memory::desc& target, CpuBackend& backend) {
  const dnnl::engine& engine = backend.engine();
  const Tensor& value = *node.input_constant(input);
  memory src(plain_desc(value.shape()), engine, const_cast<void*>(value.data()));
  memory dst(target, engine);
  dnnl::stream stream(engine);
  dnnl::reorder(src, dst).execute(stream, src, dst);
  stream.wait();
  backend.add_weight_bytes(target.get_size());
  return dst;
}

}  // namespace

std::unique_ptr<Kernel> make_conv_kernel(const Node& node, CpuBackend& backend) {
  if (node.inputs.size() != 2 || !all_f32(node)) return nullptr;
  const Dims& x = node.input_shape(0);
  const Dims& w = node.input_shape(1);
  const Dims& y = node.outputs.at(0).shape;
  if (x.size() < 3 || x.size() > 5) return nullptr;
  const ConvGeometry g = conv_geometry(node, node.op == OpKind::kGroupConvolution);
  memory::dims strides, dilations, pad_l, pad_r;
  for (size_t i = 0; i + 2 < x.size(); ++i) {
    const int64_t span = (g.kernel[i] - 1) * g.dilations[i] + 1;
    strides.push_back(g.strides[i]);
    dilations.push_back(g.dilations[i] - 1);  // oneDNN counts the gaps between taps
    pad_l.push_back(g.pads_begin[i]);
    // The pad that makes oneDNN's floor formula give exactly the inferred output size.
    pad_r.push_back((y[i + 2] - 1) * g.strides[i] + span - x[i + 2] - g.pads_begin[i]);
  }
  const dnnl::engine& engine = backend.engine();
  const bool constant_weights = node.input_constant(1) != nullptr;
  const memory::desc w_plain = plain_desc(w);
  const memory::desc w_any(memory::dims(w.begin(), w.end()), memory::data_type::f32, memory::format_tag::any);
  dnnl::convolution_forward::desc desc(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, plain_desc(x),
      constant_weights ? w_any : w_plain, plain_desc(y), strides, dilations, pad_l, pad_r);
  dnnl::convolution_forward::primitive_desc pd(desc, user_scratchpad(), engine);
  std::vector<Binding> bindings;
  bindings.push_back({DNNL_ARG_SRC, Source::kInput, 0, pd.src_desc(), {}});
  bindings.push_back({DNNL_ARG_DST, Source::kOutput, 0, pd.dst_desc(), {}});
  if (constant_weights) {
    bindings.push_back({DNNL_ARG_WEIGHTS, Source::kConstant, 1, pd.weights_desc(),
                        reorder_constant(node, 1, pd.weights_desc(), backend)});
  } else {
    bindings.push_back({DNNL_ARG_WEIGHTS, Source::kInput, 1, pd.weights_desc(), {}});
  }
  return std::make_unique<PrimitiveKernel>(dnnl::convolution_forward(pd), pd, std::move(bindings));
}

std::unique_ptr<Kernel> make_matmul_kernel(const Node& node, CpuBackend& backend) {
  if (node.inputs.size() != 2 || !all_f32(node)) return nullptr;
  const Dims& y = node.outputs.at(0).shape;
  const size_t rank = y.size();
  if (node.input_shape(0).size() < 2 || node.input_shape(1).size() < 2 || rank < 2 || rank > DNNL_MAX_NDIMS) {
    return nullptr;  // rank-1 operands: the reference handles the temporary axes
  }
  // The logical [..., rows, cols] view of an operand stored row-major, transposed through strides
  // and left-padded with 1s to the output rank.
  auto operand = [&](size_t input, bool transpose) {
    Dims dims = node.input_shape(input);
    dims.insert(dims.begin(), rank - dims.size(), 1);
    memory::dims strides(rank, 1);
    for (size_t i = rank - 1; i-- > 0;) strides[i] = strides[i + 1] * dims[i + 1];
    if (transpose) {
      std::swap(dims[rank - 1], dims[rank - 2]);
      std::swap(strides[rank - 1], strides[rank - 2]);
    }
    return memory::desc(memory::dims(dims.begin(), dims.end()), memory::data_type::f32, strides);
  };
  const memory::desc a = operand(0, node.attr<MatMulAttrs>().transpose_a);
  const memory::desc b = operand(1, node.attr<MatMulAttrs>().transpose_b);
  dnnl::matmul::desc desc(a, b, plain_desc(y));
  dnnl::matmul::primitive_desc pd(desc, user_scratchpad(), backend.engine());
  std::vector<Binding> bindings;
  std::vector<std::shared_ptr<const void>> keep;
  bindings.push_back({DNNL_ARG_SRC, Source::kInput, 0, a, {}});
  bindings.push_back({DNNL_ARG_DST, Source::kOutput, 0, pd.dst_desc(), {}});
  if (node.input_constant(1)) {
    bindings.push_back(
        {DNNL_ARG_WEIGHTS, Source::kConstant, 1, b, constant_memory(node, 1, b, backend.engine(), keep)});
  } else {
    bindings.push_back({DNNL_ARG_WEIGHTS, Source::kInput, 1, b, {}});
  }
  if (node.input_constant(0)) {
    bindings[0] = {DNNL_ARG_SRC, Source::kConstant, 0, a,
                   constant_memory(node, 0, a, backend.engine(), keep)};
  }
  return std::make_unique<PrimitiveKernel>(dnnl::matmul(pd), pd, std::move(bindings), std::move(keep));
}

}  // namespace cpu
}  // namespace octet
