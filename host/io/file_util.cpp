// Checked file reading and temp-file-then-rename writing for the io library.
#include "host/io/file_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "host/common/error.h"

namespace octet {
namespace io_detail {

InputFile::InputFile(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) {
    const int err = errno;
    if (err == ENOENT) raise(ErrorCode::kNotFound, "'{}': no such file", path);
    raise(ErrorCode::kInvalidArgument, "'{}': cannot open: {}", path, std::strerror(err));
  }
  // fstat on the open descriptor, so the size belongs to the file actually read.
  struct stat st {};
  if (fstat(fileno(file_), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fclose(file_);
    file_ = nullptr;
    raise(ErrorCode::kInvalidArgument, "'{}': not a regular file", path);
  }
  size_ = static_cast<uint64_t>(st.st_size);
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
