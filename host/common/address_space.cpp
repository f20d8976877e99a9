// Address-space probes before calls into libraries that crash when it runs out (address_space.h).
#include "host/common/address_space.h"

#include <sys/mman.h>

#include "host/common/error.h"

namespace octet {

bool address_space_available(size_t bytes) {
  // PROT_NONE + MAP_NORESERVE costs no memory, only address space: exactly what RLIMIT_AS counts.
  void* p = ::mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return false;
  ::munmap(p, bytes);
  return true;
}

void reserve_address_space(size_t bytes, const char* what) {
  if (!address_space_available(bytes))
    raise(ErrorCode::kOutOfMemory,
          "{}: less than {} MiB of address space is left (a ulimit -v or container limit?); refusing to call "
          "into a library that would crash rather than report it",
          what, bytes >> 20);
}

}  // namespace octet
