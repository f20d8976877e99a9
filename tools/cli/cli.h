// Shared pieces of the octet CLI: exit codes, errors, owning wrappers over C API handles, and the
// options every model-running subcommand accepts. The CLI uses only the public C API.
#pragma once

#include <octet/octet.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace octet::cli {

// Documented exit codes (the same for every subcommand): scripts and the tests rely on them.
// 1 is kept for "ran fine but tensors are outside tolerance" so that CI can tell a numerical
// regression from a setup problem (3: missing file, bad model, compile or inference failure).
enum ExitCode : int { kExitOk = 0, kExitMismatch = 1, kExitUsage = 2, kExitRuntime = 3 };

// An error that ends the command with `exit_code` after printing its message to stderr.
class CliError : public std::runtime_error {
 public:
  CliError(int exit_code, const std::string& message) : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

[[noreturn]] void usage_error(const std::string& message);
// A runtime error (exit code 3).
[[noreturn]] void failure(const std::string& message);
// Throws CliError(kExitRuntime) "<context>: <last error>" unless `status` is OCTET_OK.
void check(octet_status status, const std::string& context);

struct ModelDeleter {
  void operator()(octet_model* p) const { octet_model_destroy(p); }
};
struct CompiledDeleter {
  void operator()(octet_compiled_model* p) const { octet_compiled_model_destroy(p); }
};
struct RequestDeleter {
  void operator()(octet_infer_request* p) const { octet_infer_request_destroy(p); }
};
struct TensorDeleter {
  void operator()(octet_tensor* p) const { octet_tensor_destroy(p); }
};
using Model = std::unique_ptr<octet_model, ModelDeleter>;
using Compiled = std::unique_ptr<octet_compiled_model, CompiledDeleter>;
using Request = std::unique_ptr<octet_infer_request, RequestDeleter>;
using Tensor = std::unique_ptr<octet_tensor, TensorDeleter>;

// An input or output: name, element type and dims (-1 for a dynamic dim).
struct Port {
  std::string name;
  octet_element_type type = OCTET_TYPE_UNDEFINED;
  std::vector<int64_t> dims;
};

// The input `name` addresses by any name the library accepts for it (octet_model_find_input: every
// tensor name of the port, then the layer name). Row 28 of bad-inputs.md: otherwise a usage error
// listing valid names; an ambiguous name is a usage error naming the candidates.
const Port& find_input(octet_model_t model, const std::vector<Port>& inputs, const std::string& name,
                       const std::string& flag);
// The same, but nullptr when no input has that name.
const Port* try_find_input(octet_model_t model, const std::vector<Port>& inputs, const std::string& name,
                           const std::string& flag);

Model read_model(const std::string& path);
std::vector<Port> model_inputs(octet_model_t model);
std::vector<Port> model_outputs(octet_model_t model);
std::vector<Port> compiled_outputs(octet_compiled_model_t compiled);
Compiled compile(octet_model_t model, const std::string& device, const std::vector<std::string>& options);
Request create_request(octet_compiled_model_t compiled);
Port tensor_port(octet_tensor_t tensor, const std::string& name);
std::vector<octet_node_assignment> assignments(octet_compiled_model_t compiled);

std::string shape_string(const std::vector<int64_t>& dims);
// A file name stem for a tensor name, as the zoo makes them: [^A-Za-z0-9_.-] becomes '_'.
std::string file_stem(const std::string& tensor_name);
// Creates `dir` (and its parents); CliError when that fails.
void make_directories(const std::string& dir, const std::string& flag);
// Writes every output of `request` as <dir>/<file_stem(name)>.npy; returns the paths in port order.
std::vector<std::string> write_outputs(octet_infer_request_t request, const std::vector<Port>& outputs,
                                       const std::string& dir);
std::string type_name(octet_element_type type);
std::string bytes_string(uint64_t bytes);  // "12.5 MiB"
// "<name> (<full name>)" of the device a compiled model runs on, plus the AUTO note if any.
std::string device_description(octet_compiled_model_t compiled);

// Options shared by run, compare and bench.
struct RunOptions {
  std::string model;
  std::string device = "CPU";
  std::vector<std::string> inputs;  // -i values
  std::vector<std::string> shapes;  // -shape values
  bool zoo = false;                 // inputs from <model dir>/inputs/<name>.npy
  uint64_t seed = 1;                // for generated inputs
  std::string precision = "fast";
  bool fp16 = false;
  bool no_fallback = false;
  std::string cache_dir;
  bool guard = false;      // OpenCL guard mode
  int64_t timeout_ms = 0;  // OpenCL wait limit per inference; 0 = none
  bool quiet = false;
};

// A repeatable option whose values are kept exactly as typed (brackets and commas included).
void add_raw_list_option(CLI::App& app, const std::string& names, std::vector<std::string>& values,
                         const std::string& description);
// Registers -m, -d, -i, -shape, --zoo, --seed, --precision, --fp16, --no_fallback, --cache_dir,
// --guard, --timeout.
void add_run_options(CLI::App& app, RunOptions& options, bool with_device);
// Compile options ("key=value") from `options`, plus `extra`.
std::vector<std::string> compile_options(const RunOptions& options,
                                         const std::vector<std::string>& extra = {});

// Reads the model and applies -shape (reshape); the model then has the shapes inputs are made for.
Model read_model_for_run(const RunOptions& options);

}  // namespace octet::cli
