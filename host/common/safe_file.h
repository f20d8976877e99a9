// Opening files that a user or another process controls without ever blocking or exhausting
// memory: a FIFO, a character device, a directory or (where asked) a symlink is refused before any
// read, and the size is checked against a cap before allocating.
//
//   RegularFile f = open_regular_file(path, "model", {});        // throws naming `path`
//   std::vector<uint8_t> bytes = read_regular_file(path, "model", {});
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace octet {

struct FileLimits {
  bool follow_symlinks = true;        // false: a symlink at `path` itself is refused (O_NOFOLLOW)
  uint64_t max_bytes = ~uint64_t{0};  // larger files are refused before reading
};

// An open regular file (fd owned; closed by the destructor) and its size when opened.
class RegularFile {
 public:
  RegularFile(int fd, uint64_t size) : fd_(fd), size_(size) {}
  ~RegularFile();
  RegularFile(RegularFile&& other) noexcept : fd_(other.fd_), size_(other.size_) { other.fd_ = -1; }
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;
  RegularFile& operator=(RegularFile&&) = delete;

  int fd() const { return fd_; }
  uint64_t size() const { return size_; }
  // Gives up ownership of the descriptor.
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Opens `path` read-only without blocking (O_NONBLOCK, so a FIFO with no writer cannot hang the
// open), then refuses anything but a regular file (fstat on the descriptor, not the name), and
// files above `limits.max_bytes`. Errors: kNotFound (no such file), kInvalidArgument (not a regular
// file, a symlink when refused, too large, permission denied), each naming `what` and `path`.
RegularFile open_regular_file(const std::string& path, const char* what, const FileLimits& limits);

// The whole file (open_regular_file's checks, then every byte; a file that changes size while being
// read is an error). kOutOfMemory when the bytes cannot be allocated.
std::vector<uint8_t> read_regular_file(const std::string& path, const char* what, const FileLimits& limits);

}  // namespace octet
