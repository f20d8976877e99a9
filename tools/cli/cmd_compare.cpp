// `octet compare -m model.xml -d GPU -ref_d CPU [--layers] [--json FILE|-]`: the same inputs on two
// devices, output by output (or every layer), with a table of differences (max/mean abs, max rel,
// cosine, error in quantization steps), the first diverging layer and a pass/fail exit code. With
// --ref DIR (--ref-outputs) the reference is stored outputs (DIR/<output>.npy, e.g. OpenVINO's).
#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "tools/cli/cli.h"
#include "tools/cli/commands.h"
#include "tools/cli/divergence.h"
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
  std::string layers_value;  // --layers takes an optional "all"
  bool placement = false;
  std::string json_path;  // "-" for stdout
  std::string dump_dir;   // writes <dir>/device and <dir>/reference .npy files
  // Reference outputs as <dir>/<output>.npy instead of a device; repeatable: the first is the
  // reference of the tables, each further one (e.g. OpenVINO's literal run, ref_literal/) is
  // compared too, and an output passes when it passes against any of them.
  std::vector<std::string> ref_dirs;
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
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) failure("--ref " + dir + ": not a folder");
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

// The quantized models' bound, for tensors computed from quantized data: a rounding tie resolved
// differently upstream flips one level, which moves downstream values by a fraction of their range.
constexpr double kQuantizedBoundShare = 0.999;
constexpr double kQuantizedBoundFraction = 0.01;

std::string sci(double v) {
  return fmt::format("{:.3g}", v);
}

// One compared tensor: the statistics behind a table row and a JSON entry.
struct TensorResult {
  std::string name;
  bool is_output = false;
  bool compared = false;  // false: type or shape differ
  Port actual, reference;
  Tolerance tolerance;
  std::string tolerance_text;
  double step = 0;  // quantization step of the tensor (0: not on a FakeQuantize grid)
  // Which verdict rule applied: "given" (--atol/--rtol), "exact" (integers), "grid" (one step of the
  // tensor's own grid), "quantized" (computed from quantized data: the quantized models' bound) or
  // "float" (the float tolerance).
  std::string rule;
  double upstream_step = 0;  // nearest quantization grid upstream (rule "quantized"), 0 if none
  std::string grid_node;     // the node holding it
  // Rule "grid" for a tensor whose layer reads quantized data: a flip of one step upstream can move
  // its input across two of its own levels, so the quantized models' bound also passes it.
  bool grid_or_quantized = false;
  Comparison c;
  bool pass = false;
  std::string result;
};

// Whether an input of the layer writing `name` in `model` is computed from quantized data.
bool reads_quantized_data(octet_compiled_model_t model, const std::string& name) {
  size_t count = 0;
  const char* const* inputs = nullptr;
  if (!model || octet_compiled_model_tensor_inputs(model, name.c_str(), &count, &inputs) != OCTET_OK)
    return false;
  for (size_t i = 0; i < count; ++i) {
    int quantized = 0;
    double step = 0;
    const char* node = nullptr;
    if (octet_compiled_model_quant_origin(model, inputs[i], &quantized, &step, &node) == OCTET_OK &&
        quantized)
      return true;
  }
  return false;
}

