// libFuzzer target for the strict .npy parser: any input must either parse or throw octet::Error.
//
// Each input is also written to a scratch file and read with read_npy_file, whose buffered path
// must agree with parse_npy: the same tensor, or an error for both.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "host/common/error.h"
#include "host/io/npy.h"

namespace {

const std::string& scratch_path() {
  // tmpfs where there is one: the file round trip dominates the time per input otherwise.
  static const std::string dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  static const std::string path = dir + "/octet_fuzz_npy_" + std::to_string(getpid()) + ".npy";
  return path;
}

bool write_scratch(const uint8_t* data, size_t size) {
  std::FILE* f = std::fopen(scratch_path().c_str(), "wb");
  if (!f) return false;
  const bool ok = size == 0 || std::fwrite(data, 1, size, f) == size;
  return std::fclose(f) == 0 && ok;
}

bool same(const octet::Tensor& a, const octet::Tensor& b) {
  return a.type() == b.type() && a.shape() == b.shape() && a.byte_size() == b.byte_size() &&
         (a.byte_size() == 0 || std::memcmp(a.data(), b.data(), a.byte_size()) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  octet::Tensor parsed;
  bool parsed_ok = false;
  try {
    parsed = octet::parse_npy(data, size, "fuzz.npy");
    parsed_ok = true;
    // What parsed serializes back to a file that parses to the same tensor.
    const std::vector<uint8_t> again = octet::serialize_npy(parsed);
    if (!same(octet::parse_npy(again.data(), again.size(), "again.npy"), parsed)) std::abort();
  } catch (const octet::Error&) {
    if (parsed_ok) std::abort();  // a parsed tensor must always re-serialize
  }
  if (!write_scratch(data, size)) return 0;
  try {
    const octet::Tensor from_file = octet::read_npy_file(scratch_path());
    if (!parsed_ok || !same(from_file, parsed)) std::abort();
  } catch (const octet::Error&) {
    if (parsed_ok) std::abort();
  }
  return 0;
}
