// `octet info -m model.xml [-d DEVICE] [--json]`: inputs, outputs and the op histogram as read; with
// -d, also where each node runs after compiling for that device. Without -m: the devices.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "tools/cli/cli.h"
#include "tools/cli/commands.h"
#include "tools/cli/placement.h"
#include "tools/cli/table.h"

namespace octet::cli {
namespace {

struct InfoOptions {
  RunOptions run;
  std::string device;
  bool json = false;
};

using OpHistogram = std::map<std::pair<std::string, int>, size_t>;  // (op, version) -> nodes

OpHistogram op_histogram(octet_model_t model, size_t* node_count) {
  check(octet_model_node_count(model, node_count), "model nodes");
  OpHistogram histogram;
  for (size_t i = 0; i < *node_count; ++i) {
    const char* name = nullptr;
    const char* op = nullptr;
    int version = 0;
    check(octet_model_node(model, i, &name, &op), "model nodes");
    check(octet_model_node_version(model, i, &version), "model nodes");
    ++histogram[{op, version}];
  }
  return histogram;
}

nlohmann::json ports_json(const std::vector<Port>& ports) {
  nlohmann::json list = nlohmann::json::array();
  for (const Port& p : ports)
    list.push_back({{"name", p.name}, {"element_type", type_name(p.type)}, {"shape", p.dims}});
  return list;
}

void print_ports(const char* title, const std::vector<Port>& ports) {
  fmt::print("\n{}\n", title);
  Table table({"Name", "Type", "Shape"});
  for (const Port& p : ports) table.add_row({p.name, type_name(p.type), shape_string(p.dims)});
  table.print(stdout, "  ");
}

// The DOT4 path of the device an OpenCL compile runs on, with the probe's reason.
void print_dot4_line(octet_compiled_model_t compiled) {
  const char* device = nullptr;
  check(octet_compiled_model_device(compiled, &device, nullptr), "device");
  size_t count = 0;
  check(octet_device_count(&count), "devices");
  for (size_t i = 0; i < count; ++i) {
    octet_device_info d{};
    check(octet_device_get_info(i, &d), "devices");
    const char* detail = nullptr;
    if (d.type == OCTET_DEVICE_GPU && std::string(d.name) == device &&
        octet_device_dot4_detail(i, &detail) == OCTET_OK)
      fmt::print("DOT4    {}\n", detail);
  }
}

int run_info(const InfoOptions& options) {
  if (options.run.model.empty()) {
    if (!options.device.empty() || options.json) usage_error("info: -d and --json need -m MODEL");
    return print_devices();
  }
  Model model = read_model_for_run(options.run);
  size_t node_count = 0;
  const OpHistogram histogram = op_histogram(model.get(), &node_count);
  const std::vector<Port> inputs = model_inputs(model.get());
  const std::vector<Port> outputs = model_outputs(model.get());
  if (options.json) {
    nlohmann::json j;
    j["model"] = options.run.model;
    j["node_count"] = node_count;
    j["inputs"] = ports_json(inputs);
    j["outputs"] = ports_json(outputs);
    nlohmann::json ops = nlohmann::json::object(), versions = nlohmann::json::array();
    for (const auto& [key, n] : histogram) {
      ops[key.first] = ops.value(key.first, size_t(0)) + n;
      versions.push_back({{"op", key.first}, {"version", key.second}, {"count", n}});
    }
    j["ops"] = ops;
    j["op_versions"] = versions;
    if (!options.device.empty()) {
      Compiled compiled = compile(model.get(), options.device, compile_options(options.run));
      nlohmann::json nodes = nlohmann::json::array();
      for (const octet_node_assignment& a : assignments(compiled.get()))
        nodes.push_back({{"node", a.node_name},
                         {"op", a.op},
                         {"backend", a.backend},
                         {"kernel", a.impl},
                         {"precision", a.precision},
                         {"note", a.note},
                         {"onednn_reference", is_onednn_reference(a.impl)}});
      j["placement"] = nodes;
    }
    fmt::print("{}\n", j.dump(1));
    return kExitOk;
  }

  fmt::print("Model   {}\nNodes   {}\n", options.run.model, node_count);
  print_ports("Inputs", inputs);
  print_ports("Outputs", outputs);
  fmt::print("\nOps\n");
  Table table({"Op", ">Version", ">Count"});
  for (const auto& [key, n] : histogram)
    table.add_row({key.first, std::to_string(key.second), std::to_string(n)});
  table.print(stdout, "  ");
  if (!options.device.empty()) {
    Compiled compiled = compile(model.get(), options.device, compile_options(options.run));
    uint64_t weights = 0, activations = 0;
    check(octet_compiled_model_memory(compiled.get(), &weights, &activations), "memory");
    fmt::print("\nCompiled for {}\n", device_description(compiled.get()));
    print_dot4_line(compiled.get());
    fmt::print("Memory  weights {}, activations {} per request\n\n", bytes_string(weights),
               bytes_string(activations));
    print_placement(compiled.get(), /*full=*/true);
  }
  return kExitOk;
}

}  // namespace

Runner add_info_command(CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  app.add_option("-m,--m,--model", options->run.model,
                 "Model .xml (without it: the devices, as `octet devices`)");
  app.add_option("-d,--d,--device", options->device, "Also compile for this device and show placement");
  add_raw_list_option(app, "--shape", options->run.shapes, "Input shapes, as for run");
  app.add_option("--precision", options->run.precision, "Precision for -d: fast or reference")
      ->check(CLI::IsMember({"fast", "reference"}));
  app.add_flag("--json", options->json, "Print JSON instead of tables");
  return [options] { return run_info(*options); };
}

}  // namespace octet::cli
