// Private to the executor: the CompiledModel implementation shared by compile() and InferRequest.
#pragma once

#include <memory>
#include <vector>

#include "runtime/executor/compiled_model.h"
#include "runtime/executor/execution_plan.h"

namespace octet {

class CompiledModelImpl : public CompiledModel {
 public:
  CompiledModelImpl(Graph graph, const CompileConfig& config, std::shared_ptr<Backend> primary,
                    std::shared_ptr<Backend> cpu);
  // Kernels are released newest first: PoCL keeps a program's kernels in a list that each release
  // searches from the newest entry, so releasing oldest first is quadratic in the kernel count (a
  // 100k-node model took minutes to free).
  ~CompiledModelImpl() override {
    while (!plan_.kernels.empty()) plan_.kernels.pop_back();
  }

  const std::vector<TensorInfo>& inputs() const override { return inputs_; }
  const std::vector<TensorInfo>& outputs() const override { return outputs_; }
  int input_index(const std::string& name) const override;
  int output_index(const std::string& name) const override;
  const std::vector<NodeAssignment>& assignments() const override { return assignments_; }
  const Graph& graph() const override { return graph_; }
  const std::vector<QuantizationDecision>& quantization() const override { return quantization_; }
  size_t weight_bytes() const override;
  size_t activation_peak_bytes() const override;
  std::unique_ptr<InferRequest> create_request() override;

  const ExecutionPlan& plan() const { return plan_; }

 private:
  void prepare();
  void fold_constant_nodes();
  void describe_io();
  void assign();
  void schedule();
  void plan_buffers();
  void split_arenas();
  void compile_kernels();

  Graph graph_;
  CompileConfig config_;
  std::shared_ptr<Backend> cpu_;
  std::vector<TensorInfo> inputs_;
  std::vector<TensorInfo> outputs_;
  std::vector<NodeAssignment> assignments_;
  std::vector<QuantizationDecision> quantization_;
  std::vector<const Node*> exec_nodes_;  // nodes that run a kernel, in order
  std::vector<int> exec_backend_;        // backend index per exec node
  std::vector<Output> output_values_;    // value behind each outputs_ entry
  ExecutionPlan plan_;
  size_t weight_bytes_ = 0;  // what compile_kernels added to the primary backend's weights
};

}  // namespace octet
