// OpenClBackend: context and queues, memory, and dispatch of nodes to op families.
#include "runtime/opencl/opencl_backend.h"

#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

enum class Family { kNone, kEltwise, kConv, kMatMul, kPool, kReduce, kMovement };

Family family_of(OpKind op) {
  switch (op) {
    case OpKind::kAdd:
    case OpKind::kSubtract:
    case OpKind::kMultiply:
    case OpKind::kDivide:
    case OpKind::kMaximum:
    case OpKind::kMinimum:
    case OpKind::kPower:
    case OpKind::kSquaredDifference:
    case OpKind::kPRelu:
    case OpKind::kRelu:
    case OpKind::kClamp:
    case OpKind::kSigmoid:
    case OpKind::kTanh:
    case OpKind::kSwish:
    case OpKind::kHSwish:
    case OpKind::kHSigmoid:
    case OpKind::kGelu:
    case OpKind::kElu:
    case OpKind::kExp:
    case OpKind::kSqrt:
    case OpKind::kErf:
    case OpKind::kFakeQuantize:
    case OpKind::kConvert: return Family::kEltwise;
    case OpKind::kConvolution:
    case OpKind::kGroupConvolution: return Family::kConv;
    case OpKind::kMatMul: return Family::kMatMul;
    case OpKind::kMaxPool:
    case OpKind::kAvgPool: return Family::kPool;
    case OpKind::kReduceMean:
    case OpKind::kReduceSum:
    case OpKind::kReduceMax:
    case OpKind::kSoftmax:
    case OpKind::kMVN: return Family::kReduce;
    case OpKind::kConcat:
    case OpKind::kReshape:
    case OpKind::kTranspose:
    case OpKind::kSqueeze:
    case OpKind::kUnsqueeze:
    case OpKind::kGather:
    case OpKind::kBroadcast:
    case OpKind::kStridedSlice:
    case OpKind::kSlice:
    case OpKind::kSplit:
    case OpKind::kVariadicSplit:
    case OpKind::kPad: return Family::kMovement;
    default: return Family::kNone;
  }
}

}  // namespace

std::shared_ptr<OpenClBackend> OpenClBackend::create(const std::string& device_spec,
                                                     const BackendOptions& options) {
  std::shared_ptr<OpenClBackend> b(new OpenClBackend());
  b->device_ = select_opencl_device(device_spec, &b->note_);
  b->options_ = options;
  const DeviceInfo& d = b->device_;
  if (d.mem_base_addr_align_bits > static_cast<int>(8 * kBufferAlignment))
    raise(ErrorCode::kUnsupported, "OpenCL device '{}' needs {}-bit buffer alignment, octet plans {} bits",
          d.name, d.mem_base_addr_align_bits, 8 * kBufferAlignment);
  cl_int rc = CL_SUCCESS;
  cl_context_properties props[] = {CL_CONTEXT_PLATFORM, reinterpret_cast<cl_context_properties>(d.platform),
                                   0};
  b->context_ = ocl::Context(clCreateContext(props, 1, &d.device, nullptr, nullptr, &rc));
  ocl::check(rc, "clCreateContext");
  b->upload_queue_ = ocl::Queue(clCreateCommandQueue(b->context_.get(), d.device, 0, &rc));
  ocl::check(rc, "clCreateCommandQueue");
  b->programs_ = std::make_unique<ProgramCache>(b->context_.get(), d, options.cache_dir);
  // GPU.N among GPU-type devices; the CPU fallback device is still addressed as GPU.0.
  int index = 0;
  for (const DeviceInfo& other : list_opencl_devices()) {
    if (other.device == d.device) break;
    if (other.is_gpu == d.is_gpu) ++index;
  }
  b->name_ = fmt::format("GPU.{}", index);
  if (options.fp16 && !d.fp16) {
    b->note_ += b->note_.empty() ? "" : "; ";
    b->note_ += "fp16 requested but the device has no cl_khr_fp16: using fp32";
  }
  return b;
}

OpenClBackend::~OpenClBackend() = default;

std::string OpenClBackend::description() const {
  std::string s = device_.summary();
  if (!note_.empty()) s += "; " + note_;
  if (!programs_->note().empty()) s += "; " + programs_->note();
  return s;
}

Support OpenClBackend::supports(const Node& node) const {
  switch (family_of(node.op)) {
    case Family::kEltwise: return supports_eltwise(node, *this);
    case Family::kConv: return supports_conv(node, *this);
    case Family::kMatMul: return supports_matmul(node, *this);
    case Family::kPool: return supports_pool(node, *this);
    case Family::kReduce: return supports_reduce(node, *this);
    case Family::kMovement: return supports_movement(node, *this);
    case Family::kNone: break;
  }
  return Support::no(fmt::format("OpenCL backend has no kernel for {}", op_name(node.op)));
}

std::unique_ptr<Kernel> OpenClBackend::compile(const Node& node) {
  Support s = supports(node);
  if (!s.ok) raise(ErrorCode::kUnsupported, "{}: not supported on {}: {}", node.describe(), name_, s.reason);
  try {
    switch (family_of(node.op)) {
      case Family::kEltwise: return compile_eltwise(node, *this);
      case Family::kConv: return compile_conv(node, *this);
      case Family::kMatMul: return compile_matmul(node, *this);
      case Family::kPool: return compile_pool(node, *this);
      case Family::kReduce: return compile_reduce(node, *this);
      case Family::kMovement: return compile_movement(node, *this);
      case Family::kNone: break;
    }
  } catch (const Error& e) {
    rethrow_with_context(e, node.describe());
  }
  raise(ErrorCode::kInternal, "{}: no OpenCL family", node.describe());
}

