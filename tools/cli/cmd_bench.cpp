// `octet bench -m model.xml -d DEVICE [-niter N] [-t S] [-nireq N] [--per-layer] [-json_stats F]`:
// latency and throughput in benchmark_app's summary format, with --per-layer (-pc) the average time
// of every node, and the same figures as JSON with -json_stats.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <thread>

#include "tools/cli/cli.h"
#include "tools/cli/commands.h"
#include "tools/cli/inputs.h"
#include "tools/cli/placement.h"
#include "tools/cli/table.h"

namespace octet::cli {
namespace {

struct BenchOptions {
  RunOptions run;
  int64_t niter = 0;
  double seconds = 0;
  bool per_layer = false;
  std::string pc_sort = "no_sort";
  int latency_percentile = 50;
  int64_t nireq = 1;
  std::string json_stats;
};

struct LayerTotals {
  std::string node, type, exec_type, backend;
  double real_us = 0, cpu_us = 0;
};

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

void accumulate_profile(octet_infer_request_t request, std::vector<LayerTotals>& totals,
                        std::map<std::string, size_t>& index) {
  octet_profiling_list list{};
  check(octet_infer_request_get_profiling(request, &list), "profiling");
  for (size_t i = 0; i < list.count; ++i) {
    const octet_profiling_info& r = list.records[i];
    auto [it, added] = index.emplace(r.node_name, totals.size());
    if (added) totals.push_back({r.node_name, r.node_type, r.exec_type, r.backend});
    totals[it->second].real_us += r.real_time_us;
    totals[it->second].cpu_us += r.cpu_time_us;
  }
  octet_profiling_list_free(&list);
}

void print_per_layer(std::vector<LayerTotals> totals, size_t iterations, const std::string& sort) {
  double total_real = 0, total_cpu = 0;
  for (const LayerTotals& t : totals) total_real += t.real_us, total_cpu += t.cpu_us;
  if (sort == "sort")
    std::stable_sort(totals.begin(), totals.end(),
                     [](const LayerTotals& a, const LayerTotals& b) { return a.real_us > b.real_us; });
  const double n = static_cast<double>(std::max<size_t>(iterations, 1));
  fmt::print("\nPerformance counts (average of {} inferences)\n", iterations);
  Table table(
      {"Node", "Status", "Layer type", "Exec type", "Backend", ">Real time (ms)", ">CPU time (ms)", ">%"});
  for (const LayerTotals& t : totals)
    table.add_row({t.node, "EXECUTED", t.type, t.exec_type, t.backend,
                   fmt::format("{:.3f}", t.real_us / n / 1000), fmt::format("{:.3f}", t.cpu_us / n / 1000),
                   fmt::format("{:.1f}", total_real > 0 ? 100 * t.real_us / total_real : 0.0)});
  table.print(stdout, "  ");
  fmt::print("Total time: {:.3f} milliseconds\nTotal CPU time: {:.3f} milliseconds\n", total_real / n / 1000,
             total_cpu / n / 1000);
  double slow_real = 0;
  std::string slow_names;
  for (const LayerTotals& t : totals) {
    if (!is_onednn_reference(t.exec_type)) continue;
    slow_real += t.real_us;
    slow_names += (slow_names.empty() ? "" : ", ") + t.node;
  }
  if (!slow_names.empty())
    fmt::print("WARNING: oneDNN reference implementations (no jit kernel; slow), {:.1f}% of the time: {}\n",
               total_real > 0 ? 100 * slow_real / total_real : 0.0, slow_names);
}

int run_bench(const BenchOptions& options) {
  if (options.niter < 0) usage_error("-niter must be >= 0");
  if (options.nireq < 1 || options.nireq > 256) usage_error("-nireq must be in 1..256");
  if (options.seconds < 0) usage_error("-t must be >= 0");
  if (options.latency_percentile < 1 || options.latency_percentile > 100)
    usage_error("-latency_percentile must be in 1..100");
  const double limit_s = options.niter == 0 && options.seconds == 0 ? 10.0 : options.seconds;

  Model model = read_model_for_run(options.run);
  const std::vector<InputTensor> inputs = load_inputs(model.get(), model_inputs(model.get()), options.run);
  auto start = Clock::now();
  Compiled compiled =
      compile(model.get(), options.run.device,
              compile_options(options.run, options.per_layer ? std::vector<std::string>{"profiling=true"}
                                                             : std::vector<std::string>{}));
  const double compile_ms = ms_between(start, Clock::now());
  Request request = create_request(compiled.get());
  set_inputs(request.get(), inputs);
  fmt::print("[ INFO ] Model: {}\n[ INFO ] Device: {}\n", options.run.model,
             device_description(compiled.get()));
  fmt::print("[ INFO ] Precision: {}\n", options.run.precision);
  for (const InputTensor& in : inputs) fmt::print("[ INFO ] Input {} <- {}\n", in.name, in.source);
  fmt::print("[ INFO ] Compile model took {:.2f} ms\n", compile_ms);
  start = Clock::now();
  check(octet_infer_request_infer(request.get()), "inference failed");
  const double first_ms = ms_between(start, Clock::now());
  fmt::print("[ INFO ] First inference took {:.2f} ms\n", first_ms);
  // The -nireq requests share the compiled model, each run by its own thread (see below).
  std::vector<Request> requests;
  requests.push_back(std::move(request));
  for (int64_t i = 1; i < options.nireq; ++i) {
    requests.push_back(create_request(compiled.get()));
    set_inputs(requests.back().get(), inputs);
  }
  fmt::print("[ INFO ] Measuring performance ({} infer request{}, limits: {}{}{})\n", options.nireq,
             options.nireq > 1 ? "s" : "", options.niter ? fmt::format("{} iterations", options.niter) : "",
             options.niter && limit_s > 0 ? ", " : "",
             limit_s > 0 ? fmt::format("{:.0f} ms duration", limit_s * 1000) : "");
  std::fflush(stdout);

  struct Worker {
    std::vector<double> latencies;
    std::vector<LayerTotals> totals;
    std::map<std::string, size_t> index;
    std::string error;
  };
  std::vector<Worker> workers(requests.size());
  std::atomic<int64_t> started{0};
  std::atomic<bool> stop{false};
  const auto bench_start = Clock::now();
  auto keep_going = [&] {
    if (stop) return false;
    const bool time_done = ms_between(bench_start, Clock::now()) / 1000 >= limit_s;
    // Claims an iteration so that -niter N runs N inferences in all, not per request.
    const bool iterations_done = started.fetch_add(1) >= options.niter;
    return !(iterations_done && time_done);
  };
  std::atomic<size_t> finished{0};
  auto work = [&](size_t w) {
    Worker& worker = workers[w];
    try {
      while (keep_going()) {
        const auto t0 = Clock::now();
        check(octet_infer_request_infer(requests[w].get()), "inference failed");
        worker.latencies.push_back(ms_between(t0, Clock::now()));
        if (options.per_layer) accumulate_profile(requests[w].get(), worker.totals, worker.index);
      }
    } catch (const std::exception& e) {
      worker.error = e.what();
      stop = true;
    }
    ++finished;
  };
  // The progress bar is drawn by a thread of its own that runs no OpenMP.
  const bool progress = isatty(fileno(stdout)) != 0;
  std::thread progress_bar([&] {
    while (progress && !stop && finished < requests.size()) {
      const double elapsed_s = ms_between(bench_start, Clock::now()) / 1000;
      const double by_time = limit_s > 0 ? elapsed_s / limit_s : 1.0;
      const double by_count =
          options.niter > 0 ? double(std::min<int64_t>(started.load(), options.niter)) / double(options.niter)
                            : 1.0;
      // Both limits must be reached, so progress is the smaller fraction.
      const double fraction = std::min(1.0, std::min(by_time, by_count));
      const int width = 40, filled = static_cast<int>(fraction * width);
      fmt::print("\r[ {}{} ] {:3.0f}%", std::string(filled, '#'), std::string(width - filled, ' '),
                 100 * fraction);
      std::fflush(stdout);
      if (fraction >= 1.0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  // Request 0 runs on this thread, which compiled the model and ran the first inference: its OpenMP
  // pool is the one already started. One more thread would bring one more pool, and libgomp sleeps
  // in futexes between parallel regions (instead of spinning) once its pools hold more threads than
  // there are CPUs: resnet50_int8 at 2 threads ran 15-20% slower so. The other requests run in
  // threads of their own.
  std::vector<std::thread> threads;
  for (size_t w = 1; w < requests.size(); ++w) threads.emplace_back(work, w);
  work(0);
  for (std::thread& t : threads) t.join();
  progress_bar.join();
  if (progress) fmt::print("\r{}\r", std::string(50, ' '));
  const double duration_ms = ms_between(bench_start, Clock::now());
  for (const Worker& worker : workers)
    if (!worker.error.empty()) failure(worker.error);
  std::vector<double> latencies;
  std::vector<LayerTotals> totals;
  std::map<std::string, size_t> index;
  for (const Worker& worker : workers) {
    latencies.insert(latencies.end(), worker.latencies.begin(), worker.latencies.end());
    for (const LayerTotals& t : worker.totals) {
      auto [it, added] = index.emplace(t.node, totals.size());
      if (added) {
        totals.push_back(t);
      } else {
        totals[it->second].real_us += t.real_us;
        totals[it->second].cpu_us += t.cpu_us;
      }
    }
  }

  std::vector<double> sorted = latencies;
  std::sort(sorted.begin(), sorted.end());
  auto percentile = [&](int p) {
    if (sorted.empty()) return 0.0;
    const size_t k =
        std::min(sorted.size() - 1, static_cast<size_t>(p / 100.0 * double(sorted.size() - 1) + 0.5));
    return sorted[k];
  };
  const double avg =
      sorted.empty() ? 0 : std::accumulate(sorted.begin(), sorted.end(), 0.0) / double(sorted.size());
  fmt::print("[ INFO ] Count:      {} iterations\n", latencies.size());
  fmt::print("[ INFO ] Duration:   {:.2f} ms\n", duration_ms);
  fmt::print("[ INFO ] Latency:\n");
  fmt::print("[ INFO ]        {}:  {:.2f} ms\n",
             options.latency_percentile == 50 ? std::string("Median")
                                              : fmt::format("p{}", options.latency_percentile),
             percentile(options.latency_percentile));
  fmt::print("[ INFO ]        Avg:     {:.2f} ms\n", avg);
  fmt::print("[ INFO ]        Min:     {:.2f} ms\n", sorted.empty() ? 0.0 : sorted.front());
  fmt::print("[ INFO ]        Max:     {:.2f} ms\n", sorted.empty() ? 0.0 : sorted.back());
  const double fps = duration_ms > 0 ? 1000.0 * double(latencies.size()) / duration_ms : 0.0;
  fmt::print("[ INFO ] Throughput: {:.2f} FPS\n", fps);
  // Planned, not measured: weights once plus each request's activation buffers.
  uint64_t weights = 0, activations = 0;
  check(octet_compiled_model_memory(compiled.get(), &weights, &activations), "memory");
  const uint64_t peak = weights + activations * static_cast<uint64_t>(options.nireq);
  fmt::print("[ INFO ] Peak device memory: {} (weights {} + {} x activations {}, as planned)\n",
             bytes_string(peak), bytes_string(weights), options.nireq, bytes_string(activations));
  if (options.per_layer) print_per_layer(totals, latencies.size(), options.pc_sort);
  if (!options.json_stats.empty()) {
    nlohmann::json j;
    j["model"] = options.run.model;
    j["device"] = device_description(compiled.get());
    j["precision"] = options.run.precision;
    j["nireq"] = options.nireq;
    j["compile_ms"] = compile_ms;
    j["first_inference_ms"] = first_ms;
    j["count"] = latencies.size();
    j["duration_ms"] = duration_ms;
    j["throughput_fps"] = fps;
    j["latency_ms"] = {
        {"median", percentile(50)},
        {"p" + std::to_string(options.latency_percentile), percentile(options.latency_percentile)},
        {"avg", avg},
        {"min", sorted.empty() ? 0.0 : sorted.front()},
        {"max", sorted.empty() ? 0.0 : sorted.back()}};
    j["memory_bytes"] = {{"weights", weights}, {"activations_per_request", activations}, {"peak", peak}};
    if (options.per_layer) {
      nlohmann::json layers = nlohmann::json::array();
      const double n = static_cast<double>(std::max<size_t>(latencies.size(), 1));
      for (const LayerTotals& t : totals)
        layers.push_back({{"node", t.node},
                          {"status", "EXECUTED"},
                          {"layer_type", t.type},
                          {"exec_type", t.exec_type},
                          {"backend", t.backend},
                          {"real_time_ms", t.real_us / n / 1000},
                          {"cpu_time_ms", t.cpu_us / n / 1000}});
      j["per_layer"] = layers;
    }
    const std::string text = j.dump(1) + "\n";
    std::FILE* f = std::fopen(options.json_stats.c_str(), "w");
    if (!f)
      failure(fmt::format("-json_stats {}: cannot write: {}", options.json_stats, std::strerror(errno)));
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !ok) failure(fmt::format("-json_stats {}: write failed", options.json_stats));
  }
  if (!options.run.quiet) {
    fmt::print("\n");
    print_placement(compiled.get(), /*full=*/false);
  }
  return kExitOk;
}

}  // namespace

Runner add_bench_command(CLI::App& app) {
  auto options = std::make_shared<BenchOptions>();
  add_run_options(app, options->run, /*with_device=*/true);
  app.add_option("--niter", options->niter, "Number of measured inferences");
  app.add_option("-t,--t,--time", options->seconds,
                 "Seconds to measure (default 10 when -niter is not given)");
  app.add_flag("--per-layer,--per_layer,--pc", options->per_layer, "Per-layer timings (enables profiling)");
  app.add_option("--pc_sort", options->pc_sort,
                 "Per-layer order: no_sort (execution order) or sort (by time)")
      ->check(CLI::IsMember({"no_sort", "sort"}));
  app.add_option("--latency_percentile", options->latency_percentile, "Latency percentile to report (1-100)")
      ->capture_default_str();
  app.add_option("--nireq", options->nireq, "Infer requests run at once, one thread each (default 1)");
  app.add_option("--json_stats,--json-stats", options->json_stats,
                 "Write latency statistics (and per-layer counters with -pc) as JSON to FILE")
      ->type_name("FILE");
  app.add_flag("-q,--quiet", options->run.quiet, "Leave out the placement summary");
  return [options] { return run_bench(*options); };
}

}  // namespace octet::cli
