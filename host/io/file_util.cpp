// Checked file reading and temp-file-then-rename writing for the io library.
#include "host/io/file_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "host/common/error.h"
#include "host/common/safe_file.h"

namespace octet {
namespace io_detail {

InputFile::InputFile(const std::string& path) : path_(path) {
  // open_regular_file never blocks (a FIFO given as an .npy input would hang fopen) and refuses
  // anything but a regular file before reading.
  RegularFile opened = open_regular_file(path, "file", FileLimits{});
  size_ = opened.size();
  file_ = ::fdopen(opened.fd(), "rb");
  if (!file_) raise(ErrorCode::kInvalidArgument, "'{}': cannot open: {}", path, std::strerror(errno));
  opened.release();  // the FILE owns the descriptor now
}

InputFile::~InputFile() {
  if (file_) std::fclose(file_);
}

void InputFile::read(void* dst, size_t bytes) {
  if (bytes == 0) return;
  const size_t got = std::fread(dst, 1, bytes, file_);
  if (got != bytes) {
    if (std::ferror(file_))
      raise(ErrorCode::kInvalidArgument, "'{}': read error: {}", path_, std::strerror(errno));
    raise(ErrorCode::kInvalidArgument, "'{}': file shrank while being read", path_);
  }
}

void InputFile::expect_end() {
  if (std::fgetc(file_) != EOF) raise(ErrorCode::kInvalidArgument, "'{}': file grew while being read", path_);
}

void write_file_atomically(const std::string& path, const void* data, size_t size) {
  static std::atomic<unsigned> counter{0};
  const std::string temp = fmt::format("{}.tmp-{}-{}", path, static_cast<long>(getpid()), counter++);
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (!f) raise(ErrorCode::kInvalidArgument, "'{}': cannot create: {}", temp, std::strerror(errno));
  bool ok = size == 0 || std::fwrite(data, 1, size, f) == size;
  int err = ok ? 0 : errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && std::rename(temp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    std::remove(temp.c_str());
    raise(ErrorCode::kInvalidArgument, "'{}': cannot write: {}", path, std::strerror(err));
  }
}

}  // namespace io_detail
}  // namespace octet