std::unique_ptr<ExecContext> OpenClBackend::create_context() {
  auto ctx = std::make_unique<OpenClContext>();
  cl_int rc = CL_SUCCESS;
  ctx->profiling = options_.profiling;
  ctx->queue = ocl::Queue(clCreateCommandQueue(context_.get(), device_.device,
                                               options_.profiling ? CL_QUEUE_PROFILING_ENABLE : 0, &rc));
  ocl::check(rc, "clCreateCommandQueue");
  return ctx;
}

ocl::Mem OpenClBackend::create_buffer(size_t bytes, const void* host) {
  if (bytes > device_.max_alloc || bytes > device_.global_memory)
    raise(ErrorCode::kOutOfDeviceMemory,
          "OpenCL allocation of {} bytes exceeds the device's limits (max single allocation {}, global "
          "memory {})",
          bytes, device_.max_alloc, device_.global_memory);
  size_t size = bytes == 0 ? 4 : bytes;
  cl_int rc = CL_SUCCESS;
  ocl::Mem m(clCreateBuffer(context_.get(), CL_MEM_READ_WRITE, size, nullptr, &rc));
  if (rc != CL_SUCCESS)
    raise(ocl::error_code_for(rc) == ErrorCode::kDevice ? ErrorCode::kOutOfDeviceMemory
                                                        : ocl::error_code_for(rc),
          "OpenCL allocation of {} bytes failed: {} ({})", bytes, ocl::cl_error_name(rc), rc);
  if (host && bytes) {
    std::lock_guard<std::mutex> lock(upload_mutex_);
    ocl::check(
        clEnqueueWriteBuffer(upload_queue_.get(), m.get(), CL_TRUE, 0, bytes, host, 0, nullptr, nullptr),
        "uploading weights");
  }
  return m;
}

ocl::Mem OpenClBackend::upload_weights(const void* data, size_t bytes) {
  ocl::Mem m = create_buffer(bytes, data);
  weight_bytes_ += bytes;
  return m;
}

ocl::ClKernel OpenClBackend::make_kernel(const std::string& file, const std::string& options,
                                         const char* name) {
  cl_program program = programs_->get(file, options);
  cl_int rc = CL_SUCCESS;
  ocl::ClKernel k(clCreateKernel(program, name, &rc));
  if (rc != CL_SUCCESS)
    raise(ErrorCode::kKernelBuildFailed, "kernel '{}' of '{}': {} ({})", name, file, ocl::cl_error_name(rc),
          rc);
  return k;
}

void* OpenClBackend::allocate(size_t bytes) {
  ocl::Mem m = create_buffer(bytes);
  // Ownership passes to the caller's handle; release() drops it.
  cl_mem raw = m.get();
  clRetainMemObject(raw);
  ocl::note_created();
  return raw;
}

void OpenClBackend::release(void* handle) {
  if (!handle) return;
  clReleaseMemObject(static_cast<cl_mem>(handle));
  ocl::note_released();
}

void* OpenClBackend::sub_buffer(void* allocation, size_t offset, size_t bytes) {
  if (offset % kBufferAlignment != 0)
    raise(ErrorCode::kInternal, "sub-buffer offset {} is not a multiple of {}", offset, kBufferAlignment);
  cl_buffer_region region{offset, bytes == 0 ? 4 : bytes};
  cl_int rc = CL_SUCCESS;
  cl_mem m = clCreateSubBuffer(static_cast<cl_mem>(allocation), CL_MEM_READ_WRITE,
                               CL_BUFFER_CREATE_TYPE_REGION, &region, &rc);
  ocl::check(rc, "clCreateSubBuffer");
  ocl::note_created();
  return m;
}

void OpenClBackend::upload(ExecContext& context, void* handle, const void* src, size_t bytes) {
  if (!bytes) return;
  auto& ctx = static_cast<OpenClContext&>(context);
  ocl::check(clEnqueueWriteBuffer(ctx.queue.get(), static_cast<cl_mem>(handle), CL_TRUE, 0, bytes, src, 0,
                                  nullptr, nullptr),
             "clEnqueueWriteBuffer");
}

void OpenClBackend::download(ExecContext& context, void* handle, void* dst, size_t bytes) {
  if (!bytes) return;
  auto& ctx = static_cast<OpenClContext&>(context);
  ocl::check(clEnqueueReadBuffer(ctx.queue.get(), static_cast<cl_mem>(handle), CL_TRUE, 0, bytes, dst, 0,
                                 nullptr, nullptr),
             "clEnqueueReadBuffer");
}

void OpenClBackend::finish(ExecContext& context) {
  auto& ctx = static_cast<OpenClContext&>(context);
  cl_int rc = clFinish(ctx.queue.get());
  auto pending = std::move(ctx.pending);
  ctx.pending.clear();
  ocl::check(rc, "clFinish");
  ctx.times_us.clear();
  for (auto& [kernel, event] : pending) {
    cl_int status = CL_COMPLETE;
    clGetEventInfo(event.get(), CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, nullptr);
    if (status < 0) ocl::check(status, "kernel execution");
    cl_ulong start = 0, end = 0;
    if (clGetEventProfilingInfo(event.get(), CL_PROFILING_COMMAND_START, sizeof(start), &start, nullptr) ==
            CL_SUCCESS &&
        clGetEventProfilingInfo(event.get(), CL_PROFILING_COMMAND_END, sizeof(end), &end, nullptr) ==
            CL_SUCCESS)
      ctx.times_us[kernel] += (end - start) * 1e-3;
  }
}

}  // namespace octet
