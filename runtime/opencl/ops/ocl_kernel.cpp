// OclKernel: constant capture, launches and profiling events.
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {

Int8Arg dims_arg(const Dims& dims) {
  Int8Arg a;
  size_t r = dims.size();
  for (size_t i = 0; i < r; ++i) a.v[8 - r + i] = static_cast<cl_int>(dims[i]);
  return a;
}

Int8Arg strides_arg(const Dims& strides, size_t rank) {
  Int8Arg a;
  for (auto& x : a.v) x = 0;
  for (size_t i = 0; i < rank; ++i) a.v[8 - rank + i] = static_cast<cl_int>(strides[i]);
  return a;
}

Dims broadcast_strides(const Dims& shape, const Dims& out) {
  Dims s(out.size(), 0);
  Dims rm = row_major_strides(shape);
  size_t off = out.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i) s[off + i] = shape[i] == 1 ? 0 : rm[i];
  return s;
}

const char* cl_type(ElementType t) {
  switch (t) {
    case ElementType::kF32: return "float";
    case ElementType::kF16: return "half";
    case ElementType::kI64: return "long";
    case ElementType::kI32: return "int";
    case ElementType::kI16: return "short";
    case ElementType::kI8: return "char";
    case ElementType::kU64: return "ulong";
    case ElementType::kU32: return "uint";
    case ElementType::kU16: return "ushort";
    case ElementType::kU8: return "uchar";
    case ElementType::kBoolean: return "uchar";
    case ElementType::kI4:
    case ElementType::kU4: return "uchar";  // packed pairs, unpacked by the kernel
    default: return nullptr;
  }
}

const char* cl_unsigned_type(ElementType t) {
  switch (element_bits(t)) {
    case 8: return "uchar";
    case 16: return "ushort";
    case 32: return "uint";
    case 64: return "ulong";
    default: return nullptr;
  }
}

void collapse_dims(Dims& dims, const std::vector<Dims*>& strides) {
  Dims d;
  std::vector<Dims> s(strides.size());
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == 1) continue;
    bool merge = !d.empty();
    for (size_t k = 0; merge && k < strides.size(); ++k) merge = s[k].back() == (*strides[k])[i] * dims[i];
    if (merge) {
      d.back() *= dims[i];
      for (size_t k = 0; k < strides.size(); ++k) s[k].back() = (*strides[k])[i];
    } else {
      d.push_back(dims[i]);
      for (size_t k = 0; k < strides.size(); ++k) s[k].push_back((*strides[k])[i]);
    }
  }
  if (d.empty()) {  // every dim 1 (or none): one element
    d = {1};
    for (auto& v : s) v = {0};
  }
  dims = d;
  for (size_t k = 0; k < strides.size(); ++k) *strides[k] = s[k];
}

std::optional<std::vector<Dims>> elementwise_strides(const std::vector<Dims>& shapes, const Dims& out,
                                                     AutoBroadcast mode, int64_t pdpd_axis) {
  std::vector<Dims> r;
  for (size_t i = 0; i < shapes.size(); ++i) {
    Dims laid = shapes[i];
    if (mode == AutoBroadcast::kPdpd && i > 0) {
      const Dims& a = shapes[0];
      const Dims& b = shapes[i];
      int64_t axis =
          pdpd_axis == -1 ? static_cast<int64_t>(a.size()) - static_cast<int64_t>(b.size()) : pdpd_axis;
      size_t rb = b.size();
      while (rb > 0 && b[rb - 1] == 1) --rb;
      if (axis < 0 || axis + static_cast<int64_t>(rb) > static_cast<int64_t>(a.size())) return std::nullopt;
      laid.assign(a.size(), 1);
      for (size_t k = 0; k < rb; ++k) laid[static_cast<size_t>(axis) + k] = b[k];
    }
    if (laid.size() > out.size()) return std::nullopt;
    r.push_back(broadcast_strides(laid, out));
  }
  return r;
}

OclKernel::OclKernel(OpenClBackend& backend, const Node& node, std::string impl)
    : backend_(backend), impl_(std::move(impl)) {
  captured_.resize(node.inputs.size());
}

OclKernel::~OclKernel() {
  backend_.release_weights(captured_bytes_);
}

ocl::Mem OclKernel::weights(const void* data, size_t bytes) {
  ocl::Mem m = backend_.upload_weights(data, bytes);
  captured_bytes_ += bytes;
  return m;
}

