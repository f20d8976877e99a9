// InferRequest: per-request arenas, contexts and staging tensors, and the replay of the schedule.
#include <atomic>
#include <chrono>
#include <cstring>

#include "host/common/error.h"
#include "runtime/executor/compiled_model_impl.h"

namespace octet {
namespace {

class InferRequestImpl : public InferRequest {
 public:
  explicit InferRequestImpl(std::shared_ptr<const CompiledModelImpl> model);
  ~InferRequestImpl() override { release_all(); }

  void set_input(const std::string& name, const Tensor& tensor) override;
  void infer() override;
  const Tensor& output(const std::string& name) const override;
  const Tensor& output_at(size_t index) const override;
  const std::vector<NodeProfile>& profile() const override { return profile_; }

 private:
  void allocate();
  void release_all() noexcept;
  void run();
  void finish_all_quietly() noexcept;

  std::shared_ptr<const CompiledModelImpl> model_;  // keeps kernels and backends alive
  const ExecutionPlan& plan_;
  std::vector<std::unique_ptr<ExecContext>> contexts_;  // per backend
  std::vector<std::vector<void*>> arenas_;              // per backend, its allocations
  std::vector<void*> handles_;                          // per buffer
  std::vector<Tensor> staged_inputs_;
  std::vector<bool> input_set_;
  // Per step: the buffer views a kernel reads and writes, built once so infer() does not allocate.
  std::vector<std::vector<BufferView>> step_inputs_, step_outputs_;
  std::vector<Tensor> transfer_staging_;  // per step, for a transfer between two device backends
  std::vector<Tensor> outputs_;           // per model output (views of host buffers where possible)
  std::vector<NodeProfile> profile_;
  std::vector<int> profile_step_;
  std::atomic<bool> busy_{false};
  bool has_result_ = false;  // the last infer() succeeded
};

InferRequestImpl::InferRequestImpl(std::shared_ptr<const CompiledModelImpl> model)
    : model_(std::move(model)), plan_(model_->plan()) {
  try {
    allocate();
  } catch (...) {
    release_all();
    throw;
  }
}

void InferRequestImpl::allocate() {
  const size_t n_backends = plan_.backends.size();
  arenas_.assign(n_backends, {});
  handles_.assign(plan_.buffers.size(), nullptr);
  for (size_t b = 0; b < n_backends; ++b) {
    contexts_.push_back(plan_.backends[b]->create_context());
    for (size_t bytes : plan_.allocations[b]) arenas_[b].push_back(plan_.backends[b]->allocate(bytes));
  }
  for (size_t i = 0; i < plan_.buffers.size(); ++i) {
    const PlannedBuffer& buf = plan_.buffers[i];
    handles_[i] = plan_.backends[buf.backend]->sub_buffer(arenas_[buf.backend].at(buf.allocation),
                                                          buf.alloc_offset, std::max<size_t>(buf.bytes, 1));
  }
  for (const TensorInfo& info : model_->inputs()) staged_inputs_.emplace_back(info.type, info.shape);
  input_set_.assign(staged_inputs_.size(), false);

  step_inputs_.resize(plan_.steps.size());
  step_outputs_.resize(plan_.steps.size());
  transfer_staging_.resize(plan_.steps.size());
  auto view = [&](int b) { return b < 0 ? BufferView{} : BufferView{handles_[b], plan_.buffers[b].bytes}; };
  for (size_t i = 0; i < plan_.steps.size(); ++i) {
    const Step& s = plan_.steps[i];
    if (s.kind == Step::Kind::kKernel) {
      for (int b : s.in_buffers) step_inputs_[i].push_back(view(b));
      for (int b : s.out_buffers) step_outputs_[i].push_back(view(b));
      if (plan_.profiling) {
        NodeProfile p;
        p.node_name = s.node->name;
        p.node_type = op_name(s.node->op);
        p.exec_type = plan_.kernels[s.kernel]->impl_name();
        p.backend = plan_.backends[s.backend]->name();
        profile_.push_back(std::move(p));
        profile_step_.push_back(static_cast<int>(i));
      }
    } else if (s.kind == Step::Kind::kTransfer) {
      const bool src_host = plan_.backends[plan_.buffers[s.src].backend]->is_host();
      const bool dst_host = plan_.backends[plan_.buffers[s.dst].backend]->is_host();
      if (!src_host && !dst_host)
        transfer_staging_[i] = Tensor(ElementType::kU8, {int64_t(plan_.buffers[s.src].bytes)});
    }
  }

  const std::vector<TensorInfo>& infos = model_->outputs();
  for (size_t i = 0; i < infos.size(); ++i) {
    const OutputSource& src = plan_.output_sources[i];
    if (src.buffer < 0) {
      outputs_.push_back(*src.constant);
    } else if (plan_.backends[plan_.buffers[src.buffer].backend]->is_host()) {
      // Host buffers are read in place: the plan keeps output buffers alive to the end of a run.
      outputs_.push_back(Tensor::wrap(infos[i].type, infos[i].shape, handles_[src.buffer], nullptr));
    } else {
      outputs_.emplace_back(infos[i].type, infos[i].shape);
    }
  }
}

void InferRequestImpl::release_all() noexcept {
  finish_all_quietly();
  for (size_t i = 0; i < handles_.size(); ++i) {
    if (handles_[i]) plan_.backends[plan_.buffers[i].backend]->release(handles_[i]);
    handles_[i] = nullptr;
  }
  for (size_t b = 0; b < arenas_.size(); ++b) {
    for (void*& allocation : arenas_[b]) {
      if (allocation) plan_.backends[b]->release(allocation);
      allocation = nullptr;
    }
  }
  contexts_.clear();
}

void InferRequestImpl::finish_all_quietly() noexcept {
  for (size_t b = 0; b < contexts_.size(); ++b) {
    try {
      if (contexts_[b]) plan_.backends[b]->finish(*contexts_[b]);
    } catch (...) {
      // Already failing or shutting down: the first error is the one reported.
    }
  }
}

void InferRequestImpl::set_input(const std::string& name, const Tensor& tensor) {
  if (busy_.load(std::memory_order_acquire))
    raise(ErrorCode::kRequestBusy, "set_input('{}') during infer()", name);
  const int index = model_->input_index(name);
  const TensorInfo& info = model_->inputs()[index];
  if (tensor.type() != info.type || tensor.shape() != info.shape) {
    raise(ErrorCode::kParameterMismatch, "input '{}': expected {} {}, got {} {}", info.name,
          element_type_name(info.type), to_string(info.shape), element_type_name(tensor.type()),
          to_string(tensor.shape()));
  }
  Tensor& staged = staged_inputs_[index];
  if (staged.byte_size() > 0) std::memcpy(staged.data(), tensor.data(), staged.byte_size());
  input_set_[index] = true;
}

void InferRequestImpl::infer() {
  if (busy_.exchange(true, std::memory_order_acq_rel)) {
    raise(ErrorCode::kRequestBusy, "infer() called on a request that is already running");
  }
  struct Release {
    std::atomic<bool>& flag;
    ~Release() { flag.store(false, std::memory_order_release); }
  } release{busy_};
  has_result_ = false;  // from here on, the previous result is gone whatever happens
  for (size_t i = 0; i < input_set_.size(); ++i) {
    if (!input_set_[i])
      raise(ErrorCode::kInvalidArgument, "input '{}' was not set", model_->inputs()[i].name);
  }
  try {
    run();
  } catch (...) {
    finish_all_quietly();
    throw;
  }
  has_result_ = true;
}

void InferRequestImpl::run() {
  using Clock = std::chrono::steady_clock;
  size_t profiled = 0;
  for (size_t i = 0; i < plan_.steps.size(); ++i) {
    const Step& s = plan_.steps[i];
    switch (s.kind) {
      case Step::Kind::kInput: {
        Backend& backend = *plan_.backends[plan_.buffers[s.dst].backend];
        const Tensor& t = staged_inputs_[s.input];
        if (t.byte_size() > 0)
          backend.upload(*contexts_[plan_.buffers[s.dst].backend], handles_[s.dst], t.data(), t.byte_size());
        break;
      }
      case Step::Kind::kTransfer: {
        const int from = plan_.buffers[s.src].backend, to = plan_.buffers[s.dst].backend;
        Backend& src = *plan_.backends[from];
        Backend& dst = *plan_.backends[to];
        const size_t bytes = plan_.buffers[s.src].bytes;
        if (bytes == 0) break;
        if (src.is_host()) {
          dst.upload(*contexts_[to], handles_[s.dst], handles_[s.src], bytes);
        } else if (dst.is_host()) {
          src.download(*contexts_[from], handles_[s.src], handles_[s.dst], bytes);
        } else {
          src.download(*contexts_[from], handles_[s.src], transfer_staging_[i].data(), bytes);
          dst.upload(*contexts_[to], handles_[s.dst], transfer_staging_[i].data(), bytes);
        }
        break;
      }
      case Step::Kind::kKernel: {
        Kernel& kernel = *plan_.kernels[s.kernel];
        const auto start = Clock::now();
        try {
          kernel.enqueue(*contexts_[s.backend], step_inputs_[i], step_outputs_[i]);
        } catch (const Error& e) {
          rethrow_with_context(e, s.node->describe());
        }
        if (plan_.profiling) {
          const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
          profile_[profiled].cpu_time_us = us;
          profile_[profiled].real_time_us = us;
          ++profiled;
        }
        break;
      }
    }
  }
  for (size_t b = 0; b < contexts_.size(); ++b) plan_.backends[b]->finish(*contexts_[b]);
  for (size_t i = 0; i < outputs_.size(); ++i) {
    const int buffer = plan_.output_sources[i].buffer;
    if (buffer < 0) continue;
    const int b = plan_.buffers[buffer].backend;
    if (!plan_.backends[b]->is_host() && outputs_[i].byte_size() > 0) {
      plan_.backends[b]->download(*contexts_[b], handles_[buffer], outputs_[i].data(),
                                  outputs_[i].byte_size());
    }
  }
  for (size_t p = 0; p < profile_.size(); ++p) {
    const Step& s = plan_.steps[profile_step_[p]];
    const double device_us = plan_.kernels[s.kernel]->last_time_us(*contexts_[s.backend]);
    if (device_us >= 0) profile_[p].real_time_us = device_us;
  }
}

const Tensor& InferRequestImpl::output_at(size_t index) const {
  if (index >= outputs_.size())
    raise(ErrorCode::kNotFound, "output index {} out of range ({} outputs)", index, outputs_.size());
  if (!has_result_)
    raise(ErrorCode::kInvalidArgument,
          "output '{}': this request has no result (infer() has not run yet, or its last run failed)",
          model_->outputs()[index].name);
  return outputs_[index];
}

const Tensor& InferRequestImpl::output(const std::string& name) const {
  return output_at(static_cast<size_t>(model_->output_index(name)));
}

}  // namespace

std::unique_ptr<InferRequest> CompiledModelImpl::create_request() {
  return std::make_unique<InferRequestImpl>(
      std::static_pointer_cast<const CompiledModelImpl>(shared_from_this()));
}

}  // namespace octet
