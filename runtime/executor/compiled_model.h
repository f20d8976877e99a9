// CompiledModel and InferRequest: a prepared graph bound to backends, and per-thread inference.
//
//   Graph g = read_ir_file("model.xml");
//   auto model = CompiledModel::compile(std::move(g), gpu_backend, cpu_backend, CompileConfig{});
//   auto request = model->create_request();
//   request->set_input("data", tensor);
//   request->infer();
//   const Tensor& y = request->output("prob");
//
// A CompiledModel may be shared by threads; an InferRequest is used by one thread at a time
// (a concurrent infer() on the same request throws Error(kRequestBusy)).
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host/graph/graph.h"
#include "host/transforms/quantize_linear.h"
#include "runtime/backend.h"

namespace octet {

struct CompileConfig {
  BackendOptions options;
  // Nodes the primary backend declines run on the CPU backend; when false they are an error.
  bool allow_cpu_fallback = true;
  // Intermediate tensors (by tensor name or node name) to expose as extra outputs, or all of them.
  std::vector<std::string> extra_outputs;
  bool all_layers_as_outputs = false;
};

struct TensorInfo {
  std::string name;  // tensor name users address it by
  ElementType type = ElementType::kUndefined;
  Dims shape;
};

// Where a node runs and why (for verbose output, `octet info -m`, and the CLI).
struct NodeAssignment {
  std::string node_name;
  std::string op;         // op name ("Convolution", "QuantizedMatMul")
  std::string backend;    // backend name ("GPU.0", "CPU")
  std::string impl;       // kernel implementation name
  std::string precision;  // "f32", "f16", "int8", "int4"...
  std::string note;       // why it is not on the primary backend / not int8, else empty
};

struct NodeProfile {
  std::string node_name;
  std::string node_type;
  std::string exec_type;  // impl name
  std::string backend;
  double real_time_us = 0;  // device time when known, else wall time
  double cpu_time_us = 0;   // host time spent enqueueing
};

class InferRequest;

class CompiledModel : public std::enable_shared_from_this<CompiledModel> {
 public:
  // Prepares the graph (constant folding, inference, and for Precision::kFast the quantization
  // transforms), assigns nodes to backends, plans memory and compiles every kernel.
  // `primary` may be the CPU backend itself; `cpu` is used for fallback (may be null).
  static std::shared_ptr<CompiledModel> compile(Graph graph, std::shared_ptr<Backend> primary,
                                                std::shared_ptr<Backend> cpu, const CompileConfig& config);
  virtual ~CompiledModel() = default;

  virtual const std::vector<TensorInfo>& inputs() const = 0;
  virtual const std::vector<TensorInfo>& outputs() const = 0;  // model outputs, then extra outputs
  // The index into inputs() / outputs() that `name` addresses, by host/graph/tensor_names.h's rules
  // (OpenVINO's tensor names first). Unknown names raise kNotFound, ambiguous ones kInvalidArgument.
  virtual int input_index(const std::string& name) const = 0;
  virtual int output_index(const std::string& name) const = 0;
  virtual const std::vector<NodeAssignment>& assignments() const = 0;
  virtual const Graph& graph() const = 0;  // the prepared (transformed) graph
  // Precision::kFast: what the quantization pass decided for every Convolution, GroupConvolution
  // and MatMul (quantized or not, and why not). Empty for Precision::kReference.
  virtual const std::vector<QuantizationDecision>& quantization() const = 0;
  // Bytes of this model's weights on the primary backend's device (not other models').
  virtual size_t weight_bytes() const = 0;
  virtual size_t activation_peak_bytes() const = 0;  // planned arena bytes per request, all backends
  virtual std::unique_ptr<InferRequest> create_request() = 0;
};

class InferRequest {
 public:
  virtual ~InferRequest() = default;
  // Copies `tensor` in; throws Error(kParameterMismatch) naming the input, expected and actual
  // type/shape, or Error(kNotFound) listing the valid names.
  virtual void set_input(const std::string& name, const Tensor& tensor) = 0;
  virtual void infer() = 0;
  // Valid until the next infer(); throws Error(kNotFound) for an unknown name.
  virtual const Tensor& output(const std::string& name) const = 0;
  // Output `index` of CompiledModel::outputs(). Both raise kInvalidArgument until an infer() has
  // succeeded, and again after one fails (no zeros, no stale results).
  virtual const Tensor& output_at(size_t index) const = 0;
  // One record per executed node of the last infer(), when profiling was enabled.
  virtual const std::vector<NodeProfile>& profile() const = 0;
};

}  // namespace octet
