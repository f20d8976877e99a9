// Shared CLI helpers: C API calls that throw CliError, port queries and common options.
#include "tools/cli/cli.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "tools/cli/shape_spec.h"

namespace octet::cli {

void usage_error(const std::string& message) {
  throw CliError(kExitUsage, message);
}

void failure(const std::string& message) {
  throw CliError(kExitRuntime, message);
}

void check(octet_status status, const std::string& context) {
  if (status == OCTET_OK) return;
  const std::string detail = octet_last_error();
  failure(fmt::format("{}: {}{}", context, octet_status_string(status), detail.empty() ? "" : ": " + detail));
}

namespace {

Port to_port(const octet_port_info& info) {
  return Port{info.name, info.type, std::vector<int64_t>(info.dims, info.dims + info.rank)};
}

template <typename Count, typename Get, typename Handle>
std::vector<Port> ports(Handle handle, Count count_fn, Get get_fn, const char* what) {
  size_t count = 0;
  check(count_fn(handle, &count), what);
  std::vector<Port> result;
  for (size_t i = 0; i < count; ++i) {
    octet_port_info info{};
    check(get_fn(handle, i, &info), what);
    result.push_back(to_port(info));
  }
  return result;
}

}  // namespace

const Port* try_find_input(octet_model_t model, const std::vector<Port>& inputs, const std::string& name,
                           const std::string& flag) {
  size_t index = 0;
  const octet_status status = octet_model_find_input(model, name.c_str(), &index);
  if (status == OCTET_ERROR_NOT_FOUND) return nullptr;
  if (status != OCTET_OK) usage_error(fmt::format("{}: {}", flag, octet_last_error()));
  return &inputs.at(index);
}

const Port& find_input(octet_model_t model, const std::vector<Port>& inputs, const std::string& name,
                       const std::string& flag) {
  if (const Port* p = try_find_input(model, inputs, name, flag)) return *p;
  std::string valid;
  for (const Port& p : inputs) valid += (valid.empty() ? "'" : ", '") + p.name + "'";
  usage_error(fmt::format("{}: the model has no input '{}'; valid input names: {}", flag, name, valid));
}

Model read_model(const std::string& path) {
  octet_model_t model = nullptr;
  check(octet_model_read(path.c_str(), nullptr, &model), "cannot read model");
  return Model(model);
}

std::vector<Port> model_inputs(octet_model_t model) {
  return ports(model, octet_model_input_count, octet_model_input, "model inputs");
}

std::vector<Port> model_outputs(octet_model_t model) {
  return ports(model, octet_model_output_count, octet_model_output, "model outputs");
}

std::vector<Port> compiled_outputs(octet_compiled_model_t compiled) {
  return ports(compiled, octet_compiled_model_output_count, octet_compiled_model_output, "compiled outputs");
}

Compiled compile(octet_model_t model, const std::string& device, const std::vector<std::string>& options) {
  std::vector<const char*> c_options;
  for (const std::string& o : options) c_options.push_back(o.c_str());
  c_options.push_back(nullptr);
  octet_compiled_model_t compiled = nullptr;
  check(octet_model_compile(model, device.c_str(), c_options.data(), &compiled),
        fmt::format("cannot compile for {}", device));
  return Compiled(compiled);
}

Request create_request(octet_compiled_model_t compiled) {
  octet_infer_request_t request = nullptr;
  check(octet_compiled_model_create_request(compiled, &request), "cannot create an infer request");
  return Request(request);
}

Port tensor_port(octet_tensor_t tensor, const std::string& name) {
  Port port;
  port.name = name;
  size_t rank = 0;
  const int64_t* dims = nullptr;
  check(octet_tensor_type(tensor, &port.type), "tensor type");
  check(octet_tensor_shape(tensor, &rank, &dims), "tensor shape");
  port.dims.assign(dims, dims + rank);
  return port;
}

std::vector<octet_node_assignment> assignments(octet_compiled_model_t compiled) {
  size_t count = 0;
  check(octet_compiled_model_assignment_count(compiled, &count), "node assignments");
  std::vector<octet_node_assignment> result(count);
  for (size_t i = 0; i < count; ++i)
    check(octet_compiled_model_assignment(compiled, i, &result[i]), "node assignments");
  return result;
}

std::string shape_string(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ",";
    s += dims[i] < 0 ? "?" : std::to_string(dims[i]);
  }
  return s + "]";
}

std::string file_stem(const std::string& tensor_name) {
  std::string stem = tensor_name;
  for (char& c : stem)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) c = '_';
  return stem;
}

void make_directories(const std::string& dir, const std::string& flag) {
  for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    const std::string prefix = dir.substr(0, slash);
    if (!prefix.empty() && mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST)
      failure(fmt::format("{}: cannot create folder '{}': {}", flag, prefix, std::strerror(errno)));
    if (slash == std::string::npos) return;
  }
}

