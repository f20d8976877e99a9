// OpenCL device discovery, probing and selection.
//
//   auto devices = list_opencl_devices();        // empty (never throws) without an ICD/platform
//   if (devices.empty()) puts(opencl_unavailable_reason().c_str());
//   DeviceInfo d = select_opencl_device("GPU");  // or "GPU.1", a name substring, $OCTET_OPENCL_DEVICE
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "runtime/opencl/cl_common.h"

namespace octet {

struct DeviceInfo {
  cl_platform_id platform = nullptr;
  cl_device_id device = nullptr;
  int platform_index = 0;
  int device_index = 0;  // within its platform
  std::string platform_name;
  std::string vendor;
  std::string name;
  std::string device_version;
  std::string driver_version;
  std::string opencl_c_version;
  bool is_gpu = false;
  std::string type;  // "GPU", "CPU", "ACCELERATOR", "OTHER"
  int compute_units = 0;
  size_t max_alloc = 0;
  size_t global_memory = 0;
  size_t local_memory = 0;
  size_t max_work_group = 0;
  int mem_base_addr_align_bits = 0;
  bool fp16 = false;                 // cl_khr_fp16
  bool subgroups = false;            // cl_khr_subgroups or cl_intel_subgroups
  bool integer_dot_product = false;  // cl_khr_integer_dot_product listed
  // CL_DEVICE_INTEGER_DOT_PRODUCT_CAPABILITIES_KHR reports the 4x8-bit packed inputs (what
  // kernels/common/dot4.clh's khr path calls); the extension alone does not promise them.
  bool dot4_packed = false;
  // CL_DEVICE_INTEGER_DOT_PRODUCT_ACCELERATION_PROPERTIES_4x8BIT_PACKED_KHR: signed x signed and
  // signed x unsigned in hardware (reported; the probe decides).
  bool dot4_packed_accelerated = false;
  int nv_compute_capability = 0;  // major*10 + minor, 0 when not NVIDIA
  std::string extensions;

  // "pthread-haswell (Portable Computing Language, CPU, OpenCL C 1.2, driver 3.1, 2 CUs, ...)"
  std::string summary() const;
};

// Every device of every platform, in platform then device order. Never throws.
std::vector<DeviceInfo> list_opencl_devices();
// Why list_opencl_devices() came back empty (no ICD, no platform...), else "".
std::string opencl_unavailable_reason();

// Picks a device: "GPU" (first GPU, or the first device of any type when there is no GPU),
// "GPU.N" (N-th GPU, or N-th device when there is no GPU), or a device-name substring. When
// $OCTET_OPENCL_DEVICE is set ("<platform substring>:<device index or name substring>") it wins.
// Throws Error(kNotFound) listing the devices found. *note receives e.g. "no GPU: using CPU".
DeviceInfo select_opencl_device(const std::string& spec, std::string* note = nullptr);

}  // namespace octet
