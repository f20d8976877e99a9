// libFuzzer target for the program cache entry parser (runtime/opencl/cache_entry.h): any bytes are
// either refused with a reason or verified; a verified entry round-trips through format_cache_entry.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "runtime/opencl/cache_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view entry(reinterpret_cast<const char*>(data), size);
  // The key the loader would ask for: taken from the entry's own header region when it has one, so
  // the fuzzer can reach the checksum and length checks, and a fixed one otherwise.
  std::string key = "eltwise_f32.cl\n0123456789abcdef\n-DT=float\ndevice\ndriver";
  const size_t nl = entry.find('\n');
  if (nl != std::string_view::npos && nl + 1 < entry.size())
    key = std::string(entry.substr(nl + 1, (size % 61) + 1));
  std::string why;
  const std::string_view binary = octet::parse_cache_entry(entry, key, &why);
  if (binary.empty()) {
    if (why.empty()) std::abort();  // every refusal names its reason
    return 0;
  }
  if (octet::format_cache_entry(key, binary) != entry) std::abort();  // verified means well-formed
  return 0;
}