// `quant_model` tells the quantization step of a tensor (the reference's compiled model, or the
// device's one when the reference is stored outputs); `other_model` (the device's, or null) also
// tells whether it is computed from quantized data: the reference precision folds weight
// decompression into f32 constants, which hides compressed weights from its own model.
TensorResult compare_one(const CompareOptions& options, const Port& port, octet_tensor_t actual,
                         octet_tensor_t reference, octet_compiled_model_t quant_model,
                         octet_compiled_model_t other_model = nullptr) {
  TensorResult r;
  r.name = port.name;
  r.reference = tensor_port(reference, port.name);
  r.actual = tensor_port(actual, port.name);
  if (r.reference.dims != r.actual.dims || r.reference.type != r.actual.type) {
    r.result = "FAIL (type/shape differ)";
    return r;
  }
  r.compared = true;
  r.tolerance = default_tolerance(r.reference.type);
  if (options.atol >= 0) r.tolerance.atol = options.atol;
  if (options.rtol >= 0) r.tolerance.rtol = options.rtol;
  r.tolerance_text = r.tolerance.atol == 0 && r.tolerance.rtol == 0
                         ? std::string("exact")
                         : fmt::format("{:.0e}, {:.0e}", r.tolerance.atol, r.tolerance.rtol);
  int64_t levels = 0;
  if (octet_compiled_model_quant_step(quant_model, port.name.c_str(), &r.step, &levels) != OCTET_OK)
    r.step = 0;
  int from_quantized = 0;
  const char* grid_node = nullptr;
  if (octet_compiled_model_quant_origin(quant_model, port.name.c_str(), &from_quantized, &r.upstream_step,
                                        &grid_node) != OCTET_OK)
    from_quantized = 0;
  if (grid_node) r.grid_node = grid_node;
  if (!from_quantized && other_model) {
    double step = 0;
    grid_node = nullptr;
    if (octet_compiled_model_quant_origin(other_model, port.name.c_str(), &from_quantized, &step,
                                          &grid_node) != OCTET_OK)
      from_quantized = 0;
    if (from_quantized) {
      r.upstream_step = step;
      r.grid_node = grid_node ? grid_node : "";
    }
  }
  const bool given = options.atol >= 0 || options.rtol >= 0;
  const bool integer = r.tolerance.atol == 0 && r.tolerance.rtol == 0;
  r.rule = given ? "given" : integer ? "exact" : "float";
  const std::vector<double> actual_values = tensor_values(actual),
                            reference_values = tensor_values(reference);
  if (!given && !integer && r.step > r.tolerance.atol) {
    // A tensor on a quantization grid may land one step away when rounding ties differ.
    r.rule = "grid";
    r.tolerance.atol = r.step * (1 + 1e-6);
    r.tolerance_text = fmt::format("1 step {}", sci(r.step));
    r.grid_or_quantized = reads_quantized_data(quant_model, port.name);
    if (r.grid_or_quantized)
      r.tolerance_text +=
          fmt::format(" or {:g}% in {:g}% max", 100 * kQuantizedBoundShare, 100 * kQuantizedBoundFraction);
  } else if (!given && !integer && from_quantized) {
    // Computed from quantized data: a one-step flip upstream moves it by a fraction of its range.
    r.rule = "quantized";
    double max_ref = 0;
    for (double v : reference_values)
      if (std::isfinite(v)) max_ref = std::max(max_ref, std::fabs(v));
    r.tolerance = {kQuantizedBoundFraction * max_ref, 0};
    r.tolerance_text =
        fmt::format("{:g}% in {:g}% max", 100 * kQuantizedBoundShare, 100 * kQuantizedBoundFraction);
  }
  r.c = compare_values(actual_values, reference_values, r.tolerance);
  r.pass = r.c.pass;
  auto meets_quantized_bound = [&](const Comparison& c) {
    return c.special_mismatches == 0 &&
           static_cast<double>(c.within) >= kQuantizedBoundShare * static_cast<double>(c.count);
  };
  if (r.rule == "quantized") r.pass = meets_quantized_bound(r.c);
  if (!r.pass && r.grid_or_quantized) {
    double max_ref = 0;
    for (double v : reference_values)
      if (std::isfinite(v)) max_ref = std::max(max_ref, std::fabs(v));
    r.pass = meets_quantized_bound(
        compare_values(actual_values, reference_values, Tolerance{kQuantizedBoundFraction * max_ref, 0}));
  }
  r.result = r.pass
                 ? "ok"
                 : (r.c.special_mismatches ? fmt::format("FAIL ({} NaN/Inf differ)", r.c.special_mismatches)
                                           : "FAIL");
  return r;
}

// Rounded down, so that a failing tensor never shows 100.00%.
double within_percent(const Comparison& c) {
  return c.count ? std::floor(10000.0 * double(c.within) / double(c.count)) / 100 : 100.0;
}

