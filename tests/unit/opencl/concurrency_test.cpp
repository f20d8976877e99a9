// One compiled model shared by 8 threads, each with its own infer request, on the CPU backend and on
// the OpenCL device: every run's outputs are byte-identical to a sequential run (bad-inputs.md row 44).
// tools/sanitize.sh runs these under ThreadSanitizer.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "host/io/npy.h"
#include "host/ir/ir_reader.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"
#include "tests/unit/opencl/ocl_test_util.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
const fs::path kZoo = fs::path(OCTET_SOURCE_DIR) / "tests" / "zoo";

struct ZooInputs {
  std::vector<std::pair<std::string, Tensor>> tensors;
};

ZooInputs load_inputs(const fs::path& dir) {
  const auto info = nlohmann::json::parse(std::ifstream(dir / "model_info.json"));
  ZooInputs in;
  for (const auto& i : info["inputs"])
    in.tensors.emplace_back(i["name"].get<std::string>(),
                            read_npy_file((dir / i["file"].get<std::string>()).string()));
  return in;
}

std::vector<std::vector<uint8_t>> run_once(InferRequest& request, const CompiledModel& model,
                                           const ZooInputs& in) {
  for (const auto& [name, t] : in.tensors) request.set_input(name, t);
  request.infer();
  std::vector<std::vector<uint8_t>> out;
  for (size_t i = 0; i < model.outputs().size(); ++i) {
    const Tensor& t = request.output_at(i);
    const auto* p = static_cast<const uint8_t*>(t.data());
    out.emplace_back(p, p + t.byte_size());
  }
  return out;
}

void expect_threads_match_sequential(const std::shared_ptr<Backend>& primary, const std::string& zoo_model) {
  static std::shared_ptr<Backend> cpu = make_onednn_backend(BackendOptions{});
  const fs::path dir = kZoo / zoo_model;
  auto model =
      CompiledModel::compile(read_ir_file((dir / "model.xml").string()), primary, cpu, CompileConfig{});
  const ZooInputs in = load_inputs(dir);
  auto first = model->create_request();
  const auto expected = run_once(*first, *model, in);
  constexpr int kThreads = 8, kRuns = 4;
  std::atomic<int> mismatches{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      try {
        auto request = model->create_request();
        for (int r = 0; r < kRuns; ++r)
          if (run_once(*request, *model, in) != expected) ++mismatches;
      } catch (const std::exception&) {
        ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0) << zoo_model;
  EXPECT_EQ(mismatches.load(), 0) << zoo_model << ": " << mismatches << " of " << kThreads * kRuns
                                  << " runs differ";
}

TEST(Concurrency, EightThreadsShareOneCompiledModelOnTheCpu) {
  auto cpu = make_onednn_backend(BackendOptions{});
  for (const char* m : {"cnn_int8", "transformer_int8", "matmul_int4_asym_g32"})
    expect_threads_match_sequential(cpu, m);
}

TEST(Concurrency, EightThreadsShareOneCompiledModelOnOpenCl) {
  OCTET_REQUIRE_OPENCL(gpu);
  for (const char* m : {"cnn_int8", "transformer_int8", "matmul_int4_asym_g32"})
    expect_threads_match_sequential(gpu, m);
}

}  // namespace
}  // namespace octet
