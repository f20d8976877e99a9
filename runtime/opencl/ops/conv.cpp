// Convolution / GroupConvolution launchers: 1x1 as GEMM, depthwise, and direct 4-channel blocks.
#include "host/graph/ops/conv_geometry.h"
#include "runtime/opencl/ops/gemm.h"

namespace octet {
namespace {

// Geometry flattened to 2-D (1-D convolutions get H = KH = 1).
struct Conv2d {
  int64_t N, G, IC_g, OC_g, H, W, OH, OW, KH, KW, SH = 1, SW = 1, DH = 1, DW = 1, PH = 0, PW = 0;
  bool pointwise = false;  // 1x1, stride 1, no padding
};

Conv2d conv2d_of(const Node& node) {
  bool grouped = node.op == OpKind::kGroupConvolution;
  ConvGeometry g = conv_geometry(node, grouped);
  const Dims& x = node.input_shape(0);
  const Dims& w = node.input_shape(1);
  Conv2d c{};
  c.N = x[0];
  c.G = grouped ? w[0] : 1;
  c.IC_g = x[1] / c.G;
  c.OC_g = grouped ? w[1] : w[0];
  bool one = g.kernel.size() == 1;
  size_t h = one ? 0 : g.kernel.size() - 2, wd = g.kernel.size() - 1;
  c.H = one ? 1 : x[2 + h];
  c.W = x[2 + wd];
  c.OH = one ? 1 : g.output[h];
  c.OW = g.output[wd];
  c.KH = one ? 1 : g.kernel[h];
  c.KW = g.kernel[wd];
  if (!one) c.SH = g.strides[h], c.DH = g.dilations[h], c.PH = g.pads_begin[h];
  c.SW = g.strides[wd], c.DW = g.dilations[wd], c.PW = g.pads_begin[wd];
  c.pointwise = c.G == 1 && c.KH == 1 && c.KW == 1 && c.SH == 1 && c.SW == 1 && c.PH == 0 && c.PW == 0 &&
                c.OH == c.H && c.OW == c.W;
  return c;
}

class Conv1x1Kernel : public OclKernel {
 public:
  Conv1x1Kernel(const Node& node, OpenClBackend& b, const Conv2d& c)
      : OclKernel(b, node, "ocl_conv_f32_1x1"), gemm_(b, shape(c)) {
    capture_constants(node, {0, 1});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    gemm_.set_args(input(in, 1), input(in, 0), output(out, 0));
    launch(ctx, gemm_.kernel(), gemm_.global_size(), 3);
  }

 private:
  static GemmShape shape(const Conv2d& c) {
    GemmShape g;  // out[n] (OC x P) = W (OC x IC) * x[n] (IC x P)
    g.M = c.OC_g, g.K = c.IC_g, g.N = c.H * c.W;
    g.a_sm = c.IC_g, g.a_sk = 1, g.b_sk = g.N, g.b_sn = 1;
    g.batch = {c.N}, g.a_bs = {0}, g.b_bs = {c.IC_g * g.N};
    return g;
  }
  GemmLauncher gemm_;
};

class DirectConvKernel : public OclKernel {
 public:
  DirectConvKernel(const Node& node, OpenClBackend& b, const Conv2d& c) : OclKernel(b, node, ""), c_(c) {
    depthwise_ = c.IC_g == 1 && c.OC_g == 1;
    ocb_ = (c.OC_g + 3) / 4;
    const Tensor* filters = node.input_constant(1);
    if (!filters) {
      // Filters arrive in a buffer each run (input 1), in the graph's layout.
      impl_ = depthwise_ ? "ocl_conv_f32_depthwise"
              : c.G > 1  ? "ocl_group_conv_f32_direct_plain"
                         : "ocl_conv_f32_direct_plain";
      kernel_ = make("conv_f32_direct.cl", "-DPLAIN_WEIGHTS", depthwise_ ? "conv2d_depthwise" : "conv2d");
      capture_constants(node, {0});
      return;
    }
    std::vector<float> w = filters->to_float_vector();
    if (depthwise_) {
      impl_ = "ocl_conv_f32_depthwise";
      kernel_ = make("conv_f32_direct.cl", "", "conv2d_depthwise");
      w_ = weights(w.data(), w.size() * sizeof(float));
      capture_constants(node, {0});
      return;
    }
    impl_ = c.G > 1 ? "ocl_group_conv_f32_direct" : "ocl_conv_f32_direct";
    kernel_ = make("conv_f32_direct.cl", "", "conv2d");
    int64_t ks = c.KH * c.KW;
    // [G][OC_g][IC_g][K] -> [G][OCB][IC_g][K][4], zero-padded channels.
    std::vector<float> packed(static_cast<size_t>(c.G * ocb_ * c.IC_g * ks * 4), 0.0f);
    for (int64_t g = 0; g < c.G; ++g)
      for (int64_t oc = 0; oc < c.OC_g; ++oc)
        for (int64_t ic = 0; ic < c.IC_g; ++ic)
          for (int64_t k = 0; k < ks; ++k)
            packed[static_cast<size_t>((((g * ocb_ + oc / 4) * c.IC_g + ic) * ks + k) * 4 + oc % 4)] =
                w[static_cast<size_t>(((g * c.OC_g + oc) * c.IC_g + ic) * ks + k)];
    w_ = weights(packed.data(), packed.size() * sizeof(float));
    capture_constants(node, {0});
  }
  void enqueue(ExecContext& ctx, const std::vector<BufferView>& in,
               const std::vector<BufferView>& out) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto i = [](int64_t v) { return static_cast<cl_int>(v); };
    const Conv2d& c = c_;
    cl_mem x = input(in, 0), y = output(out, 0), w = w_ ? w_.get() : input(in, 1);
    if (depthwise_) {
      set_args(kernel_.get(), x, w, y, i(c.G), i(c.H), i(c.W), i(c.OH), i(c.OW), i(c.KH), i(c.KW), i(c.SH),
               i(c.SW), i(c.DH), i(c.DW), i(c.PH), i(c.PW));
      launch(ctx, kernel_.get(), {size_t(c.OW), size_t(c.OH), size_t(c.N * c.G)}, 3);
    } else {
      set_args(kernel_.get(), x, w, y, i(c.IC_g), i(c.H), i(c.W), i(c.OC_g), i(c.OH), i(c.OW), i(c.KH),
               i(c.KW), i(c.SH), i(c.SW), i(c.DH), i(c.DW), i(c.PH), i(c.PW), i(c.G), i(ocb_));
      launch(ctx, kernel_.get(), {size_t(c.OW), size_t(c.OH), size_t(c.N * c.G * ocb_)}, 3);
    }
  }

 private:
  Conv2d c_;
  bool depthwise_ = false;
  int64_t ocb_ = 1;
  ocl::ClKernel kernel_;
  ocl::Mem w_;
};

}  // namespace

Support supports_conv(const Node& node, const OpenClBackend& backend) {
  Support s = check_float_node(node, {0, 1});
  if (!s.ok) return s;
  size_t rank = node.input_shape(0).size();
  if (rank != 3 && rank != 4) return Support::no("only 1-D and 2-D convolutions are implemented");
  return Support::yes();
}

std::unique_ptr<Kernel> compile_conv(const Node& node, OpenClBackend& backend) {
  Conv2d c = conv2d_of(node);
  if (c.pointwise) return std::make_unique<Conv1x1Kernel>(node, backend, c);
  return std::make_unique<DirectConvKernel>(node, backend, c);
}

}  // namespace octet
