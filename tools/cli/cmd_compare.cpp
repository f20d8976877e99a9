// `octet compare -m model.xml -d GPU -ref_d CPU [--layers]`: the same inputs on two devices, output by
// output (or every layer), with a table of differences and a pass/fail exit code. With --ref DIR the
// reference is stored outputs (DIR/<output>.npy, e.g. OpenVINO's) instead of a second device.
#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <map>

#include "tools/cli/cli.h"
#include "tools/cli/commands.h"
#include "tools/cli/inputs.h"
#include "tools/cli/placement.h"
#include "tools/cli/table.h"
#include "tools/cli/tensor_stats.h"

namespace octet::cli {
namespace {

struct CompareOptions {
  RunOptions run;
  std::string reference_device = "CPU";
  std::string reference_precision;  // default: the same as --precision
  bool layers = false;
  bool placement = false;
  std::string dump_dir;         // writes <dir>/device and <dir>/reference .npy files
  std::string ref_dir;          // reference outputs as <dir>/<output>.npy instead of a device
  double atol = -1, rtol = -1;  // < 0: per-type defaults
};

// One side of the comparison: compiled model, its outputs after one inference, and timing.
struct Side {
  Compiled compiled;
  std::vector<Port> ports;
  std::map<std::string, Tensor> outputs;
  double infer_ms = 0;
};

Side run_side(octet_model_t model, const std::string& device, const RunOptions& run,
              const std::string& precision, bool layers, const std::vector<InputTensor>& inputs,
              const std::string& dump_dir) {
  RunOptions side_options = run;
  side_options.precision = precision;
  Side side;
  side.compiled = compile(model, device,
                          compile_options(side_options, layers ? std::vector<std::string>{"all_layers=true"}
                                                               : std::vector<std::string>{}));
  side.ports = compiled_outputs(side.compiled.get());
  Request request = create_request(side.compiled.get());
  set_inputs(request.get(), inputs);
  const auto start = std::chrono::steady_clock::now();
  check(octet_infer_request_infer(request.get()), fmt::format("inference on {} failed", device));
  side.infer_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!dump_dir.empty()) {
    make_directories(dump_dir, "--dump");
    write_outputs(request.get(), side.ports, dump_dir);
  }
  for (size_t i = 0; i < side.ports.size(); ++i) {
    octet_tensor_t tensor = nullptr;
    check(octet_infer_request_get_output_by_index(request.get(), i, &tensor),
          fmt::format("output '{}' on {}", side.ports[i].name, device));
    side.outputs[side.ports[i].name] = Tensor(tensor);
  }
  return side;
}

// The stored reference: <dir>/<file_stem(name)>.npy for each of `ports` that has one.
Side load_reference(const std::string& dir, const std::vector<Port>& ports) {
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) usage_error("--ref " + dir + ": not a folder");
  Side side;
  for (const Port& port : ports) {
    const std::string path = dir + "/" + file_stem(port.name) + ".npy";
    if (stat(path.c_str(), &st) != 0) continue;
    octet_tensor_t tensor = nullptr;
    check(octet_tensor_read_npy(path.c_str(), &tensor), "--ref " + path);
    side.outputs[port.name] = Tensor(tensor);
    side.ports.push_back(port);
  }
  if (side.outputs.empty()) usage_error("--ref " + dir + ": no <output>.npy for any output of the model");
  return side;
}

std::string sci(double v) {
  return fmt::format("{:.3g}", v);
}

struct Row {
  std::vector<std::string> cells;
  bool pass = true;
};

