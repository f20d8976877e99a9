// Program building and caching. Disk entries are "<hash>.clbin": a header with the key's and the
// binary's lengths and the binary's checksum, the full key, then the device binary; written
// temp-then-rename. An entry is handed to the driver only when its length and checksum verify
// (a driver given damaged bytes may abort the process); anything else is rebuilt from source.
#include "runtime/opencl/program_cache.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "host/common/address_space.h"
#include "host/common/env.h"
#include "host/common/safe_file.h"
#include "kernels/embedded_kernels.h"
#include "runtime/opencl/cache_entry.h"

namespace octet {
namespace {

// Device binaries are kilobytes to a few megabytes; a bigger "entry" is not one of ours.
constexpr uint64_t kMaxEntryBytes = uint64_t{256} << 20;

std::string raw_source(const std::string& file) {
  if (const char* dir = std::getenv("OCTET_KERNEL_DIR"); dir && *dir) {
    try {
      const std::vector<uint8_t> text =
          read_regular_file(std::string(dir) + "/" + file, "kernel source", FileLimits{});
      return std::string(text.begin(), text.end());
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound) throw;  // present but unusable: say so, do not fall back silently
    }
  }
  for (const EmbeddedKernel* k = embedded_kernel_sources(); k->path; ++k)
    if (file == k->path) return std::string(k->data, k->size);
  raise(ErrorCode::kNotFound, "OpenCL kernel source '{}' is not embedded (nor in $OCTET_KERNEL_DIR)", file);
}

void expand(const std::string& file, std::string* out, int depth) {
  if (depth > 8) raise(ErrorCode::kInternal, "kernel include nesting too deep at '{}'", file);
  std::istringstream in(raw_source(file));
  std::string line;
  while (std::getline(in, line)) {
    size_t p = line.find_first_not_of(" \t");
    if (p != std::string::npos && line.compare(p, 8, "#include") == 0) {
      size_t a = line.find('"', p), b = a == std::string::npos ? a : line.find('"', a + 1);
      if (b != std::string::npos) {
        expand(line.substr(a + 1, b - a - 1), out, depth + 1);
        continue;
      }
    }
    *out += line;
    *out += '\n';
  }
}

std::string build_log(cl_program program, cl_device_id device) {
  size_t n = 0;
  clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &n);
  std::string log(n, '\0');
  if (n) clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, n, log.data(), nullptr);
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  std::istringstream in(log);
  std::string line, head;
  for (int i = 0; i < 20 && std::getline(in, line); ++i) head += "\n  " + line;
  return head;
}

}  // namespace

std::string load_kernel_source(const std::string& file) {
  std::string out;
  expand(file, &out, 0);
  return out;
}

ProgramCache::ProgramCache(cl_context context, const DeviceInfo& device, std::string cache_dir)
    : context_(context), device_(device), dir_(std::move(cache_dir)) {
  if (dir_.empty())
    if (const auto env = env_string("OCTET_CACHE_DIR")) dir_ = *env;
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec || !std::filesystem::is_directory(dir_, ec)) disable_disk("cannot create the directory");
  }
}

void ProgramCache::disable_disk(const std::string& why) {
  note_ = fmt::format("program disk cache '{}' disabled: {}", dir_, why);
  dir_.clear();
}

bool ProgramCache::selective(const std::string& file) {
  // Read every time (like get()): $OCTET_KERNEL_DIR may point elsewhere between calls.
  return load_kernel_source(file).find("OCTET_SELECTIVE") != std::string::npos;
}

cl_program ProgramCache::get(const std::string& file, const std::string& options) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string source = load_kernel_source(file);
  std::string key = fmt::format("{}\n{:016x}\n{}\n{}\n{}", file, fnv1a64(source), options, device_.name,
                                device_.driver_version);
  auto it = programs_.find(key);
  if (it != programs_.end()) {
    ++memory_hits_;
    return it->second.get();
  }
  std::string path = dir_.empty() ? std::string() : fmt::format("{}/{:016x}.clbin", dir_, fnv1a64(key));
  ocl::Program program;
  if (!path.empty()) program = load_binary(path, key, options);
  if (program) {
    ++disk_hits_;
  } else {
    program = build_from_source(file, source, options);
    if (!path.empty()) store_binary(path, key, program.get());
  }
  cl_program raw = program.get();
  programs_.emplace(key, std::move(program));
  return raw;
}

