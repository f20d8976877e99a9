// Launchers for the movement ops of issue 11 (ShuffleChannels, DepthToSpace, SpaceToDepth,
// BatchToSpace, SpaceToBatch, Tile, Roll, Reverse, ReverseSequence) as one precomputed gather.
//
// Each output element of these ops is a copy of one input element (or SpaceToBatch's zero padding),
// and with static shapes and constant parameters which one is fixed when the node is compiled. The
// op's own reference evaluator, run once on the input's 1-based flat indices (an i64 tensor of the
// input's shape; the reference moves whole elements of any type), gives that map: 0 marks padding.
// It is uploaded as an int32 table and kernels/movement.cl's remap_<bytes> reads it, so the OpenCL
// results follow the spec exactly as the CPU's and cost 4 bytes of device memory per output element.
#include "host/reference/ref_ops.h"
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

// The parameter inputs (every input after the data) the map depends on, named for messages.
const char* parameter_name(OpKind op, size_t i) {
  switch (op) {
    case OpKind::kBatchToSpace: return i == 1 ? "block_shape" : i == 2 ? "crops_begin" : "crops_end";
    case OpKind::kSpaceToBatch: return i == 1 ? "block_shape" : i == 2 ? "pads_begin" : "pads_end";
    case OpKind::kTile: return "repeats";
    case OpKind::kRoll: return i == 1 ? "shift" : "axes";
    case OpKind::kReverse: return "axes";
    case OpKind::kReverseSequence: return "seq_lengths";
    default: return "parameter";
  }
}

ref::Outputs evaluate(const Node& node, const ref::Inputs& in) {
  switch (node.op) {
    case OpKind::kShuffleChannels: return ref::eval_ShuffleChannels(node, in);
    case OpKind::kDepthToSpace: return ref::eval_DepthToSpace(node, in);
    case OpKind::kSpaceToDepth: return ref::eval_SpaceToDepth(node, in);
    case OpKind::kBatchToSpace: return ref::eval_BatchToSpace(node, in);
    case OpKind::kSpaceToBatch: return ref::eval_SpaceToBatch(node, in);
    case OpKind::kTile: return ref::eval_Tile(node, in);
    case OpKind::kRoll: return ref::eval_Roll(node, in);
    case OpKind::kReverse: return ref::eval_Reverse(node, in);
    case OpKind::kReverseSequence: return ref::eval_ReverseSequence(node, in);
    default: raise(ErrorCode::kInternal, "{}: no index map for {}", node.describe(), op_name(node.op));
  }
}

// The 1-based input index each output element copies, 0 for padding.
std::vector<cl_int> index_map(const Node& node) {
  const Dims& x = node.input_shape(0);
  Tensor iota(ElementType::kI64, x);
  int64_t* p = iota.data_as<int64_t>();
  for (int64_t i = 0; i < iota.element_count(); ++i) p[i] = i + 1;
  ref::Inputs in = {&iota};
  for (size_t i = 1; i < node.inputs.size(); ++i) in.push_back(node.input_constant(i));
  const ref::Outputs out = evaluate(node, in);
  if (out.size() != 1 || out[0].shape() != node.outputs[0].shape)
    raise(ErrorCode::kInternal, "{}: index map of shape {} for output {}", node.describe(),
          out.empty() ? std::string("none") : to_string(out[0].shape()), to_string(node.outputs[0].shape));
  const int64_t* m = out[0].data_as<int64_t>();
  return std::vector<cl_int>(m, m + out[0].element_count());
}

class RemapKernel : public OclKernel {
 public:
  RemapKernel(const Node& node, OpenClBackend& b)
      : OclKernel(b, node, fmt::format("ocl_{}_remap", op_name(node.op))) {
    const std::vector<cl_int> map = index_map(node);
    count_ = map.size();
    map_ = weights(map.data(), map.size() * sizeof(cl_int));
    const size_t bytes = element_bits(node.outputs[0].type) / 8;
    kernel_ = make("movement.cl", "-DIDX_T=int", ("remap_" + std::to_string(bytes)).c_str());
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), map_.get(), output(out, 0));
    launch(ctx, kernel_.get(), {count_, 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  ocl::Mem map_;
  size_t count_ = 0;
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
    if (!node.input_constant(i))
      return Support::no(fmt::format("OpenCL backend has no kernel for {} with a computed {} input",
                                     op_name(node.op), parameter_name(node.op, i)));
  // 1-based int32 indices of the input.
  if (element_count(node.input_shape(0)) >= kMaxKernelElements)
    return Support::no("tensor too large for 32-bit indexing");
  return Support::yes();
}

std::unique_ptr<Kernel> compile_remap(const Node& node, OpenClBackend& backend) {
  return std::make_unique<RemapKernel>(node, backend);
}

}  // namespace octet
