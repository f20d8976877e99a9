// OpenCL platform/device enumeration and probing (never touches loader env vars).
#include "runtime/opencl/device.h"

#include <cstdlib>
#include <mutex>

#include "host/common/env.h"
#include "host/graph/attributes.h"

namespace octet {
namespace {

#define CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV_ 0x4000
#define CL_DEVICE_COMPUTE_CAPABILITY_MINOR_NV_ 0x4001
// cl_khr_integer_dot_product (cl_ext.h names, spelled out for older headers).
#define CL_DEVICE_INTEGER_DOT_PRODUCT_CAPABILITIES_KHR_ 0x1073
#define CL_DEVICE_INTEGER_DOT_PRODUCT_ACCELERATION_PROPERTIES_4x8BIT_PACKED_KHR_ 0x1075
#define CL_DEVICE_INTEGER_DOT_PRODUCT_INPUT_4x8BIT_PACKED_KHR_ (1 << 0)

std::mutex g_reason_mutex;
std::string g_reason;

void set_reason(std::string r) {
  std::lock_guard<std::mutex> lock(g_reason_mutex);
  g_reason = std::move(r);
}

std::string info_string(cl_device_id d, cl_device_info what) {
  size_t n = 0;
  if (clGetDeviceInfo(d, what, 0, nullptr, &n) != CL_SUCCESS || n == 0) return {};
  std::string s(n, '\0');
  if (clGetDeviceInfo(d, what, n, s.data(), nullptr) != CL_SUCCESS) return {};
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) s.pop_back();
  return s;
}

template <typename T>
T info_value(cl_device_id d, cl_device_info what) {
  T v{};
  if (clGetDeviceInfo(d, what, sizeof(T), &v, nullptr) != CL_SUCCESS) return T{};
  return v;
}

std::string platform_string(cl_platform_id p, cl_platform_info what) {
  size_t n = 0;
  if (clGetPlatformInfo(p, what, 0, nullptr, &n) != CL_SUCCESS || n == 0) return {};
  std::string s(n, '\0');
  clGetPlatformInfo(p, what, n, s.data(), nullptr);
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

bool has_ext(const std::string& exts, const char* name) {
  std::string padded = " " + exts + " ";
  return padded.find(std::string(" ") + name + " ") != std::string::npos;
}

DeviceInfo probe(cl_platform_id p, int pi, cl_device_id d, int di) {
  DeviceInfo info;
  info.platform = p;
  info.device = d;
  info.platform_index = pi;
  info.device_index = di;
  info.platform_name = platform_string(p, CL_PLATFORM_NAME);
  info.vendor = info_string(d, CL_DEVICE_VENDOR);
  info.name = info_string(d, CL_DEVICE_NAME);
  info.device_version = info_string(d, CL_DEVICE_VERSION);
  info.driver_version = info_string(d, CL_DRIVER_VERSION);
  info.opencl_c_version = info_string(d, CL_DEVICE_OPENCL_C_VERSION);
  cl_device_type type = info_value<cl_device_type>(d, CL_DEVICE_TYPE);
  info.is_gpu = (type & CL_DEVICE_TYPE_GPU) != 0;
  info.type = info.is_gpu                           ? "GPU"
              : (type & CL_DEVICE_TYPE_CPU)         ? "CPU"
              : (type & CL_DEVICE_TYPE_ACCELERATOR) ? "ACCELERATOR"
                                                    : "OTHER";
  info.compute_units = static_cast<int>(info_value<cl_uint>(d, CL_DEVICE_MAX_COMPUTE_UNITS));
  info.max_alloc = info_value<cl_ulong>(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
  info.global_memory = info_value<cl_ulong>(d, CL_DEVICE_GLOBAL_MEM_SIZE);
  info.local_memory = info_value<cl_ulong>(d, CL_DEVICE_LOCAL_MEM_SIZE);
  info.max_work_group = info_value<size_t>(d, CL_DEVICE_MAX_WORK_GROUP_SIZE);
  info.mem_base_addr_align_bits = static_cast<int>(info_value<cl_uint>(d, CL_DEVICE_MEM_BASE_ADDR_ALIGN));
  info.extensions = info_string(d, CL_DEVICE_EXTENSIONS);
  info.fp16 = has_ext(info.extensions, "cl_khr_fp16");
  info.subgroups =
      has_ext(info.extensions, "cl_khr_subgroups") || has_ext(info.extensions, "cl_intel_subgroups");
  info.integer_dot_product = has_ext(info.extensions, "cl_khr_integer_dot_product");
  if (info.integer_dot_product) {
    // The capability query, not the extension name: a device may list the extension but offer
    // only the unpacked vector inputs.
    const auto caps = info_value<cl_bitfield>(d, CL_DEVICE_INTEGER_DOT_PRODUCT_CAPABILITIES_KHR_);
    info.dot4_packed = (caps & CL_DEVICE_INTEGER_DOT_PRODUCT_INPUT_4x8BIT_PACKED_KHR_) != 0;
    struct {
      cl_bool signed_acc, unsigned_acc, mixed_acc, acc_signed, acc_unsigned, acc_mixed;
    } accel{};
    if (info.dot4_packed &&
        clGetDeviceInfo(d, CL_DEVICE_INTEGER_DOT_PRODUCT_ACCELERATION_PROPERTIES_4x8BIT_PACKED_KHR_,
                        sizeof accel, &accel, nullptr) == CL_SUCCESS)
      info.dot4_packed_accelerated = accel.signed_acc && accel.mixed_acc;
  }
  if (has_ext(info.extensions, "cl_nv_device_attribute_query")) {
    cl_uint major = info_value<cl_uint>(d, CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV_);
    cl_uint minor = info_value<cl_uint>(d, CL_DEVICE_COMPUTE_CAPABILITY_MINOR_NV_);
    info.nv_compute_capability = static_cast<int>(major * 10 + minor);
  }
  return info;
}

std::string device_list_text(const std::vector<DeviceInfo>& devices) {
  if (devices.empty()) {
    std::string why = opencl_unavailable_reason();
    return "no OpenCL devices found" + (why.empty() ? std::string() : " (" + why + ")");
  }
  std::string s = "devices found:";
  for (const DeviceInfo& d : devices)
    s += fmt::format(" [platform {} '{}' device {} '{}' {}]", d.platform_index, d.platform_name,
                     d.device_index, d.name, d.type);
  return s;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

std::string DeviceInfo::summary() const {
  std::string s =
      fmt::format("{} ({}, {}, {}, driver {}, {} CUs, {} MiB, max alloc {} MiB", name, platform_name, type,
                  opencl_c_version, driver_version, compute_units, global_memory >> 20, max_alloc >> 20);
  if (fp16) s += ", fp16";
  if (subgroups) s += ", subgroups";
  if (integer_dot_product) s += dot4_packed ? ", int dot (4x8 packed)" : ", int dot (no 4x8 packed)";
  if (nv_compute_capability) s += fmt::format(", sm_{}", nv_compute_capability);
  return s + ")";
}

std::string opencl_unavailable_reason() {
  std::lock_guard<std::mutex> lock(g_reason_mutex);
  return g_reason;
}

std::vector<DeviceInfo> list_opencl_devices() {
  std::vector<DeviceInfo> out;
  if (const std::string hazard = opencl_environment_hazard(); !hazard.empty()) {
    set_reason(hazard);  // never call into a driver that is known to abort in this environment
    return out;
  }
  cl_uint np = 0;
  cl_int rc = clGetPlatformIDs(0, nullptr, &np);
  if (rc != CL_SUCCESS || np == 0) {
    set_reason(rc != CL_SUCCESS ? fmt::format("clGetPlatformIDs: {} ({}): no OpenCL ICD or platform",
                                              ocl::cl_error_name(rc), rc)
                                : "no OpenCL platform");
    return out;
  }
  std::vector<cl_platform_id> platforms(np);
  if (clGetPlatformIDs(np, platforms.data(), nullptr) != CL_SUCCESS) {
    set_reason("clGetPlatformIDs failed");
    return out;
  }
  for (cl_uint pi = 0; pi < np; ++pi) {
    cl_uint nd = 0;
    if (clGetDeviceIDs(platforms[pi], CL_DEVICE_TYPE_ALL, 0, nullptr, &nd) != CL_SUCCESS || nd == 0) continue;
    std::vector<cl_device_id> devs(nd);
    if (clGetDeviceIDs(platforms[pi], CL_DEVICE_TYPE_ALL, nd, devs.data(), nullptr) != CL_SUCCESS) continue;
    for (cl_uint di = 0; di < nd; ++di)
      out.push_back(probe(platforms[pi], static_cast<int>(pi), devs[di], static_cast<int>(di)));
  }
  set_reason(out.empty() ? "OpenCL platforms have no devices" : "");
  return out;
}

DeviceInfo select_opencl_device(const std::string& spec_in, std::string* note) {
  std::vector<DeviceInfo> devices = list_opencl_devices();
  if (devices.empty())
    raise(ErrorCode::kNotFound, "OpenCL device '{}': {}", spec_in, device_list_text(devices));
  const char* env = std::getenv("OCTET_OPENCL_DEVICE");
  if (env && *env) {
    std::string e = env;
    size_t colon = e.find(':');
    std::string plat = colon == std::string::npos ? std::string() : e.substr(0, colon);
    std::string dev = colon == std::string::npos ? e : e.substr(colon + 1);
    std::optional<int64_t> index = parse_int64(dev);
    for (const DeviceInfo& d : devices) {
      if (!plat.empty() && !contains(d.platform_name, plat) && !contains(d.vendor, plat)) continue;
      if (index ? d.device_index == *index : contains(d.name, dev)) {
        if (note) *note = fmt::format("selected by OCTET_OPENCL_DEVICE='{}'", e);
        return d;
      }
    }
    raise(ErrorCode::kNotFound, "OCTET_OPENCL_DEVICE='{}' matches no device; {}", e,
          device_list_text(devices));
  }
  std::string spec = spec_in.empty() ? "GPU" : spec_in;
  std::vector<const DeviceInfo*> gpus;
  for (const DeviceInfo& d : devices)
    if (d.is_gpu) gpus.push_back(&d);
  bool fallback = gpus.empty();
  if (fallback)
    for (const DeviceInfo& d : devices) gpus.push_back(&d);
  int64_t index = -1;
  if (spec == "GPU") {
    index = 0;
  } else if (spec.rfind("GPU.", 0) == 0) {
    std::optional<int64_t> n = parse_int64(spec.substr(4));
    if (!n || *n < 0)
      raise(ErrorCode::kNotFound, "bad OpenCL device '{}'; {}", spec, device_list_text(devices));
    index = *n;
  }
  if (index >= 0) {
    if (index >= static_cast<int64_t>(gpus.size()))
      raise(ErrorCode::kNotFound, "OpenCL device '{}' does not exist; {}", spec, device_list_text(devices));
    if (note && fallback)
      *note = fmt::format("no GPU-type OpenCL device: '{}' uses {} device '{}'", spec, gpus[index]->type,
                          gpus[index]->name);
    return *gpus[index];
  }
  for (const DeviceInfo& d : devices)
    if (contains(d.name, spec)) return d;
  raise(ErrorCode::kNotFound, "no OpenCL device matches '{}'; {}", spec, device_list_text(devices));
}

}  // namespace octet
