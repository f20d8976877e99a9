// Device enumeration and backend construction for the C API (adapts runtime/onednn and
// runtime/opencl; while a backend is not built yet, compiling for it reports kUnsupported).
#include "runtime/api/backends.h"

#include <unistd.h>

#include <fstream>
#include <thread>

#include "host/common/error.h"
#include "runtime/opencl/device.h"

#if __has_include("runtime/onednn/onednn_backend.h")
#include "runtime/onednn/onednn_backend.h"
#define OCTET_HAVE_ONEDNN_BACKEND 1
#endif
#if __has_include("runtime/opencl/opencl_backend.h")
#include "runtime/opencl/opencl_backend.h"
#define OCTET_HAVE_OPENCL_BACKEND 1
#endif

namespace octet::api {
namespace {

std::string cpuinfo_field(const std::string& key) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) == 0) {
      size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "";
}

DeviceRecord cpu_record() {
  DeviceRecord cpu;
  cpu.name = "CPU";
  cpu.full_name = cpuinfo_field("model name");
  cpu.vendor = cpuinfo_field("vendor_id");
  cpu.driver_version = "oneDNN";
  cpu.compute_units = std::thread::hardware_concurrency();
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page_size > 0) cpu.global_memory = cpu.max_alloc = uint64_t(pages) * uint64_t(page_size);
  return cpu;
}

struct DeviceTable {
  std::vector<DeviceRecord> records;
  std::string no_gpu_reason;
};

// Same numbering as select_opencl_device: GPUs if any, else every OpenCL device.
DeviceTable build_table() {
  DeviceTable table;
  table.records.push_back(cpu_record());
  std::vector<DeviceInfo> cl = list_opencl_devices();
  bool any_gpu = false;
  for (const auto& d : cl) any_gpu = any_gpu || d.is_gpu;
  int n = 0;
  for (size_t i = 0; i < cl.size(); ++i) {
    const DeviceInfo& d = cl[i];
    if (any_gpu && !d.is_gpu) continue;
    DeviceRecord r;
    r.name = "GPU." + std::to_string(n++);
    r.gpu = true;
    r.full_name = d.name;
    r.vendor = d.vendor;
    r.platform = d.platform_name;
    r.driver_version = d.driver_version;
    r.opencl_c_version = d.opencl_c_version;
    r.compute_units = static_cast<uint32_t>(d.compute_units);
    r.global_memory = d.global_memory;
    r.max_alloc = d.max_alloc;
    r.local_memory = d.local_memory;
    r.fp16 = d.fp16;
    r.int_dot_product = d.integer_dot_product;
    r.dot4 = d.dot4_packed || d.nv_compute_capability >= 61;  // candidates; the probe decides
    r.opencl_index = static_cast<int>(i);
    table.records.push_back(std::move(r));
  }
  if (n == 0) {
    table.no_gpu_reason = opencl_unavailable_reason();
    if (table.no_gpu_reason.empty()) table.no_gpu_reason = "no OpenCL device found";
  }
  return table;
}

const DeviceTable& table() {
  static const DeviceTable t = build_table();
  return t;
}

}  // namespace

const std::vector<DeviceRecord>& devices() {
  return table().records;
}
const DeviceRecord& cpu_device() {
  static const DeviceRecord cpu = cpu_record();
  return cpu;
}
const std::string& no_gpu_reason() {
  return table().no_gpu_reason;
}

std::shared_ptr<Backend> make_cpu_backend(const BackendOptions& options) {
#ifdef OCTET_HAVE_ONEDNN_BACKEND
  return make_onednn_backend(options);
#else
  raise(ErrorCode::kUnsupported, "the oneDNN CPU backend is not part of this build");
#endif
}

std::shared_ptr<Backend> make_gpu_backend(const DeviceRecord& device, const BackendOptions& options) {
#ifdef OCTET_HAVE_OPENCL_BACKEND
  return OpenClBackend::create(device.name, options);
#else
  raise(ErrorCode::kUnsupported, "the OpenCL backend is not part of this build (device {})", device.name);
#endif
}

}  // namespace octet::api
