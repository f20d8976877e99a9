// Strict reading of octet's environment variables (see env.h).
#include "host/common/env.h"

#include <cstdlib>

#include "host/common/error.h"
#include "host/common/text.h"
#include "host/graph/attributes.h"

namespace octet {

std::optional<std::string> env_string(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

bool env_flag(const char* name) {
  const auto v = env_string(name);
  if (!v) return false;
  const std::string s = lower(trim(*v));
  if (s == "1" || s == "true" || s == "on" || s == "yes") return true;
  if (s == "0" || s == "false" || s == "off" || s == "no") return false;
  raise(ErrorCode::kInvalidArgument, "{}='{}' is not a flag: use 1 or 0 (or unset it)", name, *v);
}

std::optional<int64_t> env_int(const char* name, int64_t min, int64_t max) {
  const auto v = env_string(name);
  if (!v) return std::nullopt;
  const auto n = parse_int64(*v);
  if (!n || *n < min || *n > max)
    raise(ErrorCode::kInvalidArgument, "{}='{}' is not an integer in [{}, {}] (or unset it)", name, *v, min,
          max);
  return n;
}

std::string opencl_environment_hazard() {
  const char* pocl_cache = std::getenv("POCL_CACHE_DIR");
  if (pocl_cache && !*pocl_cache)
    return "POCL_CACHE_DIR is set but empty, which makes PoCL abort the process; unset it or name a "
           "directory";
  return "";
}

}  // namespace octet