std::vector<std::string> write_outputs(octet_infer_request_t request, const std::vector<Port>& outputs,
                                       const std::string& dir) {
  std::vector<std::string> paths;
  for (size_t i = 0; i < outputs.size(); ++i) {
    octet_tensor_t raw = nullptr;
    check(octet_infer_request_get_output_by_index(request, i, &raw),
          fmt::format("output '{}'", outputs[i].name));
    Tensor tensor(raw);
    paths.push_back(dir + "/" + file_stem(outputs[i].name) + ".npy");
    check(octet_tensor_write_npy(tensor.get(), paths.back().c_str()),
          fmt::format("output '{}'", outputs[i].name));
  }
  return paths;
}

std::string type_name(octet_element_type type) {
  return octet_element_type_name(type);
}

std::string bytes_string(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

std::string device_description(octet_compiled_model_t compiled) {
  const char* device = nullptr;
  const char* note = nullptr;
  check(octet_compiled_model_device(compiled, &device, &note), "device");
  std::string result = device;
  size_t count = 0;
  // Device 0 is the CPU; describing it must not load an OpenCL driver (a broken one could abort).
  if (result == "CPU")
    count = 1;
  else
    check(octet_device_count(&count), "devices");
  for (size_t i = 0; i < count; ++i) {
    octet_device_info info{};
    check(octet_device_get_info(i, &info), "devices");
    if (result == info.name) {
      result += fmt::format(" ({}", info.full_name);
      if (info.platform[0]) result += fmt::format(", {}", info.platform);
      result += ")";
      break;
    }
  }
  if (note && note[0]) result += fmt::format(" [{}]", note);
  return result;
}

void add_raw_list_option(CLI::App& app, const std::string& names, std::vector<std::string>& values,
                         const std::string& description) {
  // A vector option would split "[1,3,224,224]" into numbers; each() sees the value as typed.
  app.add_option(names, description)
      ->each([&values](const std::string& v) { values.push_back(v); })
      ->type_size(1)
      ->type_name("TEXT")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void add_run_options(CLI::App& app, RunOptions& options, bool with_device) {
  app.add_option("-m,--m,--model", options.model, "Model .xml (weights: the same path with .bin)")
      ->required();
  if (with_device)
    app.add_option("-d,--d,--device", options.device, "Device: CPU, GPU, GPU.<n> or AUTO")
        ->capture_default_str();
  add_raw_list_option(app, "-i,--i,--input", options.inputs,
                      "Inputs: name:file.npy|file.bin, file (by position), a folder of <name>.npy, "
                      "random[:seed]; repeat for several");
  add_raw_list_option(app, "--shape", options.shapes,
                      "Input shapes: \"[1,3,224,224]\" or \"name[1,3,224,224],...\"");
  app.add_flag("--zoo", options.zoo, "Read inputs from <model dir>/inputs/<name>.npy");
  app.add_option("--seed", options.seed, "Seed of generated inputs")->capture_default_str();
  app.add_option("--precision", options.precision, "fast (int8 kernels) or reference (spec-exact)")
      ->check(CLI::IsMember({"fast", "reference"}))
      ->capture_default_str();
  app.add_flag("--fp16", options.fp16, "OpenCL fp16 storage where supported");
  app.add_flag("--no_fallback", options.no_fallback, "Fail instead of running declined nodes on the CPU");
  app.add_option("--cache_dir", options.cache_dir, "OpenCL program cache directory");
  app.add_flag("--guard", options.guard,
               "OpenCL guard mode: buffers between poisoned bytes, checked after every kernel (slow)");
  app.add_option("--timeout", options.timeout_ms,
                 "OpenCL: fail an inference that waits longer than MS milliseconds for the device")
      ->type_name("MS")
      ->check(CLI::NonNegativeNumber);
}

std::vector<std::string> compile_options(const RunOptions& options, const std::vector<std::string>& extra) {
  std::vector<std::string> result = {"precision=" + options.precision};
  if (options.fp16) result.push_back("fp16=true");
  if (options.no_fallback) result.push_back("cpu_fallback=false");
  if (!options.cache_dir.empty()) result.push_back("cache_dir=" + options.cache_dir);
  if (options.guard) result.push_back("guard=true");
  if (options.timeout_ms > 0) result.push_back("timeout_ms=" + std::to_string(options.timeout_ms));
  result.insert(result.end(), extra.begin(), extra.end());
  return result;
}

Model read_model_for_run(const RunOptions& options) {
  Model model = read_model(options.model);
  const std::vector<Port> inputs = model_inputs(model.get());
  for (const ShapeSpec& spec : parse_shape_args(options.shapes)) {
    std::vector<const Port*> targets;
    if (spec.name.empty()) {
      for (const Port& p : inputs) targets.push_back(&p);
    } else {
      targets.push_back(&find_input(model.get(), inputs, spec.name, "-shape"));
    }
    for (const Port* p : targets) {
      check(octet_model_reshape(model.get(), p->name.c_str(), spec.dims.data(), spec.dims.size()),
            fmt::format("-shape {}{}", p->name, shape_string(spec.dims)));
    }
  }
  return model;
}

}  // namespace octet::cli
