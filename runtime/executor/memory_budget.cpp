// Memory budget from the environment or the machine's physical memory.
#include "runtime/executor/memory_budget.h"

#include <unistd.h>

#include <cstdlib>
#include <limits>

#include "host/common/env.h"
#include "host/common/error.h"

namespace octet {

size_t memory_budget_bytes() {
  // A bad value (abc, 0, -5) is an error, not a silently ignored limit.
  if (const auto mb = env_int("OCTET_MEMORY_LIMIT_MB", 1, int64_t{1} << 40))
    return static_cast<size_t>(*mb) << 20;
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return std::numeric_limits<size_t>::max();
  return static_cast<size_t>(pages) / 4 * 3 * static_cast<size_t>(page_size);
}

void check_memory_budget(size_t bytes, const char* what) {
  const size_t budget = memory_budget_bytes();
  if (bytes > budget) {
    raise(ErrorCode::kOutOfMemory,
          "{} needs {} MiB, above the memory budget of {} MiB (set OCTET_MEMORY_LIMIT_MB to change it)", what,
          bytes >> 20, budget >> 20);
  }
}

}  // namespace octet
