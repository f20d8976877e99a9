// MaxPool / AvgPool launchers (2-D windows; 1-D pools run with H = 1).
#include "host/graph/ops/conv_geometry.h"
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

class PoolKernel : public OclKernel {
 public:
  PoolKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    ConvGeometry g = pool_geometry(node);
    const Dims& x = node.input_shape(0);
    bool one = g.kernel.size() == 1;
    // Spatial dims of the geometry: H is 0 and W is 1 for 2-D windows; 1-D has only W (0).
    size_t h = 0, w = g.kernel.size() - 1;
    C_ = x[1];
    NC_ = x[0] * x[1];
    H_ = one ? 1 : x[2], W_ = x.back();
    OH_ = one ? 1 : g.output[h], OW_ = g.output[w];
    KH_ = one ? 1 : g.kernel[h], KW_ = g.kernel[w];
    if (!one) SH_ = g.strides[h], DH_ = g.dilations[h], PH_ = g.pads_begin[h];
    SW_ = g.strides[w], DW_ = g.dilations[w], PW_ = g.pads_begin[w];
    max_ = node.op == OpKind::kMaxPool;
    if (max_) {
      impl_ = "ocl_max_pool_f32";
      std::string idx = "long";
      if (node.outputs.size() > 1) {
        idx = node.outputs[1].type == ElementType::kI32 ? "int" : "long";
        int64_t axis = normalize_axis(pool_attrs(node).axis, static_cast<int64_t>(x.size()), "axis");
        idx_mode_ = axis == 0 ? 1 : axis == 1 ? 2 : 3;
      }
      kernel_ = make("pool_f32.cl", "-DIDX_T=" + idx, "max_pool");
    } else {
      impl_ = "ocl_avg_pool_f32";
      bool pads = false;
      for (size_t d = 0; d < g.kernel.size(); ++d) pads = pads || g.pads_begin[d] != 0 || g.pads_end[d] != 0;
      full_kernel_ = !pool_attrs(node).exclude_pad && pads;
      kernel_ = make("pool_f32.cl", "", "avg_pool");
    }
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto i = [](int64_t v) { return static_cast<cl_int>(v); };
    cl_mem x = input(in, 0), y = output(out, 0);
    if (max_) {
      bool with_idx = idx_mode_ && out.size() > 1 && out[1].handle;
      cl_mem idx = with_idx ? output(out, 1) : y;
      set_args(kernel_.get(), x, y, idx, i(C_), i(H_), i(W_), i(OH_), i(OW_), i(KH_), i(KW_), i(SH_), i(SW_),
               i(DH_), i(DW_), i(PH_), i(PW_), i(with_idx ? idx_mode_ : 0));
    } else {
      set_args(kernel_.get(), x, y, i(H_), i(W_), i(OH_), i(OW_), i(KH_), i(KW_), i(SH_), i(SW_), i(PH_),
               i(PW_), i(full_kernel_));
    }
    launch(ctx, kernel_.get(), {size_t(OW_), size_t(OH_), size_t(NC_)}, 3);
  }

 private:
  ocl::ClKernel kernel_;
  bool max_ = true, full_kernel_ = false;
  int idx_mode_ = 0;
  int64_t C_ = 1, NC_ = 1, H_ = 1, W_ = 1, OH_ = 1, OW_ = 1, KH_ = 1, KW_ = 1, SH_ = 1, SW_ = 1, DH_ = 1,
          DW_ = 1;
  int64_t PH_ = 0, PW_ = 0;
};

}  // namespace

Support supports_pool(const Node& node, const OpenClBackend& backend) {
  Support s = check_static(node);
  if (!s.ok) return s;
  if (node.input_type(0) != ElementType::kF32 || node.outputs[0].type != ElementType::kF32)
    return Support::no("pooling kernels take f32");
  size_t rank = node.input_shape(0).size();
  if (rank != 3 && rank != 4) return Support::no("only 1-D and 2-D pooling is implemented");
  return Support::yes();
}

std::unique_ptr<Kernel> compile_pool(const Node& node, OpenClBackend& backend) {
  return std::make_unique<PoolKernel>(node, backend);
}

}  // namespace octet
