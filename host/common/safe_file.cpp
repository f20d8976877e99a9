// Non-blocking, type-checked, size-capped file opening and reading (see safe_file.h).
#include "host/common/safe_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "host/common/error.h"

namespace octet {
namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a regular file";
}

}  // namespace

RegularFile::~RegularFile() {
  if (fd_ >= 0) ::close(fd_);
}

RegularFile open_regular_file(const std::string& path, const char* what, const FileLimits& limits) {
  if (path.empty()) raise(ErrorCode::kNotFound, "cannot open {}: the path is empty", what);
  int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  if (!limits.follow_symlinks) flags |= O_NOFOLLOW;
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR)
      raise(ErrorCode::kNotFound, "cannot open {} '{}': no such file", what, path);
    if (err == ELOOP && !limits.follow_symlinks)
      raise(ErrorCode::kInvalidArgument, "cannot open {} '{}': it is a symbolic link, which is refused here",
            what, path);
    if (err == EISDIR)
      raise(ErrorCode::kInvalidArgument, "cannot open {} '{}': it is a directory", what, path);
    raise(ErrorCode::kInvalidArgument, "cannot open {} '{}': {}", what, path, std::strerror(err));
  }
  RegularFile file(fd, 0);  // closes fd if a check below raises
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    raise(ErrorCode::kInvalidArgument, "cannot open {} '{}': {}", what, path, std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    raise(ErrorCode::kInvalidArgument, "cannot open {} '{}': it is {}, not a regular file", what, path,
          kind_of(st.st_mode));
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > limits.max_bytes)
    raise(ErrorCode::kInvalidArgument, "cannot open {} '{}': {} bytes is above the limit of {} bytes", what,
          path, size, limits.max_bytes);
  // Regular files never block; blocking reads are simpler from here on.
  const int fl = ::fcntl(fd, F_GETFL);
  if (fl >= 0) ::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  return RegularFile(file.release(), size);
}

std::vector<uint8_t> read_regular_file(const std::string& path, const char* what, const FileLimits& limits) {
  RegularFile file = open_regular_file(path, what, limits);
  std::vector<uint8_t> bytes;
  try {
    bytes.resize(static_cast<size_t>(file.size()));
  } catch (const std::bad_alloc&) {
    raise(ErrorCode::kOutOfMemory, "cannot read {} '{}': {} bytes do not fit in memory", what, path,
          file.size());
  }
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::read(file.fd(), bytes.data() + done, bytes.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0)
      raise(ErrorCode::kInvalidArgument, "cannot read {} '{}': {}", what, path, std::strerror(errno));
    if (got == 0)
      raise(ErrorCode::kInvalidArgument, "cannot read {} '{}': the file shrank while being read", what, path);
    done += static_cast<size_t>(got);
  }
  uint8_t extra = 0;
  if (::read(file.fd(), &extra, 1) > 0)
    raise(ErrorCode::kInvalidArgument, "cannot read {} '{}': the file grew while being read", what, path);
  return bytes;
}

}  // namespace octet
