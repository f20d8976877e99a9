// Memory budget from the environment or the machine's physical memory.
#include "runtime/executor/memory_budget.h"

#include <unistd.h>

#include <cstdlib>
#include <limits>

#include "host/common/error.h"
#include "host/graph/attributes.h"

namespace octet {

size_t memory_budget_bytes() {
  if (const char* env = std::getenv("OCTET_MEMORY_LIMIT_MB")) {
    const auto mb = parse_int64(env);
    if (mb && *mb > 0 && static_cast<uint64_t>(*mb) < (std::numeric_limits<size_t>::max() >> 20)) {
      return static_cast<size_t>(*mb) << 20;
    }
  }
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
