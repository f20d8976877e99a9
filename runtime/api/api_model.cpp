// C API: devices, model reading, compilation and compiled-model queries.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include "host/graph/op_attrs.h"
#include "host/graph/op_kind.h"
#include "host/graph/quant_origin.h"
#include "host/graph/tensor_names.h"
#include "host/ir/ir_reader.h"
#include "runtime/api/api_internal.h"
#include "runtime/api/backends.h"

namespace octet::api {
namespace {

octet_declared_port declared_port(const std::string& name, const Value& value) {
  octet_declared_port port;
  port.name = name;
  port.type = from_element_type(value.type);
  const Dims& dims = value.has_declared_shape ? value.declared_shape : value.shape;
  port.dims.assign(dims.begin(), dims.end());
  return port;
}

// Names follow CompiledModel: the first tensor name, else the node name.
void record_nodes(octet_model* model, const Graph& graph) {
  for (const auto& node : graph.nodes()) {
    model->nodes.emplace_back(node->name, op_name(node->op));
    model->node_versions.push_back(node->version);
  }
  for (const Node* p : graph.parameters) {
    const Value& v = p->outputs.at(0);
    model->inputs.push_back(declared_port(v.names.empty() ? p->name : v.names.front(), v));
    model->inputs.back().dims.assign(v.shape.begin(), v.shape.end());  // the `shape` attribute
    model->inputs.back().tensor_names = v.names;
    model->inputs.back().layer_name = p->name;
  }
  for (const Node* r : graph.results) {
    const Output o = r->inputs.at(0);
    const Value& v = o.node->outputs.at(o.index);
    model->outputs.push_back(declared_port(display_name(o), v));
  }
}

// The input `name` addresses, by TensorNameIndex's precedence for Parameters: tensor names first,
// then layer names; a name two inputs answer to in the same tier is refused.
size_t declared_input_index(const octet_model& model, const std::string& name, const char* fn) {
  for (int tier = 0; tier < 2; ++tier) {
    std::vector<size_t> hits;
    for (size_t i = 0; i < model.inputs.size(); ++i) {
      const auto& port = model.inputs[i];
      const bool hit = tier == 0 ? std::count(port.tensor_names.begin(), port.tensor_names.end(), name) > 0
                                 : port.layer_name == name;
      if (hit) hits.push_back(i);
    }
    if (hits.size() == 1) return hits.front();
    if (hits.size() > 1)
      raise(ErrorCode::kInvalidArgument,
            "{}: input name '{}' is ambiguous: inputs {} and {} both answer to it", fn, name, hits[0],
            hits[1]);
  }
  std::string valid;
  for (const auto& port : model.inputs) valid += (valid.empty() ? "'" : ", '") + port.name + "'";
  raise(ErrorCode::kNotFound, "{}: the model has no input '{}'; valid names: {}", fn, name, valid);
}

void fill_declared_port(const octet_declared_port& port, octet_port_info* out) {
  out->name = port.name.c_str();
  out->type = port.type;
  out->rank = port.dims.size();
  out->dims = port.dims.data();
}

const octet_declared_port& declared_port_at(const std::vector<octet_declared_port>& ports, size_t index,
                                            const char* what) {
  if (index >= ports.size())
    raise(ErrorCode::kNotFound, "{} index {} out of range ({} {}s)", what, index, ports.size(), what);
  return ports[index];
}

}  // namespace

// The graph as read, with octet_model_reshape's shapes applied: the IR's declared port dims then
// describe the old shapes, so they are no longer checked.
Graph parse(const octet_model& model) {
  Graph graph = read_ir_memory(model.xml, model.bin, model.source);
  if (model.reshaped.empty()) return graph;
  for (const auto& [index, dims] : model.reshaped) graph.parameters.at(index)->outputs.at(0).shape = dims;
  for (const auto& node : graph.nodes())
    for (Value& v : node->outputs) v.has_declared_shape = false;
  return graph;
}

const DeviceRecord& find_device(const std::string& name) {
  std::string wanted = name == "GPU" ? "GPU.0" : name;
  for (const auto& d : devices())
    if (d.name == wanted) return d;
  std::string found;
  for (const auto& d : devices()) found += (found.empty() ? "" : ", ") + d.name + " (" + d.full_name + ")";
  std::string why = no_gpu_reason().empty() ? "" : "; " + no_gpu_reason();
  raise(ErrorCode::kNotFound, "device '{}' not found; available: {}{}", name, found, why);
}

namespace {

octet_compiled_model* compile(const octet_model& model, const std::string& device,
                              const CompileConfig& config) {
  std::string note;
  const DeviceRecord* target = nullptr;
  if (device == "AUTO") {
    for (const auto& d : devices())
      if (d.gpu && !target) target = &d;
    if (target) {
      note = "AUTO selected " + target->name + " (" + target->full_name + ")";
    } else {
      target = &devices().front();
      note = "AUTO selected CPU: " + no_gpu_reason();
    }
  } else if (device == "CPU") {
    // A CPU run never loads an OpenCL driver: a broken or resource-starved driver cannot touch it.
    target = &cpu_device();
  } else if (device == "GPU" || device.rfind("GPU.", 0) == 0) {
    target = &find_device(device);
  } else {
    raise(ErrorCode::kInvalidArgument, "unknown device '{}' (expected CPU, GPU, GPU.<n> or AUTO)", device);
  }
  std::shared_ptr<Backend> cpu = make_cpu_backend(config.options);
  std::shared_ptr<Backend> primary = target->gpu ? make_gpu_backend(*target, config.options) : cpu;
  auto result = std::make_unique<octet_compiled_model>();
  result->model = CompiledModel::compile(parse(model), primary, cpu, config);
  result->device = target->name;
  if (target->gpu) {
    // Debugging settings change how every request runs: say so where the device is reported.
    auto add = [&note](const std::string& what) { note += (note.empty() ? "" : "; ") + what; };
    if (config.options.guard) add("guard mode (buffers checked after every kernel)");
    if (config.options.timeout_ms > 0) add(fmt::format("timeout {} ms", config.options.timeout_ms));
  }
  result->note = note;
  return result.release();
}

void fill_device_info(const DeviceRecord& d, octet_device_info* info) {
  info->name = d.name.c_str();
  info->type = d.gpu ? OCTET_DEVICE_GPU : OCTET_DEVICE_CPU;
  info->full_name = d.full_name.c_str();
  info->vendor = d.vendor.c_str();
  info->platform = d.platform.c_str();
  info->driver_version = d.driver_version.c_str();
  info->opencl_c_version = d.opencl_c_version.c_str();
  info->compute_units = d.compute_units;
  info->global_memory_bytes = d.global_memory;
  info->max_alloc_bytes = d.max_alloc;
  info->local_memory_bytes = d.local_memory;
  info->fp16 = d.fp16;
  info->int_dot_product = d.int_dot_product;
  info->dot4 = d.dot4;
}

void fill_port(const TensorInfo& info, octet_port_info* out) {
  out->name = info.name.c_str();
  out->type = from_element_type(info.type);
  out->rank = info.shape.size();
  out->dims = info.shape.data();
}

}  // namespace
}  // namespace octet::api

