// Issue 12, section 2: a FIFO, device or directory given as a model, weights or .npy input is refused
// before any read (a FIFO with no writer used to block fopen/ifstream forever). An alarm turns a
// hang into a failure instead of a stuck test run.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include "host/common/error.h"
#include "host/common/safe_file.h"
#include "host/io/npy.h"
#include "host/ir/ir_reader.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

class NonRegularFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("octet_nonregular_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    fifo_ = (dir_ / "pipe").string();
    ASSERT_EQ(mkfifo(fifo_.c_str(), 0600), 0);
    alarm(30);  // a blocking open would otherwise hang the whole test binary
  }
  void TearDown() override {
    alarm(0);
    fs::remove_all(dir_);
  }
  template <class Fn>
  static std::string error_of(Fn&& fn, ErrorCode* code) {
    try {
      fn();
    } catch (const Error& e) {
      *code = e.code();
      return e.what();
    }
    *code = ErrorCode::kInternal;
    return "no error";
  }
  fs::path dir_;
  std::string fifo_;
};

TEST_F(NonRegularFiles, ModelXmlThatIsAFifoIsRefusedWithoutBlocking) {
  ErrorCode code{};
  const std::string what = error_of([&] { read_ir_file(fifo_); }, &code);
  EXPECT_EQ(code, ErrorCode::kNotFound) << what;
  EXPECT_NE(what.find("FIFO"), std::string::npos) << what;
  EXPECT_NE(what.find(fifo_), std::string::npos) << what;
}

TEST_F(NonRegularFiles, WeightsThatAreAFifoOrADirectoryAreRefused) {
  const std::string xml = (dir_ / "m.xml").string();
  std::ofstream(xml) << "<net version=\"11\"><layers/><edges/></net>";
  ErrorCode code{};
  std::string what = error_of([&] { read_ir_file(xml, fifo_); }, &code);
  EXPECT_EQ(code, ErrorCode::kNotFound) << what;
  EXPECT_NE(what.find("FIFO"), std::string::npos) << what;
  // The default weights path (m.bin) being a FIFO is "present but unusable", not "missing".
  ASSERT_EQ(mkfifo((dir_ / "m.bin").c_str(), 0600), 0);
  what = error_of([&] { read_ir_file(xml); }, &code);
  EXPECT_NE(what.find("FIFO"), std::string::npos) << what;
  what = error_of([&] { read_ir_file(xml, dir_.string()); }, &code);
  EXPECT_NE(what.find("directory"), std::string::npos) << what;
}

TEST_F(NonRegularFiles, NpyInputsThatAreNotRegularFilesAreRefused) {
  for (const std::string& path : {fifo_, std::string("/dev/zero"), dir_.string()}) {
    ErrorCode code{};
    const std::string what = error_of([&] { read_npy_file(path); }, &code);
    EXPECT_EQ(code, ErrorCode::kInvalidArgument) << path << ": " << what;
    EXPECT_NE(what.find("not a regular file"), std::string::npos) << what;
  }
}

TEST_F(NonRegularFiles, SymlinksAndSizeCapsWhenAsked) {
  const std::string target = (dir_ / "t.bin").string();
  std::ofstream(target) << "0123456789";
  const std::string link = (dir_ / "link").string();
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  EXPECT_EQ(read_regular_file(link, "file", FileLimits{}).size(), 10u);  // followed by default
  ErrorCode code{};
  std::string what = error_of([&] { read_regular_file(link, "cache entry", FileLimits{false, 100}); }, &code);
  EXPECT_EQ(code, ErrorCode::kInvalidArgument);
  EXPECT_NE(what.find("symbolic link"), std::string::npos) << what;
  what = error_of([&] { read_regular_file(target, "cache entry", FileLimits{true, 9}); }, &code);
  EXPECT_NE(what.find("above the limit of 9"), std::string::npos) << what;
  EXPECT_EQ(read_regular_file(target, "cache entry", FileLimits{true, 10}).size(), 10u);
}

}  // namespace
}  // namespace octet