std::vector<std::string> row_cells(const TensorResult& r) {
  if (!r.compared)
    return {r.name,
            fmt::format("{}/{}", type_name(r.actual.type), type_name(r.reference.type)),
            fmt::format("{} vs {}", shape_string(r.actual.dims), shape_string(r.reference.dims)),
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            r.result};
  const Comparison& c = r.c;
  return {r.name,
          type_name(r.reference.type),
          shape_string(r.reference.dims),
          sci(c.max_abs),
          sci(c.mean_abs),
          sci(c.max_rel),
          fmt::format("{:.6f}", c.cosine),
          r.step > 0            ? fmt::format("{:.2f}", c.max_abs / r.step)
          : r.upstream_step > 0 ? fmt::format("{:.2f}", c.max_abs / r.upstream_step)
                                : std::string("-"),
          fmt::format("{:.2f}%", within_percent(c)),
          r.tolerance_text,
          fmt::format("{}/{}", c.actual.nan, c.reference.nan),
          fmt::format("{}/{}", c.actual.inf, c.reference.inf),
          fmt::format("{}/{}", c.actual.zero, c.reference.zero),
          c.max_abs == 0 && !c.special_mismatches
              ? std::string("-")
              : fmt::format("{} {:.6g} vs {:.6g}", index_string(c.worst_index, r.reference.dims),
                            c.worst_actual, c.worst_reference),
          r.result};
}

nlohmann::json tensor_json(const TensorResult& r) {
  nlohmann::json j = {{"name", r.name},
                      {"kind", r.is_output ? "output" : "layer"},
                      {"element_type", type_name(r.reference.type)},
                      {"shape", r.reference.dims},
                      {"pass", r.pass},
                      {"result", r.result}};
  if (!r.compared) {
    j["device_element_type"] = type_name(r.actual.type);
    j["device_shape"] = r.actual.dims;
    return j;
  }
  const Comparison& c = r.c;
  j["count"] = c.count;
  j["within"] = c.within;
  j["within_percent"] = within_percent(c);
  j["max_abs"] = c.max_abs;
  j["mean_abs"] = c.mean_abs;
  j["max_rel"] = c.max_rel;
  j["rel_floor"] = c.rel_floor;
  j["cosine"] = c.cosine;
  j["tolerance"] = {{"atol", r.tolerance.atol}, {"rtol", r.tolerance.rtol}, {"text", r.tolerance_text}};
  j["rule"] = r.rule;
  if (r.step > 0) {
    j["quant_step"] = r.step;
    j["max_steps"] = c.max_abs / r.step;
  } else if (r.upstream_step > 0) {
    j["upstream_quant_step"] = r.upstream_step;
    j["max_steps"] = c.max_abs / r.upstream_step;
  }
  if (!r.grid_node.empty()) j["quant_origin"] = r.grid_node;
  j["nan"] = {c.actual.nan, c.reference.nan};
  j["inf"] = {c.actual.inf, c.reference.inf};
  j["zero"] = {c.actual.zero, c.reference.zero};
  j["special_mismatches"] = c.special_mismatches;
  if (c.max_abs > 0 || c.special_mismatches) {
    std::vector<int64_t> index;
    size_t flat = c.worst_index;
    for (size_t d = r.reference.dims.size(); d-- > 0;) {
      const auto n = static_cast<size_t>(std::max<int64_t>(r.reference.dims[d], 1));
      index.insert(index.begin(), static_cast<int64_t>(flat % n));
      flat /= n;
    }
    j["worst"] = {{"index", index}, {"device", c.worst_actual}, {"reference", c.worst_reference}};
  }
  return j;
}

nlohmann::json placement_json(octet_compiled_model_t compiled) {
  const char* device = nullptr;
  check(octet_compiled_model_device(compiled, &device, nullptr), "device");
  const std::vector<octet_node_assignment> nodes = assignments(compiled);
  std::map<std::string, size_t> by_precision, by_backend;
  nlohmann::json fallbacks = nlohmann::json::array();
  for (const octet_node_assignment& a : nodes) {
    ++by_precision[a.precision[0] ? a.precision : "-"];
    ++by_backend[a.backend];
    if (std::string(a.backend) != device)
      fallbacks.push_back({{"node", a.node_name}, {"op", a.op}, {"backend", a.backend}, {"note", a.note}});
  }
  return {{"device", device},
          {"nodes", nodes.size()},
          {"by_backend", by_backend},
          {"by_precision", by_precision},
          {"fallbacks", fallbacks}};
}

