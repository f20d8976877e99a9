// The tuning file (see tuning_store.h). Format, one entry per line after a magic line:
//   OCTETTUNE1
//   <FNV-1a 64 of the rest of the line, 16 hex>\t<device>\t<driver>\t<source hash>\t<shape>\t
//     <MWG,NWG,KWG,MWI,NWI,SPLIT>\t<time us>
// A line whose checksum, field count or numbers do not verify is dropped on its own.
#include "runtime/opencl/tuning_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "host/common/error.h"
#include "host/common/safe_file.h"
#include "runtime/opencl/cache_entry.h"

namespace octet {
namespace {

constexpr const char* kMagic = "OCTETTUNE1";
constexpr uint64_t kMaxFileBytes = uint64_t{16} << 20;

// Tabs and newlines would break the line format; device strings never hold them in practice.
std::string clean(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

bool parse_positive(const std::string& s, int* v) {
  if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  *v = std::stoi(s);
  return *v > 0;
}

std::optional<TuningEntry> parse_line(const std::string& line) {
  if (line.size() < 18 || line[16] != '\t') return std::nullopt;
  const std::string body = line.substr(17);
  if (fmt::format("{:016x}", fnv1a64(body)) != line.substr(0, 16)) return std::nullopt;
  const std::vector<std::string> f = split(body, '\t');
  if (f.size() != 6) return std::nullopt;
  TuningEntry e;
  e.key = {f[0], f[1], f[2], f[3]};
  const std::vector<std::string> p = split(f[4], ',');
  if (p.size() != 6) return std::nullopt;
  for (int i = 0; i < 6; ++i)
    if (!parse_positive(p[i], &e.params[i])) return std::nullopt;
  char* end = nullptr;
  e.time_us = std::strtod(f[5].c_str(), &end);
  if (end == f[5].c_str() || *end != '\0') return std::nullopt;
  return e;
}

struct Cached {
  int64_t size = -1, mtime_ns = -1, inode = -1;
  std::vector<TuningEntry> entries;
};
std::mutex g_mutex;
std::map<std::string, Cached> g_files;

bool stat_file(const std::string& path, int64_t* size, int64_t* mtime_ns, int64_t* inode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  *size = st.st_size;
  *inode = static_cast<int64_t>(st.st_ino);
  *mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return true;
}

std::vector<TuningEntry> read_entries(const std::string& path) {
  try {
    const std::vector<uint8_t> bytes =
        read_regular_file(path, "tuning file", FileLimits{false, kMaxFileBytes});
    return parse_tuning_file(std::string(bytes.begin(), bytes.end()));
  } catch (const Error&) {
    return {};  // missing, unreadable, a symlink or huge: no tuned parameters
  }
}

}  // namespace

std::string tuning_file(const std::string& dir) {
  return dir.empty() ? std::string() : dir + "/tuning.tsv";
}

std::vector<TuningEntry> parse_tuning_file(const std::string& text, int* rejected) {
  std::vector<TuningEntry> out;
  int bad = 0;
  std::vector<std::string> lines = split(text, '\n');
  // Only lines ended by a newline count: a file cut short loses its last line, nothing else.
  if (!lines.back().empty()) ++bad;
  lines.pop_back();
  if (lines.empty() || lines.front() != kMagic) {
    if (rejected) *rejected = text.empty() ? 0 : 1;
    return out;
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    if (auto e = parse_line(lines[i]))
      out.push_back(std::move(*e));
    else
      ++bad;
  }
  if (rejected) *rejected = bad;
  return out;
}

std::string format_tuning_file(const std::vector<TuningEntry>& entries) {
  std::string out = std::string(kMagic) + "\n";
  for (const TuningEntry& e : entries) {
    const std::string body =
        fmt::format("{}\t{}\t{}\t{}\t{},{},{},{},{},{}\t{:.3f}", clean(e.key.device), clean(e.key.driver),
                    clean(e.key.source_hash), clean(e.key.shape), e.params[0], e.params[1], e.params[2],
                    e.params[3], e.params[4], e.params[5], e.time_us);
    out += fmt::format("{:016x}\t{}\n", fnv1a64(body), body);
  }
  return out;
}

std::optional<TuningEntry> tuning_lookup(const std::string& dir, const TuningKey& key) {
  const std::string path = tuning_file(dir);
  if (path.empty()) return std::nullopt;
  try {
    int64_t size = 0, mtime = 0, inode = 0;
    if (!stat_file(path, &size, &mtime, &inode)) return std::nullopt;
    std::lock_guard<std::mutex> lock(g_mutex);
    Cached& c = g_files[path];
    if (c.size != size || c.mtime_ns != mtime || c.inode != inode) {
      c.entries = read_entries(path);
      c.size = size;
      c.mtime_ns = mtime;
      c.inode = inode;
    }
    TuningKey k{clean(key.device), clean(key.driver), clean(key.source_hash), clean(key.shape)};
    for (const TuningEntry& e : c.entries)
      if (e.key == k) return e;
  } catch (const std::exception&) {
    // Never fail a load over the tuning file.
  }
  return std::nullopt;
}

void tuning_store(const std::string& dir, const std::vector<TuningEntry>& entries) {
  const std::string path = tuning_file(dir);
  if (path.empty())
    raise(ErrorCode::kInvalidArgument,
          "no directory for tuning results: set cache_dir (or $OCTET_CACHE_DIR), next to the program cache");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::vector<TuningEntry> all = read_entries(path);
  for (const TuningEntry& e : entries) {
    TuningEntry c = e;
    c.key = {clean(e.key.device), clean(e.key.driver), clean(e.key.source_hash), clean(e.key.shape)};
    bool replaced = false;
    for (TuningEntry& old : all)
      if (old.key == c.key) old = c, replaced = true;
    if (!replaced) all.push_back(c);
  }
  const std::string tmp = fmt::format("{}.tmp{}", path, static_cast<long>(::getpid()));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (f) {
      f << format_tuning_file(all);
      f.flush();
    }
    if (!f) {
      std::remove(tmp.c_str());
      raise(ErrorCode::kNotFound, "cannot write the tuning file '{}': {}", tmp, std::strerror(errno));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    raise(ErrorCode::kNotFound, "cannot replace the tuning file '{}': {}", path, why);
  }
  std::lock_guard<std::mutex> lock(g_mutex);
  g_files.erase(path);  // reread on the next lookup
}

}  // namespace octet
