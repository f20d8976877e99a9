// ConvolutionBackpropData-1 / GroupConvolutionBackpropData-1 launcher (kernels/deconv_f32.cl), f32,
// 1-3 spatial dims; geometry from host/graph/ops/conv_backprop_geometry.h.
#include <array>

#include "host/graph/ops/conv_backprop_geometry.h"
#include "runtime/opencl/ops/ocl_kernel.h"

namespace octet {
namespace {

// Pads a per-spatial-dim list to 3 entries (leading dims get `fill`).
Dims to3(const Dims& d, int64_t fill) {
  Dims r(3 - d.size(), fill);
  r.insert(r.end(), d.begin(), d.end());
  return r;
}

class DeconvKernel : public OclKernel {
 public:
  DeconvKernel(const Node& node, OpenClBackend& b) : OclKernel(b, node, "") {
    const bool grouped = node.op == OpKind::kGroupConvolutionBackpropData;
    const Dims& xs = node.input_shape(0);
    const Dims& ws = node.input_shape(1);
    const size_t lead = grouped ? 3 : 2;
    G_ = grouped ? ws[0] : 1;
    Cg_ = ws[lead - 2];
    Og_ = ws[lead - 1];
    const Dims in_sp(xs.begin() + 2, xs.end());
    const Dims k_sp(ws.begin() + static_cast<std::ptrdiff_t>(lead), ws.end());
    const Dims& ys = node.outputs[0].shape;
    // The output's spatial dims are the output_shape input when there is one (shape inference
    // checked them), so a computed output_shape works too.
    std::vector<int64_t> out_sp(ys.begin() + 2, ys.end());
    const BackpropGeometry g =
        conv_backprop_geometry(node, in_sp, k_sp, node.inputs.size() > 2 ? &out_sp : nullptr);
    const Dims I = to3(in_sp, 1), K = to3(k_sp, 1), O = to3(g.output, 1);
    const Dims S = to3(g.strides, 1), D = to3(g.dilations, 1), P = to3(g.pads_begin, 0);
    const Dims geo = {I[0], I[1], I[2], O[0], O[1], O[2], K[0], K[1],
                      K[2], S[0], S[1], S[2], D[0], D[1], D[2], P[0]};
    for (size_t i = 0; i < 16; ++i) geo_[i] = static_cast<cl_int>(geo[i]);
    PH_ = static_cast<cl_int>(P[1]);
    PW_ = static_cast<cl_int>(P[2]);
    count_ = static_cast<size_t>(element_count(ys));
    impl_ = fmt::format("ocl_{}deconv{}d_f32_direct", grouped ? "group_" : "", in_sp.size());
    kernel_ = make("deconv_f32.cl", "", "deconv");
    capture_constants(node, {0, 1});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    set_args(kernel_.get(), input(in, 0), input(in, 1), output(out, 0), cl_int(G_), cl_int(Cg_), cl_int(Og_),
             geo_, PH_, PW_);
    launch(ctx, kernel_.get(), {count_, 1, 1}, 1);
  }

 private:
  ocl::ClKernel kernel_;
  int64_t G_ = 1, Cg_ = 1, Og_ = 1;
  std::array<cl_int, 16> geo_{};
  cl_int PH_ = 0, PW_ = 0;
  size_t count_ = 0;
};

}  // namespace

Support supports_deconv(const Node& node, const OpenClBackend& backend) {
  Support s = check_float_node(node, {0, 1});
  if (!s.ok) return s;
  const size_t rank = node.input_shape(0).size();
  if (rank < 3 || rank > 5)
    return Support::no(fmt::format("OpenCL backend has no kernel for {} with {} spatial dims",
                                   op_name(node.op), static_cast<int64_t>(rank) - 2));
  return Support::yes();
}

std::unique_ptr<Kernel> compile_deconv(const Node& node, OpenClBackend& backend) {
  return std::make_unique<DeconvKernel>(node, backend);
}

}  // namespace octet
