// octet's environment variables, read one way: unset or empty means "not given", and any other
// value that is not valid for the variable is an error (kInvalidArgument naming the variable, its
// value and what it accepts) rather than silently ignored.
//
//   if (env_flag("OCTET_GUARD")) ...                    // 1/true/on/yes or 0/false/off/no
//   if (auto mb = env_int("OCTET_MEMORY_LIMIT_MB", 1, 1 << 30)) ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace octet {

std::optional<std::string> env_string(const char* name);
bool env_flag(const char* name);
std::optional<int64_t> env_int(const char* name, int64_t min, int64_t max);

// Environment values known to make an OpenCL driver abort the process on first use (PoCL aborts
// when POCL_CACHE_DIR is set but empty); the reason to stay away from OpenCL, or "" when none.
std::string opencl_environment_hazard();

}  // namespace octet
