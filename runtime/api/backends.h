// The C API's view of devices and backend factories: the one place that knows which backend
// classes exist, so the rest of runtime/api depends only on runtime/backend.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/backend.h"

namespace octet::api {

struct DeviceRecord {
  std::string name;  // "CPU", "GPU.0"
  bool gpu = false;
  std::string full_name, vendor, platform, driver_version, opencl_c_version;
  uint32_t compute_units = 0;
  uint64_t global_memory = 0, max_alloc = 0, local_memory = 0;
  bool fp16 = false, int_dot_product = false, dot4 = false;
  int opencl_index = -1;  // index into the OpenCL devices this "GPU.N" maps to
};

// CPU first, then one "GPU.N" per usable OpenCL device (cached; never throws after the first call).
const std::vector<DeviceRecord>& devices();
// The CPU's record alone: never loads an OpenCL driver (devices() enumerates them).
const DeviceRecord& cpu_device();
// Why there is no GPU entry ("" when there is one).
const std::string& no_gpu_reason();

std::shared_ptr<Backend> make_cpu_backend(const BackendOptions& options);
// `device` is one of devices() with gpu == true.
std::shared_ptr<Backend> make_gpu_backend(const DeviceRecord& device, const BackendOptions& options);

}  // namespace octet::api