// `quant_model` tells the quantization step of a tensor (the reference's compiled model, or the
// device's one when the reference is stored outputs).
Row compare_one(const CompareOptions& options, const Port& port, octet_tensor_t actual,
                octet_tensor_t reference, octet_compiled_model_t quant_model) {
  Row row;
  const Port ref_port = tensor_port(reference, port.name);
  const Port act_port = tensor_port(actual, port.name);
  if (ref_port.dims != act_port.dims || ref_port.type != act_port.type) {
    row.pass = false;
    row.cells = {port.name,
                 fmt::format("{}/{}", type_name(act_port.type), type_name(ref_port.type)),
                 fmt::format("{} vs {}", shape_string(act_port.dims), shape_string(ref_port.dims)),
                 "-",
                 "-",
                 "-",
                 "-",
                 "-",
                 "-",
                 "-",
                 "-",
                 "FAIL (type/shape differ)"};
    return row;
  }
  Tolerance tolerance = default_tolerance(ref_port.type);
  if (options.atol >= 0) tolerance.atol = options.atol;
  if (options.rtol >= 0) tolerance.rtol = options.rtol;
  std::string tolerance_text = tolerance.atol == 0 && tolerance.rtol == 0
                                   ? std::string("exact")
                                   : fmt::format("{:.0e}, {:.0e}", tolerance.atol, tolerance.rtol);
  // A tensor on a quantization grid may land one step away when rounding ties differ (unless the
  // user gave --atol).
  double step = 0;
  int64_t levels = 0;
  if (options.atol < 0 &&
      octet_compiled_model_quant_step(quant_model, port.name.c_str(), &step, &levels) == OCTET_OK &&
      step > tolerance.atol) {
    tolerance.atol = step * (1 + 1e-6);
    tolerance_text = fmt::format("1 step {}", sci(step));
  }
  const Comparison c = compare_values(tensor_values(actual), tensor_values(reference), tolerance);
  row.pass = c.pass;
  // Rounded down, so that a failing tensor never shows 100.00%.
  const double percent = c.count ? std::floor(10000.0 * double(c.within) / double(c.count)) / 100 : 100.0;
  row.cells = {port.name,
               type_name(ref_port.type),
               shape_string(ref_port.dims),
               sci(c.max_abs),
               sci(c.max_rel),
               fmt::format("{:.2f}%", percent),
               tolerance_text,
               fmt::format("{}/{}", c.actual.nan, c.reference.nan),
               fmt::format("{}/{}", c.actual.inf, c.reference.inf),
               fmt::format("{}/{}", c.actual.zero, c.reference.zero),
               c.max_abs == 0 && !c.special_mismatches
                   ? std::string("-")
                   : fmt::format("{} {:.6g} vs {:.6g}", index_string(c.worst_index, ref_port.dims),
                                 c.worst_actual, c.worst_reference),
               c.pass ? "ok"
                      : (c.special_mismatches ? fmt::format("FAIL ({} NaN/Inf differ)", c.special_mismatches)
                                              : "FAIL")};
  return row;
}

