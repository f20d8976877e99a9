// The OpenCL backend: one device, its context, program cache, memory and per-request queues.
//
//   auto gpu = OpenClBackend::create("GPU", BackendOptions{});   // throws Error(kNotFound)
//   if (gpu->supports(node).ok) kernel = gpu->compile(node);
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime/backend.h"
#include "runtime/opencl/cl_common.h"
#include "runtime/opencl/device.h"
#include "runtime/opencl/program_cache.h"

namespace octet {

// Per-request state: an in-order queue, the events of launches since the last finish() (their
// status is checked there), and device times of the last run when profiling.
class OpenClContext : public ExecContext {
 public:
  ocl::Queue queue;
  bool profiling = false;
  // Set after a timeout or an asynchronous device failure: the queue may still hold work, so
  // later launches fail fast instead of queueing behind it.
  std::string suspect;
  std::vector<std::pair<const Kernel*, ocl::Event>> pending;  // launches awaiting finish()
  std::map<const Kernel*, double> times_us;                   // of the last finish()
};

class OpenClBackend : public Backend {
 public:
  static std::shared_ptr<OpenClBackend> create(const std::string& device_spec = "GPU",
                                               const BackendOptions& options = {});
  ~OpenClBackend() override;

  std::string name() const override { return name_; }
  std::string description() const override;
  bool is_host() const override { return false; }
  // Every int8 kernel's epilogue (kernels/common/qepilogue.clh) runs scales and FakeQuantize inside
  // the chain, reads residual addends as codes and writes channels-last codes, like the CPU's.
  QuantizeOptions quantize_options() const override {
    return {/*fuse_across_fake_quantize=*/true, /*emit_codes=*/true};
  }
  Support supports(const Node& node) const override;
  std::unique_ptr<Kernel> compile(const Node& node) override;
  std::unique_ptr<ExecContext> create_context() override;
  void* allocate(size_t bytes) override;
  void release(void* handle) override;
  void* sub_buffer(void* allocation, size_t offset, size_t bytes) override;
  void upload(ExecContext& context, void* handle, const void* src, size_t bytes) override;
  void download(ExecContext& context, void* handle, void* dst, size_t bytes) override;
  void finish(ExecContext& context) override;
  size_t weight_bytes() const override { return weight_bytes_.load(); }
  // CL_DEVICE_MAX_MEM_ALLOC_SIZE, or a smaller cap set for tests (0 restores the device's).
  size_t max_allocation_bytes() const override;
  void set_max_allocation_bytes(size_t bytes) { max_allocation_override_ = bytes; }

  // Device memory taken through allocate() (request arenas, plus guards in guard mode): now and
  // the most at any time since the backend was created.
  size_t allocated_bytes() const { return allocated_bytes_.load(); }
  size_t peak_allocated_bytes() const { return peak_allocated_bytes_.load(); }
  // "GPU.0: weights 1.20 MiB, request memory 0.0 KiB now, 512.0 KiB peak", for reports.
  std::string memory_summary() const;

  // Guard mode (BackendOptions::guard or $OCTET_GUARD=1 at create, or this setter before requests
  // are created): every
  // sub_buffer() gets its own allocation between poisoned guard bytes, and every kernel launch is
  // followed by a wait and a check of all guards; an overwrite throws Error(kInternal) naming
  // the kernel. Slow: for debugging and tests.
  void set_guard_mode(bool on) { guard_mode_ = on; }
  // Separate-buffers mode (BackendOptions::separate_buffers or $OCTET_SEPARATE_BUFFERS=1 at create):
  // every sub_buffer() is a view of its own allocation of exactly its size (for Oclgrind).
  bool separate_buffers() const { return separate_buffers_; }
  bool guard_mode() const { return guard_mode_; }
  // Called by kernels after each launch in guard mode.
  void check_guards(OpenClContext& context, const std::string& after_kernel);

  // finish() waits at most this long (BackendOptions::timeout_ms, else $OCTET_OPENCL_TIMEOUT_MS at
  // create; 0 = forever), then
  // throws Error(kTimeout) and marks the context suspect.
  void set_timeout_ms(int64_t ms) { timeout_ms_ = ms; }
  // Every command that uses a request's queue first calls this. A queue marked suspect (an earlier
  // wait timed out) is drained and usable again once its stuck work has finished; while that work
  // still runs, the call fails fast with kDevice instead of blocking behind it. `what` names the
  // command in the message.
  void ensure_usable(OpenClContext& ctx, const std::string& what);
  int64_t timeout_ms() const { return timeout_ms_; }

  // For kernels and tests.
  const DeviceInfo& device() const { return device_; }
  const BackendOptions& options() const { return options_; }
  cl_context context() const { return context_.get(); }
  ProgramCache& programs() { return *programs_; }
  // A kernel object from (file, options); the program is built on first use and cached. Build
  // failures throw Error(kKernelBuildFailed) naming the kernel, file and first build-log lines.
  ocl::ClKernel make_kernel(const std::string& file, const std::string& options, const char* kernel_name);
  // A device buffer (optionally filled from host memory with a blocking write). Throws
  // Error(kOutOfDeviceMemory) when it exceeds the device's limits or the allocation fails.
  ocl::Mem create_buffer(size_t bytes, const void* host = nullptr);
  // Uploads a compile-time constant owned by a kernel; counted in weight_bytes().
  ocl::Mem upload_weights(const void* data, size_t bytes);
  void release_weights(size_t bytes) { weight_bytes_ -= bytes; }

 private:
  OpenClBackend() = default;

  DeviceInfo device_;
  BackendOptions options_;
  std::string name_;
  std::string note_;
  ocl::Context context_;
  ocl::Queue upload_queue_;
  std::mutex upload_mutex_;
  std::unique_ptr<ProgramCache> programs_;
  std::atomic<size_t> weight_bytes_{0};
  std::atomic<size_t> allocated_bytes_{0};
  std::atomic<size_t> peak_allocated_bytes_{0};
  bool guard_mode_ = false;
  bool separate_buffers_ = false;
  int64_t timeout_ms_ = 0;
  size_t max_allocation_override_ = 0;

  struct Guarded {
    ocl::Mem whole;    // guard, data (rounded up), guard
    size_t bytes = 0;  // of the view
    size_t total = 0;
  };
  std::mutex memory_mutex_;
  std::map<cl_mem, size_t> allocations_;  // allocate()d handle -> bytes
  std::map<cl_mem, Guarded> guarded_;     // guard-mode view -> its own allocation
  std::map<cl_mem, Guarded> separate_;    // separate-buffers view -> its own allocation (no guards)

  void wait(OpenClContext& ctx);
};

}  // namespace octet
