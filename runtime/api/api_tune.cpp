// C API of the OpenCL int8 path's device-specific choices: octet_model_tune (the tiled core's
// tuner, runtime/opencl/tuner.h) and octet_device_dot4_detail (the DOT4 probe's verdict).
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "runtime/api/api_internal.h"
#include "runtime/api/backends.h"

#if __has_include("runtime/opencl/tuner.h")
#include "runtime/opencl/ops/quantized_mma.h"
#include "runtime/opencl/tuner.h"
#define OCTET_HAVE_OPENCL_TUNER 1
#endif

using namespace octet;
using namespace octet::api;

namespace {

#ifdef OCTET_HAVE_OPENCL_TUNER
// The report as one malloc block: records, then their strings, so one free() releases it.
void fill_list(const TuneReport& report, octet_tune_list* list) {
  size_t bytes = report.records.size() * sizeof(octet_tune_record) + report.file.size() + 1;
  for (const TuneRecord& r : report.records)
    bytes += r.node.size() + r.shape.size() + r.params.size() + r.status.size() + 4;
  auto* block = static_cast<char*>(std::malloc(bytes));
  if (!block) throw std::bad_alloc();
  auto* records = reinterpret_cast<octet_tune_record*>(block);
  char* strings = block + report.records.size() * sizeof(octet_tune_record);
  auto put = [&strings](const std::string& s) {
    std::memcpy(strings, s.c_str(), s.size() + 1);
    const char* at = strings;
    strings += s.size() + 1;
    return at;
  };
  for (size_t i = 0; i < report.records.size(); ++i) {
    const TuneRecord& r = report.records[i];
    records[i].node_name = put(r.node);
    records[i].shape = put(r.shape);
    records[i].params = put(r.params);
    records[i].status = put(r.status);
    records[i].nodes = r.nodes;
    records[i].candidates = r.candidates;
    records[i].default_us = r.default_us;
    records[i].best_us = r.best_us;
  }
  list->file = put(report.file);
  list->records = records;
  list->count = report.records.size();
  list->seconds = report.seconds;
}
#endif

}  // namespace

extern "C" {

octet_status octet_model_tune(octet_model_t model, const char* device, const char* const* options,
                              double budget_seconds, size_t max_candidates, octet_tune_list* list) {
  return guarded([&] {
    require(list, "octet_model_tune", "list");
    *list = octet_tune_list{nullptr, 0, nullptr, 0};
    require(model, "octet_model_tune", "model");
    require(device, "octet_model_tune", "device");
    const std::string name = device;
    if (name != "GPU" && name.rfind("GPU.", 0) != 0)
      raise(ErrorCode::kInvalidArgument,
            "octet_model_tune: device '{}' is not an OpenCL device (GPU, GPU.<n>)", name);
    CompileConfig config;
    for (const char* const* o = options; o && *o; ++o) {
      const std::string option = *o;
      const size_t eq = option.find('=');
      if (eq == std::string::npos)
        raise(ErrorCode::kInvalidArgument, "compile option '{}' is not of the form key=value", option);
      apply_option(config, option.substr(0, eq), option.substr(eq + 1));
    }
#ifdef OCTET_HAVE_OPENCL_TUNER
    config.options.profiling = true;  // timings come from profiling events
    TuneOptions to;
    to.budget_s = budget_seconds > 0 ? budget_seconds : 60;
    to.max_candidates = static_cast<int>(std::min<size_t>(max_candidates, 1 << 20));
    const DeviceRecord& target = find_device(name);
    std::shared_ptr<Backend> cpu = make_cpu_backend(config.options);
    std::shared_ptr<Backend> gpu = make_gpu_backend(target, config.options);
    auto* ocl = dynamic_cast<OpenClBackend*>(gpu.get());
    if (!ocl) raise(ErrorCode::kInternal, "octet_model_tune: {} is not an OpenCL backend", name);
    if (tuning_dir(*ocl).empty())
      raise(ErrorCode::kInvalidArgument,
            "octet_model_tune: no directory for tuning results: set the cache_dir option or $OCTET_CACHE_DIR "
            "(they are stored next to the program cache)");
    // The graph exactly as a compile for this device prepares it (same quantization decisions).
    std::shared_ptr<CompiledModel> compiled = CompiledModel::compile(parse(*model), gpu, cpu, config);
    fill_list(tune_graph(compiled->graph(), *ocl, to), list);
#else
    (void)budget_seconds;
    (void)max_candidates;
    raise(ErrorCode::kUnsupported, "the OpenCL backend is not part of this build (device {})", name);
#endif
  });
}

octet_status octet_device_dot4_detail(size_t index, const char** detail) {
  return guarded([&] {
    require(detail, "octet_device_dot4_detail", "detail");
    const auto& list = devices();
    if (index >= list.size())
      raise(ErrorCode::kNotFound, "device index {} out of range ({} devices)", index, list.size());
    static std::mutex mutex;
    static std::map<size_t, std::string> answers;  // live until the process exits
    std::lock_guard<std::mutex> lock(mutex);
    auto it = answers.find(index);
    if (it == answers.end()) {
      std::string text = "oneDNN s8 primitives (the CPU backend has no DOT4 path)";
      if (list[index].gpu) {
#ifdef OCTET_HAVE_OPENCL_TUNER
        std::shared_ptr<Backend> gpu = make_gpu_backend(list[index], BackendOptions{});
        auto* ocl = dynamic_cast<OpenClBackend*>(gpu.get());
        if (!ocl) raise(ErrorCode::kInternal, "{} is not an OpenCL backend", list[index].name);
        text = fmt::format("{}: {}; tensor cores (mma): {}", dot_mode_name(dot_mode(*ocl)),
                           dot_mode_reason(*ocl), mma_verdict(*ocl).reason);
#else
        raise(ErrorCode::kUnsupported, "the OpenCL backend is not part of this build");
#endif
      }
      it = answers.emplace(index, std::move(text)).first;
    }
    *detail = it->second.c_str();
  });
}

void octet_tune_list_free(octet_tune_list* list) {
  if (!list) return;
  std::free(list->records);
  list->records = nullptr;
  list->count = 0;
  list->file = nullptr;
}

}  // extern "C"