using namespace octet;
using namespace octet::api;

extern "C" {

octet_status octet_device_count(size_t* count) {
  return guarded([&] {
    require(count, "octet_device_count", "count");
    *count = devices().size();
  });
}

octet_status octet_device_get_info(size_t index, octet_device_info* info) {
  return guarded([&] {
    require(info, "octet_device_get_info", "info");
    // Index 0 is always the CPU: answering it never loads an OpenCL driver.
    if (index == 0) return fill_device_info(cpu_device(), info);
    const auto& all = devices();
    if (index >= all.size())
      raise(ErrorCode::kNotFound, "octet_device_get_info: index {} out of range ({} devices)", index,
            all.size());
    fill_device_info(all[index], info);
  });
}

const char* octet_device_unavailable_reason(void) {
  try {
    return no_gpu_reason().c_str();
  } catch (...) {
    return "device enumeration failed";
  }
}

octet_status octet_model_read(const char* xml_path, const char* bin_path, octet_model_t* model) {
  return guarded([&] {
    require(model, "octet_model_read", "model");
    *model = nullptr;
    require(xml_path, "octet_model_read", "xml_path");
    // NULL and "" both mean "<model>.bin when it exists". read_ir_file validates with file-specific
    // messages and hands back the bytes it read, which later compiles parse again.
    IrFileBytes bytes;
    Graph graph = read_ir_file(xml_path, bin_path ? bin_path : "", &bytes);
    auto result = std::make_unique<octet_model>();
    result->xml.assign(bytes.xml->begin(), bytes.xml->end());
    result->bin = bytes.bin;
    result->source = xml_path;
    record_nodes(result.get(), graph);
    *model = result.release();
  });
}

octet_status octet_model_read_from_memory(const char* xml, size_t xml_size, const void* bin, size_t bin_size,
                                          octet_model_t* model) {
  return guarded([&] {
    require(model, "octet_model_read_from_memory", "model");
    *model = nullptr;
    require(xml, "octet_model_read_from_memory", "xml");
    if (bin_size > 0) require(bin, "octet_model_read_from_memory", "bin (with bin_size > 0)");
    auto result = std::make_unique<octet_model>();
    result->xml.assign(xml, xml_size);
    if (bin_size > 0) {
      const auto* bytes = static_cast<const uint8_t*>(bin);
      result->bin = std::make_shared<const std::vector<uint8_t>>(bytes, bytes + bin_size);
    }
    result->source = "<memory>";
    record_nodes(result.get(), parse(*result));
    *model = result.release();
  });
}

void octet_model_destroy(octet_model_t model) {
  delete model;
}

octet_status octet_model_node_count(octet_model_t model, size_t* count) {
  return guarded([&] {
    require(model, "octet_model_node_count", "model");
    require(count, "octet_model_node_count", "count");
    *count = model->nodes.size();
  });
}

octet_status octet_model_node(octet_model_t model, size_t index, const char** name, const char** op) {
  return guarded([&] {
    require(model, "octet_model_node", "model");
    require(name, "octet_model_node", "name");
    require(op, "octet_model_node", "op");
    if (index >= model->nodes.size())
      raise(ErrorCode::kNotFound, "octet_model_node: index {} out of range ({} nodes)", index,
            model->nodes.size());
    *name = model->nodes[index].first.c_str();
    *op = model->nodes[index].second.c_str();
  });
}

octet_status octet_model_node_version(octet_model_t model, size_t index, int* version) {
  return guarded([&] {
    require(model, "octet_model_node_version", "model");
    require(version, "octet_model_node_version", "version");
    if (index >= model->node_versions.size())
      raise(ErrorCode::kNotFound, "octet_model_node_version: index {} out of range ({} nodes)", index,
            model->node_versions.size());
    *version = model->node_versions[index];
  });
}

octet_status octet_model_find_input(octet_model_t model, const char* name, size_t* index) {
  return guarded([&] {
    require(model, "octet_model_find_input", "model");
    require(name, "octet_model_find_input", "name");
    require(index, "octet_model_find_input", "index");
    *index = declared_input_index(*model, name, "octet_model_find_input");
  });
}

octet_status octet_model_input_count(octet_model_t model, size_t* count) {
  return guarded([&] {
    require(model, "octet_model_input_count", "model");
    require(count, "octet_model_input_count", "count");
    *count = model->inputs.size();
  });
}

octet_status octet_model_input(octet_model_t model, size_t index, octet_port_info* info) {
  return guarded([&] {
    require(model, "octet_model_input", "model");
    require(info, "octet_model_input", "info");
    fill_declared_port(declared_port_at(model->inputs, index, "input"), info);
  });
}

octet_status octet_model_output_count(octet_model_t model, size_t* count) {
  return guarded([&] {
    require(model, "octet_model_output_count", "model");
    require(count, "octet_model_output_count", "count");
    *count = model->outputs.size();
  });
}

octet_status octet_model_output(octet_model_t model, size_t index, octet_port_info* info) {
  return guarded([&] {
    require(model, "octet_model_output", "model");
    require(info, "octet_model_output", "info");
    fill_declared_port(declared_port_at(model->outputs, index, "output"), info);
  });
}

octet_status octet_model_reshape(octet_model_t model, const char* name, const int64_t* dims, size_t rank) {
  return guarded([&] {
    require(model, "octet_model_reshape", "model");
    require(name, "octet_model_reshape", "name");
    Dims shape = to_dims(dims, rank, "octet_model_reshape");
    const size_t index = declared_input_index(*model, name, "octet_model_reshape");
    const auto& current = model->inputs[index].dims;
    if (current.size() == shape.size() && std::equal(current.begin(), current.end(), shape.begin())) return;
    model->reshaped[index] = shape;
    model->inputs[index].dims.assign(shape.begin(), shape.end());
    for (auto& out : model->outputs) std::fill(out.dims.begin(), out.dims.end(), kDynamicDim);
  });
}

octet_status octet_model_compile(octet_model_t model, const char* device, const char* const* options,
                                 octet_compiled_model_t* compiled) {
  return guarded([&] {
    require(compiled, "octet_model_compile", "compiled");
    *compiled = nullptr;
    require(model, "octet_model_compile", "model");
    require(device, "octet_model_compile", "device");
    CompileConfig config;
    for (const char* const* o = options; o && *o; ++o) {
      std::string option = *o;
      size_t eq = option.find('=');
      if (eq == std::string::npos)
        raise(ErrorCode::kInvalidArgument, "compile option '{}' is not of the form key=value", option);
      apply_option(config, option.substr(0, eq), option.substr(eq + 1));
    }
    *compiled = compile(*model, device, config);
  });
}

octet_status octet_model_compile_with_options(octet_model_t model, const char* device,
                                              octet_options_t options, octet_compiled_model_t* compiled) {
  return guarded([&] {
    require(compiled, "octet_model_compile_with_options", "compiled");
    *compiled = nullptr;
    require(model, "octet_model_compile_with_options", "model");
    require(device, "octet_model_compile_with_options", "device");
    *compiled = compile(*model, device, options ? options->config : CompileConfig{});
  });
}

void octet_compiled_model_destroy(octet_compiled_model_t compiled) {
  delete compiled;
}

octet_status octet_compiled_model_device(octet_compiled_model_t compiled, const char** device,
                                         const char** note) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_device", "compiled");
    require(device, "octet_compiled_model_device", "device");
    *device = compiled->device.c_str();
    if (note) *note = compiled->note.c_str();
  });
}

