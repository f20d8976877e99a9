// cpu_bench: latency and throughput of octet's oneDNN CPU backend (fast or reference precision) on zoo
// models, with benchmark_app-style figures; tools/bench/ov_bench.py runs it next to OpenVINO's CPU plugin.
//
//   cpu_bench [--precision fast|reference] [--niter 50] [--time 0] [--warmup 1] [--streams 1] [--check]
//             [--json] [-pc] MODEL_DIR|model.xml ...
//
// A model directory is a zoo case (model.xml, model_info.json, inputs/*.npy); a bare .xml gets
// random inputs. Prints one line per model, or one JSON object per line with --json.
//
// --streams N runs N infer requests of one CompiledModel at once, each in its own thread doing
// back-to-back infer() calls with OMP_NUM_THREADS / N OpenMP threads (the model is also compiled
// under that count, as oneDNN fixes some primitives' team size when they are created). --niter is
// the total over all streams; fps is completed inferences over the wall time of the timed window,
// which starts once every request has done its own warm-up. Every request's outputs after its last
// run (after every run with --check) must be byte-equal to those of the first, sequential
// inference; a difference is reported on stderr and the exit status is 1.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
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
  int warmup = 1;   // untimed runs of every request before the timed window
  int streams = 1;  // requests run at once, one thread each
  bool check_every_run = false;
  bool json = false;
  bool per_node = false;  // -pc: per-node implementation and fastest time over the runs (stream 0)
  int total_threads = 1;  // omp_get_max_threads() at start (follows OMP_NUM_THREADS)
  std::vector<std::string> models;
};

