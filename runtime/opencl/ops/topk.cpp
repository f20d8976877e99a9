// TopK-1/3/11 launcher (kernels/topk.cl): f32 and integer data, i32/i64 indices, any axis, k from
// the (static) output shape; sort none takes the value order, as the reference does.
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {

namespace {

class TopKKernel : public OclKernel {
 public:
  TopKKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const TopKAttrs& a = node.attr<TopKAttrs>();
    const Dims& xs = node.input_shape(0);
    const auto axis = static_cast<size_t>(normalize_axis(a.axis, static_cast<int64_t>(xs.size()), "axis"));
    n_ = xs[axis];
    k_ = node.outputs[0].shape[axis];
    for (size_t d = 0; d < axis; ++d) outer_ *= xs[d];
    for (size_t d = axis + 1; d < xs.size(); ++d) inner_ *= xs[d];
    const ElementType t = node.input_type(0);
    impl_ = fmt::format("ocl_topk_{}", element_type_name(t));
    std::string opts = fmt::format("-DT={} -DIDX_T={}", cl_type(t), cl_type(node.outputs[1].type));
    if (t == ElementType::kF32) opts += " -DKEY_FLOAT";
    if (a.mode == TopKMode::kMax) opts += " -DMAX";
    if (a.sort == TopKSort::kIndex) opts += " -DSORT_INDEX";
    kernel_ = make("topk.cl", opts, "topk");
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), output(out, 0), output(out, 1), cl_int(n_), cl_int(k_),
             cl_int(inner_));
    launch(ctx, kernel_.get(), {size_t(inner_), size_t(outer_), 1}, 2);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t n_ = 1, k_ = 1, outer_ = 1, inner_ = 1;
};

}  // namespace

Support supports_topk(const Node& node, const OpenClBackend& backend) {
  Support s = check_static(node);
  if (!s.ok) return s;
  const ElementType t = node.input_type(0);
  const int bits = element_bits(t);
  if (t == ElementType::kF16) return Support::no("input 0 is f16, OpenCL float kernels take f32");
  if (!(t == ElementType::kF32 || (is_integer(t) && (bits == 8 || bits == 16 || bits == 32 || bits == 64))))
    return Support::no(fmt::format("OpenCL backend has no kernel for TopK on {}", element_type_name(t)));
  const ElementType it = node.outputs[1].type;
  if (it != ElementType::kI32 && it != ElementType::kI64)
    return Support::no(
        fmt::format("OpenCL backend has no kernel for TopK with {} indices", element_type_name(it)));
  if (node.input_shape(0).empty()) return Support::no("OpenCL backend has no kernel for TopK of a scalar");
  return Support::yes();
}

std::unique_ptr<Kernel> compile_topk(const Node& node, OpenClBackend& backend) {
  return std::make_unique<TopKKernel>(node, backend);
}

}  // namespace octet
