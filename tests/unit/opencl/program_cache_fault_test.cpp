// Issue 12, section 1: a program cache entry that is damaged, foreign or not a regular file never
// reaches the driver (PoCL aborts or crashes on altered binaries) and never blocks: it is rebuilt
// from source, replaced where possible, and reported in the backend's note.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "runtime/opencl/cache_entry.h"
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

class ProgramCacheFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("octet-cache-faults-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir_);
    alarm(120);  // a FIFO entry that blocked the load would hang here
  }
  void TearDown() override {
    alarm(0);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A backend on the cache directory that runs one Relu (one program); returns it after checking
  // the output against the reference.
  std::shared_ptr<OpenClBackend> run_relu() {
    BackendOptions options;
    options.cache_dir = dir_.string();
    auto backend = OpenClBackend::create("GPU", options);
    test::OpCase c(OpKind::kRelu);
    c.input(test::random_tensor({5}, 7));
    Node& node = c.finish();
    const auto out = test::run_on_device(*backend, node, c.inputs());
    for (int64_t i = 0; i < 5; ++i)
      EXPECT_EQ(out[0].data_as<float>()[i], std::max(0.0f, c.inputs()[0].data_as<float>()[i]));
    return backend;
  }

  fs::path only_entry() {
    fs::path found;
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.path().extension() == ".clbin") found = e.path();
    return found;
  }

  // Damages the one entry with `damage`, then expects the next backend to rebuild from source,
  // note `reason`, and (when `replaced`) leave a good entry that a third backend loads.
  void expect_rebuilt(const std::function<void(const fs::path&)>& damage, const std::string& reason,
                      bool replaced = true) {
    const fs::path entry = only_entry();
    ASSERT_FALSE(entry.empty());
    damage(entry);
    auto second = run_relu();
    EXPECT_EQ(second->programs().source_builds(), 1);
    EXPECT_EQ(second->programs().disk_hits(), 0);
    EXPECT_NE(second->programs().note().find(reason), std::string::npos) << second->programs().note();
    if (!replaced) return;
    auto third = run_relu();
    EXPECT_EQ(third->programs().source_builds(), 0) << third->programs().note();
    EXPECT_EQ(third->programs().disk_hits(), 1);
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(entry)));
  }

  fs::path dir_;
};

TEST_F(ProgramCacheFaults, AGoodEntryLoadsWithoutABuild) {
  OCTET_REQUIRE_OPENCL(shared);
  auto first = run_relu();
  EXPECT_EQ(first->programs().source_builds(), 1);
  auto second = run_relu();
  EXPECT_EQ(second->programs().source_builds(), 0);
  EXPECT_EQ(second->programs().disk_hits(), 1);
  EXPECT_EQ(second->programs().rejected_entries(), 0);
}

TEST_F(ProgramCacheFaults, TruncatedEntry) {
  OCTET_REQUIRE_OPENCL(shared);
  run_relu();
  expect_rebuilt([](const fs::path& p) { write_bytes(p, read_bytes(p).substr(0, read_bytes(p).size() / 2)); },
                 "length mismatch");
}

TEST_F(ProgramCacheFaults, FlippedBinaryByte) {
  OCTET_REQUIRE_OPENCL(shared);
  run_relu();
  expect_rebuilt(
      [](const fs::path& p) {
        std::string b = read_bytes(p);
        b[b.size() - 3] ^= 0x5a;  // inside the device binary: only the checksum can tell
        write_bytes(p, b);
      },
      "checksum mismatch");
}

TEST_F(ProgramCacheFaults, FlippedHeaderByte) {
  OCTET_REQUIRE_OPENCL(shared);
  run_relu();
  expect_rebuilt(
      [](const fs::path& p) {
        std::string b = read_bytes(p);
        b[9] = b[9] == '9' ? '1' : '9';  // first digit of the key length
        write_bytes(p, b);
      },
      "program cache entry");
}

TEST_F(ProgramCacheFaults, ZeroLengthEntry) {
  OCTET_REQUIRE_OPENCL(shared);
  run_relu();
  expect_rebuilt([](const fs::path& p) { write_bytes(p, ""); }, "bad magic");
}

TEST_F(ProgramCacheFaults, HugeEntryIsRefusedBeforeReading) {
  OCTET_REQUIRE_OPENCL(shared);
  run_relu();
  expect_rebuilt([](const fs::path& p) { fs::resize_file(p, uint64_t{300} << 20); },  // sparse
                 "above the limit");
}