octet_status octet_compiled_model_input_count(octet_compiled_model_t compiled, size_t* count) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_input_count", "compiled");
    require(count, "octet_compiled_model_input_count", "count");
    *count = compiled->model->inputs().size();
  });
}

octet_status octet_compiled_model_input(octet_compiled_model_t compiled, size_t index,
                                        octet_port_info* info) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_input", "compiled");
    require(info, "octet_compiled_model_input", "info");
    const auto& inputs = compiled->model->inputs();
    if (index >= inputs.size())
      raise(ErrorCode::kNotFound, "input index {} out of range ({} inputs)", index, inputs.size());
    fill_port(inputs[index], info);
  });
}

octet_status octet_compiled_model_find_input(octet_compiled_model_t compiled, const char* name,
                                             size_t* index) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_find_input", "compiled");
    require(name, "octet_compiled_model_find_input", "name");
    require(index, "octet_compiled_model_find_input", "index");
    *index = static_cast<size_t>(compiled->model->input_index(name));
  });
}

octet_status octet_compiled_model_find_output(octet_compiled_model_t compiled, const char* name,
                                              size_t* index) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_find_output", "compiled");
    require(name, "octet_compiled_model_find_output", "name");
    require(index, "octet_compiled_model_find_output", "index");
    *index = static_cast<size_t>(compiled->model->output_index(name));
  });
}

