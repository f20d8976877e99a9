// Kernels that run a node through the spec-exact reference evaluators (host/reference).
#include <cstring>

#include "host/common/error.h"
#include "host/reference/evaluate.h"
#include "runtime/onednn/cpu_backend.h"

namespace octet {
namespace cpu {
namespace {

// The reference evaluators return fresh tensors, so this kernel allocates on every run; it serves
// the ops oneDNN does not compute exactly and is not on any hot path we optimise.
class ReferenceKernel : public Kernel {
 public:
  explicit ReferenceKernel(const Node& node) : node_(node) {
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const Node* producer = node.inputs[i].node;
      constants_.push_back(producer->op == OpKind::kConstant ? producer->constant : nullptr);
    }
  }

  void enqueue(ExecContext&, const std::vector<BufferView>& inputs,
               const std::vector<BufferView>& outputs) override {
    std::vector<Tensor> wrapped(inputs.size());
    std::vector<const Tensor*> args(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (constants_[i]) {
        args[i] = constants_[i].get();
      } else {
        const Value& v = node_.input_value(i);
        wrapped[i] = Tensor::wrap(v.type, v.shape, inputs[i].handle, nullptr);
        args[i] = &wrapped[i];
      }
    }
    const std::vector<Tensor> results = evaluate_reference(node_, args);
    if (results.size() < outputs.size()) {
      raise(ErrorCode::kInternal, "{}: reference returned {} outputs, expected {}", node_.describe(),
            results.size(), outputs.size());
    }
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (results[i].byte_size() != outputs[i].bytes) {
        raise(ErrorCode::kInternal, "{}: reference output {} has {} bytes, the plan has {}", node_.describe(),
              i, results[i].byte_size(), outputs[i].bytes);
      }
      if (outputs[i].bytes) std::memcpy(outputs[i].handle, results[i].data(), outputs[i].bytes);
    }
  }

  std::string impl_name() const override { return "ref"; }

 private:
  const Node& node_;  // owned by the compiled model's graph, which outlives its kernels
  std::vector<std::shared_ptr<const Tensor>> constants_;
};

}  // namespace

std::unique_ptr<Kernel> make_reference_kernel(const Node& node) {
  return std::make_unique<ReferenceKernel>(node);
}

}  // namespace cpu
}  // namespace octet