int run_compare(const CompareOptions& options) {
  Model model = read_model_for_run(options.run);
  const std::vector<InputTensor> inputs = load_inputs(model_inputs(model.get()), options.run);
  const std::string ref_precision =
      options.reference_precision.empty() ? options.run.precision : options.reference_precision;
  const bool dump = !options.dump_dir.empty();
  const bool stored = !options.ref_dir.empty();
  if (stored && dump)
    usage_error("--dump compares two devices; with --ref DIR the reference is already files");
  Side device = run_side(model.get(), options.run.device, options.run, options.run.precision, options.layers,
                         inputs, dump ? options.dump_dir + "/device" : "");
  Side reference = stored ? load_reference(options.ref_dir, device.ports)
                          : run_side(model.get(), options.reference_device, options.run, ref_precision,
                                     options.layers, inputs, dump ? options.dump_dir + "/reference" : "");
  const std::string reference_name = stored ? options.ref_dir : options.reference_device;

  fmt::print("Model      {}\n", options.run.model);
  fmt::print("Device     {}, precision {}, first inference {:.2f} ms\n",
             device_description(device.compiled.get()), options.run.precision, device.infer_ms);
  if (stored) {
    fmt::print("Reference  {}/<output>.npy (stored outputs)\n", options.ref_dir);
  } else {
    fmt::print("Reference  {}, precision {}, first inference {:.2f} ms\n",
               device_description(reference.compiled.get()), ref_precision, reference.infer_ms);
  }
  for (const InputTensor& in : inputs) fmt::print("Input      {} <- {}\n", in.name, in.source);
  if (dump) fmt::print("Dump       {}/device, {}/reference\n", options.dump_dir, options.dump_dir);
  fmt::print("Verdict    |device - reference| <= atol + rtol*|reference| for every element\n\n");

  const std::vector<std::string> headers = {"Tensor",
                                            "Type",
                                            "Shape",
                                            ">Max abs",
                                            ">Max rel",
                                            ">Within tol",
                                            "Tol",
                                            ">NaN d/r",
                                            ">Inf d/r",
                                            ">Zero d/r",
                                            "Worst [index] device vs ref",
                                            "Result"};
  // Model outputs come first in both lists; with --layers every other tensor follows.
  size_t model_outputs_count = model_outputs(model.get()).size();
  size_t failed = 0, compared = 0;
  std::vector<std::string> unmatched;
  Table outputs_table(headers), layers_table(headers);
  for (size_t i = 0; i < device.ports.size(); ++i) {
    const Port& port = device.ports[i];
    auto ref = reference.outputs.find(port.name);
    if (ref == reference.outputs.end()) {
      unmatched.push_back(port.name);
      continue;
    }
    Row row = compare_one(options, port, device.outputs.at(port.name).get(), ref->second.get(),
                          stored ? device.compiled.get() : reference.compiled.get());
    ++compared;
    if (!row.pass) ++failed;
    (i < model_outputs_count ? outputs_table : layers_table).add_row(std::move(row.cells));
  }
  fmt::print("Outputs\n");
  outputs_table.print(stdout, "  ");
  if (options.layers) {
    fmt::print("\nLayers ({} intermediate tensors)\n", layers_table.rows());
    layers_table.print(stdout, "  ");
  }
  // A model output without a reference is reported (and fails: nothing vouched for it).
  size_t missing_outputs = 0;
  for (size_t i = 0; i < device.ports.size() && i < model_outputs_count; ++i)
    if (!reference.outputs.count(device.ports[i].name)) ++missing_outputs;
  if ((options.layers || missing_outputs) && !unmatched.empty())
    fmt::print("  not in {}: {}\n", reference_name, fmt::join(unmatched, ", "));
  failed += missing_outputs;
  fmt::print("\n");
  print_placement(device.compiled.get(), options.placement);
  if (!stored && options.reference_device != options.run.device) {
    // Only fallbacks matter on the reference side; its quantized nodes are the same graph's.
    const char* ref_device = nullptr;
    check(octet_compiled_model_device(reference.compiled.get(), &ref_device, nullptr), "device");
    for (const octet_node_assignment& a : assignments(reference.compiled.get()))
      if (std::string(a.backend) != ref_device)
        fmt::print("  reference fallback  {} ({}) -> {}: {}\n", a.node_name, a.op, a.backend, a.note);
  }
  fmt::print("\n{}: {} of {} tensors within tolerance\n", failed ? "FAIL" : "PASS",
             compared + missing_outputs - failed, compared + missing_outputs);
  return failed ? kExitFailure : kExitOk;
}

}  // namespace

Runner add_compare_command(CLI::App& app) {
  auto options = std::make_shared<CompareOptions>();
  options->run.device = "GPU";
  add_run_options(app, options->run, /*with_device=*/true);
  app.add_option("--ref_d,--reference_device", options->reference_device, "Reference device")
      ->capture_default_str();
  app.add_option("--ref_precision", options->reference_precision,
                 "Precision on the reference device (default: --precision)")
      ->check(CLI::IsMember({"fast", "reference"}));
  app.add_flag("--layers", options->layers, "Compare every intermediate tensor too");
  app.add_flag("--placement", options->placement, "Print the full node placement table");
  app.add_option("--ref", options->ref_dir,
                 "Compare against stored outputs DIR/<output>.npy (e.g. OpenVINO's) instead of --ref_d")
      ->type_name("DIR");
  app.add_option("--dump", options->dump_dir,
                 "Also write both sides' tensors as DIR/device/<name>.npy and DIR/reference/<name>.npy");
  app.add_option("--atol", options->atol,
                 "Absolute tolerance (default per type: f32 1e-4, f16 1e-3, ints 0)");
  app.add_option("--rtol", options->rtol,
                 "Relative tolerance (default per type: f32 1e-4, f16 1e-3, ints 0)");
  return [options] { return run_compare(*options); };
}

}  // namespace octet::cli
