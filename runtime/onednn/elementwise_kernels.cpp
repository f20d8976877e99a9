// oneDNN eltwise (activations), binary (numpy-broadcast arithmetic) and softmax kernels, f32 only.
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

using Binding = PrimitiveKernel::Binding;
using Source = PrimitiveKernel::Source;

dnnl::primitive_attr user_scratchpad() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

// A scalar Constant input as a float, or false when the input is not a one-element constant.
bool scalar_constant(const Node& node, size_t input, float* value) {
  const Tensor* t = node.input_constant(input);
  if (!t || t->element_count() != 1) return false;
  *value = static_cast<float>(t->get_as_double(0));
  return true;
}

}  // namespace

std::unique_ptr<Kernel> make_eltwise_kernel(const Node& node, CpuBackend& backend) {
  if (node.inputs.empty() || node.outputs.size() != 1 || !all_f32(node)) return nullptr;
  using A = dnnl::algorithm;
  A algorithm;
  float alpha = 0, beta = 0;
  switch (node.op) {
    case OpKind::kRelu: algorithm = A::eltwise_relu; break;
    case OpKind::kClamp:
      algorithm = A::eltwise_clip;
      alpha = static_cast<float>(node.attr<ClampAttrs>().min);
      beta = static_cast<float>(node.attr<ClampAttrs>().max);
      break;
    case OpKind::kSigmoid: algorithm = A::eltwise_logistic; break;
    case OpKind::kTanh: algorithm = A::eltwise_tanh; break;
    case OpKind::kExp: algorithm = A::eltwise_exp; break;
    case OpKind::kSqrt: algorithm = A::eltwise_sqrt; break;
    case OpKind::kElu:
      algorithm = A::eltwise_elu;
      alpha = static_cast<float>(node.attr<EluAttrs>().alpha);
      break;
    case OpKind::kHSwish: algorithm = A::eltwise_hardswish; break;
    case OpKind::kGelu:
      algorithm = node.attr<GeluAttrs>().approximation == GeluApproximation::kTanh ? A::eltwise_gelu_tanh
                                                                                   : A::eltwise_gelu_erf;
      break;
    case OpKind::kSwish:
      algorithm = A::eltwise_swish;
      alpha = 1;
      if (node.inputs.size() > 1 && !scalar_constant(node, 1, &alpha)) return nullptr;
      break;
    default: return nullptr;
  }
  if (node.op != OpKind::kSwish && node.inputs.size() != 1) return nullptr;
  if (node.input_constant(0)) return nullptr;  // constant-only nodes are folded or run by the reference
  dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, algorithm,
                                   plain_desc(node.input_shape(0)), alpha, beta);
  dnnl::eltwise_forward::primitive_desc pd(desc, user_scratchpad(), backend.engine());
  if (is_reference_impl(pd)) return nullptr;
  std::vector<Binding> bindings;
  bindings.push_back({DNNL_ARG_SRC, Source::kInput, 0, pd.src_desc(), {}});
  bindings.push_back({DNNL_ARG_DST, Source::kOutput, 0, pd.dst_desc(), {}});
  return std::make_unique<PrimitiveKernel>(dnnl::eltwise_forward(pd), pd, std::move(bindings));
}

std::unique_ptr<Kernel> make_binary_kernel(const Node& node, CpuBackend& backend) {
  if (node.inputs.size() != 2 || node.outputs.size() != 1 || !all_f32(node)) return nullptr;
  // pdpd aligns the second input at an axis oneDNN cannot express (the reference kernel runs it);
  // Divide's m_pythondiv concerns integers only, and this kernel is f32.
  if (binary_attrs(node).broadcast == AutoBroadcast::kPdpd) return nullptr;
  using A = dnnl::algorithm;
  A algorithm;
  bool commutative = true;
  switch (node.op) {
    case OpKind::kAdd: algorithm = A::binary_add; break;
    case OpKind::kSubtract: algorithm = A::binary_sub, commutative = false; break;
    case OpKind::kMultiply: algorithm = A::binary_mul; break;
    case OpKind::kDivide: algorithm = A::binary_div, commutative = false; break;
    case OpKind::kMaximum: algorithm = A::binary_max; break;
    case OpKind::kMinimum: algorithm = A::binary_min; break;
    default: return nullptr;
  }
  const Dims& y = node.outputs[0].shape;
  const size_t rank = std::max<size_t>(y.size(), 1);
  auto padded = [&](size_t input) {
    Dims d = node.input_shape(input);
    d.insert(d.begin(), rank - d.size(), 1);
    return d;
  };
  Dims out = y;
  out.insert(out.begin(), rank - out.size(), 1);
  int first = 0, second = 1;
  // oneDNN broadcasts only its second source, so a broadcast first operand must be swapped over.
  if (padded(0) != out) {
    if (!commutative || padded(1) != out) return nullptr;
    std::swap(first, second);
  }
  if (node.input_constant(first)) return nullptr;
  const dnnl::memory::desc src0 = plain_desc(padded(first)), src1 = plain_desc(padded(second));
  dnnl::binary::desc desc(algorithm, src0, src1, plain_desc(out));
  dnnl::binary::primitive_desc pd(desc, user_scratchpad(), backend.engine());
  // Broadcasts oneDNN's jit binary does not cover (e.g. [1,3,H,W,2] * [1,3,1,1,2]).
  if (is_reference_impl(pd)) return nullptr;
  std::vector<Binding> bindings;
  std::vector<std::shared_ptr<const void>> keep;
  bindings.push_back({DNNL_ARG_SRC_0, Source::kInput, first, src0, {}});
  if (node.input_constant(second)) {
    bindings.push_back({DNNL_ARG_SRC_1, Source::kConstant, second, src1,
                        constant_memory(node, second, src1, backend.engine(), keep)});
  } else {
    bindings.push_back({DNNL_ARG_SRC_1, Source::kInput, second, src1, {}});
  }
  bindings.push_back({DNNL_ARG_DST, Source::kOutput, 0, pd.dst_desc(), {}});
  return std::make_unique<PrimitiveKernel>(dnnl::binary(pd), pd, std::move(bindings), std::move(keep));
}

std::unique_ptr<Kernel> make_softmax_kernel(const Node& node, CpuBackend& backend) {
  if (node.inputs.size() != 1 || node.outputs.size() != 1 || !all_f32(node)) return nullptr;
  const Dims& x = node.input_shape(0);
  if (x.empty()) return nullptr;
  const int64_t axis = normalize_axis(node.attr<SoftmaxAttrs>().axis, static_cast<int64_t>(x.size()), "axis");
  dnnl::softmax_forward::desc desc(dnnl::prop_kind::forward_inference, plain_desc(x), static_cast<int>(axis));
  dnnl::softmax_forward::primitive_desc pd(desc, user_scratchpad(), backend.engine());
  if (is_reference_impl(pd)) return nullptr;  // an axis other than the innermost dense one
  std::vector<Binding> bindings;
  bindings.push_back({DNNL_ARG_SRC, Source::kInput, 0, pd.src_desc(), {}});
  bindings.push_back({DNNL_ARG_DST, Source::kOutput, 0, pd.dst_desc(), {}});
  return std::make_unique<PrimitiveKernel>(dnnl::softmax_forward(pd), pd, std::move(bindings));
}

}  // namespace cpu
}  // namespace octet
