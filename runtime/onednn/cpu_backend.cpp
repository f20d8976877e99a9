// The CPU backend: host memory, per-request contexts, and the choice between oneDNN, fast int8 and reference
// kernels.
#include "runtime/onednn/cpu_backend.h"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "host/common/address_space.h"
#include "host/common/error.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace cpu {

CpuBackend::CpuBackend(const BackendOptions& options) : options_(options) {
  try {
    engine_ = dnnl::engine(dnnl::engine::kind::cpu, 0);
  } catch (const dnnl::error& e) {
    raise(ErrorCode::kDevice, "oneDNN: cannot create a CPU engine: {}", e.what());
  }
}

CpuBackend::~CpuBackend() {
  for (auto& entry : allocations_) std::free(entry.first);
}

std::string CpuBackend::description() const {
  const dnnl_version_t* v = dnnl_version();
  return fmt::format("oneDNN {}.{}.{} CPU ({})", v->major, v->minor, v->patch,
                     options_.precision == Precision::kReference ? "reference" : "fast");
}

Support CpuBackend::supports(const Node& node) const {
  for (const Value& v : node.outputs) {
    if (!is_static(v.shape)) return Support::no("dynamic output shape " + to_string(v.shape));
  }
  return Support::yes();
}

namespace {

// True when `node` is too small to pay for waking a second OpenMP thread: linear ops under
// kParallelMacs multiply-adds, everything else (memory-bound) under kParallelElements values.
bool single_thread_work(const Node& node) {
  int64_t out = 0, largest = 0;
  for (const Value& v : node.outputs) out += element_count(v.shape), largest = std::max(largest, out);
  for (size_t i = 0; i < node.inputs.size(); ++i)
    largest = std::max(largest, element_count(node.input_shape(i)));
  switch (node.op) {
    case OpKind::kQuantizedConvolution:  // f32 inputs run a float oneDNN convolution
      return out * quantized_params(node).weights.reduction <
             (node.input_type(0) == ElementType::kI8 ? kParallelQuantizedConvMacs : kParallelMacs);
    case OpKind::kQuantizedMatMul: return out * quantized_params(node).weights.reduction < kParallelMacs;
    case OpKind::kConvolution:
    case OpKind::kGroupConvolution: {
      const Dims& w = node.input_shape(1);  // [O, C, k...] or [G, O/G, C/G, k...]
      const int64_t outputs = node.op == OpKind::kConvolution ? w.at(0) : w.at(0) * w.at(1);
      return outputs > 0 && out * (element_count(w) / outputs) < kParallelMacs;
    }
    case OpKind::kMatMul: {
      const Dims& a = node.input_shape(0);
      const bool transposed = node.attr<MatMulAttrs>().transpose_a && a.size() >= 2;
      const int64_t k = a.empty() ? 1 : transposed ? a[a.size() - 2] : a.back();
      return out * k < kParallelMacs;
    }
    default: return largest < kParallelElements;
  }
}

// Runs a small kernel with a one-thread OpenMP team (see single_thread_work).
class OneThreadKernel : public Kernel {
 public:
  explicit OneThreadKernel(std::unique_ptr<Kernel> inner) : inner_(std::move(inner)) {}
  void enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    OneThreadTeam one_thread(true);
    inner_->enqueue(context, inputs, outputs);
  }
  std::string impl_name() const override { return inner_->impl_name(); }
  double last_time_us(const ExecContext& context) const override { return inner_->last_time_us(context); }

 private:
  std::unique_ptr<Kernel> inner_;
};

}  // namespace

std::unique_ptr<Kernel> CpuBackend::compile(const Node& node) {
  const bool single = single_thread_work(node);
  // Built under a one-thread team too: some oneDNN primitives fix their team size at creation.
  OneThreadTeam one_thread(single);
  std::unique_ptr<Kernel> kernel = compile_kernel(node);
  if (single && kernel) kernel = std::make_unique<OneThreadKernel>(std::move(kernel));
  return kernel;
}