octet_status octet_compiled_model_output_count(octet_compiled_model_t compiled, size_t* count) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_output_count", "compiled");
    require(count, "octet_compiled_model_output_count", "count");
    *count = compiled->model->outputs().size();
  });
}

octet_status octet_compiled_model_output(octet_compiled_model_t compiled, size_t index,
                                         octet_port_info* info) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_output", "compiled");
    require(info, "octet_compiled_model_output", "info");
    const auto& outputs = compiled->model->outputs();
    if (index >= outputs.size())
      raise(ErrorCode::kNotFound, "output index {} out of range ({} outputs)", index, outputs.size());
    fill_port(outputs[index], info);
  });
}

octet_status octet_compiled_model_quant_step(octet_compiled_model_t compiled, const char* name, double* step,
                                             int64_t* levels) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_quant_step", "compiled");
    require(name, "octet_compiled_model_quant_step", "name");
    require(step, "octet_compiled_model_quant_step", "step");
    require(levels, "octet_compiled_model_quant_step", "levels");
    const Node* producer =
        TensorNameIndex(compiled->model->graph(), {}, "tensor").get(name, "in the compiled model").node;
    *step = 0;
    *levels = 0;
    if (producer->op == OpKind::kFakeQuantize) {
      *levels = producer->attr<FakeQuantizeAttrs>().levels;
      *step = fake_quantize_step(*producer);
    } else if ((producer->op == OpKind::kQuantizedConvolution || producer->op == OpKind::kQuantizedMatMul) &&
               quantized_params(*producer).output) {
      // A fused output FakeQuantize puts the layer's floats on its grid.
      const ActivationQuant& q = *quantized_params(*producer).output;
      *levels = q.levels;
      *step = grid_step(q);
    }
  });
}

