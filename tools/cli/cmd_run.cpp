// `octet run -m model.xml -d DEVICE [-i ...] [-o DIR]`: one inference, outputs written as .npy.
#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>

#include "tools/cli/cli.h"
#include "tools/cli/commands.h"
#include "tools/cli/inputs.h"
#include "tools/cli/placement.h"
#include "tools/cli/table.h"
#include "tools/cli/tensor_stats.h"

namespace octet::cli {
namespace {

struct RunCommandOptions {
  RunOptions run;
  std::string output_dir = ".";
  bool layers = false;
};

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

int run_once(const RunCommandOptions& options) {
  make_directories(options.output_dir, "-o");  // before the work, so a bad -o fails fast
  Model model = read_model_for_run(options.run);
  std::vector<InputTensor> inputs = load_inputs(model.get(), model_inputs(model.get()), options.run);
  auto start = std::chrono::steady_clock::now();
  Compiled compiled =
      compile(model.get(), options.run.device,
              compile_options(options.run, options.layers ? std::vector<std::string>{"all_layers=true"}
                                                          : std::vector<std::string>{}));
  const double compile_ms = ms_since(start);
  Request request = create_request(compiled.get());
  set_inputs(request.get(), inputs);
  start = std::chrono::steady_clock::now();
  check(octet_infer_request_infer(request.get()), "inference failed");
  const double infer_ms = ms_since(start);

  fmt::print("Model    {}\nDevice   {}\n", options.run.model, device_description(compiled.get()));
  fmt::print("Compile  {:.1f} ms\nInfer    {:.2f} ms (first inference, includes warm-up)\n", compile_ms,
             infer_ms);
  for (const InputTensor& in : inputs) fmt::print("Input    {} <- {}\n", in.name, in.source);

  const std::vector<Port> outputs = compiled_outputs(compiled.get());
  Table table({"Output", "Type", "Shape", ">Min", ">Max", ">Mean", "NaN/Inf", "File"});
  for (size_t i = 0; i < outputs.size(); ++i) {
    octet_tensor_t raw = nullptr;
    check(octet_infer_request_get_output_by_index(request.get(), i, &raw),
          fmt::format("output '{}'", outputs[i].name));
    Tensor tensor(raw);
    const std::string path = options.output_dir + "/" + file_stem(outputs[i].name) + ".npy";
    check(octet_tensor_write_npy(tensor.get(), path.c_str()), fmt::format("output '{}'", outputs[i].name));
    const std::vector<double> values = tensor_values(tensor.get());
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    size_t finite = 0, special = 0;
    for (double v : values) {
      if (!std::isfinite(v)) {
        ++special;
        continue;
      }
      lo = std::min(lo, v), hi = std::max(hi, v), sum += v, ++finite;
    }
    auto number = [](double v) { return std::isfinite(v) ? fmt::format("{:.6g}", v) : std::string("-"); };
    table.add_row({outputs[i].name, type_name(outputs[i].type), shape_string(outputs[i].dims), number(lo),
                   number(hi), number(finite ? sum / finite : NAN), std::to_string(special), path});
  }
  fmt::print("\n");
  table.print();
  if (!options.run.quiet) {
    fmt::print("\n");
    print_placement(compiled.get(), /*full=*/false);
  }
  return kExitOk;
}

}  // namespace

Runner add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunCommandOptions>();
  add_run_options(app, options->run, /*with_device=*/true);
  app.add_option("-o,--o,--output_dir", options->output_dir, "Folder for <output>.npy files")
      ->capture_default_str();
  app.add_flag("--layers", options->layers, "Also write every intermediate tensor");
  app.add_flag("-q,--quiet", options->run.quiet, "Leave out the placement summary");
  return [options] { return run_once(*options); };
}

}  // namespace octet::cli
