// The octet command-line tool: devices, info, run, compare and bench over the public C API, with
// benchmark_app-style flags (-m, -d, -i, -shape, -niter, -ref_d ...).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <memory>

#include "tools/cli/cli.h"
#include "tools/cli/commands.h"

namespace {

// CLI11 takes only one-character names after a single dash, so benchmark_app spellings such as
// "-niter 5" or "-ref_d CPU" are rewritten to "--niter" before parsing. Negative numbers and
// single-letter flags are left alone.
std::vector<std::string> normalise_arguments(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() > 2 && a[0] == '-' && a[1] != '-' &&
        (std::isalpha(static_cast<unsigned char>(a[1])) || a[1] == '_')) {
      const size_t end = a.find('=');
      const std::string name = a.substr(1, end == std::string::npos ? std::string::npos : end - 1);
      bool word = name.size() >= 2;
      for (char c : name) word = word && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      if (word) a = "-" + a;
    }
    args.push_back(a);
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace octet::cli;
  CLI::App app{fmt::format("octet {}: run OpenVINO IR models on OpenCL devices and the CPU", octet_version()),
               "octet"};
  app.require_subcommand(1);
  app.footer(
      "Single-dash long flags as in OpenVINO's benchmark_app work too: -niter, -shape, -ref_d, -pc.\n"
      "Exit codes: 0 success, 1 tensors outside tolerance (compare), 2 usage error, 3 runtime error\n"
      "(missing file, bad model, compile or inference failure).\n"
      "Environment: POCL_CACHE_DIR (PoCL kernel cache), OCL_ICD_VENDORS (which OpenCL driver), "
      "OCTET_CACHE_DIR (octet's program cache).");
  app.set_version_flag("--version", std::string(octet_version()));
  std::map<CLI::App*, Runner> runners;
  auto add = [&](const char* name, const char* description, Runner (*add_command)(CLI::App&)) {
    CLI::App* sub = app.add_subcommand(name, description);
    runners[sub] = add_command(*sub);
  };
  add("devices", "List devices (CPU and OpenCL) with their capabilities", add_devices_command);
  add("info", "Show a model's inputs, outputs and op histogram (and placement with -d)", add_info_command);
  add("run", "Run a model once and write its outputs as .npy", add_run_command);
  add("compare", "Run a model on two devices and compare outputs (or every layer)", add_compare_command);
  add("bench", "Measure latency and throughput, optionally per layer", add_bench_command);
  add("tune", "Tune the int8 core's tile parameters for a model's shapes on an OpenCL device",
      add_tune_command);

  std::vector<std::string> args = normalise_arguments(argc, argv);
  std::reverse(args.begin(), args.end());  // CLI11 consumes a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  try {
    for (auto& [sub, runner] : runners)
      if (sub->parsed()) return runner();
  } catch (const CliError& e) {
    fmt::print(stderr, "octet: error: {}\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    fmt::print(stderr, "octet: error: {}\n", e.what());
    return kExitRuntime;
  }
  return kExitUsage;
}
