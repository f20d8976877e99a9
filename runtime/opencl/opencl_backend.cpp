// OpenClBackend: context and queues, memory, and dispatch of nodes to op families.
#include "runtime/opencl/opencl_backend.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "host/common/env.h"
#include "host/graph/attributes.h"
#include "runtime/opencl/ops/ocl_kernel.h"
#include "runtime/opencl/ops/quantized.h"
#include "runtime/opencl/ops/quantized_mma.h"

namespace octet {
namespace {

enum class Family {
  kNone,
  kEltwise,
  kConv,
  kMatMul,
  kPool,
  kReduce,
  kMovement,
  kInterpolate,
  kQuantized,
  kMath,
  kLogic,
  kNormalization,
  kDeconv,
  kAttention,
  kRemap,
  kTopK
};

// Guard mode: bytes on each side of a buffer (a multiple of every device's base alignment) and
// the byte they hold.
constexpr size_t kGuardBytes = kBufferAlignment;
constexpr unsigned char kGuardByte = 0xA5;

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
    case OpKind::kConvert:
    case OpKind::kConvertLike: return Family::kEltwise;
    case OpKind::kConvolution:
    case OpKind::kGroupConvolution: return Family::kConv;
    case OpKind::kMatMul: return Family::kMatMul;
    case OpKind::kMaxPool:
    case OpKind::kAvgPool: return Family::kPool;
    case OpKind::kReduceMean:
    case OpKind::kReduceSum:
    case OpKind::kReduceMax:
    case OpKind::kReduceMin:
    case OpKind::kReduceProd:
    case OpKind::kReduceL1:
    case OpKind::kReduceL2:
    case OpKind::kReduceLogicalAnd:
    case OpKind::kReduceLogicalOr:
    case OpKind::kCumSum:
    case OpKind::kSoftmax:
    case OpKind::kLogSoftmax:
    case OpKind::kMVN:
    case OpKind::kMVN1: return Family::kReduce;
    case OpKind::kAbs:
    case OpKind::kNegative:
    case OpKind::kSign:
    case OpKind::kFloor:
    case OpKind::kCeiling:
    case OpKind::kRound:
    case OpKind::kLog:
    case OpKind::kSin:
    case OpKind::kCos:
    case OpKind::kTan:
    case OpKind::kAsin:
    case OpKind::kAcos:
    case OpKind::kAtan:
    case OpKind::kSinh:
    case OpKind::kCosh:
    case OpKind::kAsinh:
    case OpKind::kAcosh:
    case OpKind::kAtanh:
    case OpKind::kMish:
    case OpKind::kSoftPlus:
    case OpKind::kSoftSign:
    case OpKind::kSelu:
    case OpKind::kHardSigmoid:
    case OpKind::kIsNaN:
    case OpKind::kIsInf:
    case OpKind::kIsFinite: return Family::kMath;
    case OpKind::kEqual:
    case OpKind::kNotEqual:
    case OpKind::kLess:
    case OpKind::kLessEqual:
    case OpKind::kGreater:
    case OpKind::kGreaterEqual:
    case OpKind::kLogicalAnd:
    case OpKind::kLogicalOr:
    case OpKind::kLogicalXor:
    case OpKind::kLogicalNot:
    case OpKind::kSelect:
    case OpKind::kBitwiseAnd:
    case OpKind::kBitwiseOr:
    case OpKind::kBitwiseXor:
    case OpKind::kBitwiseNot:
    case OpKind::kBitwiseLeftShift:
    case OpKind::kBitwiseRightShift:
    case OpKind::kMod:
    case OpKind::kFloorMod: return Family::kLogic;
    case OpKind::kNormalizeL2:
    case OpKind::kGRN:
    case OpKind::kLRN:
    case OpKind::kBatchNormInference:
    case OpKind::kGroupNormalization: return Family::kNormalization;
    case OpKind::kConvolutionBackpropData:
    case OpKind::kGroupConvolutionBackpropData: return Family::kDeconv;
    case OpKind::kScaledDotProductAttention: return Family::kAttention;
    case OpKind::kBatchToSpace:
    case OpKind::kSpaceToBatch:
    case OpKind::kRoll:
    case OpKind::kReverseSequence:
    case OpKind::kGatherND:
    case OpKind::kScatterUpdate:
    case OpKind::kScatterElementsUpdate:
    case OpKind::kScatterNDUpdate: return Family::kRemap;
    case OpKind::kTopK: return Family::kTopK;
    case OpKind::kConcat:
    case OpKind::kReshape:
    case OpKind::kTranspose:
    case OpKind::kSqueeze:
    case OpKind::kUnsqueeze:
    case OpKind::kGather:
    case OpKind::kGatherElements:
    case OpKind::kBroadcast:
    case OpKind::kStridedSlice:
    case OpKind::kSlice:
    case OpKind::kSplit:
    case OpKind::kVariadicSplit:
    case OpKind::kShapeOf:
    case OpKind::kIdentity:
    case OpKind::kShuffleChannels:
    case OpKind::kTile:
    case OpKind::kReverse:
    case OpKind::kDepthToSpace:
    case OpKind::kSpaceToDepth:
    case OpKind::kOneHot:
    case OpKind::kPad: return Family::kMovement;
    case OpKind::kQuantizeActivation:
    case OpKind::kQuantizedConvolution:
    case OpKind::kQuantizedMatMul:
    case OpKind::kCodesMaxPool:
    case OpKind::kCodesAvgPool:
    case OpKind::kCodesDequantize: return Family::kQuantized;
    case OpKind::kInterpolate: return Family::kInterpolate;
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
  if (options.fp16) {
    // Float kernels run in f32 either way; say why f16 was not used.
    b->note_ += b->note_.empty() ? "" : "; ";
    b->note_ += d.fp16 ? "fp16 requested: f16 kernels are not implemented yet, using fp32"
                       : "fp16 requested but the device has no cl_khr_fp16: using fp32";
  }
  b->guard_mode_ = options.guard || env_flag("OCTET_GUARD");
  b->separate_buffers_ = options.separate_buffers || env_flag("OCTET_SEPARATE_BUFFERS");
  // The DOT4 probe, once per device and driver: at open, not inside a first inference.
  b->note_ += fmt::format("{}DOT4 {}: {}", b->note_.empty() ? "" : "; ", dot_mode_name(dot_mode(*b)),
                          dot_mode_reason(*b));
  b->note_ += "; tensor cores (mma): " + mma_verdict(*b).reason;  // probed at open, like DOT4
  if (options.timeout_ms < 0)
    raise(ErrorCode::kInvalidArgument, "timeout_ms {} is negative (0 waits forever)", options.timeout_ms);
  if (options.timeout_ms > 0) {
    b->timeout_ms_ = options.timeout_ms;
  } else if (const auto ms = env_int("OCTET_OPENCL_TIMEOUT_MS", 0, int64_t{1} << 40)) {
    b->timeout_ms_ = *ms;
  }
  return b;
}

OpenClBackend::~OpenClBackend() = default;

std::string OpenClBackend::memory_summary() const {
  auto size = [](size_t b) {
    return b >= (size_t{1} << 20) ? fmt::format("{:.2f} MiB", static_cast<double>(b) / (1 << 20))
                                  : fmt::format("{:.1f} KiB", static_cast<double>(b) / 1024);
  };
  return fmt::format("{}: weights {}, request memory {} now, {} peak", name_, size(weight_bytes()),
                     size(allocated_bytes()), size(peak_allocated_bytes()));
}

std::string OpenClBackend::description() const {
  std::string s = device_.summary();
  if (!note_.empty()) s += "; " + note_;
  if (guard_mode_) s += "; guard mode (buffers checked after every kernel)";
  if (separate_buffers_ && !guard_mode_) s += "; separate buffers (every tensor its own cl_mem)";
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
    case Family::kQuantized: return supports_quantized(node, *this);
    case Family::kInterpolate: return supports_interpolate(node, *this);
    case Family::kMath: return supports_math(node, *this);
    case Family::kLogic: return supports_logic(node, *this);
    case Family::kNormalization: return supports_normalization(node, *this);
    case Family::kDeconv: return supports_deconv(node, *this);
    case Family::kAttention: return supports_attention(node, *this);
    case Family::kRemap: return supports_remap(node, *this);
    case Family::kTopK: return supports_topk(node, *this);
    case Family::kNone: break;
  }
  return Support::no(fmt::format("OpenCL backend has no kernel for {}", op_name(node.op)));
}