ocl::Program ProgramCache::build_from_source(const std::string& file, const std::string& source,
                                             const std::string& options) {
  const char* text = source.c_str();
  size_t len = source.size();
  cl_int rc = CL_SUCCESS;
  ocl::Program program(clCreateProgramWithSource(context_, 1, &text, &len, &rc));
  ocl::check(rc, "clCreateProgramWithSource");
  // PoCL's LLVM aborts the process ("LLVM ERROR: out of memory") when it runs out of address space.
  reserve_address_space(kOpenClBuildMargin, ("building OpenCL kernel " + file).c_str());
  ++source_builds_;
  rc = clBuildProgram(program.get(), 1, &device_.device, options.c_str(), nullptr, nullptr);
  if (rc != CL_SUCCESS) {
    if (rc == CL_BUILD_PROGRAM_FAILURE || rc == CL_INVALID_BUILD_OPTIONS || rc == CL_COMPILER_NOT_AVAILABLE)
      raise(ErrorCode::kKernelBuildFailed,
            "building OpenCL kernel '{}' with options '{}' failed: {} ({}); log:{}", file, options,
            ocl::cl_error_name(rc), rc, build_log(program.get(), device_.device));
    ocl::check(rc, "clBuildProgram");
  }
  return program;
}

ocl::Program ProgramCache::load_binary(const std::string& path, const std::string& key,
                                       const std::string& options) {
  std::string why;
  ocl::Program program = load_verified_binary(path, key, options, &why);
  if (!program && !why.empty()) {
    ++rejected_entries_;
    last_rejection_ = fmt::format("program cache entry '{}' rebuilt from source: {}", path, why);
  }
  return program;
}

ocl::Program ProgramCache::load_verified_binary(const std::string& path, const std::string& key,
                                                const std::string& options, std::string* why) {
  std::vector<uint8_t> bytes;
  try {
    // No symlinks, FIFOs, devices or huge files: an entry is a small regular file we wrote.
    bytes = read_regular_file(path, "program cache entry", FileLimits{false, kMaxEntryBytes});
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kNotFound) *why = e.what();  // a missing entry is a plain miss
    return {};
  }
  const std::string_view data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const std::string_view binary = parse_cache_entry(data, key, why);
  if (binary.empty()) return {};
  size_t size = binary.size();
  const unsigned char* bin = reinterpret_cast<const unsigned char*>(binary.data());
  cl_int status = CL_SUCCESS, rc = CL_SUCCESS;
  ocl::Program program(clCreateProgramWithBinary(context_, 1, &device_.device, &size, &bin, &status, &rc));
  if (rc != CL_SUCCESS || status != CL_SUCCESS) {
    *why =
        fmt::format("the driver refused the binary ({})", ocl::cl_error_name(rc != CL_SUCCESS ? rc : status));
    return {};
  }
  if (clBuildProgram(program.get(), 1, &device_.device, options.c_str(), nullptr, nullptr) != CL_SUCCESS) {
    *why = "the driver could not build the binary";
    return {};
  }
  return program;
}

void ProgramCache::store_binary(const std::string& path, const std::string& key, cl_program program) {
  // PoCL produces the binary on request and crashes when that runs out of address space; the cache
  // is optional, so skip it rather than risk the process.
  if (!address_space_available(kOpenClBuildMargin)) {
    last_rejection_ = fmt::format("program cache entry '{}' not written: address space is low", path);
    return;
  }
  size_t size = 0;
  if (clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, sizeof(size), &size, nullptr) != CL_SUCCESS ||
      size == 0)
    return;  // the device offers no binaries: nothing to cache
  std::vector<unsigned char> bin(size);
  unsigned char* ptr = bin.data();
  if (clGetProgramInfo(program, CL_PROGRAM_BINARIES, sizeof(ptr), &ptr, nullptr) != CL_SUCCESS) return;
  std::string tmp = fmt::format("{}.tmp{}", path, static_cast<const void*>(this));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (f) {
      f << format_cache_entry(key, std::string_view(reinterpret_cast<const char*>(bin.data()), size));
      f.flush();
    }
    if (!f) {
      std::remove(tmp.c_str());
      disable_disk("cannot write " + tmp);
      return;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    // Something we cannot replace sits at that name (a directory, say): this program stays
    // uncached; the others still use the disk.
    std::remove(tmp.c_str());
    last_rejection_ =
        fmt::format("program cache entry '{}' cannot be replaced: {}", path, std::strerror(errno));
  }
}

}  // namespace octet