octet_status octet_compiled_model_quant_origin(octet_compiled_model_t compiled, const char* name,
                                               int* quantized, double* step, const char** grid_node) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_quant_origin", "compiled");
    require(name, "octet_compiled_model_quant_origin", "name");
    require(quantized, "octet_compiled_model_quant_origin", "quantized");
    require(step, "octet_compiled_model_quant_origin", "step");
    const Output value =
        TensorNameIndex(compiled->model->graph(), {}, "tensor").get(name, "in the compiled model");
    const QuantOrigin origin = quant_origin(value);
    *quantized = origin.quantized ? 1 : 0;
    *step = origin.step;
    if (grid_node) {
      std::lock_guard<std::mutex> lock(compiled->tensor_inputs_mutex);
      // Kept in the compiled model so the pointer outlives this call.
      *grid_node = compiled->quant_grid_nodes.emplace(name, origin.grid_node).first->second.c_str();
    }
  });
}

octet_status octet_compiled_model_tensor_inputs(octet_compiled_model_t compiled, const char* name,
                                                size_t* count, const char* const** names) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_tensor_inputs", "compiled");
    require(name, "octet_compiled_model_tensor_inputs", "name");
    require(count, "octet_compiled_model_tensor_inputs", "count");
    require(names, "octet_compiled_model_tensor_inputs", "names");
    std::lock_guard<std::mutex> lock(compiled->tensor_inputs_mutex);
    auto cached = compiled->tensor_input_pointers.find(name);
    if (cached == compiled->tensor_input_pointers.end()) {
      const Graph& graph = compiled->model->graph();
      const Node* producer = TensorNameIndex(graph, {}, "tensor").get(name, "in the compiled model").node;
      std::vector<std::string>& list = compiled->tensor_inputs[name];
      for (const Output& in : producer->inputs)
        if (in.node && in.node->op != OpKind::kConstant) list.push_back(display_name(in));
      std::vector<const char*> pointers;
      for (const std::string& s : list) pointers.push_back(s.c_str());
      cached = compiled->tensor_input_pointers.emplace(name, std::move(pointers)).first;
    }
    *count = cached->second.size();
    *names = cached->second.data();
  });
}

octet_status octet_compiled_model_assignment_count(octet_compiled_model_t compiled, size_t* count) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_assignment_count", "compiled");
    require(count, "octet_compiled_model_assignment_count", "count");
    *count = compiled->model->assignments().size();
  });
}

octet_status octet_compiled_model_assignment(octet_compiled_model_t compiled, size_t index,
                                             octet_node_assignment* assignment) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_assignment", "compiled");
    require(assignment, "octet_compiled_model_assignment", "assignment");
    const auto& all = compiled->model->assignments();
    if (index >= all.size())
      raise(ErrorCode::kNotFound, "assignment index {} out of range ({} nodes)", index, all.size());
    const NodeAssignment& a = all[index];
    assignment->node_name = a.node_name.c_str();
    assignment->op = a.op.c_str();
    assignment->backend = a.backend.c_str();
    assignment->impl = a.impl.c_str();
    assignment->precision = a.precision.c_str();
    assignment->note = a.note.c_str();
  });
}

octet_status octet_compiled_model_memory(octet_compiled_model_t compiled, uint64_t* weight_bytes,
                                         uint64_t* activation_peak_bytes) {
  return guarded([&] {
    require(compiled, "octet_compiled_model_memory", "compiled");
    require(weight_bytes, "octet_compiled_model_memory", "weight_bytes");
    require(activation_peak_bytes, "octet_compiled_model_memory", "activation_peak_bytes");
    *weight_bytes = compiled->model->weight_bytes();
    *activation_peak_bytes = compiled->model->activation_peak_bytes();
  });
}

}  // extern "C"
