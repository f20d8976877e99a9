// Launcher for ScatterElementsUpdate-12 and ScatterNDUpdate-15 with a reduction (kernels/scatter.cl)
// when the indices (and axis) are constant: the host lists, once, which update positions reach each
// output element, in the order host/reference/scatter_ops.cpp applies them (row-major over the
// updates), as a CSR table; the kernel folds them per output element, so duplicates need no atomics
// and the result is the reference's, step for step. Without a reduction these ops are a remap
// (ops/remap.cpp).
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

int reduction_code(ScatterReduction r) {
  switch (r) {
    case ScatterReduction::kSum: return 1;
    case ScatterReduction::kSub: return 2;
    case ScatterReduction::kProd: return 3;
    case ScatterReduction::kMin: return 4;
    case ScatterReduction::kMax: return 5;
    case ScatterReduction::kMean: return 6;
    case ScatterReduction::kNone: break;
  }
  return 0;
}

ScatterReduction reduction_of(const Node& node) {
  return node.op == OpKind::kScatterElementsUpdate ? node.attr<ScatterElementsUpdateAttrs>().reduction
                                                   : node.attr<ScatterNDUpdateAttrs>().reduction;
}

// An index made non-negative, [-size, size) allowed as the reference does; others raise as there.
int64_t checked(const Node& node, int64_t value, int64_t position, int64_t size) {
  if (value < -size || value >= size)
    raise(ErrorCode::kInvalidArgument, "{}: input 1 (indices) holds {} at position {}, outside [{}, {})",
          node.describe(), value, position, -size, size);
  return value < 0 ? value + size : value;
}

// The output element each update position targets, in update order.
std::vector<int64_t> targets(const Node& node) {
  const Dims& xs = node.input_shape(0);
  const Dims& is = node.input_shape(1);
  const std::vector<int64_t> idx = node.input_constant(1)->to_int64_vector();
  std::vector<int64_t> out;
  if (node.op == OpKind::kScatterElementsUpdate) {
    const int64_t rank = static_cast<int64_t>(xs.size());
    const auto axis =
        static_cast<size_t>(normalize_axis(node.input_constant(3)->get_as_int64(0), rank, "axis"));
    const Dims stride = row_major_strides(xs);
    Dims coord(is.size(), 0);
    for (int64_t p = 0; p < static_cast<int64_t>(idx.size()); ++p) {
      int64_t t = 0;
      for (size_t d = 0; d < is.size(); ++d)
        t += (d == axis ? checked(node, idx[static_cast<size_t>(p)], p, xs[d]) : coord[d]) * stride[d];
      out.push_back(t);
      for (size_t d = is.size(); d-- > 0;) {
        if (++coord[d] < is[d]) break;
        coord[d] = 0;
      }
    }
    return out;
  }
  // ScatterNDUpdate: tuple q of k indices addresses a slice of the trailing dims of data.
  const auto k = static_cast<size_t>(is.back());
  int64_t tuples = 1, slice = 1;
  for (size_t d = 0; d + 1 < is.size(); ++d) tuples *= is[d];
  for (size_t d = k; d < xs.size(); ++d) slice *= xs[d];
  for (int64_t q = 0; q < tuples; ++q) {
    int64_t offset = 0;
    for (size_t j = 0; j < k; ++j) {
      const int64_t p = q * static_cast<int64_t>(k) + static_cast<int64_t>(j);
      offset = offset * xs[j] + checked(node, idx[static_cast<size_t>(p)], p, xs[j]);
    }
    for (int64_t e = 0; e < slice; ++e) out.push_back(offset * slice + e);
  }
  return out;
}

class ScatterReduceKernel : public OclKernel {
 public:
  ScatterReduceKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const ElementType t = node.input_type(0);
    impl_ = fmt::format("ocl_{}_reduce_{}", op_name(node.op), element_type_name(t));
    count_ = static_cast<size_t>(element_count(node.outputs[0].shape));
    // CSR by a stable counting sort: each element's updates keep the reference's order.
    const std::vector<int64_t> target = targets(node);
    std::vector<cl_int> start(count_ + 1, 0), list(target.size());
    for (int64_t x : target) ++start[static_cast<size_t>(x) + 1];
    for (size_t i = 0; i < count_; ++i) start[i + 1] += start[i];
    std::vector<cl_int> fill(start.begin(), start.end() - 1);
    for (size_t p = 0; p < target.size(); ++p)
      list[static_cast<size_t>(fill[static_cast<size_t>(target[p])]++)] = static_cast<cl_int>(p);
    if (list.empty()) list.push_back(0);  // no updates: a buffer all the same, never read
    start_ = weights(start.data(), start.size() * sizeof(cl_int));
    list_ = weights(list.data(), list.size() * sizeof(cl_int));
    use_init_val_ =
        node.op != OpKind::kScatterElementsUpdate || node.attr<ScatterElementsUpdateAttrs>().use_init_val;
    std::string opts = fmt::format("-DT={} -DRED={}", cl_type(t), reduction_code(reduction_of(node)));
    if (t == ElementType::kF32)
      opts += " -DT_FLOAT -cl-fp32-correctly-rounded-divide-sqrt";
    else if (t == ElementType::kBoolean)
      opts += " -DT_BOOL";
    else
      opts += fmt::format(" -DUT={}", cl_unsigned_type(t));
    kernel_ = make("scatter.cl", opts, "scatter_reduce");
    capture_constants(node, {0, 2});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), input(in, 2), start_.get(), list_.get(), output(out, 0),
             cl_int(use_init_val_));
    launch(ctx, kernel_.get(), {count_, 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  ocl::Mem start_, list_;
  size_t count_ = 0;
  bool use_init_val_ = true;
};

}  // namespace

Support supports_scatter_reduce(const Node& node, const OpenClBackend& backend) {
  Support s = check_static(node);
  if (!s.ok) return s;
  const ElementType t = node.input_type(0);
  const int bits = element_bits(t);
  if (t == ElementType::kF16) return Support::no("input 0 is f16, OpenCL float kernels take f32");
  if (!(t == ElementType::kF32 || t == ElementType::kBoolean ||
        (is_integer(t) && (bits == 8 || bits == 16 || bits == 32 || bits == 64))))
    return Support::no(fmt::format("OpenCL backend has no kernel for {} with a reduction on {}",
                                   op_name(node.op), element_type_name(t)));
  if (t == ElementType::kBoolean && reduction_of(node) == ScatterReduction::kMean)
    return Support::no(
        fmt::format("OpenCL backend has no kernel for {} with mean on boolean", op_name(node.op)));
  if (!node.input_constant(1) || (node.op == OpKind::kScatterElementsUpdate && !node.input_constant(3)))
    return Support::no(fmt::format(
        "OpenCL backend has no kernel for {} with a reduction and computed indices", op_name(node.op)));
  if (element_count(node.input_shape(2)) >= kMaxKernelElements)
    return Support::no("tensor too large for 32-bit indexing");
  return Support::yes();
}

std::unique_ptr<Kernel> compile_scatter_reduce(const Node& node, OpenClBackend& backend) {
  return std::make_unique<ScatterReduceKernel>(node, backend);
}

}  // namespace octet