std::unique_ptr<Kernel> CpuBackend::compile_kernel(const Node& node) {
  // oneDNN's JIT code generation segfaults when it cannot map its code buffer: refuse first.
  reserve_address_space(kOneDnnPrimitiveMargin, node.name.c_str());
  std::unique_ptr<Kernel> kernel;
  try {
    switch (node.op) {
      case OpKind::kConvolution:
      case OpKind::kGroupConvolution:
        kernel = make_blocked_conv_kernel(node, *this);
        if (!kernel) kernel = make_conv_kernel(node, *this);
        break;
      case OpKind::kMatMul: kernel = make_matmul_kernel(node, *this); break;
      case OpKind::kConvolutionBackpropData:
      case OpKind::kGroupConvolutionBackpropData: kernel = make_deconv_kernel(node, *this); break;
      case OpKind::kMaxPool:
      case OpKind::kAvgPool: kernel = make_pool_kernel(node, *this); break;
      case OpKind::kAdd:
      case OpKind::kSubtract:
      case OpKind::kMultiply:
      case OpKind::kDivide:
      case OpKind::kMaximum:
      case OpKind::kMinimum: kernel = make_binary_kernel(node, *this); break;
      case OpKind::kSoftmax: kernel = make_softmax_kernel(node, *this); break;
      case OpKind::kQuantizedMatMul: kernel = make_quantized_matmul_kernel(node, *this); break;
      case OpKind::kQuantizedConvolution: kernel = make_quantized_conv_kernel(node, *this); break;
      case OpKind::kReshape:
      case OpKind::kSqueeze:
      case OpKind::kUnsqueeze: kernel = make_copy_kernel(node); break;
      case OpKind::kTranspose: kernel = make_transpose_kernel(node, *this); break;
      case OpKind::kMVN: kernel = make_mvn_kernel(node); break;
      case OpKind::kReduceMean:
      case OpKind::kReduceSum: kernel = make_reduce_kernel(node); break;
      case OpKind::kFakeQuantize: kernel = make_fake_quantize_kernel(node); break;
      case OpKind::kQuantizeActivation: kernel = make_quantize_activation_kernel(node); break;
      case OpKind::kCodesMaxPool: kernel = make_codes_max_pool_kernel(node); break;
      case OpKind::kCodesAvgPool: kernel = make_codes_avg_pool_kernel(node); break;
      case OpKind::kCodesDequantize: kernel = make_codes_dequantize_kernel(node); break;
      case OpKind::kCodesRequantize: kernel = make_codes_requantize_kernel(node); break;
      case OpKind::kInterpolate:
        if (options_.precision == Precision::kFast) kernel = make_interpolate_kernel(node);
        break;
      case OpKind::kLRN:
        if (options_.precision == Precision::kFast) kernel = make_lrn_kernel(node);
        break;
      case OpKind::kSplit:
      case OpKind::kVariadicSplit:
        if (options_.precision == Precision::kFast) kernel = make_split_kernel(node);
        break;
      case OpKind::kShuffleChannels:
        if (options_.precision == Precision::kFast) kernel = make_codes_shuffle_kernel(node);
        if (!kernel && options_.precision == Precision::kFast) kernel = make_shuffle_channels_kernel(node);
        break;
      case OpKind::kConcat:
        if (options_.precision == Precision::kFast) kernel = make_codes_concat_kernel(node);
        if (!kernel && options_.precision == Precision::kFast) kernel = make_concat_kernel(node);
        break;
      default: kernel = make_eltwise_kernel(node, *this); break;
    }
  } catch (const dnnl::error&) {
    // oneDNN has no implementation for this shape/attribute combination: use the reference.
    kernel = nullptr;
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kUnsupported) throw;
    kernel = nullptr;  // a fast kernel that does not cover this case (e.g. group-wise conv weights)
  }
  if (!kernel) kernel = make_reference_kernel(node);
  return kernel;
}

std::unique_ptr<ExecContext> CpuBackend::create_context() {
  return std::make_unique<CpuContext>(engine_);
}

