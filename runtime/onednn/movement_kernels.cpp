// Data-movement kernels of the CPU backend: Reshape/Squeeze/Unsqueeze as a copy of the bytes and
// Transpose as a oneDNN reorder over permuted strides. Both move values without arithmetic, so
// they are exact in either precision.
#include <cstring>

#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

class CopyKernel : public Kernel {
 public:
  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    if (outputs.at(0).bytes && inputs.at(0).handle != outputs[0].handle)
      std::memcpy(outputs[0].handle, inputs[0].handle, outputs[0].bytes);
  }
  std::string impl_name() const override { return "cpu_copy"; }
};

bool onednn_type(ElementType t, dnnl::memory::data_type* out) {
  switch (t) {
    case ElementType::kF32: *out = dnnl::memory::data_type::f32; return true;
    case ElementType::kI32: *out = dnnl::memory::data_type::s32; return true;
    case ElementType::kI8: *out = dnnl::memory::data_type::s8; return true;
    case ElementType::kU8: *out = dnnl::memory::data_type::u8; return true;
    default: return false;
  }
}

}  // namespace

std::unique_ptr<Kernel> make_copy_kernel(const Node& node) {
  if (node.inputs.empty() || node.outputs.size() != 1 || node.input_constant(0)) return nullptr;
  const Value& in = node.input_value(0);
  const Value& out = node.outputs[0];
  if (in.type != out.type || !is_static(in.shape) || !is_static(out.shape) ||
      element_count(in.shape) != element_count(out.shape))
    return nullptr;
  return std::make_unique<CopyKernel>();
}

std::unique_ptr<Kernel> make_transpose_kernel(const Node& node, CpuBackend& backend) {
  if (node.inputs.size() != 2 || node.outputs.size() != 1 || node.input_constant(0)) return nullptr;
  const Tensor* perm_t = node.input_constant(1);
  dnnl::memory::data_type type;
  if (!perm_t || !onednn_type(node.input_type(0), &type) || node.outputs[0].type != node.input_type(0))
    return nullptr;
  const Dims& x = node.input_shape(0);
  const Dims& y = node.outputs[0].shape;
  const size_t rank = x.size();
  if (rank == 0 || rank > DNNL_MAX_NDIMS || y.size() != rank || element_count(x) == 0) return nullptr;
  std::vector<int64_t> perm = perm_t->to_int64_vector();
  if (perm.empty())
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));  // spec: reverse
  if (perm.size() != rank) return nullptr;
  dnnl::memory::dims x_strides(rank, 1);
  for (size_t i = rank - 1; i-- > 0;) x_strides[i] = x_strides[i + 1] * x[i + 1];
  // The source read in output order: output axis j walks input axis perm[j].
  dnnl::memory::dims src_strides(rank), dims(y.begin(), y.end()), dst_strides(rank, 1);
  for (size_t j = 0; j < rank; ++j) {
    const int64_t a = perm[j] < 0 ? perm[j] + static_cast<int64_t>(rank) : perm[j];
    if (a < 0 || a >= static_cast<int64_t>(rank)) return nullptr;
    src_strides[j] = x_strides[static_cast<size_t>(a)];
  }
  for (size_t i = rank - 1; i-- > 0;) dst_strides[i] = dst_strides[i + 1] * y[i + 1];
  const dnnl::memory::desc src(dims, type, src_strides), dst(dims, type, dst_strides);
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  const dnnl::engine& engine = backend.engine();
  dnnl::reorder::primitive_desc pd(engine, src, engine, dst, attr);
  if (is_reference_impl(pd)) return nullptr;  // no jit code for this case: the reference evaluator
  std::vector<PrimitiveKernel::Binding> bindings;
  bindings.push_back({DNNL_ARG_FROM, PrimitiveKernel::Source::kInput, 0, src, {}});
  bindings.push_back({DNNL_ARG_TO, PrimitiveKernel::Source::kOutput, 0, dst, {}});
  return std::make_unique<PrimitiveKernel>(dnnl::reorder(pd), pd, std::move(bindings));
}

}  // namespace cpu
}  // namespace octet