// The tensors each layer reads (names as all_layers names them), for the first-divergence report.
std::vector<std::string> tensor_inputs(octet_compiled_model_t compiled, const std::string& name) {
  size_t count = 0;
  const char* const* names = nullptr;
  if (octet_compiled_model_tensor_inputs(compiled, name.c_str(), &count, &names) != OCTET_OK) return {};
  return std::vector<std::string>(names, names + count);
}

// The header's statement of which rule decided each model output (and, with --layers, the rules
// in use for the intermediate tensors).
void print_verdict_rules(std::FILE* text, const std::vector<TensorResult>& results, bool layers) {
  std::map<std::string, size_t> layer_rules;
  bool first = true;
  for (const TensorResult& r : results) {
    if (!r.compared) continue;
    if (!r.is_output) {
      ++layer_rules[r.rule];
      continue;
    }
    std::string why;
    if (r.rule == "given")
      why = fmt::format("|device - reference| <= {} + {}*|reference| (--atol/--rtol)", r.tolerance.atol,
                        r.tolerance.rtol);
    else if (r.rule == "exact")
      why = "integer tensor: equal";
    else if (r.rule == "grid")
      why = fmt::format("on a FakeQuantize grid: within one step ({}){}", sci(r.step),
                        r.grid_or_quantized
                            ? fmt::format(", or (its layer reads quantized data) >= {:g}% of "
                                          "elements within {:g}% of max|reference|",
                                          100 * kQuantizedBoundShare, 100 * kQuantizedBoundFraction)
                            : std::string());
    else if (r.rule == "quantized")
      why = fmt::format(
          "computed from quantized data ({}{}): >= {:g}% of elements within {:g}% of max|reference|",
          r.upstream_step > 0 || r.grid_node.empty()
              ? (r.grid_node.empty() ? std::string("compressed weights") : "nearest grid " + r.grid_node)
              : "compressed weights of " + r.grid_node,
          r.upstream_step > 0 ? ", step " + sci(r.upstream_step) : std::string(), 100 * kQuantizedBoundShare,
          100 * kQuantizedBoundFraction);
    else
      why = fmt::format("float path: |device - reference| <= {} + {}*|reference|", r.tolerance.atol,
                        r.tolerance.rtol);
    fmt::print(text, "{} {}: {}\n", first ? "Verdict   " : "          ", r.name, why);
    first = false;
  }
  if (layers && !layer_rules.empty()) {
    std::vector<std::string> parts;
    for (const auto& [rule, n] : layer_rules) parts.push_back(fmt::format("{} {}", n, rule));
    fmt::print(text, "           layers: {} (rules as for outputs; see the Tol column)\n",
               fmt::join(parts, ", "));
  }
}

const char* divergence_kind(Divergence::Kind kind) {
  switch (kind) {
    case Divergence::kNone: return "none";
    case Divergence::kLayer: return "layer";
    case Divergence::kPropagated: return "propagated";
    case Divergence::kUnknown: return "unknown";
  }
  return "";
}

