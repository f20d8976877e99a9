// The on-disk program cache: a second backend on the same cache directory loads every program
// binary instead of building it, a damaged entry is rebuilt, an unusable directory only disables
// the cache. Prints cold vs warm compile + first-inference times of cnn_fp32.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "host/io/npy.h"
#include "host/ir/ir_reader.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
const fs::path kModel = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo" / "cnn_fp32";

// A fresh, empty directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ =
        fs::temp_directory_path() /
        ("octet-ocl-cache-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

size_t count_entries(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".clbin";
  return n;
}

// Compiles cnn_fp32 on `gpu` (CPU fallback allowed), runs one inference and checks the output
// against OpenVINO's. Returns the wall time of compile + first inference in ms.
double compile_and_infer(const std::shared_ptr<OpenClBackend>& gpu) {
  static std::shared_ptr<Backend> cpu = make_onednn_backend(BackendOptions{});
  const auto start = std::chrono::steady_clock::now();
  auto model =
      CompiledModel::compile(read_ir_file((kModel / "model.xml").string()), gpu, cpu, CompileConfig{});
  auto request = model->create_request();
  const auto info = nlohmann::json::parse(std::ifstream(kModel / "model_info.json"));
  for (const auto& in : info["inputs"])
    request->set_input(in["name"].get<std::string>(),
                       read_npy_file((kModel / in["file"].get<std::string>()).string()));
  request->infer();
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  for (const auto& out : info["outputs"]) {
    const Tensor ref = read_npy_file((kModel / out["file"].get<std::string>()).string());
    const Tensor& got = request->output(out["name"].get<std::string>());
    double max_ref = 0;
    for (int64_t i = 0; i < ref.element_count(); ++i)
      max_ref = std::max(max_ref, std::fabs(ref.get_as_double(i)));
    for (int64_t i = 0; i < ref.element_count(); ++i)
      EXPECT_NEAR(got.get_as_double(i), ref.get_as_double(i), 1e-4 * max_ref + 1e-5) << i;
  }
  return ms;
}

TEST(OpenClProgramCache, SecondBackendLoadsBinaries) {
  OCTET_REQUIRE_OPENCL(shared);
  TempDir dir;
  BackendOptions options;
  options.cache_dir = dir.path().string();

  auto cold = OpenClBackend::create("GPU", options);
  ASSERT_TRUE(cold->programs().disk_enabled()) << cold->description();
  const double cold_ms = compile_and_infer(cold);
  const int built = cold->programs().source_builds();
  EXPECT_GT(built, 3);
  EXPECT_EQ(cold->programs().disk_hits(), 0);
  ASSERT_EQ(count_entries(dir.path()), static_cast<size_t>(built)) << "one binary per built program";

  auto warm = OpenClBackend::create("GPU", options);
  const double warm_ms = compile_and_infer(warm);
  EXPECT_EQ(warm->programs().source_builds(), 0);
  EXPECT_EQ(warm->programs().disk_hits(), built);
  std::printf(
      "[ocl-cache] cnn_fp32 compile + first inference: cold %.0f ms (%d programs built), warm %.0f ms "
      "(%d loaded from %s)\n",
      cold_ms, built, warm_ms, warm->programs().disk_hits(), dir.path().c_str());

  // A damaged entry is rebuilt from source (and rewritten); the others still load.
  fs::path victim = fs::directory_iterator(dir.path())->path();
  std::ofstream(victim, std::ios::binary | std::ios::trunc) << "OCTETCL1 garbage";
  auto repaired = OpenClBackend::create("GPU", options);
  compile_and_infer(repaired);
  EXPECT_EQ(repaired->programs().source_builds(), 1);
  EXPECT_EQ(repaired->programs().disk_hits(), built - 1);
  EXPECT_EQ(count_entries(dir.path()), static_cast<size_t>(built));
}

TEST(OpenClProgramCache, UnusableDirectoryOnlyDisablesTheCache) {
  OCTET_REQUIRE_OPENCL(shared);
  TempDir dir;
  const fs::path file = dir.path() / "not-a-directory";
  std::ofstream(file) << "x";
  BackendOptions options;
  options.cache_dir = (file / "cache").string();  // below a regular file: cannot be created
  auto gpu = OpenClBackend::create("GPU", options);
  EXPECT_FALSE(gpu->programs().disk_enabled());
  EXPECT_NE(gpu->description().find("disabled"), std::string::npos) << gpu->description();
  compile_and_infer(gpu);
  EXPECT_GT(gpu->programs().source_builds(), 0);
}

}  // namespace
}  // namespace octet
