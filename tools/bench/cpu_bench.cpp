// cpu_bench: latency of octet's oneDNN CPU backend (fast or reference precision) on zoo models,
// with benchmark_app-style figures; tools/bench/ov_bench.py runs it next to OpenVINO's CPU plugin.
//
//   cpu_bench [--precision fast|reference] [--niter 50] [--time 0] [--json] [-pc] MODEL_DIR|model.xml ...
//
// A model directory is a zoo case (model.xml, model_info.json, inputs/*.npy); a bare .xml gets
// random inputs. Prints one line per model, or one JSON object per line with --json.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "host/common/error.h"
#include "host/io/npy.h"
#include "host/ir/ir_reader.h"
#include "runtime/executor/compiled_model.h"
#include "runtime/onednn/onednn_backend.h"

namespace octet {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Args {
  Precision precision = Precision::kFast;
  int niter = 50;
  double seconds = 0;
  bool json = false;
  bool per_node = false;  // -pc: per-node implementation and fastest time over the runs
  std::vector<std::string> models;
};

int usage(const char* error) {
  if (error) std::fprintf(stderr, "cpu_bench: %s\n", error);
  std::fprintf(stderr,
               "usage: cpu_bench [--precision fast|reference] [--niter N] [--time SECONDS] [--json] [-pc] "
               "MODEL_DIR|model.xml ...\n");
  return 2;
}

// Inputs of a zoo case from model_info.json, else random values of each input's type and shape.
std::map<std::string, Tensor> load_inputs(const fs::path& dir, const CompiledModel& model) {
  std::map<std::string, Tensor> inputs;
  const fs::path info_path = dir / "model_info.json";
  if (fs::exists(info_path)) {
    std::ifstream f(info_path);
    const auto info = nlohmann::json::parse(f);
    for (const auto& in : info["inputs"])
      inputs[in["name"].get<std::string>()] = read_npy_file((dir / in["file"].get<std::string>()).string());
    return inputs;
  }
  std::mt19937 rng(1);
  for (const TensorInfo& info : model.inputs()) {
    Tensor t(info.type, info.shape);
    if (info.type == ElementType::kF32) {
      std::uniform_real_distribution<float> dist(-1, 1);
      for (int64_t i = 0; i < t.element_count(); ++i) t.data_as<float>()[i] = dist(rng);
    } else if (t.byte_size()) {
      std::memset(t.data(), 0, t.byte_size());
    }
    inputs[info.name] = std::move(t);
  }
  return inputs;
}

void bench(const std::string& target, const Args& args) {
  fs::path xml = target, dir = target;
  if (fs::is_directory(dir)) {
    xml = dir / "model.xml";
  } else {
    dir = xml.parent_path();
  }
  BackendOptions options;
  options.precision = args.precision;
  auto cpu = make_onednn_backend(options);
  CompileConfig config;
  config.options = options;
  config.options.profiling = args.per_node;
  const auto compile_start = Clock::now();
  auto model = CompiledModel::compile(read_ir_file(xml.string()), cpu, cpu, config);
  const double compile_ms = ms_since(compile_start);
  auto request = model->create_request();
  for (const auto& [name, tensor] : load_inputs(dir, *model)) request->set_input(name, tensor);

  const auto first_start = Clock::now();
  request->infer();
  const double first_ms = ms_since(first_start);
  std::vector<double> latencies;
  std::vector<NodeProfile> fastest;
  const auto run_start = Clock::now();
  while (static_cast<int>(latencies.size()) < args.niter || ms_since(run_start) < args.seconds * 1000) {
    const auto start = Clock::now();
    request->infer();
    latencies.push_back(ms_since(start));
    // Per node, the fastest of the runs: on a shared machine single runs are noisy.
    if (args.per_node) {
      const std::vector<NodeProfile> run = request->profile();
      if (fastest.empty()) fastest = run;
      for (size_t i = 0; i < run.size() && i < fastest.size(); ++i)
        fastest[i].real_time_us = std::min(fastest[i].real_time_us, run[i].real_time_us);
    }
  }
  const double total_ms = ms_since(run_start);
  std::sort(latencies.begin(), latencies.end());
  const double median = latencies[latencies.size() / 2];
  double sum = 0;
  for (double l : latencies) sum += l;
  const double avg = sum / static_cast<double>(latencies.size());
  int quantized = 0, linear = 0;
  for (const QuantizationDecision& d : model->quantization()) quantized += d.quantized, ++linear;
  const std::string name =
      fs::is_directory(target) ? fs::path(target).filename().string() : xml.stem().string();
  const char* precision = args.precision == Precision::kFast ? "fast" : "reference";
  if (args.json) {
    nlohmann::json j = {{"model", name},
                        {"precision", precision},
                        {"compile_ms", compile_ms},
                        {"first_ms", first_ms},
                        {"median_ms", median},
                        {"avg_ms", avg},
                        {"min_ms", latencies.front()},
                        {"max_ms", latencies.back()},
                        {"count", latencies.size()},
                        {"fps", 1000.0 * static_cast<double>(latencies.size()) / total_ms},
                        {"quantized_linear_ops", quantized},
                        {"linear_ops", linear},
                        {"activation_bytes", model->activation_peak_bytes()},
                        {"weight_bytes", model->weight_bytes()}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf(
        "%-24s %-9s compile %8.1f ms  first %8.2f ms  median %8.3f ms  avg %8.3f ms  min %8.3f ms  (%zu "
        "iters, "
        "%d/%d linear ops quantized, activations %.1f MiB)\n",
        name.c_str(), precision, compile_ms, first_ms, median, avg, latencies.front(), latencies.size(),
        quantized, linear, static_cast<double>(model->activation_peak_bytes()) / (1 << 20));
  }
  if (args.per_node) {
    for (const NodeProfile& p : fastest)
      std::printf("  %-40s %-22s %-40s %9.3f ms\n", p.node_name.c_str(), p.node_type.c_str(),
                  p.exec_type.c_str(), p.real_time_us / 1000);
  }
  std::fflush(stdout);
}

int run(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--precision") {
      const std::string p = value();
      if (p != "fast" && p != "reference") return usage("--precision is fast or reference");
      args.precision = p == "fast" ? Precision::kFast : Precision::kReference;
    } else if (a == "--niter" || a == "-niter") {
      args.niter = std::max(1, std::atoi(value().c_str()));
    } else if (a == "--time" || a == "-t") {
      args.seconds = std::atof(value().c_str());
    } else if (a == "-pc" || a == "--pc") {
      args.per_node = true;
    } else if (a == "--json") {
      args.json = true;
    } else if (a == "-h" || a == "--help") {
      return usage(nullptr);
    } else if (!a.empty() && a[0] == '-') {
      return usage(("unknown option " + a).c_str());
    } else {
      args.models.push_back(a);
    }
  }
  if (args.models.empty()) return usage("no model given");
  int status = 0;
  for (const std::string& m : args.models) {
    try {
      bench(m, args);
    } catch (const Error& e) {
      std::fprintf(stderr, "cpu_bench: %s: %s: %s\n", m.c_str(), error_code_name(e.code()), e.what());
      status = 3;
    }
  }
  return status;
}

}  // namespace
}  // namespace octet

int main(int argc, char** argv) {
  try {
    return octet::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cpu_bench: %s\n", e.what());
    return 2;
  }
}