// Every --ref after the first: each model output is compared against it with the same rules; an
// output failing the first reference but passing another passes, and the report names the
// reference each output follows (the closest by max abs difference).
struct OtherReferences {
  nlohmann::json report = nlohmann::json::array();
  std::vector<std::string> lines;
};
OtherReferences compare_other_references(const CompareOptions& options, const Side& device,
                                         std::vector<TensorResult>& results, size_t outputs_count,
                                         size_t* failed) {
  OtherReferences out;
  if (options.ref_dirs.size() < 2) return out;
  std::vector<Side> others;
  for (size_t k = 1; k < options.ref_dirs.size(); ++k)
    others.push_back(load_reference(options.ref_dirs[k], device.ports));
  for (TensorResult& r : results) {
    if (!r.is_output) continue;
    std::string line =
        fmt::format("  {}: {} {:.3g} {}", r.name, options.ref_dirs[0], r.c.max_abs, r.pass ? "PASS" : "FAIL");
    std::string follows = options.ref_dirs[0], passes_with = r.pass ? follows : "";
    double closest = r.compared ? r.c.max_abs : INFINITY;
    nlohmann::json entry = {{"tensor", r.name},
                            {options.ref_dirs[0], {{"max_abs", r.c.max_abs}, {"pass", r.pass}}}};
    for (size_t k = 0; k < others.size(); ++k) {
      const std::string& dir = options.ref_dirs[k + 1];
      auto ref = others[k].outputs.find(r.name);
      if (ref == others[k].outputs.end()) {
        line += fmt::format(", {} missing", dir);
        continue;
      }
      size_t port = 0;
      while (port < outputs_count && device.ports[port].name != r.name) ++port;
      const TensorResult o = compare_one(options, device.ports[port], device.outputs.at(r.name).get(),
                                         ref->second.get(), device.compiled.get());
      line += fmt::format(", {} {:.3g} {}", dir, o.c.max_abs, o.pass ? "PASS" : "FAIL");
      entry[dir] = {{"max_abs", o.c.max_abs}, {"pass", o.pass}};
      if (o.compared && o.c.max_abs < closest) {
        closest = o.c.max_abs, follows = dir;
      } else if (o.compared && o.c.max_abs == closest) {
        follows += " and " + dir + " (equally close)";
      }
      if (o.pass && passes_with.empty()) passes_with = dir;
    }
    out.lines.push_back(fmt::format("{}; follows {}", line, follows));
    entry["follows"] = follows;
    if (!r.pass && !passes_with.empty()) {
      r.pass = true;
      r.result = "PASS (" + passes_with + ")";
      --*failed;
    }
    out.report.push_back(entry);
  }
  return out;
}

