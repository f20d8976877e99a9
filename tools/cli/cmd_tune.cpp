// `octet tune -m MODEL -d GPU [--budget S]`: tunes the tiled int8 core's tile parameters for each
// distinct GEMM / convolution shape of the model on an OpenCL device (octet_model_tune) and prints
// what it found; later compiles on that device use the stored winners.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "tools/cli/cli.h"
#include "tools/cli/commands.h"
#include "tools/cli/table.h"

namespace octet::cli {
namespace {

struct TuneCliOptions {
  RunOptions run;
  double budget = 60;
  size_t max_candidates = 0;
};

std::string us(double v) {
  return v < 0 ? "-" : fmt::format("{:.1f}", v);
}

int run_tune(TuneCliOptions& o) {
  if (o.run.model.empty()) usage_error("tune: -m MODEL is required");
  if (o.run.device == "CPU" || o.run.device == "AUTO")
    usage_error("tune: -d must be an OpenCL device (GPU, GPU.<n>)");
  Model model = read_model_for_run(o.run);
  const std::vector<std::string> options = compile_options(o.run);
  std::vector<const char*> argv;
  for (const std::string& s : options) argv.push_back(s.c_str());
  argv.push_back(nullptr);
  octet_tune_list list{};
  check(octet_model_tune(model.get(), o.run.device.c_str(), argv.data(), o.budget, o.max_candidates, &list),
        "tune");
  struct Free {
    octet_tune_list* l;
    ~Free() { octet_tune_list_free(l); }
  } free_list{&list};
  fmt::print("Model   {}\nDevice  {}\nBudget  {:g} s{}\n\n", o.run.model, o.run.device, o.budget,
             o.max_candidates ? fmt::format(", at most {} parameter sets per shape", o.max_candidates) : "");
  Table table({"Node", ">Nodes", "Shape", ">Sets", ">Default us", ">Best us", "Params", "Status"});
  for (size_t i = 0; i < list.count; ++i) {
    const octet_tune_record& r = list.records[i];
    table.add_row({r.node_name, std::to_string(r.nodes), r.shape, std::to_string(r.candidates),
                   us(r.default_us), us(r.best_us), r.params, r.status});
  }
  table.print(stdout, "  ");
  fmt::print("\n{} shapes in {:.1f} s; results {}\n", list.count, list.seconds,
             *list.file ? fmt::format("stored in {}", list.file) : std::string("not stored (nothing tuned)"));
  return kExitOk;
}

}  // namespace

Runner add_tune_command(CLI::App& app) {
  auto o = std::make_shared<TuneCliOptions>();
  o->run.device = "GPU";
  app.add_option("-m,--m,--model", o->run.model, "Model .xml")->required();
  app.add_option("-d,--d,--device", o->run.device, "OpenCL device: GPU (default) or GPU.<n>");
  app.add_option("--budget", o->budget, "Seconds for the whole model, shared among its shapes (default 60)")
      ->check(CLI::PositiveNumber);
  app.add_option("--max_candidates", o->max_candidates,
                 "At most this many parameter sets per shape (0: no cap)");
  add_raw_list_option(app, "--shape", o->run.shapes, "Input shapes, as for run");
  app.add_option("--cache_dir", o->run.cache_dir,
                 "Program cache directory; results go to <dir>/tuning.tsv (default $OCTET_CACHE_DIR)");
  return [o] { return run_tune(*o); };
}

}  // namespace octet::cli