int usage(const char* error) {
  if (error) std::fprintf(stderr, "cpu_bench: %s\n", error);
  std::fprintf(stderr,
               "usage: cpu_bench [--precision fast|reference] [--niter N] [--time SECONDS] [--warmup N] "
               "[--streams N] [--check] [--json] [-pc] MODEL_DIR|model.xml ...\n");
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

// The first difference between a request's outputs and the sequential reference, or "" when every
// output is byte-equal.
std::string compare_outputs(const CompiledModel& model, const InferRequest& request,
                            const std::vector<Tensor>& reference) {
  for (size_t i = 0; i < reference.size(); ++i) {
    const std::string& name = model.outputs()[i].name;
    const Tensor& got = request.output(name);
    const Tensor& want = reference[i];
    if (got.byte_size() != want.byte_size())
      return "output '" + name + "': " + std::to_string(got.byte_size()) + " bytes, reference has " +
             std::to_string(want.byte_size());
    const auto* a = static_cast<const unsigned char*>(got.data());
    const auto* b = static_cast<const unsigned char*>(want.data());
    size_t differing = 0, first = 0;
    for (size_t k = 0; k < want.byte_size(); ++k) {
      if (a[k] != b[k] && differing++ == 0) first = k;
    }
    if (differing)
      return "output '" + name + "': " + std::to_string(differing) + " of " +
             std::to_string(want.byte_size()) + " bytes differ, the first at byte " + std::to_string(first);
  }
  return "";
}

// What one stream measured.
struct Worker {
  std::vector<double> latencies;
  std::vector<NodeProfile> fastest;
  std::string mismatch;
  std::exception_ptr error;
};

// Returns false when a stream's outputs differed from the sequential reference.
bool bench(const std::string& target, const Args& args) {
  fs::path xml = target, dir = target;
  if (fs::is_directory(dir)) {
    xml = dir / "model.xml";
  } else {
    dir = xml.parent_path();
  }
  // One OpenMP team per stream, splitting the threads so the streams do not oversubscribe. The
  // model is compiled under the same count: oneDNN sizes some primitives' teams at creation.
  const int stream_threads = std::max(1, args.total_threads / args.streams);
  omp_set_num_threads(stream_threads);
  BackendOptions options;
  options.precision = args.precision;
  auto cpu = make_onednn_backend(options);
  CompileConfig config;
  config.options = options;
  config.options.profiling = args.per_node;
  const auto compile_start = Clock::now();
  auto model = CompiledModel::compile(read_ir_file(xml.string()), cpu, cpu, config);
  const double compile_ms = ms_since(compile_start);
  const std::map<std::string, Tensor> inputs = load_inputs(dir, *model);
  std::vector<std::unique_ptr<InferRequest>> requests;
  for (int s = 0; s < args.streams; ++s) {
    requests.push_back(model->create_request());
    for (const auto& [name, tensor] : inputs) requests.back()->set_input(name, tensor);
  }

  // The reference every stream is checked against: one inference with nothing else running.
  const auto first_start = Clock::now();
  requests[0]->infer();
  const double first_ms = ms_since(first_start);
  std::vector<Tensor> reference;
  for (const TensorInfo& info : model->outputs()) reference.push_back(requests[0]->output(info.name).clone());

  std::vector<Worker> workers(requests.size());
  std::mutex mutex;
  std::condition_variable cv;
  int warmed_up = 0;
  bool go = false;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> claimed{0};
  Clock::time_point window_start;
  auto keep_going = [&] {
    if (stop) return false;
    // Claims an iteration, so that --niter N runs N inferences in all, not per stream.
    const bool iterations_done = claimed.fetch_add(1) >= args.niter;
    const bool time_done = ms_since(window_start) >= args.seconds * 1000;
    return !(iterations_done && time_done);
  };
  // One stream runs on this thread, which compiled the model and ran the first inference: a second
  // thread would bring a second OpenMP pool, and libgomp throttles its spin-waiting (sleeping in
  // futexes between parallel regions) once its pools hold more threads than there are CPUs.
  const bool on_this_thread = requests.size() == 1;
  auto stream = [&](size_t w) {
    Worker& worker = workers[w];
    InferRequest& request = *requests[w];
    try {
      omp_set_num_threads(stream_threads);  // per-thread setting: each stream's own team
      for (int i = 0; i < args.warmup; ++i) request.infer();
    } catch (...) {
      worker.error = std::current_exception();
      stop = true;
    }
    if (on_this_thread) {
      window_start = Clock::now();
    } else {
      std::unique_lock<std::mutex> lock(mutex);
      ++warmed_up;
      cv.notify_all();
      cv.wait(lock, [&] { return go; });
    }
    try {
      while (keep_going()) {
        const auto start = Clock::now();
        request.infer();
        worker.latencies.push_back(ms_since(start));
        if (args.check_every_run && worker.mismatch.empty())
          worker.mismatch = compare_outputs(*model, request, reference);
        // Per node, the fastest of the runs: on a shared machine single runs are noisy.
        if (args.per_node && w == 0) {
          const std::vector<NodeProfile> run = request.profile();
          if (worker.fastest.empty()) worker.fastest = run;
          for (size_t i = 0; i < run.size() && i < worker.fastest.size(); ++i)
            worker.fastest[i].real_time_us = std::min(worker.fastest[i].real_time_us, run[i].real_time_us);
        }
      }
      if (worker.mismatch.empty() && !worker.latencies.empty())
        worker.mismatch = compare_outputs(*model, request, reference);
    } catch (...) {
      worker.error = std::current_exception();
      stop = true;
    }
  };
  std::vector<std::thread> threads;
  if (on_this_thread) stream(0);
  for (size_t w = 0; !on_this_thread && w < requests.size(); ++w) threads.emplace_back(stream, w);
  if (!on_this_thread) {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return warmed_up == args.streams; });
    window_start = Clock::now();
    go = true;
    cv.notify_all();
  }
  for (std::thread& t : threads) t.join();
  const double wall_ms = ms_since(window_start);
  for (const Worker& worker : workers)
    if (worker.error) std::rethrow_exception(worker.error);

  std::vector<double> latencies;
  for (const Worker& worker : workers)
    latencies.insert(latencies.end(), worker.latencies.begin(), worker.latencies.end());
  std::sort(latencies.begin(), latencies.end());
  const double median = latencies[latencies.size() / 2];
  double sum = 0;
  for (double l : latencies) sum += l;
  const double avg = sum / static_cast<double>(latencies.size());
  const double fps = 1000.0 * static_cast<double>(latencies.size()) / wall_ms;
  int quantized = 0, linear = 0;
  for (const QuantizationDecision& d : model->quantization()) quantized += d.quantized, ++linear;
  const std::string name =
      fs::is_directory(target) ? fs::path(target).filename().string() : xml.stem().string();
  const char* precision = args.precision == Precision::kFast ? "fast" : "reference";
  bool outputs_equal = true;
  for (size_t w = 0; w < workers.size(); ++w) {
    if (workers[w].mismatch.empty()) continue;
    outputs_equal = false;
    std::fprintf(stderr, "cpu_bench: %s: stream %zu differs from the sequential run: %s\n", name.c_str(), w,
                 workers[w].mismatch.c_str());
  }
  if (args.json) {
    nlohmann::json j = {{"model", name},
                        {"precision", precision},
                        {"streams", args.streams},
                        {"threads_per_stream", stream_threads},
                        {"compile_ms", compile_ms},
                        {"first_ms", first_ms},
                        {"median_ms", median},
                        {"avg_ms", avg},
                        {"min_ms", latencies.front()},
                        {"max_ms", latencies.back()},
                        {"count", latencies.size()},
                        {"wall_ms", wall_ms},
                        {"fps", fps},
                        {"outputs_equal", outputs_equal},
                        {"quantized_linear_ops", quantized},
                        {"linear_ops", linear},
                        {"activation_bytes", model->activation_peak_bytes()},
                        {"weight_bytes", model->weight_bytes()}};
    if (args.per_node) {
      nlohmann::json nodes = nlohmann::json::array();
      for (const NodeProfile& p : workers[0].fastest)
        nodes.push_back(
            {{"name", p.node_name}, {"type", p.node_type}, {"exec", p.exec_type}, {"us", p.real_time_us}});
      j["nodes"] = nodes;
    }
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf(
        "%-24s %-9s streams %d x %d threads  compile %8.1f ms  first %8.2f ms  median %8.3f ms  avg %8.3f ms "
        " "
        "min %8.3f ms  %8.2f fps  (%zu iters, %d/%d linear ops quantized, activations %.1f MiB per "
        "request)\n",
        name.c_str(), precision, args.streams, stream_threads, compile_ms, first_ms, median, avg,
        latencies.front(), fps, latencies.size(), quantized, linear,
        static_cast<double>(model->activation_peak_bytes()) / (1 << 20));
  }
  if (args.per_node && !args.json) {
    for (const NodeProfile& p : workers[0].fastest)
      std::printf("  %-40s %-22s %-40s %9.3f ms\n", p.node_name.c_str(), p.node_type.c_str(),
                  p.exec_type.c_str(), p.real_time_us / 1000);
  }
  std::fflush(stdout);
  return outputs_equal;
}

int run(int argc, char** argv) {
  Args args;
  args.total_threads = omp_get_max_threads();
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
    } else if (a == "--warmup") {
      args.warmup = std::max(0, std::atoi(value().c_str()));
    } else if (a == "--streams" || a == "-nstreams") {
      args.streams = std::atoi(value().c_str());
      if (args.streams < 1 || args.streams > 256) return usage("--streams must be in 1..256");
    } else if (a == "--check") {
      args.check_every_run = true;
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
      if (!bench(m, args) && status == 0) status = 1;
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
