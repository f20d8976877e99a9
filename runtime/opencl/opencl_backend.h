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

// Per-request state: an in-order queue, and device times of the last run when profiling.
class OpenClContext : public ExecContext {
 public:
  ocl::Queue queue;
  bool profiling = false;
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

  // For kernels and tests.
  const DeviceInfo& device() const { return device_; }
  const BackendOptions& options() const { return options_; }
  cl_context context() const { return context_.get(); }
  ProgramCache& programs() { return *programs_; }
  // A kernel object from (file, options); the program is built on first use and cached.
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
};

}  // namespace octet