void* CpuBackend::allocate(size_t bytes) {
  const size_t size =
      (std::max<size_t>(bytes, 1) + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
  if (size < bytes) raise(ErrorCode::kOutOfMemory, "cannot allocate {} bytes", bytes);
  void* p = std::aligned_alloc(kBufferAlignment, size);
  if (!p) raise(ErrorCode::kOutOfMemory, "cannot allocate {} bytes of host memory", bytes);
  std::lock_guard<std::mutex> lock(mutex_);
  allocations_[p] = 1;
  return p;
}

void CpuBackend::release(void* handle) {
  if (!handle) return;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = allocations_.find(handle);
  if (it == allocations_.end()) return;  // a sub-buffer inside an allocation
  if (--it->second == 0) {
    std::free(it->first);
    allocations_.erase(it);
  }
}

void* CpuBackend::sub_buffer(void* allocation, size_t offset, size_t bytes) {
  if (!allocation) raise(ErrorCode::kInternal, "sub_buffer of a null allocation");
  if (offset == 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = allocations_.find(allocation);
    if (it != allocations_.end()) ++it->second;
  }
  return static_cast<char*>(allocation) + offset;
}

void CpuBackend::upload(ExecContext&, void* handle, const void* src, size_t bytes) {
  if (bytes) std::memcpy(handle, src, bytes);
}

void CpuBackend::download(ExecContext&, void* handle, void* dst, size_t bytes) {
  if (bytes) std::memcpy(dst, handle, bytes);
}

int loop_threads(int64_t elements, int64_t threshold) {
  return elements < threshold ? 1 : omp_get_max_threads();
}

bool is_reference_impl(const dnnl::primitive_desc_base& pd) {
  return std::string(pd.impl_info_str()).find("ref") != std::string::npos;
}

bool all_f32(const Node& node) {
  auto ok = [](const Value& v) {
    if (v.type != ElementType::kF32 || !is_static(v.shape)) return false;
    for (int64_t d : v.shape)
      if (d == 0) return false;
    return true;
  };
  for (size_t i = 0; i < node.inputs.size(); ++i)
    if (!ok(node.input_value(i))) return false;
  for (const Value& v : node.outputs)
    if (!ok(v)) return false;
  return true;
}

dnnl::memory::desc plain_desc(const Dims& dims) {
  // Built in one step: assigning {1} afterwards trips GCC 12's -Wfree-nonheap-object false positive.
  const dnnl::memory::dims d =
      dims.empty() ? dnnl::memory::dims(1, 1) : dnnl::memory::dims(dims.begin(), dims.end());
  dnnl::memory::dims strides(d.size(), 1);
  for (size_t i = d.size() - 1; i-- > 0;) strides[i] = strides[i + 1] * d[i + 1];
  return dnnl::memory::desc(d, dnnl::memory::data_type::f32, strides);
}

PrimitiveKernel::PrimitiveKernel(dnnl::primitive primitive, const dnnl::primitive_desc_base& pd,
                                 std::vector<Binding> bindings,
                                 std::vector<std::shared_ptr<const void>> keep_alive)
    : primitive_(std::move(primitive)),
      bindings_(std::move(bindings)),
      scratchpad_(pd.scratchpad_desc()),
      impl_(std::string("onednn_") + pd.impl_info_str()),
      keep_alive_(std::move(keep_alive)) {}

namespace {
struct PrimitiveState : KernelState {
  std::vector<dnnl::memory> memories;  // per binding
  std::unordered_map<int, dnnl::memory> args;
  std::vector<uint8_t> scratchpad;
};
}  // namespace

void PrimitiveKernel::enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
                              const std::vector<BufferView>& outputs) {
  auto& ctx = static_cast<CpuContext&>(context);
  std::unique_ptr<KernelState>& slot = ctx.states[this];
  if (!slot) {
    auto state = std::make_unique<PrimitiveState>();
    const dnnl::engine engine = ctx.stream.get_engine();
    for (const Binding& b : bindings_) {
      dnnl::memory m = b.source == Source::kConstant ? b.constant : dnnl::memory(b.desc, engine, nullptr);
      state->memories.push_back(m);
      state->args.emplace(b.arg, m);
    }
    if (scratchpad_.get_size() > 0) {
      state->scratchpad.resize(scratchpad_.get_size());
      state->args.emplace(DNNL_ARG_SCRATCHPAD, dnnl::memory(scratchpad_, engine, state->scratchpad.data()));
    }
    slot = std::move(state);
  }
  auto& state = static_cast<PrimitiveState&>(*slot);
  for (size_t i = 0; i < bindings_.size(); ++i) {
    const Binding& b = bindings_[i];
    if (b.source == Source::kInput) state.memories[i].set_data_handle(inputs.at(b.index).handle);
    if (b.source == Source::kOutput) state.memories[i].set_data_handle(outputs.at(b.index).handle);
  }
  try {
    primitive_.execute(ctx.stream, state.args);
    ctx.stream.wait();
  } catch (const dnnl::error& e) {
    raise(ErrorCode::kInternal, "oneDNN {} failed: {}", impl_, e.what());
  }
}

OneThreadTeam::OneThreadTeam(bool on) {
  if (on && omp_get_max_threads() > 1) {
    saved_ = omp_get_max_threads();
    omp_set_num_threads(1);
  }
}

OneThreadTeam::~OneThreadTeam() {
  if (saved_) omp_set_num_threads(saved_);
}

dnnl::memory constant_memory(const Node& node, size_t input, const dnnl::memory::desc& desc,
                             const dnnl::engine& engine, std::vector<std::shared_ptr<const void>>& keep) {
  const Node* producer = node.inputs.at(input).node;
  keep.push_back(producer->constant);
  return dnnl::memory(desc, engine, const_cast<void*>(producer->constant->data()));
}

}  // namespace cpu

std::shared_ptr<Backend> make_onednn_backend(const BackendOptions& options) {
  return std::make_shared<cpu::CpuBackend>(options);
}

}  // namespace octet
