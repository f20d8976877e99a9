// Private to the executor: the compiled schedule a CompiledModel holds and every InferRequest replays.
//
// A schedule is a list of steps: input uploads, transfers between backends, and kernels. Every
// non-constant value gets one buffer on the backend that produces it, plus a copy on each other
// backend that reads it. Buffers are placed by host/plan's liveness planner, one arena per backend.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host/graph/tensor_names.h"
#include "host/plan/memory_plan.h"
#include "runtime/executor/compiled_model.h"

namespace octet {

// One buffer of one backend's arena.
struct PlannedBuffer {
  int backend = 0;  // index into ExecutionPlan::backends
  size_t bytes = 0;
  size_t offset = 0;        // in that backend's arena
  int allocation = -1;      // index into ExecutionPlan::allocations[backend]
  size_t alloc_offset = 0;  // in that allocation
};

struct Step {
  enum class Kind { kInput, kTransfer, kKernel };
  Kind kind = Kind::kKernel;
  // kInput: index into ExecutionPlan::inputs, written into `dst`.
  int input = -1;
  // kTransfer: `src` (on one backend) copied into `dst` (on another).
  int src = -1, dst = -1;
  // kKernel
  const Node* node = nullptr;
  int backend = 0;
  int kernel = -1;              // index into ExecutionPlan::kernels
  std::vector<int> in_buffers;  // -1: a Constant the kernel captured
  std::vector<int> out_buffers;
};

// Where a model output (or extra output) reads its data.
struct OutputSource {
  int buffer = -1;                         // -1: a constant
  std::shared_ptr<const Tensor> constant;  // when buffer == -1
};

struct ExecutionPlan {
  std::vector<std::shared_ptr<Backend>> backends;  // [0] is the primary
  std::vector<MemoryPlan> arenas;                  // one per backend
  // Per backend, the sizes of the allocations its arena is cut into, each at most the backend's
  // max_allocation_bytes() (one allocation when the arena fits).
  std::vector<std::vector<size_t>> allocations;
  std::vector<PlannedBuffer> buffers;
  std::vector<std::unique_ptr<Kernel>> kernels;
  std::vector<Step> steps;
  std::vector<int> input_buffers;            // per model input, the buffer its data is uploaded into
  std::vector<OutputSource> output_sources;  // per CompiledModel::outputs() entry
  // Names users give for inputs and outputs (host/graph/tensor_names.h), and the model input or
  // output index of each value they resolve to.
  std::shared_ptr<const TensorNameIndex> input_names, output_names;
  std::map<std::pair<const Node*, int>, int> input_of_value, output_of_value;
  bool profiling = false;
};

}  // namespace octet
