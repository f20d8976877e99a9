// The octet subcommands: each registers its options on a CLI11 subcommand and returns a runner
// that yields the process exit code (errors are thrown as CliError).
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace octet::cli {

using Runner = std::function<int()>;

Runner add_devices_command(CLI::App& app);
Runner add_info_command(CLI::App& app);
Runner add_run_command(CLI::App& app);
Runner add_compare_command(CLI::App& app);
Runner add_bench_command(CLI::App& app);
Runner add_tune_command(CLI::App& app);

// `octet devices`' report (also `octet info` without -m); returns the exit code.
int print_devices(bool verbose = false);

}  // namespace octet::cli
