// Internal: small checked file helpers for the .npy and raw readers and the atomic writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace octet {
namespace io_detail {

// A regular file open for reading. Throws Error(kNotFound) if it does not exist and
// Error(kInvalidArgument) if it cannot be opened or is not a regular file.
class InputFile {
 public:
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // The size when opened.
  uint64_t size() const { return size_; }
  // Reads exactly `bytes` bytes at the current position; throws if the file ends early.
  void read(void* dst, size_t bytes);
  // Throws if the file has grown since it was opened and the reader is not at its end.
  void expect_end();

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  uint64_t size_ = 0;
};

// Writes `size` bytes to a temporary file in the same directory, then renames it over `path`.
// Throws Error(kInvalidArgument) naming the file and the system error.
void write_file_atomically(const std::string& path, const void* data, size_t size);

}  // namespace io_detail
}  // namespace octet
