// CompiledModel::compile: prepares the graph, assigns nodes to backends, schedules transfers,
// plans memory and compiles every kernel.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <set>

#include "host/common/error.h"
#include "host/graph/graph.h"
#include "host/reference/evaluate.h"
#include "host/transforms/prepare.h"
#include "host/transforms/quantize_linear.h"
#include "host/transforms/weight_decompression.h"
#include "runtime/executor/compiled_model_impl.h"
#include "runtime/executor/memory_budget.h"

namespace octet {
namespace {

bool runs_kernel(const Node& node) {
  return node.op != OpKind::kParameter && node.op != OpKind::kConstant && node.op != OpKind::kResult;
}

std::string quoted_names(const std::vector<TensorInfo>& infos) {
  std::string list;
  for (const TensorInfo& info : infos) list += (list.empty() ? "'" : ", '") + info.name + "'";
  return list;
}

size_t value_bytes(const Node& node, const Value& value) {
  if (value.type == ElementType::kUndefined || !is_static(value.shape)) {
    raise(ErrorCode::kUnsupported,
          "{}: output of type {} and shape {} is not static; octet needs static shapes", node.describe(),
          element_type_name(value.type), to_string(value.shape));
  }
  return element_storage_bytes(value.type, element_count(value.shape));
}

}  // namespace

std::shared_ptr<CompiledModel> CompiledModel::compile(Graph graph, std::shared_ptr<Backend> primary,
                                                      std::shared_ptr<Backend> cpu,
                                                      const CompileConfig& config) {
  if (!primary) raise(ErrorCode::kInvalidArgument, "compile: no backend given");
  return std::make_shared<CompiledModelImpl>(std::move(graph), config, std::move(primary), std::move(cpu));
}

CompiledModelImpl::CompiledModelImpl(Graph graph, const CompileConfig& config,
                                     std::shared_ptr<Backend> primary, std::shared_ptr<Backend> cpu)
    : graph_(std::move(graph)), config_(config), cpu_(std::move(cpu)) {
  plan_.backends.push_back(std::move(primary));
  plan_.profiling = config.options.profiling;
  prepare();
  describe_io();
  assign();
  schedule();
  plan_buffers();
  compile_kernels();
}

void CompiledModelImpl::prepare() {
  prepare_graph(graph_);  // inference plus folding of shape subgraphs; every shape static after
  if (config_.options.precision == Precision::kFast) {
    // FakeQuantize / weight-decompression chains become QuantizedConvolution / QuantizedMatMul
    // with fused post-ops; kReference keeps every FakeQuantize literal, as the spec defines it.
    // Intermediate outputs asked for (compare --layers) keep the basic fusion every backend
    // shares, so layers of the same name hold the same values on every device.
    // Weight decompression in f32 as OpenVINO computes it; reference precision keeps the literal
    // f16 chain (host/transforms/weight_decompression.h).
    decompress_weights_in_f32(graph_);
    const bool layers_wanted = config_.all_layers_as_outputs || !config_.extra_outputs.empty();
    if (!layers_wanted) drop_unused_pool_indices(graph_);  // plain max pooling where indices go unread
    quantization_ = quantize_linear_ops(
        graph_, layers_wanted ? QuantizeOptions{} : plan_.backends.front()->quantize_options());
  }
  fold_constant_nodes();
  if (graph_.results.empty()) raise(ErrorCode::kModel, "{}: the model has no Result", graph_.source);
}

void CompiledModelImpl::fold_constant_nodes() {
  // prepare_graph keeps weight-decompression chains (Convert of integer codes, Subtract, Multiply)
  // so the quantization pass can read compressed weights. The chains it did not consume (an int8
  // embedding table feeding Gather, say) would otherwise be recomputed on every inference: evaluate
  // them once here with the reference evaluators, which define the result. Outputs above the cap
  // keep running per inference rather than holding a huge table decompressed.
  constexpr size_t kMaxFoldedBytes = size_t{512} << 20;
  bool folded = false;
  for (Node* node : graph_.topological_order()) {
    if (!runs_kernel(*node) || node->inputs.empty() || node->payload) continue;
    std::vector<const Tensor*> args;
    for (size_t i = 0; i < node->inputs.size(); ++i) args.push_back(node->input_constant(i));
    if (std::find(args.begin(), args.end(), nullptr) != args.end()) continue;
    size_t bytes = 0;
    for (const Value& v : node->outputs) bytes += element_storage_bytes(v.type, element_count(v.shape));
    if (bytes > kMaxFoldedBytes) continue;
    std::vector<Tensor> values;
    try {
      values = evaluate_reference(*node, args);
    } catch (const Error&) {
      continue;  // not evaluable on the host: it runs as a kernel and reports there
    }
    if (values.size() != node->outputs.size()) continue;
    for (size_t port = 0; port < values.size(); ++port) {
      Node* c = graph_.add_constant(node->name, std::move(values[port]));
      c->outputs[0].names = node->outputs[port].names;
      graph_.replace_all_uses({node, static_cast<int>(port)}, {c, 0});
    }
    folded = true;
  }
  if (folded) graph_.remove_dead_nodes();
}

void CompiledModelImpl::describe_io() {
  for (size_t i = 0; i < graph_.parameters.size(); ++i) {
    Node* p = graph_.parameters[i];
    const Value& v = p->outputs.at(0);
    value_bytes(*p, v);
    inputs_.push_back({v.names.empty() ? p->name : v.names.front(), v.type, v.shape});
    plan_.input_of_value.emplace(std::make_pair(p, 0), static_cast<int>(i));
  }
  plan_.input_names = std::make_shared<TensorNameIndex>(
      graph_, [](Output v) { return v.node->op == OpKind::kParameter; }, "input");

  auto add_output = [&](Output v, const std::string& name) {
    const Value& value = v.node->outputs.at(v.index);
    plan_.output_of_value.emplace(std::make_pair(v.node, v.index), static_cast<int>(outputs_.size()));
    outputs_.push_back({name, value.type, value.shape});
    output_values_.push_back(v);
  };
  for (const Node* r : graph_.results) add_output(r->inputs.at(0), display_name(r->inputs.at(0)));
  auto is_output = [this](Output v) { return plan_.output_of_value.count({v.node, v.index}) != 0; };
  if (!config_.extra_outputs.empty() || config_.all_layers_as_outputs) {
    // Extra outputs are named by the same rules as model outputs (host/graph/tensor_names.h).
    const TensorNameIndex any_value(graph_, {}, "tensor or layer");
    for (const std::string& name : config_.extra_outputs) {
      const Output v = any_value.get(name, "see 'octet info -m MODEL' or run --layers for the names");
      if (!is_output(v)) add_output(v, name);
    }
    if (config_.all_layers_as_outputs) {
      for (Node* node : graph_.topological_order()) {
        if (!runs_kernel(*node)) continue;
        for (size_t port = 0; port < node->outputs.size(); ++port) {
          const Output v{node, static_cast<int>(port)};
          if (!is_output(v)) add_output(v, display_name(v));
        }
      }
    }
  }
  plan_.output_names = std::make_shared<TensorNameIndex>(graph_, is_output, "output");
}

int CompiledModelImpl::input_index(const std::string& name) const {
  if (const auto v = plan_.input_names->find(name)) return plan_.input_of_value.at({v->node, v->index});
  raise(ErrorCode::kNotFound, "no input named '{}'; the model's inputs are: {}", name, quoted_names(inputs_));
}

int CompiledModelImpl::output_index(const std::string& name) const {
  if (const auto v = plan_.output_names->find(name)) return plan_.output_of_value.at({v->node, v->index});
  raise(ErrorCode::kNotFound, "no output named '{}'; the model's outputs are: {}", name,
        quoted_names(outputs_));
}

void CompiledModelImpl::assign() {
  // A copy: plan_.backends grows (and may reallocate) when the CPU backend is added below.
  const std::shared_ptr<Backend> primary = plan_.backends[0];
  const bool can_fall_back = config_.allow_cpu_fallback && cpu_ && cpu_ != primary;
  int cpu_index = -1;
  std::map<std::string, const QuantizationDecision*> decisions;
  for (const QuantizationDecision& d : quantization_) decisions.emplace(d.node_name, &d);
  for (Node* node : graph_.topological_order()) {
    if (!runs_kernel(*node)) continue;
    for (const Value& v : node->outputs) value_bytes(*node, v);
    NodeAssignment a;
    a.node_name = node->name;
    a.op = op_name(node->op);
    a.precision = node->outputs.empty() ? "" : element_type_name(node->outputs[0].type);
    std::string float_reason;  // why the quantization pass left (part of) a linear op in float
    if (const auto d = decisions.find(node->name); d != decisions.end()) {
      if (d->second->quantized) {
        a.precision = d->second->precision;
        float_reason = d->second->reason;  // e.g. why the activations stayed float
      } else {
        float_reason = "not quantized: " + d->second->reason;
      }
    }
    int backend = 0;
    const Support primary_support = primary->supports(*node);
    if (!primary_support.ok) {
      const Support cpu_support = can_fall_back ? cpu_->supports(*node) : Support::no("");
      if (!cpu_support.ok) {
        raise(
            ErrorCode::kUnsupported, "op {} (opset{}) not supported on {}: {} ({}){}", op_name(node->op),
            node->version, primary->name(), primary_support.reason, node->describe(),
            can_fall_back ? fmt::format("; nor on {}: {}", cpu_->name(), cpu_support.reason) : std::string());
      }
      if (cpu_index < 0) {
        plan_.backends.push_back(cpu_);
        cpu_index = static_cast<int>(plan_.backends.size()) - 1;
      }
      backend = cpu_index;
      a.note = fmt::format("not supported on {}: {}", primary->name(), primary_support.reason);
    }
    if (!float_reason.empty()) a.note += (a.note.empty() ? "" : "; ") + float_reason;
    a.backend = plan_.backends[backend]->name();
    assignments_.push_back(std::move(a));
    exec_nodes_.push_back(node);
    exec_backend_.push_back(backend);
  }
}

void CompiledModelImpl::schedule() {
  std::map<std::pair<const Node*, int>, int> home;          // value -> buffer on its producer's backend
  std::map<std::tuple<const Node*, int, int>, int> copies;  // (value, backend) -> copied buffer
  std::map<const Node*, int> node_backend;
  for (size_t k = 0; k < exec_nodes_.size(); ++k) node_backend[exec_nodes_[k]] = exec_backend_[k];
  auto new_buffer = [&](int backend, size_t bytes) {
    plan_.buffers.push_back({backend, bytes, 0});
    return static_cast<int>(plan_.buffers.size()) - 1;
  };

  // Each input lives on the backend of its first consumer, so it is uploaded once to where it is read.
  std::map<const Node*, int> input_home;
  for (size_t k = exec_nodes_.size(); k-- > 0;) {
    for (const Output& in : exec_nodes_[k]->inputs)
      if (in.node->op == OpKind::kParameter) input_home[in.node] = exec_backend_[k];
  }
  for (size_t i = 0; i < graph_.parameters.size(); ++i) {
    const Node* p = graph_.parameters[i];
    const auto it = input_home.find(p);
    const int buffer = new_buffer(it == input_home.end() ? 0 : it->second, value_bytes(*p, p->outputs[0]));
    home[{p, 0}] = buffer;
    plan_.input_buffers.push_back(buffer);
    Step s;
    s.kind = Step::Kind::kInput;
    s.input = static_cast<int>(i);
    s.dst = buffer;
    plan_.steps.push_back(std::move(s));
  }

  for (size_t k = 0; k < exec_nodes_.size(); ++k) {
    const Node* node = exec_nodes_[k];
    const int backend = exec_backend_[k];
    Step s;
    s.kind = Step::Kind::kKernel;
    s.node = node;
    s.backend = backend;
    for (const Output& in : node->inputs) {
      if (in.node->op == OpKind::kConstant) {
        s.in_buffers.push_back(-1);
        continue;
      }
      const auto src = home.find({in.node, in.index});
      if (src == home.end())
        raise(ErrorCode::kInternal, "{}: input produced by an unscheduled node", node->describe());
      if (plan_.buffers[src->second].backend == backend) {
        s.in_buffers.push_back(src->second);
        continue;
      }
      auto copy = copies.find({in.node, in.index, backend});
      if (copy == copies.end()) {
        Step t;
        t.kind = Step::Kind::kTransfer;
        t.src = src->second;
        t.dst = new_buffer(backend, plan_.buffers[src->second].bytes);
        plan_.steps.push_back(std::move(t));
        copy = copies.emplace(std::make_tuple(in.node, in.index, backend), plan_.steps.back().dst).first;
      }
      s.in_buffers.push_back(copy->second);
    }
    for (size_t port = 0; port < node->outputs.size(); ++port) {
      const int buffer = new_buffer(backend, value_bytes(*node, node->outputs[port]));
      home[{node, static_cast<int>(port)}] = buffer;
      s.out_buffers.push_back(buffer);
    }
    s.kernel = static_cast<int>(k);
    plan_.steps.push_back(std::move(s));
  }

  for (const Output& v : output_values_) {
    OutputSource source;
    if (v.node->op == OpKind::kConstant) {
      source.constant = v.node->constant;
    } else {
      const auto it = home.find({v.node, v.index});
      if (it == home.end()) raise(ErrorCode::kInternal, "output '{}' has no buffer", display_name(v));
      source.buffer = it->second;
    }
    plan_.output_sources.push_back(std::move(source));
  }
}

void CompiledModelImpl::plan_buffers() {
  std::vector<int> first(plan_.buffers.size(), INT_MAX), last(plan_.buffers.size(), -1);
  for (size_t step = 0; step < plan_.steps.size(); ++step) {
    const Step& s = plan_.steps[step];
    const int t = static_cast<int>(step);
    auto write = [&](int b) { first[b] = std::min(first[b], t), last[b] = std::max(last[b], t); };
    auto read = [&](int b) {
      if (b >= 0) last[b] = std::max(last[b], t);
    };
    if (s.kind == Step::Kind::kInput) write(s.dst);
    if (s.kind == Step::Kind::kTransfer) read(s.src), write(s.dst);
    if (s.kind == Step::Kind::kKernel) {
      for (int b : s.in_buffers) read(b);
      for (int b : s.out_buffers) write(b);
    }
  }
  // Outputs are read after the last step; inputs are kept too, since they are uploaded each run
  // but a later value must not land on an input still to be read by a transfer.
  for (const OutputSource& o : plan_.output_sources)
    if (o.buffer >= 0) last[o.buffer] = INT_MAX;

  size_t total = 0;
  plan_.arenas.resize(plan_.backends.size());
  for (size_t backend = 0; backend < plan_.backends.size(); ++backend) {
    std::vector<BufferLifetime> lifetimes;
    std::vector<int> ids;
    for (size_t b = 0; b < plan_.buffers.size(); ++b) {
      if (plan_.buffers[b].backend != static_cast<int>(backend)) continue;
      lifetimes.push_back({plan_.buffers[b].bytes, first[b], last[b]});
      ids.push_back(static_cast<int>(b));
    }
    plan_.arenas[backend] = plan_memory(lifetimes, kBufferAlignment);
    for (size_t i = 0; i < ids.size(); ++i) plan_.buffers[ids[i]].offset = plan_.arenas[backend].offsets[i];
    const size_t bytes = plan_.arenas[backend].arena_bytes;
    total = bytes > SIZE_MAX - total ? SIZE_MAX : total + bytes;
  }
  check_memory_budget(total, "the activation memory plan");
  split_arenas();
}

void CompiledModelImpl::split_arenas() {
  // A device caps single allocations (CL_DEVICE_MAX_MEM_ALLOC_SIZE, often a quarter of its
  // memory) below what it can hold, so an arena above the cap is cut into several allocations.
  // Cuts follow the planned offsets: walking buffers by offset, a buffer that would end past the
  // cap of the current allocation starts a new one at its own offset. Buffers keep their relative
  // placement, so the liveness plan stays valid, and no byte is added.
  plan_.allocations.assign(plan_.backends.size(), {});
  for (size_t backend = 0; backend < plan_.backends.size(); ++backend) {
    const Backend& device = *plan_.backends[backend];
    const size_t cap = device.max_allocation_bytes();
    std::vector<int> ids;
    for (size_t b = 0; b < plan_.buffers.size(); ++b)
      if (plan_.buffers[b].backend == static_cast<int>(backend)) ids.push_back(static_cast<int>(b));
    std::stable_sort(ids.begin(), ids.end(),
                     [&](int a, int b) { return plan_.buffers[a].offset < plan_.buffers[b].offset; });
    std::vector<size_t>& sizes = plan_.allocations[backend];
    size_t base = 0;
    for (int id : ids) {
      PlannedBuffer& buf = plan_.buffers[id];
      const size_t bytes = std::max<size_t>(buf.bytes, 1);  // sub_buffer views are at least 1 byte
      if (bytes > cap) {
        raise(ErrorCode::kOutOfDeviceMemory,
              "{}: a {}-byte intermediate tensor on {} is above its largest single allocation of {} bytes "
              "(the request needs {} bytes of activation memory there)",
              graph_.source, buf.bytes, device.name(), cap, plan_.arenas[backend].arena_bytes);
      }
      if (sizes.empty() || buf.offset - base + bytes > cap) {
        base = buf.offset;
        sizes.push_back(0);
      }
      buf.allocation = static_cast<int>(sizes.size()) - 1;
      buf.alloc_offset = buf.offset - base;
      sizes.back() = std::max(sizes.back(), buf.alloc_offset + bytes);
    }
  }
}

void CompiledModelImpl::compile_kernels() {
  // The backend counts the weights of every model compiled on it; this model's share is what
  // its own kernels added. (Models compiled concurrently on one backend would blur the split.)
  const size_t weights_before = plan_.backends[0]->weight_bytes();
  for (size_t k = 0; k < exec_nodes_.size(); ++k) {
    const Node& node = *exec_nodes_[k];
    Backend& backend = *plan_.backends[exec_backend_[k]];
    try {
      plan_.kernels.push_back(backend.compile(node));
    } catch (const Error& e) {
      rethrow_with_context(e, fmt::format("compiling {} on {}", node.describe(), backend.name()));
    }
    assignments_[k].impl = plan_.kernels.back()->impl_name();
  }
  const size_t weights_after = plan_.backends[0]->weight_bytes();
  weight_bytes_ = weights_after > weights_before ? weights_after - weights_before : 0;
  // Each request also allocates every kernel's scratchpad: budget them with the activations.
  size_t per_request = activation_peak_bytes();
  for (const auto& kernel : plan_.kernels) {
    const size_t scratch = kernel->scratch_bytes();
    per_request = scratch > SIZE_MAX - per_request ? SIZE_MAX : per_request + scratch;
  }
  check_memory_budget(per_request, "the activation memory plan plus oneDNN scratchpads");
}

size_t CompiledModelImpl::weight_bytes() const {
  return weight_bytes_;
}

size_t CompiledModelImpl::activation_peak_bytes() const {
  size_t total = 0;
  for (const MemoryPlan& arena : plan_.arenas) total += arena.arena_bytes;
  return total;
}

}  // namespace octet
