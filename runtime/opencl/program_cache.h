// Kernel sources (embedded, or $OCTET_KERNEL_DIR) and the program cache: in memory, plus an
// on-disk binary cache that never makes a load fail.
//
//   ProgramCache cache(context, device, options.cache_dir);
//   cl_program p = cache.get("eltwise_f32.cl", "-DT=float");   // built once per (file, options)
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "runtime/opencl/cl_common.h"
#include "runtime/opencl/device.h"

namespace octet {

// The source of kernels/<file> with every `#include "common/x.clh"` expanded in place (so the
// hash covers included files). Reads $OCTET_KERNEL_DIR/<file> first when that variable is set.
// Throws Error(kNotFound).
std::string load_kernel_source(const std::string& file);

class ProgramCache {
 public:
  // `cache_dir` empty: $OCTET_CACHE_DIR, or no disk cache.
  ProgramCache(cl_context context, const DeviceInfo& device, std::string cache_dir);

  // A built program for (file, options); throws Error(kKernelBuildFailed) with the file name and
  // the first lines of the build log. The program lives as long as the cache.
  cl_program get(const std::string& file, const std::string& options);

  // Whether kernels/<file> builds one kernel at a time (it tests OCTET_SELECTIVE): then the
  // backend builds it with -DOCTET_SELECTIVE -DOCTET_SELECT_<kernel> per kernel.
  static bool selective(const std::string& file);

  int source_builds() const { return source_builds_; }
  int disk_hits() const { return disk_hits_; }
  int memory_hits() const { return memory_hits_; }
  bool disk_enabled() const { return !dir_.empty(); }
  // Entries found damaged, foreign or unreadable (and rebuilt from source) so far.
  int rejected_entries() const { return rejected_entries_; }
  // Why the disk cache is off (after a failure) and the last entry rejected, else "".
  std::string note() const {
    if (note_.empty()) return last_rejection_;
    return last_rejection_.empty() ? note_ : note_ + "; " + last_rejection_;
  }

 private:
  ocl::Program build_from_source(const std::string& file, const std::string& source,
                                 const std::string& options);
  ocl::Program load_binary(const std::string& path, const std::string& key, const std::string& options);
  // The program of a verified entry, or a null program with `why` set ("" for a plain miss).
  ocl::Program load_verified_binary(const std::string& path, const std::string& key,
                                    const std::string& options, std::string* why);
  void store_binary(const std::string& path, const std::string& key, cl_program program);
  void disable_disk(const std::string& why);

  cl_context context_;
  DeviceInfo device_;
  std::string dir_;
  std::string note_;
  std::mutex mutex_;
  std::map<std::string, ocl::Program> programs_;
  int source_builds_ = 0;
  int disk_hits_ = 0;
  int memory_hits_ = 0;
  int rejected_entries_ = 0;
  std::string last_rejection_;
};

}  // namespace octet
