// Launchers for the ops of issue 11 whose every output element is a copy of one element of their
// data inputs (or SpaceToBatch's zero padding), chosen by constant parameters and beyond a single
// strided copy (ShuffleChannels, DepthToSpace, SpaceToDepth, Tile and Reverse are one:
// ops/movement.cpp): BatchToSpace, SpaceToBatch, Roll, ReverseSequence,
// GatherND with constant indices, and ScatterUpdate, ScatterElementsUpdate and ScatterNDUpdate with
// constant indices (and axis) and no reduction (with one: ops/scatter.cpp).
//
// With static shapes, which element each output copies is fixed when the node is compiled. The
// op's own reference evaluator, run once on 1-based flat indices in place of the data (i64 tensors
// of the sources' shapes, numbered on from the first source into the second, the scatters'
// updates; the reference moves whole elements of any type), gives that map, 0 marking padding. It
// is uploaded as an int32 table and kernels/movement.cl's remap_<bytes> reads it, so the OpenCL
// results follow the spec exactly as the CPU's, duplicate scatter indices included, at 4 bytes of
// device memory per output element.
#include "host/reference/ref_ops.h"
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

// The parameter inputs (every input after the data) the map depends on, named for messages.
const char* parameter_name(OpKind op, size_t i) {
  switch (op) {
    case OpKind::kBatchToSpace: return i == 1 ? "block_shape" : i == 2 ? "crops_begin" : "crops_end";
    case OpKind::kSpaceToBatch: return i == 1 ? "block_shape" : i == 2 ? "pads_begin" : "pads_end";
    case OpKind::kRoll: return i == 1 ? "shift" : "axes";
    case OpKind::kReverseSequence: return "seq_lengths";
    case OpKind::kGatherND:
    case OpKind::kScatterElementsUpdate:
    case OpKind::kScatterNDUpdate: return "indices";
    case OpKind::kScatterUpdate: return i == 1 ? "indices" : "axis";
    default: return "parameter";
  }
}

ref::Outputs evaluate(const Node& node, const ref::Inputs& in) {
  switch (node.op) {
    case OpKind::kBatchToSpace: return ref::eval_BatchToSpace(node, in);
    case OpKind::kSpaceToBatch: return ref::eval_SpaceToBatch(node, in);
    case OpKind::kRoll: return ref::eval_Roll(node, in);
    case OpKind::kReverseSequence: return ref::eval_ReverseSequence(node, in);
    case OpKind::kGatherND: return ref::eval_GatherND(node, in);
    case OpKind::kScatterUpdate: return ref::eval_ScatterUpdate(node, in);
    case OpKind::kScatterElementsUpdate: return ref::eval_ScatterElementsUpdate(node, in);
    case OpKind::kScatterNDUpdate: return ref::eval_ScatterNDUpdate(node, in);
    default: raise(ErrorCode::kInternal, "{}: no index map for {}", node.describe(), op_name(node.op));
  }
}

// The second input whose elements are copied (the scatters' updates), or 0 for none.
size_t second_source(OpKind op) {
  switch (op) {
    case OpKind::kScatterUpdate:
    case OpKind::kScatterElementsUpdate:
    case OpKind::kScatterNDUpdate: return 2;
    default: return 0;
  }
}

bool is_source(const Node& node, size_t i) {
  return i == 0 || i == second_source(node.op);
}

// Elements of the sources together, numbered by the map from 1.
int64_t source_elements(const Node& node) {
  const size_t second = second_source(node.op);
  return element_count(node.input_shape(0)) + (second ? element_count(node.input_shape(second)) : 0);
}

// The index each output element copies, 0 for padding: 1..n for input 0's n elements, n+1... for
// the second source's.
std::vector<cl_int> index_map(const Node& node) {
  std::vector<Tensor> iota;
  int64_t next = 1;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    if (!is_source(node, i)) continue;
    Tensor t(ElementType::kI64, node.input_shape(i));
    int64_t* p = t.data_as<int64_t>();
    for (int64_t k = 0; k < t.element_count(); ++k) p[k] = next++;
    iota.push_back(std::move(t));
  }
  ref::Inputs in;
  for (size_t i = 0, s = 0; i < node.inputs.size(); ++i)
    in.push_back(is_source(node, i) ? &iota[s++] : node.input_constant(i));
  const ref::Outputs out = evaluate(node, in);
  if (out.size() != 1 || out[0].shape() != node.outputs[0].shape)
    raise(ErrorCode::kInternal, "{}: index map of shape {} for output {}", node.describe(),
          out.empty() ? std::string("none") : to_string(out[0].shape()), to_string(node.outputs[0].shape));
  const int64_t* m = out[0].data_as<int64_t>();
  return std::vector<cl_int>(m, m + out[0].element_count());
}

// Scatters with a reduction combine elements: ops/scatter.cpp.
bool reduces(const Node& node) {
  return (node.op == OpKind::kScatterElementsUpdate &&
          node.attr<ScatterElementsUpdateAttrs>().reduction != ScatterReduction::kNone) ||
         (node.op == OpKind::kScatterNDUpdate &&
          node.attr<ScatterNDUpdateAttrs>().reduction != ScatterReduction::kNone);
}

class RemapKernel : public OclKernel {
 public:
  RemapKernel(const Node& node, OpenClBackend& b)
      : OclKernel(b, node, fmt::format("ocl_{}_remap", op_name(node.op))) {
    const std::vector<cl_int> map = index_map(node);
    count_ = map.size();
    map_ = weights(map.data(), map.size() * sizeof(cl_int));
    second_ = second_source(node.op);
    first_count_ = element_count(node.input_shape(0));
    const size_t bytes = element_bits(node.outputs[0].type) / 8;
    kernel_ = make("movement.cl", "-DIDX_T=int", ("remap_" + std::to_string(bytes)).c_str());
    capture_constants(node, second_ ? std::vector<int>{0, static_cast<int>(second_)} : std::vector<int>{0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    cl_mem first = input(in, 0);
    set_args(kernel_.get(), first, second_ ? input(in, second_) : first, map_.get(), output(out, 0),
             cl_int(first_count_));
    launch(ctx, kernel_.get(), {count_, 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  ocl::Mem map_;
  size_t count_ = 0, second_ = 0;
  int64_t first_count_ = 0;
};

}  // namespace

Support supports_remap(const Node& node, const OpenClBackend& backend) {
  Support s = check_static(node);
  if (!s.ok) return s;
  const ElementType t = node.outputs[0].type;
  const int bits = element_bits(t);
  if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
    return Support::no(fmt::format("OpenCL backend has no kernel for {} on {} values", op_name(node.op),
                                   element_type_name(t)));
  for (size_t i = 1; i < node.inputs.size(); ++i)
    if (!is_source(node, i) && !node.input_constant(i))
      return Support::no(fmt::format("OpenCL backend has no kernel for {} with a computed {} input",
                                     op_name(node.op), parameter_name(node.op, i)));
  if (reduces(node)) return supports_scatter_reduce(node, backend);
  // 1-based int32 indices of the sources.
  if (source_elements(node) >= kMaxKernelElements) return Support::no("tensor too large for 32-bit indexing");
  return Support::yes();
}

std::unique_ptr<Kernel> compile_remap(const Node& node, OpenClBackend& backend) {
  if (reduces(node)) return compile_scatter_reduce(node, backend);
  return std::make_unique<RemapKernel>(node, backend);
}

}  // namespace octet
