// Helpers for the io tests: hand-built .npy byte strings, fixture paths, temp files, error checks.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/io/npy.h"

namespace octet::test {

using Bytes = std::vector<uint8_t>;

inline std::string fixture(const std::string& name) {
  return std::string(OCTET_SOURCE_DIR) + "/tests/unit/io/data/" + name;
}

inline Bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

inline void write_bytes(const std::string& path, const Bytes& b) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

// A fresh empty directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            (std::string("octet_io_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  size_t entry_count() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(path_), {}));
  }

 private:
  std::filesystem::path path_;
};

// magic, version major.0, little-endian header length (u16 for 1.x, u32 otherwise), header, data.
inline Bytes npy_bytes(int major, const std::string& header, const Bytes& data = {}, int minor = 0) {
  Bytes b = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), static_cast<uint8_t>(minor)};
  const int len_bytes = major == 1 ? 2 : 4;
  for (int i = 0; i < len_bytes; ++i) b.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  b.insert(b.end(), header.begin(), header.end());
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

// A v1.0 file with the standard dict for `descr` and `shape_text`, e.g. ("<f4", "(2, 3)").
inline Bytes npy_v1(const std::string& descr, const std::string& shape_text, size_t data_bytes) {
  const std::string header =
      "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape_text + ", }\n";
  return npy_bytes(1, header, Bytes(data_bytes, 0));
}

inline Tensor parse(const Bytes& b, const std::string& name = "x.npy") {
  return parse_npy(b.data(), b.size(), name);
}

// Expects `fn` to throw octet::Error with `code` and every string of `parts` in the message.
template <typename Fn>
void expect_error(Fn&& fn, ErrorCode code, std::initializer_list<const char*> parts) {
  try {
    fn();
    ADD_FAILURE() << "no error thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    for (const char* p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
  }
}

// parse() of `b` must fail with kInvalidArgument naming x.npy and mentioning every part.
inline void expect_rejected(const Bytes& b, std::initializer_list<const char*> parts) {
  SCOPED_TRACE(std::string(b.begin(), b.end()));
  expect_error([&] { parse(b); }, ErrorCode::kInvalidArgument, {"'x.npy'"});
  expect_error([&] { parse(b); }, ErrorCode::kInvalidArgument, parts);
}

}  // namespace octet::test