TEST_F(ProgramCacheFaults, SymlinkedEntryIsRefused) {
  OCTET_REQUIRE_OPENCL(shared);
  run_relu();
  expect_rebuilt(
      [this](const fs::path& p) {
        const fs::path elsewhere = dir_ / "elsewhere.bin";
        fs::rename(p, elsewhere);  // a valid entry, but reached through a link
        fs::create_symlink(elsewhere, p);
      },
      "symbolic link");
}

TEST_F(ProgramCacheFaults, FifoEntryDoesNotBlock) {
  OCTET_REQUIRE_OPENCL(shared);
  run_relu();
  expect_rebuilt(
      [](const fs::path& p) {
        fs::remove(p);
        ASSERT_EQ(mkfifo(p.c_str(), 0600), 0);
      },
      "FIFO");
}

TEST_F(ProgramCacheFaults, DirectoryInPlaceOfAnEntry) {
  OCTET_REQUIRE_OPENCL(shared);
  run_relu();
  expect_rebuilt(
      [](const fs::path& p) {
        fs::remove(p);
        fs::create_directories(p / "inner");
      },
      "directory", /*replaced=*/false);  // a non-empty directory cannot be renamed over
  // The directory stays and later loads keep rebuilding that one program, quietly working.
  auto again = run_relu();
  EXPECT_EQ(again->programs().source_builds(), 1);
}

TEST_F(ProgramCacheFaults, UnreadableEntry) {
  OCTET_REQUIRE_OPENCL(shared);
  if (geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  run_relu();
  expect_rebuilt([](const fs::path& p) { fs::permissions(p, fs::perms::none); }, "Permission denied",
                 /*replaced=*/true);
}

TEST_F(ProgramCacheFaults, EntryOfAnotherDriverVersion) {
  OCTET_REQUIRE_OPENCL(shared);
  auto first = run_relu();
  const std::string driver = first->device().driver_version;
  ASSERT_FALSE(driver.empty());
  expect_rebuilt(
      [&](const fs::path& p) {
        // Same layout and a valid checksum, but the key names another driver version.
        std::string b = read_bytes(p);
        const size_t at = b.find(driver);
        ASSERT_NE(at, std::string::npos);
        b[at] = b[at] == '9' ? '8' : '9';
        write_bytes(p, b);
      },
      "another source, options, device or driver version");
}

// The entry format itself, without a device: every single-byte change and every truncation of a
// valid entry is refused with a reason.
TEST(CacheEntry, EveryByteFlipAndTruncationIsRefused) {
  const std::string key = "eltwise_f32.cl\n0123\n-DT=float\ndevice\ndriver 1.0";
  const std::string binary(300, '\x5a');
  const std::string entry = format_cache_entry(key, binary);
  std::string why;
  ASSERT_EQ(parse_cache_entry(entry, key, &why), binary) << why;
  for (size_t i = 0; i < entry.size(); ++i) {
    std::string bad = entry;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    why.clear();
    EXPECT_TRUE(parse_cache_entry(bad, key, &why).empty()) << "flip at " << i;
    EXPECT_FALSE(why.empty());
  }
  for (size_t n = 0; n < entry.size(); ++n) {
    why.clear();
    EXPECT_TRUE(parse_cache_entry(entry.substr(0, n), key, &why).empty()) << "truncated to " << n;
    EXPECT_FALSE(why.empty());
  }
  EXPECT_TRUE(parse_cache_entry(entry + "x", key, &why).empty());
  EXPECT_TRUE(parse_cache_entry(entry, key + " ", &why).empty());
  EXPECT_NE(why.find("another source"), std::string::npos) << why;
}

// Found by fuzz_cache_entry: a header length spelled with a leading zero ("09" for 9) verified,
// although no entry octet writes looks like that. One spelling per entry: it is refused.
TEST(CacheEntry, LengthsWithALeadingZeroAreRefused) {
  const std::string key = "k", binary = "0123456789";
  const std::string entry = format_cache_entry(key, binary);
  const std::string header_tail = entry.substr(entry.find(' '));  // " 10 <checksum>\n..."
  std::string why;
  EXPECT_TRUE(parse_cache_entry("OCTETCL201" + header_tail, key, &why).empty());
  EXPECT_NE(why.find("malformed header"), std::string::npos) << why;
  const std::string zero_padded_binary_length = "OCTETCL21 010" + entry.substr(entry.find(' ', 10));
  why.clear();
  EXPECT_TRUE(parse_cache_entry(zero_padded_binary_length, key, &why).empty());
  EXPECT_NE(why.find("malformed header"), std::string::npos) << why;
}

}  // namespace
}  // namespace octet
