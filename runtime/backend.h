// The Backend and Kernel interfaces every device implements (oneDNN CPU, OpenCL).
//
// Lifecycle: the executor asks supports(node) for each node, compile(node) once per node at model
// compile time (weights repacked/uploaded and programs built there), then per infer request
// creates an ExecContext and calls Kernel::enqueue for each node in order, followed by finish().
// enqueue must neither build programs nor allocate device memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host/graph/graph.h"
#include "host/transforms/quantize_linear.h"

namespace octet {

// Whether a backend can run a node, and why not.
struct Support {
  bool ok = false;
  std::string reason;  // empty when ok
  static Support yes() { return {true, {}}; }
  static Support no(std::string why) { return {false, std::move(why)}; }
};

enum class Precision {
  kFast,       // quantized kernels where the graph says int8 (the default)
  kReference,  // every op exactly as the OpenVINO spec defines it, in float
};

struct BackendOptions {
  Precision precision = Precision::kFast;
  bool fp16 = false;       // OpenCL: fp16 storage/arithmetic where the device has cl_khr_fp16
  std::string cache_dir;   // OpenCL program binary cache; empty = $OCTET_CACHE_DIR or none
  bool profiling = false;  // per-node device times
  // OpenCL: guard mode (each buffer between poisoned bytes, checked after every kernel; slow, for
  // debugging). Also on when $OCTET_GUARD=1.
  bool guard = false;
  // OpenCL debugging: every tensor gets its own cl_mem instead of a sub-buffer of the request's
  // arena, so a kernel reading or writing past a tensor touches no neighbour and a checker such
  // as Oclgrind reports it. Also on when $OCTET_SEPARATE_BUFFERS=1.
  bool separate_buffers = false;
  // OpenCL: finish() waits at most this long, then fails with kTimeout; 0 = $OCTET_OPENCL_TIMEOUT_MS
  // if set, else forever.
  int64_t timeout_ms = 0;
};

// A region of backend memory. For the CPU backend `handle` is a host pointer; for OpenCL it is a
// cl_mem (a sub-buffer of a request arena, created once when the request is created).
struct BufferView {
  void* handle = nullptr;  // nullptr: a Constant input the kernel captured at compile time
  size_t bytes = 0;
};

// Per-request execution state of a backend (an OpenCL command queue, scratch memory...).
class ExecContext {
 public:
  virtual ~ExecContext() = default;
};

// One compiled node. A Kernel may be shared by requests running on different threads, so
// enqueue must be thread-safe (e.g. lock around clSetKernelArg + clEnqueueNDRangeKernel).
class Kernel {
 public:
  virtual ~Kernel() = default;
  // inputs[i] matches node.inputs[i]; outputs[i] matches node.outputs[i].
  virtual void enqueue(ExecContext& context, const std::vector<BufferView>& inputs,
                       const std::vector<BufferView>& outputs) = 0;
  // Implementation name for profiling and verbose output, e.g. "ocl_conv_f32_1x1", "onednn_jit:avx512".
  virtual std::string impl_name() const = 0;
  // Device time of the last enqueue on `context` in microseconds, when profiling; < 0 if unknown.
  virtual double last_time_us(const ExecContext& context) const { return -1; }
  // Host bytes each request allocates for this kernel on its first run (oneDNN scratchpads),
  // counted against the memory budget with the activation plan.
  virtual size_t scratch_bytes() const { return 0; }
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;  // "CPU", "GPU.0"
  // Longer description for reports: device name, driver, features.
  virtual std::string description() const = 0;
  // True when buffers are host memory (no transfers needed to read them on the host).
  virtual bool is_host() const = 0;
  // What the fast-mode quantization pass may fuse into the quantized nodes this backend runs.
  virtual QuantizeOptions quantize_options() const { return {}; }

  virtual Support supports(const Node& node) const = 0;
  // Prepares a node: repacks and uploads its constant inputs, builds programs. Throws Error.
  virtual std::unique_ptr<Kernel> compile(const Node& node) = 0;

  virtual std::unique_ptr<ExecContext> create_context() = 0;
  // Memory. allocate throws Error(kOutOfDeviceMemory / kOutOfMemory); release accepts nullptr.
  virtual void* allocate(size_t bytes) = 0;
  // The largest single allocate() the device accepts (OpenCL: CL_DEVICE_MAX_MEM_ALLOC_SIZE). The
  // executor splits a request's memory into allocations no larger than this.
  virtual size_t max_allocation_bytes() const { return SIZE_MAX; }
  virtual void release(void* handle) = 0;
  // A view of [offset, offset + bytes) of an allocation; offsets are multiples of
  // kBufferAlignment. Released with release().
  virtual void* sub_buffer(void* allocation, size_t offset, size_t bytes) = 0;
  virtual void upload(ExecContext& context, void* handle, const void* src, size_t bytes) = 0;
  virtual void download(ExecContext& context, void* handle, void* dst, size_t bytes) = 0;
  // Waits for all work enqueued on the context; turns asynchronous failures into Error.
  virtual void finish(ExecContext& context) = 0;

  // Bytes of device memory held by compiled kernels (weights), for reports.
  virtual size_t weight_bytes() const = 0;
};

// Every planned offset is a multiple of this, which satisfies CL_DEVICE_MEM_BASE_ADDR_ALIGN on
// all devices we know (NVIDIA: 4096 bits) and keeps host buffers cache-line aligned.
constexpr size_t kBufferAlignment = 512;

}  // namespace octet