int run_compare(const CompareOptions& options) {
  const bool json_stdout = options.json_path == "-";
  // With --json -, stdout carries only the JSON; the human report goes to stderr.
  std::FILE* text = json_stdout ? stderr : stdout;
  Model model = read_model_for_run(options.run);
  const std::vector<InputTensor> inputs = load_inputs(model.get(), model_inputs(model.get()), options.run);
  const std::string ref_precision =
      options.reference_precision.empty() ? options.run.precision : options.reference_precision;
  const bool dump = !options.dump_dir.empty();
  const bool stored = !options.ref_dirs.empty();
  const std::string ref_dir = stored ? options.ref_dirs.front() : "";
  if (stored && dump)
    usage_error("--dump compares two devices; with --ref DIR the reference is already files");
  Side device = run_side(model.get(), options.run.device, options.run, options.run.precision, options.layers,
                         inputs, dump ? options.dump_dir + "/device" : "");
  Side reference = stored ? load_reference(ref_dir, device.ports)
                          : run_side(model.get(), options.reference_device, options.run, ref_precision,
                                     options.layers, inputs, dump ? options.dump_dir + "/reference" : "");
  const std::string reference_name = stored ? ref_dir : options.reference_device;

  fmt::print(text, "Model      {}\n", options.run.model);
  fmt::print(text, "Device     {}, precision {}, first inference {:.2f} ms\n",
             device_description(device.compiled.get()), options.run.precision, device.infer_ms);
  if (stored) {
    for (const std::string& dir : options.ref_dirs)
      fmt::print(text, "{}{}/<output>.npy (stored outputs)\n", dir == ref_dir ? "Reference  " : "Also       ",
                 dir);
  } else {
    fmt::print(text, "Reference  {}, precision {}, first inference {:.2f} ms\n",
               device_description(reference.compiled.get()), ref_precision, reference.infer_ms);
  }
  for (const InputTensor& in : inputs) fmt::print(text, "Input      {} <- {}\n", in.name, in.source);
  if (dump) fmt::print(text, "Dump       {}/device, {}/reference\n", options.dump_dir, options.dump_dir);

  const std::vector<std::string> headers = {
      "Tensor", "Type",        "Shape", ">Max abs", ">Mean abs", ">Max rel",  ">Cosine",
      ">Steps", ">Within tol", "Tol",   ">NaN d/r", ">Inf d/r",  ">Zero d/r", "Worst [index] device vs ref",
      "Result"};
  // Model outputs come first in both lists; with --layers every other tensor follows.
  const size_t model_outputs_count = model_outputs(model.get()).size();
  size_t failed = 0, compared = 0;
  std::vector<std::string> unmatched;
  std::vector<TensorResult> results;
  Table outputs_table(headers), layers_table(headers);
  for (size_t i = 0; i < device.ports.size(); ++i) {
    const Port& port = device.ports[i];
    auto ref = reference.outputs.find(port.name);
    if (ref == reference.outputs.end()) {
      unmatched.push_back(port.name);
      continue;
    }
    TensorResult r = compare_one(options, port, device.outputs.at(port.name).get(), ref->second.get(),
                                 stored ? device.compiled.get() : reference.compiled.get(),
                                 stored ? nullptr : device.compiled.get());
    r.is_output = i < model_outputs_count;
    ++compared;
    if (!r.pass) ++failed;
    results.push_back(std::move(r));
  }
  const OtherReferences others =
      compare_other_references(options, device, results, model_outputs_count, &failed);
  for (const TensorResult& r : results) (r.is_output ? outputs_table : layers_table).add_row(row_cells(r));
  print_verdict_rules(text, results, options.layers);
  fmt::print(
      text,
      "Columns    Max rel divides by max(|ref|, {:g} * max|ref|); Steps = max abs / quantization step (the "
      "tensor's own grid, else the nearest upstream)\n\n",
      kRelFloorFraction);
  fmt::print(text, "Outputs\n");
  outputs_table.print(text, "  ");
  if (options.layers) {
    fmt::print(text, "\nLayers ({} intermediate tensors)\n", layers_table.rows());
    layers_table.print(text, "  ");
  }
  // A model output without a reference is reported (and fails: nothing vouched for it).
  size_t missing_outputs = 0;
  for (size_t i = 0; i < device.ports.size() && i < model_outputs_count; ++i)
    if (!reference.outputs.count(device.ports[i].name)) ++missing_outputs;
  if ((options.layers || missing_outputs) && !unmatched.empty())
    fmt::print(text, "  not in {}: {}\n", reference_name, fmt::join(unmatched, ", "));
  failed += missing_outputs;
  if (!others.lines.empty()) {
    fmt::print(text, "\nReferences (max abs and result against each; an output passes against any)\n");
    for (const std::string& line : others.lines) fmt::print(text, "{}\n", line);
  }

  // Execution order: the intermediate tensors come in topological order, the model outputs last.
  Divergence divergence;
  if (options.layers) {
    std::vector<LayerResult> order;
    for (int pass = 0; pass < 2; ++pass)
      for (const TensorResult& r : results)
        if (r.is_output == (pass == 1))
          order.push_back({r.name, r.compared, r.pass, tensor_inputs(device.compiled.get(), r.name)});
    for (const std::string& name : unmatched)  // no reference: looked through to their inputs
      order.push_back({name, false, false, tensor_inputs(device.compiled.get(), name)});
    std::vector<std::string> input_names;
    for (const InputTensor& in : inputs) input_names.push_back(in.name);
    divergence = first_divergence(order, input_names);
    fmt::print(text, "\n{}\n", divergence_text(divergence));
  }
  fmt::print(text, "\n");
  print_placement(device.compiled.get(), options.placement, text);
  std::vector<nlohmann::json> reference_fallbacks;
  if (!stored && options.reference_device != options.run.device) {
    // Only fallbacks matter on the reference side; its quantized nodes are the same graph's.
    const char* ref_device = nullptr;
    check(octet_compiled_model_device(reference.compiled.get(), &ref_device, nullptr), "device");
    for (const octet_node_assignment& a : assignments(reference.compiled.get()))
      if (std::string(a.backend) != ref_device) {
        fmt::print(text, "  reference fallback  {} ({}) -> {}: {}\n", a.node_name, a.op, a.backend, a.note);
        reference_fallbacks.push_back({{"node", a.node_name}, {"op", a.op}, {"backend", a.backend}});
      }
  }
  const size_t total = compared + missing_outputs;
  fmt::print(text, "\n{}: {} of {} tensors within tolerance\n", failed ? "FAIL" : "PASS", total - failed,
             total);

  if (!options.json_path.empty()) {
    nlohmann::json j;
    j["model"] = options.run.model;
    j["device"] = {{"name", device_description(device.compiled.get())},
                   {"precision", options.run.precision},
                   {"first_inference_ms", device.infer_ms}};
    if (stored) {
      j["reference"] = {{"stored_outputs", ref_dir}, {"also", others.report}};
    } else {
      j["reference"] = {{"name", device_description(reference.compiled.get())},
                        {"precision", ref_precision},
                        {"first_inference_ms", reference.infer_ms},
                        {"fallbacks", reference_fallbacks}};
    }
    nlohmann::json input_list = nlohmann::json::array();
    for (const InputTensor& in : inputs) input_list.push_back({{"name", in.name}, {"source", in.source}});
    j["inputs"] = input_list;
    j["rel_floor_fraction"] = kRelFloorFraction;
    nlohmann::json tensors = nlohmann::json::array();
    for (const TensorResult& r : results) tensors.push_back(tensor_json(r));
    j["tensors"] = tensors;
    j["not_in_reference"] = unmatched;
    if (options.layers) {
      j["first_divergence"] = {{"layer", divergence.layer},
                               {"kind", divergence_kind(divergence.kind)},
                               {"bad_inputs", divergence.bad_inputs},
                               {"unchecked_inputs", divergence.unchecked_inputs},
                               {"looked_through", divergence.looked_through},
                               {"text", divergence_text(divergence)}};
    }
    j["placement"] = placement_json(device.compiled.get());
    j["verdict"] = failed ? "FAIL" : "PASS";
    j["passed"] = total - failed;
    j["total"] = total;
    const std::string dumped = j.dump(1) + "\n";
    if (json_stdout) {
      fmt::print(stdout, "{}", dumped);
    } else {
      std::FILE* f = std::fopen(options.json_path.c_str(), "w");
      if (!f) failure(fmt::format("--json {}: cannot write: {}", options.json_path, std::strerror(errno)));
      const bool ok = std::fwrite(dumped.data(), 1, dumped.size(), f) == dumped.size();
      if (std::fclose(f) != 0 || !ok) failure(fmt::format("--json {}: write failed", options.json_path));
    }
  }
  return failed ? kExitMismatch : kExitOk;
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
  CLI::Option* layers =
      app.add_option("--layers", options->layers_value,
                     "Compare every intermediate tensor too (--layers or --layers all) and name the first "
                     "layer outside tolerance")
          ->expected(0, 1)
          ->type_name("[all]");
  app.add_flag("--placement", options->placement, "Print the full node placement table");
  app.add_option("--json", options->json_path, "Also write the report as JSON to FILE (- for stdout)")
      ->type_name("FILE|-");
  app.add_option("--ref,--ref-outputs,--ref_outputs", options->ref_dirs,
                 "Compare against stored outputs DIR/<output>.npy (e.g. OpenVINO's) instead of --ref_d; "
                 "repeat to add references: an output passes against any, the report says which")
      ->type_name("DIR");
  app.add_option("--dump", options->dump_dir,
                 "Also write both sides' tensors as DIR/device/<name>.npy and DIR/reference/<name>.npy");
  app.add_option("--atol", options->atol,
                 "Absolute tolerance (default per type: f32 1e-4, f16 1e-3, ints 0)");
  app.add_option("--rtol", options->rtol,
                 "Relative tolerance (default per type: f32 1e-4, f16 1e-3, ints 0)");
  return [options, layers] {
    // CLI11 stores "true" for an optional-value option given bare.
    const std::string& v = options->layers_value;
    if (!v.empty() && v != "all" && v != "true")
      usage_error("--layers takes no value or 'all', not '" + v + "'");
    options->layers = layers->count() > 0;
    return run_compare(*options);
  };
}

}  // namespace octet::cli