std::unique_ptr<Kernel> OpenClBackend::compile(const Node& node) {
  Support s = supports(node);
  if (!s.ok) raise(ErrorCode::kUnsupported, "{}: not supported on {}: {}", node.describe(), name_, s.reason);
  // Every tensor lives in one buffer: one above the device's single-allocation limit can never
  // run, so say so now rather than at the first request.
  auto check_fits = [&](const Value& v, const char* what, size_t i) {
    size_t bytes = element_storage_bytes(v.type, element_count(v.shape));
    if (bytes > max_allocation_bytes())
      raise(ErrorCode::kOutOfDeviceMemory,
            "{}: {} {} ({} {}) needs {} bytes, above the device's CL_DEVICE_MAX_MEM_ALLOC_SIZE of {} bytes "
            "on {}",
            node.describe(), what, i, element_type_name(v.type), to_string(v.shape), bytes,
            max_allocation_bytes(), name_);
  };
  for (size_t i = 0; i < node.inputs.size(); ++i)
    check_fits(node.inputs[i].node->outputs.at(node.inputs[i].index), "input", i);
  for (size_t i = 0; i < node.outputs.size(); ++i) check_fits(node.outputs[i], "output", i);
  try {
    switch (family_of(node.op)) {
      case Family::kEltwise: return compile_eltwise(node, *this);
      case Family::kConv: return compile_conv(node, *this);
      case Family::kMatMul: return compile_matmul(node, *this);
      case Family::kPool: return compile_pool(node, *this);
      case Family::kReduce: return compile_reduce(node, *this);
      case Family::kMovement: return compile_movement(node, *this);
      case Family::kQuantized: return compile_quantized(node, *this);
      case Family::kInterpolate: return compile_interpolate(node, *this);
      case Family::kMath: return compile_math(node, *this);
      case Family::kLogic: return compile_logic(node, *this);
      case Family::kNormalization: return compile_normalization(node, *this);
      case Family::kDeconv: return compile_deconv(node, *this);
      case Family::kAttention: return compile_attention(node, *this);
      case Family::kRemap: return compile_remap(node, *this);
      case Family::kTopK: return compile_topk(node, *this);
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

size_t OpenClBackend::max_allocation_bytes() const {
  return max_allocation_override_ ? std::min<size_t>(max_allocation_override_, device_.max_alloc)
                                  : static_cast<size_t>(device_.max_alloc);
}

ocl::Mem OpenClBackend::create_buffer(size_t bytes, const void* host) {
  if (bytes > max_allocation_bytes() || bytes > device_.global_memory)
    raise(ErrorCode::kOutOfDeviceMemory,
          "OpenCL allocation of {} bytes exceeds the device's limits (max single allocation {}, global "
          "memory {})",
          bytes, max_allocation_bytes(), device_.global_memory);
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
  cl_program program = nullptr;
  try {
    // Sources written for selective builds get a program per kernel (see kernels/eltwise_f32.cl).
    std::string opts = options;
    if (programs_->selective(file))
      opts += fmt::format("{}-DOCTET_SELECTIVE -DOCTET_SELECT_{}", opts.empty() ? "" : " ", name);
    program = programs_->get(file, opts);
  } catch (const Error& e) {
    rethrow_with_context(e, fmt::format("OpenCL kernel '{}'", name));
  }
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
  std::lock_guard<std::mutex> lock(memory_mutex_);
  allocations_[raw] = bytes;
  size_t now = allocated_bytes_ += bytes;
  if (now > peak_allocated_bytes_) peak_allocated_bytes_ = now;
  return raw;
}

void OpenClBackend::release(void* handle) {
  if (!handle) return;
  cl_mem m = static_cast<cl_mem>(handle);
  {
    std::lock_guard<std::mutex> lock(memory_mutex_);
    if (auto it = allocations_.find(m); it != allocations_.end()) {
      allocated_bytes_ -= it->second;
      allocations_.erase(it);
    }
    if (auto it = guarded_.find(m); it != guarded_.end()) {
      allocated_bytes_ -= it->second.total;
      guarded_.erase(it);  // drops the whole allocation after the view below
    }
    if (auto it = separate_.find(m); it != separate_.end()) {
      allocated_bytes_ -= it->second.total;
      separate_.erase(it);
    }
  }
  clReleaseMemObject(m);
  ocl::note_released();
}

void* OpenClBackend::sub_buffer(void* allocation, size_t offset, size_t bytes) {
  if (offset % kBufferAlignment != 0)
    raise(ErrorCode::kInternal, "sub-buffer offset {} is not a multiple of {}", offset, kBufferAlignment);
  size_t size = bytes == 0 ? 4 : bytes;
  Guarded guarded;
  cl_mem parent = static_cast<cl_mem>(allocation);
  if (guard_mode_) {
    // Its own allocation, [guard | data | guard], all poisoned; the view covers the data.
    size_t total = kGuardBytes + (size + kGuardBytes - 1) / kGuardBytes * kGuardBytes + kGuardBytes;
    std::vector<unsigned char> poison(total, kGuardByte);
    guarded.whole = create_buffer(total, poison.data());
    guarded.bytes = size;
    guarded.total = total;
    parent = guarded.whole.get();
    offset = kGuardBytes;
  } else if (separate_buffers_) {
    // Its own allocation of exactly the view's size: an access past it leaves the allocation.
    guarded.whole = create_buffer(size);
    guarded.bytes = guarded.total = size;
    parent = guarded.whole.get();
    offset = 0;
  }
  cl_buffer_region region{offset, size};
  cl_int rc = CL_SUCCESS;
  cl_mem m = clCreateSubBuffer(parent, CL_MEM_READ_WRITE, CL_BUFFER_CREATE_TYPE_REGION, &region, &rc);
  ocl::check(rc, "clCreateSubBuffer");
  ocl::note_created();
  if (guard_mode_ || separate_buffers_) {
    std::lock_guard<std::mutex> lock(memory_mutex_);
    size_t now = allocated_bytes_ += guarded.total;
    if (now > peak_allocated_bytes_) peak_allocated_bytes_ = now;
    (guard_mode_ ? guarded_ : separate_).emplace(m, std::move(guarded));
  }
  return m;
}

void OpenClBackend::check_guards(OpenClContext& ctx, const std::string& after_kernel) {
  wait(ctx);
  std::lock_guard<std::mutex> lock(memory_mutex_);
  std::vector<unsigned char> bytes;
  for (const auto& [view, g] : guarded_) {
    bytes.resize(g.total);
    ocl::check(clEnqueueReadBuffer(ctx.queue.get(), g.whole.get(), CL_TRUE, 0, g.total, bytes.data(), 0,
                                   nullptr, nullptr),
               "reading guard bytes");
    // The furthest overwritten byte on each side gives the extent of the stray write.
    for (size_t i = 0; i < kGuardBytes; ++i)
      if (bytes[i] != kGuardByte)
        raise(ErrorCode::kInternal, "guard mode: kernel {} wrote up to {} bytes before a {}-byte buffer",
              after_kernel, kGuardBytes - i, g.bytes);
    for (size_t i = g.total; i-- > kGuardBytes + g.bytes;)
      if (bytes[i] != kGuardByte)
        raise(ErrorCode::kInternal,
              "guard mode: kernel {} wrote up to {} bytes past the end of a {}-byte buffer", after_kernel,
              i - kGuardBytes - g.bytes + 1, g.bytes);
  }
}

void OpenClBackend::ensure_usable(OpenClContext& ctx, const std::string& what) {
  if (ctx.suspect.empty()) return;
  if (!ctx.pending.empty()) {
    // The queue is in order: once its newest launch has ended, everything before it has too.
    cl_int status = CL_QUEUED;
    ocl::check(clGetEventInfo(ctx.pending.back().second.get(), CL_EVENT_COMMAND_EXECUTION_STATUS,
                              sizeof(status), &status, nullptr),
               "clGetEventInfo");
    if (status == CL_COMPLETE || status < 0) {
      finish(ctx);  // drains, clears `suspect`, and reports a launch that failed meanwhile
      return;
    }
  }
  raise(ErrorCode::kDevice,
        "{}: not started, the request's OpenCL queue on {} is suspect ({}) and its earlier work has not "
        "finished; calls fail fast until it has (or destroy the request)",
        what, name_, ctx.suspect);
}

void OpenClBackend::upload(ExecContext& context, void* handle, const void* src, size_t bytes) {
  if (!bytes) return;
  auto& ctx = static_cast<OpenClContext&>(context);
  ensure_usable(ctx, "input upload");  // a blocking write would wait behind a stuck kernel
  ocl::check(clEnqueueWriteBuffer(ctx.queue.get(), static_cast<cl_mem>(handle), CL_TRUE, 0, bytes, src, 0,
                                  nullptr, nullptr),
             "clEnqueueWriteBuffer");
}

void OpenClBackend::download(ExecContext& context, void* handle, void* dst, size_t bytes) {
  if (!bytes) return;
  auto& ctx = static_cast<OpenClContext&>(context);
  ensure_usable(ctx, "output download");
  ocl::check(clEnqueueReadBuffer(ctx.queue.get(), static_cast<cl_mem>(handle), CL_TRUE, 0, bytes, dst, 0,
                                 nullptr, nullptr),
             "clEnqueueReadBuffer");
}

void OpenClBackend::wait(OpenClContext& ctx) {
  if (timeout_ms_ > 0 && !ctx.pending.empty()) {
    // Poll the newest launch: the queue is in order, so it completes last.
    ocl::check(clFlush(ctx.queue.get()), "clFlush");
    cl_event last = ctx.pending.back().second.get();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
    for (;;) {
      cl_int status = CL_QUEUED;
      ocl::check(clGetEventInfo(last, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, nullptr),
                 "clGetEventInfo");
      if (status == CL_COMPLETE || status < 0) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        ctx.suspect = fmt::format("a wait timed out after {} ms", timeout_ms_);
        raise(ErrorCode::kTimeout, "OpenCL work on {} did not finish within {} ms (last kernel {})", name_,
              timeout_ms_, ctx.pending.back().first->impl_name());
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  cl_int rc = clFinish(ctx.queue.get());
  if (rc != CL_SUCCESS) {
    ctx.suspect = fmt::format("clFinish failed with {}", ocl::cl_error_name(rc));
    ocl::check(rc, "clFinish");
  }
}

void OpenClBackend::finish(ExecContext& context) {
  auto& ctx = static_cast<OpenClContext&>(context);
  wait(ctx);            // on a timeout the events stay pending for the next finish()
  ctx.suspect.clear();  // the queue is drained
  auto pending = std::move(ctx.pending);
  ctx.pending.clear();
  ctx.times_us.clear();
  for (auto& [kernel, event] : pending) {
    cl_int status = CL_COMPLETE;
    ocl::check(
        clGetEventInfo(event.get(), CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status, nullptr),
        "clGetEventInfo");
    if (status < 0)
      raise(ocl::error_code_for(status), "OpenCL kernel {} failed on {}: {} ({})", kernel->impl_name(), name_,
            ocl::cl_error_name(status), status);
    if (!ctx.profiling) continue;
    cl_ulong start = 0, end = 0;
    if (clGetEventProfilingInfo(event.get(), CL_PROFILING_COMMAND_START, sizeof(start), &start, nullptr) ==
            CL_SUCCESS &&
        clGetEventProfilingInfo(event.get(), CL_PROFILING_COMMAND_END, sizeof(end), &end, nullptr) ==
            CL_SUCCESS)
      ctx.times_us[kernel] += (end - start) * 1e-3;
  }
}

}  // namespace octet