void OclKernel::capture_constants(const Node& node, const std::vector<int>& inputs) {
  for (int i : inputs) {
    if (i >= static_cast<int>(node.inputs.size())) continue;  // an absent optional input
    const Tensor* t = node.input_constant(i);
    if (t) captured_[i] = weights(t->data(), t->byte_size());
  }
}

cl_mem OclKernel::input(const std::vector<BufferView>& views, size_t i) const {
  if (i < views.size() && views[i].handle) return static_cast<cl_mem>(views[i].handle);
  if (i < captured_.size() && captured_[i]) return captured_[i].get();
  raise(ErrorCode::kInternal, "{}: input {} has neither a buffer nor a captured constant", impl_, i);
}

cl_mem OclKernel::output(const std::vector<BufferView>& views, size_t i) {
  if (i >= views.size() || !views[i].handle) raise(ErrorCode::kInternal, "missing output buffer {}", i);
  return static_cast<cl_mem>(views[i].handle);
}

void OclKernel::launch(ExecContext& context, cl_kernel k, std::array<size_t, 3> gws, cl_uint dims) {
  enqueue_range(context, k, gws, nullptr, dims);
}

void OclKernel::launch(ExecContext& context, cl_kernel k, std::array<size_t, 3> gws,
                       std::array<size_t, 3> lws, cl_uint dims) {
  enqueue_range(context, k, gws, lws.data(), dims);
}

void OclKernel::enqueue_range(ExecContext& context, cl_kernel k, std::array<size_t, 3> gws, const size_t* lws,
                              cl_uint dims) {
  for (cl_uint d = 0; d < dims; ++d)
    if (gws[d] == 0) return;
  auto& ctx = ready(context);
  cl_event ev = nullptr;
  ocl::check(clEnqueueNDRangeKernel(ctx.queue.get(), k, dims, nullptr, gws.data(), lws, 0, nullptr, &ev),
             impl_.c_str());
  launched(ctx, ev);
}

void OclKernel::copy(ExecContext& context, cl_mem src, cl_mem dst, size_t bytes) {
  if (bytes == 0 || src == dst) return;
  auto& ctx = ready(context);
  cl_event ev = nullptr;
  ocl::check(clEnqueueCopyBuffer(ctx.queue.get(), src, dst, 0, 0, bytes, 0, nullptr, &ev),
             "clEnqueueCopyBuffer");
  launched(ctx, ev);
}

OpenClContext& OclKernel::ready(ExecContext& context) const {
  auto& ctx = static_cast<OpenClContext&>(context);
  backend_.ensure_usable(ctx, impl_ + " launch");
  return ctx;
}

void OclKernel::launched(OpenClContext& ctx, cl_event ev) {
  // Every launch keeps its event: finish() checks each one's status, even without profiling.
  ctx.pending.emplace_back(this, ocl::Event(ev));
  if (backend_.guard_mode()) backend_.check_guards(ctx, impl_);
}

double OclKernel::last_time_us(const ExecContext& context) const {
  const auto& ctx = static_cast<const OpenClContext&>(context);
  auto it = ctx.times_us.find(this);
  return it == ctx.times_us.end() ? -1.0 : it->second;
}

Support check_static(const Node& node) {
  for (size_t i = 0; i < node.inputs.size(); ++i)
    if (!is_static(node.input_shape(i))) return Support::no("dynamic input shape");
  for (const Value& v : node.outputs) {
    if (!is_static(v.shape)) return Support::no("dynamic output shape");
    if (element_count(v.shape) > kMaxKernelElements)
      return Support::no("tensor too large for 32-bit indexing");
  }
  for (size_t i = 0; i < node.inputs.size(); ++i)
    if (element_count(node.input_shape(i)) > kMaxKernelElements)
      return Support::no("tensor too large for 32-bit indexing");
  return Support::yes();
}

Support check_float_node(const Node& node, const std::vector<int>& float_inputs) {
  Support s = check_static(node);
  if (!s.ok) return s;
  for (int i : float_inputs)
    if (i < static_cast<int>(node.inputs.size()) && node.input_type(i) != ElementType::kF32)
      return Support::no(fmt::format("input {} is {}, OpenCL float kernels take f32", i,
                                     element_type_name(node.input_type(i))));
  for (const Value& v : node.outputs)
    if (v.type != ElementType::kF32)
      return Support::no(
          fmt::format("output is {}, OpenCL float kernels write f32", element_type_name(v.type)));
  return Support::yes();
}

}  // namespace octet
